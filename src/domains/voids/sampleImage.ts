import { hashSeed, createRng } from '../../engine/random/rng';
import type { ParameterSet } from '../../engine/space/space';
import { VOID_SHAPES, sampleVoidLayout, type PositionRule, type VoidLayout, type VoidParams, type VoidShape } from './geometry';

/**
 * The per-image random seed: a hash of (base chip id, parameter values, replication seed) only, so every
 * image is reproducible from those three whatever experiment or batch it was made in (see
 * docs/decisions.md, 'Reproducible samples').
 */
export function imageSeed(baseImageId: string, params: ParameterSet, replicationSeed: number): number {
  const keys = Object.keys(params).sort();
  return hashSeed(baseImageId, ...keys.flatMap((k) => [k, params[k]]), 'rep', replicationSeed);
}

/** Reads the six void parameters from a generic parameter set, with a message naming what is wrong. */
export function toVoidParams(params: ParameterSet): VoidParams {
  const shape = params.void_shape;
  if (typeof shape !== 'string' || !(VOID_SHAPES as readonly string[]).includes(shape)) {
    throw new Error(`void_shape: "${String(shape)}" is not one of ${VOID_SHAPES.join(', ')}`);
  }
  const numeric = (name: keyof VoidParams, low: number, high: number): number => {
    const v = params[name];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${name}: ${String(v)} is not a number`);
    if (v < low || v > high) throw new Error(`${name}: ${v} is outside [${low}, ${high}]`);
    return v;
  };
  const count = numeric('void_count', 0, 500);
  if (!Number.isInteger(count)) throw new Error(`void_count: ${count} is not a whole number`);
  return {
    void_shape: shape as VoidShape,
    void_count: count,
    base_size: numeric('base_size', 0, 4096),
    brightness_factor: numeric('brightness_factor', 0, 1),
    size_std: numeric('size_std', 0, 4096),
    position_spread: numeric('position_spread', 0, 1),
  };
}

/** The void layout of one image, fully determined by (chip id, chip size, params, replication seed, rule). */
export function layoutForImage(
  baseImageId: string,
  size: { width: number; height: number },
  params: ParameterSet,
  replicationSeed: number,
  positionRule: PositionRule,
): VoidLayout {
  const rng = createRng(imageSeed(baseImageId, params, replicationSeed));
  return sampleVoidLayout(toVoidParams(params), size, rng, positionRule);
}

/**
 * Which base chip an image uses: a hash of (experiment seed, parameter-set id, replication seed) rather
 * than a random pick, so it is reproducible too and a resumed stage rebuilds the same jobs.
 */
export function chooseBaseChip<T>(chips: readonly T[], experimentSeed: number, paramSetId: string, replicationSeed: number): T {
  if (chips.length === 0) throw new Error('no base chips: add at least one base chip image');
  return chips[hashSeed(experimentSeed, 'chip', paramSetId, replicationSeed) % chips.length];
}
