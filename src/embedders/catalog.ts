import catalogJson from '../../models/catalog.json';
import type { Backend, BackendCapabilities, BackendPreference, Precision } from './backendChoice';
import { chooseModelVariant } from './variantChoice';

/**
 * The model catalog (models/catalog.json): which DINOv2 exports the app offers, where they come from,
 * how big they are. Parsed and checked here so a typo in the JSON fails loudly in a unit test, not as
 * a 404 in a user's browser.
 */
export interface CatalogFile {
  precision: Precision;
  /** Path inside the Hugging Face repo, e.g. onnx/model.onnx. */
  file: string;
  /** Size Hugging Face lists, decimal MB. */
  sizeMB: number;
  /** Exact byte length when known (recorded by scripts/fetch-models.ts), else null. */
  sizeBytes: number | null;
  /** Download URL: https://huggingface.co/{repo}/resolve/main/{file}. */
  url: string;
}

export interface CatalogModel {
  id: string;
  label: string;
  architecture: string;
  repo: string;
  /** The original (PyTorch) model card. */
  origin: string;
  licence: string;
  embeddingDim: number;
  patchSize: number;
  /** Register tokens between CLS and the patch tokens. */
  registers: number;
  default: boolean;
  files: CatalogFile[];
}

export interface ModelCatalog {
  version: number;
  urlTemplate: string;
  models: CatalogModel[];
}

const PRECISIONS: readonly Precision[] = ['fp32', 'fp16', 'int8'];

export function parseModelCatalog(json: unknown, source = 'models/catalog.json'): ModelCatalog {
  const fail = (where: string, why: string): never => {
    throw new Error(`${source}: ${where} ${why}`);
  };
  const obj = json as Record<string, unknown>;
  if (!obj || typeof obj !== 'object') fail('the file', 'is not a JSON object');
  if (obj.version !== 1) fail('version', `is ${String(obj.version)}, expected 1`);
  const template = obj.urlTemplate;
  if (typeof template !== 'string' || !template.includes('{repo}') || !template.includes('{file}')) fail('urlTemplate', 'must contain {repo} and {file}');
  if (!Array.isArray(obj.models) || obj.models.length === 0) fail('models', 'must be a non-empty array');
  const ids = new Set<string>();
  const models = (obj.models as unknown[]).map((raw, i) => {
    const m = raw as Record<string, unknown>;
    const at = `models[${i}]${typeof m?.id === 'string' ? ` (${m.id})` : ''}`;
    for (const key of ['id', 'label', 'architecture', 'repo', 'origin', 'licence']) {
      if (typeof m[key] !== 'string' || !(m[key] as string).length) fail(`${at}.${key}`, 'must be a non-empty string');
    }
    for (const key of ['embeddingDim', 'patchSize', 'registers']) {
      if (!Number.isInteger(m[key]) || (m[key] as number) < 0) fail(`${at}.${key}`, 'must be a non-negative integer');
    }
    if (typeof m.default !== 'boolean') fail(`${at}.default`, 'must be true or false');
    if (ids.has(m.id as string)) fail(at, 'repeats an id');
    ids.add(m.id as string);
    if (!Array.isArray(m.files) || m.files.length === 0) fail(`${at}.files`, 'must be a non-empty array');
    const files = (m.files as unknown[]).map((rawFile, j) => {
      const f = rawFile as Record<string, unknown>;
      const fat = `${at}.files[${j}]`;
      if (!PRECISIONS.includes(f.precision as Precision)) fail(`${fat}.precision`, `must be one of ${PRECISIONS.join(', ')}`);
      if (typeof f.file !== 'string' || !f.file.endsWith('.onnx')) fail(`${fat}.file`, 'must name an .onnx file');
      if (typeof f.sizeMB !== 'number' || !(f.sizeMB > 0)) fail(`${fat}.sizeMB`, 'must be a positive number');
      if (f.sizeBytes !== null && !(Number.isInteger(f.sizeBytes) && (f.sizeBytes as number) > 0)) fail(`${fat}.sizeBytes`, 'must be a positive integer or null');
      const expectedUrl = (template as string).replace('{repo}', m.repo as string).replace('{file}', f.file as string);
      if (f.url !== expectedUrl) fail(`${fat}.url`, `is ${String(f.url)}, expected ${expectedUrl}`);
      return f as unknown as CatalogFile;
    });
    return { ...(m as unknown as CatalogModel), files };
  });
  if (models.filter((m) => m.default).length !== 1) fail('models', 'must have exactly one default');
  return { version: 1, urlTemplate: template as string, models };
}

export const MODEL_CATALOG: ModelCatalog = parseModelCatalog(catalogJson);

export function catalogModel(id: string, catalog: ModelCatalog = MODEL_CATALOG): CatalogModel {
  const model = catalog.models.find((m) => m.id === id);
  if (!model) throw new Error(`no model "${id}" in the catalog (have ${catalog.models.map((m) => m.id).join(', ')})`);
  return model;
}

export function defaultCatalogModel(catalog: ModelCatalog = MODEL_CATALOG): CatalogModel {
  return catalog.models.find((m) => m.default)!;
}

/** The model's file of exactly this precision (scripts/fetch-models.ts fetches what it is asked for). */
export function catalogFile(model: CatalogModel, precision: Precision): CatalogFile {
  const file = model.files.find((f) => f.precision === precision);
  if (!file) throw new Error(`${model.label} has no ${precision} file (has ${model.files.map((f) => f.precision).join(', ')})`);
  return file;
}

/**
 * The file to fetch for a wanted precision and the backend it will run on (variantChoice.ts: fp16 only
 * on WebGPU with shader-f16, int8 on WASM, a missing precision falls back to fp32; the note says why).
 */
export function chooseCatalogFile(
  model: CatalogModel,
  wanted: Precision,
  preference: BackendPreference,
  caps: BackendCapabilities,
): { file: CatalogFile; backend: Backend; backendReason: string; note: string | null } {
  const choice = chooseModelVariant(
    model.files.map((f) => f.precision),
    wanted,
    preference,
    caps,
  );
  return { file: catalogFile(model, choice.precision), backend: choice.backend, backendReason: choice.backendReason, note: choice.note };
}

/** Where the app looks for a file shipped with it (scripts/fetch-models.ts writes there): models/{repo}/{file}. */
export function localModelPath(model: CatalogModel, file: CatalogFile): string {
  return `models/${model.repo}/${file.file}`;
}

/**
 * Whether a downloaded length is plausible for a catalog file: exactly sizeBytes when known, else within
 * 2 % of the listed size (the listing is rounded to three digits).
 */
export function sizeMatchesCatalog(file: CatalogFile, byteLength: number): boolean {
  if (file.sizeBytes !== null) return byteLength === file.sizeBytes;
  return Math.abs(byteLength - file.sizeMB * 1e6) <= 0.02 * file.sizeMB * 1e6;
}
