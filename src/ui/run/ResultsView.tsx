import { memo, useCallback, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { ExperimentRecord, IterationRecord, SampleRecord } from '../../engine/experiment/records';
import { domainById } from '../../domains/registry';
import { domainIdOf } from '../../engine/experiment/records';
import { parameterRecovery } from '../../engine/pipeline/recovery';
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
import { BestTable, ConfirmationCard, IterationGallery, MetricsTable, NextBatchTable, PlausibleRegionCard, RecipeCard, RecoveryTable } from '../results';
import { downloadFile } from '../common/download';
import { StageProgressView } from './StageProgressView';
import { useDomainViews } from '../domainViews';

// The results re-render only when their own props change (a new iteration rarely changes all of them).
const Map2D = memo(LatentMap);
const Convergence = memo(ConvergencePlot);
const Relevance = memo(ParameterRelevance);
const Evolution = memo(ParameterEvolution);
const Best = memo(BestTable);
const NextBatch = memo(NextBatchTable);
const Metrics = memo(MetricsTable);
const Recovery = memo(RecoveryTable);
const Confirmation = memo(ConfirmationCard);
const Region = memo(PlausibleRegionCard);
const Recipe = memo(RecipeCard);
const Gallery = memo(IterationGallery);

interface Records {
  current: ExperimentRecord | null;
  iterations: IterationRecord[];
  samples: SampleRecord[];
}

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
  const views = useDomainViews();

  // The results below render from a deferred copy of the records: the store's update (a synchronous
  // React render) stays small, and React renders the plots, tables and gallery in the background, in
  // slices that leave the main thread free in between (useDeferredValue).
  const records = useMemo<Records>(() => ({ current, iterations, samples }), [current, iterations, samples]);
  const shown = useDeferredValue(records);

  return (
    <section className="panel panel--main" aria-label="Run results">
      <div className="results-head">
        <h2>{current ? current.name : 'Calibration run'}</h2>
        {current?.convergence && <span className={`badge${current.convergence.reason === 'threshold' && current.convergence.converged ? ' badge--ok' : ''}`}>{current.convergence.detail}</span>}
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
      <ResultsBody records={shown} running={running} emptyResults={views.emptyResults} />
    </section>
  );
}

/** A value that keeps its identity while `key` (a cheap fingerprint of it) stays the same. */
function useKeyed<T>(make: () => T, key: string): T {
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed exactly when the fingerprint changes
  return useMemo(() => make(), [key]);
}

/** Every evaluated parameter set's score, as a string: the records' identity changes more often than this. */
function scoresKey(iterations: readonly IterationRecord[]): string {
  return iterations.map((it) => it.paramSets.map((p) => (p.score ? `${p.param_set_id}:${p.score.score}:${p.score.withinFloor}` : '')).join(',')).join(';');
}

const ResultsBody = memo(function ResultsBody({ records, running, emptyResults }: { records: Records; running: boolean; emptyResults: string }) {
  const { current, iterations, samples } = records;
  const scores = useMemo(() => scoresKey(iterations), [iterations]);
  const config = current?.config;
  // The experiment's domain reads its space from the config (voids: the bounds; a study: the user's space).
  const domainId = current ? domainIdOf(current) : null;
  const space = useKeyed(() => (config && domainId ? (domainById(domainId)?.space(config) ?? null) : null), `${domainId}|${JSON.stringify(config ?? null)}`);
  const points = useKeyed(() => latentPointsFromRecords(samples, iterations), `${samples.length}|${scores}|${samplesKey(samples)}`);
  const gallery = useKeyed(() => sampleViewsFromRecords(samples, iterations), `${samples.length}|${scores}|${samplesKey(samples)}`);
  const rangesNow = useMemo(() => fixedRanges(points), [points]);
  const ranges = useKeyed(() => rangesNow, JSON.stringify(rangesNow));
  const labelsNow = projectionAxisLabels(current?.projection);
  const axisLabels = useKeyed(() => labelsNow, labelsNow.join('|'));
  const bestId = useMemo(() => bestParamSetId(iterations), [iterations]);
  const convergence = useMemo(() => convergenceFromRecords(iterations), [iterations]);
  const evolution = useMemo(() => evolutionColumnsFromRecords(iterations), [iterations]);
  const latest = useMemo(() => [...iterations].reverse().find((it) => it.proposal), [iterations]);
  const scored = useMemo(() => [...iterations].reverse().find((it) => it.scores), [iterations]);
  const best = latest?.proposal?.current_best[0]?.params ?? null;
  const hidden = current?.target.kind === 'simulated' ? (current.hiddenRealParamSets ?? null) : null;
  const truth = useKeyed(() => (hidden ? hidden.map((h) => h.params) : null), JSON.stringify(hidden));
  const recovery = useMemo(() => (best && config && truth?.length && hidden ? parameterRecovery(config, best, hidden) : null), [best, config, truth, hidden]);
  // The best set's confirmations (a recipe's are shown with the recipe).
  const confirmations = useMemo(() => iterations.flatMap((it) => (it.confirmation && it.confirmation.trigger !== 'recipe' ? [it.confirmation] : [])), [iterations]);
  const computeRecipe = useExperimentStore((s) => s.computeRecipe);
  const confirmRecipe = useExperimentStore((s) => s.confirmRecipe);
  const floor = useMemo(() => {
    const f = latest?.paramSets.find((p) => p.score?.floor.available)?.score?.floor;
    return f && f.available ? { low: f.low, high: f.high, mean: f.mean } : null;
  }, [latest]);

  // A map point opened (click or Enter) is shown in the gallery below.
  const [reveal, setReveal] = useState<{ sampleId: string } | null>(null);
  const openInGallery = useCallback((sampleId: string) => setReveal({ sampleId }), []);

  if (!current || !space || points.length === 0) {
    if (current?.status === 'failed' && !running) {
      return <p className="panel__note">Nothing to show yet: the run stopped at a failed stage. The Run panel says which and why; “Retry stage” runs it again.</p>;
    }
    return running ? null : <p className="panel__note">{emptyResults}</p>;
  }
  const proposal = latest?.proposal;
  return (
    <div className="results">
      {confirmations.length > 0 && (
        <div className="results__row">
          <Confirmation confirmations={confirmations} space={space} />
        </div>
      )}
      <div className="results__row">
        <Map2D points={points} bestParamSetId={bestId} axisLabels={axisLabels} ranges={ranges} onSelectSample={openInGallery} title={`Latent map (${current.projection?.kind === 'umap' ? 'UMAP' : 'PCA'} fitted at iteration 0)`} />
      </div>
      <div className="results__row results__row--two">
        <Convergence rows={convergence.rows} floors={convergence.floors} threshold={current.config.convergence_rule === 'absolute' ? current.config.convergence_threshold : null} />
        {proposal && <Relevance relevance={proposal.diagnostics.relevance} leaveOneOut={proposal.diagnostics.leaveOneOut} warnings={proposal.diagnostics.warnings} />}
      </div>
      {evolution.length > 0 && (
        <div className="results__row results__row--deferred">
          <Evolution space={space} columns={evolution} best={best} truth={truth} />
        </div>
      )}
      <div className="results__row results__row--deferred">{proposal && <Best best={proposal.current_best} space={space} floor={floor} />}</div>
      {proposal?.region && latest && (
        <div className="results__row results__row--deferred">
          <Region region={proposal.region} best={best} iteration={latest.iteration} />
        </div>
      )}
      <div className="results__row results__row--deferred">
        <Recipe
          recipe={current.recipe ?? null}
          space={space}
          canCompute={Boolean(current.scoring) && !running}
          canGenerate={domainById(domainId!)?.generate !== undefined}
          busy={running}
          onCompute={computeRecipe}
          onConfirm={confirmRecipe}
          onDownload={() => current.recipe && downloadFile('recipe.yaml', current.recipe.yaml, 'application/yaml')}
        />
      </div>
      <div className="results__row results__row--deferred">
        {proposal && latest && (
          <NextBatch proposals={proposal.next_params} strategy={proposal.diagnostics.strategy} beta={proposal.diagnostics.beta} space={space} iteration={latest.iteration + 1} />
        )}
      </div>
      {/* One below the other: each table is wider than half the panel. */}
      <div className="results__row results__row--deferred">{scored?.scores && <Metrics scores={scored.scores} iteration={scored.iteration} />}</div>
      <div className="results__row results__row--deferred">
        <Recovery target={current.target.kind} recovery={recovery} />
      </div>
      <div className="results__row results__row--deferred">
        <Gallery samples={gallery} reveal={reveal} />
      </div>
    </div>
  );
});

/** Which samples there are and where they sit in the map (what the map and the gallery draw from). */
function samplesKey(samples: readonly SampleRecord[]): string {
  let key = '';
  for (const s of samples) key += `${s.sample_id}${s.projection2d ? `@${s.projection2d[0]},${s.projection2d[1]}` : ''};`;
  return key;
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
