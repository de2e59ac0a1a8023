/**
 * npm run bench:embed — how fast the page embeds, and what a faster variant costs, in one run on one
 * machine (ratios side by side; the machine is shared). The model is the ViT-S/14-sized DINOv2 stand-in
 * (random weights, real FLOPs) stored as Hugging Face's three exports: fp32 model.onnx, int8
 * model_quantized.onnx, fp16 model_fp16.onnx (scripts/build-standin.ts builds them on demand into
 * models/standin/, git-ignored).
 *
 * 1. Session options, measured not guessed: the app's embed worker in headless Chromium (WASM, through its
 *    client, end to end: RGBA 256×256 in → embeddings out), fp32 and int8, one option moved at a time from
 *    the app's choice (2 threads = every core here, graph optimisation 'all', batch 8 = the pipeline's
 *    chunk): threads 1 and 2; graph optimisation disabled, basic, extended, all; batch 1, 4, 8, 16.
 *    SIMD is not an option: onnxruntime-web 1.30 ships only SIMD builds of its wasm.
 * 2. Runtimes and precisions: the browser (best session options of part 1) against onnxruntime-node
 *    (native CPU, 2 threads, session.run only, batch 1, 8, 16, best kept) at fp32, int8 and fp16, and the
 *    same fp32 network in Debian's python3-torch (batch 8), with the torch-vs-onnxruntime output check.
 * 3. Drift of int8 and fp16 from fp32 on a voids iteration 0, as a share of its noise floor
 *    (bench/embedDrift.ts; random weights: says nothing definite about real DINOv2).
 * 4. The pipeline: the page itself (Vite dev server, what `npm start` serves) with the int8 stand-in
 *    dropped in "Model file" on WASM, "Run iteration 0" and two "Step"s clicked; per iteration the wall
 *    time from the click until the run is idle, the inference session's own time (the stored
 *    `inference_ms`, summed session.run), the idle share 1 − inference / wall (target ≤ 0.10) and the
 *    non-embedding share (wall − embed_ms) / wall.
 *
 * Parts 1 and 2 run in interleaved rounds; each configuration reports its best round (the least disturbed
 * one, for every configuration alike) and its median. No real-GPU WebGPU figure is measured on a machine
 * without a GPU (SwiftShader's WebGPU is a CPU emulation, ~100× slower than WASM): the file says so.
 * Writes bench/results/embed.json.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { relative } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import type { Page } from 'playwright-core';
import { ensureVits14Variants } from '../scripts/build-standin';
import type { GraphOptimizationLevel } from '../src/embedders/protocol';
import { measureDrift, type Precision } from './embedDrift';
import { launchBenchBrowser, startAppServer } from './lib/browser';
import { machineInfo, printTable, writeBenchResult, type Row } from './lib/report';
import { clickAndWaitIdle, openStudio, storedIterations } from './lib/studioPage';

const ROUNDS = 3;
const APP = { threads: 2, level: 'all' as GraphOptimizationLevel, batch: 8 };
const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];
const BATCHES = [1, 4, 8, 16];
const NATIVE_BATCHES = [1, 8, 16];
/** Images per timed call: more where the figure is a headline (the app's batch and above). */
const imagesFor = (batch: number) => (batch >= APP.batch ? Math.max(16, batch) : 8);
const STEPS = 2;
const WEB = 'onnxruntime-web WASM (Chromium worker)';
const NATIVE = 'onnxruntime-node (native CPU)';
const TORCH = 'PyTorch 1.13 CPU (python3-torch)';

interface WebConfig {
  precision: Precision;
  threads: number;
  level: GraphOptimizationLevel;
  batch: number;
}
const keyOf = (c: WebConfig) => `${c.precision}|${c.threads}|${c.level}|${c.batch}`;
const workerKey = (c: WebConfig) => `${c.precision}|${c.threads}|${c.level}`;

/** fp32 and int8: one option moved at a time from the app's choice; fp16 at the app's choice only. */
function webConfigs(): WebConfig[] {
  const configs: WebConfig[] = [];
  for (const precision of ['fp32', 'int8'] as const) {
    for (const batch of BATCHES) configs.push({ precision, threads: APP.threads, level: APP.level, batch });
    configs.push({ precision, threads: 1, level: APP.level, batch: APP.batch });
    for (const level of LEVELS.filter((l) => l !== APP.level)) configs.push({ precision, threads: APP.threads, level, batch: APP.batch });
  }
  configs.push({ precision: 'fp16', ...APP });
  return configs;
}

interface Timed {
  imagesPerS: number;
  inferenceImagesPerS?: number;
}
const timings = new Map<string, Timed[]>();
const record = (key: string, t: Timed) => timings.set(key, [...(timings.get(key) ?? []), t]);
const bestOf = (key: string): Timed => (timings.get(key) ?? []).reduce((a, b) => (b.imagesPerS > a.imagesPerS ? b : a), { imagesPerS: -Infinity });
const medianOf = (key: string) => {
  const values = (timings.get(key) ?? []).map((t) => t.imagesPerS).sort((a, b) => a - b);
  return values[Math.floor(values.length / 2)];
};
const round3 = (v: number) => +v.toFixed(3);

/** sin(0.001·i) over [1, 3, 224, 224]: the reference input torch_vit.py also uses. */
const referenceInput = () => Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.fround(Math.sin(i * 0.001)));

const CONFIG_YAML = `experiment_name: "bench_embed"
max_iterations: 3
convergence_rule: absolute
convergence_threshold: -1
early_stop_patience: 5
`;

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const paths = ensureVits14Variants(['fp32', 'int8', 'fp16']);

  // Native sessions, warmed at every batch size.
  const nativeInputs = new Map(NATIVE_BATCHES.map((b) => [b, new ortNode.Tensor('float32', Float32Array.from({ length: b * 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.37)), [b, 3, 224, 224])]));
  const native = new Map<Precision, ortNode.InferenceSession>();
  for (const p of ['fp32', 'int8', 'fp16'] as const) {
    const session = await ortNode.InferenceSession.create(paths[p], { intraOpNumThreads: APP.threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    for (const b of NATIVE_BATCHES) await session.run({ pixel_values: nativeInputs.get(b)! });
    native.set(p, session);
  }
  const check = (await native.get('fp32')!.run({ pixel_values: new ortNode.Tensor('float32', referenceInput(), [1, 3, 224, 224]) })).pooler_output.data as Float32Array;

  const { server, baseUrl } = await startAppServer();
  const { browser, page, version } = await launchBenchBrowser();
  const configs = webConfigs();
  let torchCheck: number[] | null = null;
  let torchNote = '';
  let loop: Row[] = [];
  try {
    // ---- 1 + 2: one embed worker per (precision, threads, graph level), warmed at each batch it runs.
    const harness = await browser.newPage();
    await harness.addInitScript('window.__name = (f) => f');
    await harness.goto(`${baseUrl}/tests/browser/pages/embed.html`);
    await harness.locator('body[data-ready="true"]').waitFor();
    const workers = new Map<string, number>();
    for (const c of configs) {
      if (!workers.has(workerKey(c))) {
        const path = `/${relative(process.cwd(), paths[c.precision])}`;
        const opened = await harness.evaluate(([p, t, l]) => window.harness.benchOpen(p, t, l), [path, c.threads, c.level] as const);
        if (opened.backend !== 'wasm' || opened.threads !== c.threads || opened.precision !== c.precision) {
          throw new Error(`asked for ${c.precision} on WASM with ${c.threads} threads, got ${opened.precision} on ${opened.backend} with ${opened.threads}`);
        }
        workers.set(workerKey(c), opened.id);
      }
      await harness.evaluate(([id, b]) => window.harness.benchRun(id, b, b), [workers.get(workerKey(c))!, c.batch] as const);
    }
    console.log(`${workers.size} embed workers loaded and warmed; ${configs.length} configurations × ${ROUNDS} rounds`);

    for (let round = 1; round <= ROUNDS; round++) {
      for (const c of configs) {
        const n = imagesFor(c.batch);
        const r = await harness.evaluate(([id, b, k]) => window.harness.benchRun(id, b, k), [workers.get(workerKey(c))!, c.batch, n] as const);
        record(`${WEB}|${keyOf(c)}`, { imagesPerS: n / r.seconds, inferenceImagesPerS: n / r.inferenceSeconds });
      }
      for (const [p, session] of native) {
        for (const b of NATIVE_BATCHES) {
          const runs = Math.max(1, imagesFor(b) / b);
          const started = performance.now();
          for (let i = 0; i < runs; i++) await session.run({ pixel_values: nativeInputs.get(b)! });
          record(`${NATIVE}|${p}|${b}`, { imagesPerS: (runs * b) / ((performance.now() - started) / 1000) });
        }
      }
      const torch = spawnSync('/usr/bin/python3', ['bench/peers/torch_vit.py', paths.fp32, '--threads', String(APP.threads), '--batches', String(APP.batch), '--images', String(imagesFor(APP.batch))], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
      if (torch.status !== 0) torchNote = `torch peer not run: ${(torch.stderr || torch.error?.message || '').trim().split('\n').at(-1)} (needs Debian's python3-torch and python3-onnx)`;
      else {
        for (const line of torch.stdout.trim().split('\n')) {
          const obj = JSON.parse(line);
          if (obj.check) torchCheck = obj.check;
          else record(`${TORCH}|fp32|${obj.batch}`, { imagesPerS: obj.images / obj.seconds });
        }
      }
      console.log(`round ${round}/${ROUNDS} done`);
    }
    await harness.evaluate(() => window.harness.benchClose());
    await harness.close();

    // ---- 4: the pipeline in the page, on the int8 stand-in.
    loop = await measurePipeline(page, baseUrl, paths.int8);
  } finally {
    await browser.close();
    await server.close();
    for (const s of native.values()) await s.release();
  }

  console.log('measuring the drift on a voids iteration 0 (demo chips)…');
  const drift = await measureDrift(paths);

  // ---- tables
  const appDefault = (p: Precision) => bestOf(`${WEB}|${keyOf({ precision: p, ...APP })}`).imagesPerS;
  const sweepRows: Row[] = configs.map((c) => {
    const key = `${WEB}|${keyOf(c)}`;
    const top = bestOf(key);
    const moved = c.threads !== APP.threads ? 'threads' : c.level !== APP.level ? 'graph optimisation' : c.batch !== APP.batch ? 'batch' : 'none (the app\'s choice)';
    return {
      section: 'session options',
      precision: c.precision,
      moved,
      threads: c.threads,
      graph_optimization: c.level,
      batch: c.batch,
      images_per_s: round3(top.imagesPerS),
      median_images_per_s: round3(medianOf(key)),
      inference_images_per_s: top.inferenceImagesPerS !== undefined ? round3(top.inferenceImagesPerS) : null,
      vs_app_choice: round3(top.imagesPerS / appDefault(c.precision)),
    };
  });
  printTable(sweepRows, `Session options in the Chromium embed worker (WASM, end to end), one moved at a time from the app's choice (${APP.threads} threads, '${APP.level}', batch ${APP.batch}); best of ${ROUNDS} interleaved rounds`);

  const bestWeb = (p: Precision) => {
    const own = configs.filter((c) => c.precision === p);
    return own.reduce((a, b) => (bestOf(`${WEB}|${keyOf(b)}`).imagesPerS > bestOf(`${WEB}|${keyOf(a)}`).imagesPerS ? b : a));
  };
  const bestNativeBatch = (p: Precision) => NATIVE_BATCHES.reduce((a, b) => (bestOf(`${NATIVE}|${p}|${b}`).imagesPerS > bestOf(`${NATIVE}|${p}|${a}`).imagesPerS ? b : a));
  const rate = {
    web: (p: Precision) => bestOf(`${WEB}|${keyOf(bestWeb(p))}`).imagesPerS,
    native: (p: Precision) => bestOf(`${NATIVE}|${p}|${bestNativeBatch(p)}`).imagesPerS,
  };
  const runtimeRows: Row[] = [];
  for (const p of ['fp32', 'int8', 'fp16'] as const) {
    const c = bestWeb(p);
    runtimeRows.push(runtimeRow(WEB, p, c.threads, c.batch, `${WEB}|${keyOf(c)}`, rate.native('fp32'), rate.native(p), rate.web('fp32')));
  }
  for (const p of ['fp32', 'int8', 'fp16'] as const) {
    runtimeRows.push(runtimeRow(NATIVE, p, APP.threads, bestNativeBatch(p), `${NATIVE}|${p}|${bestNativeBatch(p)}`, rate.native('fp32'), rate.native(p), rate.native('fp32')));
  }
  const torchKey = `${TORCH}|fp32|${APP.batch}`;
  if (timings.has(torchKey)) runtimeRows.push(runtimeRow(TORCH, 'fp32', APP.threads, APP.batch, torchKey, rate.native('fp32'), rate.native('fp32'), bestOf(torchKey).imagesPerS));
  printTable(runtimeRows, `Runtimes and precisions, images/s (browser at its best session options, native at its best batch), best of ${ROUNDS} interleaved rounds`);
  const torchDiff = torchCheck ? Math.max(...torchCheck.map((v, i) => Math.abs(v - check[i]))) : null;
  console.log(`PyTorch vs onnxruntime-node, same weights, reference input: max |Δ pooler_output| = ${torchDiff ?? 'n/a'} ${torchNote}`);

  const driftRows: Row[] = (['int8', 'fp16'] as const).map((p) => {
    const d = drift.drift[p];
    return {
      section: 'drift',
      variant: `${p} vs fp32`,
      images: drift.images.real + drift.images.iteration0,
      cosine_min: +d.cosine.min.toFixed(6),
      cosine_median: +d.cosine.median.toFixed(6),
      mmd2: +d.mmd2.toExponential(3),
      noise_floor: +drift.floor.toExponential(3),
      share_of_floor: +d.ratio.toExponential(3),
      verdict: d.verdict,
    };
  });
  printTable(driftRows, `Drift on a voids iteration 0 (${drift.images.real} real + ${drift.images.iteration0} close/far on the demo chips; σ = ${drift.bandwidth.toPrecision(4)}); random weights: says nothing definite about real DINOv2`);
  printTable(loop, `The pipeline in the page (int8 stand-in, WASM ${APP.threads} threads): iteration 0 and ${STEPS} Steps`);
  console.log('No real-GPU WebGPU figure was measured: this machine has no GPU (SwiftShader WebGPU is CPU emulation).');

  const iter1 = loop.find((r) => r.iteration === 1)!;
  const ratio = (a: number, b: number) => round3(a / b);
  const best = (p: Precision) => bestWeb(p);
  writeBenchResult({
    bench: 'embed',
    machine: machineInfo({
      browser: `Chromium ${version}`,
      model: 'ViT-S/14 stand-in, random weights: fp32 86.6 MB, int8 22.2 MB, fp16 43.3 MB',
      rounds: ROUNDS,
      app_session_options: `${APP.threads} threads (every core, up to 8), graphOptimizationLevel '${APP.level}', batch ${APP.batch} (the pipeline's chunk; 2 for the first chunk), SIMD always (the only wasm builds shipped)`,
      best_browser_int8: `${best('int8').threads} threads, '${best('int8').level}', batch ${best('int8').batch}`,
      best_browser_fp32: `${best('fp32').threads} threads, '${best('fp32').level}', batch ${best('fp32').batch}`,
      // The machine is shared: 1-minute load average before and after (cores = machine.cpus).
      load_average_before: +loadBefore.toFixed(2),
      load_average_after: +loadavg()[0].toFixed(2),
      webgpu_real_gpu: 'not measured: no GPU on this machine (SwiftShader WebGPU is a CPU emulation; fp16 is meant for WebGPU with shader-f16)',
    }),
    figures: {
      browser_int8_vs_native_fp32: { value: ratio(rate.web('int8'), rate.native('fp32')), unit: 'ratio (browser WASM int8 end to end ÷ onnxruntime-node fp32, each at its best options)', target: 1, better: 'higher' },
      browser_int8_vs_native_int8: { value: ratio(rate.web('int8'), rate.native('int8')), unit: 'ratio (browser WASM int8 ÷ onnxruntime-node int8)', target: null, better: 'higher' },
      browser_fp32_vs_native_fp32: { value: ratio(rate.web('fp32'), rate.native('fp32')), unit: 'ratio (browser WASM fp32 ÷ onnxruntime-node fp32)', target: null, better: 'higher' },
      browser_int8_vs_browser_fp32: { value: ratio(rate.web('int8'), rate.web('fp32')), unit: 'speed-up of int8 over fp32 in the browser (WASM)', target: null, better: 'higher' },
      browser_int8_images_per_s: { value: round3(rate.web('int8')), unit: 'images/s (browser WASM int8, end to end)', target: null, better: 'higher' },
      browser_fp32_images_per_s: { value: round3(rate.web('fp32')), unit: 'images/s (browser WASM fp32, end to end)', target: null, better: 'higher' },
      native_fp32_images_per_s: { value: round3(rate.native('fp32')), unit: 'images/s (onnxruntime-node fp32, 2 threads)', target: null, better: 'higher' },
      ...(timings.has(torchKey) ? { torch_images_per_s: { value: round3(bestOf(torchKey).imagesPerS), unit: `images/s (torch CPU fp32, ${APP.threads} threads, batch ${APP.batch})`, target: null, better: 'higher' as const } } : {}),
      ...(torchDiff !== null ? { torch_vs_ort_max_abs_diff: { value: +torchDiff.toExponential(2), unit: 'max |Δ| of pooler_output, same weights and input', target: 1e-3, better: 'lower' as const } } : {}),
      int8_cosine_min: { value: +drift.drift.int8.cosine.min.toFixed(6), unit: 'min cosine int8 vs fp32 per image (voids iteration 0)', target: null, better: 'higher' },
      int8_cosine_median: { value: +drift.drift.int8.cosine.median.toFixed(6), unit: 'median cosine int8 vs fp32 per image (voids iteration 0)', target: null, better: 'higher' },
      int8_drift_share_of_floor: { value: +drift.drift.int8.ratio.toExponential(3), unit: 'MMD² int8 vs fp32 ÷ noise floor', target: 0.1, better: 'lower' },
      fp16_cosine_min: { value: +drift.drift.fp16.cosine.min.toFixed(6), unit: 'min cosine fp16 vs fp32 per image (voids iteration 0)', target: null, better: 'higher' },
      fp16_drift_share_of_floor: { value: +drift.drift.fp16.ratio.toExponential(3), unit: 'MMD² fp16 vs fp32 ÷ noise floor', target: 0.1, better: 'lower' },
      inference_idle_share_iter1: { value: iter1.idle_share as number, unit: '1 − inference_ms / wall of a 24-image Step (int8 stand-in, the page)', target: 0.1, better: 'lower' },
      non_embedding_share_iter1: { value: iter1.non_embed_share as number, unit: '(wall − embed_ms) / wall of the same Step', target: null, better: 'lower' },
    },
    rows: [...sweepRows, ...runtimeRows, ...driftRows, ...loop],
  });
}

function runtimeRow(runtime: string, precision: Precision, threads: number, batch: number, key: string, nativeFp32: number, nativeSame: number, runtimeFp32: number): Row {
  const top = bestOf(key);
  return {
    section: 'runtimes',
    runtime,
    precision,
    threads,
    batch,
    images_per_s: round3(top.imagesPerS),
    median_images_per_s: round3(medianOf(key)),
    ms_per_image: +(1000 / top.imagesPerS).toFixed(1),
    vs_native_fp32: round3(top.imagesPerS / nativeFp32),
    vs_native_same_precision: round3(top.imagesPerS / nativeSame),
    vs_fp32_same_runtime: round3(top.imagesPerS / runtimeFp32),
  };
}

/** Iteration 0 and STEPS Steps in the page on `modelPath`; per iteration the idle share of its inference session. */
async function measurePipeline(page: Page, baseUrl: string, modelPath: string): Promise<Row[]> {
  await openStudio(page, baseUrl, { configYaml: CONFIG_YAML, experimentName: 'bench_embed', embedder: 'dinov2-standin', modelPath });
  const walls: number[] = [];
  for (const label of ['Run iteration 0', ...Array.from({ length: STEPS }, () => 'Step')]) {
    const click = await clickAndWaitIdle(page, label);
    console.log(`  ${label}: ${(click.wallMs / 1000).toFixed(1)} s`);
    walls.push(click.wallMs);
  }
  const stored = await storedIterations(page);
  if (stored.length !== walls.length || stored.some((s) => s.stage !== 'proposed')) throw new Error(`expected ${walls.length} proposed iterations, stored: ${JSON.stringify(stored.map((s) => [s.iteration, s.stage]))}`);
  return stored.map((it, i) => {
    const t = it.timings;
    const wall = walls[i];
    if (t.inference_ms === undefined) throw new Error(`iteration ${it.iteration} stored no inference_ms`);
    return {
      section: 'pipeline',
      iteration: it.iteration,
      images: it.images,
      wall_s: +(wall / 1000).toFixed(2),
      generate_ms: Math.round(t.generate_ms ?? 0),
      embed_ms: Math.round(t.embed_ms ?? 0),
      inference_ms: Math.round(t.inference_ms),
      score_ms: Math.round(t.score_ms ?? 0),
      propose_ms: Math.round(t.propose_ms ?? 0),
      store_ms: Math.round(t.store_ms ?? 0),
      idle_share: round3(1 - t.inference_ms / wall),
      non_embed_share: round3((wall - (t.embed_ms ?? 0)) / wall),
      embed_call_overhead_share: round3(1 - t.inference_ms / (t.embed_ms ?? t.inference_ms)),
    };
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
