/**
 * A comparison of two model variants on an experiment's own images (engine/trust/variantDrift.ts
 * computes it; the page's "Compare model variants" runs it), stored with the experiment so the choice of
 * variant and its numbers travel with the experiment, its archive and its report.
 */
export interface ModelVariantDescription {
  /** Embedder id as an experiment records it: a catalog id with its precision (dinov2-small/int8) or file:<name>:<size>. */
  id: string;
  label: string;
  /** How the file stores its weights, read from the file. */
  precision: string;
  /** Where it ran in the comparison (webgpu | wasm). */
  backend: string;
}

export interface VariantComparisonRecord {
  comparedAt: string;
  /** The experiment's own model (what its stored embeddings were made with) or the first variant chosen. */
  reference: ModelVariantDescription;
  candidate: ModelVariantDescription;
  /** How many of the compared images are real, and how many are iteration 0's synthetic samples. */
  images: { real: number; iteration0: number };
  /** Per image, in the order compared (real first, then iteration 0, by sample id): cos(reference, candidate). */
  cosines: number[];
  cosine: { min: number; median: number; mean: number };
  /** Unbiased MMD² between the two variants' embeddings of the same images, with the fixed kernel. */
  mmd2: number;
  bandwidth: number;
  /** The experiment's noise floor the drift is measured against (kernel units), and where it comes from. */
  floor: number;
  floorSource: string;
  /** The stated share of the floor: safe when mmd2 < share · floor. */
  share: number;
  /** mmd2 / floor. */
  ratio: number;
  verdict: 'safe' | 'not safe';
  /** One sentence with the verdict and its numbers. */
  statement: string;
}
