/**
 * Which vector of a model's output becomes the embedding, and the load-time check that it depends on
 * the image at all.
 *
 * The default readout is the CLS token (pooler_output when the export has it). Some exports are broken
 * so that CLS is the same for every image (e.g. its attention never reaches the patch tokens); every
 * embedding is then identical, and the run only fails after a whole iteration has been generated and
 * embedded, when PCA finds no variance. So at load time the model runs on two clearly different
 * synthetic images: if the requested readout does not change, the mean of the patch tokens is tried,
 * and a model where nothing changes is refused.
 */
import { ModelContractError } from './modelContract';
import { l2Normalize } from './pooling';
import type { RgbaPixels } from './rgbaImage';

/**
 * pooler: pooler_output; cls: last_hidden_state[:, 0]; cls+meanpatch: CLS ⊕ mean of the patch tokens;
 * meanpatch: the mean of the patch tokens alone (used when CLS does not depend on the image).
 */
export type ReadoutKind = 'pooler' | 'cls' | 'cls+meanpatch' | 'meanpatch';

/**
 * Two readout vectors count as "the same" when their L2-normalised forms (what the metrics see) are
 * at most this far apart (Euclidean). A readout that ignores the image gives bit-identical vectors for
 * both probes (the same arithmetic on the same numbers), so any tolerance would do for it; the margin
 * only absorbs rounding. 1e-3 is about float16's relative precision (2⁻¹⁰ ≈ 9.8e-4), the coarsest
 * precision a model may run in, and well above float32 accumulation error through a ViT (~1e-6
 * relative). A real image model is nowhere near it: unit vectors of two different images are
 * ‖â − b̂‖ = √(2 − 2 cos) apart, 0.1 already at cos 0.995.
 */
export const SAME_VECTOR_TOLERANCE = 1e-3;

/** ‖a/‖a‖ − b/‖b‖‖ (a zero vector normalises to zero, as the embedding does). */
export function unitDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`unitDistance: lengths ${a.length} and ${b.length} differ`);
  const ua = l2Normalize(a);
  const ub = l2Normalize(b);
  let s = 0;
  for (let i = 0; i < ua.length; i++) s += (ua[i] - ub[i]) ** 2;
  return Math.sqrt(s);
}

/** Whether a readout differs between the two probe images by more than the tolerance. */
export function changesWithImage(pair: readonly [ArrayLike<number>, ArrayLike<number>], tolerance = SAME_VECTOR_TOLERANCE): boolean {
  return unitDistance(pair[0], pair[1]) > tolerance;
}

/**
 * Two deterministic, clearly different RGB images of the given size: (0) a smooth diagonal colour ramp;
 * (1) a 16-pixel blue/yellow checkerboard with a dark disc off centre. They differ in colour, spatial
 * frequency and layout, so any model that looks at the image sees them differently.
 */
export function probeImages(height: number, width: number): [RgbaPixels, RgbaPixels] {
  const ramp = new Uint8ClampedArray(width * height * 4);
  const checker = new Uint8ClampedArray(width * height * 4);
  const discRadius = Math.min(height, width) / 5;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      ramp.set([Math.round((255 * x) / Math.max(1, width - 1)), Math.round((255 * y) / Math.max(1, height - 1)), 128, 255], i);
      const inDisc = Math.hypot(x - width * 0.65, y - height * 0.35) < discRadius;
      const light = ((x >> 4) + (y >> 4)) % 2 === 0;
      checker.set(inDisc ? [15, 15, 15, 255] : light ? [240, 220, 40, 255] : [20, 40, 160, 255], i);
    }
  }
  return [
    { width, height, pixels: ramp },
    { width, height, pixels: checker },
  ];
}

/** Each candidate readout's vector for probe image 0 and probe image 1; absent when the model lacks it. */
export interface ReadoutProbe {
  pooler?: readonly [Float32Array, Float32Array];
  cls?: readonly [Float32Array, Float32Array];
  meanPatch?: readonly [Float32Array, Float32Array];
}

export interface ReadoutChoice {
  kind: ReadoutKind;
  /** Why the readout differs from the requested one; null when it is the requested one. */
  note: string | null;
}

/**
 * The readout to use: the requested one when it changes with the image; else CLS read from the tokens
 * (when pooler_output was requested and did not change); else the mean of the patch tokens. Throws a
 * ModelContractError naming `label` when nothing the model outputs changes with the image.
 */
export function chooseReadout(requested: 'pooler' | 'cls' | 'cls+meanpatch', probe: ReadoutProbe, label: string, tolerance = SAME_VECTOR_TOLERANCE): ReadoutChoice {
  const changes = (pair: ReadoutProbe[keyof ReadoutProbe]) => pair !== undefined && changesWithImage(pair, tolerance);
  const same: string[] = [];
  if (requested === 'pooler') {
    if (changes(probe.pooler)) return { kind: 'pooler', note: null };
    same.push('pooler_output');
  }
  if (probe.cls) {
    if (changes(probe.cls)) {
      if (requested === 'pooler') return { kind: 'cls', note: 'pooler_output is the same for two different images, so CLS is read from last_hidden_state[:, 0] instead' };
      return { kind: requested, note: null };
    }
    same.push('CLS');
  }
  if (probe.meanPatch) {
    if (changes(probe.meanPatch)) {
      return {
        kind: 'meanpatch',
        note: `${same.join(' and ')} ${same.length > 1 ? 'are' : 'is'} the same for two different images (the CLS token does not see the patches), so the embedding is the mean of patch tokens`,
      };
    }
    same.push('mean patch token');
  }
  const list = same.length > 1 ? `${same.slice(0, -1).join(', ')} and ${same.at(-1)}` : same[0];
  const noTokens = probe.meanPatch ? '' : ', and it has no token output last_hidden_state to read patch tokens from';
  throw new ModelContractError(`${label}: its output does not depend on the image (${list} identical for two different images${noTokens}); this model cannot tell images apart.`);
}
