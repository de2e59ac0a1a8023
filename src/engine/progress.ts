/** Progress of a long call, reported through a callback (engine generators, workers, the service). */
export interface Progress {
  done: number;
  total: number;
  /** A short label for the stage, e.g. "generate". */
  stage?: string;
}

export type ProgressCallback = (progress: Progress) => void;
