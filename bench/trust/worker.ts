/**
 * A bench:trust worker process (forked by bench/trust.ts with `--import tsx`): runs the RunSpecs it is
 * sent, one at a time, and sends each result (or the error) back. Each run owns its store and service;
 * the process only shares the rendered chips and the loaded embedder between runs.
 */
import { runOne, type RunResult, type RunSpec } from './run';

export type WorkerRequest = { spec: RunSpec } | { done: true };
export type WorkerReply = { id: string; result: RunResult } | { id: string; error: string };

process.on('message', (message: WorkerRequest) => {
  if ('done' in message) {
    process.disconnect?.();
    return;
  }
  const { spec } = message;
  runOne(spec).then(
    (result) => process.send!({ id: spec.id, result } satisfies WorkerReply),
    (error: unknown) => process.send!({ id: spec.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies WorkerReply),
  );
});
