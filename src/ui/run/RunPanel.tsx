import { useShallow } from 'zustand/react/shallow';
import { useExperimentStore, withoutProgress } from '../../state/experimentStore';
import type { RunDomainViews } from '../domainViews';
import { stageLabel } from '../../engine/pipeline/stages';

/** The domain's target and real-set panel, and the run buttons: Run iteration 0, Step, Auto-run, Stop. */
export function RunPanel({ views }: { views: RunDomainViews }) {
  // Everything but the progress ticks (those re-render the progress view alone).
  const exp = useExperimentStore(useShallow(withoutProgress));
  const inputsReady = views.useInputsReady();
  const running = exp.run !== 'idle';
  const current = exp.current;
  const started = current !== null && exp.iterations.length > 0;
  const finished = exp.next?.kind === 'finished';
  const hasBest = exp.iterations.some((it) => (it.proposal?.current_best.length ?? 0) > 0);
  // A failed stage is retried on purpose, not stepped past: Step and Auto-run wait for Retry stage.
  const failed = !running && current?.status === 'failed';
  const nextLabel =
    !running && current?.status === 'failed' && exp.next?.kind === 'stage'
      ? `failed: iteration ${exp.next.iteration}, ${stageLabel(exp.next.stage).toLowerCase()}`
      : exp.next?.kind === 'stage'
      ? exp.next.stage === 'plan'
        ? `next: iteration ${exp.next.iteration}`
        : `next: iteration ${exp.next.iteration}, ${stageLabel(exp.next.stage).toLowerCase()} (resumes)`
      : exp.next?.kind === 'finished'
        ? `finished: ${exp.next.reason}`
        : '';
  return (
    <section className="panel">
      <h2>Run</h2>
      <views.TargetPanel running={running} />
      {current && started && (
        <p className="panel__note">
          {current.target.kind === 'simulated' ? 'Simulated target' : `${current.target.imageCount} real images`} · {current.embedder.label} · {nextLabel}
        </p>
      )}
      <div className="run-buttons">
        {failed ? (
          <button type="button" className="button button--primary" disabled={exp.lockedElsewhere} onClick={() => void exp.step()}>
            Retry stage
          </button>
        ) : !started ? (
          <button type="button" className="button button--primary" disabled={running || exp.lockedElsewhere || !inputsReady} title={inputsReady ? undefined : views.waitingForInputs} onClick={() => void exp.step()}>
            Run iteration 0
          </button>
        ) : (
          <>
            <button type="button" className="button button--primary" disabled={running || finished || exp.lockedElsewhere} onClick={() => void exp.step()}>
              Step
            </button>
            <button type="button" className="button" disabled={running || finished || current?.convergence?.converged === true || exp.lockedElsewhere} onClick={() => void exp.autoRun()}>
              Auto-run
            </button>
          </>
        )}
        <button type="button" className="button button--danger" disabled={!running || exp.run === 'stopping'} onClick={exp.stop}>
          {exp.run === 'stopping' ? 'Stopping…' : 'Stop'}
        </button>
      </div>
      {started && !failed && (
        <button
          type="button"
          className="button button--small"
          disabled={running || exp.lockedElsewhere || !hasBest}
          title={`Generate ${current.config.confirmation_samples} samples of the best set and test them against the real set: indistinguishable, distinguishable, or not enough evidence`}
          onClick={() => void exp.confirm()}
        >
          Confirm the best set ({current.config.confirmation_samples} samples)
        </button>
      )}
      {!running && inputsReady && (
        <button
          type="button"
          className="button button--small button--ghost"
          disabled={exp.lockedElsewhere}
          title="Can this generator and embedding recover settings at all? A new experiment whose “real” images the generator makes at one known setting (this experiment's best, or the real distribution's centre), calibrated for a few iterations: its parameter recovery is the answer."
          onClick={() => void exp.selfCheck()}
        >
          Self-check: recover a known setting
        </button>
      )}
      {failed && (
        <p className="error" role="alert">
          {current.statusDetail ?? 'The last stage failed.'}
        </p>
      )}
      {started && !running && (
        <button type="button" className="button button--ghost button--small" onClick={() => void exp.newExperiment()}>
          New experiment with the current inputs
        </button>
      )}
      {exp.lockedElsewhere && (
        <p className="error" role="alert">
          This experiment is running in another tab: here it is shown read-only, as that tab stores it, and this tab takes the run over if that one closes. To work here meanwhile, open another experiment.
        </p>
      )}
    </section>
  );
}
