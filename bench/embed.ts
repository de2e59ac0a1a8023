/**
 * npm run bench:embed — images/second for the ViT-S/14-sized DINOv2 stand-in (random weights, real
 * FLOPs; built on demand into models/standin/) at batch 1, 8 and 16:
 *  - onnxruntime-web WASM in a Chromium worker (the app's embed worker, through its client), 1 and 2
 *    threads, end to end (RGBA 256×256 in → embeddings out, preprocessing included) and inference only;
 *  - onnxruntime-node (native CPU) on the same .onnx, session.run only;
 *  - the same architecture and weights in Debian's python3-torch (CPU), forward only.
 * The runtimes are measured in interleaved rounds and each configuration reports its best round (the
 * machine is shared; the best round is the least disturbed one, for every runtime alike) and the median.
 * Ratio to native = throughput / onnxruntime-node's at the same threads and batch.
 * Headline wasm_vs_native_ratio: browser WASM (end to end) over onnxruntime-node, each at 2 threads
 * and its best batch size (target ≥ 0.6). No real-GPU WebGPU figure is measured on a machine without
 * a GPU (SwiftShader's WebGPU is a CPU emulation, ~100× slower than WASM; see docs/decisions.md,
 * 'Headless Chromium in tests and benches').
 * Writes bench/results/embed.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as ortNode from 'onnxruntime-node';
import { createServer } from 'vite';
import { VITS14_STANDIN_PATH, buildVits14Standin } from '../scripts/build-standin';
import { openChromium, type ChromiumSession } from '../tests/helpers/chromium';
import { machineInfo, printTable, writeBenchResult, type Row } from './lib/report';

const BATCHES = [1, 8, 16];
/** Images timed per batch size per round (after a warm-up batch at that size). */
const IMAGES: Record<number, number> = { 1: 8, 8: 16, 16: 16 };
const THREADS = [1, 2];
const ROUNDS = 3;
const MODEL_URL_PATH = '/models/standin/dinov2-vits14-standin.onnx';
const WEB = 'onnxruntime-web WASM (Chromium worker)';
const NATIVE = 'onnxruntime-node (native CPU)';
const TORCH = 'PyTorch 1.13 CPU (python3-torch)';

interface Sample {
  seconds: number;
  images: number;
  inferenceSeconds?: number;
}
/** runtime|threads|batch → one sample per round. */
const samples = new Map<string, Sample[]>();
const record = (runtime: string, threads: number, batch: number, sample: Sample) => {
  const key = `${runtime}|${threads}|${batch}`;
  samples.set(key, [...(samples.get(key) ?? []), sample]);
};

/** sin(0.001·i) over [1, 3, 224, 224]: the reference input torch_vit.py also uses. */
const referenceInput = () => Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.fround(Math.sin(i * 0.001)));

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  if (!existsSync(VITS14_STANDIN_PATH)) {
    console.log('building the ViT-S/14 stand-in (models/standin/, git-ignored)…');
    buildVits14Standin();
  }

  // Native sessions, warmed at every batch size.
  const native = new Map<number, ortNode.InferenceSession>();
  const inputs = new Map(BATCHES.map((b) => [b, new ortNode.Tensor('float32', Float32Array.from({ length: b * 3 * 224 * 224 }, (_, i) => Math.sin(i * 0.37)), [b, 3, 224, 224])]));
  for (const threads of THREADS) {
    const session = await ortNode.InferenceSession.create(VITS14_STANDIN_PATH, { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
    for (const b of BATCHES) await session.run({ pixel_values: inputs.get(b)! });
    native.set(threads, session);
  }
  const check = (await native.get(1)!.run({ pixel_values: new ortNode.Tensor('float32', referenceInput(), [1, 3, 224, 224]) })).pooler_output.data as Float32Array;

  // Browser workers (one per thread count), warmed at every batch size.
  const server = await createServer({ configFile: 'vite.config.ts', logLevel: 'error', server: { port: 0, host: '127.0.0.1', hmr: false } });
  await server.listen();
  const address = server.httpServer!.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  let session: ChromiumSession | null = null;
  let torchCheck: number[] | null = null;
  let torchNote = '';
  let browserVersion = '';
  try {
    session = await openChromium();
    browserVersion = session.context.browser()?.version() ?? '';
    const page = session.page;
    await page.goto(`${base}/tests/browser/pages/embed.html`);
    await page.locator('body[data-ready="true"]').waitFor();
    const workers = new Map<number, number>();
    for (const threads of THREADS) {
      const opened = await page.evaluate(([path, t]) => window.harness.benchOpen(path, t), [MODEL_URL_PATH, threads] as const);
      if (opened.threads !== threads || opened.backend !== 'wasm') throw new Error(`asked for WASM with ${threads} threads, got ${opened.backend} with ${opened.threads}`);
      for (const b of BATCHES) await page.evaluate(([id, batch]) => window.harness.benchRun(id, batch, batch), [opened.id, b] as const);
      workers.set(threads, opened.id);
    }

    for (let round = 1; round <= ROUNDS; round++) {
      for (const threads of THREADS) {
        for (const batch of BATCHES) {
          const r = await page.evaluate(([id, b, n]) => window.harness.benchRun(id, b, n), [workers.get(threads)!, batch, IMAGES[batch]] as const);
          record(WEB, threads, batch, { ...r, images: IMAGES[batch] });
        }
        for (const batch of BATCHES) {
          const runs = Math.max(1, IMAGES[batch] / batch);
          const started = performance.now();
          for (let i = 0; i < runs; i++) await native.get(threads)!.run({ pixel_values: inputs.get(batch)! });
          record(NATIVE, threads, batch, { seconds: (performance.now() - started) / 1000, images: runs * batch });
        }
        const run = spawnSync('/usr/bin/python3', ['bench/peers/torch_vit.py', VITS14_STANDIN_PATH, '--threads', String(threads), '--batches', BATCHES.join(','), '--images', BATCHES.map((b) => IMAGES[b]).join(',')], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
        if (run.status !== 0) torchNote = `torch peer not run: ${(run.stderr || run.error?.message || '').trim().split('\n').at(-1)} (needs Debian's python3-torch and python3-onnx)`;
        else {
          for (const line of run.stdout.trim().split('\n')) {
            const obj = JSON.parse(line);
            if (obj.check) torchCheck = obj.check;
            else record(TORCH, threads, obj.batch, { seconds: obj.seconds, images: obj.images });
          }
        }
      }
      console.log(`round ${round}/${ROUNDS} done`);
    }
    await page.evaluate(() => window.harness.benchClose());
  } finally {
    await session?.close();
    await server.close();
    for (const s of native.values()) await s.release();
  }

  const rate = (s: Sample) => s.images / s.seconds;
  const best = (key: string) => Math.max(...(samples.get(key) ?? []).map(rate));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows: Row[] = [];
  for (const runtime of [WEB, NATIVE, TORCH]) {
    for (const threads of THREADS) {
      for (const batch of BATCHES) {
        const key = `${runtime}|${threads}|${batch}`;
        const list = samples.get(key);
        if (!list) continue;
        const top = list.reduce((a, b) => (rate(b) > rate(a) ? b : a));
        rows.push({
          runtime,
          threads,
          batch,
          images_per_s: +rate(top).toFixed(3),
          median_images_per_s: +median(list.map(rate)).toFixed(3),
          ms_per_image: +(1000 / rate(top)).toFixed(1),
          inference_images_per_s: top.inferenceSeconds !== undefined ? +(top.images / top.inferenceSeconds).toFixed(3) : null,
          ratio_to_native: +(rate(top) / best(`${NATIVE}|${threads}|${batch}`)).toFixed(3),
        });
      }
    }
  }
  printTable(rows, `ViT-S/14 stand-in (224×224, 257 tokens, 12 blocks, D=384), images/s, best of ${ROUNDS} interleaved rounds`);

  const bestOver = (runtime: string, threads: number) => Math.max(...rows.filter((r) => r.runtime === runtime && r.threads === threads).map((r) => r.images_per_s as number));
  const wasmBest = bestOver(WEB, 2);
  const nativeBest = bestOver(NATIVE, 2);
  const torchDiff = torchCheck ? Math.max(...torchCheck.map((v, i) => Math.abs(v - check[i]))) : null;
  console.log(`\nPyTorch vs onnxruntime-node, same weights, reference input: max |Δ pooler_output| = ${torchDiff ?? 'n/a'} ${torchNote}`);
  console.log('No real-GPU WebGPU figure was measured: this machine has no GPU (SwiftShader WebGPU is CPU emulation).');

  writeBenchResult({
    bench: 'embed',
    machine: machineInfo({ browser: `Chromium ${browserVersion}`, model: 'ViT-S/14 stand-in, random weights, fp32, 86.6 MB', rounds: ROUNDS,
      // The machine is shared: 1-minute load average before and after (cores = machine.cpus).
      load_average_before: +loadBefore.toFixed(2),
      load_average_after: +loadavg()[0].toFixed(2),
      webgpu_real_gpu: 'not measured (no GPU on this machine)' }),
    figures: {
      wasm_vs_native_ratio: { value: +(wasmBest / nativeBest).toFixed(3), unit: 'ratio (browser WASM end-to-end ÷ onnxruntime-node, 2 threads, best batch each)', target: 0.6, better: 'higher' },
      wasm_images_per_s: { value: wasmBest, unit: 'images/s (browser WASM, 2 threads, best batch)', target: null, better: 'higher' },
      native_images_per_s: { value: nativeBest, unit: 'images/s (onnxruntime-node, 2 threads, best batch)', target: null, better: 'higher' },
      ...(samples.has(`${TORCH}|2|1`) ? { torch_images_per_s: { value: bestOver(TORCH, 2), unit: 'images/s (torch CPU, 2 threads, best batch)', target: null, better: 'higher' as const } } : {}),
      ...(torchDiff !== null ? { torch_vs_ort_max_abs_diff: { value: +torchDiff.toExponential(2), unit: 'max |Δ| of pooler_output, same weights and input', target: 1e-3, better: 'lower' as const } } : {}),
    },
    rows,
  });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
