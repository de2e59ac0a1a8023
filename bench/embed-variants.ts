/**
 * npm run bench:embed-variants — the ViT-S/14-sized stand-in stored as Hugging Face's three DINOv2 exports
 * (fp32 model.onnx, int8 model_quantized.onnx, fp16 model_fp16.onnx; scripts/build-standin.ts builds them
 * on demand into models/standin/, git-ignored), side by side in one run:
 *  - images/s in a Chromium worker (the app's embed worker through its client, WASM, 2 threads, batch 8,
 *    end to end: RGBA 256×256 in → embeddings out) and in onnxruntime-node (native CPU, 2 threads, batch
 *    8, session.run only), in interleaved rounds, best round and median per configuration (the machine
 *    is shared: the best round is the least disturbed one, for every configuration alike);
 *  - ratios: each against native fp32 (the target: browser int8 ≥ 1.0× native fp32), against
 *    native at the same precision, and against the same runtime's fp32;
 *  - the drift of int8 and fp16 from fp32 on a voids iteration 0 (bench/embedVariantsDrift.ts).
 * fp16 runs on WASM here only through onnxruntime's float32 casts (no WebGPU with shader-f16 on this
 * machine), so its WASM speed is not what fp16 is for; a real GPU's WebGPU figures are not measured.
 * Writes bench/results/embed-variants.json.
 */
import { loadavg } from 'node:os';
import { relative } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { createServer } from 'vite';
import { ensureVits14Variants } from '../scripts/build-standin';
import { openChromium, type ChromiumSession } from '../tests/helpers/chromium';
import { measureDrift, type Precision } from './embedVariantsDrift';
import { machineInfo, printTable, writeBenchResult, type Row } from './lib/report';

const PRECISIONS: readonly Precision[] = ['fp32', 'int8', 'fp16'];
const THREADS = 2;
const BATCH = 8;
const IMAGES = 16;
const ROUNDS = 3;
const WEB = 'onnxruntime-web WASM (Chromium worker)';
const NATIVE = 'onnxruntime-node (native CPU)';

/** runtime|precision → images/s per round. */
const rates = new Map<string, number[]>();
const record = (runtime: string, precision: Precision, imagesPerSecond: number) => rates.set(`${runtime}|${precision}`, [...(rates.get(`${runtime}|${precision}`) ?? []), imagesPerSecond]);
const best = (runtime: string, precision: Precision) => Math.max(...(rates.get(`${runtime}|${precision}`) ?? [NaN]));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const paths = ensureVits14Variants(PRECISIONS);

  const input = new ortNode.Tensor('float32', Float32Array.from({ length: BATCH * 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.37)), [BATCH, 3, 224, 224]);
  const native = new Map<Precision, ortNode.InferenceSession>();
  for (const p of PRECISIONS) {
    const session = await ortNode.InferenceSession.create(paths[p], { intraOpNumThreads: THREADS, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    await session.run({ pixel_values: input });
    native.set(p, session);
  }

  const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { port: 0, host: '127.0.0.1', hmr: false } });
  await server.listen();
  const address = server.httpServer!.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  let session: ChromiumSession | null = null;
  let browserVersion = '';
  try {
    session = await openChromium();
    browserVersion = session.context.browser()?.version() ?? '';
    const page = session.page;
    await page.goto(`${base}/tests/browser/pages/embed.html`);
    await page.locator('body[data-ready="true"]').waitFor();
    const workers = new Map<Precision, number>();
    for (const p of PRECISIONS) {
      const opened = await page.evaluate(([path, t]) => window.harness.benchOpen(path, t), [`/${relative(process.cwd(), paths[p])}`, THREADS] as const);
      if (opened.backend !== 'wasm' || opened.threads !== THREADS || opened.precision !== p) throw new Error(`asked for ${p} on WASM with ${THREADS} threads, got ${opened.precision} on ${opened.backend} with ${opened.threads}`);
      await page.evaluate(([id, b]) => window.harness.benchRun(id, b, b), [opened.id, BATCH] as const);
      workers.set(p, opened.id);
    }
    for (let round = 1; round <= ROUNDS; round++) {
      for (const p of PRECISIONS) {
        const r = await page.evaluate(([id, b, n]) => window.harness.benchRun(id, b, n), [workers.get(p)!, BATCH, IMAGES] as const);
        record(WEB, p, IMAGES / r.seconds);
        const started = performance.now();
        for (let i = 0; i < IMAGES / BATCH; i++) await native.get(p)!.run({ pixel_values: input });
        record(NATIVE, p, IMAGES / ((performance.now() - started) / 1000));
      }
      console.log(`round ${round}/${ROUNDS} done`);
    }
    await page.evaluate(() => window.harness.benchClose());
  } finally {
    await session?.close();
    await server.close();
    for (const s of native.values()) await s.release();
  }

  console.log('measuring the drift on a voids iteration 0 (demo chips)…');
  const drift = await measureDrift(paths);

  const rows: Row[] = [];
  for (const runtime of [WEB, NATIVE]) {
    for (const p of PRECISIONS) {
      const rate = best(runtime, p);
      rows.push({
        runtime,
        precision: p,
        images_per_s: +rate.toFixed(3),
        median_images_per_s: +median(rates.get(`${runtime}|${p}`)!).toFixed(3),
        ms_per_image: +(1000 / rate).toFixed(1),
        vs_native_fp32: +(rate / best(NATIVE, 'fp32')).toFixed(3),
        vs_native_same_precision: +(rate / best(NATIVE, p)).toFixed(3),
        vs_fp32_same_runtime: +(rate / best(runtime, 'fp32')).toFixed(3),
      });
    }
  }
  printTable(rows, `ViT-S/14 stand-in, ${THREADS} threads, batch ${BATCH}, images/s, best of ${ROUNDS} interleaved rounds`);
  const driftRows: Row[] = (['int8', 'fp16'] as const).map((p) => {
    const d = drift.drift[p];
    return {
      variant: `${p} vs fp32`,
      images: drift.images.real + drift.images.iteration0,
      cosine_min: +d.cosine.min.toFixed(6),
      cosine_median: +d.cosine.median.toFixed(6),
      one_minus_cosine_max: +(1 - d.cosine.min).toExponential(2),
      one_minus_cosine_median: +(1 - d.cosine.median).toExponential(2),
      mmd2: +d.mmd2.toExponential(3),
      noise_floor: +drift.floor.toExponential(3),
      share_of_floor: +d.ratio.toExponential(3),
      verdict: d.verdict,
    };
  });
  printTable(driftRows, `Drift on a voids iteration 0 (${drift.images.real} real + ${drift.images.iteration0} close/far on the demo chips; σ = ${drift.bandwidth.toPrecision(4)}); random weights: says nothing definite about real DINOv2`);

  const ratio = (a: number, b: number) => +(a / b).toFixed(3);
  writeBenchResult({
    bench: 'embed-variants',
    machine: machineInfo({
      browser: `Chromium ${browserVersion}`,
      model: 'ViT-S/14 stand-in, random weights: fp32 86.6 MB, int8 22.2 MB, fp16 43.3 MB',
      threads: THREADS,
      batch: BATCH,
      rounds: ROUNDS,
      // The machine is shared: 1-minute load average before and after (cores = machine.cpus).
      load_average_before: +loadBefore.toFixed(2),
      load_average_after: +loadavg()[0].toFixed(2),
      webgpu_real_gpu: 'not measured (no GPU on this machine; fp16 is meant for WebGPU with shader-f16)',
    }),
    figures: {
      browser_int8_vs_native_fp32: { value: ratio(best(WEB, 'int8'), best(NATIVE, 'fp32')), unit: 'ratio (browser WASM int8 end-to-end ÷ onnxruntime-node fp32)', target: 1, better: 'higher' },
      browser_int8_vs_native_int8: { value: ratio(best(WEB, 'int8'), best(NATIVE, 'int8')), unit: 'ratio (browser WASM int8 ÷ onnxruntime-node int8)', target: null, better: 'higher' },
      browser_fp32_vs_native_fp32: { value: ratio(best(WEB, 'fp32'), best(NATIVE, 'fp32')), unit: 'ratio (browser WASM fp32 ÷ onnxruntime-node fp32)', target: null, better: 'higher' },
      browser_int8_vs_browser_fp32: { value: ratio(best(WEB, 'int8'), best(WEB, 'fp32')), unit: 'speed-up of int8 over fp32 in the browser (WASM)', target: null, better: 'higher' },
      browser_int8_images_per_s: { value: +best(WEB, 'int8').toFixed(3), unit: 'images/s (browser WASM int8, end to end)', target: null, better: 'higher' },
      int8_cosine_min: { value: +drift.drift.int8.cosine.min.toFixed(6), unit: 'min cosine int8 vs fp32 per image (voids iteration 0)', target: null, better: 'higher' },
      int8_drift_share_of_floor: { value: +drift.drift.int8.ratio.toExponential(3), unit: 'MMD² int8 vs fp32 ÷ noise floor', target: 0.1, better: 'lower' },
      fp16_cosine_min: { value: +drift.drift.fp16.cosine.min.toFixed(6), unit: 'min cosine fp16 vs fp32 per image (voids iteration 0)', target: null, better: 'higher' },
      fp16_drift_share_of_floor: { value: +drift.drift.fp16.ratio.toExponential(3), unit: 'MMD² fp16 vs fp32 ÷ noise floor', target: 0.1, better: 'lower' },
    },
    rows: [...rows, ...driftRows],
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
