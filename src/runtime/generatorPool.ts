import { createWorkerBridge, type WorkerBridge } from './bridge/workerBridge';
import { cancelledError, type ProgressCallback } from './lib/jobs';
import type { ExperimentConfig } from '../engine/config/experimentConfig';
import type { DomainJob } from '../engine/domain';
import type { PreprocessSpec } from '../embedders/preprocess';
import type { DecodeOutcome, GenerateOptions, GeneratorWorkerApi, HostedSample, RgbaImage } from './generate/types';

export type { DecodeOutcome, HostedSample, RgbaImage };

/** Jobs per message: small enough for smooth progress and prompt cancel, large enough to amortise messaging. */
const CHUNK_SIZE = 4;

/** Workers in the pool: one per core, at most 4 (painting is cheap; more workers only cost memory). */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, cores));
}

/** A pool worker idle this long is stopped; its chips are registered again when it restarts. */
const POOL_IDLE_TIMEOUT_MS = 60_000;

/**
 * A pool of generator workers behind one interface, one worker bridge each. Workers start lazily and
 * stop when idle; every worker holds every registered base chip (a worker that starts, or restarts,
 * registers them all before its first call); a batch is split into chunks handed to whichever worker is
 * free, and results come back in job order.
 */
export class GeneratorPool {
  private readonly workers: WorkerBridge<GeneratorWorkerApi>[];
  private readonly chips = new Map<string, ArrayBuffer>();
  /** Each registered chip's size, as its decode gave it. */
  private readonly sizes = new Map<string, { width: number; height: number }>();

  constructor(readonly size = defaultPoolSize()) {
    this.workers = Array.from({ length: size }, () =>
      createWorkerBridge<GeneratorWorkerApi>({
        name: 'generator',
        createWorker: () => new Worker(new URL('./generate.worker.ts', import.meta.url), { type: 'module', name: 'generator' }),
        idleTimeoutMs: POOL_IDLE_TIMEOUT_MS,
        onStart: async (remote) => {
          await Promise.all([...this.chips].map(([id, bytes]) => remote.registerChip(id, bytes.slice(0))));
        },
        abortError: cancelledError,
      }),
    );
  }

  /** Validates and decodes files (one worker); reports a reason per bad file. */
  inspectImages(files: Array<{ name: string; bytes: ArrayBuffer }>): Promise<DecodeOutcome[]> {
    return this.workers[0].call((remote) => remote.inspectImages(files));
  }

  /** Decodes an image to RGBA (for embedding real images). */
  decodeToRgba(name: string, bytes: ArrayBuffer): Promise<RgbaImage> {
    return this.workers[0].call((remote) => remote.decodeToRgba(name, bytes.slice(0)));
  }

  /** RGBA → PNG blob. */
  encodePng(image: RgbaImage): Promise<Blob> {
    return this.workers[0].call((remote) => remote.encodePng(image));
  }

  /**
   * Makes `chips` exactly the registered set: new or changed ones decoded on every worker, missing ones
   * dropped, and one already registered with the same bytes left as it is (every run of an experiment
   * sets its chips again; decoding them again on every worker cost a Step a few hundred milliseconds).
   */
  async setChips(chips: ReadonlyArray<{ id: string; bytes: ArrayBuffer }>): Promise<Map<string, { width: number; height: number }>> {
    // Started before the set changes, so a fresh worker's onStart does not decode the new chips twice.
    await Promise.all(this.workers.map((w) => w.start()));
    const wanted = new Set(chips.map((c) => c.id));
    for (const id of [...this.chips.keys()]) {
      if (!wanted.has(id)) {
        this.chips.delete(id);
        this.sizes.delete(id);
        this.workers.forEach((w) => void w.call((remote) => remote.unregisterChip(id)).catch(() => undefined));
      }
    }
    const sizes = new Map<string, { width: number; height: number }>();
    for (const chip of chips) {
      const registered = this.chips.get(chip.id);
      const size = this.sizes.get(chip.id);
      if (registered && size && sameBytes(registered, chip.bytes)) {
        sizes.set(chip.id, size);
        continue;
      }
      this.chips.set(chip.id, chip.bytes);
      this.sizes.delete(chip.id);
      const results = await Promise.all(this.workers.map((w) => w.call((remote) => remote.registerChip(chip.id, chip.bytes.slice(0)))));
      this.sizes.set(chip.id, results[0]);
      sizes.set(chip.id, results[0]);
    }
    return sizes;
  }

  /**
   * Makes one sample per job with the domain's generator, results in job order. `signal` cancels:
   * workers stop after their current sample and the promise rejects with CancelledError.
   */
  async generate(
    domainId: string,
    jobs: readonly DomainJob[],
    options: { config?: ExperimentConfig; encodePng?: boolean; prepareFor?: PreprocessSpec; onProgress?: ProgressCallback; signal?: AbortSignal; timestamp?: string } = {},
  ): Promise<HostedSample[]> {
    const { signal } = options;
    if (signal?.aborted) throw cancelledError('generation');
    const results: HostedSample[] = new Array(jobs.length);
    const chunks: Array<{ start: number; jobs: DomainJob[] }> = [];
    for (let s = 0; s < jobs.length; s += CHUNK_SIZE) chunks.push({ start: s, jobs: jobs.slice(s, s + CHUNK_SIZE) });
    let done = 0;
    let next = 0;
    const timestamp = options.timestamp ?? new Date().toISOString();
    const encodePng = options.encodePng ?? false;
    await Promise.all(
      this.workers.map(async (w) => {
        while (next < chunks.length) {
          const chunk = chunks[next++];
          const images = await w.call(
            (remote, job) => remote.generate(domainId, chunk.jobs, { encodePng, jobId: job.id, timestamp, ...(options.config ? { config: options.config } : {}), ...(options.prepareFor ? { prepareFor: options.prepareFor } : {}) } satisfies GenerateOptions),
            { signal, what: 'generation' },
          );
          images.forEach((image, i) => (results[chunk.start + i] = image));
          done += images.length;
          options.onProgress?.({ done, total: jobs.length, stage: 'generate' });
        }
      }),
    );
    return results;
  }

  /** Stops every worker; the next call starts fresh ones, which register the chips again. */
  terminate(): void {
    this.workers.forEach((w) => w.terminate());
  }
}

function sameBytes(a: ArrayBuffer, b: ArrayBuffer): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a);
  const y = new Uint8Array(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
