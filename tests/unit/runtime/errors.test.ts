import { describe, expect, it } from 'vitest';
import { AbortError, isAbortError } from '../../../src/runtime/bridge/errors';
import { CancelledError, isCancelled } from '../../../src/runtime/lib/jobs';

describe('cancellation errors', () => {
  it('recognises AbortError and CancelledError by class and, after comlink, by name', () => {
    const crossed = Object.assign(new Error('scoring cancelled'), { name: 'AbortError' }); // what comlink rebuilds
    const legacy = Object.assign(new Error('generation cancelled'), { name: 'CancelledError' });
    for (const e of [new AbortError('scoring'), new CancelledError('export'), crossed, legacy, new DOMException('stopped', 'AbortError')]) {
      expect(isAbortError(e)).toBe(true);
      expect(isCancelled(e)).toBe(true);
    }
  });

  it('never goes by the message', () => {
    for (const e of [new Error('run cancelled'), new Error('AbortError'), 'AbortError', null, undefined, { message: 'cancelled' }]) {
      expect(isAbortError(e)).toBe(false);
      expect(isCancelled(e)).toBe(false);
    }
  });

  it('keeps CancelledError a kind of AbortError with its own name and the old message', () => {
    const e = new CancelledError('embedding');
    expect(e).toBeInstanceOf(AbortError);
    expect(e.name).toBe('CancelledError');
    expect(e.message).toBe('embedding cancelled');
    expect(new AbortError('proposal')).toMatchObject({ name: 'AbortError', message: 'proposal cancelled' });
  });
});
