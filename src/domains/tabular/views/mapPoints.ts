import { takeRows, type Table } from '../table';
import { projectRows, rowMapAxisLabels, type RowMap } from './rowMap';
import { seededRows, type PerTable, type RowsUsed } from './seededRows';

/** Rows of each table placed on the map at most: a seeded subsample beyond. */
export const MAP_ROWS = 2000;

/** A table's rows on the map: coordinates and which rows they are. */
export interface MapCloud {
  readonly x: number[];
  readonly y: number[];
  /** Row indices into the table, increasing. */
  readonly rows: number[];
  readonly used: RowsUsed;
}

export interface RowMapPoints {
  /** "PC1 (41.2 % of variance)", "PC2 (17.9 % of variance)". */
  readonly axisLabels: [string, string];
  readonly clouds: PerTable<MapCloud>;
  /** Axis ranges holding every point shown, padded by 5 % of the span on each side. */
  readonly ranges: { readonly x: [number, number]; readonly y: [number, number] };
}

export function mapPoints(map: RowMap, tables: PerTable<Table>, seed: number): RowMapPoints {
  const cloud = (table: Table, label: string): MapCloud => {
    const rows = seededRows(table.rowCount, MAP_ROWS, `map-${label}`, seed);
    const placed = projectRows(map, rows.length === table.rowCount ? table : takeRows(table, rows));
    return { x: Array.from(placed.x), y: Array.from(placed.y), rows: Array.from(rows), used: { rows: rows.length, of: table.rowCount } };
  };
  const clouds = { train: cloud(tables.train, 'train'), holdout: cloud(tables.holdout, 'holdout'), synthetic: cloud(tables.synthetic, 'synthetic') };
  const all = [clouds.train, clouds.holdout, clouds.synthetic];
  return {
    axisLabels: rowMapAxisLabels(map),
    clouds,
    ranges: { x: paddedRange(all.flatMap((c) => c.x)), y: paddedRange(all.flatMap((c) => c.y)) },
  };
}

function paddedRange(values: readonly number[], padding = 0.05): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  if (low > high) return [-1, 1];
  const span = high - low || Math.abs(low) || 1;
  return [low - padding * span, high + padding * span];
}
