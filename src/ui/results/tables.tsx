import type { ReactNode } from 'react';
import type { IterationScores, MetricResult } from '../../engine/metrics/suite';
import { reachedFloor } from '../../engine/metrics/suite';
import type { BestCandidate, Proposal, ProposalStrategy } from '../../engine/optimizer/types';
import type { ParameterSet, ParameterSpace } from '../../engine/space/space';
import type { ParameterRecovery } from '../../engine/pipeline/recovery';
import { parameterLabel } from '../params/parameterLabels';
import { formatNumber, formatParam, formatPercent } from '../plots/theme';
import type { Band } from '../plots/types';
import '../plots/plots.css';

/** Parameter names in the space's order (else the first set's keys). */
function parameterNames(space: ParameterSpace | undefined, sets: readonly ParameterSet[]): string[] {
  if (space) return space.parameters.map((p) => p.name);
  return sets.length ? Object.keys(sets[0]) : [];
}

function ParamHeaders({ names, space, sample }: { names: string[]; space?: ParameterSpace; sample?: ParameterSet }) {
  const numeric = (n: string) => {
    const spec = space?.parameters.find((p) => p.name === n);
    return spec ? spec.kind !== 'categorical' : typeof sample?.[n] === 'number';
  };
  return (
    <>
      {names.map((n) => {
        const l = parameterLabel(n);
        return (
          <th key={n} scope="col" title={l.help} className={numeric(n) ? 'viz-num' : undefined}>
            {l.label}
            {l.unit ? <span className="viz-unit"> ({l.unit})</span> : null}
          </th>
        );
      })}
    </>
  );
}

function ParamCells({ names, set }: { names: string[]; set: ParameterSet }) {
  return (
    <>
      {names.map((n) => (
        <td key={n} className={typeof set[n] === 'number' ? 'viz-num' : undefined}>
          {set[n] === undefined ? '—' : formatParam(set[n])}
        </td>
      ))}
    </>
  );
}

function TableFrame({ title, note, children, id }: { title: string; note?: ReactNode; children: ReactNode; id: string }) {
  return (
    <section className="viz-tablebox" aria-labelledby={`${id}-title`} data-table={id}>
      <h3 id={`${id}-title`} className="viz-figure__title">
        {title}
      </h3>
      {note && <p className="viz-figure__summary">{note}</p>}
      <div className="viz-tablewrap">{children}</div>
    </section>
  );
}

export interface BestTableProps {
  /** proposal.current_best: the top 5 evaluated sets by posterior mean. */
  best: readonly BestCandidate[];
  space?: ParameterSpace;
  /** The per-parameter-set noise floor, to mark the sets whose posterior mean is inside it. */
  floor?: Band | null;
  title?: string;
}

/** The current best parameter sets (by posterior mean), with the model's uncertainty and the observed scores. */
export function BestTable({ best, space, floor = null, title = 'Current best parameter sets' }: BestTableProps) {
  const names = parameterNames(space, best.map((b) => b.params));
  return (
    <TableFrame
      id="best"
      title={title}
      note={
        best.length
          ? `Ranked by the surrogate's posterior mean score (lower is closer to the real set)${floor ? `; noise floor up to ${formatNumber(floor.high)}` : ''}.`
          : 'No parameter set has been scored yet.'
      }
    >
      {best.length > 0 && (
        <table className="viz-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <ParamHeaders names={names} space={space} sample={best[0]?.params} />
              <th scope="col" className="viz-num">
                Posterior mean ± sd
              </th>
              <th scope="col" className="viz-num">
                Observed (n)
              </th>
              {floor && <th scope="col">Within floor?</th>}
            </tr>
          </thead>
          <tbody>
            {best.map((b, i) => (
              <tr key={i} className={i === 0 ? 'viz-table__top' : undefined}>
                <th scope="row">{i + 1}</th>
                <ParamCells names={names} set={b.params} />
                <td className="viz-num">
                  {formatNumber(b.posteriorMean)}
                  {b.posteriorStd !== null ? ` ± ${formatNumber(b.posteriorStd, 2)}` : ''}
                </td>
                <td className="viz-num">
                  {formatNumber(b.observed)} ({b.observationCount})
                </td>
                {floor && <td>{b.posteriorMean <= floor.high ? <span className="viz-yes">✓ yes</span> : <span className="viz-no">no</span>}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </TableFrame>
  );
}

const ACQUISITION_HEADERS: Record<ProposalStrategy, { label: string; note: string }> = {
  ucb: { label: 'UCB value', note: 'UCB = −(μ − β·σ) in the model’s standardised units, given the batch members before it; higher is more promising.' },
  ei: { label: 'log EI', note: 'Log expected improvement in standardised units, given the batch members before it; higher is more promising.' },
  pi: { label: 'log PI', note: 'Log probability of improvement, given the batch members before it; higher is more promising.' },
  random: { label: 'Acquisition', note: 'Random proposals: no acquisition value.' },
  sobol: { label: 'Acquisition', note: 'Sobol proposals: no acquisition value.' },
};

const MIXED_HEADER = {
  label: 'Acquisition value',
  note: 'Each set’s value is that of the acquisition that chose it, given the batch members before it, in the model’s standardised units: ucb = −(μ − β·σ), ei = log expected improvement; higher is more promising.',
};

export interface NextBatchTableProps {
  /** proposal.next_params. */
  proposals: readonly Proposal[];
  strategy?: ProposalStrategy;
  space?: ParameterSpace;
  /** The iteration these sets will be evaluated in. */
  iteration?: number;
  /** β of the UCB schedule for this batch. */
  beta?: number | null;
  title?: string;
}

/** The parameter sets the optimizer proposes next, in the order it chose them, with acquisition values. */
export function NextBatchTable({ proposals, strategy = 'ucb', space, iteration, beta = null, title }: NextBatchTableProps) {
  const names = parameterNames(space, proposals.map((p) => p.params));
  // A UCB batch of 5 parameters or more alternates UCB and EI members (the optimizer's batch portfolio):
  // each value is then its own acquisition's, named in the cell.
  const mixed = proposals.some((p) => p.acquisition !== undefined && p.acquisition !== strategy);
  const head = mixed ? MIXED_HEADER : ACQUISITION_HEADERS[strategy];
  const heading = title ?? (iteration !== undefined ? `Next batch (iteration ${iteration})` : 'Next batch');
  return (
    <TableFrame id="next-batch" title={heading} note={proposals.length ? `${proposals.length} sets. ${head.note}${beta !== null ? ` β = ${formatNumber(beta)}.` : ''}` : 'No proposal yet.'}>
      {proposals.length > 0 && (
        <table className="viz-table">
          <caption className="visually-hidden">{heading}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <ParamHeaders names={names} space={space} sample={proposals[0]?.params} />
              <th scope="col" className="viz-num">
                {head.label}
              </th>
            </tr>
          </thead>
          <tbody>
            {proposals.map((p, i) => (
              <tr key={i}>
                <th scope="row">{i + 1}</th>
                <ParamCells names={names} set={p.params} />
                <td className="viz-num">{p.acquisitionValue === null ? '—' : `${mixed && p.acquisition ? `${p.acquisition} ` : ''}${formatNumber(p.acquisitionValue)}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </TableFrame>
  );
}

export interface MetricsTableProps {
  scores: Pick<IterationScores, 'metrics' | 'notes' | 'sizes' | 'epsilon'>;
  iteration: number;
  title?: string;
}

function floorText(r: MetricResult): string {
  if (!r.floor.available) return '—';
  return `${formatNumber(r.floor.low)} … ${formatNumber(r.floor.high)}`;
}

/**
 * Every metric of one iteration: the value on all samples, the matched value (at the floor's sample
 * sizes — the like-with-like comparison), the real-vs-real noise floor band, whether it reached the
 * floor, which way is better and the unit.
 */
export function MetricsTable({ scores, iteration, title }: MetricsTableProps) {
  const results = Object.values(scores.metrics);
  const reached = results.filter((r) => reachedFloor(r) === true).length;
  const judged = results.filter((r) => reachedFloor(r) !== null).length;
  const quantiles = results.find((r) => r.floor.available && r.matched)?.matched?.quantiles;
  const heading = title ?? `Metrics of iteration ${iteration}${iteration === 0 ? ' (close+far)' : ''}`;
  return (
    <TableFrame
      id="metrics"
      title={heading}
      note={`${scores.sizes.synthetic} synthetic vs ${scores.sizes.real} real samples. ${reached} of ${judged} metrics at their noise floor${quantiles ? ` (floor band: ${Math.round(quantiles[0] * 100)}–${Math.round(quantiles[1] * 100)} % quantiles of real-vs-real splits)` : ''}. ε = ${formatNumber(scores.epsilon.value)}.`}
    >
      <table className="viz-table viz-table--metrics">
        <caption className="visually-hidden">{heading}</caption>
        <thead>
          <tr>
            <th scope="col">Metric</th>
            <th scope="col" className="viz-num">
              Value
            </th>
            <th scope="col" className="viz-num" title="Mean over the floor's splits at the floor's sample sizes (compare this with the floor)">
              Matched
            </th>
            <th scope="col" className="viz-num">
              Noise floor
            </th>
            <th scope="col">At floor?</th>
            <th scope="col">Better</th>
            <th scope="col">Unit</th>
          </tr>
        </thead>
        <tbody>
          {results.map((r) => {
            const at = reachedFloor(r);
            const isShare = r.info.unit.startsWith('fraction');
            const fmt = (v: number) => (isShare ? formatPercent(v, 1) : formatNumber(v));
            return (
              <tr key={r.info.id} data-metric={r.info.id}>
                <th scope="row" title={`${r.info.estimator}${r.info.caveat ? `. Caveat: ${r.info.caveat}` : ''}. ${r.info.source}`}>
                  {r.info.label}
                </th>
                <td className="viz-num">{fmt(r.value)}</td>
                <td className="viz-num">{r.matched ? fmt(r.matched.mean) : '—'}</td>
                <td className="viz-num" title={r.floor.available ? `mean ${formatNumber(r.floor.mean)}, ${r.floor.splits} splits` : r.floor.reason}>
                  {r.floor.available && isShare ? `${formatPercent(r.floor.low)} … ${formatPercent(r.floor.high)}` : floorText(r)}
                </td>
                <td>{at === null ? <span className="viz-muted">n/a</span> : at ? <span className="viz-yes">✓ yes</span> : <span className="viz-no">✗ no</span>}</td>
                <td>{r.info.direction === 'lower' ? '↓ lower' : '↑ higher'}</td>
                <td className="viz-muted">{r.info.unit}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {scores.notes.length > 0 && (
        <ul className="viz-warnings viz-warnings--muted" aria-label="Notes on the metrics">
          {scores.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </TableFrame>
  );
}

export interface RecoveryTableProps {
  /** Simulated target: recovery against the hidden real parameters; user target: there is no truth. */
  target: 'simulated' | 'user';
  recovery: ParameterRecovery | null;
  title?: string;
}

/** Parameter recovery (simulated target only): the best parameter set against the hidden truth. */
/** Error share of a parameter's range above which it counts as not recovered. */
const RECOVERED_WITHIN = 0.1;

/** The recovery in one sentence: which parameters these embeddings did not pin down. */
function recoveryVerdict(recovery: ParameterRecovery): string {
  const off = recovery.rows.filter((r) => (r.normalizedError !== undefined && r.normalizedError > RECOVERED_WITHIN) || r.matches === false);
  if (off.length === 0) return `Every parameter recovered (numeric within ${formatPercent(RECOVERED_WITHIN)} of its range).`;
  return `Not recovered: ${off.map((r) => `${parameterLabel(r.name).label}${r.normalizedError !== undefined ? ` (off by ${formatPercent(r.normalizedError)} of its range)` : ' (wrong choice)'}`).join(', ')} — more real samples, a different embedding, or fixing it would help.`;
}

export function RecoveryTable({ target, recovery, title = 'Parameter recovery' }: RecoveryTableProps) {
  if (target === 'user') {
    return (
      <TableFrame id="recovery" title={title}>
        <p className="viz-empty" role="note">
          No ground truth: the target is your own real images, whose generator parameters nobody knows, so no parameter recovery is reported. Judge the result by the
          similarity against its noise floor and by the images.
        </p>
      </TableFrame>
    );
  }
  if (!recovery) {
    return (
      <TableFrame id="recovery" title={title}>
        <p className="viz-empty">Recovery is reported once the optimizer has a best parameter set.</p>
      </TableFrame>
    );
  }
  return (
    <TableFrame
      id="recovery"
      title={title}
      note={`Best parameter set vs the hidden real parameter sets: mean error ${formatPercent(recovery.meanNormalizedError, 1)} of each numeric range; ${recovery.categoricalMatches} of ${recovery.categoricalTotal} categorical parameters match. ${recoveryVerdict(recovery)}`}
    >
      <table className="viz-table">
        <caption className="visually-hidden">{title}</caption>
        <thead>
          <tr>
            <th scope="col">Parameter</th>
            <th scope="col" className="viz-num">
              Best
            </th>
            <th scope="col" className="viz-num">
              Hidden truth
            </th>
            <th scope="col" className="viz-num">
              Error
            </th>
            <th scope="col">Configured real distribution</th>
          </tr>
        </thead>
        <tbody>
          {recovery.rows.map((r) => {
            const l = parameterLabel(r.name);
            const truth =
              r.kind === 'categorical'
                ? (r.hiddenMode ?? '—')
                : `${formatParam(r.hiddenMean)}${r.hiddenRange ? ` (${formatParam(r.hiddenRange[0])}–${formatParam(r.hiddenRange[1])})` : ''}`;
            return (
              <tr key={r.name}>
                <th scope="row">
                  {l.label}
                  {l.unit ? <span className="viz-unit"> ({l.unit})</span> : null}
                </th>
                <td className="viz-num">{formatParam(r.best)}</td>
                <td className="viz-num">{truth}</td>
                <td className="viz-num">
                  {r.kind === 'categorical' ? (
                    r.matches ? (
                      <span className="viz-yes">✓ match</span>
                    ) : (
                      <span className="viz-no">✗ differs</span>
                    )
                  ) : (
                    <span className={r.normalizedError! <= 0.1 ? 'viz-yes' : r.normalizedError! > 0.25 ? 'viz-no' : undefined}>{formatPercent(r.normalizedError, 1)} of range</span>
                  )}
                </td>
                <td className="viz-muted">{r.configured}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableFrame>
  );
}
