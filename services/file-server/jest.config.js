// Integration specs start real servers (PGlite loads WebAssembly, uploads are up to 10 MB).
module.exports = require('../../jest.preset')(__dirname, { testTimeout: 60_000 });
