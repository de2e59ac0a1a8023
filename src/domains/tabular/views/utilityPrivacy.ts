import type { Evaluation } from '../loop/evaluation';
import type { GeneratorName } from '../loop/settingsSpace';

/** One evaluation on the utility-against-privacy plane. */
export interface TradeoffPoint {
  /** The evaluation's 1-based index. */
  readonly index: number;
  readonly generator: GeneratorName;
  readonly utility: number | null;
  readonly mia_auc: number | null;
  readonly dcr_median: number | null;
  readonly all_green: boolean;
}

export interface UtilityPrivacy {
  /** Every evaluation, in the order evaluated. */
  readonly points: TradeoffPoint[];
  /**
   * The feasible front: indices of the all-green evaluations that no other all-green evaluation
   * dominates (utility at least as high and mia_auc at least as low, one of them strictly), ordered by
   * mia_auc, then by utility, descending. Evaluations without a utility or an mia_auc are not on it.
   */
  readonly front: number[];
  /** The selected evaluation's index. */
  readonly bestIndex: number;
}

export function utilityPrivacy(evaluations: readonly Evaluation[], bestIndex: number): UtilityPrivacy {
  const points = evaluations.map(
    (e): TradeoffPoint => ({
      index: e.index,
      generator: e.generator,
      utility: e.utility,
      mia_auc: e.metrics.mia_auc.value,
      dcr_median: e.metrics.dcr_median.value,
      all_green: e.gates.all_green,
    }),
  );
  return { points, front: feasibleFront(points).map((p) => p.index), bestIndex };
}

type Placed = TradeoffPoint & { utility: number; mia_auc: number };

/** The all-green points on the Pareto front of higher utility and lower mia_auc, ordered as `front` says. */
export function feasibleFront(points: readonly TradeoffPoint[]): TradeoffPoint[] {
  const feasible = points.filter((p): p is Placed => p.all_green && p.utility !== null && p.mia_auc !== null);
  const dominates = (a: Placed, b: Placed) => a.utility >= b.utility && a.mia_auc <= b.mia_auc && (a.utility > b.utility || a.mia_auc < b.mia_auc);
  return feasible.filter((p) => !feasible.some((q) => dominates(q, p))).sort((a, b) => a.mia_auc - b.mia_auc || b.utility - a.utility || a.index - b.index);
}
