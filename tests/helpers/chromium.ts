import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Path of the Chromium the browser tests drive: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((p): p is string => !!p && existsSync(p));
  if (!found) throw new Error('Chromium not found: set CHROMIUM_PATH or `apt-get install -y chromium`.');
  return found;
}

// They keep headless Chromium off the (closed) network: see docs/decisions.md, 'Headless Chromium in tests and benches'.
const quietFlags = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface ChromiumSession {
  context: BrowserContext;
  page: Page;
  /** Closes the browser and deletes its profile. */
  close(): Promise<void>;
  /** Browser console lines and page errors seen so far, for failure messages. */
  logs: string[];
  /** The URL of every request the browser made so far (pages and their workers), in order. */
  requests: string[];
  /** What the Content-Security-Policy refused so far (the browser's console reports, pages and workers). */
  cspViolations: string[];
}

/** The requests of a session that leave its page's origin (data: and blob: URLs never leave the tab). */
export function requestsOutside(session: ChromiumSession, origin: string): string[] {
  return session.requests.filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== new URL(origin).origin);
}

/**
 * Launches headless Chromium with a fresh profile directory (IndexedDB, Cache Storage live there).
 * `profileDir` reuses a profile, so a test can close the browser and reopen the same storage.
 */
export async function openChromium(options: { webgpu?: boolean; profileDir?: string } = {}): Promise<ChromiumSession> {
  const profileDir = options.profileDir ?? mkdtempSync(join(tmpdir(), 'lcs-profile-'));
  const args = [...quietFlags];
  if (options.webgpu) args.push('--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader');
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    headless: true,
    args,
    viewport: { width: 1440, height: 960 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const logs: string[] = [];
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const cspViolations: string[] = [];
  const noteCsp = (text: string) => {
    if (/Content Security Policy/i.test(text)) cspViolations.push(text);
  };
  page.on('console', (m) => noteCsp(m.text()));
  page.on('worker', (w) => w.on('console', (m) => noteCsp(m.text())));
  page.on('console', (m) => logs.push(`[${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => logs.push(`[pageerror] ${e.message}`));
  return {
    context,
    page,
    logs,
    requests,
    cspViolations,
    async close() {
      await context.close();
      if (!options.profileDir) rmSync(profileDir, { recursive: true, force: true });
    },
  };
}
