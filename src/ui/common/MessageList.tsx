interface MessageListProps {
  title: string;
  items: Array<{ name: string; reason: string }>;
  onDismiss?: () => void;
}

/** Errors that name the thing and the reason, e.g. files a drop did not add. */
export function MessageList({ title, items, onDismiss }: MessageListProps) {
  if (items.length === 0) return null;
  return (
    <div className="messages" role="alert">
      <div className="messages__head">
        <strong>{title}</strong>
        {onDismiss && (
          <button type="button" className="button button--small button--ghost" onClick={onDismiss} aria-label={`Dismiss: ${title}`}>
            ×
          </button>
        )}
      </div>
      <ul>
        {items.map((m, i) => (
          <li key={`${m.name}-${i}`}>
            <span className="messages__name">{m.name}</span>: {m.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
