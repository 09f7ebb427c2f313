// The timer runner's loop on every dialect: --once fires what is due and says what comes next; a
// lease left by a dead worker is picked up once it ends; with a running clock timers fire as they
// come due (never early) and the loop stops at `until`; `stop()` cuts a long sleep short.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { runtime } from '../compose.ts';
import { loadConfigFile } from '../config/loader.ts';
import { templatePath } from '../config/templates/index.ts';
import type { TimerEffect } from '../core/effects.ts';
import type { Store } from '../core/ports.ts';
import { SimulatedClock, systemClock, type Clock } from '../engine/clock.ts';
import type { FiredBatch } from '../engine/timers.ts';
import { shiftedClock, startTimerRunner } from './timerRunner.ts';

const T = Date.parse('2026-12-01T09:00:00Z');
const config = loadConfigFile(templatePath('mid-market'));

function reminder(key: string, dueAt: number): TimerEffect {
  return {
    kind: 'timer',
    key,
    dueAt,
    payload: { kind: 'task_due', task: key, title: key, assignee: 'rep:leo' },
  };
}

describe.each(DIALECTS)('timer runner on $name', (dialect) => {
  async function withEngine(
    clock: Clock,
    work: (store: Store, e: ReturnType<typeof runtime>['engine']) => Promise<void>,
  ) {
    const store = await dialect.open();
    try {
      await work(store, runtime(store, config, clock).engine);
    } finally {
      await store.close();
    }
  }

  it('--once fires what is due now and reports the next due time', async () => {
    const clock = new SimulatedClock(T);
    await withEngine(clock, async (store, engine) => {
      await store.transaction((tx) =>
        tx.upsertTimers([reminder('a', T - 60_000), reminder('b', T), reminder('c', T + 1)]),
      );
      const batches: FiredBatch[] = [];
      const summary = await startTimerRunner({ engine, once: true, onBatch: (b) => batches.push(b) }).done;
      expect(summary).toEqual({ reason: 'once', at: T, fired: 2, batches: 1, refused: 0, nextDue: T + 1 });
      expect(batches.map((b) => [b.now, b.timers.map((t) => [t.key, t.at])])).toEqual([
        [
          T,
          [
            ['a', T],
            ['b', T],
          ],
        ],
      ]);
      expect((await store.listTimers()).map((t) => t.key)).toEqual(['c']);
    });
  });

  it('picks up timers a dead worker leased once the lease ends, in batches', async () => {
    const clock = new SimulatedClock(T);
    await withEngine(clock, async (store, engine) => {
      await store.transaction((tx) =>
        tx.upsertTimers(Array.from({ length: 7 }, (_, i) => reminder(`t${i}`, T - i))),
      );
      expect(await store.claimDueTimers(T, 7, 30_000, 'dead-worker')).toHaveLength(7);
      const first = await startTimerRunner({ engine, once: true, batchSize: 3 }).done;
      expect([first.fired, first.nextDue]).toEqual([0, T + 30_000]);
      clock.advanceTo(T + 30_000);
      const sizes: number[] = [];
      const second = await startTimerRunner({
        engine,
        once: true,
        batchSize: 3,
        onBatch: (b, totals) => sizes.push(b.timers.length, totals.fired),
      }).done;
      expect([second.fired, second.batches, second.nextDue]).toEqual([7, 3, undefined]);
      expect(sizes).toEqual([3, 3, 3, 6, 1, 7]);
      expect(await store.listTimers()).toEqual([]);
    });
  });

  it('with a running clock fires each timer when it comes due, never early, and stops at `until`', async () => {
    const start = T;
    const clock = shiftedClock(start, systemClock);
    // The clock runs from here: opening the store and writing the timers must end before the first
    // is due, for the runner's first line to name it. PostgreSQL on a loaded CI machine took more
    // than 300 ms for that; 1.5 s leaves room.
    const soon = start + 1500;
    await withEngine(clock, async (store, engine) => {
      await store.transaction((tx) =>
        tx.upsertTimers([
          reminder('soon', soon),
          reminder('later', soon + 400),
          reminder('after', soon + 5000),
        ]),
      );
      const fired: { key: string; dueAt: number; committed: number }[] = [];
      const logs: string[] = [];
      const summary = await startTimerRunner({
        engine,
        until: soon + 700,
        onBatch: (b) =>
          fired.push(...b.timers.map((t) => ({ key: t.key, dueAt: t.dueAt, committed: clock.now() }))),
        onLog: (line) => logs.push(line),
      }).done;
      expect(summary.reason).toBe('until');
      expect(summary.at).toBeGreaterThanOrEqual(soon + 700);
      expect([summary.fired, summary.nextDue]).toEqual([2, soon + 5000]);
      expect(fired.map((f) => f.key)).toEqual(['soon', 'later']);
      for (const f of fired) {
        expect(f.committed).toBeGreaterThanOrEqual(f.dueAt);
        // Sleeps are capped at 250 ms and cut to the due time: a generous bound on a loaded machine.
        expect(f.committed - f.dueAt).toBeLessThan(1000);
      }
      expect(logs[0]).toBe(`next timer due at ${new Date(soon).toISOString()}`);
      expect((await store.listTimers()).map((t) => t.key)).toEqual(['after']);
    });
  });

  it('stop() ends a long sleep at once', async () => {
    await withEngine(new SimulatedClock(T), async (store, engine) => {
      await store.transaction((tx) => tx.upsertTimers([reminder('next-week', T + 7 * 86_400_000)]));
      const runner = startTimerRunner({ engine, maxSleepMs: 60_000 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const asked = performance.now();
      runner.stop();
      runner.stop();
      const summary = await runner.done;
      expect(performance.now() - asked).toBeLessThan(1000);
      expect(summary).toEqual({
        reason: 'stopped',
        at: T,
        fired: 0,
        batches: 0,
        refused: 0,
        nextDue: T + 7 * 86_400_000,
      });
    });
  });

  it('a storage failure rejects `done`', async () => {
    const store = await dialect.open();
    const { engine } = runtime(store, config, new SimulatedClock(T));
    await store.close();
    await expect(startTimerRunner({ engine, once: true }).done).rejects.toThrow();
  });
});
