import { afterEach, describe, expect, it } from 'vitest';
import { AbortError, isAbortError, isWorkerLostError, WorkerLostError } from '../../../src/runtime/bridge/errors';
import { createWorkerBridge, type WorkerBridge, type WorkerBridgeOptions } from '../../../src/runtime/bridge/workerBridge';
import { exposeWorker } from '../../../src/runtime/bridge/workerJobs';
import { CancelledError, cancelledError } from '../../../src/runtime/lib/jobs';
import { createBridgeTestApi, type BridgeTestApi } from '../../browser/pages/bridgeTestApi';

/**
 * The bridge in Node: a "worker" here is the test API exposed on one end of a MessageChannel, so the
 * messages are real comlink messages; tests/browser/bridge.test.ts runs the same API in a real worker.
 */
function fakeWorker(): Worker {
  const { port1, port2 } = new MessageChannel();
  exposeWorker(createBridgeTestApi(), port2);
  return Object.assign(port1, {
    terminate() {
      port1.close();
      port2.close();
    },
  }) as unknown as Worker;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const bridges: WorkerBridge<BridgeTestApi>[] = [];
let created = 0;
/** The workers `bridge()` created, latest last. */
const workers: Worker[] = [];
function bridge(options: Partial<WorkerBridgeOptions<BridgeTestApi>> = {}): WorkerBridge<BridgeTestApi> {
  const b = createWorkerBridge<BridgeTestApi>({
    name: 'test',
    createWorker: () => {
      created++;
      const worker = fakeWorker();
      workers.push(worker);
      return worker;
    },
    idleTimeoutMs: false,
    ...options,
  });
  bridges.push(b);
  return b;
}
afterEach(() => bridges.splice(0).forEach((b) => b.terminate()));

describe('worker bridge over a MessageChannel', () => {
  it('starts lazily and queues calls in order', async () => {
    const before = created;
    const b = bridge();
    expect(created - before).toBe(0);
    const order: string[] = [];
    await Promise.all([b.call((r) => r.step('a', 40)), b.call((r) => r.step('b', 1))].map((p) => p.then((label) => order.push(label))));
    expect(created - before).toBe(1);
    expect(order).toEqual(['a', 'b']);
    expect(await b.call((r) => r.log())).toEqual(['start a', 'end a', 'start b', 'end b']);
  });

  it('aborts a running job with AbortError, stops it in the worker and keeps serving', async () => {
    const b = bridge();
    const controller = new AbortController();
    const call = b.call((r, job) => r.count(10_000, 1, job.id, job.onProgress), {
      signal: controller.signal,
      what: 'counting',
      onProgress: (p) => p.done === 2 && controller.abort(),
    });
    await expect(call).rejects.toBeInstanceOf(AbortError);
    await expect(call).rejects.toThrow('counting cancelled');
    expect(await b.call((r, job) => r.count(1, 0, job.id))).toBe(1);
    const log = await b.call((r) => r.log());
    expect(log.some((line) => / aborted after \d+$/.test(line))).toBe(true);
  });

  it('rejects with the error the client asks for (CancelledError)', async () => {
    const b = bridge({ abortError: cancelledError });
    const controller = new AbortController();
    const call = b.call((r, job) => r.count(10_000, 1, job.id), { signal: controller.signal, what: 'generation' });
    setTimeout(() => controller.abort(), 20);
    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CancelledError);
    expect(isAbortError(error)).toBe(true);
    expect((error as Error).message).toBe('generation cancelled');
  });

  it('terminates when idle, restarts on the next call and re-runs onStart', async () => {
    let starts = 0;
    const b = bridge({ idleTimeoutMs: 50, onStart: async (r) => void (await r.setState(`start ${++starts}`)) });
    const first = await b.call((r) => r.instance());
    expect(await b.call((r) => r.state())).toBe('start 1');
    await sleep(150);
    expect(b.running).toBe(false);
    expect(await b.call((r) => r.instance())).not.toBe(first);
    expect(await b.call((r) => r.state())).toBe('start 2');
  });

  it('rejects calls in flight and queued when terminated', async () => {
    const b = bridge();
    const running = b.call((r) => r.step('long', 10_000));
    const queued = b.call((r) => r.step('after', 0));
    await sleep(20);
    b.terminate();
    await expect(running).rejects.toBeInstanceOf(AbortError);
    await expect(queued).rejects.toBeInstanceOf(AbortError);
    expect(await b.call((r) => r.log())).toEqual([]); // a fresh worker
  });

  it('passes worker errors through unchanged', async () => {
    const b = bridge();
    const error = await b.call((r) => r.fail('boom')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('boom');
    expect(isAbortError(error)).toBe(false);
    expect(await b.call((r) => r.step('still here', 0))).toBe('still here');
  });

  it('drops a worker that dies (an error event) under a call: the call rejects naming the worker and the work, the next call gets a fresh worker', async () => {
    let starts = 0;
    const b = bridge({ onStart: async (remote) => remote.setState(`start ${++starts}`) });
    const first = await b.call((r) => r.instance());
    const inFlight = b.call((r) => r.step('cut short', 10_000), { what: 'scoring' });
    const queued = b.call((r) => r.instance());
    await sleep(20);
    workers.at(-1)!.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message: 'Uncaught RangeError: out of memory' }));
    const error = await inFlight.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerLostError);
    expect(isWorkerLostError(error)).toBe(true);
    expect(isAbortError(error)).toBe(false);
    expect((error as Error).message).toBe('The test worker stopped unexpectedly during scoring (Uncaught RangeError: out of memory).');
    // The call queued behind it runs on a fresh worker whose state was rebuilt.
    expect(await queued).not.toBe(first);
    expect(await b.call((r) => r.state())).toBe('start 2');
  });

  it('drops a worker whose onStart fails and tries a fresh one for the next call', async () => {
    let starts = 0;
    const b = bridge({
      onStart: async () => {
        if (++starts === 1) throw new Error('state could not be rebuilt');
      },
    });
    const first = b.call((r) => r.instance());
    const queued = b.call((r) => r.instance());
    await expect(first).rejects.toThrow('state could not be rebuilt');
    await expect(queued).resolves.toMatch(/^[a-z0-9]+$/);
    expect(starts).toBe(2);
  });
});
