import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Heavy libraries belong to exactly one worker each; nothing above the workers imports them.
const heavyLibraries = ['onnxruntime-web', 'onnxruntime-web/*', '@tensorflow/*', 'utif2', 'umap-js', 'fflate'];

/** Dependencies point one way: ui → state → workers/storage → core. */
function restrict(layers, packages = []) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...layers.map((layer) => ({
            group: [`**/${layer}`, `**/${layer}/**`],
            message: `This layer may not import from src/${layer} (ui → state → workers/storage → core).`,
          })),
          ...(packages.length
            ? [{ group: packages, message: 'Heavy libraries are owned by one worker each.' }]
            : []),
        ],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'bench/results', 'public', 'test-results', 'models/cache'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict([], heavyLibraries),
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict(['ui', 'state', 'workers', 'storage'], [
      ...heavyLibraries,
      'react',
      'react-dom',
      'comlink',
      'idb',
      'zustand',
      'plotly.js-dist-min',
    ]),
  },
  { files: ['src/workers/**/*.ts'], rules: restrict(['ui', 'state', 'storage']) },
  // Code inside page.evaluate runs in the browser, where the test's module types do not reach.
  { files: ['tests/browser/**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['src/storage/**/*.ts'], rules: restrict(['ui', 'state', 'workers'], heavyLibraries) },
  { files: ['src/state/**/*.ts'], rules: restrict(['ui'], heavyLibraries) },
);
