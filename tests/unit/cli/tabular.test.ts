import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { METRIC_KEYS } from '../../../src/domains/tabular/metrics/keys';
import { readTable } from '../../../src/domains/tabular/csv/readTable';
import { isNumeric } from '../../../src/domains/tabular/table';
import { run } from '../../helpers/cli';
import { tabularFixtures } from '../tabular/fixtures';

/**
 * `calibrate tabular` end to end, in-process: the glass table with its constraints reaching all green
 * under seed003_adjusted, birthwt keeping its derived column, exit 3 on a table no generator can make
 * all green, exit 2 with nothing written on bad input, the CSV's formatting rules, and determinism.
 */
const dir = mkdtempSync(join(tmpdir(), 'lcs-tabular-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (name: string) => join(tabularFixtures, name);
let folders = 0;
/** A fresh, empty output folder per run. */
function outputs(): { folder: string; out: string; report: string } {
  const folder = join(dir, `run-${++folders}`);
  mkdirSync(folder);
  return { folder, out: join(folder, 'SYNTH.csv'), report: join(folder, 'REPORT.json') };
}

interface Report {
  generator: string;
  settings: Record<string, unknown>;
  gates_preset: string;
  rows: Record<string, number>;
  metrics: Record<string, { value: number | string | null; floor: number | string | null }>;
  gates: Array<{ metric: string; op: string; threshold: number; value: number | null; pass: boolean | null }>;
  all_green: boolean;
  failures: Array<{ type: string; cause: string; suggestion: string }>;
  evaluations: Array<{ index: number; all_green: boolean }>;
}
const readReport = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Report;

describe('calibrate tabular', () => {
  it('the glass table with its constraints: all green under seed003_adjusted (exit 0), the sums in their window, no negatives, all six types', async () => {
    const o = outputs();
    const r = await run('tabular', fixture('fgl.csv'), '--out', o.out, '--report', o.report, '--constraints', fixture('fgl_constraints.yaml'), '--group', 'type', '--budget', '6', '--seed', '1');
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/\[1\/6\] jitter k=0\.5 per_class_mad=yes class_balance=1/);
    expect(r.err).toMatch(/calibrate: all green: evaluation \d of 6/);
    const report = readReport(o.report);
    expect(report).toMatchObject({ gates_preset: 'seed003_adjusted', all_green: true, failures: [], rows: { real: 214, train: 171, holdout: 43, synthetic: 214 } });
    expect(['jitter', 'gaussian_copula']).toContain(report.generator);
    expect(Object.keys(report.metrics)).toEqual([...METRIC_KEYS]);
    for (const key of METRIC_KEYS) expect(Object.keys(report.metrics[key])).toEqual(expect.arrayContaining(['value', 'floor']));
    expect(report.gates.map((g) => g.metric)).toEqual(['sum_error_max', 'negatives', 'constraint_violations', 'target_in_range', 'ks_median_p', 'corr_mae', 'class_balance_ratio', 'near_dup_rate', 'clip_rate']);
    expect(report.gates.every((g) => g.pass !== false)).toBe(true);
    expect(report.evaluations).toHaveLength(6);

    const synthetic = readTable(readFileSync(o.out, 'utf8'), 'SYNTH.csv');
    expect(synthetic.columns.map((c) => c.name)).toEqual(['RI', 'Na', 'Mg', 'Al', 'Si', 'K', 'Ca', 'Ba', 'Fe', 'type']);
    expect(synthetic.rowCount).toBe(214);
    const oxides = synthetic.columns.slice(1, 9);
    for (let i = 0; i < synthetic.rowCount; i++) {
      let sum = 0;
      for (const c of oxides) {
        const v = c.values[i] as number;
        expect(v).toBeGreaterThanOrEqual(0);
        sum += v;
      }
      // Written values are rounded to the real column's decimals + 1 (3 places): 8 cells move the sum by 4e-3 at most.
      expect(sum).toBeGreaterThanOrEqual(99 - 4e-3);
      expect(sum).toBeLessThanOrEqual(100.1 + 4e-3);
    }
    expect(new Set(synthetic.columns[9].values as ReadonlyArray<string | null>).size).toBe(6);
  });

  it('birthwt: the derived rule low = (bwt < 2500) holds on every row, integer columns stay integer', async () => {
    const o = outputs();
    const r = await run('tabular', fixture('birthwt.csv'), '--out', o.out, '--report', o.report, '--constraints', fixture('birthwt_constraints.yaml'), '--target', 'bwt', '--budget', '4', '--rows', '300');
    expect([0, 3]).toContain(r.code);
    const text = readFileSync(o.out, 'utf8');
    const synthetic = readTable(text, 'SYNTH.csv');
    expect(synthetic.rowCount).toBe(300);
    const column = (name: string) => synthetic.columns.find((c) => c.name === name)!.values as Float64Array;
    const low = column('low');
    const bwt = column('bwt');
    for (let i = 0; i < 300; i++) expect(low[i]).toBe(bwt[i] < 2500 ? 1 : 0);
    expect(synthetic.columns.every((c) => isNumeric(c) && c.type === 'integer')).toBe(true);
    expect(text).not.toMatch(/\./);
    expect(readReport(o.report).metrics.constraint_violations.value).toBe(0);
  });

  it('writes the best attempt and exits 3 when no evaluation is all green, with failures naming the type, cause and suggestion', async () => {
    // Two categorical columns and a 0/1 column: every synthetic row repeats a train row, so dup_rate ≤ 0.05 cannot be met.
    const lines = ['colour,size,flag', ...Array.from({ length: 40 }, (_, i) => `${['red', 'blue'][i % 2]},${['S', 'M', 'L'][i % 3]},${(i * 7) % 5 < 2 ? 1 : 0}`)];
    const real = join(dir, 'categories.csv');
    writeFileSync(real, `${lines.join('\n')}\n`);
    const o = outputs();
    const r = await run('tabular', real, '--out', o.out, '--report', o.report, '--gates', 'all_green', '--budget', '4');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/calibrate: not all green: the best attempt is evaluation \d of 4/);
    expect(r.err).toMatch(/HIGH_DUP_RATE: dup_rate/);
    const report = readReport(o.report);
    expect(report.all_green).toBe(false);
    const failure = report.failures.find((f) => f.type === 'HIGH_DUP_RATE')!;
    expect(failure.cause).toMatch(/^dup_rate 1 > 0\.05 \(holdout floor 1\)\. The holdout, real rows the generator never saw \(what a perfect generator would make\), fails dup_rate too/);
    expect(failure.suggestion).toMatch(/the model of 4 evaluations predicts dup_rate/);
    expect(readFileSync(o.out, 'utf8').split('\n')[0]).toBe('colour,size,flag');
  });

  it('--generators limits the search to the generators named, and the report says which were searched', async () => {
    const o = outputs();
    const r = await run('tabular', fixture('wine.csv'), '--out', o.out, '--report', o.report, '--target', 'target', '--budget', '6', '--generators', 'gaussian_copula');
    expect([0, 3]).toContain(r.code);
    expect(r.err).toMatch(/calibrate: generators gaussian_copula;/);
    const report = readReport(o.report) as unknown as { generators: string[]; evaluations: Array<{ generator: string }> };
    expect(report.generators).toEqual(['gaussian_copula']);
    expect(report.evaluations).toHaveLength(6);
    expect(new Set(report.evaluations.map((e) => e.generator))).toEqual(new Set(['gaussian_copula']));
  });

  describe('bad input: exit 2, the message names the file, row, column or constraint, nothing is written', () => {
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, 'a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11\n12,13,14\n');
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'inequalities: ["Si <= Mg"]\n');
    const cases: Array<[string, string[], RegExp]> = [
      ['a ragged CSV', [ragged], /ragged\.csv, row 3: it has 2 fields, the header has 3/],
      ['a constraint the data breaks', [fixture('fgl.csv'), '--constraints', broken], /broken\.yaml, constraint Si <= Mg: row 2 of .*fgl\.csv breaks it/],
      ['an unknown column in --target', [fixture('fgl.csv'), '--target', 'Zn'], /fgl\.csv, column Zn: --target names this column, which the header does not have/],
      ['an unknown column in --group', [fixture('fgl.csv'), '--group', 'kind'], /column kind: --group names this column/],
      ['a bad flag', [fixture('fgl.csv'), '--budgets', '3'], /Unknown option '--budgets'/],
      ['an unknown preset', [fixture('fgl.csv'), '--gates', 'strict'], /--gates must be one of seed003_adjusted, seed003_original, all_green, got "strict"/],
      ['an unknown strategy', [fixture('fgl.csv'), '--strategy', 'tpe'], /--strategy must be one of bo, rules, random/],
      ['a budget of 0', [fixture('fgl.csv'), '--budget', '0'], /--budget must be a whole number ≥ 1/],
      ['a holdout share of 1', [fixture('fgl.csv'), '--holdout-share', '1'], /--holdout-share must be a number strictly between 0 and 1/],
      ['the same column as target and group', [fixture('fgl.csv'), '--target', 'type', '--group', 'type'], /--target and --group name the same column "type"/],
      ['a missing table', [join(dir, 'nope.csv')], /nope\.csv: no such file/],
      ['an unknown generator', [fixture('fgl.csv'), '--generators', 'jitter,ctgan'], /--generators must list some of jitter, gaussian_copula, vae separated by commas, got "jitter,ctgan"/],
      ['an empty generator list', [fixture('fgl.csv'), '--generators', ','], /--generators must list some of/],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const o = outputs();
        const r = await run('tabular', ...args, '--out', o.out, '--report', o.report);
        expect(r.code).toBe(2);
        expect(r.err).toMatch(message);
        expect(readdirSync(o.folder)).toEqual([]);
      });
    }

    it('a missing --report, and an output folder that does not exist', async () => {
      const o = outputs();
      expect(await run('tabular', fixture('fgl.csv'), '--out', o.out)).toMatchObject({ code: 2, err: expect.stringMatching(/--report is required/) });
      const r = await run('tabular', fixture('fgl.csv'), '--out', o.out, '--report', join(o.folder, 'no', 'REPORT.json'));
      expect(r).toMatchObject({ code: 2, err: expect.stringMatching(/REPORT\.json: the folder .* of --report does not exist/) });
      expect(readdirSync(o.folder)).toEqual([]);
    });
  });

  it('formats the table: the real columns in order, integers as integers, at most the real decimals + 1, missing cells empty, no blank lines', async () => {
    const real = join(dir, 'missing.csv');
    copyFileSync(fixture('birthwt_missing.csv'), real);
    const o = outputs();
    const r = await run('tabular', real, '--out', o.out, '--report', o.report, '--budget', '2', '--strategy', 'random', '--seed', '4');
    expect([0, 3]).toContain(r.code);
    const text = readFileSync(o.out, 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toBe('low,age,lwt,race,smoke,ptl,ht,ui,ftv,bwt');
    expect(lines[lines.length - 1]).toBe('');
    expect(lines.slice(1, -1)).toHaveLength(189);
    for (const line of lines.slice(1, -1)) {
      expect(line.split(',')).toHaveLength(10);
      expect(line).toMatch(/^(-?\d*,){9}-?\d*$/); // integer columns: whole numbers or empty
    }
    expect(lines.slice(1).some((l) => l.split(',').includes(''))).toBe(true);

    const glass = outputs();
    await run('tabular', fixture('fgl.csv'), '--out', glass.out, '--report', glass.report, '--budget', '2', '--strategy', 'random');
    const decimals = (cell: string) => (cell.includes('.') ? cell.split('.')[1].length : 0);
    const realLines = readFileSync(fixture('fgl.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const synthLines = readFileSync(glass.out, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    for (let j = 0; j < 9; j++) {
      const most = Math.max(...realLines.map((cells) => decimals(cells[j])));
      expect(Math.max(...synthLines.map((cells) => decimals(cells[j])))).toBeLessThanOrEqual(most + 1);
    }
    for (const cells of synthLines) for (const cell of cells.slice(0, 9)) expect(cell).toMatch(/^-?\d+(\.\d+)?$/); // plain decimals, never an exponent
  });

  it('is deterministic: the same seed writes the same files, another seed others', async () => {
    const args = (o: ReturnType<typeof outputs>, seed: string) => ['tabular', fixture('fgl.csv'), '--out', o.out, '--report', o.report, '--constraints', fixture('fgl_constraints.yaml'), '--group', 'type', '--budget', '5', '--gates', 'all_green', '--seed', seed];
    const [a, b, c] = [outputs(), outputs(), outputs()];
    await run(...args(a, '7'));
    await run(...args(b, '7'));
    await run(...args(c, '8'));
    expect(readFileSync(b.out)).toEqual(readFileSync(a.out));
    expect(readFileSync(b.report)).toEqual(readFileSync(a.report));
    expect(readFileSync(c.out)).not.toEqual(readFileSync(a.out));
  });

  it('spells non-finite numbers as strings in REPORT.json (a lost class makes class_balance_ratio Infinity)', async () => {
    // 3 synthetic rows cannot hold all six glass types.
    const o = outputs();
    const r = await run('tabular', fixture('fgl.csv'), '--out', o.out, '--report', o.report, '--group', 'type', '--rows', '3', '--budget', '1', '--strategy', 'rules');
    expect(r.code).toBe(3);
    const report = readReport(o.report);
    expect(report.metrics.class_balance_ratio.value).toBe('Infinity');
    expect(readFileSync(o.report, 'utf8')).not.toMatch(/[:[,]\s*-?(Infinity|NaN)\b/); // never a bare non-finite number
    expect(report.failures.find((f) => f.type === 'CLASS_IMBALANCE')?.cause).toMatch(/^class_balance_ratio Infinity > 5 \(holdout floor [\d.]+\): the rows per class/);
  });

  it('lists the command in the usage', async () => {
    const r = await run('help');
    expect(r.err).toMatch(/tabular REAL\.csv --out SYNTH\.csv --report REPORT\.json \[--constraints C\.yaml\]/);
  });
});
