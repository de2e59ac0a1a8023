/**
 * Harness for tests/browser/analyze.test.ts: puts the real analyze client on window, with converters
 * between plain arrays (what page.evaluate carries) and the Matrix type.
 */
import type { Matrix } from '../../../src/engine/linalg/matrix';
import { createAnalyzeClient } from '../../../src/runtime/analyzeClient';

const toMatrix = (m: { rows: number; cols: number; data: number[] }): Matrix<Float32Array> => ({ rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) });

/** Typed arrays (results' per-sample distances) as plain arrays, recursively. */
function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

const harness = { createAnalyzeClient, toMatrix, plain };
declare global {
  interface Window {
    analyzeHarness: typeof harness;
  }
}
window.analyzeHarness = harness;
document.body.dataset.ready = 'true';
