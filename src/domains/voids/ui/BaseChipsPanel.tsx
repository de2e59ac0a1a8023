import { showsStoredChips, useChipsStore } from './state/chipsStore';
import { useExperimentStore } from '../../../state/experimentStore';
import { FileDropZone } from '../../../ui/common/FileDropZone';
import { MessageList } from '../../../ui/common/MessageList';
import { NewExperimentButton } from '../../../ui/run/NewExperimentButton';

const ACCEPT = '.png,.jpg,.jpeg,.webp,.bmp,.tif,.tiff,image/png,image/jpeg,image/webp,image/bmp,image/tiff';

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Base chips: the defect-free images voids are painted on. With an experiment open, the chips stored
 * with it (they stay as they are: a drop starts the chips of the next new experiment); with none, the
 * demo chips until the user drops their own.
 */
export function BaseChipsPanel() {
  const chipsState = useChipsStore();
  const { chips, stored, rejected, status, error, addFiles, removeChip, loadDemoChips, dismissRejected, restoreStoredChips } = chipsState;
  const openId = useExperimentStore((s) => s.current?.id ?? null);
  const usingDemo = chips.length > 0 && chips.every((c) => c.source === 'demo');
  // The listed chips are the stored ones: part of an experiment's record, not removable here.
  const readOnly = showsStoredChips(chipsState);
  const ofOpen = stored !== null && stored.experimentId === openId;
  const note =
    ofOpen && readOnly
      ? `The open experiment’s ${count(chips.length, 'base chip')}. Drop other chips here to use them in a new experiment.`
      : ofOpen
        ? `The next new experiment’s ${count(chips.length, 'base chip')} (${usingDemo ? 'the built-in demo chips' : 'dropped here'}). The open experiment keeps its ${count(stored.chips.length, 'chip')}.`
        : usingDemo
          ? `Using the ${chips.length} built-in demo chips. Drop your own defect-free chips to replace them.`
          : `${chips.length} of your chips.`;
  return (
    <section className="panel">
      <h2>Base chips</h2>
      {/* While a set is read the note would describe the set it replaces. */}
      {status !== 'loading' && <p className="panel__note">{note}</p>}
      <FileDropZone
        label="Base chips"
        accept={ACCEPT}
        disabled={status === 'loading'}
        hint="PNG, JPEG, WebP, BMP or TIFF; 8- or 16-bit, grey or RGB; up to 8192 px a side"
        onFiles={(files) => void addFiles(files)}
      />
      <MessageList title="Not added" items={rejected} onDismiss={dismissRejected} />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {status === 'loading' && <p className="panel__note" role="status">Reading images…</p>}
      <ul className="thumbs" aria-label="Loaded chip images">
        {chips.map((c) => (
          <li key={c.id} className="thumb">
            <img src={c.thumbnailUrl} alt={`Base chip ${c.id}`} />
            <div className="thumb__caption">
              <span className="thumb__name" title={c.id}>
                {c.id}
              </span>
              <span className="thumb__meta">
                {c.width}×{c.height} · {c.bitDepth}-bit {c.format.toUpperCase()}
              </span>
            </div>
            {!readOnly && (
              <button type="button" className="thumb__remove" aria-label={`Remove ${c.id}`} title="Remove" onClick={() => void removeChip(c.id)}>
                ×
              </button>
            )}
          </li>
        ))}
      </ul>
      <div className="button-row">
        {ofOpen && !readOnly && (
          <>
            <button type="button" className="button button--ghost button--small" onClick={() => void restoreStoredChips()}>
              Back to the open experiment’s chips
            </button>
            <NewExperimentButton />
          </>
        )}
        {!usingDemo && chips.length > 0 && (
          <button type="button" className="button button--ghost button--small" onClick={() => void loadDemoChips()}>
            Use the demo chips instead
          </button>
        )}
      </div>
    </section>
  );
}
