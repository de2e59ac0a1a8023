/**
 * What crosses the worker boundary besides a worker's own methods. A long call takes a job id (an
 * AbortSignal cannot be transferred) and, optionally, a progress callback wrapped in Comlink.proxy; the
 * worker side of the bridge adds one method, `cancelJob`, that aborts the job with that id.
 */
import type { Progress } from '../../engine/progress';

export type { Progress };

/** A progress callback as a worker method receives it (calls on it are messages back to the page). */
export type ProgressCallback<P = Progress> = (progress: P) => void;

/** The method `exposeWorker` adds to every worker API. */
export interface JobControl {
  cancelJob(jobId: number): void;
}
