/**
 * The studio's pipeline in one Node process for bench:trust: ExperimentService over the memory store,
 * the engine's analysis and optimizer as the command line runs them (src/app/inProcessServices.ts), the
 * void generator in-process on the five demo chips (rendered by scripts/lib/demoChip.ts, the same pixels
 * as public/chips/), and an embedder: the image-statistics embedder (what the page offers offline) or
 * the DINOv2-shaped stand-in tests/fixtures/models/dinov2-tiny.onnx through onnxruntime-web's WASM
 * backend in Node (the embed worker's OnnxEmbedder, single-threaded as Node runs it).
 *
 * Nothing here changes the science: the same ExperimentService, PipelineRunner, scoring, confirmation
 * test and proposeBatch as the app. What is skipped: PNG encoding (a sample's png is a 1-byte stand-in;
 * no stage reads it back) and the workers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { inProcessAnalysis, inProcessPropose } from '../../src/app/inProcessServices';
import type { MemoryExperimentStore } from '../../src/app/memoryStore';
import type { EmbeddingPairOut, PipelineServices } from '../../src/app/pipelineServices';
import { IMAGE_STATISTICS_DIM, IMAGE_STATISTICS_ID, IMAGE_STATISTICS_LABEL, imageStatisticsEmbedding } from '../../src/embedders/imageStatistics';
import { OnnxEmbedder } from '../../src/embedders/onnx/onnxEmbedder';
import { l2Normalize } from '../../src/embedders/pooling';
import type { ImagePixels } from '../../src/engine/domain';
import type { ChipRecord, EmbedderDescription } from '../../src/engine/experiment/records';
import { CHIPS, renderChip } from '../../scripts/lib/demoChip';

export type EmbedderKind = 'image-statistics' | 'dinov2-tiny';

export const TINY_MODEL_PATH = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'models', 'dinov2-tiny.onnx');

/** Embeds images in order (the pipeline's `embed`). */
export interface BenchEmbedder {
  kind: EmbedderKind;
  description: EmbedderDescription;
  embed(images: readonly ImagePixels[]): Promise<EmbeddingPairOut[]>;
}

export function imageStatisticsEmbedder(): BenchEmbedder {
  return {
    kind: 'image-statistics',
    description: { id: IMAGE_STATISTICS_ID, label: IMAGE_STATISTICS_LABEL, dimension: IMAGE_STATISTICS_DIM, normalized: true, backend: 'js' },
    async embed(images) {
      return images.map((image) => {
        const raw = imageStatisticsEmbedding(image);
        return { raw, embedding: l2Normalize(raw) };
      });
    },
  };
}

/** The DINOv2-shaped stand-in (random weights, 224 × 224, D = 16) on onnxruntime-web WASM in Node, CLS readout. */
export async function tinyDinoEmbedder(): Promise<BenchEmbedder> {
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  const embedder = await OnnxEmbedder.create(ort, new Uint8Array(readFileSync(TINY_MODEL_PATH)), {
    label: '"dinov2-tiny.onnx"',
    backend: 'wasm',
    pooling: 'cls',
    patchSize: 14,
  });
  return {
    kind: 'dinov2-tiny',
    description: { id: 'file:dinov2-tiny.onnx', label: 'DINOv2 stand-in (tests/fixtures/models/dinov2-tiny.onnx, random weights)', dimension: embedder.embeddingDim, normalized: true, backend: 'wasm', readout: embedder.readout },
    async embed(images) {
      const out: EmbeddingPairOut[] = [];
      for (let i = 0; i < images.length; i += embedder.batchSize) {
        const { items } = await embedder.embedBatch(images.slice(i, i + embedder.batchSize));
        out.push(...items.map((it) => ({ embedding: it.embedding, raw: it.raw })));
      }
      return out;
    },
  };
}

/** The five demo chips as RGBA pixels, rendered once per process. */
let chipCache: Map<string, ImagePixels> | null = null;
export function demoChips(): Map<string, ImagePixels> {
  if (!chipCache) {
    chipCache = new Map(
      CHIPS.map((spec) => {
        const grey = renderChip(spec);
        const pixels = new Uint8ClampedArray(spec.width * spec.height * 4);
        for (let i = 0; i < grey.length; i++) {
          pixels[i * 4] = pixels[i * 4 + 1] = pixels[i * 4 + 2] = grey[i];
          pixels[i * 4 + 3] = 255;
        }
        return [spec.id, { width: spec.width, height: spec.height, pixels }];
      }),
    );
  }
  return chipCache;
}

/** The chips as an experiment's input records (the generator reads the rendered pixels by id, not these bytes). */
export function chipInputs(): Array<Omit<ChipRecord, 'experimentId'>> {
  return CHIPS.map((spec) => ({ id: spec.id, bytes: new ArrayBuffer(0), width: spec.width, height: spec.height }));
}

export interface BenchTimings {
  generate_ms: number;
  embed_ms: number;
  propose_ms: number;
  analysis_ms: number;
  images: number;
}

const STAND_IN_PNG = new Blob([new Uint8Array(1)]);

/** PipelineServices for one run, with time spent per service. */
export function benchServices(store: MemoryExperimentStore, embedder: BenchEmbedder, timings: BenchTimings): PipelineServices {
  const chips = demoChips();
  const timed = <A extends unknown[], R>(key: keyof Omit<BenchTimings, 'images'>, fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const t0 = performance.now();
      try {
        return await fn(...args);
      } finally {
        timings[key] += performance.now() - t0;
      }
    };
  const input = (id: string) => {
    const chip = chips.get(id);
    if (!chip) throw new Error(`no demo chip ${id}`);
    return chip;
  };
  return {
    store,
    generate: timed('generate_ms', async (experiment, domain, jobs, call) => {
      const generate = domain.generate;
      if (!generate) throw new Error(`${domain.id} has no generator`);
      return jobs.map((job) => {
        if (call?.signal?.aborted) throw new DOMException('cancelled', 'AbortError');
        timings.images++;
        return { ...generate(job, { config: experiment.config, input }), png: STAND_IN_PNG };
      });
    }),
    async decodeImage(name) {
      throw new Error(`bench:trust has no user images to decode (${name})`);
    },
    async encodePng() {
      return STAND_IN_PNG;
    },
    embed: timed('embed_ms', async (images) => ({ items: await embedder.embed(images) })),
    analysis: {
      fitIterationZero: timed('analysis_ms', inProcessAnalysis.fitIterationZero),
      project: timed('analysis_ms', inProcessAnalysis.project),
      scoreParameterSets: timed('analysis_ms', inProcessAnalysis.scoreParameterSets),
      scoreIteration: timed('analysis_ms', inProcessAnalysis.scoreIteration),
      confirm: timed('analysis_ms', inProcessAnalysis.confirm!),
    },
    propose: timed('propose_ms', inProcessPropose),
    now: () => new Date().toISOString(),
  };
}

export function emptyTimings(): BenchTimings {
  return { generate_ms: 0, embed_ms: 0, propose_ms: 0, analysis_ms: 0, images: 0 };
}
