import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { OptimizerSettings, ProposalStrategy } from '../../src/engine/optimizer';
import { PeerProcess, runPeer, type PeerSpec } from './peers';
import { PROTOCOL, type Problem, type Protocol, type RunRecord } from './protocol';

/**
 * Runs benchmark tasks on a fixed number of slots (one per core). A slot owns at most one process per
 * kind — a Python peer process per peer, a Node child for local runs — started on first use and reused,
 * so interpreter start-up is paid once per slot.
 */
export type Task =
  | { kind: 'peer'; peer: PeerSpec; problem: Problem; seed: number; protocol?: Protocol }
  | { kind: 'local'; method: string; strategy: ProposalStrategy; settings: Partial<OptimizerSettings>; problem: Problem; seed: number; protocol?: Protocol };

const LOCAL_WORKER = join(dirname(fileURLToPath(import.meta.url)), 'localWorker.ts');

class LocalProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: ((line: string) => void)[] = [];

  constructor() {
    this.child = spawn(process.execPath, ['--import', 'tsx', LOCAL_WORKER], { stdio: 'pipe' });
    createInterface({ input: this.child.stdout }).on('line', (line) => this.waiting.shift()?.(line));
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  }

  run(task: Extract<Task, { kind: 'local' }>): Promise<RunRecord> {
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const reply = JSON.parse(line) as RunRecord & { error?: string };
        if (reply.error) reject(new Error(`${task.method}: ${reply.error}`));
        else resolve(reply);
      });
      const { method, strategy, settings, problem, seed, protocol = PROTOCOL } = task;
      this.child.stdin.write(JSON.stringify({ method, strategy, settings, fn: problem.fn.name, noisy: problem.noisy, multiplicativeBeta: problem.multiplicativeBeta, seed, protocol }) + '\n');
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

class Slot {
  private readonly peers = new Map<string, PeerProcess>();
  private local: LocalProcess | null = null;

  run(task: Task): Promise<RunRecord> {
    if (task.kind === 'local') {
      this.local ??= new LocalProcess();
      return this.local.run(task);
    }
    let process_ = this.peers.get(task.peer.method);
    if (!process_) {
      process_ = new PeerProcess(task.peer);
      this.peers.set(task.peer.method, process_);
    }
    return runPeer(process_, task.problem, task.seed, task.protocol ?? PROTOCOL);
  }

  close(): void {
    for (const p of this.peers.values()) p.close();
    this.local?.close();
  }
}

export async function runPool(tasks: readonly Task[], slots: number, onDone: (record: RunRecord, done: number) => void): Promise<RunRecord[]> {
  const queue = [...tasks];
  const records: RunRecord[] = [];
  const pool = Array.from({ length: Math.max(1, slots) }, () => new Slot());
  try {
    await Promise.all(
      pool.map(async (slot) => {
        for (let task = queue.shift(); task; task = queue.shift()) {
          const record = await slot.run(task);
          records.push(record);
          onDone(record, records.length);
        }
      }),
    );
  } finally {
    for (const slot of pool) slot.close();
  }
  return records;
}
