import type { TestProject } from 'vitest/node';
import { createServer, type ViteDevServer } from 'vite';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}

let server: ViteDevServer | undefined;

/**
 * Global setup of the browser project: one Vite dev server (the app's own config, so COOP/COEP and
 * worker bundling are exactly what users get) serving the app and the harness pages in tests/browser/pages.
 */
export async function setup(project: TestProject) {
  server = await createServer({
    configFile: 'vite.config.ts',
    logLevel: 'error',
    server: { port: 0, host: '127.0.0.1', strictPort: false, hmr: false },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('Vite dev server did not report a port');
  project.provide('baseUrl', `http://127.0.0.1:${address.port}`);
}

export async function teardown() {
  await server?.close();
}
