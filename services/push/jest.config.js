// Integration specs start PGlite (WebAssembly) and local protocol servers (HTTP/2 over TLS).
module.exports = require('../../jest.preset')(__dirname, { testTimeout: 60_000 });
