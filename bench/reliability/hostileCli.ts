import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../src/engine/random/rng';
import { encodeNpy } from '../../src/storage/archive/npy';
import { folderDigest, run } from '../../tests/helpers/cli';
import { aliasBomb, bigYaml } from './hostileTexts';
import type { CaseOutcome, HostileCase, HostileFamily } from './hostileCase';

/**
 * Inputs of the command line (families 'space', 'csv', 'embeddings', 'constraints', and the space
 * side of 'escaping'), each through the real command, in-process (calibrate(), as `npm run calibrate`
 * runs it): the outcome's message is `exit N: <stderr>`, every case expects exit 2 and a message naming
 * the file and the row, column, parameter or constraint, and "changed" compares every file's bytes of
 * the study folder (or the tabular command's folder, where SYNTH.csv and REPORT.json must not appear)
 * before and after.
 */

const SPACE = `parameters:
  - {name: brightness, type: float, low: 0.3, high: 0.8}
  - {name: count, type: int, low: 3, high: 20}
  - {name: shape, type: categorical, choices: [circle, ellipse, irregular]}
`;
const D = 6;

interface Workspace {
  dir: string;
  study: string;
  /** A samples CSV and embeddings .npy that `tell` accepts (the first asked batch, 2 replicates each). */
  samples: string;
  embeddings: string;
  /** The asked rows' sample lines (without the header), for variants. */
  sampleRows: string[];
  write(name: string, content: string | Uint8Array): string;
}

let workspace: Promise<Workspace> | null = null;

function vectors(rows: number, seed: string): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * D }, () => rng.normal(0, 1));
}

/** One study, initialised and asked once, shared by the cases (each compares its own before and after). */
export function cliWorkspace(): Promise<Workspace> {
  workspace ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lcs-hostile-'));
    const write = (name: string, content: string | Uint8Array) => {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    };
    const study = join(dir, 'study');
    const init = await run('init', study, '--space', write('space.yaml', SPACE), '--real', write('real.npy', encodeNpy(vectors(12, 'real'), [12, D])), '--batch', '2', '--initial', '2', '--seed', '1');
    if (init.code !== 0) throw new Error(`the campaign's study did not initialise: ${init.err}`);
    const asked = await run('ask', study);
    if (asked.code !== 0) throw new Error(`the campaign's study did not ask: ${asked.err}`);
    const ids = asked.out.trim().split('\n').slice(1).map((line) => line.split(',')[0]);
    const sampleRows = ids.flatMap((id) => [0, 1].map((r) => `s_${id}_${r},${id},,,`));
    const samples = write('samples.csv', `sample_id,param_set_id,brightness,count,shape\n${sampleRows.join('\n')}\n`);
    const embeddings = write('emb.npy', encodeNpy(vectors(sampleRows.length, 'told'), [sampleRows.length, D]));
    return { dir, study, samples, embeddings, sampleRows, write };
  })();
  return workspace;
}

/** Runs a command; exit code and stderr as the message, the folder's bytes compared (absent counts as a state). */
export async function commandOutcome(folder: string, argv: string[]): Promise<CaseOutcome> {
  const state = () => (existsSync(folder) ? folderDigest(folder).join('\n') : '(no folder)');
  const before = state();
  const result = await run(...argv);
  const after = state();
  return {
    message: `exit ${result.code}: ${result.err.trim().split('\n')[0]}`,
    changed: after !== before || result.out !== '',
    detail: `${folder.endsWith('study') ? 'study folder' : 'folder'} compared byte for byte${result.out ? `; stdout: ${result.out.slice(0, 80)}` : ''}`,
  };
}

const named = (file: string, rest: string) => new RegExp(`^exit 2: calibrate: \\S*${file.replace(/\./g, '\\.')}, ${rest}`);
const namedFile = (file: string, rest: string) => new RegExp(`^exit 2: calibrate: \\S*${file.replace(/\./g, '\\.')}: ${rest}`);

/** .npy bytes with `descr` and `fortran` in the header (same length), over float32 data. */
function npyWith(rows: number, header: { descr?: string; fortran?: boolean; shape?: string }): Uint8Array {
  const bytes = encodeNpy(vectors(rows, 'variant'), [rows, D]);
  const length = bytes[8] | (bytes[9] << 8);
  let text = new TextDecoder().decode(bytes.subarray(10, 10 + length));
  if (header.descr) text = text.replace("'<f4'", `'${header.descr}'`);
  if (header.fortran) text = text.replace('False', 'True');
  if (header.shape) text = text.replace(/\(\d+, \d+\)/, header.shape);
  text = text.replace(/ *\n$/, '').padEnd(length - 1, ' ') + '\n';
  const out = bytes.slice();
  out.set(new TextEncoder().encode(text), 10);
  return out;
}

const UTF16_BOM = Uint8Array.from([0xff, 0xfe, ...Array.from('sample_id,param_set_id\n', (c) => [c.charCodeAt(0), 0]).flat()]);

export function cliCases(): HostileCase[] {
  const tell = (id: string, family: HostileFamily, description: string, expect: RegExp, files: (w: Workspace) => { samples?: string; embeddings?: string }): HostileCase => ({
    id,
    family,
    description,
    expect,
    run: async () => {
      const w = await cliWorkspace();
      const given = files(w);
      return commandOutcome(w.study, ['tell', w.study, '--samples', given.samples ?? w.samples, '--embeddings', given.embeddings ?? w.embeddings]);
    },
  });
  const editSpace = (id: string, family: HostileFamily, description: string, expect: RegExp, text: string): HostileCase => ({
    id,
    family,
    description,
    expect,
    run: async () => {
      const w = await cliWorkspace();
      return commandOutcome(w.study, ['space', w.study, '--space', w.write(`${id}.yaml`, text)]);
    },
  });
  const initSpace = (id: string, family: HostileFamily, description: string, expect: RegExp, text: string): HostileCase => ({
    id,
    family,
    description,
    expect,
    run: async () => {
      const w = await cliWorkspace();
      const study = join(w.dir, `${id}-study`);
      return commandOutcome(study, ['init', study, '--space', w.write(`${id}.yaml`, text), '--real', join(w.dir, 'real.npy')]);
    },
  });
  const rows = (w: Workspace) => w.sampleRows.length;
  return [
    // Parameter-space files: `space STUDY --space NEW.yaml` on a study with pending sets, and `init`.
    editSpace('space-alias-bomb', 'space', 'a space file that is a YAML alias bomb', namedFile('space-alias-bomb.yaml', 'its aliases \\(\\*name\\) expand past the limit of 100'), aliasBomb('parameters')),
    editSpace('space-10mb', 'space', 'a space file of 10 MB', namedFile('space-10mb.yaml', 'the document is 10\\.0 MB, over the 1\\.0 MB limit'), bigYaml(10, 'notes')),
    editSpace('space-wrong-type', 'space', 'low given as text', named('space-wrong-type.yaml', 'parameter brightness: "low" must be a finite number, not the text "zero"'), SPACE.replace('low: 0.3', 'low: zero')),
    editSpace('space-unknown-key', 'space', 'a parameter with an unknown key "step"', named('space-unknown-key.yaml', 'parameter brightness: unknown key "step"'), SPACE.replace('high: 0.8}', 'high: 0.8, step: 0.1}')),
    editSpace('space-unknown-top-key', 'space', 'an unknown top-level key "paramters" (misspelt)', namedFile('space-unknown-top-key.yaml', 'unknown key "paramters"'), `${SPACE}paramters: []\n`),
    editSpace('space-out-of-range', 'space', 'high given as 1e400 (beyond a double)', named('space-out-of-range.yaml', 'parameter brightness: "high" must be a finite number, not Infinity'), SPACE.replace('high: 0.8', 'high: 1e400')),
    editSpace('space-low-above-high', 'space', 'low above high', named('space-low-above-high.yaml', 'parameter count: low \\(30\\) must be less than or equal to high \\(20\\)'), SPACE.replace('low: 3,', 'low: 30,')),
    editSpace('space-json-wrong-shape', 'space', 'a JSON space whose "parameters" is a string', namedFile('space-json-wrong-shape.yaml', '"parameters" must be a list, not the text "all of them"'), '{"parameters": "all of them"}'),
    initSpace('space-init-syntax', 'space', 'init with a space file whose flow list never closes', namedFile('space-init-syntax.yaml', 'line \\d+, column \\d+: '), 'parameters:\n  - {name: a, type: float, low: 0, high: [1\n'),
    initSpace('space-init-int-fraction', 'space', 'init with an int parameter bounded by 2.5', named('space-init-int-fraction.yaml', 'parameter count: "high" is 2\\.5, not a whole number \\(type int\\)'), SPACE.replace('high: 20', 'high: 2.5')),

    // Samples CSVs (`tell --samples`).
    tell('csv-samples-ragged', 'csv', 'a samples row with one cell too few', named('ragged.csv', 'row 3: '), (w) => ({ samples: w.write('ragged.csv', `sample_id,param_set_id,brightness,count,shape\n${w.sampleRows[0]}\n${w.sampleRows[1].slice(0, -1)}\n`) })),
    tell('csv-samples-empty', 'csv', 'an empty samples file (0 bytes)', namedFile('empty.csv', 'the file is empty'), (w) => ({ samples: w.write('empty.csv', '') })),
    tell('csv-samples-header', 'csv', 'a samples header without the "shape" column', named('header.csv', 'row 1, column shape: the parameter is missing from the header'), (w) => ({
      samples: w.write('header.csv', `sample_id,param_set_id,brightness,count\n${w.sampleRows.map((r) => r.slice(0, -1)).join('\n')}\n`),
    })),
    tell('csv-samples-utf16', 'csv', 'a samples file saved as UTF-16 with its byte-order mark', namedFile('utf16.csv', 'invalid UTF-8 at byte 0: the file must be UTF-8 text'), (w) => ({ samples: w.write('utf16.csv', UTF16_BOM) })),
    tell('csv-samples-bom-extra-column', 'csv', 'a UTF-8 samples file with a byte-order mark and an extra column "colour"', named('bom.csv', '.*colour'), (w) => ({
      samples: w.write('bom.csv', `\uFEFFsample_id,param_set_id,brightness,count,shape,colour\n${w.sampleRows.map((r) => `${r},red`).join('\n')}\n`),
    })),
    tell('csv-samples-bad-integer', 'csv', 'an attached row with count 3.5', named('fraction.csv', 'row 2, column count: 3\\.5 is not an integer'), (w) => ({
      samples: w.write('fraction.csv', `sample_id,param_set_id,brightness,count,shape\nnew_1,,0.5,3.5,circle\n`),
      embeddings: w.write('one.npy', encodeNpy(vectors(1, 'one'), [1, D])),
    })),
    // Embeddings CSVs (`tell --embeddings X.csv`).
    tell('csv-emb-nan', 'csv', 'an embeddings CSV with NaN in row 2', named('nan.csv', 'row 2, column e3: NaN is not a finite number'), (w) => ({
      embeddings: w.write('nan.csv', Array.from({ length: rows(w) }, (_, i) => Array.from({ length: D }, (_, j) => (i === 1 && j === 3 ? 'NaN' : '0.5')).join(',')).join('\n') + '\n'),
    })),
    tell('csv-emb-infinity', 'csv', 'an embeddings CSV with Infinity in row 1', named('inf.csv', 'row 1, column e0: Infinity is not a finite number'), (w) => ({
      embeddings: w.write('inf.csv', Array.from({ length: rows(w) }, (_, i) => Array.from({ length: D }, (_, j) => (i === 0 && j === 0 ? 'Infinity' : '0.5')).join(',')).join('\n') + '\n'),
    })),
    tell('csv-emb-ragged', 'csv', 'an embeddings CSV whose row 3 has one value too few', named('ragged-emb.csv', 'row 3: the row has 5 values but row 1 has 6'), (w) => ({
      embeddings: w.write('ragged-emb.csv', Array.from({ length: rows(w) }, (_, i) => Array.from({ length: i === 2 ? D - 1 : D }, () => '0.5').join(',')).join('\n') + '\n'),
    })),
    tell('csv-emb-header', 'csv', 'an embeddings CSV with the header e0,e1,…,x', named('header-emb.csv', 'row 1: the header must be exactly e0,e1,…,e5; column 6 is "x"'), (w) => ({
      embeddings: w.write('header-emb.csv', `e0,e1,e2,e3,e4,x\n${Array.from({ length: rows(w) }, () => Array(D).fill('0.5').join(',')).join('\n')}\n`),
    })),

    // Embeddings .npy (`tell --embeddings X.npy`).
    tell('emb-npy-nan', 'embeddings', 'an .npy with NaN in row 2', named('nan.npy', 'row 2, column e1: NaN is not a finite number'), (w) => {
      const data = vectors(rows(w), 'nan');
      data[D + 1] = Number.NaN;
      return { embeddings: w.write('nan.npy', encodeNpy(data, [rows(w), D])) };
    }),
    tell('emb-npy-int32', 'embeddings', 'an .npy of int32', namedFile('int.npy', "dtype '<i4' \\(little-endian int32\\) is not supported"), (w) => ({ embeddings: w.write('int.npy', npyWith(rows(w), { descr: '<i4' })) })),
    tell('emb-npy-big-endian', 'embeddings', 'an .npy of big-endian float32', namedFile('big.npy', "dtype '>f4' \\(big-endian float32\\) is not supported.*little-endian"), (w) => ({ embeddings: w.write('big.npy', npyWith(rows(w), { descr: '>f4' })) })),
    tell('emb-npy-fortran', 'embeddings', 'an .npy in Fortran order', namedFile('fortran.npy', 'the array is in Fortran order'), (w) => ({ embeddings: w.write('fortran.npy', npyWith(rows(w), { fortran: true })) })),
    tell('emb-npy-rows', 'embeddings', 'an .npy with one row fewer than the samples file', /^exit 2: calibrate: .*(samples\.csv|short\.npy).*(rows|row)/, (w) => ({ embeddings: w.write('short.npy', encodeNpy(vectors(rows(w) - 1, 'short'), [rows(w) - 1, D])) })),
    tell('emb-npy-lying-header', 'embeddings', 'an .npy whose header claims 10^9 rows', namedFile('liar.npy', 'not a valid \\.npy file: shape \\(1000000000, 6\\) needs \\d+ data bytes but the file has \\d+'), (w) => ({
      embeddings: w.write('liar.npy', npyWith(rows(w), { shape: '(1000000000, 6)' })),
    })),
    tell('emb-npy-3d', 'embeddings', 'a 3-D .npy', namedFile('cube.npy', 'the array is 3-D with shape \\(\\d+, 2, 3\\)'), (w) => ({ embeddings: w.write('cube.npy', npyWith(rows(w), { shape: `(${rows(w)}, 2, 3)` })) })),
    tell('emb-npy-not-npy', 'embeddings', 'a PNG named .npy', namedFile('picture.npy', 'not a valid \\.npy file: missing the \\\\x93NUMPY magic'), (w) => ({
      embeddings: w.write('picture.npy', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13])),
    })),
    tell('emb-npy-width', 'embeddings', 'an .npy of 7 columns where the real vectors have 6', namedFile('wide.npy', 'the vectors have 7 values each, the study\'s real vectors have 6'), (w) => ({ embeddings: w.write('wide.npy', encodeNpy(Float32Array.from({ length: rows(w) * 7 }, () => 0.1), [rows(w), 7])) })),

    // Escaping, at the input: names and choices that a spreadsheet would run as formulas.
    initSpace('escaping-space-formula-choice', 'escaping', 'init with a categorical choice "=HYPERLINK(…)" (it would reach ask\'s CSV)', named('formula-choice.yaml', 'parameter shape: choice #2 begins with "=", which a spreadsheet runs as a formula'), SPACE.replace('ellipse', `'=HYPERLINK("http://x","y")'`)),
    initSpace('escaping-space-formula-name', 'escaping', 'init with a parameter named "@SUM(A1:A9)"', named('formula-name.yaml', 'parameter #1: the name begins with "@", which a spreadsheet runs as a formula'), SPACE.replace('name: brightness', 'name: "@SUM(A1:A9)"')),
    editSpace('escaping-space-plus-choice', 'escaping', 'a space edit adding the choice "+cmd|calc"', named('plus-choice.yaml', 'parameter shape: choice #4 begins with "\\+", which a spreadsheet runs as a formula'), SPACE.replace('irregular]', 'irregular, "+cmd|calc"]')),
  ];
}

/** The tabular command's inputs: a real table and a constraints file, in a folder of their own. */
export function tabularCases(): HostileCase[] {
  const glass = readFileSync(join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'tabular', 'fgl.csv'));
  const tabular = (id: string, family: HostileFamily, description: string, expect: RegExp, inputs: { table?: string | Uint8Array; constraints?: string }): HostileCase => ({
    id,
    family,
    description,
    expect,
    run: async () => {
      const w = await cliWorkspace();
      const folder = join(w.dir, id);
      mkdirSync(folder);
      const table = join(folder, `${id}.csv`);
      writeFileSync(table, inputs.table ?? glass);
      const argv = ['tabular', table, '--out', join(folder, 'synth.csv'), '--report', join(folder, 'report.json'), '--budget', '1'];
      if (inputs.constraints !== undefined) {
        writeFileSync(join(folder, `${id}.yaml`), inputs.constraints);
        argv.push('--constraints', join(folder, `${id}.yaml`));
      }
      return commandOutcome(folder, argv);
    },
  });
  const fgl = glass.toString('utf8');
  return [
    tabular('csv-table-empty', 'csv', 'an empty real table', namedFile('csv-table-empty.csv', 'the file is empty'), { table: '' }),
    tabular('csv-table-ragged', 'csv', 'a real table whose row 4 has an extra field', named('csv-table-ragged.csv', 'row 4: it has 11 fields, the header has 10'), {
      table: fgl.split('\n').map((l, i) => (i === 3 ? `${l},9` : l)).join('\n'),
    }),
    tabular('csv-table-utf16', 'csv', 'a real table saved as UTF-16 (byte-order mark FF FE)', named('csv-table-utf16.csv', '.*byte 0xff at offset 0 is not UTF-8'), { table: Uint8Array.from([0xff, 0xfe, ...Array.from(fgl.slice(0, 200), (c) => [c.charCodeAt(0), 0]).flat()]) }),
    tabular('csv-table-duplicate-header', 'csv', 'a real table naming two columns "Na"', named('csv-table-duplicate-header.csv', 'row 1, column Na: the header names two columns "Na"'), { table: fgl.replace('"Mg"', '"Na"') }),
    tabular('constraints-alias-bomb', 'constraints', 'a constraints file that is a YAML alias bomb', namedFile('constraints-alias-bomb.yaml', 'its aliases \\(\\*name\\) expand past the limit'), { constraints: aliasBomb('nonnegative') }),
    tabular('constraints-10mb', 'constraints', 'a constraints file of 10 MB', namedFile('constraints-10mb.yaml', 'the document is 10\\.0 MB, over the 1\\.0 MB limit'), { constraints: bigYaml(10, 'notes') }),
    tabular('constraints-unknown-key', 'constraints', 'an unknown top-level key "bound" (misspelt)', namedFile('constraints-unknown-key.yaml', 'unknown key "bound"'), { constraints: 'bound: {RI: {low: -7, high: 16}}\n' }),
    tabular('constraints-wrong-type', 'constraints', 'bounds given as a list', named('constraints-wrong-type.yaml', 'constraint bounds: must be a mapping'), { constraints: 'bounds: [1, 2]\n' }),
    tabular('constraints-out-of-range', 'constraints', 'a sum group with low above high', named('constraints-out-of-range.yaml', 'constraint sum_groups\\[0\\]: low 101 is above high 99'), { constraints: 'sum_groups: [{columns: [Na, Mg], low: 101, high: 99}]\n' }),
    tabular('constraints-unknown-column', 'constraints', 'nonnegative names a column the table lacks', /^exit 2: calibrate: \S*constraints-unknown-column\.yaml, constraint nonnegative.*Zn/, { constraints: 'nonnegative: [Na, Zn]\n' }),
    tabular('constraints-broken-by-data', 'constraints', 'an inequality the real rows break', /^exit 2: calibrate: \S*constraints-broken-by-data\.yaml, constraint Si <= Mg: row \d+ of \S*csv-table-|^exit 2: calibrate: \S*constraints-broken-by-data\.yaml, constraint Si <= Mg: row \d+/, { constraints: 'inequalities: ["Si <= Mg"]\n' }),
  ];
}
