import { useEffect, useId, useState } from 'react';
import { MODEL_CATALOG, catalogModel } from '../../embedders/catalog';
import type { BackendPreference, Precision } from '../../embedders/backendChoice';
import { useEmbedderStore } from '../../state/embedderStore';
import type { Pooling, RgbaPixels } from '../../runtime/embedClient';
import { VariantComparison } from './VariantComparison';
import './modelPanel.css';

const STATISTICS_OPTION = 'image-statistics';
const FILE_OPTION = 'file';
const PRECISION_LABEL: Record<Precision, string> = { fp32: 'fp32 (full precision)', fp16: 'fp16 (half, WebGPU with shader-f16)', int8: 'int8 (quantised, smallest, on WASM)' };

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** Four flat-grey 256×256 images with a dark disc: enough to time the loaded model. */
function speedTestImages(): RgbaPixels[] {
  return Array.from({ length: 4 }, (_, k) => {
    const size = 256;
    const pixels = new Uint8ClampedArray(size * size * 4);
    for (let i = 0; i < size * size; i++) {
      const x = i % size;
      const y = Math.floor(i / size);
      const v = Math.hypot(x - 80 - 20 * k, y - 128) < 30 ? 90 : 170;
      pixels.set([v, v, v, 255], i * 4);
    }
    return { width: size, height: size, pixels };
  });
}

export interface ModelPanelProps {
  /** Extra class on the panel's <section>. */
  className?: string;
}

/**
 * Choose and load the embedding model: DINOv2 ViT-S/14 (default), ViT-B/14, the with-registers
 * variants, a local .onnx ("Model file"), or the offline image-statistics embedder; force a backend;
 * see the loaded model's name, input size, embedding dimension, backend, threads and speed.
 */
export function ModelPanel({ className }: ModelPanelProps) {
  const s = useEmbedderStore();
  const ids = { embedder: useId(), precision: useId(), backend: useId(), pooling: useId(), file: useId() };
  const [measuring, setMeasuring] = useState(false);

  useEffect(() => {
    const { probe, refreshCached } = useEmbedderStore.getState();
    void probe().catch(() => undefined);
    void refreshCached();
  }, []);

  const busy = s.status === 'fetching' || s.status === 'loading';
  const model = s.source === 'catalog' ? catalogModel(s.modelId) : null;
  const shaderF16 = s.capabilities?.shaderF16 ?? false;
  const selectValue = s.source === 'catalog' ? s.modelId : s.source === 'file' ? FILE_OPTION : STATISTICS_OPTION;
  const info = s.info;

  const onEmbedderChange = (value: string) => {
    if (value === STATISTICS_OPTION) s.setSource('image-statistics');
    else if (value === FILE_OPTION) s.setSource('file');
    else s.setModel(value);
  };

  const measure = async () => {
    setMeasuring(true);
    try {
      await s.embed(speedTestImages());
    } catch {
      // the store shows the error
    } finally {
      setMeasuring(false);
    }
  };

  return (
    <section className={['panel', 'model-panel', className].filter(Boolean).join(' ')} aria-labelledby="model-panel-heading">
      <h2 id="model-panel-heading">Embedding model</h2>

      <div className="param">
        <label htmlFor={ids.embedder} className="param__label">
          Embedder
        </label>
        <select id={ids.embedder} value={selectValue} disabled={busy} onChange={(e) => onEmbedderChange(e.target.value)}>
          {MODEL_CATALOG.models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.label}
              {m.default ? ' (default)' : ''}
            </option>
          ))}
          <option value={FILE_OPTION}>Local .onnx file</option>
          <option value={STATISTICS_OPTION}>Image statistics (offline, not DINOv2)</option>
        </select>
      </div>

      {model && (
        <div className="param">
          <label htmlFor={ids.precision} className="param__label">
            Weights
          </label>
          <select id={ids.precision} value={s.precision} disabled={busy} onChange={(e) => s.setPrecision(e.target.value as Precision)}>
            {model.files.map((f) => {
              const blocked = f.precision === 'fp16' && s.capabilities !== null && (!shaderF16 || s.backend === 'wasm');
              return (
                <option key={f.precision} value={f.precision} disabled={blocked}>
                  {PRECISION_LABEL[f.precision]} · {f.sizeMB} MB{s.cachedUrls.includes(f.url) ? ' · cached' : ''}
                  {blocked ? ' · needs WebGPU with shader-f16' : ''}
                </option>
              );
            })}
          </select>
          <span className="param__bounds">
            {model.architecture}, {model.embeddingDim}-d, {model.licence} · from{' '}
            <a className="link" href={model.origin} target="_blank" rel="noreferrer">
              {model.repo}
            </a>
          </span>
        </div>
      )}

      {s.source === 'image-statistics' && (
        <p className="model-panel__warning">Not DINOv2: hand-made statistics (intensity histogram, grid means, gradients, dark blobs). Works offline; distances mean less.</p>
      )}

      <div className="param">
        <label htmlFor={ids.backend} className="param__label">
          Backend
        </label>
        <select id={ids.backend} value={s.backend} disabled={busy || s.source === 'image-statistics'} onChange={(e) => s.setBackend(e.target.value as BackendPreference)}>
          <option value="auto">Auto</option>
          <option value="webgpu" disabled={s.capabilities !== null && !s.capabilities.webgpu}>
            WebGPU{s.capabilities !== null && !s.capabilities.webgpu ? ' (not available here)' : ''}
          </option>
          <option value="wasm">WASM (CPU)</option>
        </select>
      </div>

      <div className="param">
        <label htmlFor={ids.pooling} className="param__label">
          Readout
        </label>
        <select id={ids.pooling} value={s.pooling} disabled={busy || s.source === 'image-statistics'} onChange={(e) => s.setPooling(e.target.value as Pooling)}>
          <option value="cls">CLS token (default)</option>
          <option value="cls+meanpatch">CLS ⊕ mean patch token</option>
        </select>
      </div>

      <div className="param">
        <label htmlFor={ids.file} className="param__label">
          Model file
        </label>
        <input
          id={ids.file}
          type="file"
          accept=".onnx,application/octet-stream"
          disabled={busy}
          onChange={(e) => {
            const file = e.target.files?.[0];
            e.target.value = '';
            if (file) void s.loadFile(file).catch(() => undefined);
          }}
        />
      </div>

      <button type="button" className="button button--primary" disabled={busy || (s.source === 'file' && !s.file)} onClick={() => void s.load().catch(() => undefined)}>
        {busy ? 'Loading…' : 'Load model'}
      </button>

      {s.download && (
        <div className="progress" role="group" aria-label={`Downloading ${s.download.label}`}>
          <div className="progress__row">
            <span>Downloading {s.download.label}</span>
            <span className="progress__count">
              {megabytes(s.download.loaded)}
              {s.download.total ? ` / ${megabytes(s.download.total)}` : ''}
            </span>
            <button type="button" className="button button--small" onClick={s.cancel}>
              Cancel
            </button>
          </div>
          <progress max={s.download.total ?? undefined} value={s.download.loaded} aria-label={`Downloading ${s.download.label}`} />
        </div>
      )}
      {s.status === 'loading' && !s.download && <p className="panel__note">Loading and warming up the model…</p>}

      {s.error && (
        <p className="error model-panel__error" role="alert">
          {s.error}
        </p>
      )}
      {s.notice && (
        <p className="panel__note model-panel__notice" role="status">
          {s.notice}
        </p>
      )}

      {info && (
        <dl className="model-panel__facts" aria-label="Loaded model">
          <dt>Name</dt>
          <dd>
            {info.name}
            {!info.isDinov2 && <span className="model-panel__badge">not DINOv2</span>}
          </dd>
          <dt>Input size</dt>
          <dd>{info.inputSize ? `${info.inputSize.width} × ${info.inputSize.height}` : 'any (resampled to 128 × 128)'}</dd>
          <dt>Embedding dim</dt>
          <dd>{info.embeddingDim}</dd>
          <dt>Backend</dt>
          <dd title={info.backendReason}>
            {info.backend === 'js' ? 'JavaScript' : info.backend === 'webgpu' ? 'WebGPU' : 'WASM'} <span className="model-panel__muted">({info.fallbackReason ?? info.backendReason})</span>
          </dd>
          <dt>Threads</dt>
          <dd>{info.threads}</dd>
          <dt>Speed</dt>
          <dd>
            {info.msPerImage ? `${(1000 / info.msPerImage).toFixed(1)} images/s (${info.msPerImage.toFixed(0)} ms/image)` : `not measured yet (warm-up ${info.warmupMs.toFixed(0)} ms)`}{' '}
            <button type="button" className="button button--small" disabled={busy || measuring} onClick={() => void measure()}>
              {measuring ? 'Measuring…' : 'Measure'}
            </button>
          </dd>
          <dt>Readout</dt>
          <dd>
            {info.readout}
            {info.readoutNote && <span className="model-panel__muted"> ({info.readoutNote})</span>}
          </dd>
          {s.origin && (
            <>
              <dt>Source</dt>
              <dd>{s.origin}</dd>
            </>
          )}
        </dl>
      )}

      <VariantComparison />
    </section>
  );
}
