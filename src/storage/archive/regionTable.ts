import type { IterationRecord } from '../../engine/experiment/records';
import type { ParameterValue } from '../../engine/space/space';

/**
 * The plausible region of the latest proposal as a flat table — parameter, best, plausible interval,
 * identifiable? — for report.html and history.json (a Python reader loads it with pandas.DataFrame).
 */

export interface RegionRow {
  parameter: string;
  /** The current best's value (null without a best). */
  best: ParameterValue | null;
  /** [low, high] (5th–95th percentile of the plausible values) or, for a categorical, the plausible choices. */
  interval: [number, number] | string[];
  /** The interval's share of the range (≥ 0.8: not identifiable). */
  coverage: number;
  identifiable: boolean;
}

export interface RegionTable {
  /** The iteration whose proposal carries the region. */
  iteration: number;
  /** δ (score units) and the plausible share of the space. */
  tolerance: number;
  share: number;
  /** One row per parameter in the space's order; empty when no point is plausible. */
  rows: RegionRow[];
  /** Why there are no rows (no plausible point), else null. */
  statement: string | null;
}

/** The table of the latest iteration whose proposal has a region, or null when none has. */
export function regionTable(iterations: readonly IterationRecord[]): RegionTable | null {
  const latest = [...iterations].sort((a, b) => b.iteration - a.iteration).find((it) => it.proposal?.region);
  if (!latest) return null;
  const { region, current_best } = latest.proposal!;
  const best = current_best[0]?.params;
  return {
    iteration: latest.iteration,
    tolerance: region!.tolerance,
    share: region!.share,
    statement: region!.statement,
    rows: region!.parameters.map((p) => ({
      parameter: p.name,
      best: best?.[p.name] ?? null,
      interval: p.kind === 'categorical' ? [...p.interval] : [p.interval[0], p.interval[1]],
      coverage: p.coverage,
      identifiable: p.identifiable,
    })),
  };
}
