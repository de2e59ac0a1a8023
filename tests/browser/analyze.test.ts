import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Matrix } from '../../src/engine/linalg/matrix';
import { vstack } from '../../src/engine/linalg/matrix';
import { createScoringContext, metricIds, scoreIteration, scoreParameterSet, scoringConfigFromIteration0 } from '../../src/engine/metrics';
import { createUmapEngine } from '../../src/runtime/analyze/umapEngine';
import { fitPca, projectPca, restoreUmap, type UmapModel } from '../../src/engine/projection';
import { confirm, type Confirmation } from '../../src/engine/trust/confirmation';
import { distributionRecipe, type DistributionRecipe } from '../../src/engine/trust/recipe';
import { openChromium, type ChromiumSession } from '../helpers/chromium';
import { readNpy } from '../unit/metrics/fixtures';

/**
 * The analyze worker in real Chromium computes what core computes in Node: same config, same scores,
 * same floors, same map (to 1e-12 relative: Chromium's and Node's V8 may round Math.exp differently in
 * the last bit); progress arrives, cancel stops a long job, and a UMAP map fitted in the worker
 * places new points identically after a page reload.
 */
type PlainMatrix = { rows: number; cols: number; data: number[] };
const plainMatrix = (m: Matrix): PlainMatrix => ({ rows: m.rows, cols: m.cols, data: Array.from(m.data) });
const rows = (m: Matrix, from: number, count: number): Matrix => ({ rows: count, cols: m.cols, data: m.data.slice(from * m.cols, (from + count) * m.cols) });

const real = readNpy('real_384.npy');
const synthetic = readNpy('synthetic_384.npy');
const iteration0 = vstack([real, synthetic]);
const batch = rows(synthetic, 0, 24);
const sets = [rows(synthetic, 0, 3), rows(synthetic, 24, 3), rows(synthetic, 48, 3)];

const close = (a: number, b: number, rtol: number) => Math.abs(a - b) <= rtol * Math.max(1, Math.abs(b));

describe('analyze worker in Chromium', () => {
  let session: ChromiumSession;
  const open = async () => {
    await session.page.goto(`${inject('baseUrl')}/tests/browser/pages/analyze.html`);
    await session.page.locator('body[data-ready="true"]').waitFor();
  };
  beforeAll(async () => {
    session = await openChromium();
    await open();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('scores an iteration and parameter sets exactly as core does in Node', async () => {
    const fromWorker = await session.page.evaluate(
      async ({ iteration0, real, batch, sets }) => {
        const h = window.analyzeHarness;
        const client = h.createAnalyzeClient();
        try {
          const config = await client.scoringConfigFromIteration0(h.toMatrix(iteration0), 16);
          const stages = new Set<string>();
          const suite = await client.scoreIteration(h.toMatrix(real), h.toMatrix(batch), config, { onProgress: (p) => stages.add(p.stage ?? '') });
          const parameterSets = await client.scoreParameterSets(h.toMatrix(real), sets.map(h.toMatrix), config);
          const map = await client.fitProjection(h.toMatrix(iteration0));
          const placed = await client.projectEmbeddings(map, h.toMatrix(batch));
          return h.plain({ config, suite, parameterSets, map, placed: placed.data, stages: [...stages] }) as never;
        } finally {
          client.dispose();
        }
      },
      { iteration0: plainMatrix(iteration0), real: plainMatrix(real), batch: plainMatrix(batch), sets: sets.map(plainMatrix) },
    ) as {
      config: ReturnType<typeof scoringConfigFromIteration0>;
      suite: { metrics: Record<string, { value: number; floor: { mean?: number; high?: number }; matched: { mean: number } | null }>; perSample: Record<string, number[]> };
      parameterSets: { score: number; floor: { mean?: number } }[];
      map: ReturnType<typeof fitPca>;
      placed: number[];
      stages: string[];
    };

    const config = scoringConfigFromIteration0(iteration0, 16);
    expect(fromWorker.config.bandwidth).toBe(config.bandwidth);
    expect(fromWorker.config.reduction.explainedVariance).toEqual(config.reduction.explainedVariance);
    const context = createScoringContext(config);
    const suite = scoreIteration(real, batch, context);
    for (const id of metricIds) {
      const w = fromWorker.suite.metrics[id];
      const n = suite.metrics[id];
      expect(close(w.value, n.value, 1e-12), `${id}: worker ${w.value}, node ${n.value}`).toBe(true);
      expect(close(w.floor.mean!, n.floor.available ? n.floor.mean : NaN, 1e-12), `${id} floor`).toBe(true);
      expect(close(w.matched!.mean, n.matched!.mean, 1e-12), `${id} matched`).toBe(true);
    }
    for (const key of ['euclidean', 'cosine', 'mahalanobis'] as const) {
      fromWorker.suite.perSample[key].forEach((v, i) => expect(close(v, suite.perSample[key][i], 1e-12), key).toBe(true));
    }
    sets.forEach((set, i) => {
      const node = scoreParameterSet(real, set, context);
      expect(close(fromWorker.parameterSets[i].score, node.score, 1e-12)).toBe(true);
      expect(close(fromWorker.parameterSets[i].floor.mean!, node.floor.available ? node.floor.mean : NaN, 1e-12)).toBe(true);
    });
    const placed = projectPca(fitPca(iteration0, { components: 2 }), batch);
    fromWorker.placed.forEach((v, i) => expect(close(v, placed.data[i], 1e-12)).toBe(true));
    expect(fromWorker.stages).toEqual(expect.arrayContaining(['geometry', 'value', 'floor', 'matched', 'per-sample']));
  });

  it('runs the confirmation test as core does in Node', async () => {
    const input = { real, synthetic: rows(synthetic, 0, 32), bandwidth: 0.8, seed: 7, permutations: 1000, detectable: { simulations: 10 } };
    const fromWorker = (await session.page.evaluate(
      async ({ real, synthetic, ...options }) => {
        const h = window.analyzeHarness;
        const client = h.createAnalyzeClient();
        try {
          return h.plain(await client.confirm({ real: h.toMatrix(real), synthetic: h.toMatrix(synthetic), ...options })) as never;
        } finally {
          client.dispose();
        }
      },
      { ...input, real: plainMatrix(input.real), synthetic: plainMatrix(input.synthetic) },
    )) as Confirmation;
    const node = confirm(input);
    expect(fromWorker.verdict).toBe(node.verdict);
    expect(fromWorker.sizes).toEqual({ real: 16, synthetic: 32 });
    for (const [w, n] of [[fromWorker.mmd2, node.mmd2], [fromWorker.pValue, node.pValue], [fromWorker.delta, node.delta], [fromWorker.interval.high, node.interval.high]]) {
      expect(close(w, n, 1e-12), `worker ${w}, node ${n}`).toBe(true);
    }
  });

  it('computes the distribution recipe as core does in Node', async () => {
    const input = { sets: [rows(synthetic, 0, 3), rows(synthetic, 24, 3), rows(synthetic, 48, 6)], real, bandwidth: 0.8 };
    const fromWorker = (await session.page.evaluate(
      async ({ sets, real, bandwidth }) => {
        const h = window.analyzeHarness;
        const client = h.createAnalyzeClient();
        try {
          return h.plain(await client.recipe({ sets: sets.map(h.toMatrix), real: h.toMatrix(real), bandwidth })) as never;
        } finally {
          client.dispose();
        }
      },
      { sets: input.sets.map(plainMatrix), real: plainMatrix(real), bandwidth: input.bandwidth },
    )) as DistributionRecipe;
    const node = distributionRecipe(input.sets, input.real, input.bandwidth);
    expect(fromWorker.support).toEqual(node.support);
    fromWorker.weights.forEach((w, j) => expect(close(w, node.weights[j], 1e-9), `weight ${j}: worker ${w}, node ${node.weights[j]}`).toBe(true));
    for (const [w, n] of [[fromWorker.mmd2, node.mmd2], [fromWorker.mmd2Unbiased, node.mmd2Unbiased], [fromWorker.bestSingle.mmd2, node.bestSingle.mmd2]]) {
      expect(close(w, n, 1e-9), `worker ${w}, node ${n}`).toBe(true);
    }
  });

  it('reports progress and stops a long job on abort with a CancelledError', async () => {
    const outcome = await session.page.evaluate(
      async ({ iteration0, real, batch }) => {
        const h = window.analyzeHarness;
        const client = h.createAnalyzeClient();
        try {
          const config = await client.scoringConfigFromIteration0(h.toMatrix(iteration0), 16, { repeats: 20000 });
          const controller = new AbortController();
          let progressCalls = 0;
          const started = performance.now();
          try {
            await client.scoreIteration(h.toMatrix(real), h.toMatrix(batch), config, {
              signal: controller.signal,
              onProgress: (p) => {
                progressCalls++;
                if (p.stage === 'floor' && p.done >= 100) controller.abort();
              },
            });
            return { error: null, progressCalls, ms: performance.now() - started };
          } catch (error) {
            return { error: (error as Error).name + ': ' + (error as Error).message, progressCalls, ms: performance.now() - started };
          }
        } finally {
          client.dispose();
        }
      },
      { iteration0: plainMatrix(iteration0), real: plainMatrix(real), batch: plainMatrix(batch) },
    );
    expect(outcome.error).toMatch(/CancelledError|cancelled/);
    expect(outcome.progressCalls).toBeGreaterThan(3);
  });

  it('a UMAP map fitted in the worker places new points identically after a page reload', async () => {
    const fit = await session.page.evaluate(
      async ({ iteration0, batch }) => {
        const h = window.analyzeHarness;
        const client = h.createAnalyzeClient();
        try {
          const model = await client.fitProjection(h.toMatrix(iteration0), { kind: 'umap', seed: 11, nEpochs: 150 });
          const placed = await client.projectEmbeddings(model, h.toMatrix(batch));
          return { model: JSON.stringify(model), placed: Array.from(placed.data) };
        } finally {
          client.dispose();
        }
      },
      { iteration0: plainMatrix(iteration0), batch: plainMatrix(batch) },
    );
    await open(); // a reload: fresh page, fresh worker, the model only as stored JSON
    const again = await session.page.evaluate(
      async ({ model, batch }) => {
        const h = window.analyzeHarness;
        const client = h.createAnalyzeClient();
        try {
          return Array.from((await client.projectEmbeddings(JSON.parse(model), h.toMatrix(batch))).data);
        } finally {
          client.dispose();
        }
      },
      { model: fit.model, batch: plainMatrix(batch) },
    );
    expect(again).toEqual(fit.placed);
    expect(fit.placed.every(Number.isFinite)).toBe(true);
    // Another engine (Node's V8) refits the seeded layout differently — UMAP amplifies last-bit
    // differences (measured: up to 6.8 units) — but adopts the stored layout, so it places the batch on
    // the same map (measured |Δ| ~ 1e-13: placing against a fixed layout does not amplify).
    const model = JSON.parse(fit.model) as UmapModel;
    const restored = restoreUmap(model, createUmapEngine);
    expect(restored.adoptedStoredLayout).toBe(true);
    const inNode = restored.transform(batch).data;
    const extent = Math.max(...model.embedding.flat().map(Math.abs));
    const worst = Math.max(...Array.from(inNode, (v, i) => Math.abs(v - fit.placed[i])));
    console.log(`UMAP across engines: refit drift ${restored.refitDrift.toFixed(3)}, placement |Δ| ≤ ${worst.toExponential(2)} (layout extent ${extent.toFixed(1)})`);
    expect(worst).toBeLessThan(1e-9 * extent);
  });
});
