import { useEffect, useMemo, useState } from 'react';
import { parameterSpaceFromConfig } from '../../core/config/space';
import { parameterRecovery } from '../../core/pipeline/recovery';
import { useExperimentStore } from '../../state/experimentStore';
import {
  ConvergencePlot,
  LatentMap,
  ParameterEvolution,
  ParameterRelevance,
  bestParamSetId,
  convergenceFromRecords,
  evolutionColumnsFromRecords,
  fixedRanges,
  latentPointsFromRecords,
  projectionAxisLabels,
  sampleViewsFromRecords,
} from '../plots';
import { BestTable, IterationGallery, MetricsTable, NextBatchTable, RecoveryTable } from '../results';
import { StageProgressView } from './StageProgressView';

/** The run's main area: progress, the fixed latent map, convergence, the optimizer's view and the images. */
export function ResultsView() {
  // Only what the results draw from: progress ticks (several a second during a run) re-render RunProgress
  // alone, not the plots, tables and gallery below (each full re-render is a long main-thread task).
  const current = useExperimentStore((s) => s.current);
  const iterations = useExperimentStore((s) => s.iterations);
  const samples = useExperimentStore((s) => s.samples);
  const error = useExperimentStore((s) => s.error);
  const notice = useExperimentStore((s) => s.notice);
  const dismissError = useExperimentStore((s) => s.dismissError);
  const running = useExperimentStore((s) => s.progress !== null);

  const view = useMemo(() => {
    if (!current) return null;
    const points = latentPointsFromRecords(samples, iterations);
    const latest = [...iterations].reverse().find((it) => it.proposal);
    const scored = [...iterations].reverse().find((it) => it.scores);
    const best = latest?.proposal?.current_best[0]?.params ?? null;
    let recovery = null;
    if (best && current.target.kind === 'simulated' && current.hiddenRealParamSets?.length) {
      recovery = parameterRecovery(current.config, best, current.hiddenRealParamSets);
    }
    const floorSource = latest?.paramSets.find((p) => p.score?.floor.available)?.score?.floor;
    return {
      space: parameterSpaceFromConfig(current.config),
      points,
      ranges: fixedRanges(points),
      axisLabels: projectionAxisLabels(current.projection),
      bestId: bestParamSetId(iterations),
      convergence: convergenceFromRecords(iterations),
      evolution: evolutionColumnsFromRecords(iterations),
      gallery: sampleViewsFromRecords(samples, iterations),
      latest,
      scored,
      best,
      recovery,
      floor: floorSource && floorSource.available ? { low: floorSource.low, high: floorSource.high, mean: floorSource.mean } : null,
    };
  }, [current, iterations, samples]);

  return (
    <section className="panel panel--main" aria-label="Run results">
      <div className="results-head">
        <h2>{current ? current.name : 'Calibration run'}</h2>
        {current?.convergence && <span className={`badge${current.convergence.converged ? ' badge--ok' : ''}`}>{current.convergence.detail}</span>}
      </div>
      {error && (
        <div className="messages" role="alert">
          <div className="messages__head">
            <strong>{error}</strong>
            <button type="button" className="button button--small button--ghost" aria-label="Dismiss the error" onClick={dismissError}>
              ×
            </button>
          </div>
        </div>
      )}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <RunProgress />
      {!view || view.points.length === 0 ? (
        !running && (
          <p className="panel__note">
            Press “Run iteration 0”: it draws the real, close and far parameter sets, generates and embeds their images, fixes the 2-D map and the
            kernel bandwidth, and scores close and far against the real set. Then “Step” runs one optimizer iteration, “Auto-run” runs until the
            synthetic set reaches the noise floor, stops improving or the budget ends.
          </p>
        )
      ) : (
        <div className="results">
          <div className="results__row">
            <LatentMap points={view.points} bestParamSetId={view.bestId} axisLabels={view.axisLabels} ranges={view.ranges} title="Latent map (PCA fitted at iteration 0)" />
          </div>
          <div className="results__row results__row--two">
            <ConvergencePlot
              rows={view.convergence.rows}
              floors={view.convergence.floors}
              threshold={current!.config.convergence_rule === 'absolute' ? current!.config.convergence_threshold : null}
            />
            {view.latest?.proposal && (
              <ParameterRelevance
                relevance={view.latest.proposal.diagnostics.relevance}
                leaveOneOut={view.latest.proposal.diagnostics.leaveOneOut}
                warnings={view.latest.proposal.diagnostics.warnings}
              />
            )}
          </div>
          {view.evolution.length > 0 && (
            <ParameterEvolution
              space={view.space}
              columns={view.evolution}
              best={view.best}
              truth={current!.target.kind === 'simulated' ? (current!.hiddenRealParamSets ?? []).map((h) => h.params) : null}
            />
          )}
          <div className="results__row">
            {view.latest?.proposal && <BestTable best={view.latest.proposal.current_best} space={view.space} floor={view.floor} />}
          </div>
          <div className="results__row">
            {view.latest?.proposal && (
              <NextBatchTable
                proposals={view.latest.proposal.next_params}
                strategy={view.latest.proposal.diagnostics.strategy}
                beta={view.latest.proposal.diagnostics.beta}
                space={view.space}
                iteration={view.latest.iteration + 1}
              />
            )}
          </div>
          <div className="results__row results__row--two">
            {view.scored?.scores && <MetricsTable scores={view.scored.scores} iteration={view.scored.iteration} />}
            <RecoveryTable target={current!.target.kind} recovery={view.recovery} />
          </div>
          <IterationGallery samples={view.gallery} />
        </div>
      )}
    </section>
  );
}

/** The running stage's progress, re-rendered on its own as it ticks. */
function RunProgress() {
  const progress = useExperimentStore((s) => s.progress);
  const now = useNow(progress !== null);
  return progress ? <StageProgressView {...progress} now={now} /> : null;
}

/** The current time, ticking each second while `active` (time-left estimates). */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
