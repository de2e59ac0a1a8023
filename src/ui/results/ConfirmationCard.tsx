import type { ConfirmationRecord } from '../../engine/experiment/confirmationRecord';
import type { ParameterSpace } from '../../engine/space/space';
import { parameterLabel } from '../params/parameterLabels';
import { formatNumber, formatParam } from '../plots/theme';
import '../plots/plots.css';

export interface ConfirmationCardProps {
  /** Every confirmation of the experiment, oldest first (the last one is the answer). */
  confirmations: readonly ConfirmationRecord[];
  space: ParameterSpace;
}

const VERDICT_CLASS: Record<ConfirmationRecord['verdict'], string> = {
  indistinguishable: 'confirmation--ok',
  distinguishable: 'confirmation--bad',
  'not enough evidence': 'confirmation--unsure',
};

const TRIGGER: Record<string, string> = { threshold: 'the threshold rule', user: 'you' };

/**
 * The answer to "are the synthetic samples now indistinguishable from the real ones?": the latest
 * confirmation's three-way statement with every number it rests on — the MMD² of m fresh samples of the
 * best set against the n real ones and its interval, the tolerance δ beside it on one axis, the
 * permutation p-value against α, and the smallest shift the test would have caught — then the earlier
 * confirmations, one row each.
 */
export function ConfirmationCard({ confirmations, space }: ConfirmationCardProps) {
  const last = confirmations[confirmations.length - 1];
  if (!last) return null;
  const shift = last.detectableShift;
  return (
    <section className={`confirmation ${VERDICT_CLASS[last.verdict]}`} aria-label="Confirmation" data-verdict={last.verdict}>
      <h3 className="viz-figure__title">Confirmation of {last.param_set_id} (iteration {last.iteration})</h3>
      <p className="confirmation__statement">{last.statement}</p>
      <IntervalStrip record={last} />
      <dl className="confirmation__numbers">
        <dt>Samples</dt>
        <dd>
          {last.m} synthetic vs {last.n} real, asked by {TRIGGER[last.trigger] ?? last.trigger}
        </dd>
        <dt>MMD²</dt>
        <dd>
          {formatNumber(last.mmd2)} (90 % interval {formatNumber(last.interval.low)} to {formatNumber(last.interval.high)}, {last.interval.resamples} bootstrap resamples)
        </dd>
        <dt>Tolerance δ</dt>
        <dd>{formatNumber(last.delta)} {last.deltaSource === 'floor' ? `(95th percentile of real vs real at ${last.m} vs ${last.n})` : '(set in the config)'}</dd>
        <dt>Test</dt>
        <dd>
          p = {formatNumber(last.p)} ({last.permutations} permutations), α = {last.alpha}
        </dd>
        <dt>Power</dt>
        <dd>
          {shift?.found
            ? `a shift of ${formatNumber(shift.offsetSd, 2)} sd of the real set along its main direction (MMD² ${formatNumber(shift.mmd2)}) is caught ${Math.round(shift.power * 100)} % of the time at these sizes`
            : shift
              ? 'no shift up to the largest tried is caught reliably at these sizes: the test has little power'
              : 'not computed'}
        </dd>
        <dt>Settings</dt>
        <dd>{space.parameters.map((p) => `${parameterLabel(p.name).label} ${formatParam(last.params[p.name])}`).join(' · ')}</dd>
      </dl>
      {confirmations.length > 1 && (
        <table className="viz-table" aria-label="Earlier confirmations">
          <thead>
            <tr>
              <th scope="col">iteration</th>
              <th scope="col">set</th>
              <th scope="col">verdict</th>
              <th scope="col" className="viz-num">MMD²</th>
              <th scope="col" className="viz-num">δ</th>
              <th scope="col" className="viz-num">p</th>
            </tr>
          </thead>
          <tbody>
            {confirmations.slice(0, -1).map((c) => (
              <tr key={c.iteration}>
                <td>{c.iteration}</td>
                <td>{c.param_set_id}</td>
                <td>{c.verdict}</td>
                <td className="viz-num">{formatNumber(c.mmd2)}</td>
                <td className="viz-num">{formatNumber(c.delta)}</td>
                <td className="viz-num">{formatNumber(c.p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The MMD² with its interval and δ on one axis: "indistinguishable" needs the whole interval left of δ. */
function IntervalStrip({ record }: { record: ConfirmationRecord }) {
  const lo = Math.min(record.interval.low, 0, record.delta);
  const hi = Math.max(record.interval.high, record.delta, 0);
  const pad = (hi - lo) * 0.08 || 1;
  const at = (v: number) => `${(((v - lo + pad) / (hi - lo + 2 * pad)) * 100).toFixed(2)}%`;
  const width = `${(((record.interval.high - record.interval.low) / (hi - lo + 2 * pad)) * 100).toFixed(2)}%`;
  return (
    <div className="confirmation__strip" role="img" aria-label={`MMD² ${formatNumber(record.mmd2)}, 90 % interval ${formatNumber(record.interval.low)} to ${formatNumber(record.interval.high)}, δ ${formatNumber(record.delta)}`}>
      <span className="confirmation__axis" />
      <span className="confirmation__interval" style={{ left: at(record.interval.low), width }} />
      <span className="confirmation__point" style={{ left: at(record.mmd2) }} />
      <span className="confirmation__tick" style={{ left: at(0) }}>
        <span className="confirmation__label">0</span>
      </span>
      <span className="confirmation__tick confirmation__tick--delta" style={{ left: at(record.delta) }}>
        <span className="confirmation__label">δ {formatNumber(record.delta, 2)}</span>
      </span>
    </div>
  );
}
