import type { ParameterSet, ParameterSpace, ParameterValue } from '../../engine/space/space';

/**
 * Proposed parameter sets as the client reads them (`calibrate ask`, the page's downloads): CSV with the
 * header `param_set_id,<parameter names in the space's order>`, or JSON `[{param_set_id, params}]`.
 * Numbers are written in shortest round-trip form (JavaScript's String(x); integers without a point),
 * so a value read back parses to the same number.
 */
export interface ProposedSet {
  param_set_id: string;
  params: ParameterSet;
  /** A confirmation of the best set: how many samples of it to tell (JSON only; the CSV keeps its columns). */
  samples?: number;
}

/** A CSV cell: a number as String(x), a text quoted when it holds a comma, a quote, a line break or edge spaces. */
function cell(value: ParameterValue): string {
  if (typeof value === 'number') return String(value);
  return /[",\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}

export function proposalsCsv(space: ParameterSpace, sets: readonly ProposedSet[]): string {
  const names = space.parameters.map((p) => p.name);
  const lines = [['param_set_id', ...names].map(cell).join(','), ...sets.map((s) => [s.param_set_id, ...names.map((n) => cell(s.params[n]))].join(','))];
  return `${lines.join('\n')}\n`;
}

export function proposalsJson(sets: readonly ProposedSet[]): string {
  return `${JSON.stringify(sets.map((s) => ({ param_set_id: s.param_set_id, params: s.params, ...(s.samples !== undefined ? { samples: s.samples } : {}) })))}\n`;
}
