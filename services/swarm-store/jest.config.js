// PGlite takes a few seconds to start on a busy 2-core machine: hooks get more than jest's 5 s.
module.exports = require('../../jest.preset')(__dirname, { testTimeout: 60_000 });
