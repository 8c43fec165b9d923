// Whole-network tests: they start real processes from the built services (`nx build` runs first).
module.exports = require('../jest.preset')(__dirname, {
  testMatch: ['<rootDir>/charts/**/*.spec.ts', '<rootDir>/e2e/**/*.spec.ts', '<rootDir>/repo/**/*.spec.ts'],
  testTimeout: 120_000,
  maxWorkers: 1,
});
