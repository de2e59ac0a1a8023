import { readYamlDocument } from '../config/yamlInput';
import { readsAsFormula } from '../spreadsheetText';
import { StudyInputError } from '../studyInputError';
import { defineSpace, type ParameterSpace, type ParameterSpec, type ParameterValue } from './space';

/**
 * The parameter-space file of a bring-your-own-generator study, YAML or JSON (JSON text is read by the
 * same YAML 1.2 parser, of which it is a subset; a repeated key is refused in both):
 *
 *   parameters:
 *     - {name: brightness, type: float, low: 0.3, high: 0.8}
 *     - {name: size, type: float, low: 1, high: 100, log: true}
 *     - {name: count, type: int, low: 3, high: 20}
 *     - {name: shape, type: categorical, choices: [circle, ellipse, irregular]}
 *
 * The order of the list is the column order of every table that carries parameters. The file is
 * stricter than `defineSpace`: low must be below high, and names and choices must be writable as CSV
 * header cells and values without ambiguity.
 */

const TYPE_KIND = { float: 'continuous', int: 'integer', categorical: 'categorical' } as const;
type FileType = keyof typeof TYPE_KIND;
const KEYS: Record<FileType, readonly string[]> = {
  float: ['name', 'type', 'low', 'high', 'log'],
  int: ['name', 'type', 'low', 'high', 'log'],
  categorical: ['name', 'type', 'choices'],
};
/** The samples table's own columns, which no parameter may shadow. */
const RESERVED_NAMES = new Set(['sample_id', 'param_set_id']);

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why a name or choice cannot stand as a CSV header cell or value, or null when it can. A text a
 * spreadsheet would run as a formula (spreadsheetText.ts) is refused here, at the one door every space
 * file comes through, so the CSVs written from names and choices (`ask`, the page's downloads) are safe
 * to open in a spreadsheet and still read back exactly.
 */
function textProblem(text: string): string | null {
  if (text.length === 0) return 'is empty';
  if (text.trim() !== text) return 'has leading or trailing spaces';
  if (/[\r\n]/.test(text)) return 'contains a line break';
  if (readsAsFormula(text)) return `begins with ${JSON.stringify(text[0])}, which a spreadsheet runs as a formula (CSV injection): rename it`;
  return null;
}

/**
 * Parses a parameter-space file. `file` names it in errors (its extension does not matter: YAML and
 * JSON are read alike). Throws StudyInputError naming the parameter and the key at fault.
 */
export function parseSpaceFile(text: string, file = 'space.yaml'): ParameterSpace {
  return parseSpace(text, file, false).space;
}

/**
 * A space file that edits a running study's space. It reads as `parseSpaceFile` with two additions: a
 * numeric parameter may be fixed (low = high), and a parameter may carry `value`, the value the study's
 * earlier parameter sets had for it — which only a parameter new to the study may give, a rule the study
 * checks since only it knows which parameters are new. The values come back beside the space, never
 * inside a ParameterSpec, so nothing downstream of the space sees them.
 */
export function parseSpaceEditFile(text: string, file = 'space.yaml'): { space: ParameterSpace; values: Record<string, ParameterValue> } {
  return parseSpace(text, file, true);
}

function parseSpace(text: string, file: string, edit: boolean): { space: ParameterSpace; values: Record<string, ParameterValue> } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (body.trim().length === 0) throw new StudyInputError(file, 'the file is empty');
  const read = readYamlDocument(body, { uniqueKeys: true });
  if (!read.ok) throw new StudyInputError(file, read.reason);
  const root: unknown = read.value;
  if (!isMapping(root)) throw new StudyInputError(file, `the file must be a mapping with the key "parameters", not ${describeValue(root)}`);
  for (const key of Object.keys(root)) {
    if (key !== 'parameters') throw new StudyInputError(file, `unknown key "${key}" (the only top-level key is "parameters")`);
  }
  const list = root.parameters;
  if (list === undefined) throw new StudyInputError(file, 'the key "parameters" is missing');
  if (!Array.isArray(list)) throw new StudyInputError(file, `"parameters" must be a list, not ${describeValue(list)}`);
  if (list.length === 0) throw new StudyInputError(file, '"parameters" is empty: a space needs at least one parameter');

  const specs: ParameterSpec[] = [];
  const values: Record<string, ParameterValue> = {};
  const rowOf = new Map<string, number>();
  list.forEach((item: unknown, i) => {
    const fail = (detail: string, name?: string): never => {
      throw new StudyInputError(file, detail, { parameter: name ?? `#${i + 1}` });
    };
    if (!isMapping(item)) fail(`must be a mapping of name, type and bounds or choices, not ${describeValue(item)}`);
    const p = item as Record<string, unknown>;
    if (p.name === undefined) fail('the key "name" is missing');
    if (typeof p.name !== 'string') fail(`"name" must be text, not ${describeValue(p.name)}`);
    const name = p.name as string;
    const nameProblem = textProblem(name);
    if (nameProblem) fail(`the name ${nameProblem}`);
    if (RESERVED_NAMES.has(name)) fail(`"${name}" is a column of the samples table and cannot name a parameter`, name);
    const first = rowOf.get(name);
    if (first !== undefined) fail(`the name is used twice (parameters #${first} and #${i + 1})`, name);
    rowOf.set(name, i + 1);

    if (p.type === undefined) fail('the key "type" is missing', name);
    if (typeof p.type !== 'string' || !(p.type in TYPE_KIND)) {
      fail(`unknown type ${typeof p.type === 'string' ? JSON.stringify(p.type) : describeValue(p.type)} (the types are float, int and categorical)`, name);
    }
    const type = p.type as FileType;
    const keys = edit ? [...KEYS[type], 'value'] : KEYS[type];
    for (const key of Object.keys(p)) {
      if (!keys.includes(key)) fail(`unknown key "${key}" for type ${type} (its keys are ${keys.join(', ')})`, name);
    }

    if (type === 'categorical') {
      if (p.choices === undefined) fail('the key "choices" is missing', name);
      if (!Array.isArray(p.choices)) fail(`"choices" must be a list, not ${describeValue(p.choices)}`, name);
      const raw = p.choices as unknown[];
      if (raw.length === 0) fail('"choices" is empty: a categorical needs at least one choice', name);
      const choices: string[] = [];
      raw.forEach((c, k) => {
        // A number is accepted as its text (`[8, 16]` means the choices "8" and "16"); any other non-text is refused.
        if (typeof c === 'number' && Number.isFinite(c)) c = String(c);
        if (typeof c !== 'string') fail(`choice #${k + 1} must be text, not ${describeValue(c)}`, name);
        const choice = c as string;
        const problem = textProblem(choice);
        if (problem) fail(`choice #${k + 1} ${problem}`, name);
        if (choices.includes(choice)) fail(`the choice "${choice}" is listed twice`, name);
        choices.push(choice);
      });
      if (p.value !== undefined) {
        // As in choices, a number stands for its text.
        const value = typeof p.value === 'number' && Number.isFinite(p.value) ? String(p.value) : p.value;
        if (typeof value !== 'string' || !choices.includes(value)) fail(`"value" must be one of the choices (${choices.join(', ')}), not ${describeValue(p.value)}`, name);
        values[name] = value as string;
      }
      specs.push({ kind: 'categorical', name, choices });
      return;
    }

    for (const key of ['low', 'high'] as const) {
      if (p[key] === undefined) fail(`the key "${key}" is missing`, name);
      if (typeof p[key] !== 'number' || !Number.isFinite(p[key])) fail(`"${key}" must be a finite number, not ${describeValue(p[key])}`, name);
      if (type === 'int' && !Number.isInteger(p[key])) fail(`"${key}" is ${String(p[key])}, not a whole number (type int)`, name);
    }
    const low = p.low as number;
    const high = p.high as number;
    // Editing a study may fix a parameter at one value (low = high); a new study's space must leave each free.
    if (edit ? !(low <= high) : !(low < high)) fail(`low (${low}) must be less than ${edit ? 'or equal to ' : ''}high (${high})`, name);
    if (p.log !== undefined && typeof p.log !== 'boolean') fail(`"log" must be true or false, not ${describeValue(p.log)}`, name);
    const log = p.log === true;
    if (log && !(low > 0)) fail(`log: true needs low > 0, and low is ${low}`, name);
    if (p.value !== undefined) {
      const value = p.value;
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(`"value" must be a finite number, not ${describeValue(value)}`, name);
      if (type === 'int' && !Number.isInteger(value)) fail(`"value" is ${String(value)}, not a whole number (type int)`, name);
      if ((value as number) < low || (value as number) > high) fail(`"value" (${String(value)}) is outside [${low}, ${high}]`, name);
      values[name] = value as number;
    }
    specs.push({ kind: TYPE_KIND[type], name, low, high, ...(log ? { log: true } : {}) });
  });
  return { space: defineSpace(specs), values };
}

/**
 * A number as YAML that YAML 1.1 readers (PyYAML) read as a number too: the shortest round-trip text,
 * with ".0" added to an exponent form without a point, which YAML 1.1's float pattern requires.
 */
function yamlNumber(x: number): string {
  const s = String(x);
  return /e/.test(s) && !s.includes('.') ? s.replace('e', '.0e') : s;
}

/**
 * Writes a space in the file format, one flow mapping per parameter. Names and choices are written as
 * double-quoted strings (JSON string syntax, valid YAML) so that no reader takes `yes`, `null` or `1`
 * for anything but text. `parseSpaceFile(spaceToYaml(s))` gives `s` back.
 */
export function spaceToYaml(space: ParameterSpace): string {
  const lines = ['parameters:'];
  for (const p of space.parameters) {
    const name = JSON.stringify(p.name);
    if (p.kind === 'categorical') {
      lines.push(`  - {name: ${name}, type: categorical, choices: [${p.choices.map((c) => JSON.stringify(c)).join(', ')}]}`);
    } else {
      const type = p.kind === 'integer' ? 'int' : 'float';
      const log = p.log === true ? ', log: true' : '';
      lines.push(`  - {name: ${name}, type: ${type}, low: ${yamlNumber(p.low)}, high: ${yamlNumber(p.high)}${log}}`);
    }
  }
  return lines.join('\n') + '\n';
}
