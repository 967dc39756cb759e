/**
 * npm run test:journeys — the product's journeys clicked through the browser preview in headless
 * Chromium (Debian's, as the screenshots use). Run from the repository root: jest -c test/journeys/jest.config.js
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  displayName: 'journeys',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/journeys/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  testTimeout: 180000,
  // one file at a time: each builds the functions into dist/ and starts Chromium
  maxWorkers: 1,
}
