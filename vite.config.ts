import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Cross-origin isolation: multithreaded WASM (onnxruntime-web, tfjs-wasm) needs SharedArrayBuffer,
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
  // onnxruntime-web ships its own wasm loader; pre-bundling it breaks the wasm URL resolution.
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  build: { target: 'es2022', chunkSizeWarningLimit: 8000 },
});
