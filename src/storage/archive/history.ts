import type { ConfirmationTrigger, IterationRecord } from '../../engine/experiment/records';
import { regionTable, type RegionTable } from './regionTable';
import { toTaggedJson } from './taggedJson';

/**
 * history.json: the optimisation history per iteration. `iterations` holds the iteration records as
 * stored (observations with scores, the iteration's scores and noise floors, the optimizer's proposal —
 * recommendations and current best — and the convergence check), and is what import reads. `summary`,
 * `observations` and `plausible_region` are flat views derived from it for a Python reader
 * (pandas.DataFrame(...)).
 */

export interface HistorySummaryRow {
  iteration: number;
  stage: string;
  /** The iteration's synthetic batch vs the real set: unbiased MMD² (null until analysed). */
  mmd2_unbiased: number | null;
  /** Its real-vs-real noise floor band (null when unavailable). */
  noise_floor: { low: number; high: number; mean: number } | null;
  /** Lowest per-parameter-set score observed up to and including this iteration. */
  best_score_so_far: number | null;
  /** Whether the loop stopped here (convergence_detail says "converged" or "stopped, not converged"). */
  converged: boolean | null;
  convergence_detail: string | null;
  /** A confirmation iteration's statement (it starts with its verdict), else null. */
  confirmation_statement: string | null;
  /** What it confirmed: 'threshold' or 'user' (the best set), 'recipe' (the distribution recipe); null otherwise. */
  confirmation_trigger?: ConfirmationTrigger | null;
}

export interface HistoryObservation {
  iteration: number;
  param_set_id: string;
  dataset_type: string;
  params: Record<string, number | string>;
  score: number;
}

export interface HistoryFile {
  experiment_id: string;
  summary: HistorySummaryRow[];
  observations: HistoryObservation[];
  /** The latest proposal's plausible region as a table (parameter, best, interval, identifiable); null before any. */
  plausible_region?: RegionTable | null;
  iterations: Array<Omit<IterationRecord, 'experimentId'>>;
}

export function summarizeHistory(records: readonly IterationRecord[]): { summary: HistorySummaryRow[]; observations: HistoryObservation[] } {
  const observations: HistoryObservation[] = [];
  const summary: HistorySummaryRow[] = [];
  let best: number | null = null;
  for (const record of records) {
    for (const ps of record.paramSets) {
      if (ps.score === undefined || ps.dataset_type === 'real') continue;
      observations.push({ iteration: record.iteration, param_set_id: ps.param_set_id, dataset_type: ps.dataset_type, params: { ...ps.params }, score: ps.score.score });
      if (Number.isFinite(ps.score.score) && (best === null || ps.score.score < best)) best = ps.score.score;
    }
    const metric = record.scores?.metrics?.mmd2_unbiased;
    const floor = metric?.floor;
    summary.push({
      iteration: record.iteration,
      stage: record.stage,
      mmd2_unbiased: metric ? metric.value : null,
      noise_floor: floor && floor.available ? { low: floor.low, high: floor.high, mean: floor.mean } : null,
      best_score_so_far: best,
      converged: record.convergence ? record.convergence.converged : null,
      convergence_detail: record.convergence ? record.convergence.detail : null,
      confirmation_statement: record.confirmation?.statement ?? null,
      confirmation_trigger: record.confirmation?.trigger ?? null,
    });
  }
  return { summary, observations };
}

/** The records sorted by iteration, without the experiment id (the folder says whose they are). */
export function historyJson(experimentId: string, records: readonly IterationRecord[]): string {
  const sorted = [...records].sort((a, b) => a.iteration - b.iteration);
  const { summary, observations } = summarizeHistory(sorted);
  const file: HistoryFile = {
    experiment_id: experimentId,
    summary,
    observations,
    plausible_region: regionTable(sorted),
    iterations: sorted.map(({ experimentId: _drop, ...rest }) => rest),
  };
  return toTaggedJson(file);
}
