import { formatBytes } from './archive/manifest';

/** How much this origin stores and may store (navigator.storage.estimate), or null where unsupported. */
export async function storageEstimate(): Promise<{ usage: number; quota: number } | null> {
  if (typeof navigator === 'undefined' || !navigator.storage?.estimate) return null;
  const { usage, quota } = await navigator.storage.estimate();
  return usage === undefined || quota === undefined ? null : { usage, quota };
}

/**
 * Asks the browser not to evict this origin's data under storage pressure. Resolves true when the
 * storage is (now) persistent; browsers may decline silently (Chromium grants by site engagement).
 */
export async function requestPersistentStorage(): Promise<boolean> {
  if (typeof navigator === 'undefined' || !navigator.storage?.persist) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}

/** The browser refused a write for lack of space. The transaction was rolled back: nothing was written. */
export class StorageFullError extends Error {
  constructor(
    readonly usage: number | null,
    readonly quota: number | null,
  ) {
    const use = usage !== null && quota !== null ? ` This site uses ${formatBytes(usage)} of its ${formatBytes(quota)} quota.` : '';
    super(`Storage is full: the browser refused to store more.${use} Nothing was written and what was already stored is intact. Export or delete experiments to free space, then resume.`);
    this.name = 'StorageFullError';
  }

  static async now(): Promise<StorageFullError> {
    const estimate = await storageEstimate().catch(() => null);
    return new StorageFullError(estimate?.usage ?? null, estimate?.quota ?? null);
  }
}

/** A quota failure as IndexedDB reports it: QuotaExceededError on the request or transaction, or an AbortError whose transaction failed for quota. */
export function isQuotaError(error: unknown, transactionError?: DOMException | null): boolean {
  const name = (e: unknown) => (e instanceof Error || e instanceof DOMException ? e.name : undefined);
  return name(error) === 'QuotaExceededError' || name(transactionError) === 'QuotaExceededError';
}
