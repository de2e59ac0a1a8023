import type { ExperimentConfig } from '../config/experimentConfig';
import type { Matrix } from '../linalg/matrix';
import type { ConfirmationTolerance } from '../optimizer/convergence';
import type { ConfirmInput } from '../trust/confirmation';
import { floorAtSizes } from '../trust/floorAtSizes';
import { minPermutations } from '../trust/permutationTest';
import { confirmationSettings, confirmationTestSeed } from './confirmationPlan';

/**
 * The confirmation test as the pipeline runs it: the experiment's fixed kernel bandwidth, the config's
 * α and δ (the floor's 95th percentile at (m, n) when the config leaves δ unset), 1,000 seeded
 * permutations, a 90 % bootstrap interval and the detectable shift (engine/trust/confirmation.ts).
 */
export function confirmationTestInput(config: ExperimentConfig, real: Matrix, synthetic: Matrix, bandwidth: number): ConfirmInput {
  const { alpha, delta } = confirmationSettings(config);
  return {
    real,
    synthetic,
    bandwidth,
    alpha,
    ...(delta !== null ? { delta } : {}),
    seed: confirmationTestSeed(config),
    permutations: minPermutations,
    level: 0.9,
  };
}

/**
 * δ at the confirmation's sizes (m synthetic vs n real), before any confirmation ran: the config's δ, or
 * the real-vs-real floor's 95th percentile at (m, n) with the test's own seed, so the threshold rule, the
 * plausible region and every statement quote one δ. The one place δ is computed outside a test.
 */
export function confirmationDelta(config: ExperimentConfig, real: Matrix, bandwidth: number): ConfirmationTolerance {
  const { samples: m, delta } = confirmationSettings(config);
  if (delta !== null) return { delta, m, n: real.rows, source: 'user' };
  const floor = floorAtSizes(real, m, bandwidth, { seed: confirmationTestSeed(config) });
  return { delta: floor.delta, m, n: real.rows, source: 'floor' };
}

/**
 * What rule 'noise_floor' compares the best posterior mean with: confirmationDelta. Null for rule
 * 'absolute' (it compares with convergence_threshold).
 */
export function confirmationTolerance(config: ExperimentConfig, real: Matrix, bandwidth: number): ConfirmationTolerance | null {
  if (config.convergence_rule === 'absolute') return null;
  return confirmationDelta(config, real, bandwidth);
}
