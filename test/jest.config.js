// Whole-network tests: they start real processes from the built services (`nx build` runs first).
// Tests that need the usual network share one per run (e2e/support/shared-network.ts).
module.exports = require('../jest.preset')(__dirname, {
  testMatch: ['<rootDir>/charts/**/*.spec.ts', '<rootDir>/e2e/**/*.spec.ts', '<rootDir>/repo/**/*.spec.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/e2e/support/global-setup.ts',
  globalTeardown: '<rootDir>/e2e/support/global-teardown.ts',
});
