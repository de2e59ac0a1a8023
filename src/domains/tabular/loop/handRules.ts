import type { ParameterSet } from '../../../engine/space/space';
import type { FailureGroup, FailureType } from './failureTypes';
import { BANDWIDTH_RANGE, FLIP_RANGE, JITTER_K_RANGE, VAE_EPOCHS_RANGE, VAE_KL_RANGE, VAE_LATENT_RANGE, defaultSettings, searchedGenerators, shortNumber, type GeneratorName, type SettingsContext } from './settingsSpace';

/**
 * The users' rule-based retry loop, written for our generators: a failure type maps to a change of the
 * settings, sized by how badly the gate failed. Their rules were "more training" against a high KS,
 * "larger batches or embeddings" against correlation drift, "switch generator or add privacy noise"
 * against a high MIA AUC, "more diverse samples" against duplicates, and per-class jitter at 0.5 MAD
 * for the physics. For our generators that reads:
 *
 * | type | jitter | gaussian_copula | vae |
 * |---|---|---|---|
 * | HIGH_KS | k ÷ s | bandwidth ÷ s (to 0 below 0.02), then shrinkage ÷ s, then switch to jitter | epochs × s, then switch to jitter |
 * | HIGH_CORR_DELTA | k ÷ s; at its least, switch to the copula | shrinkage ÷ s, then switch to jitter | latent size × s, then epochs × s, then switch to the copula |
 * | HIGH_MIA | k × s; at its most, switch to the copula | bandwidth × s (+0.1 at least) | KL weight × s; at its most, switch to the copula |
 * | HIGH_DUP_RATE | k × s, redraw probability + 0.1 | bandwidth × s (+0.1 at least) | KL weight × s |
 * | CLASS_IMBALANCE | class_balance → 1 | class_balance → 1 | class_balance → 1 |
 * | CONSTRAINT_VIOLATION, HIGH_CLIP_RATE | k ÷ s | bandwidth ÷ s, then switch to jitter | epochs × s, then switch to jitter |
 * | TARGET_OUT_OF_RANGE | k ÷ s | bandwidth ÷ s, then switch to jitter | switch to jitter |
 *
 * with step s = 1.5, or 2 when a gate of the type misses by more than its own threshold (shortfall > 1:
 * the users took bigger steps on "critical" failures). The VAE's column follows the same reading: "more
 * training" is more passes, "larger embeddings" a larger latent space, "privacy noise" a heavier KL
 * term (a smoother decoder, further from any one train row); its values never leave train's range (its
 * quantile decoding), so a target out of range or a row outside the constraints comes from the
 * dependence between columns, which a better-trained decoder keeps closer to real rows. The rules never
 * switch to the VAE: the users' loop is jitter's. A rule that cannot change anything (a setting at its
 * bound, balance already 1, a switch to a generator not searched) gives null, and the loop tries the
 * next failure type.
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

/** A switch to another generator with its current settings (or the defaults where it has none); null when it is not searched. */
function switchGenerator(type: FailureType, params: ParameterSet, context: SettingsContext, to: GeneratorName): RuleChange | null {
  if (!searchedGenerators(context).includes(to)) return null;
  return change(type, { ...defaultSettings(context), ...params }, { generator: to });
}

/** The rule for one failure type at the given settings, or null when it cannot change anything. */
export function handRule(group: FailureGroup, params: ParameterSet, context: SettingsContext): RuleChange | null {
  const { type } = group;
  const step = group.gates.some((g) => g.shortfall > 1) ? SEVERE_STEP : STANDARD_STEP;
  if (params.generator === 'vae') return vaeRule(group, params, context, step);
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

/** The VAE's column of the table above. */
function vaeRule(group: FailureGroup, params: ParameterSet, context: SettingsContext, step: number): RuleChange | null {
  const { type } = group;
  const grow = (v: number, range: readonly [number, number]) => Math.round(clamp(Math.max(v * step, v + 1), range));
  const moreEpochs = () => change(type, params, { vae_epochs: grow(Number(params.vae_epochs), VAE_EPOCHS_RANGE) });
  const largerLatent = () => change(type, params, { vae_latent_size: grow(Number(params.vae_latent_size), VAE_LATENT_RANGE) });
  const heavierKl = () => change(type, params, { vae_kl_weight: round4(clamp(Number(params.vae_kl_weight) * step, VAE_KL_RANGE)) });
  switch (type) {
    case 'CLASS_IMBALANCE':
      return params.class_balance === undefined ? null : change(type, params, { class_balance: 1 });
    case 'HIGH_KS':
      return moreEpochs() ?? switchGenerator(type, params, context, 'jitter');
    case 'HIGH_CORR_DELTA':
      return largerLatent() ?? moreEpochs() ?? switchGenerator(type, params, context, 'gaussian_copula');
    case 'HIGH_MIA':
      return heavierKl() ?? switchGenerator(type, params, context, 'gaussian_copula');
    case 'HIGH_DUP_RATE':
      return heavierKl();
    case 'CONSTRAINT_VIOLATION':
    case 'HIGH_CLIP_RATE':
      return moreEpochs() ?? switchGenerator(type, params, context, 'jitter');
    case 'TARGET_OUT_OF_RANGE':
      return switchGenerator(type, params, context, 'jitter');
  }
}
