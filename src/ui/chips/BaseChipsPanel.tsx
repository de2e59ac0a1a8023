import { useChipsStore } from '../../state/chipsStore';
import { FileDropZone } from '../common/FileDropZone';
import { MessageList } from '../common/MessageList';

const ACCEPT = '.png,.jpg,.jpeg,.webp,.bmp,.tif,.tiff,image/png,image/jpeg,image/webp,image/bmp,image/tiff';

/** Base chips: the defect-free images voids are painted on. Demo chips until the user drops their own. */
export function BaseChipsPanel() {
  const { chips, rejected, status, error, addFiles, removeChip, loadDemoChips, dismissRejected } = useChipsStore();
  const usingDemo = chips.length > 0 && chips.every((c) => c.source === 'demo');
  return (
    <section className="panel">
      <h2>Base chips</h2>
      <p className="panel__note">
        {usingDemo ? `Using the ${chips.length} built-in demo chips. Drop your own defect-free chips to replace them.` : `${chips.length} of your chips.`}
      </p>
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
            <button type="button" className="thumb__remove" aria-label={`Remove ${c.id}`} title="Remove" onClick={() => void removeChip(c.id)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      {!usingDemo && chips.length > 0 && (
        <button type="button" className="button button--ghost" onClick={() => void loadDemoChips()}>
          Use the demo chips instead
        </button>
      )}
    </section>
  );
}
