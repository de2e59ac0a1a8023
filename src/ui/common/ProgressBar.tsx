interface ProgressBarProps {
  label: string;
  done: number;
  total: number;
  onCancel?: () => void;
}

/** A labelled determinate progress bar with counts and an optional cancel button. */
export function ProgressBar({ label, done, total, onCancel }: ProgressBarProps) {
  return (
    <div className="progress" role="group" aria-label={label}>
      <div className="progress__row">
        <span>{label}</span>
        <span className="progress__count">
          {done} / {total}
        </span>
        {onCancel && (
          <button type="button" className="button button--small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      <progress max={total} value={done} aria-label={label} />
    </div>
  );
}
