/**
 * A typed handle on one comlink worker: started on the first call, calls queued one at a time,
 * AbortSignal cancellation, progress callbacks, and termination after a while idle.
 *
 *   const bridge = createWorkerBridge<AnalyzeWorkerApi>({
 *     name: 'analyze',
 *     createWorker: () => new Worker(new URL('./analyze.worker.ts', import.meta.url), { type: 'module' }),
 *   });
 *   const scores = await bridge.call(
 *     (remote, job) => remote.scoreIteration(real, synthetic, config, job.id, job.onProgress),
 *     { signal, onProgress, what: 'scoring' },
 *   );
 *
 * Aborting the signal rejects the call at once with AbortError (or what `abortError` builds) and sends
 * `cancelJob(job.id)` to the worker, whose `runJob` checkpoint stops the work; the next queued call
 * starts only once the worker has actually stopped, so the worker keeps its state and serves it.
 *
 * A worker that dies (an `error` event: an uncaught error outside any call) is dropped: the calls on it
 * reject with WorkerLostError naming the worker and the work, and the next call starts a fresh worker
 * (its onStart rebuilds the state). Retrying is the caller's decision: only it knows whether the work
 * can be sent again (transferred buffers cannot).
 */
import * as Comlink from 'comlink';
import { abortable } from './abortable';
import { AbortError, isAbortError, WorkerLostError } from './errors';
import { IdleTimer } from './idleTimer';
import type { JobControl, Progress, ProgressCallback } from './protocol';
import { SerialQueue } from './serialQueue';

/** How long a worker that keeps no state may sit idle before it is terminated. */
export const DEFAULT_IDLE_TIMEOUT_MS = 10_000;

export type RemoteApi<Api> = Comlink.Remote<Api & JobControl>;

export interface WorkerBridgeOptions<Api> {
  /** Names the worker; also the default `what` of an AbortError's message. */
  name: string;
  createWorker(): Worker;
  /**
   * Terminates the worker after this many milliseconds with no call pending or queued (the next call
   * starts a fresh one). `false` keeps it until `terminate()`: for a worker whose state cannot cheaply
   * be rebuilt. Default DEFAULT_IDLE_TIMEOUT_MS.
   */
  idleTimeoutMs?: number | false;
  /** Runs on every fresh worker before any call: rebuilds the state a restarted worker has lost. */
  onStart?(remote: RemoteApi<Api>): Promise<void>;
  /** Builds the error a cancelled call rejects with (a client may keep an older subclass). Default AbortError. */
  abortError?(what: string): Error;
}

export interface CallOptions<P = Progress> {
  signal?: AbortSignal;
  /** Handed to the worker as `job.onProgress` (a Comlink.proxy); silent once the signal has aborted. */
  onProgress?: (progress: P) => void;
  /** Names the work in the AbortError's message ("scoring cancelled"); default the bridge's name. */
  what?: string;
  /**
   * false: run at once, beside whatever the worker is doing (quick reads, or a call meant to interrupt
   * a running one). Default true: wait for the calls before it.
   */
  queue?: boolean;
}

/** What a call's function receives besides the remote: the job id and the proxied progress callback. */
export interface BridgeJob<P = Progress> {
  readonly id: number;
  readonly onProgress?: ProgressCallback<P>;
}

export interface WorkerBridge<Api> {
  /** Runs `run` against the worker (started if need be) as one job; see CallOptions. */
  call<R, P = Progress>(run: (remote: RemoteApi<Api>, job: BridgeJob<P>) => R, options?: CallOptions<P>): Promise<Awaited<R>>;
  /** Starts the worker (and its onStart) now rather than on the first call. */
  start(): Promise<void>;
  /** Keeps the worker from idle termination until the returned function is called (a multi-call session). */
  keepAlive(): () => void;
  /** True while a worker exists (started and not yet terminated). */
  readonly running: boolean;
  /** Workers started so far: a state loaded into worker number k is gone once this moves past k. */
  readonly starts: number;
  /** Terminates the worker now; calls in flight or queued reject with the abort error. A later call starts a fresh worker. */
  terminate(): void;
}

/** One started worker, from creation to termination. */
interface Lifetime<Api> {
  worker: Worker;
  remote: RemoteApi<Api>;
  /** Resolves once onStart has run. */
  ready: Promise<void>;
  /** Rejects when the worker is terminated or dies: a worker call in flight would otherwise never settle. */
  stopped: Promise<never>;
  stop(reason?: Lost): void;
}

class Terminated extends Error {}

/** The worker died; `reason` is what its error event said. */
class Lost extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

export function createWorkerBridge<Api>(options: WorkerBridgeOptions<Api>): WorkerBridge<Api> {
  return new Bridge(options);
}

class Bridge<Api> implements WorkerBridge<Api> {
  private life: Lifetime<Api> | null = null;
  private readonly queue = new SerialQueue();
  private readonly idle: IdleTimer | null;
  /** Calls pushed and not yet settled (queued or running). */
  private pending = 0;
  private holds = 0;
  /** Bumped by terminate(): calls queued before it must not start the next worker. */
  private generation = 0;
  private nextJobId = 1;
  private started = 0;

  constructor(private readonly options: WorkerBridgeOptions<Api>) {
    const ms = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.idle = ms === false ? null : new IdleTimer(ms, () => this.stopWorker());
  }

  get running(): boolean {
    return this.life !== null;
  }

  get starts(): number {
    return this.started;
  }

  call<R, P = Progress>(run: (remote: RemoteApi<Api>, job: BridgeJob<P>) => R, callOptions: CallOptions<P> = {}): Promise<Awaited<R>> {
    const what = callOptions.what ?? this.options.name;
    const abortError = () => this.abortError(what);
    if (callOptions.signal?.aborted) return Promise.reject(abortError());
    this.pending++;
    this.idle?.disarm();
    const generation = this.generation;
    const task = () => this.dispatch(run, callOptions, what, generation);
    const work = callOptions.queue === false ? task() : this.queue.push(task);
    work
      .finally(() => {
        this.pending--;
        this.armIdle();
      })
      .catch(() => undefined);
    return abortable(work, callOptions.signal, abortError);
  }

  async start(): Promise<void> {
    await this.call(() => undefined, { queue: false });
  }

  keepAlive(): () => void {
    this.holds++;
    this.idle?.disarm();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.armIdle();
    };
  }

  terminate(): void {
    this.generation++;
    this.stopWorker();
  }

  /** Stops the current worker; unlike terminate(), calls already queued go on (on a fresh worker). */
  private stopWorker(): void {
    this.idle?.disarm();
    const life = this.life;
    this.life = null;
    life?.stop();
  }

  private abortError(what: string): Error {
    return this.options.abortError?.(what) ?? new AbortError(what);
  }

  private armIdle(): void {
    if (this.pending === 0 && this.holds === 0 && this.life) this.idle?.arm();
  }

  private lifetime(): Lifetime<Api> {
    if (this.life) return this.life;
    const worker = this.options.createWorker();
    this.started++;
    const remote = Comlink.wrap<Api & JobControl>(worker);
    let reject!: (reason: Terminated) => void;
    const stopped = new Promise<never>((_, r) => (reject = r));
    stopped.catch(() => undefined);
    const life: Lifetime<Api> = {
      worker,
      remote,
      stopped,
      ready: Promise.resolve(),
      stop(reason) {
        remote[Comlink.releaseProxy]();
        worker.terminate();
        reject(reason ?? new Terminated());
      },
    };
    worker.addEventListener('error', (event: Event) => {
      // Handled here: the page's own error reporting would otherwise see it as an error of the page.
      event.preventDefault();
      if (this.life !== life) return;
      this.idle?.disarm();
      this.life = null;
      // A script that failed to load fires a plain Event: no message to pass on.
      life.stop(new Lost((event as ErrorEvent).message || 'it gave no reason: its script may have failed to load'));
    });
    if (this.options.onStart) {
      life.ready = Promise.race([this.options.onStart(remote), stopped]);
      // A worker whose state could not be rebuilt is dropped: the next call tries a fresh one.
      life.ready.catch(() => {
        if (this.life === life) this.stopWorker();
      });
    }
    this.life = life;
    return life;
  }

  private async dispatch<R, P>(
    run: (remote: RemoteApi<Api>, job: BridgeJob<P>) => R,
    { signal, onProgress }: CallOptions<P>,
    what: string,
    generation: number,
  ): Promise<Awaited<R>> {
    if (signal?.aborted || generation !== this.generation) throw this.abortError(what);
    const life = this.lifetime();
    const id = this.nextJobId++;
    // Progress comes over its own channel and may land after the result: only an abort silences it.
    const progress = onProgress
      ? Comlink.proxy((p: P) => {
          if (!signal?.aborted) onProgress(p);
        })
      : undefined;
    const cancel = () => {
      // A released remote throws: once the worker is gone there is nothing left to cancel.
      if (this.life === life) void life.remote.cancelJob(id).catch(() => undefined);
    };
    signal?.addEventListener('abort', cancel, { once: true });
    try {
      await life.ready;
      if (signal?.aborted || this.life !== life) throw this.abortError(what);
      return await Promise.race([run(life.remote, { id, onProgress: progress }), life.stopped]);
    } catch (error) {
      if (error instanceof Lost) throw new WorkerLostError(this.options.name, what, error.reason);
      if (error instanceof Terminated || isAbortError(error)) throw this.abortError(what);
      throw error;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  }
}
