/**
 * Data stays in the tab, with a catalog model: the first run downloads the model from its host (the
 * only request that leaves the page's origin), the second, in a reloaded page with the model cached,
 * makes no request outside the origin at all. Hugging Face cannot be reached here: its URL is answered
 * by Playwright with the tiny int8 stand-in (tests/fixtures/models), padded with an unused initializer
 * to the catalog's size so the app's size check accepts it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { MODEL_CATALOG } from '../../src/embedders/catalog';
import { openChromium, requestsOutside } from '../../tests/helpers/chromium';
import { setUpApp } from './appDriver';
import { FAULT_CONFIG_YAML, FAULT_EXPERIMENT } from './faults';

const { onnx } = onnxProto;
const TINY_INT8 = join(process.cwd(), 'tests/fixtures/models/dinov2-tiny-int8.onnx');
const MODEL_HOST = 'https://huggingface.co';

/** The model with an unused UINT8 initializer that brings its encoded size to about `bytes`. */
export function paddedModel(model: Uint8Array, bytes: number): Uint8Array {
  const proto = onnx.ModelProto.decode(model);
  const padding = Math.max(0, bytes - model.byteLength - 64);
  proto.graph!.initializer!.push(onnx.TensorProto.create({ name: 'size_padding', dataType: onnx.TensorProto.DataType.UINT8, dims: [padding], rawData: new Uint8Array(padding) }));
  return onnx.ModelProto.encode(proto).finish();
}

export interface ModelCacheOutcome {
  /** Requests that left the origin during the first run (model not cached): all to the model host. */
  firstRunOutside: string[];
  /** Requests that left the origin in the reloaded page, the model cached, through a Step. */
  cachedRunOutside: string[];
  passed: boolean;
}

export async function modelCacheScenario(baseUrl: string): Promise<ModelCacheOutcome> {
  const model = MODEL_CATALOG.models.find((m) => m.default)!;
  const file = model.files.find((f) => f.precision === 'int8')!;
  const body = Buffer.from(paddedModel(new Uint8Array(readFileSync(TINY_INT8)), Math.round(file.sizeMB * 1e6)));
  const session = await openChromium();
  try {
    await session.context.route(`${MODEL_HOST}/**`, (route) => route.fulfill({ status: 200, body, headers: { 'content-type': 'application/octet-stream', 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' } }));
    let page = session.page;
    await page.addInitScript('window.__name = (f) => f');
    await setUpApp(page, baseUrl, FAULT_CONFIG_YAML, FAULT_EXPERIMENT, { catalogModel: model.id, precision: 'int8', loadedName: `${model.label} (int8)` });
    await page.getByRole('button', { name: 'Run iteration 0' }).click();
    await page.getByRole('button', { name: 'Auto-run' }).waitFor({ timeout: 180_000 });
    await page.waitForFunction(() => !document.querySelector('.stage-progress'), null, { timeout: 120_000 });
    const firstRunOutside = requestsOutside(session, baseUrl);

    // The second page must not reach the host: any attempt would be recorded (and refused).
    await session.context.unroute(`${MODEL_HOST}/**`);
    await session.context.route(`${MODEL_HOST}/**`, (route) => route.abort('internetdisconnected'));
    const before = session.requests.length;
    await page.close();
    page = await session.context.newPage();
    await page.goto(baseUrl);
    await page.getByRole('button', { name: 'Step' }).click();
    await page.getByRole('button', { name: 'Step' }).waitFor({ state: 'visible' });
    await page.waitForFunction(() => !document.querySelector('.stage-progress') && /next: iteration 2/.test(document.body.innerText), null, { timeout: 180_000 });
    const cachedRunOutside = session.requests.slice(before).filter((url) => !url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== new URL(baseUrl).origin);
    const passed = firstRunOutside.length > 0 && firstRunOutside.every((url) => url.startsWith(`${MODEL_HOST}/`)) && cachedRunOutside.length === 0;
    return { firstRunOutside, cachedRunOutside, passed };
  } finally {
    await session.close();
  }
}
