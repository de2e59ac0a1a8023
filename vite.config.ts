import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation: multithreaded WASM (onnxruntime-web) needs SharedArrayBuffer,
// which browsers only grant to pages served with COOP same-origin + COEP require-corp/credentialless.
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export default defineConfig({
  plugins: [react()],
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  worker: { format: 'es' },
  optimizeDeps: {
    // onnxruntime-web ships its own wasm loader; pre-bundling it breaks the wasm URL resolution.
    exclude: ['onnxruntime-web'],
    // Pre-bundle every dependency at server start, including those only reached through a lazy import()
    // or a worker: otherwise the dev server discovers them mid-session, re-optimises, and the page's
    // pending dynamic import fails ("Failed to fetch dynamically imported module").
    include: ['plotly.js-dist-min', 'comlink', 'zustand', 'idb', 'fflate', 'zod', 'yaml', 'utif2', 'umap-js', 'react', 'react-dom/client'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
});
