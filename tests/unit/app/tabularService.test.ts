import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemoryExperimentStore } from '../../../src/app/memoryStore';
import { inProcessTabularEngine } from '../../../src/app/tabularInProcess';
import { TabularService } from '../../../src/app/tabularService';
import type { TabularConfig } from '../../../src/domains/tabular/domain';
import { calibrateTable } from '../../../src/domains/tabular/loop/runCalibration';
import { parseConstraints } from '../../../src/domains/tabular/constraints/parseConstraints';
import { readTable } from '../../../src/domains/tabular/csv/readTable';
import type { Evaluation } from '../../../src/domains/tabular/loop/evaluation';
import { glassCalibration, tabularFixtures } from '../tabular/fixtures';

/**
 * Table calibrations through the page's service, in Node: made from the real glass table, stopped after
 * two evaluations, resumed by a new service over the same store (a reload), and ending with exactly the
 * evaluations an uninterrupted command-line run makes; bad constraints refused by name with nothing
 * stored; the report and the synthetic CSV of the best evaluation.
 */
const CONSTRAINTS = readFileSync(join(tabularFixtures, 'fgl_constraints.yaml'), 'utf8');

const glass = glassCalibration;

let ids = 0;
const service = (store: MemoryExperimentStore) => new TabularService({ store, engine: inProcessTabularEngine(), newId: () => `t${++ids}` });
const summary = (e: Evaluation) => ({ index: e.index, origin: e.origin, params: e.params, utility: e.utility, all_green: e.gates.all_green });

describe('TabularService', () => {
  it('stops after two evaluations, resumes after a reload, and ends with the evaluations of an uninterrupted run', async () => {
    const store = new MemoryExperimentStore();
    const first = service(store);
    const experiment = await first.create(glass());
    expect(experiment).toMatchObject({ domain: 'tabular', status: 'ready', target: { kind: 'user', imageCount: 214 } });
    expect((await store.getTables(experiment.id))[0]).toMatchObject({ id: 'fgl.csv', width: 10, height: 214 });

    const controller = new AbortController();
    const stopped = await first.run(experiment.id, { signal: controller.signal, onEvaluation: (e) => e.index === 2 && controller.abort() });
    expect(stopped).toEqual({ kind: 'stopped' });
    expect((await store.getExperiment(experiment.id))?.status).toBe('stopped');
    expect(await first.history(experiment.id)).toHaveLength(2);

    const reloaded = service(store);
    const seen: number[] = [];
    const done = await reloaded.run(experiment.id, { onEvaluation: (e) => seen.push(e.index) });
    expect(done).toEqual({ kind: 'finished', stopped: 'budget' });
    expect(seen).toEqual([3, 4, 5, 6]);
    const stored = await reloaded.history(experiment.id);

    const real = readTable(readFileSync(join(tabularFixtures, 'fgl.csv'), 'utf8'), 'fgl.csv', { roles: { type: 'group' } });
    const twin = calibrateTable({ real, constraints: parseConstraints(CONSTRAINTS, 'constraints.yaml'), gates: 'seed003_adjusted', strategy: 'bo', budget: 6, seed: 2, group: 'type' });
    expect(stored.map(summary)).toEqual(twin.evaluations.map(summary));
    expect((await store.getExperiment(experiment.id))?.status).toBe('finished');
  });

  it('reports the best evaluation and writes its table obeying the sum group on every row', async () => {
    const store = new MemoryExperimentStore();
    const svc = service(store);
    const experiment = await svc.create(glass({ budget: 3 }));
    await svc.run(experiment.id);
    const report = await svc.report(experiment.id);
    expect(report.json).toMatchObject({ input: 'fgl.csv', gates_preset: 'seed003_adjusted', group: 'type', stopped: 'budget' });
    expect(report.json.evaluations).toHaveLength(3);
    expect(report.html).toContain('<table');
    const best = report.json.best_evaluation;
    const csv = await svc.syntheticCsv(experiment.id, best, { rows: 500 });
    const synthetic = readTable(csv, 'synthetic.csv');
    expect(synthetic.rowCount).toBe(500);
    const oxides = ['Na', 'Mg', 'Al', 'Si', 'K', 'Ca', 'Ba', 'Fe'].map((n) => synthetic.columns.find((c) => c.name === n)!.values as Float64Array);
    for (let i = 0; i < synthetic.rowCount; i++) {
      const sum = oxides.reduce((s, c) => s + c[i], 0);
      expect(sum).toBeGreaterThanOrEqual(99.0 - 1e-6);
      expect(sum).toBeLessThanOrEqual(100.1 + 1e-6);
    }
    const types = new Set(synthetic.columns.find((c) => c.name === 'type')!.values as string[]);
    expect(types.size).toBe(6);
  });

  it('reports each training pass of a VAE evaluation, then stores the evaluation', async () => {
    const store = new MemoryExperimentStore();
    const svc = service(store);
    const experiment = await svc.create(glass({ budget: 3 }));
    const passes: string[] = [];
    const params = { generator: 'vae', class_balance: 1, vae_epochs: 12, vae_latent_size: 4, vae_kl_weight: 1, vae_learning_rate: 0.005 };
    const outcome = await svc.runSettings(experiment.id, params, 'a VAE by hand', { onTraining: (done, total) => passes.push(`${done}/${total}`) });
    expect(outcome).toEqual({ kind: 'stopped' });
    expect(passes).toEqual(Array.from({ length: 12 }, (_, i) => `${i + 1}/12`));
    const [stored] = await svc.history(experiment.id);
    expect(stored).toMatchObject({ index: 1, origin: 'suggestion', generator: 'vae', settings: { epochs: 12, latent_size: 4 } });
  });

  it('searches only the generators chosen, also after a reload; a calibration stored before the choice searches all', async () => {
    const store = new MemoryExperimentStore();
    const experiment = await service(store).create(glass({ budget: 4, generators: ['jitter'] }));
    const config = experiment.config as TabularConfig;
    expect(config.generators).toEqual(['jitter']);
    expect(config.space.find((p) => p.name === 'generator')).toMatchObject({ choices: ['jitter'] });
    await service(store).run(experiment.id, { limit: 2 });
    await service(store).run(experiment.id);
    expect((await service(store).history(experiment.id)).map((e) => e.generator)).toEqual(['jitter', 'jitter', 'jitter', 'jitter']);

    const older = await service(store).create(glass({ budget: 2 }));
    const { generators: _dropped, ...withoutChoice } = older.config as TabularConfig;
    await store.putExperiment({ ...older, config: withoutChoice as unknown as typeof older.config });
    const reopened = service(store);
    await reopened.run(older.id);
    expect(await reopened.history(older.id)).toHaveLength(2);
  });

  it('refuses constraints the real rows break, naming the constraint and the row, and stores nothing', async () => {
    const store = new MemoryExperimentStore();
    const svc = service(store);
    await expect(svc.create(glass({ constraints: 'inequalities: ["Si <= Mg"]\n' }))).rejects.toThrow(/constraints\.yaml, constraint Si <= Mg: row 2 of fgl\.csv breaks it/);
    await expect(svc.create(glass({ constraints: 'nonnegative: [Zn]\n' }))).rejects.toThrow(/Zn/);
    expect(await store.listExperiments()).toEqual([]);
  });

  it('refuses a ragged table by file and row before storing anything', async () => {
    const store = new MemoryExperimentStore();
    const svc = service(store);
    const ragged = new TextEncoder().encode('a,b,c\n1,2,3\n4,5\n6,7,8\n');
    await expect(svc.create(glass({ source: { file: 'ragged.csv', bytes: ragged }, choices: { types: {}, roles: {} }, constraints: '' }))).rejects.toThrow(/ragged\.csv, row 3: it has 2 fields, the header has 3/);
    expect(await store.listExperiments()).toEqual([]);
  });

  it('runs one tab at a time: a second run of the same experiment is refused while the first holds the lock', async () => {
    const store = new MemoryExperimentStore();
    const svc = service(store);
    const experiment = await svc.create(glass({ budget: 2 }));
    const running = svc.run(experiment.id);
    expect(await svc.run(experiment.id)).toEqual({ kind: 'locked' });
    expect(await running).toEqual({ kind: 'finished', stopped: 'budget' });
  });
});
