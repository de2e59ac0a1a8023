import type { Matrix } from './matrix';
import { innerProductsWasmHex } from './wasm/innerProductsModule';

/**
 * Inner products between rows, the one O(n·m·D) kernel under every distance-based metric, the slice
 * projections and the PCA transform.
 *
 * The products run in a small WebAssembly SIMD kernel (wasm/innerProducts.wat): two Float64 lanes at a
 * time, 2 × 2 row tiles. Measured here (Node 20, 316-row Gram matrix at D = 768) it is ~3× the 4 × 4
 * tiled JavaScript loop it replaces, which V8 cannot vectorise — and the metric suite spends most of its
 * time here (bench/metrics.ts). WebAssembly SIMD is part of the JavaScript engine in every runtime we
 * target (Chromium ≥ 91 and its workers, Node ≥ 16.4), so core stays free of DOM, workers and Node APIs.
 *
 * Arithmetic: Float64 throughout (a Float32 × Float32 product is exact in Float64). The order of every
 * sum is fixed: x·y = Σ_{t even} x_t·y_t + Σ_{t odd} x_t·y_t, each partial sum left to right — the
 * kernel's two lanes. `squaredNorms` sums in the same order, so for identical rows x·y == ‖x‖² == ‖y‖²
 * exactly and ‖x‖² + ‖y‖² − 2x·y is exactly 0: a duplicated sample is at distance 0, not 1e-8.
 */

/** The exported function of the kernel; sizes are row counts, offsets are bytes into its memory. */
type Products = (x: number, n: number, y: number, m: number, d: number, out: number, upper: number) => void;

interface Kernel {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  products: Products;
}

/** The subset of the engine's WebAssembly API we use (the ES library typings do not declare it). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: object) => { exports: Record<string, unknown> };
}

let kernel: Kernel | undefined;

function loadKernel(): Kernel {
  if (kernel) return kernel;
  const api = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
  if (!api) throw new Error('inner products: this JavaScript engine has no WebAssembly (needed for the metric kernels)');
  const bytes = new Uint8Array(innerProductsWasmHex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(innerProductsWasmHex.slice(2 * i, 2 * i + 2), 16);
  let exports: Record<string, unknown>;
  try {
    exports = new api.Instance(new api.Module(bytes)).exports;
  } catch (error) {
    throw new Error(`inner products: the engine rejected the WebAssembly SIMD kernel (${String(error)})`);
  }
  kernel = { memory: exports.memory as Kernel['memory'], products: exports.products as Products };
  return kernel;
}

/** A Float64 view of the first `values` slots of the kernel's memory, grown when needed. */
function kernelHeap(k: Kernel, values: number): Float64Array {
  const bytes = values * 8;
  const missing = bytes - k.memory.buffer.byteLength;
  if (missing > 0) k.memory.grow(Math.ceil(missing / 65536));
  return new Float64Array(k.memory.buffer, 0, values);
}

/**
 * Rows per block handed to the kernel: bounds its memory (two blocks of 1,024 rows at D = 768 plus the
 * 1,024² result: 21 MB), which a WebAssembly memory keeps for the life of the worker.
 */
const blockRows = 1024;

const even = (n: number) => n + (n & 1);

/** Copies `count` rows from `start` into heap[offset…] as Float64 rows of `width` values (zero-padded). */
function copyRows(heap: Float64Array, offset: number, source: Matrix, start: number, count: number, width: number, paddedCount: number): void {
  const d = source.cols;
  if (width === d) {
    heap.set(source.data.subarray(start * d, (start + count) * d), offset);
  } else {
    for (let i = 0; i < count; i++) {
      heap.set(source.data.subarray((start + i) * d, (start + i + 1) * d), offset + i * width);
      heap.fill(0, offset + i * width + d, offset + (i + 1) * width);
    }
  }
  heap.fill(0, offset + count * width, offset + paddedCount * width);
}

interface Block {
  matrix: Matrix;
  start: number;
  count: number;
}

interface Target {
  out: Float64Array;
  stride: number;
  /** Also write the transposed entry, and read only j ≥ i of a diagonal block (Gram matrices). */
  symmetric: boolean;
}

/** Writes a_i · b_j for every row pair of two blocks (the same block when `b` is null) into the target. */
function blockProducts(a: Block, b: Block | null, target: Target): void {
  const k = loadKernel();
  const d = a.matrix.cols;
  const width = even(d);
  const n = even(a.count);
  const m = b ? even(b.count) : n;
  const yOffset = n * width;
  const outOffset = yOffset + (b ? m * width : 0);
  const heap = kernelHeap(k, outOffset + n * m);
  copyRows(heap, 0, a.matrix, a.start, a.count, width, n);
  if (b) copyRows(heap, yOffset, b.matrix, b.start, b.count, width, m);
  k.products(0, n, b ? yOffset * 8 : 0, m, width, outOffset * 8, b ? 0 : 1);

  const { out, stride, symmetric } = target;
  const row0 = a.start;
  const col0 = b ? b.start : a.start;
  const cols = b ? b.count : a.count;
  for (let i = 0; i < a.count; i++) {
    const from = outOffset + i * m;
    for (let j = b ? 0 : i; j < cols; j++) {
      const s = heap[from + j];
      out[(row0 + i) * stride + col0 + j] = s;
      if (symmetric) out[(col0 + j) * stride + row0 + i] = s;
    }
  }
}

function blocks(m: Matrix): Block[] {
  const out: Block[] = [];
  for (let start = 0; start < m.rows; start += blockRows) out.push({ matrix: m, start, count: Math.min(blockRows, m.rows - start) });
  return out;
}

/** ‖x_i‖² for every row, summed in the kernel's order (even coordinates, odd coordinates, then both). */
export function squaredNorms(x: Matrix): Float64Array {
  const { rows, cols, data } = x;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let evenSum = 0;
    let oddSum = 0;
    let t = 0;
    for (; t + 1 < cols; t += 2) {
      evenSum += data[o + t] * data[o + t];
      oddSum += data[o + t + 1] * data[o + t + 1];
    }
    if (t < cols) evenSum += data[o + t] * data[o + t];
    out[i] = evenSum + oddSum;
  }
  return out;
}

/** G[i·n + j] = x_i · x_j for all i, j (symmetric n×n); computes the upper triangle and mirrors it. */
export function gramMatrix(x: Matrix): Float64Array {
  const n = x.rows;
  const out = new Float64Array(n * n);
  const parts = blocks(x);
  parts.forEach((a, i) => {
    blockProducts(a, null, { out, stride: n, symmetric: true });
    for (const b of parts.slice(i + 1)) blockProducts(a, b, { out, stride: n, symmetric: true });
  });
  return out;
}

/** C[i·m + j] = a_i · b_j (a: n×D, b: m×D). */
export function crossInnerProducts(a: Matrix, b: Matrix): Float64Array {
  if (a.cols !== b.cols) throw new Error(`crossInnerProducts: ${a.cols} vs ${b.cols} columns`);
  const out = new Float64Array(a.rows * b.rows);
  const right = blocks(b);
  for (const left of blocks(a)) for (const r of right) blockProducts(left, r, { out, stride: b.rows, symmetric: false });
  return out;
}
