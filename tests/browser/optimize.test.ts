import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { initialDesign, proposeBatch } from '../../src/engine/optimizer';
import type { Observation, ProposeBatchInput, ProposeBatchOutput } from '../../src/engine/optimizer';
import { defineSpace, type ParameterSet } from '../../src/engine/space/space';
import { createRng } from '../../src/engine/random/rng';
import { openChromium, type ChromiumSession } from '../helpers/chromium';

/**
 * The optimize worker in real Chromium proposes what core proposes in Node for the same input and seed
 * (discrete values exactly, continuous ones to 1e-7 of their range: Chromium's and Node's V8 may round
 * Math.exp/Math.pow in the last bit, and the L-BFGS polish of the acquisition amplifies that to ~1e-9);
 * progress arrives; an abort stops a long proposal.
 */
const space = defineSpace([
  { kind: 'categorical', name: 'void_shape', choices: ['circle', 'ellipse', 'irregular'] },
  { kind: 'integer', name: 'void_count', low: 3, high: 20 },
  { kind: 'continuous', name: 'base_size', low: 5, high: 40 },
  { kind: 'continuous', name: 'brightness_factor', low: 0.3, high: 0.8 },
  { kind: 'continuous', name: 'size_std', low: 0, high: 15 },
  { kind: 'continuous', name: 'position_spread', low: 0.1, high: 0.8 },
]);

function observe(sets: readonly ParameterSet[], seed: number): Observation[] {
  const rng = createRng(seed);
  return sets.map((params) => ({
    params,
    score:
      (params.void_shape === 'ellipse' ? 0 : 0.2) +
      ((Number(params.void_count) - 8) / 17) ** 2 +
      ((Number(params.base_size) - 20) / 35) ** 2 +
      ((Number(params.brightness_factor) - 0.6) / 0.5) ** 2 +
      0.02 * rng.normal(),
  }));
}

function expectSameProposals(worker: ProposeBatchOutput, node: ProposeBatchOutput): void {
  expect(worker.next_params).toHaveLength(node.next_params.length);
  worker.next_params.forEach((w, i) => {
    const n = node.next_params[i];
    for (const p of space.parameters) {
      const a = w.params[p.name];
      const b = n.params[p.name];
      if (p.kind === 'continuous') expect(Math.abs(Number(a) - Number(b)), p.name).toBeLessThanOrEqual(1e-7 * (p.high - p.low));
      else expect(a).toBe(b);
    }
    if (n.acquisitionValue === null) expect(w.acquisitionValue).toBeNull();
    else expect(Math.abs(w.acquisitionValue! - n.acquisitionValue)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(n.acquisitionValue)));
  });
  expect(worker.current_best.map((b) => b.params)).toEqual(node.current_best.map((b) => b.params));
}

describe('optimize worker in Chromium', () => {
  let session: ChromiumSession;
  beforeAll(async () => {
    session = await openChromium();
    await session.page.goto(`${inject('baseUrl')}/tests/browser/pages/optimize.html`);
    await session.page.locator('body[data-ready="true"]').waitFor();
  });
  afterAll(async () => {
    await session?.close();
  });

  const observations = observe(initialDesign(space, 16, 4), 5);
  const inputs: ProposeBatchInput[] = (['ucb', 'ei', 'sobol'] as const).map((acquisition) => ({
    space,
    observations,
    pending: initialDesign(space, 2, 77),
    iteration: 3,
    maxIterations: 10,
    acquisition,
    batchSize: 8,
    seed: 2024,
  }));

  it.each(inputs)('proposes the same batch as Node for a fixed seed ($acquisition)', async (input) => {
    const fromWorker = (await session.page.evaluate(async (input) => {
      const client = window.optimizeHarness.createOptimizeClient();
      try {
        const stages: string[] = [];
        const out = await client.proposeBatch(input, { onProgress: (p) => stages.push(`${p.stage}:${p.done}/${p.total}`) });
        return { out, stages };
      } finally {
        client.dispose();
      }
    }, input)) as { out: ProposeBatchOutput; stages: string[] };
    expectSameProposals(fromWorker.out, proposeBatch(input));
    expect(fromWorker.stages[0]).toBe('fit:1/9');
    if (input.acquisition !== 'sobol') expect(fromWorker.stages.at(-1)).toBe('propose:9/9');
  });

  it('proposes with the plausible region when given δ: the same region as Node, a progress step of its own', async () => {
    const input: ProposeBatchInput = { ...inputs[0], regionTolerance: 0.3 };
    const fromWorker = (await session.page.evaluate(async (input) => {
      const client = window.optimizeHarness.createOptimizeClient();
      try {
        const stages: string[] = [];
        const out = await client.proposeBatch(input, { onProgress: (p) => stages.push(`${p.stage}:${p.done}/${p.total}`) });
        return { out, stages };
      } finally {
        client.dispose();
      }
    }, input)) as { out: ProposeBatchOutput; stages: string[] };
    const node = proposeBatch(input);
    expectSameProposals(fromWorker.out, node);
    expect(fromWorker.stages.at(-1)).toBe('region:10/10');
    const [w, n] = [fromWorker.out.region!, node.region!];
    expect(w.sampleSize).toBe(4096);
    // A point within rounding of δ could flip: the counts agree to a point or two.
    expect(Math.abs(w.plausibleCount - n.plausibleCount)).toBeLessThanOrEqual(2);
    expect(w.parameters.map((p) => [p.name, p.identifiable])).toEqual(n.parameters.map((p) => [p.name, p.identifiable]));
    expect([w.pair?.first.name, w.pair?.second.name]).toEqual([n.pair?.first.name, n.pair?.second.name]);
  });

  it('an abort cancels a long proposal', async () => {
    const big: ProposeBatchInput = {
      space,
      observations: observe(initialDesign(space, 160, 9), 10),
      iteration: 1,
      maxIterations: 10,
      acquisition: 'ucb',
      batchSize: 32,
      seed: 1,
      settings: { rawSamples: 4096 },
    };
    const outcome = await session.page.evaluate(async (input) => {
      const h = window.optimizeHarness;
      const client = h.createOptimizeClient();
      const controller = new AbortController();
      let progressCount = 0;
      try {
        await client.proposeBatch(input, {
          signal: controller.signal,
          onProgress: () => {
            progressCount++;
            controller.abort();
          },
        });
        return { cancelled: false, progressCount };
      } catch (error) {
        return { cancelled: h.isCancelled(error), message: String(error), progressCount };
      } finally {
        client.dispose();
      }
    }, big);
    expect(outcome.cancelled, JSON.stringify(outcome)).toBe(true);
    expect(outcome.progressCount).toBeLessThan(33);
  });
});
