/**
 * The worker of bench/tabular-speed.ts (a Node worker_threads Worker, started with the parent's
 * `--import tsx`): it runs the same engine code as the page's tabular worker would — read the glass
 * table, split it, fix the metrics' reference, then for each generator make 20,000 rows and measure
 * them with the full suite — and posts the timings back. Nothing is shared with the parent but the
 * messages: the worker reads and parses the CSV itself.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { evaluateSynthetic, parseConstraints, prepareReference, readTable, splitRows, splitTable, validateConstraints } from '../src/domains/tabular';
import { generateWith } from '../src/domains/tabular/loop/generateWith';
import { defaultSettings, settingsContext, type GeneratorName } from '../src/domains/tabular/loop/settingsSpace';

export interface SpeedRequest {
  fixtures: string;
  rows: number;
  repeats: number;
  generators: GeneratorName[];
}

export interface SpeedTiming {
  generator: GeneratorName;
  /** 0: the worker's first call (cold: module code not yet optimised); 1…: warm repeats. */
  repeat: number;
  generate_ms: number;
  suite_ms: number;
}

export interface SpeedReply {
  read_ms: number;
  reference_ms: number;
  timings: SpeedTiming[];
}

const request = workerData as SpeedRequest;
let t = performance.now();
const real = readTable(readFileSync(`${request.fixtures}/fgl.csv`, 'utf8'), 'fgl.csv', { roles: { type: 'group' } });
const constraints = validateConstraints(parseConstraints(readFileSync(`${request.fixtures}/fgl_constraints.yaml`, 'utf8'), 'fgl_constraints.yaml'), real, 'fgl_constraints.yaml').constraints;
const readMs = performance.now() - t;
t = performance.now();
const parts = splitRows(real, splitTable(real, { seed: 0, stratifyBy: 'type' }));
const reference = prepareReference(parts.train, parts.holdout, { constraints, group: 'type', seed: 0 });
const referenceMs = performance.now() - t;
const context = settingsContext(parts.train, 'type');
const timings: SpeedTiming[] = [];
for (let repeat = 0; repeat <= request.repeats; repeat++) {
  for (const generator of request.generators) {
    const params = { ...defaultSettings(context), generator };
    t = performance.now();
    const table = generateWith(parts.train, params, context, { rows: request.rows, seed: repeat + 1, constraints });
    const generateMs = performance.now() - t;
    t = performance.now();
    evaluateSynthetic(reference, table.table, { clipped: table.clipped });
    timings.push({ generator, repeat, generate_ms: generateMs, suite_ms: performance.now() - t });
  }
}
parentPort!.postMessage({ read_ms: readMs, reference_ms: referenceMs, timings } satisfies SpeedReply);
