import type { LegendGroup, LegendPlacement, LegendSwatch } from './legendItems';

export interface ChartLegendProps {
  groups: LegendGroup[];
  placement: LegendPlacement;
  /** Whether the entry's trace is drawn now. */
  isShown: (index: number) => boolean;
  /** Toggles the entry (its trace or legend group). */
  onToggle: (index: number) => void;
  /** Accessible name of the group, e.g. "Legend: Latent map (PCA fitted at iteration 0)…". */
  label: string;
}

const STAR = '7,0.8 8.6,5 13,5.1 9.5,7.8 10.8,12 7,9.6 3.2,12 4.5,7.8 1,5.1 5.4,5';

function Swatch({ swatch }: { swatch: LegendSwatch }) {
  const { fill, line, marker } = swatch;
  const paint = marker ? { fill: marker.open ? 'none' : marker.color, stroke: marker.open ? marker.color : 'none', strokeWidth: marker.open ? 1.4 : 0 } : null;
  return (
    <svg className="viz-legend__swatch" width="22" height="14" viewBox="-4 0 22 14" aria-hidden="true">
      {fill && <rect x="-4" y="2" width="22" height="10" fill={fill} />}
      {line && <line x1="-4" y1="7" x2="18" y2="7" stroke={line.color} strokeWidth="2" strokeDasharray={line.dash || undefined} />}
      {marker && paint && marker.symbol === 'circle' && <circle cx="7" cy="7" r="4.2" {...paint} />}
      {marker && paint && marker.symbol === 'square' && <rect x="3" y="3" width="8" height="8" {...paint} />}
      {marker && paint && marker.symbol === 'diamond' && <polygon points="7,1.5 12.5,7 7,12.5 1.5,7" {...paint} />}
      {marker && paint && marker.symbol === 'star' && <polygon points={STAR} {...paint} />}
    </svg>
  );
}

/**
 * A chart's legend as HTML: one toggle button per entry (pressed = drawn), under group titles. Clicking
 * an entry hides or shows its trace, as plotly.js's own legend does.
 */
export function ChartLegend({ groups, placement, isShown, onToggle, label }: ChartLegendProps) {
  if (groups.length === 0) return null;
  return (
    <div className={`viz-legend viz-legend--${placement}`} role="group" aria-label={label}>
      {groups.map((group, g) => (
        <div key={group.title ?? `group-${g}`} className="viz-legend__group">
          {group.title && <div className="viz-legend__title">{group.title}</div>}
          <ul className="viz-legend__items">
            {group.items.map((item) => {
              const shown = isShown(item.index);
              return (
                <li key={item.key}>
                  <button
                    type="button"
                    className={`viz-legend__item${shown ? '' : ' viz-legend__item--hidden'}`}
                    aria-pressed={shown}
                    title={shown ? `Hide ${item.name}` : `Show ${item.name}`}
                    onClick={() => onToggle(item.index)}
                  >
                    <Swatch swatch={item.swatch} />
                    <span className="viz-legend__text">{item.name}</span>
                  </button>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </div>
  );
}
