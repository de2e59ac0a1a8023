import { describe, expect, it } from 'vitest';
import { defineSpace, encodeToUnitCube, decodeFromUnitCube } from '../../../src/engine/space/space';
import { parseSpaceFile, spaceToYaml } from '../../../src/engine/space/spaceFile';
import { inputError } from './studyInputHelpers';

const EXAMPLE = `parameters:
  - {name: brightness, type: float, low: 0.3, high: 0.8}
  - {name: size, type: float, low: 1, high: 100, log: true}
  - {name: count, type: int, low: 3, high: 20}
  - {name: shape, type: categorical, choices: [circle, ellipse, irregular]}
`;

/** One parameter line in a file of its own. */
const one = (item: string) => `parameters:\n  - ${item}\n`;

describe('parameter-space file: good files', () => {
  it('reads the YAML example in list order, with the log flag only where set', () => {
    const space = parseSpaceFile(EXAMPLE, 'space.yaml');
    expect(space.parameters).toEqual([
      { kind: 'continuous', name: 'brightness', low: 0.3, high: 0.8 },
      { kind: 'continuous', name: 'size', low: 1, high: 100, log: true },
      { kind: 'integer', name: 'count', low: 3, high: 20 },
      { kind: 'categorical', name: 'shape', choices: ['circle', 'ellipse', 'irregular'] },
    ]);
  });

  it('reads the same space from JSON (with a BOM, CRLF line ends and tab indentation)', () => {
    const json =
      '\uFEFF{\r\n\t"parameters": [\r\n' +
      '\t\t{"name": "brightness", "type": "float", "low": 0.3, "high": 0.8},\r\n' +
      '\t\t{"name": "size", "type": "float", "low": 1, "high": 100, "log": true},\r\n' +
      '\t\t{"name": "count", "type": "int", "low": 3, "high": 20},\r\n' +
      '\t\t{"name": "shape", "type": "categorical", "choices": ["circle", "ellipse", "irregular"]}\r\n\t]\r\n}\r\n';
    expect(parseSpaceFile(json, 'space.json')).toEqual(parseSpaceFile(EXAMPLE));
  });

  it('accepts log: false, and numeric choices as their text', () => {
    const space = parseSpaceFile(`parameters:\n  - {name: a, type: float, low: -1, high: 1, log: false}\n  - {name: n, type: categorical, choices: [8, 16]}\n`);
    expect(space.parameters).toEqual([
      { kind: 'continuous', name: 'a', low: -1, high: 1 },
      { kind: 'categorical', name: 'n', choices: ['8', '16'] },
    ]);
  });

  it('writes the example back as YAML and reads it to the same space', () => {
    const space = parseSpaceFile(EXAMPLE);
    const text = spaceToYaml(space);
    expect(text).toBe(
      'parameters:\n' +
        '  - {name: "brightness", type: float, low: 0.3, high: 0.8}\n' +
        '  - {name: "size", type: float, low: 1, high: 100, log: true}\n' +
        '  - {name: "count", type: int, low: 3, high: 20}\n' +
        '  - {name: "shape", type: categorical, choices: ["circle", "ellipse", "irregular"]}\n',
    );
    expect(parseSpaceFile(text)).toEqual(space);
  });

  it('round-trips awkward names, choices and numbers', () => {
    const space = defineSpace([
      { kind: 'continuous', name: 'yes', low: 1e-7, high: 1e21, log: true },
      { kind: 'continuous', name: 'a: b # c', low: -0.1, high: 1 / 3 },
      { kind: 'integer', name: 'null', low: -5, high: 5 },
      { kind: 'categorical', name: 'quote"d', choices: ['1', 'true', 'x,y', 'über', '"q"', '~'] },
    ]);
    const text = spaceToYaml(space);
    // Exponent forms carry a point, which YAML 1.1 readers need to see a float.
    expect(text).toContain('low: 1.0e-7, high: 1.0e+21');
    expect(parseSpaceFile(text)).toEqual(space);
  });
});

describe('parameter-space file: refusals name the file and the parameter', () => {
  it('low equal to or above high', () => {
    const e = inputError(() => parseSpaceFile(one('{name: b, type: float, low: 0.8, high: 0.8}'), 'my.yaml'));
    expect(e.file).toBe('my.yaml');
    expect(e.parameter).toBe('b');
    expect(e.message).toBe('my.yaml, parameter b: low (0.8) must be less than high (0.8)');
    expect(inputError(() => parseSpaceFile(one('{name: n, type: int, low: 5, high: 2}'))).message).toMatch(/parameter n: low \(5\) must be less than high \(2\)/);
  });

  it('a duplicate name, naming both positions', () => {
    const e = inputError(() =>
      parseSpaceFile('parameters:\n  - {name: a, type: float, low: 0, high: 1}\n  - {name: a, type: int, low: 0, high: 1}\n'),
    );
    expect(e.message).toBe('space.yaml, parameter a: the name is used twice (parameters #1 and #2)');
  });

  it('an empty categorical list and a repeated choice', () => {
    expect(inputError(() => parseSpaceFile(one('{name: s, type: categorical, choices: []}'))).message).toMatch(/parameter s: "choices" is empty/);
    expect(inputError(() => parseSpaceFile(one('{name: s, type: categorical, choices: [a, b, a]}'))).message).toMatch(
      /parameter s: the choice "a" is listed twice/,
    );
    // 1 and "1" are the same choice once read as text.
    expect(inputError(() => parseSpaceFile(one('{name: s, type: categorical, choices: [1, "1"]}'))).message).toMatch(/"1" is listed twice/);
  });

  it('log with low ≤ 0, and a log flag that is not a boolean', () => {
    expect(inputError(() => parseSpaceFile(one('{name: s, type: float, low: 0, high: 1, log: true}'))).message).toBe(
      'space.yaml, parameter s: log: true needs low > 0, and low is 0',
    );
    expect(inputError(() => parseSpaceFile(one('{name: k, type: int, low: -3, high: 5, log: true}'))).message).toMatch(/parameter k: log: true needs low > 0/);
    expect(inputError(() => parseSpaceFile(one('{name: k, type: int, low: 1, high: 5, log: yes}'))).message).toMatch(/"log" must be true or false, not the text "yes"/);
  });

  it('an unknown type', () => {
    expect(inputError(() => parseSpaceFile(one('{name: t, type: double, low: 0, high: 1}'))).message).toBe(
      'space.yaml, parameter t: unknown type "double" (the types are float, int and categorical)',
    );
  });

  it('an unknown key: at the top, in a parameter, or a key of another type', () => {
    expect(inputError(() => parseSpaceFile(EXAMPLE + 'seed: 3\n')).message).toBe('space.yaml: unknown key "seed" (the only top-level key is "parameters")');
    expect(inputError(() => parseSpaceFile(one('{name: a, type: float, low: 0, high: 1, step: 0.1}'))).message).toMatch(/parameter a: unknown key "step" for type float/);
    expect(inputError(() => parseSpaceFile(one('{name: a, type: float, low: 0, high: 1, choices: [x]}'))).message).toMatch(/unknown key "choices" for type float/);
    expect(inputError(() => parseSpaceFile(one('{name: c, type: categorical, choices: [x], low: 0}'))).message).toMatch(/parameter c: unknown key "low" for type categorical/);
  });

  it('a missing field', () => {
    expect(inputError(() => parseSpaceFile(one('{type: float, low: 0, high: 1}'))).message).toBe('space.yaml, parameter #1: the key "name" is missing');
    expect(inputError(() => parseSpaceFile(one('{name: a, low: 0, high: 1}'))).message).toMatch(/parameter a: the key "type" is missing/);
    expect(inputError(() => parseSpaceFile(one('{name: a, type: float, high: 1}'))).message).toMatch(/parameter a: the key "low" is missing/);
    expect(inputError(() => parseSpaceFile(one('{name: a, type: int, low: 1}'))).message).toMatch(/parameter a: the key "high" is missing/);
    expect(inputError(() => parseSpaceFile(one('{name: c, type: categorical}'))).message).toMatch(/parameter c: the key "choices" is missing/);
    expect(inputError(() => parseSpaceFile('{}\n')).message).toBe('space.yaml: the key "parameters" is missing');
  });

  it('an integer bound that is not whole', () => {
    expect(inputError(() => parseSpaceFile(one('{name: count, type: int, low: 2.5, high: 9}'))).message).toBe(
      'space.yaml, parameter count: "low" is 2.5, not a whole number (type int)',
    );
    expect(inputError(() => parseSpaceFile(one('{name: count, type: int, low: 2, high: 9.01}'))).message).toMatch(/"high" is 9.01, not a whole number/);
  });

  it('bounds that are not finite numbers', () => {
    expect(inputError(() => parseSpaceFile(one('{name: a, type: float, low: 0, high: .inf}'))).message).toMatch(/parameter a: "high" must be a finite number, not Infinity/);
    expect(inputError(() => parseSpaceFile(one('{name: a, type: float, low: "0", high: 1}'))).message).toMatch(/"low" must be a finite number, not the text "0"/);
  });

  it('names that cannot be a CSV column of their own', () => {
    expect(inputError(() => parseSpaceFile(one('{name: sample_id, type: float, low: 0, high: 1}'))).message).toMatch(/parameter sample_id: .* column of the samples table/);
    expect(inputError(() => parseSpaceFile(one('{name: " a", type: float, low: 0, high: 1}'))).message).toMatch(/leading or trailing spaces/);
    expect(inputError(() => parseSpaceFile(one('{name: 7, type: float, low: 0, high: 1}'))).message).toMatch(/parameter #1: "name" must be text, not 7/);
    expect(inputError(() => parseSpaceFile(one('{name: s, type: categorical, choices: [a, ""]}'))).message).toMatch(/parameter s: choice #2 is empty/);
  });

  it('files that are not a space at all', () => {
    expect(inputError(() => parseSpaceFile('', 'e.yaml')).message).toBe('e.yaml: the file is empty');
    expect(inputError(() => parseSpaceFile('- a\n- b\n')).message).toMatch(/must be a mapping with the key "parameters", not a list/);
    expect(inputError(() => parseSpaceFile('parameters: {a: 1}\n')).message).toMatch(/"parameters" must be a list, not a mapping/);
    expect(inputError(() => parseSpaceFile('parameters: []\n')).message).toMatch(/"parameters" is empty/);
    expect(inputError(() => parseSpaceFile('parameters:\n  - just-a-name\n')).message).toMatch(/parameter #1: must be a mapping/);
  });

  it('YAML syntax errors and repeated keys, with the line', () => {
    expect(inputError(() => parseSpaceFile('parameters:\n  - {name: a, name: b, type: float, low: 0, high: 1}\n')).message).toMatch(
      /^space\.yaml: line 2, column \d+: Map keys must be unique/,
    );
    expect(inputError(() => parseSpaceFile('parameters: [\n', 'bad.json')).message).toMatch(/^bad\.json: line \d+, column \d+: /);
  });
});

describe('the log flag in the engine', () => {
  it('is validated by defineSpace, and the unit-cube encoding is linear in ln v where it is set', () => {
    expect(() => defineSpace([{ kind: 'continuous', name: 'a', low: 0, high: 1, log: true }])).toThrow(/"a".*log-scaled.*low > 0/);
    expect(() => defineSpace([{ kind: 'integer', name: 'n', low: -1, high: 3, log: true }])).toThrow(/"n".*low > 0/);
    const plain = defineSpace([{ kind: 'continuous', name: 'a', low: 1, high: 100 }, { kind: 'integer', name: 'n', low: 1, high: 9 }]);
    const logged = defineSpace([{ kind: 'continuous', name: 'a', low: 1, high: 100, log: true }, { kind: 'integer', name: 'n', low: 1, high: 9, log: true }]);
    const point = { a: 10, n: 3 };
    expect(encodeToUnitCube(plain, point)).toEqual([9 / 99, 2 / 8]);
    const [a, n] = encodeToUnitCube(logged, point);
    expect(a).toBeCloseTo(0.5, 12);
    expect(n).toBeCloseTo(0.5, 12);
    expect(decodeFromUnitCube(logged, [0.5, 0.5])).toEqual({ a: expect.closeTo(10, 9), n: 3 });
  });
});
