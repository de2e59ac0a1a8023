import { estimateSecondsLeft, formatDuration } from '../../engine/pipeline/eta';
import type { StageProgress, WorkStep } from '../../engine/pipeline/stages';

export type StageProgressViewProps = StageProgress & { now: number };

const STAGES: Array<{ id: WorkStep; label: string }> = [
  { id: 'plan', label: 'Plan' },
  { id: 'embed', label: 'Generate + embed' },
  { id: 'score', label: 'Score + map' },
  { id: 'store', label: 'Store' },
  { id: 'propose', label: 'Propose' },
];

/** The pipeline's stages as steps, the current one with a bar, counts and time left. */
export function StageProgressView({ iteration, stage, done, total, startedAt, now }: StageProgressViewProps) {
  const current = STAGES.findIndex((s) => s.id === (stage === 'generate' ? 'embed' : stage));
  const left = estimateSecondsLeft(done, total, now - startedAt);
  return (
    <div className="stage-progress" role="status" aria-live="polite">
      <div className="stage-progress__title">Iteration {iteration}</div>
      <ol className="stage-progress__steps">
        {STAGES.map((s, i) => (
          <li key={s.id} className={i < current ? 'done' : i === current ? 'active' : ''} aria-current={i === current ? 'step' : undefined}>
            {s.label}
          </li>
        ))}
      </ol>
      <progress max={Math.max(1, total)} value={done} aria-label={`${STAGES[Math.max(0, current)].label}: ${done} of ${total}`} />
      <div className="stage-progress__row">
        <span>
          {done} / {total}
        </span>
        <span>{done >= total ? 'finishing…' : `about ${formatDuration(left)} left`}</span>
      </div>
    </div>
  );
}
