/**
 * Time left for a stage from its progress so far: elapsed · (total − done) / done, once at least one item
 * is done and a second has passed (earlier estimates swing too much to show).
 */
export function estimateSecondsLeft(done: number, total: number, elapsedMs: number): number | null {
  if (done <= 0 || total <= done || elapsedMs < 1000) return done >= total ? 0 : null;
  return (elapsedMs / 1000) * ((total - done) / done);
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '…';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds % 60);
  return `${m} min ${String(s).padStart(2, '0')} s`;
}
