import { useExperimentStore } from '../../../state/experimentStore';
import { FileDropZone } from '../../../ui/common/FileDropZone';
import { MessageList } from '../../../ui/common/MessageList';
import { NewExperimentButton } from '../../../ui/run/NewExperimentButton';
import { showsStoredImages, useRealImagesStore } from './state/realImagesStore';

const ACCEPT = '.png,.jpg,.jpeg,.webp,.bmp,.tif,.tiff,image/png,image/jpeg,image/webp,image/bmp,image/tiff';

/** The target of a void experiment: simulated (hidden parameters) or the user's own real images. */
export function TargetPanel({ running }: { running: boolean }) {
  const real = useRealImagesStore();
  const currentId = useExperimentStore((s) => s.current?.id ?? null);
  // The target and real images shown are the open experiment's own (stored with it, not editable).
  const realReadOnly = showsStoredImages(real);
  const realOfOpen = real.stored !== null && real.stored.experimentId === currentId;
  return (
    <>
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
    </>
  );
}
