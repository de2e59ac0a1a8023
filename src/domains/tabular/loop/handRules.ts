import type { ParameterSet } from '../../../engine/space/space';
import type { FailureGroup, FailureType } from './failureTypes';
import { BANDWIDTH_RANGE, FLIP_RANGE, JITTER_K_RANGE, defaultSettings, shortNumber, type SettingsContext } from './settingsSpace';

/**
 * The users' rule-based retry loop, written for our generators: a failure type maps to a change of the
 * settings, sized by how badly the gate failed. Their rules were "more training" against a high KS,
 * "larger batches or embeddings" against correlation drift, "switch generator or add privacy noise"
 * against a high MIA AUC, "more diverse samples" against duplicates, and per-class jitter at 0.5 MAD
 * for the physics. For jitter and the copula that reads:
 *
 * | type | jitter | gaussian_copula |
 * |---|---|---|
 * | HIGH_KS | k ÷ s | bandwidth ÷ s (to 0 below 0.02), then shrinkage ÷ s, then switch to jitter |
 * | HIGH_CORR_DELTA | k ÷ s; at its least, switch to the copula | shrinkage ÷ s, then switch to jitter |
 * | HIGH_MIA | k × s; at its most, switch to the copula | bandwidth × s (+0.1 at least) |
 * | HIGH_DUP_RATE | k × s, redraw probability + 0.1 | bandwidth × s (+0.1 at least) |
 * | CLASS_IMBALANCE | class_balance → 1 | class_balance → 1 |
 * | CONSTRAINT_VIOLATION, TARGET_OUT_OF_RANGE, HIGH_CLIP_RATE | k ÷ s | bandwidth ÷ s, then switch to jitter |
 *
 * with step s = 1.5, or 2 when a gate of the type misses by more than its own threshold (shortfall > 1:
 * the users took bigger steps on "critical" failures). A rule that cannot change anything (a setting
 * at its bound, balance already 1) gives null, and the loop tries the next failure type.
 */
export interface RuleChange {
  params: ParameterSet;
  /** The change in words: "HIGH_MIA: jitter k 0.5 → 0.75". */
  note: string;
}

const STANDARD_STEP = 1.5;
const SEVERE_STEP = 2;
/** Below this a copula bandwidth or shrinkage is set to 0. */
const NEGLIGIBLE = 0.02;

const round4 = (v: number) => Number(v.toPrecision(4));
const clamp = (v: number, [low, high]: readonly [number, number]) => Math.min(high, Math.max(low, v));

function change(type: FailureType, params: ParameterSet, updates: Record<string, number | string>): RuleChange | null {
  const changed = Object.entries(updates).filter(([k, v]) => params[k] !== v);
  if (changed.length === 0) return null;
  const text = changed.map(([k, v]) => `${k} ${typeof params[k] === 'number' ? shortNumber(params[k] as number) : String(params[k])} → ${typeof v === 'number' ? shortNumber(v) : v}`);
  return { params: { ...params, ...updates }, note: `${type}: ${text.join(', ')}` };
}

/** A switch to the other generator with its current settings (or the defaults where it has none). */
function switchGenerator(type: FailureType, params: ParameterSet, context: SettingsContext, to: 'jitter' | 'gaussian_copula'): RuleChange | null {
  return change(type, { ...defaultSettings(context), ...params }, { generator: to });
}

/** The rule for one failure type at the given settings, or null when it cannot change anything. */
export function handRule(group: FailureGroup, params: ParameterSet, context: SettingsContext): RuleChange | null {
  const { type } = group;
  const step = group.gates.some((g) => g.shortfall > 1) ? SEVERE_STEP : STANDARD_STEP;
  const jitter = params.generator === 'jitter';
  const k = Number(params.jitter_k);
  const bandwidth = Number(params.copula_bandwidth);
  const shrinkage = Number(params.copula_shrinkage);
  const lessNoise = () => change(type, params, { jitter_k: round4(clamp(k / step, JITTER_K_RANGE)) });
  const moreNoise = () => change(type, params, { jitter_k: round4(clamp(k * step, JITTER_K_RANGE)) });
  const reduce = (v: number) => (v / step < NEGLIGIBLE ? 0 : round4(v / step));
  const lessSmoothing = () => change(type, params, { copula_bandwidth: reduce(bandwidth) });
  const moreSmoothing = () => change(type, params, { copula_bandwidth: round4(clamp(Math.max(bandwidth * step, bandwidth + 0.1), BANDWIDTH_RANGE)) });
  const lessShrinkage = () => change(type, params, { copula_shrinkage: reduce(shrinkage) });

  switch (type) {
    case 'CLASS_IMBALANCE':
      return params.class_balance === undefined ? null : change(type, params, { class_balance: 1 });
    case 'HIGH_KS':
      return jitter ? lessNoise() : (lessSmoothing() ?? lessShrinkage() ?? switchGenerator(type, params, context, 'jitter'));
    case 'HIGH_CORR_DELTA':
      return jitter ? (lessNoise() ?? switchGenerator(type, params, context, 'gaussian_copula')) : (lessShrinkage() ?? switchGenerator(type, params, context, 'jitter'));
    case 'HIGH_MIA':
      return jitter ? (moreNoise() ?? switchGenerator(type, params, context, 'gaussian_copula')) : moreSmoothing();
    case 'HIGH_DUP_RATE': {
      if (!jitter) return moreSmoothing();
      const updates: Record<string, number> = { jitter_k: round4(clamp(k * step, JITTER_K_RANGE)) };
      if (params.jitter_flip_probability !== undefined) updates.jitter_flip_probability = round4(clamp(Number(params.jitter_flip_probability) + 0.1, FLIP_RANGE));
      return change(type, params, updates) ?? switchGenerator(type, params, context, 'gaussian_copula');
    }
    case 'CONSTRAINT_VIOLATION':
    case 'TARGET_OUT_OF_RANGE':
    case 'HIGH_CLIP_RATE':
      return jitter ? lessNoise() : (lessSmoothing() ?? switchGenerator(type, params, context, 'jitter'));
  }
}
