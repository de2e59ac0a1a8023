import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { contentSecurityPolicy, DEV_SCRIPT_NONCE } from './csp.config';

// Cross-origin isolation: multithreaded WASM (onnxruntime-web) needs SharedArrayBuffer,
// which browsers only grant to pages served with COOP same-origin + COEP require-corp/credentialless.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** The built index.html carries the policy too, for a static host that sends no headers. */
const policyInBuiltPage: Plugin = {
  name: 'lcs-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: contentSecurityPolicy('meta') }, injectTo: 'head-prepend' }],
};

export default defineConfig(({ command }) => ({
  plugins: [react(), policyInBuiltPage],
  // The dev server's own inline scripts (React's refresh preamble) carry the nonce its policy allows;
  // the built page has no inline script.
  html: command === 'serve' ? { cspNonce: DEV_SCRIPT_NONCE } : {},
  server: { headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy('dev') } },
  preview: { headers: { ...isolationHeaders, 'Content-Security-Policy': contentSecurityPolicy('built') } },
  worker: { format: 'es' },
  optimizeDeps: {
    // onnxruntime-web ships its own wasm loader; pre-bundling it breaks the wasm URL resolution.
    exclude: ['onnxruntime-web'],
    // Pre-bundle every dependency at server start, including those only reached through a lazy import()
    // or a worker: otherwise the dev server discovers them mid-session, re-optimises, and the page's
    // pending dynamic import fails ("Failed to fetch dynamically imported module").
    include: ['plotly.js-dist-min', 'comlink', 'zustand', 'idb', 'fflate', 'zod', 'yaml', 'utif2', 'umap-js', 'react', 'react-dom/client', '@tensorflow/tfjs', 'papaparse'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
}));
