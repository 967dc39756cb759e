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
      // Async functions that satisfy a Promise-returning interface without awaiting are fine.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['miniprogram/**/*.ts'],
    rules: {
      // Page and component data literals carry assertions (`'' as Footer`, `[] as Row[]`) that
      // widen what Component()'s inference would otherwise fix; the rule reads them as unneeded.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
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
    files: ['test/**/*.ts'],
    rules: {
      // Tests forge bad input on purpose (`null as unknown as …`).
      'no-restricted-syntax': 'off',
      // Tests read JSON answers and mocks: `any` there is the wire, and every assertion checks
      // the value itself; typed clients (test/cloud/support/app-cloud.ts) cover the contract.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      // jest's expect(obj.method) and mocks trip this without finding bugs.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['screens/**/*.ts', 'preview/**/*.ts'],
    rules: {
      // The harness stands in for WeChat's untyped runtime (j-component, wx.* option bags):
      // it coerces option values with String() on purpose, as the real APIs do, and bridges
      // j-component's untyped objects with double casts. It is a dev tool, not shipped code.
      'no-restricted-syntax': 'off',
      // wx.* promises reject with WeChat's { errMsg } object, not an Error: the shim does the same.
      '@typescript-eslint/prefer-promise-reject-errors': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      // The engine's tag-generic helpers (own(el, tag)) are narrowed by assertion on purpose.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['screens/browser/**/*.ts', 'preview/shell/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    // vendor.d.ts declares the untyped engine modules for the browser bundle; esbuild cannot import a .d.ts.
    rules: { '@typescript-eslint/triple-slash-reference': 'off' },
  },
)
