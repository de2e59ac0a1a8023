/**
 * npm run bench:tabular-speed — how long the tabular metric suite takes where a user waits for it
 * (docs/tabular.md, "Speed"):
 *
 * (a) the glass table in a worker: a Node worker_threads Worker (bench/tabular-speed-worker.ts) reads
 *     fgl.csv, splits it as a calibration does, fixes the metrics' reference, then for each generator
 *     (its default settings) makes 20,000 rows and computes the full suite (evaluateSynthetic) against
 *     train. Target: generation + suite ≤ 3 s. The first call is cold (the worker's code not yet
 *     optimised by V8); the figure is the median of the warm repeats, the cold call is in the rows.
 * (b) the full suite on 100,000 × 30 synthetic rows against 5,000 real rows: the 30 numeric columns of
 *     breast_cancer.csv, 5,000 "real" rows made from its 569 by jitter (k = 0.5), split 80/20 (train
 *     4,000, holdout 1,000), 100,000 synthetic rows from train by jitter (k = 0.5). Target: ≤ 15 s for
 *     evaluateSynthetic; the reference (prepareReference, once per calibration) and the floor are timed
 *     beside it, and each metric of the suite on its own (the same calls evaluateSynthetic makes).
 *
 * (c) the tabular VAE's training on glass (train's 171 rows, the default settings: 40 epochs, latent size
 *     8; and the most epochs the search allows, 60), in the main thread: from the call to the end of the
 *     last training pass (its progress callback), then sampling the 214 rows.
 *
 * Options: --repeats N (warm repeats, default 3), --rows N (rows of (a), default 20000),
 * --big-rows N (default 100000), --real-rows N (default 5000). Writes bench/results/tabular-speed.json.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createRng } from '../src/engine/random/rng';
import { sampleWithoutReplacement } from '../src/engine/metrics/splits';
import { evaluateFloor, evaluateSynthetic, jitter, prepareReference, readTable, splitRows, splitTable, vae, VAE_DEFAULTS, type Table, type TabularReference } from '../src/domains/tabular';
import { VAE_EPOCHS_RANGE } from '../src/domains/tabular/loop/settingsSpace';
import { align } from '../src/domains/tabular/metrics/columns';
import { contingencySimilarity } from '../src/domains/tabular/metrics/contingency';
import { corrMae } from '../src/domains/tabular/metrics/correlation';
import { dcrBaselineProtection, dcrOverfittingProtection } from '../src/domains/tabular/metrics/dcr';
import { detectionAuc } from '../src/domains/tabular/metrics/detectionAuc';
import { dupRate, newRowSynthesis } from '../src/domains/tabular/metrics/duplicates';
import { featurize } from '../src/domains/tabular/metrics/featurize';
import { ksPerColumn } from '../src/domains/tabular/metrics/ksColumns';
import { miaAuc } from '../src/domains/tabular/metrics/miaAuc';
import { mmd2 } from '../src/domains/tabular/metrics/mmd';
import { encodeRows, nearestDistances } from '../src/domains/tabular/metrics/rowDistance';
import { tvComplementMean } from '../src/domains/tabular/metrics/tvComplement';
import { machineInfo, printTable, writeBenchResult, type Figure, type Row } from './lib/report';
import type { SpeedReply, SpeedRequest } from './tabular-speed-worker';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'tests', 'fixtures', 'tabular');

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}
const repeats = option('repeats', 3);
const glassRows = option('rows', 20000);
const bigRows = option('big-rows', 100000);
const realRows = option('real-rows', 5000);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function inWorker(request: SpeedRequest): Promise<SpeedReply> {
  return new Promise((resolve, reject) => {
    // A worker does not inherit tsx's loader: its entry (a data: URL module) registers it, then imports the worker's TypeScript.
    const api = import.meta.resolve('tsx/esm/api');
    const entry = new URL('./tabular-speed-worker.ts', import.meta.url).href;
    const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
    const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData: request });
    worker.once('message', (reply: SpeedReply) => {
      resolve(reply);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

function time<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

/** Each metric of evaluateSynthetic on its own, timed (the same calls, in the same order; the physics metrics are skipped: the table has no constraints). */
function breakdown(reference: TabularReference, synthetic: Table): Row[] {
  const rows: Row[] = [];
  const step = <T>(metric: string, f: () => T): T => {
    const { value, ms } = time(f);
    rows.push({ metric, seconds: ms / 1000 });
    return value;
  };
  const train = reference.trainAligned;
  const aligned = step('align', () => align(reference.columns, synthetic));
  const n = aligned.rowCount;
  const privacy = step('encode rows for distances (privacy subsample)', () => {
    if (n <= reference.maxPrivacyRows) return encodeRows(reference.space, aligned);
    const ids = sampleWithoutReplacement(createRng(reference.seed).fork('privacy-subsample'), n, reference.maxPrivacyRows).sort();
    return encodeRows(reference.space, aligned, ids);
  });
  step('ks (ks_mean, ks_median_p)', () => ksPerColumn(train, aligned));
  step('corr_mae', () => corrMae(train, aligned));
  step('tv_complement_mean', () => tvComplementMean(train, aligned));
  step('contingency_similarity', () => contingencySimilarity(train, aligned));
  const features = step('featurize', () => featurize(reference.featurizer, aligned));
  step('mmd2', () => mmd2(reference.trainFeatures, features, reference.bandwidth, reference.seed));
  step('detection_auc', () => detectionAuc(reference.trainFeatures, features, reference.seed));
  step('dup_rate', () => dupRate(train, aligned));
  const dcr = step('dcr (nearest train row)', () => nearestDistances(reference.space, privacy, reference.trainRows));
  step('dcr_baseline_protection', () => dcrBaselineProtection(reference.space, train, reference.trainRows, dcr, reference.seed));
  step('dcr_overfitting_protection', () => dcrOverfittingProtection(reference.space, train, reference.holdoutRows, privacy, reference.seed));
  step('new_row_synthesis', () => newRowSynthesis(reference.trainRows, privacy));
  step('mia_auc', () => miaAuc(reference.space, reference.trainRows, reference.holdoutRows, privacy, reference.seed));
  return rows;
}

async function main(): Promise<void> {
  const figures: Record<string, Figure> = {};
  const rows: Row[] = [];

  // (a) Glass in a worker.
  const started = performance.now();
  const reply = await inWorker({ fixtures, rows: glassRows, repeats, generators: ['jitter', 'gaussian_copula', 'vae'] });
  console.error(`bench:tabular-speed — worker done in ${((performance.now() - started) / 1000).toFixed(1)} s (read ${reply.read_ms.toFixed(0)} ms, reference ${reply.reference_ms.toFixed(0)} ms)`);
  for (const generator of ['jitter', 'gaussian_copula', 'vae'] as const) {
    const own = reply.timings.filter((t) => t.generator === generator);
    const cold = own.find((t) => t.repeat === 0)!;
    const warm = own.filter((t) => t.repeat > 0);
    const total = (t: { generate_ms: number; suite_ms: number }) => (t.generate_ms + t.suite_ms) / 1000;
    rows.push({ part: 'a', case: `glass ${glassRows} rows, ${generator}, cold`, generate_s: cold.generate_ms / 1000, suite_s: cold.suite_ms / 1000, total_s: total(cold) });
    rows.push({ part: 'a', case: `glass ${glassRows} rows, ${generator}, warm median of ${warm.length}`, generate_s: median(warm.map((t) => t.generate_ms)) / 1000, suite_s: median(warm.map((t) => t.suite_ms)) / 1000, total_s: median(warm.map(total)) });
    figures[`glass_worker_${generator}_generate_and_suite`] = { value: median(warm.map(total)), unit: `s (${glassRows} rows, worker, warm median)`, target: 3, better: 'lower' };
    figures[`glass_worker_${generator}_generate_and_suite_cold`] = { value: total(cold), unit: `s (${glassRows} rows, worker, first call)`, target: 3, better: 'lower' };
  }
  rows.push({ part: 'a', case: 'glass: read + parse in the worker', generate_s: null, suite_s: null, total_s: reply.read_ms / 1000 });
  rows.push({ part: 'a', case: 'glass: reference (prepareReference) in the worker', generate_s: null, suite_s: null, total_s: reply.reference_ms / 1000 });

  // (b) 100,000 × 30 against 5,000.
  const source = readTable(readFileSync(join(fixtures, 'breast_cancer.csv'), 'utf8'), 'breast_cancer.csv');
  const thirty: Table = { columns: source.columns.filter((c) => c.name !== 'target').slice(0, 30), rowCount: source.rowCount };
  const real = jitter(thirty, { k: 0.5 }, { seed: 11, rows: realRows }).table;
  const parts = splitRows(real, splitTable(real, { seed: 0 }));
  const reference = time(() => prepareReference(parts.train, parts.holdout, { seed: 0 }));
  const synthetic = time(() => jitter(parts.train, { k: 0.5 }, { seed: 12, rows: bigRows }).table);
  const floor = time(() => evaluateFloor(reference.value));
  const suite = time(() => evaluateSynthetic(reference.value, synthetic.value));
  console.error(`bench:tabular-speed — (b) reference ${(reference.ms / 1000).toFixed(2)} s, floor ${(floor.ms / 1000).toFixed(2)} s, suite ${(suite.ms / 1000).toFixed(2)} s`);
  const label = `${bigRows} × ${thirty.columns.length} vs ${realRows} real (train ${parts.train.rowCount})`;
  rows.push({ part: 'b', case: `${label}: evaluateSynthetic`, generate_s: null, suite_s: suite.ms / 1000, total_s: suite.ms / 1000 });
  rows.push({ part: 'b', case: `${label}: prepareReference (once per calibration)`, generate_s: null, suite_s: null, total_s: reference.ms / 1000 });
  rows.push({ part: 'b', case: `${label}: evaluateFloor (once per calibration)`, generate_s: null, suite_s: null, total_s: floor.ms / 1000 });
  rows.push({ part: 'b', case: `${label}: jitter makes the synthetic rows`, generate_s: synthetic.ms / 1000, suite_s: null, total_s: synthetic.ms / 1000 });
  figures.suite_100k_x30_vs_5k = { value: suite.ms / 1000, unit: 's (evaluateSynthetic, main thread)', target: 15, better: 'lower' };
  // (c) The VAE's training time on glass.
  const glass = readTable(readFileSync(join(fixtures, 'fgl.csv'), 'utf8'), 'fgl.csv', { roles: { type: 'group' } });
  const glassParts = splitRows(glass, splitTable(glass, { seed: 0, stratifyBy: 'type' }));
  for (const epochs of [VAE_DEFAULTS.vae_epochs, VAE_EPOCHS_RANGE[1]]) {
    const trainings: number[] = [];
    const totals: number[] = [];
    for (let r = 0; r <= repeats; r++) {
      const t = performance.now();
      let trained = t;
      vae(glassParts.train, { epochs, latentSize: VAE_DEFAULTS.vae_latent_size, klWeight: VAE_DEFAULTS.vae_kl_weight, learningRate: VAE_DEFAULTS.vae_learning_rate }, { seed: r + 1, rows: glass.rowCount, classColumn: 'type', onProgress: () => (trained = performance.now()) });
      trainings.push((trained - t) / 1000);
      totals.push((performance.now() - t) / 1000);
    }
    rows.push({ part: 'c', case: `VAE on glass train (${glassParts.train.rowCount} rows), ${epochs} epochs: training, cold`, generate_s: trainings[0], suite_s: null, total_s: totals[0] });
    rows.push({ part: 'c', case: `VAE on glass train, ${epochs} epochs: training, warm median of ${repeats}`, generate_s: median(trainings.slice(1)), suite_s: null, total_s: median(totals.slice(1)) });
    figures[`vae_glass_training_${epochs}_epochs`] = { value: median(trainings.slice(1)), unit: `s (glass train, ${epochs} epochs, warm median)`, target: null, better: 'lower' };
  }
  printTable(rows, `bench:tabular-speed — (a) glass in a worker, (b) ${label}, (c) the VAE's training`);
  const metrics = breakdown(reference.value, synthetic.value);
  printTable(metrics, `bench:tabular-speed — (b) the suite's metrics one by one`);
  writeBenchResult({ bench: 'tabular-speed', machine: machineInfo(), figures, rows: [...rows, ...metrics.map((m) => ({ part: 'b-metric', ...m }))] });
}

await main();
