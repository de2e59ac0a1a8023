import { describe, expect, it } from 'vitest';
import { inferSpace } from '../../../src/engine/space/inferSpace';
import { inferSpaceFromCsv } from '../../../src/storage/formats/inferSpaceCsv';
import { inputError } from './studyInputHelpers';

describe('a space read off an existing batch', () => {
  it('numbers become float or int widened by 10 % of the range (not below 0 when all ≥ 0), text becomes choices', () => {
    const space = inferSpace([
      { name: 'gain', values: [0.5, 1.5, 2.5] },
      { name: 'offset', values: [-1, 1, 0.5] },
      { name: 'count', values: [3, 10, 20] },
      { name: 'shape', values: ['disc', 'ring', 'disc'] },
      { name: 'fixed', values: [2, 2] },
    ]);
    expect(space.parameters).toEqual([
      { kind: 'continuous', name: 'gain', low: 0.3, high: 2.7 },
      { kind: 'continuous', name: 'offset', low: -1.2, high: 1.2 },
      { kind: 'integer', name: 'count', low: 1, high: 22 },
      { kind: 'categorical', name: 'shape', choices: ['disc', 'ring'] },
      { kind: 'integer', name: 'fixed', low: 1, high: 3 },
    ]);
    expect(inferSpace([{ name: 'rate', values: [0.01, 0.2] }]).parameters[0]).toEqual({ kind: 'continuous', name: 'rate', low: 0, high: 0.219 });
  });

  it('reads a samples table (its id columns are not parameters) and names empty cells and ragged rows', () => {
    const space = inferSpaceFromCsv('sample_id,param_set_id,gain,shape\na,p1,1,disc\nb,p1,3,ring\n', 'batch.csv');
    expect(space.parameters.map((p) => p.name)).toEqual(['gain', 'shape']);
    expect(inputError(() => inferSpaceFromCsv('sample_id,gain\na,\n', 'batch.csv')).message).toBe('batch.csv, row 2, column gain: the value is empty: every sample needs every parameter');
    expect(inputError(() => inferSpaceFromCsv('gain,shape\n1\n', 'batch.csv')).message).toMatch(/batch\.csv, row 2: the row has 1 values but the header has 2 columns/);
    expect(inputError(() => inferSpaceFromCsv('sample_id,param_set_id\na,b\n', 'batch.csv')).message).toMatch(/no parameter columns/);
  });
});
