import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openChromium, type ChromiumSession } from '../helpers/chromium';

/**
 * The worker bridge (src/runtime/bridge) with a real module worker in Chromium: lazy start, one call at
 * a time in call order, abort mid-call (AbortError at once, the worker stops at its next checkpoint and
 * serves the next call), progress, idle termination and restart, state re-established on a fresh worker.
 */
describe('worker bridge in Chromium', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
    await session.page.goto(`${inject('baseUrl')}/tests/browser/pages/bridge.html`);
    await session.page.locator('body[data-ready="true"]').waitFor();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('starts the worker on the first call, not before', async () => {
    const result = await session.page.evaluate(async () => {
      const h = window.bridgeHarness;
      const before = h.created;
      const bridge = h.bridge({ idleTimeoutMs: false });
      const createdByConstruction = h.created - before;
      const runningBefore = bridge.running;
      const instance = await bridge.call((remote) => remote.instance());
      const afterFirst = h.created - before;
      await bridge.call((remote) => remote.instance());
      const afterSecond = h.created - before;
      const runningAfter = bridge.running;
      bridge.terminate();
      return { createdByConstruction, runningBefore, instance, afterFirst, afterSecond, runningAfter, runningAfterTerminate: bridge.running };
    });
    expect(result).toMatchObject({ createdByConstruction: 0, runningBefore: false, afterFirst: 1, afterSecond: 1, runningAfter: true, runningAfterTerminate: false });
    expect(result.instance).toMatch(/^[a-z0-9]+$/);
  });

  it('runs queued calls one at a time in call order; an unqueued call runs beside them', async () => {
    const result = await session.page.evaluate(async () => {
      const bridge = window.bridgeHarness.bridge({ idleTimeoutMs: false });
      const settled: string[] = [];
      const calls = [
        bridge.call((remote) => remote.step('a', 120)),
        bridge.call((remote) => remote.step('b', 10)),
        bridge.call((remote) => remote.step('c', 40)),
      ].map((p) => p.then((label) => settled.push(label)));
      const quick = bridge.call((remote) => remote.instance(), { queue: false }).then(() => settled.push('unqueued'));
      await Promise.all([...calls, quick]);
      const log = await bridge.call((remote) => remote.log());
      bridge.terminate();
      return { settled, log };
    });
    expect(result.log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(result.settled).toEqual(['unqueued', 'a', 'b', 'c']);
  });

  it('an abort mid-call rejects with AbortError at once; the worker stops and serves the next call', async () => {
    const result = await session.page.evaluate(async () => {
      const h = window.bridgeHarness;
      const before = h.created;
      const bridge = h.bridge({ idleTimeoutMs: false });
      const instance = await bridge.call((remote) => remote.instance());
      const controller = new AbortController();
      const progress: number[] = [];
      const started = performance.now();
      const outcome = await bridge
        .call((remote, job) => remote.count(1000, 5, job.id, job.onProgress), {
          signal: controller.signal,
          what: 'counting',
          onProgress: (p) => {
            progress.push(p.done);
            if (p.done === 3) controller.abort();
          },
        })
        .then(
          (n) => ({ resolved: n, name: '', message: '', isAbortError: false, instanceOf: false }),
          (e: Error) => ({ resolved: null, name: e.name, message: e.message, isAbortError: h.isAbortError(e), instanceOf: e instanceof h.AbortError }),
        );
      const abortMs = performance.now() - started;
      // Queued behind the cancelled job: runs once the worker has stopped it.
      const next = await bridge.call((remote, job) => remote.count(2, 1, job.id));
      const sameInstance = (await bridge.call((remote) => remote.instance())) === instance;
      const log = await bridge.call((remote) => remote.log());
      const progressAfterAbort = progress.filter((d) => d > 3).length;
      bridge.terminate();
      return { outcome, abortMs, next, sameInstance, log, progressAfterAbort, created: h.created - before };
    });
    expect(result.outcome).toEqual({ resolved: null, name: 'AbortError', message: 'counting cancelled', isAbortError: true, instanceOf: true });
    expect(result.abortMs).toBeLessThan(2000); // the whole count would take at least 5 s
    expect(result.next).toBe(2);
    expect(result.sameInstance).toBe(true);
    expect(result.created).toBe(1);
    expect(result.progressAfterAbort).toBe(0);
    const aborted = result.log.find((line) => / aborted after \d+$/.test(line));
    expect(aborted, result.log.join('\n')).toBeDefined();
    expect(Number(aborted!.split(' ').at(-1))).toBeLessThan(50);
    expect(result.log.at(-1)).toMatch(/^count \d+ done$/);
  });

  it('rejects a call aborted while queued without running it, and one aborted before the call at once', async () => {
    const result = await session.page.evaluate(async () => {
      const h = window.bridgeHarness;
      const before = h.created;
      const bridge = h.bridge({ idleTimeoutMs: false });
      const early = new AbortController();
      early.abort();
      const preAborted = await bridge.call((remote) => remote.step('never', 0), { signal: early.signal }).then(
        () => 'resolved',
        (e: Error) => e.name,
      );
      const createdAfterPreAborted = h.created - before;
      const first = bridge.call((remote) => remote.step('first', 100));
      const controller = new AbortController();
      const queued = bridge.call((remote) => remote.step('queued', 0), { signal: controller.signal }).then(
        () => 'resolved',
        (e: Error) => e.name,
      );
      controller.abort();
      const queuedOutcome = await queued;
      await first;
      const log = await bridge.call((remote) => remote.log());
      bridge.terminate();
      return { preAborted, createdAfterPreAborted, queuedOutcome, log };
    });
    expect(result.preAborted).toBe('AbortError');
    expect(result.createdAfterPreAborted).toBe(0);
    expect(result.queuedOutcome).toBe('AbortError');
    expect(result.log).toEqual(['start first', 'end first']);
  });

  it('delivers progress in order through the callback', async () => {
    const progress = await session.page.evaluate(async () => {
      const bridge = window.bridgeHarness.bridge({ idleTimeoutMs: false });
      const seen: string[] = [];
      const n = await bridge.call((remote, job) => remote.count(6, 2, job.id, job.onProgress), { onProgress: (p) => seen.push(`${p.stage}:${p.done}/${p.total}`) });
      // Progress travels on its own channel: give the last message a moment to land.
      await new Promise((resolve) => setTimeout(resolve, 50));
      bridge.terminate();
      return { n, seen };
    });
    expect(progress.n).toBe(6);
    expect(progress.seen).toEqual([1, 2, 3, 4, 5, 6].map((d) => `count:${d}/6`));
  });

  it('terminates an idle worker after the timeout, and the next call starts a fresh one', async () => {
    const result = await session.page.evaluate(async () => {
      const h = window.bridgeHarness;
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const before = h.created;
      const bridge = h.bridge({ idleTimeoutMs: 300 });
      const first = await bridge.call((remote) => remote.instance());
      // A call in flight longer than the timeout does not count as idle.
      await bridge.call((remote) => remote.step('long', 500));
      const runningAfterLongCall = bridge.running;
      await sleep(100);
      const runningSoonAfter = bridge.running;
      await sleep(500);
      const runningLater = bridge.running;
      const second = await bridge.call((remote) => remote.instance());
      // keepAlive holds the worker past the timeout until released.
      const release = bridge.keepAlive();
      await sleep(500);
      const runningWhileHeld = bridge.running;
      release();
      await sleep(500);
      const runningAfterRelease = bridge.running;
      bridge.terminate();
      return { first, second, runningAfterLongCall, runningSoonAfter, runningLater, runningWhileHeld, runningAfterRelease, created: h.created - before };
    });
    expect(result).toMatchObject({ runningAfterLongCall: true, runningSoonAfter: true, runningLater: false, runningWhileHeld: true, runningAfterRelease: false, created: 2 });
    expect(result.second).not.toBe(result.first);
  });

  it('re-establishes state on every fresh worker (onStart), and terminate() rejects a call in flight', async () => {
    const result = await session.page.evaluate(async () => {
      const h = window.bridgeHarness;
      let starts = 0;
      const bridge = h.bridge({
        idleTimeoutMs: false,
        onStart: async (remote) => {
          starts++;
          await remote.setState(`restored ${starts}`);
        },
      });
      const firstState = await bridge.call((remote) => remote.state());
      const inFlight = bridge.call((remote) => remote.step('cut short', 10_000)).then(
        () => 'resolved',
        (e: Error) => `${e.name}: ${h.isAbortError(e)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      bridge.terminate();
      const inFlightOutcome = await inFlight;
      const secondState = await bridge.call((remote) => remote.state());
      bridge.terminate();
      return { firstState, secondState, inFlightOutcome, starts };
    });
    expect(result).toEqual({ firstState: 'restored 1', secondState: 'restored 2', inFlightOutcome: 'AbortError: true', starts: 2 });
  });

  it('a worker that dies (an uncaught error) fails the call in flight with WorkerLostError, and the next call gets a fresh worker with its state', async () => {
    const result = await session.page.evaluate(async () => {
      const h = window.bridgeHarness;
      let starts = 0;
      const bridge = h.bridge({ idleTimeoutMs: false, onStart: async (remote) => remote.setState(`start ${++starts}`) });
      const first = await bridge.call((remote) => remote.instance());
      const inFlight = bridge.call((remote) => remote.step('cut short', 10_000), { what: 'scoring' }).then(
        () => 'resolved',
        (e: Error) => `${h.isWorkerLostError(e)}: ${e.message}`,
      );
      await bridge.call((remote) => remote.crashSoon(20), { queue: false });
      const outcome = await inFlight;
      const second = await bridge.call((remote) => remote.instance());
      const state = await bridge.call((remote) => remote.state());
      bridge.terminate();
      return { outcome, restarted: second !== first, state, starts };
    });
    expect(result.outcome).toMatch(/^true: The test worker stopped unexpectedly during scoring \(.*crashed on purpose\)\.$/);
    expect(result).toMatchObject({ restarted: true, state: 'start 2', starts: 2 });
  });
});
