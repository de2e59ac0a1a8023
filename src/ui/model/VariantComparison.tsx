import { useId, type ReactNode } from 'react';
import type { Precision } from '../../embedders/backendChoice';
import type { ExperimentRecord, VariantComparisonRecord } from '../../engine/experiment/records';
import { useExperimentStore } from '../../state/experimentStore';
import { comparisonObstacle, experimentCatalogModel, useVariantComparisonStore, type CandidateKind } from '../../state/variantComparisonStore';
import { cosineGapHistogram } from './cosineHistogram';

const num = (v: number) => (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toPrecision(4) : v.toExponential(2));
const pct = (v: number) => `${(100 * v).toPrecision(2)} %`;

/**
 * "Compare model variants": the open experiment's model against another variant (int8, fp16, fp32 of
 * its catalog model, or a local .onnx) on the experiment's own images, judged against its noise floor.
 */
export function VariantComparison() {
  const experiment = useExperimentStore((s) => s.current);
  const runState = useExperimentStore((s) => s.run);
  const iterations = useExperimentStore((s) => s.iterations);
  const s = useVariantComparisonStore();
  const ids = { candidate: useId(), file: useId(), share: useId() };

  if (!experiment) {
    return (
      <Frame>
        <p className="panel__note">Open or start an experiment to compare its model with another variant on its own images.</p>
      </Frame>
    );
  }
  const obstacle = comparisonObstacle(experiment);
  const stored = s.result?.experimentId === experiment.id ? s.result.record : experiment.variantComparison;
  const hasIterationZero = iterations.some((it) => it.iteration === 0 && it.stage !== 'planned');
  const catalog = experimentCatalogModel(experiment);
  const options = (catalog?.model.files ?? []).filter((f) => f.precision !== catalog?.precision);
  const candidate: CandidateKind = options.some((f) => f.precision === s.candidate) ? s.candidate : 'file';

  return (
    <Frame>
      {obstacle ? (
        <p className="panel__note">{obstacle}</p>
      ) : (
        <>
          <p className="panel__note">
            Embeds the real set{hasIterationZero ? ' and iteration 0' : ''} of “{experiment.name}” with its model ({experiment.embedder.label}) and with another variant, and measures the drift against
            the experiment’s noise floor.
          </p>
          <div className="param">
            <label htmlFor={ids.candidate} className="param__label">
              Compare with
            </label>
            <select id={ids.candidate} value={candidate} disabled={s.running} onChange={(e) => s.setCandidate(e.target.value as CandidateKind)}>
              {options.map((f) => (
                <option key={f.precision} value={f.precision}>
                  {catalog!.model.label} ({f.precision}) · {f.sizeMB} MB
                </option>
              ))}
              <option value="file">Local .onnx file…</option>
            </select>
          </div>
          {candidate === 'file' && (
            <div className="param">
              <label htmlFor={ids.file} className="param__label">
                Variant file
              </label>
              <input
                id={ids.file}
                type="file"
                accept=".onnx,application/octet-stream"
                disabled={s.running}
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file) s.setFile(file);
                }}
              />
            </div>
          )}
          <div className="param">
            <label htmlFor={ids.share} className="param__label">
              Safe below
            </label>
            <span className="variant-comparison__share">
              <input id={ids.share} type="number" min={1} max={100} step={1} value={Math.round(s.share * 100)} disabled={s.running} onChange={(e) => s.setShare(Math.min(100, Math.max(1, Number(e.target.value) || 10)) / 100)} />
              <span className="param__unit">% of the floor</span>
            </span>
          </div>
          <div className="button-row">
            <button
              type="button"
              className="button button--small"
              disabled={s.running || runState !== 'idle' || (candidate === 'file' && !s.file)}
              onClick={() => {
                if (candidate !== s.candidate) s.setCandidate(candidate);
                void s.compare(experiment);
              }}
            >
              {s.running ? 'Comparing…' : 'Compare variants'}
            </button>
            {s.running && (
              <button type="button" className="button button--small button--ghost" onClick={s.cancel}>
                Cancel
              </button>
            )}
            {runState !== 'idle' && <span className="panel__note">waits for the run to stop</span>}
          </div>
        </>
      )}
      {s.progress && (
        <div className="progress" role="group" aria-label="Comparing model variants">
          <div className="progress__row">
            <span>{s.progress.label}</span>
            <span className="progress__count">
              {s.progress.done} / {s.progress.total}
            </span>
          </div>
          <progress max={1} value={s.progress.fraction} aria-label="Comparison progress" />
        </div>
      )}
      {s.error && (
        <p className="error model-panel__error" role="alert">
          {s.error}
        </p>
      )}
      {stored && <ComparisonResult record={stored} experiment={experiment} />}
    </Frame>
  );
}

function Frame({ children }: { children: ReactNode }) {
  const heading = useId();
  return (
    <section className="variant-comparison" aria-labelledby={heading}>
      <h3 id={heading}>Compare model variants</h3>
      {children}
    </section>
  );
}

function variantName(v: VariantComparisonRecord['reference']) {
  return `${v.label} (${v.precision as Precision}, ${v.backend === 'webgpu' ? 'WebGPU' : v.backend === 'wasm' ? 'WASM' : v.backend})`;
}

function ComparisonResult({ record: r }: { record: VariantComparisonRecord; experiment: ExperimentRecord }) {
  const bins = cosineGapHistogram(r.cosines);
  const most = Math.max(1, ...bins.map((b) => b.count));
  const threshold = r.share * r.floor;
  const scale = Math.max(r.floor, r.mmd2);
  const at = (v: number) => `${(100 * Math.max(0, v)) / scale}%`;
  return (
    <div className="variant-comparison__result" aria-label="Variant comparison result" data-verdict={r.verdict}>
      <p className={`variant-comparison__verdict variant-comparison__verdict--${r.verdict === 'safe' ? 'safe' : 'unsafe'}`}>{r.verdict} for this experiment</p>
      <p className="variant-comparison__statement">{r.statement}</p>
      <dl className="model-panel__facts">
        <dt>Variants</dt>
        <dd>
          {variantName(r.reference)} vs {variantName(r.candidate)}
        </dd>
        <dt>Images</dt>
        <dd>
          {r.images.real} real{r.images.iteration0 ? ` + ${r.images.iteration0} of iteration 0` : ''}
        </dd>
        <dt>Cosine</dt>
        <dd>
          min {r.cosine.min.toFixed(6)} · median {r.cosine.median.toFixed(6)} · mean {r.cosine.mean.toFixed(6)}
          <span className="variant-comparison__histogram" role="img" aria-label={`Images by 1 − cosine: ${bins.map((b) => `${b.label}: ${b.count}`).join(', ')}`}>
            {bins.map((b) => (
              <span key={b.label} className="variant-comparison__bin" title={`1 − cosine ${b.label}: ${b.count} image(s)`}>
                <span className="variant-comparison__bar" style={{ height: `${(100 * b.count) / most}%` }} />
                <span className="variant-comparison__count">{b.count || ''}</span>
                <span className="variant-comparison__bin-label">{b.label}</span>
              </span>
            ))}
          </span>
          <span className="model-panel__muted">images by 1 − cosine</span>
        </dd>
        <dt>MMD²</dt>
        <dd>
          {num(r.mmd2)} = {pct(r.ratio)} of the floor; safe below {num(threshold)} ({pct(r.share)})
          <span className="variant-comparison__scale" role="img" aria-label={`MMD² ${num(r.mmd2)} against the noise floor ${num(r.floor)}, safe below ${num(threshold)}`}>
            <span className="variant-comparison__fill" style={{ width: at(r.mmd2) }} />
            <span className="variant-comparison__threshold" style={{ left: at(threshold) }} />
          </span>
          <span className="model-panel__muted">0 … noise floor {num(r.floor)}; the mark is the safe share</span>
        </dd>
        <dt>Noise floor</dt>
        <dd>
          {num(r.floor)} <span className="model-panel__muted">({r.floorSource}; σ = {num(r.bandwidth)})</span>
        </dd>
        <dt>Compared</dt>
        <dd>{r.comparedAt.replace('T', ' ').slice(0, 19)}</dd>
      </dl>
    </div>
  );
}
