/**
 * "Compare model variants" in the page: which variant to compare the open experiment's model with (another
 * precision of its catalog model, or a local .onnx file), the share of the noise floor that counts as
 * safe, the progress, and the result the service stored with the experiment.
 *
 * Both variants run in an embed worker of their own, started for the comparison and stopped after it, so
 * the model the app has loaded stays loaded.
 */
import { create } from 'zustand';
import type { VariantEmbedder } from '../app/variantComparison';
import type { Precision } from '../embedders/backendChoice';
import { catalogModel, type CatalogModel } from '../embedders/catalog';
import { localModelCacheUrl, readCachedModel } from '../embedders/modelCache';
import type { ExperimentRecord, VariantComparisonRecord } from '../engine/experiment/records';
import { createEmbedClient, type EmbedClient } from '../runtime/embedClient';
import { isCancelled } from '../runtime/lib/jobs';
import { experimentDb } from './dbStore';
import { catalogFileBytes, catalogFileLabel, useEmbedderStore } from './embedderStore';
import { createExperimentService } from './wiring';

/** The other variant: a precision of the experiment's catalog model, or a local file. */
export type CandidateKind = Precision | 'file';

/** Where a variant's bytes come from, and what the record calls it. */
interface VariantSource {
  id: string;
  label: string;
  precision: Precision;
  patchSize: number;
  bytes(signal: AbortSignal): Promise<Uint8Array>;
}

export interface ComparisonProgress {
  label: string;
  done: number;
  total: number;
  /** 0..1 over the whole comparison. */
  fraction: number;
}

export interface VariantComparisonState {
  candidate: CandidateKind;
  file: File | null;
  /** Safe below this share of the noise floor. */
  share: number;
  running: boolean;
  progress: ComparisonProgress | null;
  /** The latest result of this page, by experiment. */
  result: { experimentId: string; record: VariantComparisonRecord } | null;
  error: string | null;
  setCandidate(candidate: CandidateKind): void;
  setFile(file: File | null): void;
  setShare(share: number): void;
  compare(experiment: ExperimentRecord): Promise<void>;
  cancel(): void;
}

/** The catalog model an experiment's embedder id names (dinov2-small/fp32 → dinov2-small), or null. */
export function experimentCatalogModel(experiment: ExperimentRecord): { model: CatalogModel; precision: Precision } | null {
  const [modelId, precision] = experiment.embedder.id.split('/');
  try {
    return precision ? { model: catalogModel(modelId), precision: precision as Precision } : null;
  } catch {
    return null;
  }
}

/** Why the experiment's model cannot be compared with a variant, or null. */
export function comparisonObstacle(experiment: ExperimentRecord): string | null {
  const id = experiment.embedder.id;
  if (id.startsWith('image-statistics')) return 'This experiment was embedded with the image-statistics embedder, which has no model variants.';
  if (!id.startsWith('file:') && !experimentCatalogModel(experiment)) return `This experiment's vectors come from ${experiment.embedder.label}, not from an embedding model the page runs.`;
  return null;
}

function catalogSource(model: CatalogModel, precision: Precision, onDownload: (label: string, loaded: number, total: number | null) => void): VariantSource {
  const file = model.files.find((f) => f.precision === precision);
  if (!file) throw new Error(`${model.label} has no ${precision} file`);
  return {
    id: `${model.id}/${precision}`,
    label: catalogFileLabel(model, file),
    precision,
    patchSize: model.patchSize,
    bytes: async (signal) => (await catalogFileBytes(model, file, { signal, onProgress: (d) => onDownload(d.label, d.loaded, d.total) })).bytes,
  };
}

function referenceSource(experiment: ExperimentRecord, onDownload: (label: string, loaded: number, total: number | null) => void): VariantSource {
  const catalog = experimentCatalogModel(experiment);
  if (catalog) return catalogSource(catalog.model, catalog.precision, onDownload);
  const { id, label } = experiment.embedder;
  return {
    id,
    label,
    precision: 'fp32',
    patchSize: 14,
    async bytes() {
      const bytes = await readCachedModel(localModelCacheUrl(id));
      if (!bytes) throw new Error(`this experiment was embedded with ${label}, which is no longer stored in this browser: choose it again in “Model file”, then compare`);
      return bytes;
    },
  };
}

function fileSource(file: File): VariantSource {
  return {
    id: `file:${file.name}:${file.size}`,
    label: file.name,
    precision: 'fp32',
    patchSize: 14,
    bytes: async () => new Uint8Array(await file.arrayBuffer()),
  };
}

/** A variant run in the comparison's own embed worker: load, then embed the images it is given. */
function workerVariant(client: EmbedClient, source: VariantSource, signal: AbortSignal): VariantEmbedder {
  const { backend, pooling } = useEmbedderStore.getState();
  return {
    async embed(images, call) {
      const info = await client.loadModel(await source.bytes(signal), { name: source.label, id: source.id, precision: source.precision, backend, pooling, patchSize: source.patchSize });
      const result = await client.embed(images, { signal: call.signal, onProgress: call.onProgress, transferPixels: true });
      return { items: result.items, description: { id: source.id, label: source.label, precision: info.precision ?? source.precision, backend: info.backend } };
    },
  };
}

const STAGE_SPAN = { images: [0, 0.1], reference: [0.1, 0.55], candidate: [0.55, 1], drift: [1, 1] } as const;
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
let controller: AbortController | null = null;

export const useVariantComparisonStore = create<VariantComparisonState>((set, get) => ({
  candidate: 'int8',
  file: null,
  share: 0.1,
  running: false,
  progress: null,
  result: null,
  error: null,

  setCandidate: (candidate) => set({ candidate, error: null }),
  setFile: (file) => set({ file, candidate: 'file', error: null }),
  setShare: (share) => set({ share }),

  async compare(experiment) {
    if (get().running) return;
    const obstacle = comparisonObstacle(experiment);
    const { candidate, file, share } = get();
    if (obstacle || (candidate === 'file' && !file)) {
      set({ error: obstacle ?? 'Choose the other variant’s .onnx file first.' });
      return;
    }
    controller = new AbortController();
    const { signal } = controller;
    const client = createEmbedClient();
    const at: { stage: keyof typeof STAGE_SPAN } = { stage: 'images' };
    const names = { reference: '', candidate: '' };
    const onDownload = (label: string, loaded: number, total: number | null) => set({ progress: { label: `Loading ${label}`, done: loaded, total: total ?? loaded, fraction: get().progress?.fraction ?? 0 } });
    try {
      const reference = referenceSource(experiment, onDownload);
      const catalog = experimentCatalogModel(experiment);
      const other = candidate === 'file' ? fileSource(file!) : catalogSource(catalog!.model, candidate, onDownload);
      names.reference = reference.label;
      names.candidate = other.label;
      set({ running: true, error: null, progress: { label: 'Reading the images', done: 0, total: 1, fraction: 0 } });
      const service = createExperimentService(await experimentDb());
      const record = await service.compareVariants(
        experiment.id,
        { reference: workerVariant(client, reference, signal), candidate: workerVariant(client, other, signal) },
        {
          signal,
          share,
          onProgress: (p) => {
            at.stage = p.stage;
            const [from, to] = STAGE_SPAN[p.stage];
            const label = p.stage === 'images' ? 'Reading the images' : p.stage === 'drift' ? 'Measuring the drift' : `Embedding with ${names[p.stage]}`;
            set({ progress: { label, done: p.done, total: p.total, fraction: from + (to - from) * (p.total ? p.done / p.total : 0) } });
          },
        },
      );
      set({ result: { experimentId: experiment.id, record } });
    } catch (error) {
      const cancelled = signal.aborted || isCancelled(error);
      const { stage } = at;
      set({ error: cancelled ? null : stage === 'reference' || stage === 'candidate' ? `${names[stage]}: ${messageOf(error)}` : messageOf(error) });
    } finally {
      client.dispose();
      controller = null;
      set({ running: false, progress: null });
    }
  },

  cancel() {
    controller?.abort();
  },
}));
