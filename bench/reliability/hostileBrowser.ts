import { startAppServer, launchBenchBrowser } from '../lib/browser';
import type { BrowserContext } from './hostileCase';

/**
 * The browser cases' Chromium: the app's dev server (COOP/COEP, workers as users get them) and a page;
 * each case opens the harness page it needs (tests/browser/pages/*.html).
 */
export async function openHostileBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const { server, baseUrl } = await startAppServer();
  const { browser, page } = await launchBenchBrowser();
  return {
    context: { page, baseUrl },
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
