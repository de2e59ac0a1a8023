import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng, hashSeed } from '../../../src/engine/random/rng';
import { encodeNpy } from '../../../src/storage/archive/npy';
import { folderDigest, run } from '../../helpers/cli';

/**
 * The command line on a study folder, driven as a client would: a generator of its own (a fixed
 * nonlinear map of the parameters to 12 values, plus noise) evaluates what `ask` prints and hands the
 * vectors to `tell`. Commands run in-process through calibrate(); the last test runs them as processes
 * through `npm run --silent calibrate`, several at once on one study.
 */
const dir = mkdtempSync(join(tmpdir(), 'lcs-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SPACE = `parameters:
  - {name: brightness, type: float, low: 0.3, high: 0.8}
  - {name: count, type: int, low: 3, high: 20}
  - {name: shape, type: categorical, choices: [circle, ellipse, irregular]}
`;
const D = 12;

function simulate(params: Record<string, string>, seed: number): number[] {
  const rng = createRng(hashSeed('cli-client', seed));
  const b = Number(params.brightness);
  const c = Number(params.count) / 20;
  const s = ['circle', 'ellipse', 'irregular'].indexOf(params.shape);
  return Array.from({ length: D }, (_, j) => Math.tanh((j + 1) * b - c * (j % 3)) + (j === s ? 0.5 : 0) + rng.normal(0, 0.05));
}

/** Writes the client's results for the asked CSV: SAMPLES.csv (parameter cells left empty) and EMB.npy. */
function evaluate(askedCsv: string, name: string, replicates = 3): { samples: string; embeddings: string } {
  const [header, ...lines] = askedCsv.trim().split('\n');
  const names = header.split(',');
  const rows: string[] = ['sample_id,param_set_id,brightness,count,shape'];
  const vectors: number[] = [];
  lines.forEach((line, i) => {
    const cells = line.split(',');
    const params = Object.fromEntries(names.map((n, k) => [n, cells[k]]));
    for (let r = 0; r < replicates; r++) {
      rows.push(`${name}_${params.param_set_id}_${r},${params.param_set_id},,,`);
      vectors.push(...simulate(params, i * 10 + r));
    }
  });
  const samples = join(dir, `${name}.csv`);
  const embeddings = join(dir, `${name}.npy`);
  writeFileSync(samples, `${rows.join('\n')}\n`);
  writeFileSync(embeddings, encodeNpy(Float32Array.from(vectors), [vectors.length / D, D]));
  return { samples, embeddings };
}

function setUpStudy(name: string): string {
  const space = join(dir, 'space.yaml');
  writeFileSync(space, SPACE);
  const real = Array.from({ length: 16 }, (_, i) => simulate({ brightness: '0.6', count: '8', shape: 'ellipse' }, 1000 + i)).flat();
  writeFileSync(join(dir, 'real.npy'), encodeNpy(Float32Array.from(real), [16, D]));
  return join(dir, name);
}

describe('npm run calibrate: ask/tell on a study folder', () => {
  it('init, ask the initial design, tell, ask a model-based batch, status, export', async () => {
    const study = setUpStudy('study-a');
    expect((await run('init', study, '--space', join(dir, 'space.yaml'), '--real', join(dir, 'real.npy'), '--batch', '4', '--seed', '7')).code).toBe(0);
    const first = await run('ask', study);
    expect(first.code).toBe(0);
    const lines = first.out.trim().split('\n');
    expect(lines[0]).toBe('param_set_id,brightness,count,shape');
    expect(lines).toHaveLength(1 + 8); // the initial design: 2 × batch
    expect(lines[1]).toMatch(/^ps_000,0\.\d+,\d+,(circle|ellipse|irregular)$/); // integers without a point
    const told = evaluate(first.out, 'r0');
    const tell = await run('tell', study, '--samples', told.samples, '--embeddings', told.embeddings);
    expect(tell).toMatchObject({ code: 0, out: '' });
    const second = await run('ask', study, '--format', 'json');
    const asked = JSON.parse(second.out) as Array<{ param_set_id: string; params: Record<string, unknown> }>;
    expect(asked.map((a) => a.param_set_id)).toEqual(['ps_008', 'ps_009', 'ps_010', 'ps_011']);
    const status = JSON.parse((await run('status', study, '--json')).out);
    expect(status).toMatchObject({ iterations: 2, observations: 8, samples: 24, pending: ['ps_008', 'ps_009', 'ps_010', 'ps_011'], converged: false, statement: null });
    expect(Object.keys(status.best).sort()).toEqual(['param_set_id', 'params', 'posterior_mean', 'score']);
    expect(status.noise_floor.high).toBeGreaterThan(status.noise_floor.mean);
    expect((await run('abandon', study, 'ps_011')).code).toBe(0);

    const journal = join(dir, 'a.jsonl');
    expect((await run('export', study, '--optuna-journal', journal)).code).toBe(0);
    const ops = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { op_code: number; state?: number });
    expect(ops.filter((o) => o.op_code === 4)).toHaveLength(8 + 3); // 8 complete, 3 running, the abandoned one left out
    expect(ops.filter((o) => o.op_code === 6)).toHaveLength(8);
    const zip = join(dir, 'a.zip');
    expect((await run('export', study, '--zip', zip)).code).toBe(0);
    const files = unzipSync(new Uint8Array(readFileSync(zip)));
    const manifest = JSON.parse(strFromU8(files['manifest.json'])) as { counts: { samples: number } };
    expect(manifest.counts.samples).toBe(16 + 24);
  }, 120_000);

  it('refuses bad input with exit 2, naming the file, row and column, and leaves the study byte for byte as it was', async () => {
    const study = setUpStudy('study-b');
    await run('init', study, '--space', join(dir, 'space.yaml'), '--real', join(dir, 'real.npy'), '--batch', '2');
    const asked = await run('ask', study);
    const good = evaluate(asked.out, 'good');
    const before = folderDigest(study);
    const write = (name: string, text: string) => (writeFileSync(join(dir, name), text), join(dir, name));
    const cases: Array<[string[], RegExp]> = [
      [['tell', study, '--samples', write('ragged.csv', 'sample_id,param_set_id,brightness,count,shape\na,ps_000,,,\nb,ps_000,,\n'), '--embeddings', good.embeddings], /ragged\.csv, row 3/],
      [['tell', study, '--samples', write('half.csv', 'sample_id,param_set_id,brightness,count,shape\na,,0.5,3.5,circle\n'), '--embeddings', good.embeddings], /half\.csv, row 2, column count: 3\.5 is not an integer/],
      [['tell', study, '--samples', write('extra.csv', 'sample_id,param_set_id,brightness,count,shape,colour\na,ps_000,,,,red\n'), '--embeddings', good.embeddings], /extra\.csv.*colour/],
      [['tell', study, '--samples', write('choice.csv', 'sample_id,param_set_id,brightness,count,shape\na,,0.5,4,square\n'), '--embeddings', good.embeddings], /choice\.csv, row 2, column shape/],
      [['tell', study, '--samples', good.samples, '--embeddings', write('nan.json', JSON.stringify([[0, 'x']]))], /nan\.json/],
      [['tell', study, '--samples', good.samples, '--embeddings', join(dir, 'real.npy')], /rows|count/],
      [['ask', study, '--n', '0'], /--n must be a whole number ≥ 1/],
      [['abandon', study, 'ps_999'], /ps_999 is not a pending parameter set/],
      [['ask', join(dir, 'no-such-study')], /no-such-study: there is no study folder there/],
      [['init', study, '--space', join(dir, 'space.yaml'), '--real', join(dir, 'real.npy')], /already exists/],
    ];
    for (const [argv, message] of cases) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err, argv.join(' ')).toMatch(message);
      expect(result.out).toBe('');
      expect(folderDigest(study), argv.join(' ')).toEqual(before);
    }
    // A folder edited by hand into an inconsistent state is refused, not repaired.
    const experimentJson = readdirSync(join(study, 'data', 'experiments')).map((id) => join(study, 'data', 'experiments', id, 'experiment.json'))[0];
    writeFileSync(experimentJson, readFileSync(experimentJson, 'utf8').replace('"study-b"', '"edited"'));
    const edited = await run('status', study, '--json');
    expect(edited.code).toBe(2);
    expect(edited.err).toMatch(/experiment\.json/);
  }, 120_000);

  it('many workers, one study: concurrent `ask --n 1` processes get distinct sets and the study records each', async () => {
    const study = setUpStudy('study-c');
    await run('init', study, '--space', join(dir, 'space.yaml'), '--real', join(dir, 'real.npy'), '--batch', '2', '--initial', '2');
    const exec = promisify(execFile);
    const workers = await Promise.all(
      Array.from({ length: 4 }, () => exec('npm', ['run', '--silent', 'calibrate', '--', 'ask', study, '--n', '1'], { cwd: process.cwd() })),
    );
    const ids = workers.map((w) => w.stdout.trim().split('\n')[1].split(',')[0]).sort();
    expect(ids).toEqual(['ps_000', 'ps_001', 'ps_002', 'ps_003']);
    const rows = workers.map((w) => w.stdout.trim().split('\n')[1].split(',').slice(1).join(','));
    expect(new Set(rows).size).toBe(4);
    expect(JSON.parse((await run('status', study, '--json')).out).pending).toEqual(['ps_000', 'ps_001', 'ps_002', 'ps_003']);
  }, 120_000);
});
