/**
 * npm run test:screens — the screenshot checks, apart from `npm test` (they need Chromium and
 * take a few seconds a page). Run from the repository root: jest -c screens/jest.config.js
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '..',
  displayName: 'screens',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/screens/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }] },
  testTimeout: 120000,
}
