import { useStudyStore } from '../../../state/studyStore';

/** What the last study action said: an error naming the file, row and column, or what was done (with warnings). */
export function StudyMessages() {
  const message = useStudyStore((s) => s.message);
  const dismiss = useStudyStore((s) => s.dismiss);
  if (!message) return null;
  if (message.kind === 'error') {
    return (
      <div className="messages" role="alert">
        <div className="messages__head">
          <strong>{message.text}</strong>
          <button type="button" className="button button--small button--ghost" aria-label="Dismiss the error" onClick={dismiss}>
            ×
          </button>
        </div>
        <p className="study-kept">Nothing was stored: everything already stored is as it was.</p>
      </div>
    );
  }
  return (
    <div className="notice" role="status">
      {message.text}
      {message.warnings && message.warnings.length > 0 && (
        <ul className="study-warnings" aria-label="Warnings">
          {message.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
