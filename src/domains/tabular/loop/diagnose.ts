import { fitConstrainedModel, suggestFeasible, type FeasibleSuggestion } from '../../../engine/optimizer';
import { hashSeed } from '../../../engine/random/rng';
import type { ParameterSet, ParameterSpace } from '../../../engine/space/space';
import type { Gate, GatePreset } from '../gates';
import type { MetricKey } from '../metrics/keys';
import { gatesTheFloorFails, rootCause } from './causes';
import type { Evaluation } from './evaluation';
import type { FailedGate, FailureGroup, FailureType } from './failureTypes';
import { gateValue } from './gateConstraints';
import { handRule } from './handRules';
import { modelledGates, toObservations } from './observations';
import { reportSettings, shortNumber, describeSettings, type GeneratorName, type SettingsContext } from './settingsSpace';

/** What the model suggests trying: settings, with what it predicts for them. */
export interface SuggestedSettings {
  generator: GeneratorName;
  /** The point of the settings space, as an evaluation takes it (what "run this suggestion" evaluates). */
  params: ParameterSet;
  settings: Record<string, number | boolean>;
  predicted: {
    utility: number;
    /** The probability that every modelled gate passes. */
    p_all_green: number;
    /** Per modelled gate: the predicted value (null for a pass/fail gate) and the probability it passes. */
    gates: Array<{ metric: MetricKey; value: number | null; p_pass: number }>;
  };
}

export interface Failure {
  type: FailureType;
  /** The gates of this type that failed, with their values, thresholds and holdout floors. */
  gates: FailedGate[];
  /** The root cause in words. */
  cause: string;
  /** What to try, in words: the model's suggestion with its predictions, or a rule of thumb without a model. */
  suggestion: string;
  /** The model's suggested settings (null when there were too few evaluations for a model). */
  suggested: SuggestedSettings | null;
}

export interface DiagnosisContext {
  space: ParameterSpace;
  context: SettingsContext;
  preset: GatePreset;
  seed: number;
  failuresOf(evaluation: Evaluation): FailureGroup[];
}

/** The fewest evaluations the diagnosis fits a model to (with fewer it gives the rule of thumb). */
export const MIN_MODEL_EVALUATIONS = 3;

interface ModelSuggestion {
  suggestion: FeasibleSuggestion;
  gates: Gate[];
  count: number;
}

/**
 * The model's suggestion from every evaluation made (whatever the strategy): the objective's and every
 * applicable gate's GP, and the settings with the best predicted utility among those predicted to pass
 * every gate with probability ½ or more — else the settings likeliest to pass (suggestFeasible).
 */
function modelSuggestion(evaluations: readonly Evaluation[], d: DiagnosisContext): ModelSuggestion | null {
  if (evaluations.length < MIN_MODEL_EVALUATIONS) return null;
  const gates = modelledGates(d.preset, evaluations);
  const model = fitConstrainedModel(d.space, toObservations(evaluations, gates), gates.map((g) => g.metric), { seed: hashSeed('tabular-diagnosis', d.seed) });
  return { suggestion: suggestFeasible(model, { seed: hashSeed('tabular-suggestion', d.seed) }), gates, count: evaluations.length };
}

function suggestedSettings(m: ModelSuggestion): SuggestedSettings {
  const p = m.suggestion.predicted;
  return {
    generator: m.suggestion.params.generator as GeneratorName,
    params: m.suggestion.params,
    settings: reportSettings(m.suggestion.params),
    predicted: {
      utility: -p.objective.mean,
      p_all_green: p.feasibility,
      gates: m.gates.map((g, k) => ({ metric: g.metric, value: gateValue(g, p.constraints[k].mean), p_pass: p.constraints[k].probability })),
    },
  };
}

/** "k 0.5 → 0.82, class_balance 1 → 0.8", or "switch to gaussian_copula (…)": from one set to another. */
function changes(from: ParameterSet, to: ParameterSet): string {
  if (from.generator !== to.generator) return `a switch from ${String(from.generator)} to ${String(to.generator)}`;
  const a = reportSettings(from);
  const b = reportSettings(to);
  const show = (v: number | boolean | undefined) => (typeof v === 'number' ? shortNumber(v) : v ? 'yes' : 'no');
  const diff = Object.keys(b).filter((key) => a[key] !== b[key]).map((key) => `${key} ${show(a[key])} → ${show(b[key])}`);
  return diff.length ? diff.join(', ') : 'the same settings';
}

function predictedGateText(s: SuggestedSettings, metric: MetricKey, gate: Gate | undefined): string {
  const g = s.predicted.gates.find((x) => x.metric === metric);
  if (!g || !gate) return `${metric} (not modelled)`;
  const chance = `P(pass) ${Math.round(100 * g.p_pass)} %`;
  return g.value === null ? `${metric} passing with ${chance}` : `${metric} ${shortNumber(g.value)} (${gate.op} ${shortNumber(gate.threshold)}, ${chance})`;
}

function modelText(group: FailureGroup, evaluation: Evaluation, m: ModelSuggestion, s: SuggestedSettings): string {
  const gateTexts = group.gates.map((g) => predictedGateText(s, g.metric, m.gates.find((x) => x.metric === g.metric)));
  const lead = m.suggestion.likelyFeasible
    ? `Try ${describeSettings(m.suggestion.params)} (${changes(evaluation.params, m.suggestion.params)})`
    : `No settings are predicted to pass every gate with even odds; the likeliest is ${describeSettings(m.suggestion.params)} (${changes(evaluation.params, m.suggestion.params)})`;
  return `${lead}: the model of ${m.count} evaluations predicts ${gateTexts.join(', ')}, utility ${shortNumber(s.predicted.utility)}, and a ${Math.round(100 * s.predicted.p_all_green)} % chance that every gate passes.`;
}

function floorNote(group: FailureGroup): string {
  const failing = gatesTheFloorFails(group).map((g) => g.metric);
  return failing.length ? ` The holdout fails ${failing.join(' and ')} as well: a preset whose threshold real data meets is the lasting fix.` : '';
}

/**
 * Failures of an evaluation that is not all green, one per failure type: the gates that failed and by
 * how much, the root cause in words, and a suggestion — the model's (the settings it predicts would
 * pass, with the predicted values of the failing gates, the utility and the chance that every gate
 * passes) when there are enough evaluations, else the hand rule as a rule of thumb. Empty when the
 * evaluation is all green.
 */
export function diagnose(evaluation: Evaluation, evaluations: readonly Evaluation[], d: DiagnosisContext): Failure[] {
  const groups = d.failuresOf(evaluation);
  if (groups.length === 0) return [];
  const m = modelSuggestion(evaluations, d);
  const suggested = m ? suggestedSettings(m) : null;
  return groups.map((group): Failure => {
    let suggestion: string;
    if (m && suggested) suggestion = modelText(group, evaluation, m, suggested);
    else {
      const rule = handRule(group, evaluation.params, d.context);
      suggestion = `Rule of thumb (${evaluations.length} evaluation${evaluations.length === 1 ? '' : 's'}, too few for a model): ${rule ? rule.note.replace(`${group.type}: `, '') : 'no rule applies at these settings'}.`;
    }
    return { type: group.type, gates: group.gates, cause: rootCause(group, evaluation), suggestion: suggestion + floorNote(group), suggested };
  });
}
