import { describe, expect, it } from 'vitest';
import { readStudyResults } from '../../../src/app/studyResults';
import { parseSpaceFile } from '../../../src/engine/space/spaceFile';
import { encodeNpy } from '../../../src/storage/archive/npy';
import { proposalsCsv, proposalsJson } from '../../../src/storage/formats/proposals';
import { readResultsJson } from '../../../src/storage/formats/resultsJson';
import { bytesOf, inputError } from './studyInputHelpers';

const space = parseSpaceFile(`parameters:
  - {name: gain, type: float, low: 0.5, high: 4}
  - {name: count, type: int, low: 3, high: 20}
  - {name: shape, type: categorical, choices: [disc, "big, round"]}
`);
const json = (samples: unknown) => JSON.stringify({ samples });

describe('results JSON (one file: samples with their embeddings)', () => {
  it('reads pending sets without params, attached rows with typed params, and a bare array alike', () => {
    const text = json([
      { sample_id: 's1', param_set_id: 'ps_0001', embedding: [1, 2] },
      { sample_id: 7, param_set_id: null, params: { gain: 5, count: 4, shape: 'big, round' }, embedding: [3, 4.5] },
    ]);
    const { samples, vectors } = readResultsJson(text, space, 'r.json');
    expect(samples).toEqual([
      { row: 1, index: 0, sample_id: 's1', param_set_id: 'ps_0001', params: {}, missing: ['gain', 'count', 'shape'], outside: [] },
      { row: 2, index: 1, sample_id: '7', param_set_id: null, params: { gain: 5, count: 4, shape: 'big, round' }, missing: [], outside: ['gain'] },
    ]);
    expect([vectors.rows, vectors.cols, [...vectors.data]]).toEqual([2, 2, [1, 2, 3, 4.5]]);
    expect(readResultsJson(JSON.stringify([{ sample_id: 'a', param_set_id: 'p', embedding: [1] }]), space).samples).toHaveLength(1);
  });

  it('refuses, naming the sample and the key: unknown keys and parameters, wrong types, ragged or non-finite embeddings, duplicate ids', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[{ sample_id: 's', param_set_id: 'p', embedding: [1], extra: 1 }], /r\.json, row 1: unknown key "extra"/],
      [[{ sample_id: 's', param_set_id: 'p', params: { size: 1 }, embedding: [1] }], /r\.json, row 1, column size: "size" is not a parameter/],
      [[{ sample_id: 's', param_set_id: 'p', params: { count: 3.5 }, embedding: [1] }], /r\.json, row 1, column count: 3\.5 is not an integer/],
      [[{ sample_id: 's', param_set_id: 'p', params: { shape: 'ring' }, embedding: [1] }], /column shape: "ring" is not one of disc, big, round/],
      [[{ sample_id: 's', param_set_id: 'p', params: { gain: true }, embedding: [1] }], /column gain: true is neither a number nor a text/],
      [[{ sample_id: 's', param_set_id: 3, embedding: [1] }], /column param_set_id: param_set_id must be a text/],
      [[{ sample_id: 's', param_set_id: 'p' }], /row 1: the sample has no "embedding"/],
      [[{ sample_id: 'a', param_set_id: 'p', embedding: [1, 2] }, { sample_id: 'b', param_set_id: 'p', embedding: [1] }], /row 2: the vector has 1 values but row 1 has 2/],
      [[{ sample_id: 'a', param_set_id: 'p', embedding: [1, null] }], /row 1, column e1: null is not a number/],
      [[{ sample_id: 'a', param_set_id: 'p', embedding: [1] }, { sample_id: 'a', param_set_id: 'p', embedding: [2] }], /sample_id "a" is used by row 1 and row 2/],
      [[], /the file holds no samples/],
    ];
    for (const [samples, message] of cases) expect(inputError(() => readResultsJson(json(samples), space, 'r.json')).message).toMatch(message);
    expect(inputError(() => readResultsJson('{"samples": [', space, 'r.json')).message).toMatch(/r\.json: not valid JSON/);
    expect(inputError(() => readResultsJson('{"rows": []}', space, 'r.json')).message).toMatch(/must hold \{"samples": \[\.\.\.\]\}/);
  });
});

describe('results a user uploads in the page', () => {
  const table = 'sample_id,param_set_id,gain,count,shape\ns1,p1,,,\ns2,p1,,,\n';
  const npy = encodeNpy(Float32Array.from([1, 2, 3, 4]), [2, 2]);
  it('pairs a samples table with its embeddings in either order, or reads one JSON', () => {
    for (const files of [
      [{ name: 'b.csv', bytes: bytesOf(table) }, { name: 'e.npy', bytes: npy }],
      [{ name: 'e.npy', bytes: npy }, { name: 'b.csv', bytes: bytesOf(table) }],
      [{ name: 'e.csv', bytes: bytesOf('1,2\n3,4\n') }, { name: 'b.csv', bytes: bytesOf(table) }],
    ]) {
      const { samples, file } = readStudyResults(files, space);
      expect(file).toBe('b.csv');
      expect(samples.map((s) => [s.sample_id, s.param_set_id, [...s.vector]])).toEqual([['s1', 'p1', [1, 2]], ['s2', 'p1', [3, 4]]]);
    }
    const one = readStudyResults([{ name: 'r.json', bytes: bytesOf(json([{ sample_id: 'x', param_set_id: 'p', embedding: [9, 8] }])) }], space);
    expect([one.file, [...one.samples[0].vector]]).toEqual(['r.json', [9, 8]]);
  });

  it('refuses what it cannot pair, naming the files, and rows that do not align', () => {
    expect(inputError(() => readStudyResults([{ name: 'b.csv', bytes: bytesOf(table) }], space)).message).toMatch(/b\.csv: one file must be a results \.json/);
    expect(inputError(() => readStudyResults([{ name: 'a.npy', bytes: npy }, { name: 'b.npy', bytes: npy }], space)).message).toMatch(/a\.npy, b\.npy: neither file is a samples table/);
    expect(inputError(() => readStudyResults([{ name: 'b.csv', bytes: bytesOf(table) }, { name: 'e.txt', bytes: npy }], space)).message).toMatch(/e\.txt: vectors must be a \.npy, \.csv or \.json file/);
    const three = encodeNpy(new Float32Array(6), [3, 2]);
    expect(inputError(() => readStudyResults([{ name: 'b.csv', bytes: bytesOf(table) }, { name: 'e.npy', bytes: three }], space)).message).toMatch(/b\.csv: 2 sample rows, but e\.npy has 3 vectors/);
  });
});

describe('proposals as the client downloads them', () => {
  const sets = [{ param_set_id: 'ps_0003', params: { gain: 0.1 + 0.2, count: 4, shape: 'big, round' } }];
  it('CSV in the space order with shortest round-trip numbers and quoted text; JSON as asked', () => {
    expect(proposalsCsv(space, sets)).toBe('param_set_id,gain,count,shape\nps_0003,0.30000000000000004,4,"big, round"\n');
    expect(JSON.parse(proposalsJson(sets))).toEqual(sets);
  });
});
