// Service tests start real registries (PGlite or PostgreSQL) and gRPC servers: allow time for that.
module.exports = require('../../jest.preset')(__dirname, { testTimeout: 60_000 });
