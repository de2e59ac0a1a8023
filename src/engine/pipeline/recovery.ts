import type { ExperimentConfig } from '../config/experimentConfig';
import { datasetDistributionFromConfig, parameterSpaceFromConfig } from '../config/space';
import type { ParameterSet } from '../space/space';

/**
 * Parameter recovery for a simulated target: how close the optimizer's best parameter set (best posterior
 * mean) is to the hidden truth. Numeric parameters: |best − mean of the hidden real sets| as a share of the
 * parameter's range (0 = exact, 1 = the whole range off). Categorical: whether the best choice is the
 * hidden sets' most frequent one. The configured real distribution is reported beside it, since the five
 * hidden sets are themselves a small draw from it.
 */
export interface ParameterRecoveryRow {
  name: string;
  kind: 'continuous' | 'integer' | 'categorical';
  best: number | string;
  hiddenMean?: number;
  hiddenRange?: [number, number];
  hiddenMode?: string;
  configured: string;
  /** Numeric: |best − hiddenMean| / (high − low). */
  normalizedError?: number;
  /** Categorical: best equals the hidden mode. */
  matches?: boolean;
}

export interface ParameterRecovery {
  rows: ParameterRecoveryRow[];
  /** Mean normalized error over numeric parameters. */
  meanNormalizedError: number;
  categoricalMatches: number;
  categoricalTotal: number;
}

export function parameterRecovery(config: ExperimentConfig, best: ParameterSet, hidden: ReadonlyArray<{ params: ParameterSet }>): ParameterRecovery {
  if (hidden.length === 0) throw new Error('parameterRecovery: no hidden real parameter sets (only a simulated target has them)');
  const space = parameterSpaceFromConfig(config);
  const distribution = datasetDistributionFromConfig(config, 'real');
  const rows: ParameterRecoveryRow[] = space.parameters.map((p) => {
    const d = distribution[p.name];
    if (p.kind === 'categorical') {
      const counts = new Map<string, number>();
      for (const h of hidden) counts.set(String(h.params[p.name]), (counts.get(String(h.params[p.name])) ?? 0) + 1);
      const mode = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
      const configured = d?.kind === 'categorical' ? Object.entries(d.probabilities).map(([k, v]) => `${k} ${v}`).join(', ') : 'uniform';
      return { name: p.name, kind: p.kind, best: String(best[p.name]), hiddenMode: mode, configured, matches: String(best[p.name]) === mode };
    }
    const values = hidden.map((h) => Number(h.params[p.name]));
    const hiddenMean = values.reduce((s, v) => s + v, 0) / values.length;
    const value = Number(best[p.name]);
    // Four significant digits: a self-check's point setting is a float the optimizer found (17.27188507345813).
    const configured = d?.kind === 'normal' ? `N(${Number(d.mean.toPrecision(4))}, ${Number(d.std.toPrecision(4))}²)` : 'uniform';
    return {
      name: p.name,
      kind: p.kind,
      best: value,
      hiddenMean,
      hiddenRange: [Math.min(...values), Math.max(...values)],
      configured,
      normalizedError: p.high > p.low ? Math.abs(value - hiddenMean) / (p.high - p.low) : 0,
    };
  });
  const numeric = rows.filter((r) => r.normalizedError !== undefined);
  const categorical = rows.filter((r) => r.matches !== undefined);
  return {
    rows,
    meanNormalizedError: numeric.length ? numeric.reduce((s, r) => s + r.normalizedError!, 0) / numeric.length : 0,
    categoricalMatches: categorical.filter((r) => r.matches).length,
    categoricalTotal: categorical.length,
  };
}
