import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web/webgpu';
import { OnnxEmbedder, type OnnxEmbedderOptions } from '../../src/embedders/onnx/onnxEmbedder';
import type { RgbaPixels } from '../../src/embedders/rgbaImage';
import { MODEL_LOAD_TIME_LIMIT_MS } from '../../src/runtime/embedClient';
import { digest, refusal, type CaseOutcome, type HostileCase } from './hostileCase';
import { hugeInputModel, hugeOutputModel, loopForeverModel, textModel, twoInputModel } from './hostileModels';

/**
 * Model files (family 'model'): the embed worker's own loading code (OnnxEmbedder.create: the file
 * check, onnxruntime-web's session on WASM, the contract, the test run) in Node. "Changed" asks whether
 * the model loaded before — the tiny DINOv2 stand-in — still gives the same vector for the same image
 * after the hostile load was refused. The model whose graph never ends needs the worker's time limit,
 * which only a worker has: it runs in Chromium (browser: true).
 */

ort.env.wasm.numThreads = 1;
ort.env.logLevel = 'error';

const MODELS = join(import.meta.dirname, '..', '..', 'tests', 'fixtures', 'models');
const tiny = () => new Uint8Array(readFileSync(join(MODELS, 'dinov2-tiny.onnx')));
const options = (file: string): OnnxEmbedderOptions => ({ label: `"${file}"`, backend: 'wasm', pooling: 'cls', patchSize: 14 });

function probeImage(): RgbaPixels {
  const size = 64;
  const pixels = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) {
    const v = ((i % size) * 3 + Math.floor(i / size) * 5) % 200;
    pixels.set([v, 255 - v, (v * 7) % 256, 255], i * 4);
  }
  return { width: size, height: size, pixels };
}

let loaded: Promise<{ embedder: OnnxEmbedder; vector: string }> | null = null;

const vectorOf = async (embedder: OnnxEmbedder) => digest(Array.from((await embedder.embedBatch([probeImage()])).items[0].embedding));

/** The model in place before each hostile load (the tiny stand-in), and its vector for the probe image. */
function current(): Promise<{ embedder: OnnxEmbedder; vector: string }> {
  loaded ??= (async () => {
    const embedder = await OnnxEmbedder.create(ort, tiny(), options('dinov2-tiny.onnx'));
    return { embedder, vector: await vectorOf(embedder) };
  })();
  return loaded;
}

async function modelOutcome(file: string, bytes: Uint8Array): Promise<CaseOutcome> {
  const { embedder, vector: before } = await current();
  const vector = () => vectorOf(embedder);
  const message = await refusal(async () => {
    const other = await OnnxEmbedder.create(ort, bytes, options(file));
    await other.release();
  });
  return { message, changed: (await vector()) !== before, detail: 'the previously loaded stand-in embeds the same image to the same vector afterwards' };
}

const model = (id: string, description: string, expect: RegExp, bytes: () => Uint8Array): HostileCase => ({
  id,
  family: 'model',
  description,
  expect,
  run: () => modelOutcome(`${id}.onnx`, bytes()),
});

export const LOOP_CASE_LIMIT_MS = 4000;

export function modelCases(): HostileCase[] {
  return [
    model('model-truncated', 'the stand-in cut at half its length (an interrupted download)', /^"model-truncated\.onnx" is truncated: its graph section needs .* but the file ends after .*cut short/, () => tiny().subarray(0, tiny().length >> 1)),
    model('model-empty', 'a model file of 0 bytes', /^"model-empty\.onnx" is empty \(0 bytes\)/, () => new Uint8Array(0)),
    model('model-html', 'an HTML login page saved as .onnx', /^"model-html\.onnx" is an HTML page .*not an ONNX model/, () => new TextEncoder().encode('<!DOCTYPE html><html><body>Sign in to continue</body></html>')),
    model('model-wrong-input', 'a text model: its one input is input_ids int64, not pixel_values', /^"model-wrong-input\.onnx" is not a usable image embedding model: its input input_ids is int64, not float32 or float16/, textModel),
    model('model-two-inputs', 'an image model that also wants attention_mask', /^"model-two-inputs\.onnx" is not a usable image embedding model: it has 2 inputs \(pixel_values, attention_mask\)/, twoInputModel),
    model('model-billion-input', 'pixel_values declared [1, 3, 2e9, 2e9]', /^"model-billion-input\.onnx" is not a usable image embedding model: it declares an input height \(pixel_values axis 2\) of 2,000,000,000, over the limit of 2,048/, hugeInputModel),
    model('model-billion-output', 'pooler_output declared [batch, 3e9]', /^"model-billion-output\.onnx" is not a usable image embedding model: it declares an embedding width of 3,000,000,000, over the limit of 65,536/, hugeOutputModel),
    model('model-mnist', 'a valid ONNX classifier of 1-channel 28 × 28 digits', /^"model-mnist\.onnx" is not a usable image embedding model: its input Input3 takes 1 channel, not 3/, () => new Uint8Array(readFileSync(join(MODELS, 'mnist-shaped.onnx')))),
    {
      id: 'model-loop-forever',
      family: 'model',
      browser: true,
      description: `a graph whose Loop (trip count 2^62) never ends during the test run; the embed worker's load time limit (${MODEL_LOAD_TIME_LIMIT_MS / 1000} s; ${LOOP_CASE_LIMIT_MS / 1000} s in the test) stops it. The worker is restarted, so the previous model is loaded again; it embeds as before`,
      expect: /^"model-loop-forever\.onnx" did not finish loading and its test run within the 4-second time limit, so it was stopped/,
      run: async (context) => {
        if (!context) throw new Error('model-loop-forever runs in Chromium');
        await context.page.goto(`${context.baseUrl}/tests/browser/pages/embed.html`);
        await context.page.locator('body[data-ready="true"]').waitFor();
        const result = await context.page.evaluate(
          async ({ loop, limit }) => {
            const h = window.harness; // tests/browser/pages/embed.ts
            const client = h.createEmbedClient();
            const tinyBytes = await h.fetchBytes('/tests/fixtures/models/dinov2-tiny.onnx');
            const vector = async () => Array.from((await client.embed([h.syntheticImage(3)])).items[0].embedding);
            await client.loadModel(tinyBytes.slice(), { name: 'dinov2-tiny.onnx', backend: 'wasm' });
            const before = await vector();
            let message = '(accepted)';
            try {
              await client.loadModel(Uint8Array.from(loop), { name: 'model-loop-forever.onnx', backend: 'wasm', loadTimeLimitMs: limit });
            } catch (e) {
              message = (e as Error).message;
            }
            // The page's embedder reloads its model from the cache when next needed; here, by hand.
            await client.loadModel(tinyBytes.slice(), { name: 'dinov2-tiny.onnx', backend: 'wasm' });
            const after = await vector();
            client.dispose();
            return { message, same: before.length === after.length && before.every((v, i) => v === after[i]) };
          },
          { loop: Array.from(loopForeverModel()), limit: LOOP_CASE_LIMIT_MS },
        );
        return { message: result.message, changed: !result.same, detail: 'the stand-in, reloaded after the restart, embeds the same image to the same vector' };
      },
    },
  ];
}
