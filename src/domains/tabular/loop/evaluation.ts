import { hashSeed } from '../../../engine/random/rng';
import type { ParameterSet } from '../../../engine/space/space';
import { evaluateGates, type GateEvaluation, type GatePreset } from '../gates';
import type { GeneratedTable } from '../generators/generatedTable';
import type { TabularMetrics } from '../metrics/keys';
import { evaluateSynthetic, type TabularReference } from '../metrics/suite';
import { utility } from '../utility';
import { shortfall } from './gateConstraints';
import { generateWith } from './generateWith';
import { reportSettings, type GeneratorName, type SettingsContext } from './settingsSpace';

/** Where an evaluation's settings came from ('suggestion': the user ran a diagnosis's suggested settings). */
export type EvaluationOrigin = 'default' | 'initial' | 'model' | 'rule' | 'random' | 'suggestion';

/** What the optimizer's model predicted for a proposal before it was evaluated. */
export interface PredictedOutcome {
  utility: number;
  /** The probability that every modelled gate passes. */
  p_all_green: number;
}

export interface Evaluation {
  /** 1-based, in the order evaluated. */
  index: number;
  origin: EvaluationOrigin;
  /** Why these settings: the rule applied (rules strategy), or null. */
  note: string | null;
  params: ParameterSet;
  generator: GeneratorName;
  /** The chosen generator's settings (reportSettings). */
  settings: Record<string, number | boolean>;
  metrics: TabularMetrics;
  gates: GateEvaluation;
  /** The utility (mean of the fidelity complements); null when none applies. */
  utility: number | null;
  /** Gates passed, and gates that apply to the table. */
  passed: number;
  applicable: number;
  /** Σ over the failed gates of how far each misses, relative (gateConstraints.shortfall); 0 when all green. */
  shortfall: number;
  predicted: PredictedOutcome | null;
}

/** Called after each training pass of a generator that trains (the VAE): a worker reports progress with it. */
export type TrainingProgress = (epoch: number, epochs: number) => void;

export interface EvaluationRequest {
  reference: TabularReference;
  context: SettingsContext;
  preset: GatePreset;
  rows: number;
  /** The calibration's seed: each evaluation's generator seed is hashed from it and the index. */
  seed: number;
}

/**
 * One evaluation: the synthetic table from train with the settings (projected onto the constraints by
 * the generator, which flags the rows it changed), every metric against train with the reference's fixed
 * draws (the same subsamples and folds for every evaluation, so differences between evaluations are the
 * settings', not the metrics' draws), the gates and the utility.
 */
export function evaluateSettings(
  request: EvaluationRequest,
  index: number,
  proposal: { params: ParameterSet; origin: EvaluationOrigin; note: string | null; predicted?: PredictedOutcome | null },
  onTraining?: TrainingProgress,
): { evaluation: Evaluation; table: GeneratedTable } {
  const { reference, context, preset } = request;
  const table = generateWith(reference.train, proposal.params, context, {
    rows: request.rows,
    seed: hashSeed('tabular-evaluation', request.seed, index),
    constraints: reference.constraints,
    onProgress: onTraining,
  });
  const metrics = evaluateSynthetic(reference, table.table, { clipped: table.clipped });
  const gates = evaluateGates(metrics, preset);
  const applicable = gates.gates.filter((g) => g.pass !== null);
  return {
    evaluation: {
      index,
      origin: proposal.origin,
      note: proposal.note,
      params: proposal.params,
      generator: proposal.params.generator as GeneratorName,
      settings: reportSettings(proposal.params),
      metrics,
      gates,
      utility: utility(metrics),
      passed: applicable.filter((g) => g.pass === true).length,
      applicable: applicable.length,
      shortfall: applicable.reduce((sum, g) => sum + (g.pass === false ? shortfall(g, g.value as number) : 0), 0),
      predicted: proposal.predicted ?? null,
    },
    table,
  };
}
