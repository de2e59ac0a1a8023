import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTable, type ReadTableOptions } from '../../../src/domains/tabular/csv/readTable';
import { findColumn, isNumeric, type CategoricalColumn, type NumericColumn, type Table } from '../../../src/domains/tabular/table';
import { TabularInputError } from '../../../src/domains/tabular/tabularInputError';
import type { NewTableCalibration } from '../../../src/app/tabularService';
import { GENERATOR_NAMES } from '../../../src/domains/tabular/loop/settingsSpace';

/** The tabular fixtures (tests/fixtures/tabular, README there) and small helpers for the tests. */
export const tabularFixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'tabular');

export function fixtureText(name: string): string {
  return readFileSync(join(tabularFixtures, name), 'utf8');
}

export function fixtureTable(name: string, options: ReadTableOptions = {}): Table {
  return readTable(fixtureText(name), name, options);
}

export function numericColumn(table: Table, name: string): NumericColumn {
  const c = findColumn(table, name);
  if (!c || !isNumeric(c)) throw new Error(`${name} is not numeric`);
  return c;
}

export function categoricalColumn(table: Table, name: string): CategoricalColumn {
  const c = findColumn(table, name);
  if (!c || isNumeric(c)) throw new Error(`${name} is not categorical`);
  return c;
}

/** The TabularInputError `fn` throws (fails the test when it throws nothing or something else). */
export function inputFailure(fn: () => unknown): TabularInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TabularInputError) return e;
    throw e;
  }
  throw new Error('expected a TabularInputError');
}

/** The glass table as a page calibration: its constraints, type as the group, seed003_adjusted, bo, 6 evaluations. */
export function glassCalibration(overrides: Partial<NewTableCalibration> = {}): NewTableCalibration {
  return {
    name: 'glass',
    source: { file: 'fgl.csv', bytes: new Uint8Array(readFileSync(join(tabularFixtures, 'fgl.csv'))) },
    choices: { types: {}, roles: { type: 'group' } },
    constraints: fixtureText('fgl_constraints.yaml'),
    gates: 'seed003_adjusted',
    strategy: 'bo',
    budget: 6,
    seed: 2,
    rows: null,
    holdoutShare: 0.2,
    generators: [...GENERATOR_NAMES],
    ...overrides,
  };
}
