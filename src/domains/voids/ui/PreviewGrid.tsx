import { useState } from 'react';
import type { VoidGeometry } from '../geometry';
import type { PreviewImage } from './state/previewStore';
import { parameterLabel } from '../../../ui/params/parameterLabels';

interface PreviewGridProps {
  images: readonly PreviewImage[];
}

/** Generated images with their metadata on hover or keyboard focus, and optional void outlines. */
export function PreviewGrid({ images }: PreviewGridProps) {
  const [outlines, setOutlines] = useState(false);
  if (images.length === 0) return null;
  return (
    <div>
      <label className="checkbox">
        <input type="checkbox" checked={outlines} onChange={(e) => setOutlines(e.target.checked)} /> Show void outlines
      </label>
      <ul className="grid" aria-label="Generated images">
        {images.map((im) => (
          <li key={im.metadata.sample_id}>
            <figure className="tile" tabIndex={0} aria-describedby={`meta-${im.metadata.sample_id}`}>
              <div className="tile__image">
                <img src={im.url} alt={`Generated image ${im.metadata.sample_id} on ${im.metadata.base_image_id}`} />
                {outlines && <VoidOutlines image={im} />}
              </div>
              <figcaption>
                <span>{im.metadata.sample_id}</span>
                <span className="tile__sub">
                  seed {im.metadata.replication_seed} · {im.metadata.base_image_id}
                </span>
              </figcaption>
              <MetadataCard id={`meta-${im.metadata.sample_id}`} image={im} />
            </figure>
          </li>
        ))}
      </ul>
    </div>
  );
}

function VoidOutlines({ image }: { image: PreviewImage }) {
  return (
    <svg className="tile__overlay" viewBox={`0 0 ${image.width} ${image.height}`} aria-hidden="true">
      {image.geometry.voids.map((v, i) =>
        v.shape === 'irregular' ? (
          <path key={i} d={blobPath(v)} />
        ) : (
          <ellipse key={i} cx={v.cx} cy={v.cy} rx={v.semiMajor} ry={v.semiMinor} transform={`rotate(${(v.angle * 180) / Math.PI} ${v.cx} ${v.cy})`} />
        ),
      )}
    </svg>
  );
}

/** The blob outline R(θ) = r·(1 + Σ a_k cos(k·θ + φ_k)) as a closed polyline, θ measured from the void's angle. */
function blobPath(v: VoidGeometry): string {
  const points: string[] = [];
  for (let i = 0; i < 72; i++) {
    const theta = (i / 72) * 2 * Math.PI;
    const r = v.radius * (1 + v.harmonics.reduce((s, h) => s + h.amplitude * Math.cos(h.k * theta + h.phase), 0));
    points.push(`${(v.cx + r * Math.cos(theta + v.angle)).toFixed(1)},${(v.cy + r * Math.sin(theta + v.angle)).toFixed(1)}`);
  }
  return `M${points.join('L')}Z`;
}

function MetadataCard({ id, image }: { id: string; image: PreviewImage }) {
  const m = image.metadata;
  const format = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v));
  return (
    <div className="tile__meta" id={id} role="tooltip">
      <dl>
        <dt>sample_id</dt>
        <dd>{m.sample_id}</dd>
        <dt>base_image_id</dt>
        <dd>{m.base_image_id}</dd>
        <dt>param_set_id</dt>
        <dd>{m.param_set_id}</dd>
        <dt>replication_seed</dt>
        <dd>{m.replication_seed}</dd>
        {Object.entries(m.params).map(([k, v]) => (
          <div key={k} className="tile__meta-row">
            <dt>{parameterLabel(k).label}</dt>
            <dd>{format(v)}</dd>
          </div>
        ))}
        <dt>rotation</dt>
        <dd>{m.uncontrolled_params.rotation.toFixed(1)}°</dd>
        <dt>edge blur</dt>
        <dd>{m.uncontrolled_params.edge_blur} px</dd>
        <dt>positions</dt>
        <dd>{m.position_rule === 'centered' ? 'centred window' : 'corner rule (original)'}</dd>
        <dt>image</dt>
        <dd>
          {image.width}×{image.height}
        </dd>
      </dl>
    </div>
  );
}
