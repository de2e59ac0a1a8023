import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parameterSetKey, type ParameterSet } from '../../src/engine/space/space';
import { initialPoints, makeObjective, problemForSeed, problemName, PROTOCOL, regretOf, type Problem, type Protocol, type RunRecord } from './protocol';

/**
 * Python peers (bench/peers/*.py) driven over the JSON-lines ask/tell protocol of peer_protocol.py.
 * They run under Debian's interpreter, /usr/bin/python3, which has python3-optuna and python3-sklearn;
 * the bench installs nothing and skips a peer whose packages are missing, saying so.
 */
export const PYTHON = '/usr/bin/python3';
const PEER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'peers');

export interface PeerSpec {
  method: string;
  script: string;
  /** Modules the peer imports: checked before the run. */
  requires: string[];
}

export const PEERS: readonly PeerSpec[] = [
  { method: 'optuna_tpe', script: 'optuna_tpe.py', requires: ['optuna'] },
  { method: 'sklearn_gp_ei', script: 'sklearn_gp_ei.py', requires: ['sklearn', 'scipy', 'numpy'] },
];

/** null when the peer can run, else the reason it cannot. */
export function peerUnavailable(peer: PeerSpec): string | null {
  const probe = spawnSync(PYTHON, ['-c', `import ${peer.requires.join(', ')}`], { encoding: 'utf8' });
  if (probe.error) return `${PYTHON} not found (${probe.error.message})`;
  if (probe.status !== 0) return `${PYTHON} cannot import ${peer.requires.join(', ')}: ${probe.stderr.trim().split('\n').pop()}`;
  return null;
}

type Reply = Record<string, unknown> & { error?: string; trace?: string };

export class PeerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((reply: Reply) => void)[] = [];
  private stderr = '';

  constructor(readonly peer: PeerSpec) {
    this.child = spawn(PYTHON, [join(PEER_DIR, peer.script)], { cwd: PEER_DIR, env: { ...process.env, PYTHONHASHSEED: '0' } });
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      let reply: Reply;
      try {
        reply = JSON.parse(line) as Reply;
      } catch {
        reply = { error: `not a protocol reply: ${line.slice(0, 200)}` };
      }
      this.waiting.shift()?.(reply);
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
    this.child.on('exit', (code) => {
      for (const resolve of this.waiting.splice(0)) resolve({ error: `${peer.script} exited with code ${code}: ${this.stderr}` });
    });
  }

  request(message: Record<string, unknown>): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.waiting.push((reply) => (reply.error ? reject(new Error(`${this.peer.method}: ${reply.error}\n${reply.trace ?? ''}`)) : resolve(reply)));
      this.child.stdin.write(JSON.stringify(message) + '\n');
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

export async function runPeer(process_: PeerProcess, suiteProblem: Problem, seed: number, protocol: Protocol = PROTOCOL): Promise<RunRecord> {
  const name = problemName(suiteProblem);
  const problem = problemForSeed(suiteProblem, seed);
  const method = process_.peer.method;
  const objective = makeObjective(problem, seed, method);
  const initial = initialPoints(problem, seed, protocol);
  const evaluated: ParameterSet[] = [...initial];
  const record: RunRecord = { method, problem: name, seed, regret: [], bestEvaluatedRegret: [], proposeMs: [], duplicates: 0 };
  const key = (p: ParameterSet) => parameterSetKey(problem.fn.space, p);
  const seen = new Set(initial.map(key));
  const bestEvaluated = () => Math.min(...evaluated.map((p) => regretOf(problem, p)));
  await process_.request({
    op: 'start',
    space: problem.fn.space.parameters,
    seed,
    batch_size: protocol.batchSize,
    initial,
    values: initial.map(objective),
  });
  for (let iteration = 1; iteration <= protocol.iterations; iteration++) {
    const reply = await process_.request({ op: 'ask' });
    record.proposeMs.push(Number(reply.ms));
    record.regret.push(regretOf(problem, reply.recommended as ParameterSet));
    record.bestEvaluatedRegret.push(bestEvaluated());
    const batch = reply.params as ParameterSet[];
    for (const p of batch) {
      if (seen.has(key(p))) record.duplicates++;
      seen.add(key(p));
      evaluated.push(p);
    }
    await process_.request({ op: 'tell', values: batch.map(objective) });
  }
  const final = await process_.request({ op: 'recommend' });
  record.regret.push(regretOf(problem, final.recommended as ParameterSet));
  record.bestEvaluatedRegret.push(bestEvaluated());
  return record;
}
