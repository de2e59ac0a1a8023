import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { layersPlugin } from './eslint/layers.js';

// Heavy libraries belong to the workers that use them (src/runtime) and the embedders they host;
// nothing else imports them.
const heavyLibraries = ['onnxruntime-web', 'onnxruntime-web/*', '@tensorflow/*', 'utif2', 'umap-js', 'fflate'];
const uiLibraries = ['react', 'react-dom', 'react-dom/*', 'zustand', 'plotly.js-dist-min'];
const browserOnly = ['comlink', 'idb'];

const forbidPackages = (groups) => ({
  'no-restricted-imports': ['error', { patterns: groups.map(([group, message]) => ({ group, message })) }],
});

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'bench/results', 'public', 'test-results', 'models/cache'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { layers: layersPlugin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  { files: ['src/**/*.{ts,tsx}'], rules: { 'layers/direction': 'error' } },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/domains/*/ui/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules, ...forbidPackages([[heavyLibraries, 'Heavy libraries live in the workers (src/runtime).']]) },
  },
  {
    files: ['src/engine/**/*.ts', 'src/core/**/*.ts'],
    rules: forbidPackages([[[...heavyLibraries, ...uiLibraries, ...browserOnly], 'The engine is pure TypeScript: no UI, worker or storage libraries.']]),
  },
  {
    files: ['src/storage/**/*.ts', 'src/state/**/*.ts', 'src/app/**/*.ts'],
    rules: forbidPackages([[heavyLibraries, 'Heavy libraries live in the workers (src/runtime).']]),
  },
  // Code inside page.evaluate runs in the browser, where the test's module types do not reach.
  { files: ['tests/browser/**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
);
