import type { Matrix } from '../linalg/matrix';
import { assertFiniteMatrix, assertIntegerInRange } from '../linalg/validateMatrix';
import { createRng, hashSeed, type Rng } from '../random/rng';
import { base64ToFloat32, float32ToBase64 } from './float32Base64';

/**
 * UMAP under the fit-once rule. umap-js keeps its fitted state (k-NN graph, search trees, layout) in
 * private fields that cannot be serialised, so the persisted model stores what re-creates that state:
 * the fit data (Float32, base64), the parameters, the seed of every random draw, and the fitted 2-D
 * layout itself. Restoring refits with the same seeded stream (same k-NN graph and search trees), then
 * adopts the stored layout, so the map never moves; new points are placed against it.
 *
 * Why adopt rather than trust the refit: UMAP's layout optimisation amplifies last-bit differences.
 * Measured here, Node 20's V8 and Chromium's V8 refit the same seeded model to layouts up to 6.8 units
 * apart (Math.pow rounding), while the same engine reproduces it bit for bit. With the stored layout
 * adopted, the other engine places new points within ~1e-13 of where the fitting engine does (placing
 * against a fixed layout does not amplify); the restore reports how far its own refit drifted. An engine without adoptLayout must reproduce the layout or the restore fails.
 *
 * The engine may not import umap-js (a heavy library, owned by the analyze worker), so the engine is
 * passed in: `(params) => new UMAP(params)` satisfies UmapFactory.
 */
export interface UmapEngine {
  fit(data: number[][]): number[][];
  transform(data: number[][]): number[][];
  /** Replaces the fitted layout that transform() places new points against. */
  adoptLayout?(layout: number[][]): void;
}

export interface UmapEngineParams {
  nComponents: number;
  nNeighbors: number;
  minDist: number;
  spread: number;
  nEpochs: number;
  random: () => number;
}

export type UmapFactory = (params: UmapEngineParams) => UmapEngine;

export interface UmapSettings {
  nComponents: number;
  nNeighbors: number;
  minDist: number;
  spread: number;
  /** Optimisation epochs for the fit; new points get nEpochs/3 (umap-js's rule). */
  nEpochs: number;
  seed: number;
}

export interface UmapModel {
  kind: 'umap';
  version: 1;
  dim: number;
  fittedRows: number;
  settings: UmapSettings;
  /** The rows the map was fitted on, Float32 little-endian, base64. */
  fitData: string;
  /** The fitted layout of those rows (fittedRows × nComponents). */
  embedding: number[][];
}

export interface UmapOptions extends Partial<UmapSettings> {
  createUmap: UmapFactory;
}

const defaults: Omit<UmapSettings, 'nNeighbors'> = { nComponents: 2, minDist: 0.1, spread: 1, nEpochs: 300, seed: 0 };

export function fitUmap(embeddings: Matrix, options: UmapOptions): UmapModel {
  const fn = 'fitUmap';
  assertFiniteMatrix(fn, 'embeddings', embeddings);
  if (embeddings.rows < 4) throw new Error(`${fn}: argument \`embeddings\` has ${embeddings.rows} row(s); UMAP needs at least 4`);
  const settings: UmapSettings = {
    ...defaults,
    nNeighbors: Math.min(15, embeddings.rows - 1),
    ...stripUndefined(options),
  };
  assertIntegerInRange(fn, 'nNeighbors', settings.nNeighbors, 2, embeddings.rows - 1);
  assertIntegerInRange(fn, 'nComponents', settings.nComponents, 1, 3);
  // umap-js transforms new points for nEpochs/3 epochs and loops until the epoch counter equals it,
  // so a count that is not a multiple of 3 never stops.
  if (!Number.isInteger(settings.nEpochs) || settings.nEpochs < 3 || settings.nEpochs % 3 !== 0) {
    throw new Error(`${fn}: option \`nEpochs\` = ${settings.nEpochs} must be a positive multiple of 3`);
  }
  const data = Float32Array.from(embeddings.data);
  const fitted = runFit(data, embeddings.rows, embeddings.cols, settings, options.createUmap);
  return {
    kind: 'umap',
    version: 1,
    dim: embeddings.cols,
    fittedRows: embeddings.rows,
    settings,
    fitData: float32ToBase64(data),
    embedding: fitted.embedding,
  };
}

/** A UMAP model re-created in memory: transforms new points into the stored map. */
export interface RestoredUmap {
  transform(embeddings: Matrix): Matrix<Float64Array>;
  /** max |Δ| between this engine's refit and the stored layout (0 on the engine that fitted it). */
  refitDrift: number;
  /** True when the stored layout was adopted (always, for engines with adoptLayout). */
  adoptedStoredLayout: boolean;
}

/**
 * Refits from the stored data and seed, adopts the stored layout (or, for an engine without
 * adoptLayout, requires its refit to match within 1e-6 of the layout's extent), and returns the
 * transform.
 */
export function restoreUmap(model: UmapModel, createUmap: UmapFactory): RestoredUmap {
  const data = base64ToFloat32(model.fitData);
  if (data.length !== model.fittedRows * model.dim) {
    throw new Error(`restoreUmap: fitData holds ${data.length} values, expected ${model.fittedRows}×${model.dim}`);
  }
  const fitted = runFit(data, model.fittedRows, model.dim, model.settings, createUmap);
  let extent = 0;
  let worst = 0;
  model.embedding.forEach((point, i) =>
    point.forEach((v, c) => {
      extent = Math.max(extent, Math.abs(v));
      worst = Math.max(worst, Math.abs(v - fitted.embedding[i][c]));
    }),
  );
  const adopt = fitted.engine.adoptLayout;
  if (adopt) {
    adopt.call(fitted.engine, model.embedding.map((point) => [...point]));
  } else if (worst > 1e-6 * Math.max(extent, 1)) {
    throw new Error(`restoreUmap: the re-created UMAP differs from the stored map (max |Δ| = ${worst.toExponential(2)}) and this engine cannot adopt the stored layout`);
  }
  return {
    refitDrift: worst,
    adoptedStoredLayout: !!adopt,
    transform(embeddings) {
      assertFiniteMatrix('projectEmbeddings', 'embeddings', embeddings);
      if (embeddings.cols !== model.dim) {
        throw new Error(`projectEmbeddings: argument \`embeddings\` has ${embeddings.cols} columns but the UMAP model was fitted on ${model.dim}`);
      }
      const batch = Float32Array.from(embeddings.data);
      // Each batch gets its own stream seeded by its content: projecting the same rows always gives the
      // same coordinates, whatever was projected before (a reload included).
      fitted.rng.current = createRng(hashSeed(model.settings.seed, 'umap-transform', contentHash(batch)));
      let rows = toRows(batch, embeddings.rows, model.dim);
      // umap-js moves the fitted layout itself when the batch has exactly as many rows as the fit data
      // (it takes equal lengths to mean "optimising the fit"); one padding row keeps the map fixed.
      const padded = rows.length === model.fittedRows;
      if (padded) rows = [...rows, rows[0]];
      if (rows.length === 0) return { rows: 0, cols: model.settings.nComponents, data: new Float64Array(0) };
      const out = fitted.engine.transform(rows);
      const k = model.settings.nComponents;
      const result = new Float64Array(embeddings.rows * k);
      for (let i = 0; i < embeddings.rows; i++) for (let c = 0; c < k; c++) result[i * k + c] = out[i][c];
      return { rows: embeddings.rows, cols: k, data: result };
    },
  };
}

interface FittedEngine {
  engine: UmapEngine;
  embedding: number[][];
  /** The stream behind the engine's `random`; replaced before each transform. */
  rng: { current: Rng };
}

function runFit(data: Float32Array, rows: number, dim: number, settings: UmapSettings, createUmap: UmapFactory): FittedEngine {
  const rng = { current: createRng(hashSeed(settings.seed, 'umap-fit')) };
  const engine = createUmap({
    nComponents: settings.nComponents,
    nNeighbors: settings.nNeighbors,
    minDist: settings.minDist,
    spread: settings.spread,
    nEpochs: settings.nEpochs,
    random: () => rng.current.next(),
  });
  const embedding = engine.fit(toRows(data, rows, dim)).map((p) => Array.from(p));
  return { engine, embedding, rng };
}

function toRows(data: Float32Array, rows: number, dim: number): number[][] {
  return Array.from({ length: rows }, (_, i) => Array.from(data.subarray(i * dim, (i + 1) * dim)));
}

/** FNV-1a over the Float32 bit patterns. */
function contentHash(values: Float32Array): number {
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) {
    h ^= words[i];
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function stripUndefined(options: UmapOptions): Partial<UmapSettings> {
  const out: Partial<UmapSettings> = {};
  for (const key of ['nComponents', 'nNeighbors', 'minDist', 'spread', 'nEpochs', 'seed'] as const) {
    if (options[key] !== undefined) out[key] = options[key];
  }
  return out;
}
