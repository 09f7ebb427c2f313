/**
 * WAL checkpoints off the writer's thread. SQLite copies the write-ahead log back into the database
 * file at a checkpoint, and with `synchronous = NORMAL` that is also when it fsyncs; left to the
 * automatic checkpoint, the commit that crosses the limit pays for it (a third of a routed batch's
 * commit time, and the API's slowest answers). Once the log has grown past `startBytes`, a worker
 * thread with its own connection runs `PRAGMA wal_checkpoint(PASSIVE)` after commits, at most one at
 * a time and at most every `intervalMs`: a passive checkpoint never blocks or waits for the writer,
 * and the log is reused from its start once a checkpoint has caught up. The automatic checkpoint
 * stays on as the safety net should the worker fall behind or fail. See decision 015.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface WalCheckpointerOptions {
  /** The log size from which checkpoints move to the worker (smaller logs cost little). */
  readonly startBytes?: number;
  /** The least time between the end of one background checkpoint and the next request. */
  readonly intervalMs?: number;
}

const DEFAULT_START_BYTES = 16 * 1024 * 1024;
const DEFAULT_INTERVAL_MS = 100;

/**
 * The worker: CommonJS (an eval worker), one connection, one passive checkpoint per message. It
 * reports through shared memory — [running, completed, failed] and the end time — because a writer
 * in a tight ingest loop may not return to its event loop between batches to read a reply.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const state = new Int32Array(workerData.state);
const ended = new Float64Array(workerData.ended);
let db;
try {
  const Database = require(workerData.module);
  db = new Database(workerData.file);
  db.pragma('busy_timeout = 0');
  db.pragma('synchronous = NORMAL');
} catch (error) {
  Atomics.store(state, 2, 1);
  parentPort.postMessage(String((error && error.message) || error));
}
parentPort.on('message', () => {
  if (db === undefined) return;
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
    Atomics.add(state, 1, 1);
  } catch (error) {
    Atomics.store(state, 2, 1);
    parentPort.postMessage(String((error && error.message) || error));
  } finally {
    ended[0] = Date.now();
    Atomics.store(state, 0, 0);
  }
});
`;

/** Slots of the shared state. */
const RUNNING = 0;
const COMPLETED = 1;
const FAILED = 2;

export class WalCheckpointer {
  private readonly wal: string;
  private readonly startBytes: number;
  private readonly intervalMs: number;
  private worker: Worker | undefined;
  private readonly state = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  private readonly ended = new Float64Array(new SharedArrayBuffer(Float64Array.BYTES_PER_ELEMENT));
  /** Set when the worker failed: checkpoints are left to SQLite's automatic one from then on. */
  private failed: string | undefined;

  constructor(
    private readonly file: string,
    options: WalCheckpointerOptions = {},
  ) {
    this.wal = `${file}-wal`;
    this.startBytes = options.startBytes ?? DEFAULT_START_BYTES;
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  /** Background checkpoints finished so far (for tests and diagnostics). */
  get checkpoints(): number {
    return Atomics.load(this.state, COMPLETED);
  }

  /** Why background checkpoints stopped, if they did. */
  get failure(): string | undefined {
    if (this.failed === undefined && Atomics.load(this.state, FAILED) === 1)
      this.failed = 'checkpoint failed';
    return this.failed;
  }

  /** Called after each commit: asks the worker for a checkpoint when one is due. Never throws. */
  afterCommit(): void {
    if (Atomics.load(this.state, RUNNING) === 1 || this.failure !== undefined) return;
    if (this.worker !== undefined && Date.now() - (this.ended[0] ?? 0) < this.intervalMs) return;
    let size: number;
    try {
      size = statSync(this.wal).size;
    } catch {
      return; // no log file (yet): nothing to copy
    }
    if (size < this.startBytes) return;
    const worker = this.worker ?? this.start();
    if (worker === undefined) return;
    Atomics.store(this.state, RUNNING, 1);
    worker.postMessage('checkpoint');
  }

  /** Resolves once no background checkpoint is running. */
  async idle(): Promise<void> {
    while (Atomics.load(this.state, RUNNING) === 1 && this.worker !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  /** Stops the worker (a checkpoint in progress is abandoned; SQLite stays consistent). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.failed ??= 'closed';
    if (worker !== undefined) await worker.terminate();
  }

  private start(): Worker | undefined {
    try {
      const module = createRequire(import.meta.url).resolve('better-sqlite3');
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, file: this.file, state: this.state.buffer, ended: this.ended.buffer },
      });
      worker.unref();
      worker.on('message', (message: string) => {
        this.failed = `checkpoint failed: ${message}`;
      });
      worker.on('error', (error) => {
        this.failed = `checkpoint worker stopped: ${error.message}`;
        Atomics.store(this.state, RUNNING, 0);
      });
      this.worker = worker;
      return worker;
    } catch (error) {
      this.failed = `checkpoint worker did not start: ${error instanceof Error ? error.message : String(error)}`;
      return undefined;
    }
  }
}
