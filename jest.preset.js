// Shared jest settings: every project transpiles TypeScript without type-checking
// (the `lint` target type-checks) and imports sibling libraries from their sources.
const path = require('path');

module.exports = function jestConfig(projectDir, overrides = {}) {
  return {
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    transform: {
      '^.+\\.ts$': [
        require.resolve('ts-jest'),
        { tsconfig: path.join(projectDir, 'tsconfig.json'), diagnostics: false },
      ],
    },
    moduleNameMapper: {
      '^@starling/(crypto|platform|proto|client|membership|service-node|onion-server)$': path.join(__dirname, 'libs/$1/src/index.ts'),
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    // PGlite's first start in a process (WASM compile + initdb) takes seconds on a busy 2-core machine.
    testTimeout: 60_000,
    // No forceExit: a handle a test leaves open fails the run and is named (tools/jest-exit-guard.js).
    reporters: ['default', path.join(__dirname, 'tools/jest-exit-guard.js')],
    ...overrides,
  };
};
