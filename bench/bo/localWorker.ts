/**
 * A child process that runs this repository's optimizer (or its random/Sobol baselines) through the
 * protocol, one run per JSON-lines request — so bench/bo.ts can schedule local runs and Python peers
 * on the same pool of processes (the machine has two cores).
 *
 *   {"method": "ours", "strategy": "ucb", "fn": "hartmann6", "noisy": true, "seed": 3, "settings": {},
 *    "protocol": {"initialPoints": 16, "iterations": 10, "batchSize": 8}}
 *   -> RunRecord
 */
import { createInterface } from 'node:readline';
import type { OptimizerSettings, ProposalStrategy } from '../../src/engine/optimizer';
import { bbobProblemFromName } from './bbob/suite';
import { TEST_FUNCTIONS } from './functions';
import { runLocal } from './localMethods';
import { PROTOCOL, type Protocol } from './protocol';

interface LocalTask {
  method: string;
  strategy: ProposalStrategy;
  fn: string;
  noisy: boolean;
  multiplicativeBeta?: number;
  seed: number;
  settings?: Partial<OptimizerSettings>;
  protocol?: Protocol;
}

createInterface({ input: process.stdin }).on('line', (line) => {
  if (!line.trim()) return;
  let reply: unknown;
  try {
    const task = JSON.parse(line) as LocalTask;
    const fn = TEST_FUNCTIONS.find((f) => f.name === task.fn);
    const problem = fn ? { fn, noisy: task.noisy, ...(task.multiplicativeBeta ? { multiplicativeBeta: task.multiplicativeBeta } : {}) } : bbobProblemFromName(task.fn, task.noisy, task.multiplicativeBeta);
    if (!problem) throw new Error(`unknown function ${task.fn}`);
    reply = runLocal(task.method, task.strategy, problem, task.seed, task.settings ?? {}, task.protocol ?? PROTOCOL);
  } catch (error) {
    reply = { error: (error as Error).stack ?? String(error) };
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
});
