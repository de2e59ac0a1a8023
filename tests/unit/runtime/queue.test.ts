import { describe, expect, it } from 'vitest';
import { abortable } from '../../../src/runtime/bridge/abortable';
import { AbortError } from '../../../src/runtime/bridge/errors';
import { SerialQueue } from '../../../src/runtime/bridge/serialQueue';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SerialQueue', () => {
  it('runs tasks one at a time in push order, past a failure', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const task = (label: string, ms: number, fail = false) => async () => {
      log.push(`start ${label}`);
      await sleep(ms);
      log.push(`end ${label}`);
      if (fail) throw new Error(label);
      return label;
    };
    const results = await Promise.allSettled([queue.push(task('a', 30)), queue.push(task('b', 1, true)), queue.push(task('c', 10))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });
});

describe('abortable', () => {
  it('rejects as soon as the signal aborts, and follows the work otherwise', async () => {
    const controller = new AbortController();
    const slow = sleep(1000).then(() => 'late');
    const racing = abortable(slow, controller.signal, () => new AbortError('work'));
    controller.abort();
    await expect(racing).rejects.toMatchObject({ name: 'AbortError', message: 'work cancelled' });
    await expect(abortable(Promise.resolve(1), new AbortController().signal, () => new AbortError())).resolves.toBe(1);
    await expect(abortable(Promise.resolve(1), AbortSignal.abort(), () => new AbortError())).rejects.toBeInstanceOf(AbortError);
  });
});
