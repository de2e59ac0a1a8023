import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { build, createServer, preview, searchForWorkspaceRoot } from 'vite';
import { chromium, type Browser, type Page } from 'playwright-core';
import { chromiumPath } from '../../tests/helpers/chromium';

export interface AppServer {
  close(): Promise<void>;
}

/**
 * The app on a free loopback port, with the same config users get (COOP/COEP, workers): the Vite dev
 * server (what `npm start` serves; the default), or with `production` a `vite build` into a temporary
 * folder served by `vite preview`.
 */
export async function startAppServer(options: { production?: boolean } = {}): Promise<{ server: AppServer; baseUrl: string }> {
  if (options.production) {
    const outDir = mkdtempSync(join(tmpdir(), 'lcs-build-'));
    await build({ configFile: 'vite.config.ts', logLevel: 'error', build: { outDir, emptyOutDir: true } });
    const server = await preview({ configFile: 'vite.config.ts', logLevel: 'error', build: { outDir }, preview: { port: 0, host: '127.0.0.1' } });
    const address = server.httpServer?.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    return { server: { close: () => server.close() }, baseUrl: `http://127.0.0.1:${address.port}` };
  }
  // A node_modules linked from another checkout (a git worktree sharing one install) lies outside the
  // project root, where the dev server refuses to serve files (onnxruntime-web's wasm among them).
  const modules = realpathSync('node_modules');
  const fs = modules.startsWith(resolve('.') + sep) ? {} : { fs: { allow: [searchForWorkspaceRoot(process.cwd()), modules] } };
  const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { port: 0, host: '127.0.0.1', hmr: false, ...fs } });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return { server, baseUrl: `http://127.0.0.1:${address.port}` };
}

/** Headless Chromium with the quiet flags (see docs/decisions.md, 'Headless Chromium in tests and benches'). */
export async function launchBenchBrowser(extraArgs: string[] = []): Promise<{ browser: Browser; page: Page; version: string }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', ...extraArgs],
  });
  const page = await browser.newPage();
  // tsx (esbuild with keepNames) wraps functions passed to page.evaluate in __name(); define it in the page.
  await page.addInitScript('window.__name = (f) => f');
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  return { browser, page, version: browser.version() };
}
