/**
 * bench:embed's drift part: how far the int8 and fp16 stand-ins move the embeddings of a voids
 * iteration 0 on the demo chips (its real set and its close and far samples, as the page makes them),
 * measured as the page's "Compare model variants" does (engine/trust/variantDrift.ts) against the noise
 * floor the experiment would store (the metric suite's real-vs-real MMD² band, upper edge). The weights
 * are random, so these numbers say how the export formats round a ViT of this size, nothing definite
 * about real DINOv2 weights — which is why the page measures each experiment on its own images.
 *
 * Embedded natively (onnxruntime-node, the worker's preprocessing and pooler_output readout): the drift
 * is a property of the weights; WASM and native agree to ~1e-6 on the same file (bench:embed).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { voidsDomain } from '../src/domains/voids/domain';
import { l2Normalize } from '../src/embedders/pooling';
import { preprocessBatch } from '../src/embedders/preprocess';
import type { RgbaPixels } from '../src/embedders/rgbaImage';
import { defaultExperimentConfig } from '../src/engine/config/experimentConfig';
import type { Matrix } from '../src/engine/linalg/matrix';
import { createScoringContext, scoreIteration, scoringConfigFromIteration0 } from '../src/engine/metrics';
import { planIterationZero } from '../src/engine/pipeline/plan';
import { variantDrift, type VariantDrift } from '../src/engine/trust/variantDrift';
import { decodePng } from '../tests/unit/embedding/fixtures';

export type Precision = 'fp32' | 'int8' | 'fp16';

export interface DriftResult {
  images: { real: number; iteration0: number };
  bandwidth: number;
  floor: number;
  drift: Record<'int8' | 'fp16', VariantDrift>;
}

const CHIPS = ['demo_chip_1.png', 'demo_chip_2.png', 'demo_chip_3.png'];

/** Iteration 0 of a simulated voids experiment with the default config, painted on the demo chips. */
function iterationZeroImages(): { real: RgbaPixels[]; synthetic: RgbaPixels[] } {
  const config = defaultExperimentConfig();
  const chips = new Map(
    CHIPS.map((id) => {
      const png = decodePng(readFileSync(join('public', 'chips', id)));
      return [id, { width: png.width, height: png.height, pixels: new Uint8ClampedArray(png.pixels) }];
    }),
  );
  const plan = planIterationZero(config, true);
  const real: RgbaPixels[] = [];
  const synthetic: RgbaPixels[] = [];
  for (const request of plan.requests) {
    const job = voidsDomain.job(request, config, CHIPS);
    const out = voidsDomain.generate!(job, { config, input: (id) => chips.get(id)! });
    (request.dataset_type === 'real' ? real : synthetic).push(out.image!);
  }
  return { real, synthetic };
}

async function embedAll(path: string, images: readonly RgbaPixels[]): Promise<Matrix<Float64Array>> {
  const session = await ortNode.InferenceSession.create(path, { intraOpNumThreads: 2, graphOptimizationLevel: 'all' });
  const rows: Float32Array[] = [];
  for (let i = 0; i < images.length; i += 8) {
    const batch = images.slice(i, i + 8);
    const input = new ortNode.Tensor('float32', preprocessBatch(batch), [batch.length, 3, 224, 224]);
    const pooled = (await session.run({ pixel_values: input })).pooler_output;
    const d = pooled.dims[1] as number;
    for (let b = 0; b < batch.length; b++) rows.push(l2Normalize((pooled.data as Float32Array).slice(b * d, (b + 1) * d)));
  }
  await session.release();
  const cols = rows[0].length;
  const data = new Float64Array(rows.length * cols);
  rows.forEach((r, i) => data.set(r, i * cols));
  return { rows: rows.length, cols, data };
}

const take = (m: Matrix<Float64Array>, from: number, to: number): Matrix<Float64Array> => ({ rows: to - from, cols: m.cols, data: m.data.slice(from * m.cols, to * m.cols) });

export async function measureDrift(paths: Record<Precision, string>): Promise<DriftResult> {
  const { real, synthetic } = iterationZeroImages();
  const all = [...real, ...synthetic];
  const embedded = {} as Record<Precision, Matrix<Float64Array>>;
  for (const p of ['fp32', 'int8', 'fp16'] as const) embedded[p] = await embedAll(paths[p], all);
  // The yardstick iteration 0 would store: σ by the median heuristic on all of it, the whole batch's floor.
  const scoring = scoringConfigFromIteration0(embedded.fp32, real.length, { seed: 0 });
  const scores = scoreIteration(take(embedded.fp32, 0, real.length), take(embedded.fp32, real.length, all.length), createScoringContext(scoring));
  const floor = scores.metrics.mmd2_unbiased.floor;
  if (!floor.available) throw new Error(`no noise floor: ${floor.reason}`);
  const drift = (p: 'int8' | 'fp16') => variantDrift({ reference: embedded.fp32, candidate: embedded[p], bandwidth: scoring.bandwidth, floor: floor.high });
  return { images: { real: real.length, iteration0: synthetic.length }, bandwidth: scoring.bandwidth, floor: floor.high, drift: { int8: drift('int8'), fp16: drift('fp16') } };
}
