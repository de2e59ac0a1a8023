import type { CSSProperties } from 'react';
import { parameterLabel } from '../params/parameterLabels';
import { BlobImage } from './BlobImage';
import { formatNumber, formatParam } from './theme';
import type { SampleView } from './types';
import './plots.css';

export interface SampleCardProps {
  sample: SampleView;
  /** The thumbnail, when it is not on the sample itself (loaded on demand). */
  thumbnail?: Blob | string;
  /** 'loading' while an on-demand thumbnail is on its way; 'none' when there is none to show. */
  thumbnailState?: 'ready' | 'loading' | 'none';
  style?: CSSProperties;
  id?: string;
  scoreLabel?: string;
}

function describe(s: SampleView): string {
  if (s.dataset_type === 'real') return 'real';
  if (s.dataset_type === 'synthetic') return `iteration ${s.iteration}`;
  if (s.dataset_type === 'confirmation') return `confirmation · iteration ${s.iteration}`;
  return `${s.dataset_type} · iteration 0`;
}

/** A floating card with one sample's thumbnail, ids, parameters and score (map hover, gallery tiles). */
export function SampleCard({ sample, thumbnail, thumbnailState, style, id, scoreLabel = 'MMD² (set)' }: SampleCardProps) {
  const image = thumbnail ?? sample.thumbnail;
  const state = thumbnailState ?? (image ? 'ready' : 'none');
  const params = Object.entries(sample.params);
  return (
    <div className="viz-card" style={style} id={id} role="tooltip" data-sample-id={sample.sample_id}>
      <div className="viz-card__head">
        <div className="viz-card__thumb">
          {image ? (
            <BlobImage source={image} alt={`Thumbnail of ${sample.sample_id}`} className="viz-card__img" />
          ) : (
            <span className="viz-card__noimg">{state === 'loading' ? 'loading…' : 'no image'}</span>
          )}
        </div>
        <div className="viz-card__ids">
          <strong className="viz-card__id">{sample.sample_id}</strong>
          <span className={`viz-badge viz-badge--${sample.dataset_type}`}>{describe(sample)}</span>
          <span className="viz-card__muted">{sample.param_set_id}</span>
          {sample.base_image_id && <span className="viz-card__muted">{sample.base_image_id}{sample.replication_seed !== undefined ? ` · seed\u00a0${sample.replication_seed}` : ''}</span>}
        </div>
      </div>
      <dl className="viz-card__list">
        {sample.score !== undefined && sample.score !== null && (
          <>
            <dt>{scoreLabel}</dt>
            <dd>
              {formatNumber(sample.score)}
              {sample.withinFloor === true && <span className="viz-card__ok"> within floor</span>}
            </dd>
          </>
        )}
        {sample.nearestRealDistance !== undefined && sample.nearestRealDistance !== null && (
          <>
            <dt>nearest real</dt>
            <dd>{formatNumber(sample.nearestRealDistance)}</dd>
          </>
        )}
        {params.map(([k, v]) => {
          const label = parameterLabel(k);
          return (
            <div key={k} className="viz-card__row">
              <dt>{label.label}</dt>
              <dd>
                {formatParam(v)}
                {label.unit ? ` ${label.unit}` : ''}
              </dd>
            </div>
          );
        })}
        {params.length === 0 && sample.dataset_type === 'real' && (
          <>
            <dt>parameters</dt>
            <dd>unknown (real image)</dd>
          </>
        )}
      </dl>
    </div>
  );
}
