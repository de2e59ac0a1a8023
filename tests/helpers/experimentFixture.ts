/**
 * A small synthetic experiment with every kind of value the records hold (typed arrays, NaN floors,
 * optional fields present and absent, a real PCA map), for the storage and archive tests. Pure TS:
 * runs in Node and in the browser harness pages. Images are real (tiny, uncompressed-deflate) PNGs.
 */
import { voidsDomain } from '../../src/domains/voids/domain';
import { EXPERIMENT_SCHEMA_VERSION, type ChipRecord, type ExperimentRecord, type IterationRecord } from '../../src/engine/experiment/records';
import { formatParamSetId, formatSampleId, type DatasetType } from '../../src/engine/experiment/sample';
import { crc32, type ArchiveSample } from '../../src/storage/archive';
import { fromRows } from '../../src/engine/linalg/matrix';
import { metricInfo } from '../../src/engine/metrics/info';
import type { IterationScores, ParameterSetScore } from '../../src/engine/metrics';
import { fitPca, projectPca } from '../../src/engine/projection';
import { createRng } from '../../src/engine/random/rng';

/** A greyscale 8-bit PNG with stored (uncompressed) deflate blocks: valid, and built without zlib. */
export function tinyPng(width: number, height: number, grey: (x: number, y: number) => number): Uint8Array {
  const raw: number[] = [];
  for (let y = 0; y < height; y++) {
    raw.push(0);
    for (let x = 0; x < width; x++) raw.push(grey(x, y) & 255);
  }
  // zlib stream: header, one stored block (raw < 65535 bytes here), Adler-32.
  let a = 1;
  let b = 0;
  for (const v of raw) {
    a = (a + v) % 65521;
    b = (b + a) % 65521;
  }
  const n = raw.length;
  const zlib = [0x78, 0x01, 1, n & 255, n >> 8, ~n & 255, (~n >> 8) & 255, ...raw, b >> 8, b & 255, a >> 8, a & 255];
  const be32 = (v: number) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
  const chunk = (type: string, data: number[]) => {
    const body = Uint8Array.from([...Array.from(type, (c) => c.charCodeAt(0)), ...data]);
    return [...be32(data.length), ...body, ...be32(crc32(body))];
  };
  const ihdr = [...be32(width), ...be32(height), 8, 0, 0, 0, 0];
  return Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...chunk('IHDR', ihdr), ...chunk('IDAT', zlib), ...chunk('IEND', [])]);
}

export interface FixtureOptions {
  id?: string;
  name?: string;
  iterations?: number;
  samplesPerIteration?: number;
  dim?: number;
  seed?: number;
  /** The user's own real images as the target (stored as dropped, besides their samples). */
  userTarget?: boolean;
}

export interface SyntheticExperiment {
  experiment: ExperimentRecord;
  iterations: IterationRecord[];
  samples: ArchiveSample[];
  chips: ChipRecord[];
  realImages: ChipRecord[];
}

const PARAMS = { void_shape: 'ellipse', void_count: 7, base_size: 18.5, brightness_factor: 0.55, size_std: 6.2, position_spread: 0.45 };

function parameterSetScore(score: number, withFloor: boolean): ParameterSetScore {
  return {
    score,
    info: metricInfo.mmd2_unbiased,
    floor: withFloor
      ? { available: true, referenceSize: 4, heldOutSize: 2, splits: 15, exhaustive: true, mean: 0.01, sd: 0.005, median: 0.009, low: 0.002, high: 0.02, quantiles: [0.05, 0.95] }
      : { available: false, reason: 'fewer than 4 real samples' },
    excessOverFloor: withFloor ? score - 0.01 : NaN,
    withinFloor: withFloor ? score <= 0.02 : null,
    sizes: { real: 4, synthetic: 2 },
  };
}

function iterationScores(m: number, value: number, rng: () => number): IterationScores {
  const euclidean = Float64Array.from({ length: m }, () => rng());
  return {
    metrics: {
      mmd2_unbiased: {
        info: metricInfo.mmd2_unbiased,
        value,
        matched: { mean: value, sd: 0.01, median: value, low: value - 0.01, high: value + 0.01, quantiles: [0.05, 0.95] },
        floor: { available: true, referenceSize: 4, heldOutSize: 2, splits: 15, exhaustive: true, mean: 0.01, sd: 0.005, median: 0.009, low: -0.004, high: 0.03, quantiles: [0.05, 0.95] },
      },
    } as IterationScores['metrics'],
    sizes: { real: 2, synthetic: m, pooledSynthetic: m },
    perSample: {
      euclidean,
      cosine: Float64Array.from(euclidean, (v) => v / 2),
      mahalanobis: Float64Array.from(euclidean, (v) => (v === euclidean[0] ? NaN : v * 3)),
      nearestReal: Int32Array.from({ length: m }, (_, i) => i % 2),
      insideEpsilon: Uint8Array.from({ length: m }, (_, i) => i % 2),
    },
    epsilon: { value: 0.4, rule: 'median nearest-real distance among real samples' },
    notes: ['Mahalanobis distance is undefined for the first sample (test note)'],
    details: { kReal: 3, kSynthetic: 3, epsilon: 0.4, shrinkageReal: NaN, shrinkageSynthetic: 0.2, bandwidth: 0.7, reductionComponents: 2, projections: 64 },
  };
}

/**
 * `iterations` iterations of `samplesPerIteration` samples each; iteration 0 holds real, close and far
 * samples (real ones with a user-image-like shape: no geometry, no nearest-real distance).
 */
export function buildSyntheticExperiment(options: FixtureOptions = {}): SyntheticExperiment {
  const id = options.id ?? 'exp-fixture-001';
  const iterationCount = options.iterations ?? 2;
  const perIteration = options.samplesPerIteration ?? 6;
  const dim = options.dim ?? 8;
  const rng = createRng(options.seed ?? 7);
  const next = () => rng.next();
  const chips: ChipRecord[] = ['NoVoids_53438_0003_result.png', 'demo chip ü #2.png'].map((chip, k) => ({
    experimentId: id,
    id: chip,
    bytes: tinyPng(12, 10, (x, y) => 90 + k * 40 + ((x + y) % 3)).slice().buffer,
    width: 12,
    height: 10,
  }));
  const samples: ArchiveSample[] = [];
  const iterations: IterationRecord[] = [];
  for (let it = 0; it < iterationCount; it++) {
    const types: DatasetType[] = it === 0 ? ['real', 'real', 'close', 'close', 'far', 'far'] : Array(perIteration).fill('synthetic');
    const paramSets: IterationRecord['paramSets'] = [];
    for (let i = 0; i < perIteration; i++) {
      const type = types[i % types.length];
      const psId = formatParamSetId(Math.floor(i / 2) + it * 10);
      if (!paramSets.some((p) => p.param_set_id === psId)) {
        const params = { ...PARAMS, base_size: 10 + it * 5 + i, void_shape: ['circle', 'ellipse', 'irregular'][i % 3] };
        paramSets.push({ param_set_id: psId, dataset_type: type, params, ...(type === 'real' ? {} : { score: parameterSetScore(0.2 / (it + 1) - i * 0.001, it > 0), acquisitionValue: it > 0 ? -1.5 + i : undefined }) });
      }
      const sampleId = formatSampleId(it, type, i);
      const raw = Float32Array.from({ length: dim }, () => next() * 2 - 1 + (type === 'far' ? 1 : 0));
      const norm = Math.hypot(...raw);
      const chip = chips[i % chips.length];
      samples.push({
        experimentId: id,
        sample_id: sampleId,
        iteration: it,
        metadata: {
          sample_id: sampleId,
          iteration: it,
          dataset_type: type,
          param_set_id: psId,
          replication_seed: i % 3,
          base_image_id: chip.id,
          params: paramSets[paramSets.length - 1].params,
          uncontrolled_params: { rotation: Math.round(next() * 3600) / 10, edge_blur: 2 },
          timestamp: `2026-01-0${it + 1}T10:30:${String(i).padStart(2, '0')}Z`,
          position_rule: 'centered',
        },
        ...(type === 'real' ? {} : { geometry: { voids: [{ shape: 'irregular', cx: 3 + i, cy: 4, radius: 2.5, semiMajor: 3.1, semiMinor: 2.0, angle: 0.2, harmonics: [{ k: 2, amplitude: 0.1, phase: 1.5 }] }], rotation: 12.5, edgeBlur: 2, positionRule: 'centered' } }),
        image: tinyPng(8, 6, (x, y) => (x * 31 + y * 17 + i * 5 + it * 50) % 256),
        width: 8,
        height: 6,
        embedding: Float32Array.from(raw, (v) => v / norm),
        rawEmbedding: raw,
        ...(type === 'real' ? {} : { nearestRealDistance: next() }),
      });
    }
    const synthetic = samples.filter((s) => s.iteration === it && s.metadata.dataset_type !== 'real').length;
    iterations.push({
      experimentId: id,
      iteration: it,
      stage: it === iterationCount - 1 ? 'analysed' : 'proposed',
      paramSets,
      scores: iterationScores(synthetic, 0.3 / (it + 1), next),
      proposal: {
        next_params: [{ params: { ...PARAMS, base_size: 21 + it }, acquisitionValue: 1.25 }, { params: { ...PARAMS, void_count: 9 }, acquisitionValue: null }],
        current_best: [{ params: paramSets[paramSets.length - 1].params, posteriorMean: 0.05 / (it + 1), posteriorStd: 0.01, observed: 0.06, observationCount: 2 }],
        diagnostics: {
          strategy: 'ucb',
          beta: 2.5,
          model: null,
          relevance: [{ name: 'base_size', lengthscale: 0.4, relevance: 1 }],
          leaveOneOut: null,
          boundaryShare: 0,
          warnings: [],
          timingsMs: { fit: 12, propose: 30 },
        },
      },
      convergence: { converged: false, reason: null, detail: `iteration ${it}: not yet` },
      timings: { generate_ms: 100 + it, embed_ms: 250.5, score_ms: 3 },
      startedAt: `2026-01-0${it + 1}T10:30:00Z`,
      ...(it < iterationCount - 1 ? { finishedAt: `2026-01-0${it + 1}T10:31:00Z` } : {}),
    });
  }
  // The map: PCA fitted on iteration 0's embeddings and applied to every sample (never refitted).
  const iteration0 = samples.filter((s) => s.iteration === 0);
  const projection = fitPca(fromRows(iteration0.map((s) => s.embedding)), { components: 2 });
  const projected = projectPca(projection, fromRows(samples.map((s) => s.embedding)));
  samples.forEach((s, i) => {
    // The last sample stays unprojected, like one stored mid-stage.
    if (i < samples.length - 1) s.projection2d = [projected.data[2 * i], projected.data[2 * i + 1]];
  });
  const realImages: ChipRecord[] = options.userTarget
    ? ['real_001.png', 'real 002.png'].map((name, k) => ({ experimentId: id, id: name, bytes: tinyPng(9, 7, (x, y) => 40 + k * 9 + x * y).slice().buffer, width: 9, height: 7 }))
    : [];
  const experiment: ExperimentRecord = {
    id,
    name: options.name ?? 'Fixture experiment',
    createdAt: '2026-01-01T10:00:00Z',
    updatedAt: '2026-01-02T11:45:30Z',
    config: voidsDomain.defaultConfig(),
    target: options.userTarget ? { kind: 'user', imageCount: realImages.length } : { kind: 'simulated' },
    embedder: { id: 'image-statistics', label: 'Image statistics (test)', dimension: dim, normalized: true },
    chipIds: chips.map((c) => c.id),
    status: 'paused',
    statusDetail: 'stopped by the user',
    projection,
    ...(options.userTarget ? {} : { hiddenRealParamSets: [{ param_set_id: 'ps_000', params: PARAMS }] }),
    convergence: { converged: false, reason: null, detail: 'not yet' },
    schemaVersion: EXPERIMENT_SCHEMA_VERSION,
  };
  return { experiment, iterations, samples, chips, realImages };
}
