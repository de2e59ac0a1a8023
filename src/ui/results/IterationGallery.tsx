import { memo, useCallback, useEffect, useEffectEvent, useId, useMemo, useRef, useState } from 'react';
import { BlobImage } from '../plots/BlobImage';
import { SampleCard } from '../plots/SampleCard';
import { useCardInside } from '../plots/useCardInside';
import { formatNumber } from '../plots/theme';
import type { SampleView } from '../plots/types';
import '../plots/plots.css';

export interface IterationGalleryProps {
  /** Every sample to choose from: the real ones (dataset_type 'real') and those of each iteration. */
  samples: readonly SampleView[];
  /** The iteration to show (controlled); without it the gallery keeps its own choice, latest by default. */
  iteration?: number;
  onIterationChange?: (iteration: number) => void;
  /**
   * A sample to show (e.g. a point opened on the map): its iteration is selected, its tile scrolled into
   * view, outlined and focused. A new object is a new request, even for the same sample.
   */
  reveal?: { sampleId: string } | null;
  title?: string;
}

interface Active {
  sample: SampleView;
  left: number;
  top: number;
}

const CARD_WIDTH = 280;

/** Ids are ASCII (iter3_synthetic_017, ps_012): plain comparison (localeCompare's ICU collation is slow). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Short tile caption: real_003 for a real image; 009 · s0 (index, replication seed) for a generated one. */
function caption(s: SampleView): string {
  if (s.dataset_type === 'real') return s.sample_id.replace(/^iter\d+_/, '');
  const index = s.sample_id.match(/_(\d+)$/)?.[1] ?? s.sample_id;
  return s.replication_seed !== undefined ? `${index} · s${s.replication_seed}` : index;
}

/**
 * The images of one iteration, grouped by parameter set (best score first), beside the real images.
 * Tiles show their metadata on hover or keyboard focus; image URLs are made only for tiles near the
 * viewport and revoked when they go.
 */
export function IterationGallery({ samples, iteration, onIterationChange, reveal = null, title = 'Images per iteration' }: IterationGalleryProps) {
  const selectId = useId();
  const real = useMemo(() => samples.filter((s) => s.dataset_type === 'real').sort((a, b) => byCodeUnits(a.sample_id, b.sample_id)), [samples]);
  const iterations = useMemo(() => [...new Set(samples.filter((s) => s.dataset_type !== 'real').map((s) => s.iteration))].sort((a, b) => a - b), [samples]);
  const [own, setOwn] = useState<number | null>(null);
  const latest = iterations.length ? iterations[iterations.length - 1] : 0;
  const shown = iteration ?? (own !== null && iterations.includes(own) ? own : latest);

  const groups = useMemo(() => {
    const byId = new Map<string, SampleView[]>();
    for (const s of samples) {
      if (s.dataset_type === 'real' || s.iteration !== shown) continue;
      const list = byId.get(s.param_set_id) ?? [];
      list.push(s);
      byId.set(s.param_set_id, list);
    }
    const out = [...byId].map(([id, list]) => ({ id, samples: list.sort((a, b) => byCodeUnits(a.sample_id, b.sample_id)), score: list[0].score ?? null, type: list[0].dataset_type }));
    return out.sort((a, b) => (a.score ?? Infinity) - (b.score ?? Infinity) || byCodeUnits(a.id, b.id));
  }, [samples, shown]);

  const wrapRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<Active | null>(null);
  const show = useCallback((sample: SampleView, el: HTMLElement) => {
    const wrap = wrapRef.current;
    if (!wrap) return;
    const w = wrap.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    const rightRoom = w.right - r.right;
    const left = rightRoom >= CARD_WIDTH + 8 ? r.right - w.left + 6 : Math.max(0, r.left - w.left - CARD_WIDTH - 6);
    setActive({ sample, left, top: Math.max(0, r.top - w.top) });
  }, []);
  const hide = useCallback(() => setActive(null), []);
  // The card stays inside the gallery: the results row it is in clips what overflows (content-visibility).
  useCardInside(wrapRef, active);

  const choose = (value: number) => {
    setOwn(value);
    onIterationChange?.(value);
  };

  // A reveal request selects the sample's iteration (state adjusted while rendering, as React advises for
  // state that follows a prop); the effect then scrolls to the tile and focuses it.
  const [revealed, setRevealed] = useState<{ request: { sampleId: string } | null; sampleId: string | null; iteration: number | null }>({ request: null, sampleId: null, iteration: null });
  if (reveal !== revealed.request) {
    const sample = reveal ? samples.find((s) => s.sample_id === reveal.sampleId) : undefined;
    const target = sample && sample.dataset_type !== 'real' ? sample.iteration : null;
    setRevealed({ request: reveal, sampleId: sample?.sample_id ?? null, iteration: target });
    if (target !== null) setOwn(target);
  }
  const iterationChanged = useEffectEvent((value: number) => {
    if (value !== iteration) onIterationChange?.(value);
  });
  useEffect(() => {
    if (!revealed.sampleId) return;
    if (revealed.iteration !== null) iterationChanged(revealed.iteration);
    const tile = wrapRef.current?.querySelector<HTMLElement>(`[data-sample-id="${CSS.escape(revealed.sampleId)}"]`);
    tile?.scrollIntoView({ block: 'center' });
    tile?.focus({ preventScroll: true });
  }, [revealed]);

  const shownCount = groups.reduce((s, g) => s + g.samples.length, 0);
  const tile = (s: SampleView) => <Tile key={s.sample_id} sample={s} revealed={s.sample_id === revealed.sampleId} onShow={show} onHide={hide} />;

  return (
    <section className="viz-gallery" aria-labelledby={`${selectId}-title`} data-chart="gallery">
      <div className="viz-gallery__head">
        <h3 id={`${selectId}-title`} className="viz-figure__title">
          {title}
        </h3>
        <span className="viz-select">
          <label htmlFor={selectId}>Iteration</label>
          <select id={selectId} value={shown} onChange={(e) => choose(Number(e.target.value))} disabled={iterations.length === 0}>
            {iterations.map((i) => (
              <option key={i} value={i}>
                {i === 0 ? '0 (close + far)' : String(i)}
              </option>
            ))}
          </select>
        </span>
      </div>
      <div ref={wrapRef} className="viz-gallery__body" onMouseLeave={hide}>
        <div className="viz-gallery__col viz-gallery__col--real">
          <h4 className="viz-gallery__colhead">
            Real images <span className="viz-muted">({real.length})</span>
          </h4>
          {real.length ? (
            <ul className="viz-tiles" aria-label="Real images">
              {real.map(tile)}
            </ul>
          ) : (
            <p className="viz-empty">No real images.</p>
          )}
        </div>
        <div className="viz-gallery__col">
          <h4 className="viz-gallery__colhead">
            Iteration {shown}
            {shown === 0 ? ' (close + far)' : ''} <span className="viz-muted">({shownCount} images, {groups.length} parameter sets, best score first)</span>
          </h4>
          {groups.length ? (
            <div className="viz-sets">
              {groups.map((g) => (
                <section key={g.id} className="viz-set" aria-label={`Parameter set ${g.id}`}>
                  <h5 className="viz-set__head">
                    <span className={`viz-dot viz-dot--${g.type}`} aria-hidden="true" />
                    {g.id}
                    {g.type !== 'synthetic' ? <span className="viz-muted"> {g.type}</span> : null}
                    <span className="viz-set__score">
                      {g.score !== null ? `MMD² ${formatNumber(g.score)}` : ''}
                      {g.samples[0].withinFloor ? ' ✓' : ''}
                    </span>
                  </h5>
                  <ul className="viz-tiles viz-tiles--set" aria-label={`Images of ${g.id}`}>
                    {g.samples.map(tile)}
                  </ul>
                </section>
              ))}
            </div>
          ) : (
            <p className="viz-empty">No images for this iteration.</p>
          )}
        </div>
        {active && <SampleCard sample={active.sample} style={{ position: 'absolute', left: active.left, top: active.top, width: CARD_WIDTH }} />}
      </div>
    </section>
  );
}

/** One image tile (memoised: a gallery update re-renders only the tiles whose sample changed). */
const Tile = memo(function Tile({
  sample: s,
  revealed,
  onShow,
  onHide,
}: {
  sample: SampleView;
  revealed: boolean;
  onShow: (sample: SampleView, el: HTMLElement) => void;
  onHide: () => void;
}) {
  return (
    <li>
      <figure
        className={`viz-tile viz-tile--${s.dataset_type}${revealed ? ' viz-tile--revealed' : ''}`}
        aria-current={revealed ? 'true' : undefined}
        tabIndex={0}
        data-sample-id={s.sample_id}
        aria-label={`${s.sample_id}${s.score !== null && s.score !== undefined ? `, set score ${formatNumber(s.score)}` : ''}`}
        onMouseEnter={(e) => onShow(s, e.currentTarget)}
        onFocus={(e) => onShow(s, e.currentTarget)}
        onMouseLeave={onHide}
        onBlur={onHide}
      >
        <BlobImage source={s.thumbnail} alt={`${s.dataset_type === 'real' ? 'Real' : 'Synthetic'} image ${s.sample_id}`} lazy className="viz-tile__img" width={s.width} height={s.height} />
        <figcaption className="viz-tile__caption">{caption(s)}</figcaption>
      </figure>
    </li>
  );
});
