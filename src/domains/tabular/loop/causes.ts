import { meets } from '../gates';
import type { Evaluation } from './evaluation';
import type { FailedGate, FailureGroup, FailureType } from './failureTypes';
import { shortNumber } from './settingsSpace';

/** "mia_auc 0.83 > 0.6 (holdout floor 0.51)": which gate failed and by how much. */
export function describeFailedGate(g: FailedGate): string {
  const broken = g.op === '<=' ? '>' : g.op === '>=' ? '<' : '≠';
  const floor = g.floor === null ? '' : ` (holdout floor ${shortNumber(g.floor)})`;
  return `${g.metric} ${shortNumber(g.value)} ${broken} ${shortNumber(g.threshold)}${floor}`;
}

/**
 * The failure types whose holdout floor is what a perfect generator scores: fidelity and privacy. Class
 * balance, the constraints and the clip rate are targets a generator is asked to meet however the real
 * rows stand (the holdout keeps train's imbalance; real rows need no projection).
 */
const FLOOR_IS_IDEAL: ReadonlySet<FailureType> = new Set(['HIGH_KS', 'HIGH_CORR_DELTA', 'HIGH_MIA', 'HIGH_DUP_RATE', 'TARGET_OUT_OF_RANGE']);

/** The gates of a failure that the holdout itself, real rows the generator never saw, fails too. */
export function gatesTheFloorFails(group: FailureGroup): FailedGate[] {
  if (!FLOOR_IS_IDEAL.has(group.type)) return [];
  return group.gates.filter((g) => g.floor !== null && !meets(g.floor, g.op, g.threshold));
}

/**
 * The root cause of a failure type in words, from how the generator that made the table works and
 * its settings. When the holdout itself fails a fidelity or privacy gate, that is the cause: the threshold
 * is stricter than two samples of the real table differ, and only a table unlike the real one passes it.
 */
export function rootCause(group: FailureGroup, evaluation: Evaluation): string {
  const gates = group.gates.map(describeFailedGate).join('; ');
  const unreachable = gatesTheFloorFails(group).map((g) => g.metric);
  if (unreachable.length > 0) {
    return `${gates}. The holdout, real rows the generator never saw (what a perfect generator would make), fails ${unreachable.join(' and ')} too: the threshold asks for more than real data gives, so a table that passes it must stray from the real distribution.`;
  }
  const s = evaluation.settings;
  const generator = evaluation.generator;
  const pick = (texts: Record<typeof generator, string>) => texts[generator];
  const k = shortNumber(Number(s.k));
  const bandwidth = shortNumber(Number(s.bandwidth));
  const shrinkage = shortNumber(Number(s.shrinkage));
  const vae = `the VAE (${shortNumber(Number(s.epochs))} epochs, latent size ${shortNumber(Number(s.latent_size))}, KL weight ${shortNumber(Number(s.kl_weight))})`;
  const noise = pick({ jitter: `k = ${k} MAD`, gaussian_copula: `bandwidth ${bandwidth} sd`, vae: `${vae}'s decoder noise` });
  const balance = s.class_balance === undefined ? 0 : Number(s.class_balance);
  const reshuffled = balance > 0 ? `; and class_balance α = ${shortNumber(balance)} gives the classes other shares than train's, which moves every column whose values differ between classes` : '';
  let why: string;
  switch (group.type) {
    case 'HIGH_KS':
      why = pick({
        jitter: `jitter adds noise of ${k} MAD to every numeric cell, which widens each column's distribution (and the projection onto the constraints piles values at their bounds)`,
        gaussian_copula: `the copula draws each column from train's empirical quantiles smoothed by ${bandwidth} sd, and the projection onto the constraints moves them again; the marginals drift from train's`,
        vae: `${vae} maps its decoded scores through train's quantiles, so a column's distribution is train's only as far as the decoder's scores are normal: too few passes or too heavy a KL term leave them too narrow or too wide, and the projection onto the constraints moves them again`,
      });
      why += reshuffled;
      break;
    case 'HIGH_CORR_DELTA':
      why = pick({
        jitter: `jitter's noise of ${k} MAD is independent between columns, so it dilutes every correlation of train`,
        gaussian_copula: `the copula keeps only the correlation of normal scores, shrunk by λ = ${shrinkage} toward independence: non-linear and class-specific dependence is lost`,
        vae: `${vae} carries the dependence between columns only through its latent code; the noise it adds to each decoded score is independent between columns, so an undertrained decoder or a small latent space dilutes the correlations of train`,
      });
      why += reshuffled;
      break;
    case 'HIGH_MIA':
      why = pick({
        jitter: `every synthetic row is a train row plus noise of ${k} MAD, so train rows have a synthetic row closer to them than holdout rows do, and a distance attack tells members from non-members`,
        gaussian_copula: `the copula's values are train's own values smoothed by only ${bandwidth} sd, so synthetic rows stay closer to train rows than to holdout rows`,
        vae: `${vae} has learned train's rows closely enough (many passes, a light KL term) that its decoded rows sit nearer train rows than holdout rows`,
      });
      break;
    case 'HIGH_DUP_RATE':
      why = pick({
        jitter: `with k = ${k} MAD the rows stay within the near-duplicate distance of their source; columns whose MAD is 0 get no noise and categorical cells are copied${s.flip_probability === undefined ? '' : ` (redraw probability ${shortNumber(Number(s.flip_probability))})`}`,
        gaussian_copula: `integer and categorical columns take train's own values, and with a bandwidth of ${bandwidth} sd whole rows of train come back`,
        vae: `${vae} decodes through train's own quantiles and levels, and where integer and categorical columns make up most of a row, a decoder close to train's rows makes whole train rows again`,
      });
      break;
    case 'CLASS_IMBALANCE':
      why = `the rows per class follow train's counts to the power 1 − α with class_balance α = ${shortNumber(Number(s.class_balance ?? 0))}, so the classes keep much of train's imbalance`;
      break;
    case 'CONSTRAINT_VIOLATION':
      why = `the projection onto the constraints could not bring every row inside them (its rounds can undo each other, and integer columns are rounded after it); the noise (${noise}) pushed those rows far outside`;
      break;
    case 'TARGET_OUT_OF_RANGE':
      why = generator === 'vae' ? `${vae} keeps every value within train's range, so the projection onto the constraints carried the target beyond train's [min, max]` : `the noise (${noise}) carries the target beyond train's [min, max]`;
      break;
    case 'HIGH_CLIP_RATE':
      why = `the noise (${noise}) carries rows outside the declared constraints, and the projection has to move that share of them`;
      break;
  }
  return `${gates}: ${why}.`;
}
