/**
 * Fetches catalog models into models/{repo}/{file}, so the app can be hosted offline: the embedder looks
 * in its own models/ folder before the browser cache and the network.
 *
 *   npx tsx scripts/fetch-models.ts                          DINOv2 ViT-S/14 fp32 (the default)
 *   npx tsx scripts/fetch-models.ts dinov2-base --precision fp16
 *   npx tsx scripts/fetch-models.ts --all                     every model and precision (≈ 1.4 GB)
 *   add --record-sizes to write the exact byte lengths into models/catalog.json (sizeBytes)
 *
 * A file is written as .part and renamed only when complete and verified (announced length, catalog
 * size, a whole ONNX file), so an interrupted run never leaves a file the app would pick up.
 * Without network access it fails at once with a message saying what to do instead.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL_CATALOG, catalogFile, catalogModel, defaultCatalogModel, localModelPath, sizeMatchesCatalog, type CatalogFile, type CatalogModel } from '../src/embedders/catalog';
import type { Precision } from '../src/embedders/backendChoice';
import { inspectOnnxFile } from '../src/embedders/onnxFile';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CATALOG_PATH = join(ROOT, 'models', 'catalog.json');
const CONNECT_TIMEOUT_MS = 30_000;

class FetchModelError extends Error {}

function parseArgs(argv: string[]) {
  const all = argv.includes('--all');
  const recordSizes = argv.includes('--record-sizes');
  const p = argv.indexOf('--precision');
  const precision = (p >= 0 ? argv[p + 1] : 'fp32') as Precision;
  if (!['fp32', 'fp16', 'int8'].includes(precision)) throw new FetchModelError(`--precision must be fp32, fp16 or int8, not ${precision}`);
  const ids = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--precision');
  return { all, recordSizes, precision, ids };
}

async function fetchOne(model: CatalogModel, file: CatalogFile): Promise<number> {
  const target = join(ROOT, localModelPath(model, file));
  const shown = relative(ROOT, target);
  if (existsSync(target) && sizeMatchesCatalog(file, statSync(target).size)) {
    console.log(`${shown}: already here (${statSync(target).size} bytes)`);
    return statSync(target).size;
  }
  console.log(`${model.label} (${file.precision}) ← ${file.url}`);
  let response: Response;
  try {
    response = await fetch(file.url, { signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS), redirect: 'follow' });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new FetchModelError(
      `Could not reach ${new URL(file.url).host} (${cause?.code ?? cause?.message ?? (error as Error).message}). ` +
        `This machine seems to have no network access. Download ${file.url} elsewhere and place it at ${shown}, ` +
        `or load the .onnx in the app with "Model file"; the app also works offline with the image-statistics embedder.`,
    );
  }
  if (!response.ok || !response.body) throw new FetchModelError(`${file.url} answered HTTP ${response.status} ${response.statusText}`);
  const announced = Number(response.headers.get('content-length')) || null;
  mkdirSync(dirname(target), { recursive: true });
  const part = `${target}.part`;
  const out = createWriteStream(part);
  let received = 0;
  let lastReport = 0;
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.length;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      if (received - lastReport > 10e6) {
        lastReport = received;
        process.stdout.write(`  ${(received / 1e6).toFixed(0)}${announced ? ` / ${(announced / 1e6).toFixed(0)}` : ''} MB\r`);
      }
    }
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (announced !== null && received !== announced) throw new FetchModelError(`incomplete: ${received} of ${announced} bytes`);
    if (!sizeMatchesCatalog(file, received)) throw new FetchModelError(`${received} bytes, but the catalog lists ${file.sizeBytes ?? `${file.sizeMB} MB`}`);
    inspectOnnxFile(new Uint8Array(readFileSync(part)), shown);
    renameSync(part, target);
  } catch (error) {
    out.destroy();
    rmSync(part, { force: true });
    throw error instanceof FetchModelError ? new FetchModelError(`${shown}: ${error.message}; nothing was kept`) : error;
  }
  console.log(`${shown}: ${received} bytes`);
  return received;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const wanted: Array<[CatalogModel, CatalogFile]> = args.all
    ? MODEL_CATALOG.models.flatMap((m) => m.files.map((f) => [m, f] as [CatalogModel, CatalogFile]))
    : (args.ids.length ? args.ids.map((id) => catalogModel(id)) : [defaultCatalogModel()]).map((m) => [m, catalogFile(m, args.precision)]);
  const sizes = new Map<string, number>();
  for (const [model, file] of wanted) sizes.set(file.url, await fetchOne(model, file));
  if (args.recordSizes) {
    const json = JSON.parse(readFileSync(CATALOG_PATH, 'utf8'));
    for (const m of json.models) for (const f of m.files) if (sizes.has(f.url)) f.sizeBytes = sizes.get(f.url);
    writeFileSync(CATALOG_PATH, JSON.stringify(json, null, 2) + '\n');
    console.log(`recorded ${sizes.size} exact size(s) in models/catalog.json`);
  }
}

main().catch((error) => {
  console.error(`fetch-models: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
