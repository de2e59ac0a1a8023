/**
 * Model bytes: from the app's own models/ folder, the browser's Cache Storage, or a download that is
 * stored there for the next (offline) visit.
 *
 * A download is held in memory until it is complete and verified — every byte the server announced,
 * the size the catalog lists, and a structurally whole ONNX file — and only then written to the cache
 * in one put(). A connection that breaks midway, a cancel, or a wrong size therefore leaves no entry,
 * never a broken one. Cache entries carry the verified length and are checked again when read.
 */
import { ModelFileError, inspectOnnxFile } from './onnxFile';

export const MODEL_CACHE_NAME = 'lcs-models-v1';
const VERIFIED_HEADER = 'x-lcs-verified-bytes';

export interface DownloadProgress {
  loaded: number;
  /** Content-Length (or the expected size) when known. */
  total: number | null;
}

export interface DownloadOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Names the model in messages. */
  label?: string;
  /** Returns a reason when the received length is not what this model should have, else null. */
  checkSize?: (byteLength: number) => string | null;
  /** Expected size for the progress bar when the server sends no Content-Length. */
  expectedBytes?: number;
  cacheName?: string;
}

export class ModelDownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelDownloadError';
  }
}

const mb = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} MB` : `${(n / 1e3).toFixed(1)} kB`);

function cacheAvailable(): boolean {
  return typeof caches !== 'undefined';
}

/** A verified cached copy, or null. An entry whose length disagrees with its record is deleted. */
export async function readCachedModel(url: string, cacheName = MODEL_CACHE_NAME): Promise<Uint8Array | null> {
  if (!cacheAvailable()) return null;
  const cache = await caches.open(cacheName);
  const response = await cache.match(url);
  if (!response) return null;
  const expected = Number(response.headers.get(VERIFIED_HEADER));
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!expected || bytes.length !== expected) {
    await cache.delete(url);
    return null;
  }
  return bytes;
}

export async function isModelCached(url: string, cacheName = MODEL_CACHE_NAME): Promise<boolean> {
  if (!cacheAvailable()) return false;
  const cache = await caches.open(cacheName);
  const response = await cache.match(url);
  return !!response && Number(response.headers.get(VERIFIED_HEADER)) > 0;
}

export async function deleteCachedModel(url: string, cacheName = MODEL_CACHE_NAME): Promise<boolean> {
  if (!cacheAvailable()) return false;
  return (await caches.open(cacheName)).delete(url);
}

/** URLs and verified sizes of everything in the model cache. */
export async function listCachedModels(cacheName = MODEL_CACHE_NAME): Promise<Array<{ url: string; bytes: number }>> {
  if (!cacheAvailable()) return [];
  const cache = await caches.open(cacheName);
  const requests = await cache.keys();
  return Promise.all(
    requests.map(async (request) => {
      const response = await cache.match(request);
      return { url: request.url, bytes: Number(response?.headers.get(VERIFIED_HEADER) ?? 0) };
    }),
  );
}

async function storeVerified(url: string, bytes: Uint8Array, cacheName: string): Promise<void> {
  if (!cacheAvailable()) return;
  const cache = await caches.open(cacheName);
  const body = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  await cache.put(
    url,
    new Response(body, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length), [VERIFIED_HEADER]: String(bytes.length), 'x-lcs-stored-at': new Date().toISOString() },
    }),
  );
}

/**
 * Fetches `url` with progress and cancel, verifies it, and returns the bytes. Throws
 * ModelDownloadError (network, HTTP status, incomplete body, wrong size), ModelFileError (not a whole
 * ONNX file) or an AbortError (cancelled). Stores nothing.
 */
export async function downloadModel(url: string, options: DownloadOptions = {}): Promise<Uint8Array> {
  const label = options.label ?? url;
  let response: Response;
  try {
    response = await fetch(url, { mode: 'cors', credentials: 'omit', signal: options.signal, headers: { accept: 'application/octet-stream' } });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ModelDownloadError(`Could not download ${label} from ${url}: the network request failed (offline, blocked, or the server refused: ${(error as Error).message}).`);
  }
  if (!response.ok) throw new ModelDownloadError(`Could not download ${label}: ${url} answered HTTP ${response.status} ${response.statusText}.`);
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/html')) throw new ModelDownloadError(`Could not download ${label}: ${url} returned a web page (content-type ${type}), not a model file.`);

  const announced = Number(response.headers.get('content-length')) || null;
  const total = announced ?? options.expectedBytes ?? null;
  // With a Content-Length the bytes go straight into one buffer (no second copy of a 350 MB model).
  let buffer = new Uint8Array(announced ?? options.expectedBytes ?? 1 << 20);
  let loaded = 0;
  options.onProgress?.({ loaded, total });
  const reader = response.body!.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (loaded + value.length > buffer.length) {
        if (announced !== null) throw new ModelDownloadError(`Download of ${label} sent more than the announced ${announced} bytes. Nothing was stored.`);
        const grown = new Uint8Array(Math.max(buffer.length * 2, loaded + value.length));
        grown.set(buffer.subarray(0, loaded));
        buffer = grown;
      }
      buffer.set(value, loaded);
      loaded += value.length;
      options.onProgress?.({ loaded, total });
    }
  } catch (error) {
    if (options.signal?.aborted || error instanceof ModelDownloadError) throw error;
    throw new ModelDownloadError(`Download of ${label} broke off after ${mb(loaded)}${total ? ` of ${mb(total)}` : ''}: ${(error as Error).message}. Nothing was stored; try again.`);
  }
  if (announced !== null && loaded !== announced) {
    throw new ModelDownloadError(`Download of ${label} is incomplete: received ${loaded} of ${announced} bytes. Nothing was stored; try again.`);
  }
  const bytes = loaded === buffer.length ? buffer : buffer.slice(0, loaded);
  const sizeProblem = options.checkSize?.(bytes.length);
  if (sizeProblem) throw new ModelDownloadError(`Download of ${label} has the wrong size: ${sizeProblem}. Nothing was stored.`);
  inspectOnnxFile(bytes, label);
  return bytes;
}

/** downloadModel, then one cache.put of the verified bytes. */
export async function downloadAndCacheModel(url: string, options: DownloadOptions = {}): Promise<Uint8Array> {
  const bytes = await downloadModel(url, options);
  await storeVerified(url, bytes, options.cacheName ?? MODEL_CACHE_NAME);
  return bytes;
}

/**
 * A copy shipped with the app (models/… next to index.html), or null when there is none. Dev servers
 * answer a missing file with index.html, so a web page or a non-ONNX body counts as "none".
 */
export async function fetchFromAppFolder(path: string, signal?: AbortSignal): Promise<Uint8Array | null> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: 'application/octet-stream' } });
  } catch {
    return null;
  }
  if (!response.ok || (response.headers.get('content-type') ?? '').includes('text/html')) return null;
  const bytes = new Uint8Array(await response.arrayBuffer());
  try {
    inspectOnnxFile(bytes, path);
  } catch (error) {
    if (error instanceof ModelFileError) return null;
    throw error;
  }
  return bytes;
}

export type ModelOrigin = 'app folder' | 'browser cache' | 'download' | 'file';

/**
 * Bytes for a catalog model, in order: the app's models/ folder, the browser cache, a download (then
 * cached). Returns where they came from.
 */
export async function resolveModelBytes(
  source: { url: string; appPath: string; label: string; checkSize?: (n: number) => string | null; expectedBytes?: number },
  options: Pick<DownloadOptions, 'signal' | 'onProgress' | 'cacheName'> = {},
): Promise<{ bytes: Uint8Array; origin: ModelOrigin }> {
  const local = await fetchFromAppFolder(source.appPath, options.signal);
  if (local) return { bytes: local, origin: 'app folder' };
  const cached = await readCachedModel(source.url, options.cacheName);
  if (cached) return { bytes: cached, origin: 'browser cache' };
  const bytes = await downloadAndCacheModel(source.url, { ...options, label: source.label, checkSize: source.checkSize, expectedBytes: source.expectedBytes });
  return { bytes, origin: 'download' };
}

/** Where a model the user dropped is kept, so an experiment embedded with it can resume after a reload. */
export function localModelCacheUrl(modelId: string): string {
  const origin = typeof location !== 'undefined' ? location.origin : 'http://localhost';
  return `${origin}/__local-models/${encodeURIComponent(modelId)}`;
}

/** Stores a dropped model's bytes in the model cache (verified length, as downloads are). */
export async function cacheLocalModel(modelId: string, bytes: Uint8Array, cacheName = MODEL_CACHE_NAME): Promise<void> {
  if (!cacheAvailable()) return;
  const cache = await caches.open(cacheName);
  await cache.put(
    localModelCacheUrl(modelId),
    new Response(bytes.slice().buffer as ArrayBuffer, { headers: { 'content-type': 'application/octet-stream', [VERIFIED_HEADER]: String(bytes.length) } }),
  );
}
