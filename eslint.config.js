// Lint: TypeScript correctness plus the layering rules of DESIGN.md, checked rather than hoped for.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nativeLoaders = ['engine/vector/kernels/nativeLoader.ts', 'engine/fuse/nativeLoader.ts'];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', '.tsbuild/', 'native/*/build/', 'test-results/', 'renderer/dist/', '.scratch/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The engine runs without Electron, a DOM or React, and reaches native code through its loaders only.
    files: ['engine/**/*.ts'],
    ignores: nativeLoaders,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/electron/**', 'electron', '**/renderer/**', 'react', 'react-dom'],
              message: 'engine/ must not depend on electron/ or renderer/ (DESIGN.md layering).',
            },
            {
              group: ['**/native/**', '*.node', '**/*.node'],
              message: 'native bindings are loaded only by their loader module in engine/.',
            },
          ],
        },
      ],
    },
  },
  {
    // engine/api/shared is bundled into the renderer: pure code that imports nothing but types.
    files: ['engine/api/shared/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\./)',
              allowTypeImports: true,
              message: 'engine/api/shared is bundled for the browser: import only types, or other shared modules.',
            },
          ],
        },
      ],
    },
  },
  {
    // The renderer reaches the engine only through the typed API client: `import type` from engine/api, nothing else.
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)engine/api(/(?!shared/)|$)',
              allowTypeImports: true,
              message: 'renderer/ may only `import type` from engine/api (and values from engine/api/shared).',
            },
            {
              group: ['**/engine/*', '!**/engine/api', '**/engine/*/**', '!**/engine/api/**'],
              message: 'renderer/ may not import from engine/ (only `import type` from engine/api).',
            },
            {
              group: ['**/native/**', '*.node'],
              message: 'native bindings are loaded only by their loader module in engine/.',
            },
            {
              group: ['node:*', 'fs', 'path', 'child_process'],
              message: 'renderer/ runs in a browser: no Node modules.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/renderer/**'], message: 'electron/ must not import renderer code.' },
            {
              group: ['**/native/**', '*.node'],
              message: 'native bindings are loaded only by their loader module in engine/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    ignores: ['test/vector/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/native/**', '*.node'], message: 'tests reach native code through the engine loader.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
