/**
 * The timer runner: a poll loop that fires timers when they come due. It asks the store when the
 * next timer can be claimed (`nextTimerDue`: its due time, or the end of a lease a dead worker left
 * on it), sleeps until then — at most `maxSleepMs`, so timers scheduled meanwhile by other processes
 * are seen soon, and woken at once by `stop()` — then claims and fires in batches through
 * `engine.fireDueTimers`. Several runners may share a database: claims are leased, so a runner that
 * dies mid-batch leaves its timers to the next claim after the lease.
 */
import type { Clock } from '../engine/clock.ts';
import type { Engine } from '../engine/engine.ts';
import type { FiredBatch } from '../engine/timers.ts';
import type { Millis } from '../core/types.ts';
import { sleep } from './sleep.ts';

export interface TimerRunnerOptions {
  /** The engine whose store and decision model fire the timers. */
  readonly engine: Pick<Engine, 'store' | 'clock' | 'fireDueTimers'>;
  /** The clock timers fire by (default: the engine's). */
  readonly clock?: Clock;
  /** Timers per claim and transaction (default 500). */
  readonly batchSize?: number;
  /** How long a claim holds before another runner may take the timers (default: the engine's). */
  readonly leaseMs?: number;
  /** The longest single sleep between polls (default 250 ms). */
  readonly maxSleepMs?: number;
  /** Fire what is due now, then stop (whatever is leased to someone else stays). */
  readonly once?: boolean;
  /** Fire everything due up to this instant, waiting for it, then stop once the clock passes it. */
  readonly until?: Millis;
  /** Hears every committed batch, with the running totals. */
  readonly onBatch?: (batch: FiredBatch, totals: TimerRunTotals) => void;
  /** Hears when the loop goes idle and what it waits for, as one line each. */
  readonly onLog?: (line: string) => void;
}

export interface TimerRunTotals {
  readonly fired: number;
  readonly batches: number;
  /** Reassignments timers asked for that routing refused (recorded, not retried). */
  readonly refused: number;
}

export interface TimerRunSummary extends TimerRunTotals {
  /** Why the loop ended. */
  readonly reason: 'once' | 'until' | 'stopped';
  /** The clock when it ended. */
  readonly at: Millis;
  /** When the next timer can be claimed, as the store said at the end (undefined: none pending). */
  readonly nextDue?: Millis;
}

export interface TimerRunner {
  /** Resolves when the loop ends; rejects if storage fails (the batch in flight is then not written). */
  readonly done: Promise<TimerRunSummary>;
  /** Ends the loop: a sleep is cut short, a batch in flight commits first. Safe to call twice. */
  stop(): void;
}

/** A clock that reads `start` now and runs on with `base` (the system clock): `--now` in the CLI. */
export function shiftedClock(start: Millis, base: Clock): Clock {
  const offset = start - base.now();
  return { now: () => base.now() + offset };
}

const iso = (at: Millis) => new Date(at).toISOString();

/** Starts the loop at once; see `TimerRunner`. Throws nothing itself (failures reject `done`). */
export function startTimerRunner(options: TimerRunnerOptions): TimerRunner {
  const { engine } = options;
  const clock = options.clock ?? engine.clock;
  const maxSleep = Math.max(1, options.maxSleepMs ?? 250);
  const controller = new AbortController();
  const signal = controller.signal;
  let fired = 0;
  let batches = 0;
  let refused = 0;
  const log = (line: string) => options.onLog?.(line);

  const fireOptions = {
    signal,
    ...(options.batchSize === undefined ? {} : { limit: options.batchSize }),
    ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    onBatch: (batch: FiredBatch) => {
      fired += batch.timers.length;
      batches += 1;
      refused += batch.timers.filter((t) => t.refused !== undefined).length;
      options.onBatch?.(batch, { fired, batches, refused });
    },
  };

  const loop = async (): Promise<TimerRunSummary> => {
    const until = options.until;
    const end = async (reason: TimerRunSummary['reason']): Promise<TimerRunSummary> => {
      const nextDue = await engine.store.nextTimerDue();
      return {
        reason,
        at: clock.now(),
        fired,
        batches,
        refused,
        ...(nextDue === undefined ? {} : { nextDue }),
      };
    };
    let waiting: Millis | undefined;
    for (;;) {
      if (signal.aborted) return end('stopped');
      // Every claim of this round at one instant; with `until`, never a timer due after it.
      const now = until === undefined ? clock.now() : Math.min(clock.now(), until);
      const firedNow = await engine.fireDueTimers(now, fireOptions);
      if (options.once === true) return end('once');
      if (until !== undefined && clock.now() >= until) return end('until');
      if (signal.aborted) return end('stopped');
      const next = await engine.store.nextTimerDue();
      // Said once per idle spell (a round that fired nothing), not on every poll of a busy stream.
      if (firedNow === 0 && next !== waiting) {
        waiting = next;
        log(next === undefined ? 'no timer pending; polling' : `next timer due at ${iso(next)}`);
      }
      let wait = next === undefined ? maxSleep : Math.min(maxSleep, next - clock.now());
      if (until !== undefined) wait = Math.min(wait, until - clock.now());
      await sleep(wait, signal);
    }
  };

  const done = loop();
  // The caller may only ever await `done` later; never leave a rejection unobserved meanwhile.
  done.catch(() => undefined);
  return {
    done,
    stop: () => controller.abort(),
  };
}
