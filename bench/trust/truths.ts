/**
 * Hidden truths for bench:trust and the void domain that draws the "real" set from them.
 *
 * Kinds (a target the generator reproduces exactly tests the loop, not the answer: real images come from
 * another process, so the others matter most; docs/benchmarks.md):
 *   single       one setting drawn from the config's real distribution (sampleParameterSet, as the
 *                app's simulated target draws its hidden sets): the generator can reproduce it exactly;
 *   mixture      2 or 3 settings from that distribution, at least MIN_SEPARATION apart (normalised
 *                Euclidean over the numeric parameters, or a different shape and half that), the real
 *                images split evenly between them: no single setting reproduces it;
 *   unreachable  a drawn setting with one parameter moved outside its bounds (the generator paints it,
 *                the optimizer cannot propose it).
 *
 * The truth domain is the void domain with one change: a `real` job gets the truth's parameters
 * (component i mod K for real image i) and a replicate seed of its own, hashed from the run's seed and
 * the image index (the config's hidden real sets would otherwise share replicate seeds 0…2 and repeat
 * images). Everything else — jobs, chips, painting — is voidsDomain's.
 */
import { voidJob, voidsDomain } from '../../src/domains/voids/domain';
import type { Domain, DomainJob, SampleRequest } from '../../src/engine/domain';
import type { ExperimentConfig } from '../../src/engine/config/experimentConfig';
import { datasetDistributionFromConfig, parameterSpaceFromConfig } from '../../src/engine/config/space';
import { createRng, hashSeed, type Rng } from '../../src/engine/random/rng';
import { sampleParameterSet } from '../../src/engine/space/sampling';
import type { ParameterSet, ParameterSpace } from '../../src/engine/space/space';

export type TruthKind = 'single' | 'mixture' | 'unreachable';

export interface Truth {
  kind: TruthKind;
  /** One setting (single, unreachable) or the mixture's components, equal weights. */
  components: ParameterSet[];
  /** Unreachable: which parameter is outside its bounds. */
  outside?: string;
}

/** Least normalised distance between two mixture components (numeric parameters / range, Euclidean). */
export const MIN_SEPARATION = 0.35;

export function numericDistance(space: ParameterSpace, a: ParameterSet, b: ParameterSet): number {
  let s = 0;
  for (const p of space.parameters) {
    if (p.kind === 'categorical') continue;
    const d = (Number(a[p.name]) - Number(b[p.name])) / (p.high - p.low);
    s += d * d;
  }
  return Math.sqrt(s);
}

function separated(space: ParameterSpace, a: ParameterSet, b: ParameterSet): boolean {
  const d = numericDistance(space, a, b);
  return d >= MIN_SEPARATION || (a.void_shape !== b.void_shape && d >= MIN_SEPARATION / 2);
}

/** Parameters moved outside the bounds for the unreachable truths, in turn: name and value. */
const OUTSIDE: ReadonlyArray<[string, number]> = [
  ['base_size', 50],
  ['brightness_factor', 0.15],
  ['void_count', 28],
  ['size_std', 22],
  ['position_spread', 0.95],
];

export function drawTruth(config: ExperimentConfig, kind: TruthKind, seed: number, index: number): Truth {
  const space = parameterSpaceFromConfig(config);
  const distribution = datasetDistributionFromConfig(config, 'real');
  const rng: Rng = createRng(hashSeed(seed, 'trust-truth', kind, index));
  const draw = () => sampleParameterSet(space, distribution, rng);
  if (kind === 'single') return { kind, components: [draw()] };
  if (kind === 'unreachable') {
    const [name, value] = OUTSIDE[index % OUTSIDE.length];
    return { kind, components: [{ ...draw(), [name]: value }], outside: name };
  }
  const k = index % 2 === 0 ? 2 : 3;
  const components: ParameterSet[] = [];
  for (let attempt = 0; components.length < k; attempt++) {
    if (attempt > 10_000) throw new Error(`no ${k} separated settings after 10,000 draws`);
    const candidate = draw();
    if (components.every((c) => separated(space, c, candidate))) components.push(candidate);
  }
  return { kind, components };
}

/** Real image i of the truth: its component and its own replicate seed. */
export function realRequest(truth: Truth, runSeed: number, request: SampleRequest, index: number, purpose = 'real'): SampleRequest {
  return {
    ...request,
    params: truth.components[index % truth.components.length],
    replication_seed: hashSeed(runSeed, 'trust', purpose, index),
  };
}

/** The sample index in a sample id (iter0_real_007 → 7). */
export function sampleIndex(sampleId: string): number {
  const match = /_(\d+)$/.exec(sampleId);
  if (!match) throw new Error(`sample id ${sampleId} has no index`);
  return Number(match[1]);
}

/** voidsDomain with its real images drawn from the truth (see the header). */
export function truthDomain(truth: Truth, runSeed: number): Domain {
  return {
    ...voidsDomain,
    job(request: SampleRequest, config: ExperimentConfig, inputIds: readonly string[]): DomainJob {
      if (request.dataset_type !== 'real') return voidJob(request, config, inputIds);
      return voidJob(realRequest(truth, runSeed, request, sampleIndex(request.sample_id)), config, inputIds);
    },
  };
}

/** A short text of a setting for the table. */
export function describeSetting(p: ParameterSet): string {
  const num = (v: unknown, digits: number) => Number(v).toFixed(digits);
  return `${String(p.void_shape).slice(0, 4)} n${p.void_count} s${num(p.base_size, 1)} b${num(p.brightness_factor, 2)} sd${num(p.size_std, 1)} ps${num(p.position_spread, 2)}`;
}

export function describeTruth(t: Truth): string {
  return t.components.map(describeSetting).join(' + ');
}
