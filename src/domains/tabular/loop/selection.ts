import type { Evaluation } from './evaluation';

/**
 * The selection rule: an all-green evaluation beats one that is not; then more gates passed; then the
 * smaller total shortfall of the failed gates (a near miss beats a wide one); then the higher utility;
 * then the earlier evaluation. The winner is the best all-green evaluation by utility, or, when none is
 * all green, the one closest to it.
 */
export function isBetter(a: Evaluation, b: Evaluation): boolean {
  if (a.gates.all_green !== b.gates.all_green) return a.gates.all_green;
  if (a.passed !== b.passed) return a.passed > b.passed;
  if (a.shortfall !== b.shortfall) return a.shortfall < b.shortfall;
  const ua = a.utility ?? -Infinity;
  const ub = b.utility ?? -Infinity;
  if (ua !== ub) return ua > ub;
  return a.index < b.index;
}

export const SELECTION_RULE =
  'the all-green evaluation with the highest utility; when none is all green, the evaluation passing the most gates, then the one whose failed gates miss by the least in total (relative to their thresholds), then the highest utility; ties go to the earlier evaluation';
