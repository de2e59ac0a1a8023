/**
 * The embedder the app uses: which one the user chose, whether it is loaded, download progress, and the
 * loaded model's facts (name, input size, dimension, backend, threads, speed).
 *
 * Sources for a catalog model, in order: the app's own models/ folder, the browser cache, a
 * download from the catalog URL (then cached). A local .onnx comes from the "Model file" input. When
 * DINOv2 cannot be loaded and nothing is loaded yet, ensureReady() falls back to the offline
 * image-statistics embedder and says so, so the app works without a network.
 */
import { create } from 'zustand';
import type { BackendCapabilities, BackendPreference, Precision } from '../embedders/backendChoice';
import { MODEL_CATALOG, catalogModel, chooseCatalogFile, defaultCatalogModel, localModelPath, sizeMatchesCatalog, type CatalogFile, type CatalogModel } from '../embedders/catalog';
import { cacheLocalModel, isModelCached, localModelCacheUrl, readCachedModel, resolveModelBytes, type ModelOrigin } from '../embedders/modelCache';
import type { EmbedderDescription } from '../engine/experiment/records';
import { createEmbedClient, ModelLoadTimeoutError, type EmbedClient, type EmbedResult, type ModelInfo, type Pooling, type RgbaPixels } from '../runtime/embedClient';
import type { Progress } from '../runtime/lib/jobs';
import { isCancelled } from '../runtime/lib/jobs';

export type EmbedderSource = 'catalog' | 'file' | 'image-statistics';
export type EmbedderStatus = 'idle' | 'fetching' | 'loading' | 'ready' | 'error';

export interface DownloadState {
  loaded: number;
  total: number | null;
  label: string;
}

export interface EmbedderState {
  source: EmbedderSource;
  /** Catalog model id (when source is catalog). */
  modelId: string;
  precision: Precision;
  backend: BackendPreference;
  pooling: Pooling;
  /** The local file chosen in "Model file" (kept so Load can retry it). */
  file: File | null;
  status: EmbedderStatus;
  download: DownloadState | null;
  /** Where the loaded model's bytes came from. */
  origin: ModelOrigin | 'built in' | null;
  info: ModelInfo | null;
  error: string | null;
  /** Non-error remarks: fp16 → fp32, fallback to image statistics, WebGPU → WASM. */
  notice: string | null;
  capabilities: BackendCapabilities | null;
  /** Catalog download URLs found in the browser cache. */
  cachedUrls: string[];

  setSource(source: EmbedderSource): void;
  setModel(modelId: string): void;
  setPrecision(precision: Precision): void;
  setBackend(backend: BackendPreference): void;
  setPooling(pooling: Pooling): void;
  probe(): Promise<BackendCapabilities>;
  refreshCached(): Promise<void>;
  /** Loads the current choice. Rejects (and sets error) on failure; the previous model stays loaded. */
  load(): Promise<ModelInfo>;
  /** Chooses a local .onnx and loads it. */
  loadFile(file: File): Promise<ModelInfo>;
  /** Cancels a running download or load. */
  cancel(): void;
  /** The loaded model, loading the choice first if needed; falls back to image statistics when DINOv2 fails. */
  ensureReady(): Promise<ModelInfo>;
  /**
   * Loads exactly the embedder an experiment was run with (a resumed or opened experiment must keep its
   * feature space): the catalog model, the image statistics, or a dropped file kept in the model cache.
   */
  ensureEmbedder(description: EmbedderDescription): Promise<ModelInfo>;
  /** Embeds images with the loaded model (ensureReady first). */
  embed(images: readonly RgbaPixels[], call?: { signal?: AbortSignal; onProgress?: (p: Progress) => void; transferPixels?: boolean }): Promise<EmbedResult>;
}

let client: EmbedClient | null = null;
/** The app's one embed client; the worker starts on first use. */
export function embedClient(): EmbedClient {
  client ??= createEmbedClient();
  return client;
}

/** "DINOv2 ViT-S/14 (int8)": a catalog file as the UI and the experiment record name it. */
export const catalogFileLabel = (model: CatalogModel, file: CatalogFile) => `${model.label} (${file.precision})`;

/**
 * A catalog file's bytes: from the app's own models/ folder, the browser cache, or a download from the
 * catalog URL (then cached), its length checked against the catalog.
 */
export function catalogFileBytes(model: CatalogModel, file: CatalogFile, call: { signal?: AbortSignal; onProgress?: (download: DownloadState) => void } = {}) {
  const label = catalogFileLabel(model, file);
  return resolveModelBytes(
    {
      url: file.url,
      appPath: `${appBase()}${localModelPath(model, file)}`,
      label,
      expectedBytes: file.sizeBytes ?? Math.round(file.sizeMB * 1e6),
      checkSize: (n) => (sizeMatchesCatalog(file, n) ? null : `got ${n.toLocaleString('en')} bytes, the catalog lists ${file.sizeBytes ?? `${file.sizeMB} MB`}`),
    },
    { signal: call.signal, onProgress: (p) => call.onProgress?.({ loaded: p.loaded, total: p.total, label }) },
  );
}

let controller: AbortController | null = null;
const appBase = () => (import.meta.env?.BASE_URL as string | undefined) ?? '/';
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const useEmbedderStore = create<EmbedderState>((set, get) => {
  const begin = () => {
    controller?.abort();
    controller = new AbortController();
    return controller;
  };

  const loadCatalogChoice = async (signal: AbortSignal): Promise<ModelInfo> => {
    const { modelId, precision, backend, pooling } = get();
    const caps = await get().probe();
    const model = catalogModel(modelId);
    const { file, note } = chooseCatalogFile(model, precision, backend, caps);
    const label = catalogFileLabel(model, file);
    set({ status: 'fetching', download: { loaded: 0, total: file.sizeBytes ?? file.sizeMB * 1e6, label }, notice: note });
    const { bytes, origin } = await catalogFileBytes(model, file, { signal, onProgress: (download) => set({ download }) });
    if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    set({ status: 'loading', download: null, origin });
    const info = await embedClient().loadModel(bytes, { name: label, id: `${model.id}/${file.precision}`, precision: file.precision, backend, pooling, patchSize: model.patchSize });
    void get().refreshCached();
    return info;
  };

  const finish = (info: ModelInfo, origin: EmbedderState['origin']) => {
    set({ status: 'ready', info, origin, error: null, download: null, notice: info.fallbackReason ?? get().notice });
    return info;
  };

  const fail = (error: unknown): never => {
    const cancelled = isCancelled(error) || (error instanceof DOMException && error.name === 'AbortError');
    // A load past its time limit stopped the worker, and the model it held with it: none is loaded now.
    if (error instanceof ModelLoadTimeoutError) {
      set({ status: 'error', info: null, download: null, error: error.message });
      throw error;
    }
    set({ status: get().info ? 'ready' : cancelled ? 'idle' : 'error', download: null, error: cancelled ? null : messageOf(error), notice: cancelled ? 'Loading cancelled.' : get().notice });
    throw error;
  };

  return {
    source: 'catalog',
    modelId: defaultCatalogModel(MODEL_CATALOG).id,
    precision: 'fp32',
    backend: 'auto',
    pooling: 'cls',
    file: null,
    status: 'idle',
    download: null,
    origin: null,
    info: null,
    error: null,
    notice: null,
    capabilities: null,
    cachedUrls: [],

    setSource: (source) => set({ source, error: null }),
    setModel: (modelId) => set({ modelId, source: 'catalog', error: null }),
    setPrecision: (precision) => set({ precision, error: null }),
    setBackend: (backend) => set({ backend, error: null }),
    setPooling: (pooling) => set({ pooling, error: null }),

    async probe() {
      const known = get().capabilities;
      if (known) return known;
      const capabilities = await embedClient().probe();
      set({ capabilities });
      return capabilities;
    },

    async refreshCached() {
      const urls = MODEL_CATALOG.models.flatMap((m) => m.files.map((f) => f.url));
      const flags = await Promise.all(urls.map((u) => isModelCached(u).catch(() => false)));
      set({ cachedUrls: urls.filter((_, i) => flags[i]) });
    },

    async load() {
      const { source, file } = get();
      if (source === 'file') {
        if (!file) {
          set({ error: 'Choose an .onnx file with "Model file" first.' });
          throw new Error('no model file chosen');
        }
        return get().loadFile(file);
      }
      const { signal } = begin();
      set({ error: null, notice: null });
      try {
        if (source === 'image-statistics') {
          set({ status: 'loading' });
          return finish(await embedClient().loadImageStatistics(), 'built in');
        }
        const info = await loadCatalogChoice(signal);
        return finish(info, get().origin);
      } catch (error) {
        return fail(error);
      }
    },

    async loadFile(file) {
      begin();
      set({ source: 'file', file, status: 'loading', error: null, notice: null, download: null });
      try {
        const bytes = new Uint8Array(await file.arrayBuffer());
        const { backend, pooling, precision } = get();
        const id = `file:${file.name}:${file.size}`;
        const info = await embedClient().loadModel(bytes.slice(), { name: file.name, id, backend, pooling, precision, patchSize: 14 });
        // Keep the bytes so an experiment embedded with this file can resume after a reload.
        await cacheLocalModel(info.id, bytes).catch(() => undefined);
        return finish(info, 'file');
      } catch (error) {
        return fail(error);
      }
    },

    cancel() {
      controller?.abort();
    },

    async ensureEmbedder(description) {
      const { info, status } = get();
      if (info && status === 'ready' && info.id === description.id && embedClient().holdsModel()) return info;
      if (description.id.startsWith('image-statistics')) {
        set({ source: 'image-statistics' });
        return get().load();
      }
      if (description.id.startsWith('file:')) {
        const bytes = await readCachedModel(localModelCacheUrl(description.id));
        if (!bytes) throw new Error(`this experiment was embedded with ${description.label}, which is no longer stored in this browser: choose it again in “Model file” to continue`);
        begin();
        set({ source: 'file', status: 'loading', error: null });
        const { backend, pooling, precision } = get();
        try {
          return finish(await embedClient().loadModel(bytes, { name: description.label, id: description.id, backend, pooling, precision, patchSize: 14 }), 'browser cache');
        } catch (error) {
          return fail(error);
        }
      }
      const [modelId, precision] = description.id.split('/');
      set({ source: 'catalog', modelId, ...(precision ? { precision: precision as Precision } : {}) });
      const loaded = await get().load();
      if (loaded.id !== description.id) throw new Error(`this experiment was embedded with ${description.label}; ${loaded.name} was loaded instead`);
      return loaded;
    },

    async ensureReady() {
      const { info, status } = get();
      if (info && status === 'ready' && embedClient().holdsModel()) return info;
      try {
        return await get().load();
      } catch (error) {
        if (get().info) return get().info!;
        if (isCancelled(error) || (error instanceof DOMException && error.name === 'AbortError')) throw error;
        // Nothing usable is loaded: fall back to the offline embedder and say why.
        const reason = messageOf(error);
        const stats = await embedClient().loadImageStatistics();
        finish(stats, 'built in');
        set({ source: 'image-statistics', error: null, notice: `DINOv2 could not be loaded (${reason}). Using the image-statistics embedder instead; it is not DINOv2.` });
        return stats;
      }
    },

    async embed(images, call = {}) {
      await get().ensureReady();
      const before = get().info?.fallbackReason ?? null;
      const result = await embedClient().embed(images, call);
      // A WebGPU device lost mid-run moved the model to WASM: say so where the model's notices show.
      const fallback = result.info.fallbackReason;
      set(fallback && fallback !== before ? { info: result.info, notice: fallback } : { info: result.info });
      return result;
    },
  };
});
