// @ts-check
/**
 * Lint for every TypeScript part of the project, with type-checked rules, plus the boundaries
 * the architecture relies on (see README › Architecture):
 * - the mini program imports server code with `import type` only (nothing of the server is bundled);
 * - cloudfunctions/domain/ is pure: no wx-server-sdk, no services/, no function folders;
 * - no `as unknown as` double cast outside the one typed SDK adapter (tests may forge bad input).
 */
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import globals from 'globals'

const doubleCast = {
  selector: 'TSAsExpression > TSAsExpression.expression[typeAnnotation.type="TSUnknownKeyword"]',
  message: '`as unknown as` hides a type error: type the value (typings/) or narrow it; the SDK adapter in cloudfunctions/shared/cloud.ts is the one place for it.',
}

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'coverage/', '.tmp/', '.local-cloud-data/', 'screens/out/', 'miniprogram/miniprogram_npm/', '**/*.js', '**/*.mjs', '**/*.cjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // tsc's noUnusedLocals/Parameters already report these (with the `_` convention).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-syntax': ['error', doubleCast],
    },
  },
  {
    files: ['miniprogram/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, wx: 'readonly', App: 'readonly', Page: 'readonly', Component: 'readonly', Behavior: 'readonly', getApp: 'readonly', getCurrentPages: 'readonly' } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/cloudfunctions/**', '**/local-cloud/**', 'wx-server-sdk', 'zod'], allowTypeImports: true, message: 'The mini program may import server code with `import type` only; shared rules live in miniprogram/shared/.' },
          ],
        },
      ],
    },
  },
  {
    files: ['miniprogram/shared/**/*.ts'],
    rules: {
      // Compiled by both sides: dependency-free (no wx, no SDK, no mini-program lib).
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/lib/**', '**/pages/**', '**/admin/**', '**/components/**', 'wx-server-sdk', '**/cloudfunctions/**'], message: 'miniprogram/shared/ is dependency-free: both the functions and the pages compile it.' }] }],
    },
  },
  {
    files: ['cloudfunctions/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'wx-server-sdk', message: 'domain/ is pure rules: no SDK.' }], patterns: [{ group: ['**/services/**', '**/admin/**', '**/member/**', '**/system/**', '**/shared/cloud', '**/shared/handler'], message: 'domain/ imports nothing from services/, the functions or the SDK wrapper.' }] },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'screens/**/*.ts'],
    rules: {
      'no-restricted-syntax': 'off',
      // jest's expect(obj.method) and mocks trip these without finding bugs.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['screens/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
)
