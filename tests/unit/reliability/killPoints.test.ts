import { describe, expect, it } from 'vitest';
import { FAULT_STAGES, planKillPoints, STAGE_WORKER } from '../../../bench/reliability/killPoints';

describe('the fault campaign’s kill points', () => {
  it('are the same for a seed and different for another, every stage in turn, a crash only where the stage has a worker', () => {
    const plan = planKillPoints(36, 1, 3);
    expect(planKillPoints(36, 1, 3)).toEqual(plan);
    expect(planKillPoints(36, 2, 3)).not.toEqual(plan);
    for (const stage of FAULT_STAGES) expect(plan.filter((p) => p.stage === stage)).toHaveLength(6);
    expect(plan.filter((p) => p.stage === 'store').every((p) => p.how !== 'crash')).toBe(true);
    expect(plan.filter((p) => p.how === 'crash').every((p) => STAGE_WORKER[p.stage] !== null)).toBe(true);
    expect(new Set(plan.map((p) => p.how))).toEqual(new Set(['close', 'reload', 'crash']));
    expect(plan.every((p) => p.iteration >= 0 && p.iteration <= 2 && p.delayMs >= 0)).toBe(true);
    expect(plan.filter((p) => p.stage === 'export').every((p) => p.iteration === 2)).toBe(true);
  });
});
