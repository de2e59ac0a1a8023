/**
 * Where the fault campaign interrupts a run: a seeded list of kill points spread over every stage of the
 * loop (generate, embed, score, store, propose) and the export, each with how it kills and how long it
 * waits once the stage shows in the page. Pure: the same seed gives the same plan.
 */
import { createRng } from '../../src/engine/random/rng';

export const FAULT_STAGES = ['generate', 'embed', 'score', 'store', 'propose', 'export'] as const;
export type FaultStage = (typeof FAULT_STAGES)[number];

/**
 * close: the tab is closed and the page opened again in a new tab; reload: the page reloads; crash: the
 * stage's worker dies (terminated, then its error event, as a crash in the worker reports itself).
 */
export type KillHow = 'close' | 'reload' | 'crash';

/** The worker each stage's work runs in (store runs in the page: it can only be interrupted by closing). */
export const STAGE_WORKER: Record<FaultStage, string | null> = {
  generate: 'generator',
  embed: 'embed',
  score: 'analyze',
  store: null,
  propose: 'optimize',
  export: 'archive',
};

export interface KillPoint {
  index: number;
  stage: FaultStage;
  /** The iteration whose stage is interrupted (export: after the last). */
  iteration: number;
  how: KillHow;
  /** Milliseconds after the stage shows before the kill. */
  delayMs: number;
}

/**
 * `count` kill points, the stages in turn (so every stage gets count / 6 or more), the iteration, the
 * way of killing (crash only where the stage has a worker) and the delay drawn from the seed.
 */
export function planKillPoints(count: number, seed: number, iterations: number): KillPoint[] {
  const rng = createRng(seed);
  return Array.from({ length: count }, (_, index) => {
    const stage = FAULT_STAGES[index % FAULT_STAGES.length];
    const hows: KillHow[] = STAGE_WORKER[stage] ? ['close', 'reload', 'crash'] : ['close', 'reload'];
    return {
      index,
      stage,
      iteration: stage === 'export' ? iterations - 1 : rng.int(0, iterations - 1),
      how: hows[rng.int(0, hows.length - 1)],
      delayMs: Math.round(rng.uniform(0, stage === 'generate' || stage === 'embed' ? 100 : 40)),
    };
  });
}
