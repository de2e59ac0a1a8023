/** Harness for tests/browser/optimize.test.ts: puts the real optimize client on window. */
import { isCancelled } from '../../../src/runtime/lib/jobs';
import { createOptimizeClient } from '../../../src/runtime/optimizeClient';

const harness = { createOptimizeClient, isCancelled };
declare global {
  interface Window {
    optimizeHarness: typeof harness;
  }
}
window.optimizeHarness = harness;
document.body.dataset.ready = 'true';
