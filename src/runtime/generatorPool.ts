import * as Comlink from 'comlink';
import { CancelledError, newJobId, type ProgressCallback } from './lib/jobs';
import type { DecodeOutcome, GenerateOptions, GeneratedImage, GenerationJob, GeneratorWorkerApi, RgbaImage } from './generate/types';

export type { DecodeOutcome, GeneratedImage, GenerationJob, RgbaImage };

interface PoolWorker {
  worker: Worker;
  api: Comlink.Remote<GeneratorWorkerApi>;
}

/** Jobs per message: small enough for smooth progress and prompt cancel, large enough to amortise messaging. */
const CHUNK_SIZE = 4;

/** Workers in the pool: one per core, at most 4 (painting is cheap; more workers only cost memory). */
export function defaultPoolSize(): number {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 2 : 2;
  return Math.max(1, Math.min(4, cores));
}

/**
 * A pool of generator workers behind one interface. Workers start lazily on first use; every worker holds
 * every registered base chip (they are re-registered if the pool restarts); a batch is split into chunks
 * handed to whichever worker is free, and results come back in job order.
 */
export class GeneratorPool {
  private workers: PoolWorker[] = [];
  private readonly chips = new Map<string, ArrayBuffer>();
  private started: Promise<PoolWorker[]> | null = null;

  constructor(readonly size = defaultPoolSize()) {}

  private start(): Promise<PoolWorker[]> {
    this.started ??= (async () => {
      this.workers = Array.from({ length: this.size }, () => {
        const worker = new Worker(new URL('./generate.worker.ts', import.meta.url), { type: 'module', name: 'generator' });
        return { worker, api: Comlink.wrap<GeneratorWorkerApi>(worker) };
      });
      await Promise.all(this.workers.flatMap((w) => [...this.chips].map(([id, bytes]) => w.api.registerChip(id, bytes.slice(0)))));
      return this.workers;
    })();
    return this.started;
  }

  /** Validates and decodes files (one worker); reports a reason per bad file. */
  async inspectImages(files: Array<{ name: string; bytes: ArrayBuffer }>): Promise<DecodeOutcome[]> {
    const [first] = await this.start();
    return first.api.inspectImages(files);
  }

  /** Decodes an image to RGBA (for embedding real images). */
  async decodeToRgba(name: string, bytes: ArrayBuffer): Promise<RgbaImage> {
    const [first] = await this.start();
    return first.api.decodeToRgba(name, bytes.slice(0));
  }

  /** RGBA → PNG blob. */
  async encodePng(image: RgbaImage): Promise<Blob> {
    const [first] = await this.start();
    return first.api.encodePng(image);
  }

  /** Makes `chips` exactly the registered set (new ones decoded on every worker, missing ones dropped). */
  async setChips(chips: ReadonlyArray<{ id: string; bytes: ArrayBuffer }>): Promise<Map<string, { width: number; height: number }>> {
    const workers = await this.start();
    const wanted = new Set(chips.map((c) => c.id));
    for (const id of [...this.chips.keys()]) {
      if (!wanted.has(id)) {
        this.chips.delete(id);
        workers.forEach((w) => w.api.unregisterChip(id));
      }
    }
    const sizes = new Map<string, { width: number; height: number }>();
    for (const chip of chips) {
      this.chips.set(chip.id, chip.bytes);
      const results = await Promise.all(workers.map((w) => w.api.registerChip(chip.id, chip.bytes.slice(0))));
      sizes.set(chip.id, results[0]);
    }
    return sizes;
  }

  /**
   * Generates one image per job, results in job order. `signal` cancels: workers stop after their current
   * image and the promise rejects with CancelledError.
   */
  async generate(
    jobs: readonly GenerationJob[],
    options: { encodePng?: boolean; onProgress?: ProgressCallback; signal?: AbortSignal; timestamp?: string } = {},
  ): Promise<GeneratedImage[]> {
    const workers = await this.start();
    const jobId = newJobId();
    const results: GeneratedImage[] = new Array(jobs.length);
    const chunks: Array<{ start: number; jobs: GenerationJob[] }> = [];
    for (let s = 0; s < jobs.length; s += CHUNK_SIZE) chunks.push({ start: s, jobs: jobs.slice(s, s + CHUNK_SIZE) });
    let done = 0;
    let next = 0;
    const onAbort = () => workers.forEach((w) => w.api.cancel(jobId));
    options.signal?.addEventListener('abort', onAbort);
    const workerOptions: GenerateOptions = { encodePng: options.encodePng ?? false, jobId, timestamp: options.timestamp ?? new Date().toISOString() };
    try {
      await Promise.all(
        workers.map(async (w) => {
          while (next < chunks.length) {
            if (options.signal?.aborted) throw new CancelledError('generation');
            const chunk = chunks[next++];
            const images = await w.api.generate(chunk.jobs, workerOptions);
            images.forEach((image, i) => (results[chunk.start + i] = image));
            done += images.length;
            options.onProgress?.({ done, total: jobs.length, stage: 'generate' });
          }
        }),
      );
    } catch (e) {
      if (options.signal?.aborted) throw new CancelledError('generation');
      throw e;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    return results;
  }

  /** Stops every worker; the next call starts fresh ones and re-registers the chips. */
  terminate(): void {
    this.workers.forEach((w) => {
      w.api[Comlink.releaseProxy]();
      w.worker.terminate();
    });
    this.workers = [];
    this.started = null;
  }
}
