/** Four projects, one per test level; `npm test` runs them all after tsc. */
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }]

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
    {
      displayName: 'cloud',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/cloud/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
      globalSetup: '<rootDir>/test/cloud/global-setup.ts',
    },
    {
      displayName: 'component',
      testEnvironment: 'jsdom',
      testMatch: ['<rootDir>/test/component/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest, 'miniprogram_npm/.+\\.js$': '<rootDir>/test/transforms/esm-to-cjs.js' },
      transformIgnorePatterns: ['/node_modules/'],
      setupFiles: ['<rootDir>/test/component/setup.ts'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
  ],
}
