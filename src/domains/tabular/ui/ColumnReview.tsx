import { COLUMN_ROLES, COLUMN_TYPES, type ColumnRole, type ColumnType } from '../table';
import type { ColumnSummary } from '../review/columnSummary';
import './tabular.css';

export interface ColumnReviewProps {
  summaries: ColumnSummary[];
  onType(name: string, type: ColumnType): void;
  onRole(name: string, role: ColumnRole): void;
  disabled?: boolean;
}

/** How a role reads in the list: a group column is also the class column of class_balance_ratio (docs/tabular.md). */
export const ROLE_LABELS: Readonly<Record<ColumnRole, string>> = { feature: 'feature', target: 'target', group: 'class / group', id: 'id' };

/**
 * The columns as read, for review before a calibration: per column its type and role (changed through
 * the page, which re-reads the table with the overrides), its missing share, its range or distinct count
 * and a sparkline of its distribution. A type the column's cells do not allow (summary.types) is offered
 * disabled. Scrolls past about 12 rows.
 */
export function ColumnReview({ summaries, onType, onRole, disabled }: ColumnReviewProps) {
  return (
    <div className="tabular-review" tabIndex={0} role="region" aria-label="Columns of the table">
      <table className="tabular-review__table">
        <caption>Columns</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Type</th>
            <th scope="col">Role</th>
            <th scope="col" className="tabular-num">Missing</th>
            <th scope="col">Range / values</th>
            <th scope="col">Distribution</th>
          </tr>
        </thead>
        <tbody>
          {summaries.map((s) => (
            <tr key={s.name}>
              <th scope="row" className="tabular-review__name" title={s.name}>
                {s.name}
              </th>
              <td>
                <select className="tabular-select" aria-label={`Type of ${s.name}`} value={s.type} disabled={disabled} onChange={(e) => onType(s.name, e.target.value as ColumnType)}>
                  {COLUMN_TYPES.map((t) => (
                    <option key={t} value={t} disabled={t !== s.type && !s.types.includes(t)}>
                      {t}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <select className="tabular-select" aria-label={`Role of ${s.name}`} value={s.role} disabled={disabled} onChange={(e) => onRole(s.name, e.target.value as ColumnRole)}>
                  {COLUMN_ROLES.map((r) => (
                    <option key={r} value={r}>
                      {ROLE_LABELS[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td className={`tabular-num${s.missing > 0 ? ' tabular-review__missing' : ''}`} title={`${s.missing} of ${s.missing + s.present} cells missing`}>
                {percent(s.missingShare)}
              </td>
              <td className="tabular-review__range">{rangeText(s)}</td>
              <td>
                <Sparkline summary={s} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A share as a percentage: "0 %", "<0.1 %" for a trace, else one decimal below 10 %. */
export function percent(share: number): string {
  if (share === 0) return '0 %';
  const p = share * 100;
  if (p < 0.1) return '<0.1 %';
  return `${p < 10 ? p.toFixed(1) : Math.round(p)} %`;
}

/** A number for a narrow cell: whole numbers as they are, others to 4 significant digits. */
export function shortValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

function rangeText(s: ColumnSummary): string {
  if (s.numeric) return s.min === null || s.max === null ? '—' : `${shortValue(s.min)} – ${shortValue(s.max)}`;
  return `${s.distinct} value${s.distinct === 1 ? '' : 's'}`;
}

const SPARK_WIDTH = 80;
const SPARK_HEIGHT = 20;

/**
 * A column's histogram as an 80 × 20 px inline SVG: 12 equal-width bins of a numeric column, or the
 * most frequent categories (and "other", paler) of a categorical one; bar heights relative to the
 * tallest, a non-empty bin at least 1 px. Its accessible name reads the counts out.
 */
export function Sparkline({ summary }: { summary: ColumnSummary }) {
  const h = summary.histogram;
  const bars: Array<{ count: number; other?: boolean }> =
    h.kind === 'numeric' ? h.counts.map((count) => ({ count })) : [...h.top.map((t) => ({ count: t.count })), ...(h.other > 0 ? [{ count: h.other, other: true }] : [])];
  const peak = Math.max(1, ...bars.map((b) => b.count));
  const slot = h.kind === 'numeric' ? SPARK_WIDTH / bars.length : Math.min(10, SPARK_WIDTH / Math.max(1, bars.length));
  const label =
    h.kind === 'numeric'
      ? `Distribution of ${summary.name}: ${h.counts.join(', ')} values in ${h.counts.length} equal bins from ${shortValue(h.low)} to ${shortValue(h.high)}`
      : `Most frequent values of ${summary.name}: ${[...h.top.map((t) => `${t.value} ${t.count}`), ...(h.other > 0 ? [`other ${h.other}`] : [])].join(', ')}`;
  return (
    <svg className="tabular-spark" width={SPARK_WIDTH} height={SPARK_HEIGHT} viewBox={`0 0 ${SPARK_WIDTH} ${SPARK_HEIGHT}`} role="img" aria-label={label}>
      {bars.map((b, k) => {
        const height = b.count === 0 ? 0 : Math.max(1, (b.count / peak) * SPARK_HEIGHT);
        return <rect key={k} className={b.other ? 'tabular-spark__other' : 'tabular-spark__bar'} x={k * slot + 0.5} y={SPARK_HEIGHT - height} width={Math.max(1, slot - 1)} height={height} />;
      })}
    </svg>
  );
}
