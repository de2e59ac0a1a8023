import type { Page } from 'playwright-core';

/**
 * The page-side reader tests and benches use to look at what the app stored, beside the app's own code:
 * `window.__readStores(['iterations', 'samples'])` resolves to every record of each named object store of
 * the app's database, read with the raw IndexedDB API (records stay in the page, Blobs and typed arrays
 * included; the caller's page.evaluate reduces them to what it returns). A string, so that it is the same
 * in every page and survives tsx's function wrapping.
 */
const READER_SOURCE = `
window.__readStores ??= async (names) => {
  const open = indexedDB.open('latent-calibration-studio');
  const db = await new Promise((resolve, reject) => { open.onsuccess = () => resolve(open.result); open.onerror = () => reject(open.error); });
  try {
    const out = {};
    for (const name of names) {
      out[name] = await new Promise((resolve, reject) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return out;
  } finally {
    db.close();
  }
};
`;

/** Defines `window.__readStores` in the page's current document (again after a reload; a no-op if there). */
export async function installStoreReader(page: Page): Promise<void> {
  await page.evaluate(READER_SOURCE);
}

/** The in-page reader's type, for the callers' page.evaluate bodies. */
export type ReadStores = (names: string[]) => Promise<Record<string, unknown[]>>;
