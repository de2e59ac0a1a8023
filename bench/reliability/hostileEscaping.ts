import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { formatTableForSpreadsheet } from '../../src/domains/tabular/csv/writeTable';
import { readTable } from '../../src/domains/tabular/csv/readTable';
import { NO_CONSTRAINTS } from '../../src/domains/tabular/constraints/types';
import type { Table } from '../../src/domains/tabular/table';
import { calibrationReport } from '../../src/domains/tabular/loop/report';
import { reportHtml } from '../../src/domains/tabular/loop/reportHtml';
import { calibrateTable } from '../../src/domains/tabular/loop/runCalibration';
import { createRng } from '../../src/engine/random/rng';
import { encodeNpy } from '../../src/storage/archive/npy';
import { run } from '../../tests/helpers/cli';
import { cliWorkspace } from './hostileCli';
import type { CaseOutcome, HostileCase } from './hostileCase';

/**
 * Exports and reports that embed the user's text (family 'escaping'). The outcome reads the written
 * output: `message` lists how each hostile text appears in it (the case's pattern is the escaped form),
 * and `changed` means a hostile text got through as it was — markup in an HTML report, a formula in a
 * CSV meant for spreadsheets. Names a spreadsheet would run never get in (hostileCli.ts: the space
 * file refuses them); these cases cover the texts that do.
 */

const SCRIPT = '<script>alert("x")</script>';
const ATTRIBUTE = '" onmouseover="alert(1)';
const AMP = 'R&D <b>';
const FILE_NAME = '<img src=x onerror=alert(1)>&table.csv';

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** How each hostile text appears in an HTML page: escaped (named), and whether one appears raw (changed). */
function htmlOutcome(where: string, html: string, texts: readonly string[]): CaseOutcome {
  const found = texts.map((t) => `${JSON.stringify(t)} → ${html.includes(escapeHtml(t).replace(/'/g, '&#39;')) ? 'escaped' : 'missing'}`);
  const raw = texts.filter((t) => html.includes(t));
  // Markup of our own texts' making: a script or img tag, or an attribute the quote broke out into.
  const markup = /<(script|img|iframe)\b/i.test(html) || html.includes(ATTRIBUTE);
  return {
    message: `${where}: ${found.join('; ')}`,
    changed: raw.length > 0 || markup,
    ...(raw.length ? { detail: `raw in the page: ${raw.join(', ')}` } : {}),
  };
}

export function escapingCases(): HostileCase[] {
  return [
    {
      id: 'escaping-voids-report-html',
      family: 'escaping',
      description: 'report.html of an exported study whose folder (its name), parameter names and a choice hold <script>, quotes and &',
      expect: /^report\.html: "<script>alert\(\\"x\\"\)<\/script>" → escaped; "\\" onmouseover=\\"alert\(1\)" → escaped; "R&D <b>" → escaped; .*"<i>study \\"x\\" & y" → escaped$/,
      run: async () => {
        const w = await cliWorkspace();
        const parent = join(w.dir, 'escaping-report');
        mkdirSync(parent, { recursive: true });
        const folderName = '<i>study "x" & y';
        const study = join(parent, folderName);
        const space = `parameters:\n  - {name: ${JSON.stringify(SCRIPT)}, type: float, low: 0, high: 1}\n  - {name: ${JSON.stringify(ATTRIBUTE)}, type: int, low: 1, high: 5}\n  - {name: kind, type: categorical, choices: [${JSON.stringify(AMP)}, plain]}\n`;
        const rng = createRng('escaping');
        const vectors = (n: number) => Float32Array.from({ length: n * 4 }, () => rng.normal(0, 1));
        writeFileSync(join(parent, 'space.yaml'), space);
        writeFileSync(join(parent, 'real.npy'), encodeNpy(vectors(8), [8, 4]));
        const steps = [await run('init', study, '--space', join(parent, 'space.yaml'), '--real', join(parent, 'real.npy'), '--batch', '2', '--initial', '2')];
        const asked = await run('ask', study);
        steps.push(asked);
        const ids = asked.out.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
        const header = `sample_id,param_set_id,${[SCRIPT, ATTRIBUTE, 'kind'].map((n) => `"${n.replace(/"/g, '""')}"`).join(',')}`;
        writeFileSync(join(parent, 'samples.csv'), `${header}\n${ids.map((id, i) => `s${i},${id},,,`).join('\n')}\n`);
        writeFileSync(join(parent, 'emb.npy'), encodeNpy(vectors(ids.length), [ids.length, 4]));
        steps.push(await run('tell', study, '--samples', join(parent, 'samples.csv'), '--embeddings', join(parent, 'emb.npy')));
        steps.push(await run('ask', study)); // a model-based batch: the report's tables of best and next sets
        steps.push(await run('export', study, '--zip', join(parent, 'out.zip')));
        const failed = steps.find((s) => s.code !== 0);
        if (failed) throw new Error(`the study for the report did not run: ${failed.err}`);
        const html = strFromU8(unzipSync(new Uint8Array(readFileSync(join(parent, 'out.zip'))))['report.html']);
        return htmlOutcome('report.html', html, [SCRIPT, ATTRIBUTE, AMP, folderName]);
      },
    },
    {
      id: 'escaping-tabular-report-html',
      family: 'escaping',
      description: "the tabular report page of a table read from a file named with an <img onerror> tag, whose class column is named <script>…",
      expect: /^report\.html: "<img src=x onerror=alert\(1\)>&table\.csv" → escaped; "<script>alert\(\\"x\\"\)<\/script>" → escaped$/,
      run: async () => {
        const glass = readFileSync(join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'tabular', 'fgl.csv'), 'utf8').replace('"type"', `"${SCRIPT.replace(/"/g, '""')}"`);
        const real = readTable(glass, FILE_NAME, { roles: { [SCRIPT]: 'group' } });
        const result = calibrateTable({ real, constraints: NO_CONSTRAINTS, group: SCRIPT, seed: 1, gates: 'seed003_adjusted', strategy: 'random', budget: 1 });
        const html = reportHtml(calibrationReport(result, { input: FILE_NAME, constraints: null, target: null, group: SCRIPT }));
        return htmlOutcome('report.html', html, [FILE_NAME, SCRIPT]);
      },
    },
    {
      id: 'escaping-cli-tabular-spreadsheet-safe',
      family: 'escaping',
      description: "`calibrate tabular --spreadsheet-safe` on the glass table whose class values begin with = and @: SYNTH.csv's categories written with a leading quote",
      expect: /^synth\.csv: every "=Win…" and "@…" category written as "'=Win…" \/ "'@…"; numbers unchanged \(\d+ rows\)$/,
      run: async () => {
        const w = await cliWorkspace();
        const folder = join(w.dir, 'escaping-cli-tabular');
        mkdirSync(folder, { recursive: true });
        const glass = readFileSync(join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'tabular', 'fgl.csv'), 'utf8').replace(/"Win/g, '"=Win').replace(/"Head"/g, '"@Head"');
        writeFileSync(join(folder, 'real.csv'), glass);
        const out = join(folder, 'synth.csv');
        const result = await run('tabular', join(folder, 'real.csv'), '--out', out, '--report', join(folder, 'report.json'), '--budget', '1', '--strategy', 'random', '--spreadsheet-safe');
        if (result.code !== 0 && result.code !== 3) throw new Error(`calibrate tabular failed: ${result.err}`);
        const lines = readFileSync(out, 'utf8').trim().split('\n').slice(1);
        const classes = lines.map((l) => l.slice(l.lastIndexOf(',') + 1));
        const raw = classes.filter((c) => /^[=@]/.test(c));
        const escaped = classes.filter((c) => /^'[=@]/.test(c));
        const numbersKept = lines.every((l) => l.split(',').slice(0, -1).every((cell) => /^-?\d+(\.\d+)?$/.test(cell)));
        return {
          message: escaped.length > 0 && raw.length === 0 ? `synth.csv: every "=Win…" and "@…" category written as "'=Win…" / "'@…"; ${numbersKept ? 'numbers unchanged' : 'numbers changed'} (${lines.length} rows)` : `synth.csv: ${raw.length} categories written raw`,
          changed: raw.length > 0,
        };
      },
    },
    {
      id: 'escaping-table-csv-spreadsheet',
      family: 'escaping',
      description: 'the spreadsheet-safe synthetic CSV of a table whose header and categories begin with =, +, -, @, tab and CR (and a plain -3.5)',
      expect: /^synth\.csv: '=HYPERLINK\(\); '\+cmd; '-cmd\|x; '@SUM\(A1\); '\\t=1; "'\\r=1"; -3\.5 kept; header '=head$/,
      run: async () => {
        const hostile = ['=HYPERLINK()', '+cmd', '-cmd|x', '@SUM(A1)', '\t=1', '\r=1'];
        // The table as a generator returns it (categories as the real table had them).
        const table: Table = {
          columns: [
            { name: '=head', type: 'categorical', role: 'feature', values: [...hostile, '-3.5'] },
            { name: 'x', type: 'integer', role: 'feature', values: Float64Array.from({ length: hostile.length + 1 }, (_, i) => i), decimals: 0 },
          ],
          rowCount: hostile.length + 1,
        };
        const out = formatTableForSpreadsheet(table);
        const cells = out.split('\n').slice(1, 1 + hostile.length).map((line) => line.slice(0, line.lastIndexOf(',')));
        const leaked = [...hostile, '=head'].filter((v) => !out.includes(`'${v}`));
        return {
          message: `synth.csv: ${cells.map((c) => JSON.stringify(c).slice(1, -1).replace(/\\"/g, '"')).join('; ')}; ${out.includes('\n-3.5,') ? '-3.5 kept' : '-3.5 changed'}; header ${out.split('\n')[0].split(',')[0]}`,
          changed: leaked.length > 0,
          ...(leaked.length ? { detail: `cells that still begin with a formula trigger: ${leaked.map((c) => JSON.stringify(c)).join(', ')}` } : {}),
        };
      },
    },
  ];
}
