/** Harness for tests/browser/bridge.test.ts: the bridge and a counted real test worker on window. */
import { AbortError, isAbortError, isWorkerLostError } from '../../../src/runtime/bridge/errors';
import { createWorkerBridge, type WorkerBridgeOptions } from '../../../src/runtime/bridge/workerBridge';
import type { BridgeTestApi } from './bridgeTestApi';

const harness = {
  /** Workers created so far by `bridge()`'s bridges. */
  created: 0,
  AbortError,
  isAbortError,
  isWorkerLostError,
  bridge(options: Partial<WorkerBridgeOptions<BridgeTestApi>> = {}) {
    return createWorkerBridge<BridgeTestApi>({
      name: 'test',
      createWorker: () => {
        harness.created++;
        return new Worker(new URL('./bridge.worker.ts', import.meta.url), { type: 'module', name: 'bridge-test' });
      },
      ...options,
    });
  },
};

declare global {
  interface Window {
    bridgeHarness: typeof harness;
  }
}
window.bridgeHarness = harness;
document.body.dataset.ready = 'true';
