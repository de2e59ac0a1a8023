import { useShallow } from 'zustand/react/shallow';
import { useExperimentStore, withoutProgress } from '../../state/experimentStore';
import { showsStoredImages, useRealImagesStore } from '../../state/realImagesStore';
import { useChipsStore } from '../../state/chipsStore';
import { FileDropZone } from '../common/FileDropZone';
import { MessageList } from '../common/MessageList';
import { NewExperimentButton } from '../chips/NewExperimentButton';
import { stageLabel } from '../../engine/pipeline/stages';

const ACCEPT = '.png,.jpg,.jpeg,.webp,.bmp,.tif,.tiff,image/png,image/jpeg,image/webp,image/bmp,image/tiff';

/** Target choice, the user's real images, and the run buttons: Run iteration 0, Step, Auto-run, Stop. */
export function RunPanel() {
  const real = useRealImagesStore();
  // Everything but the progress ticks (those re-render the progress view alone).
  const exp = useExperimentStore(useShallow(withoutProgress));
  // The target and real images shown are the open experiment's own (stored with it, not editable).
  const realReadOnly = showsStoredImages(real);
  const realOfOpen = real.stored !== null && real.stored.experimentId === (exp.current?.id ?? null);
  const chipsReady = useChipsStore((c) => c.status === 'ready' && c.chips.length > 0);
  const running = exp.run !== 'idle';
  const current = exp.current;
  const started = current !== null && exp.iterations.length > 0;
  const finished = exp.next?.kind === 'finished';
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
      <fieldset className="radio-group" disabled={running}>
        <legend className="param__label">Target (the “real” set)</legend>
        <label>
          <input type="radio" name="target" checked={real.target === 'simulated'} onChange={() => real.setTarget('simulated')} /> Simulated: hidden
          parameters from the config’s real distribution (reports parameter recovery)
        </label>
        <label>
          <input type="radio" name="target" checked={real.target === 'user'} onChange={() => real.setTarget('user')} /> My real void images
        </label>
      </fieldset>
      {realOfOpen && !realReadOnly && (
        // The open experiment's target and real images are part of its record: a change is for the next one.
        <div className="button-row">
          <p className="panel__note">
            The next new experiment’s target: {real.target === 'user' ? `${real.images.length} real image(s)` : 'simulated'}. The open experiment keeps{' '}
            {real.stored?.target === 'user' ? `its ${real.stored.images.length} real images` : 'its simulated target'}.
          </p>
          <button type="button" className="button button--ghost button--small" onClick={real.restoreStoredImages}>
            Back to the open experiment’s target
          </button>
          <NewExperimentButton />
        </div>
      )}
      {real.target === 'user' && (
        <>
          {realOfOpen && realReadOnly && <p className="panel__note">The open experiment’s {real.images.length} real images.</p>}
          <FileDropZone
            label="Real images"
            accept={ACCEPT}
            disabled={real.busy || running}
            hint={realReadOnly ? 'Drop others here to use them in a new experiment' : `${real.images.length} image(s); at least 4 (about 16 is typical)`}
            onFiles={(files) => void real.addFiles(files)}
          />
          <MessageList title="Not added" items={real.rejected} onDismiss={real.dismissRejected} />
          {real.images.length > 0 && (
            <ul className="thumbs thumbs--small" aria-label="Real images">
              {real.images.map((im) => (
                <li key={im.id} className="thumb" title={im.id}>
                  <img src={im.thumbnailUrl} alt={`Real image ${im.id}`} />
                  {!realReadOnly && (
                    <button type="button" className="thumb__remove" aria-label={`Remove ${im.id}`} onClick={() => real.remove(im.id)}>
                      ×
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
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
          <button type="button" className="button button--primary" disabled={running || exp.lockedElsewhere || !chipsReady} title={chipsReady ? undefined : 'Waiting for the base chips'} onClick={() => void exp.step()}>
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
          This experiment is running in another tab. Close that tab, or open another experiment here.
        </p>
      )}
    </section>
  );
}
