// The demo workspace through the real engine and store, on every dialect: three weeks of generated
// activity ending at a fixed anchor, checked for determinism (same seed and anchor, same event
// stream and summary, on SQLite and PostgreSQL alike), for a funnel that looks like the reference's
// (every stage reached, rates in the benchmark bands), for the sales side reacting to the engine
// (touches by the owner it routed to, SLA breaches and escalations, rejections with reason codes,
// tasks open and done), and for reuse: a second seed changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { openMigratedStore, runtime } from '../compose.ts';
import { RevopsError } from '../core/errors.ts';
import type { Store } from '../core/ports.ts';
import { SimulatedClock } from '../engine/clock.ts';
import { demoConfig } from './config.ts';
import { isDemoSeeded, readDemoMarker, writeDemoMarker } from './marker.ts';
import { seedDemoWorkspace, startOfUtcDay, type DemoProgress, type SeedDemoResult } from './seed.ts';

/** Tuesday 2026-11-24 00:00 UTC: the history ends here. */
const ANCHOR = Date.parse('2026-11-24T00:00:00Z');
const DAYS = 21;
const SEED = 7;
const FROM = ANCHOR - DAYS * 86_400_000;
const { config, text } = demoConfig();
const seedOptions = { config, text, anchor: ANCHOR, seed: SEED, days: DAYS };

/** The workspace as the SQLite suite seeded it (the PostgreSQL suite must match it exactly). */
let sqliteRun: Promise<SeedDemoResult> | undefined;
function seedOn(store: Store, onProgress?: (p: DemoProgress) => void): Promise<SeedDemoResult> {
  return seedDemoWorkspace(
    Object.assign({ store }, seedOptions, onProgress === undefined ? {} : { onProgress }),
  );
}

describe('determinism', () => {
  it('two runs with the same seed and anchor send the same event stream and give the same summary', async () => {
    const run = async (seed: number) => {
      const store = await openMigratedStore(':memory:');
      try {
        return await seedDemoWorkspace({ store, config, text, anchor: ANCHOR, seed, days: 5 });
      } finally {
        await store.close();
      }
    };
    const [a, b, other] = [await run(3), await run(3), await run(4)];
    expect(a.summary.eventsHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.summary).toEqual(a.summary);
    expect(other.summary.eventsHash).not.toBe(a.summary.eventsHash);
    expect(other.summary.contacts).not.toBe(0);
  }, 60_000);
});

describe.each(DIALECTS)('demo workspace on $name', (dialect) => {
  let store: Store;
  let result: SeedDemoResult;
  const progress: DemoProgress[] = [];

  beforeAll(async () => {
    store = await dialect.open();
    const seeded = seedOn(store, (p) => progress.push(p));
    if (dialect.name === 'sqlite') sqliteRun = seeded;
    result = await seeded;
  }, 120_000);
  afterAll(async () => {
    await store.close();
  });

  it('gives the same workspace on every database: the same event stream and summary', async () => {
    expect(result.reused).toBe(false);
    expect(result.summary.eventsHash).toMatch(/^[0-9a-f]{64}$/);
    // The SQLite suite runs first; when only this suite runs, seed SQLite here to compare.
    sqliteRun ??= (async () => {
      const sqlite = await openMigratedStore(':memory:');
      return seedOn(sqlite).finally(() => sqlite.close());
    })();
    expect(result.summary).toEqual((await sqliteRun).summary);
  }, 120_000);

  it('keeps the whole history in [anchor - days, anchor), every event accepted, progress once a day', async () => {
    const events = await store.listEvents();
    expect(events).toHaveLength(result.summary.events);
    expect(new Set(events.map((e) => e.event.id)).size).toBe(events.length);
    expect(events.every((e) => e.event.at >= FROM && e.event.at < ANCHOR)).toBe(true);
    expect(result.summary.from).toBe('2026-11-03T00:00:00.000Z');
    expect(result.summary.anchor).toBe('2026-11-24T00:00:00.000Z');
    expect(Object.values(result.summary.eventTypes).reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(progress.map((p) => p.day)).toEqual(Array.from({ length: DAYS }, (_, i) => i + 1));
    expect(progress.at(-1)).toEqual({ day: DAYS, days: DAYS, events: result.summary.events });
  });

  it('has contacts in every stage from subscriber to opportunity, and recycled and disqualified ones', () => {
    const { reached, stages } = result.summary;
    for (const stage of ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'recycled', 'disqualified'])
      expect(reached[stage], stage).toBeGreaterThan(0);
    expect(Object.values(stages).reduce((a, b) => a + b, 0)).toBe(result.summary.contacts);
    expect(result.summary.contacts).toBeGreaterThan(300);
    expect(result.summary.contacts).toBeLessThan(600);
  });

  it('lands the funnel rates inside the benchmark bands of the reference', () => {
    const { leadToMql, mqlToSql } = config.metrics.benchmarks;
    expect([leadToMql.min, leadToMql.max, mqlToSql.min, mqlToSql.max]).toEqual([0.05, 0.15, 0.3, 0.5]);
    expect(result.summary.rates.leadToMql).toBeGreaterThanOrEqual(0.05);
    expect(result.summary.rates.leadToMql).toBeLessThanOrEqual(0.15);
    expect(result.summary.rates.mqlToSql).toBeGreaterThanOrEqual(0.3);
    expect(result.summary.rates.mqlToSql).toBeLessThanOrEqual(0.5);
  });

  it('rejects with the reference reason codes: archive codes disqualify, the others recycle', async () => {
    const history = await store.stageHistory();
    const codeOf = (reason: string) => /sales_decision reject ([A-Z]+-\d{2})/.exec(reason)?.[1];
    const disqualified = history.filter((h) => h.to === 'disqualified').map((h) => codeOf(h.reason));
    const recycled = history.filter((h) => h.to === 'recycled').map((h) => codeOf(h.reason));
    expect(disqualified.length).toBeGreaterThan(0);
    expect(new Set(disqualified).size).toBeGreaterThan(0);
    for (const code of disqualified) expect(['FIT-02', 'QUAL-03']).toContain(code);
    expect(recycled.length).toBeGreaterThan(0);
    for (const code of recycled)
      expect(['FIT-01', 'FIT-03', 'ENG-01', 'ENG-02', 'QUAL-01', 'QUAL-02']).toContain(code);
    const total = Object.values(result.summary.rejections).reduce((a, b) => a + b, 0);
    expect(total).toBe(disqualified.length + recycled.length);
  });

  it('routes MQLs to several reps, and each rep touch comes from the owner the engine assigned', async () => {
    const reps = Object.keys(result.summary.assignments.byRep);
    expect(reps.length).toBeGreaterThanOrEqual(3);
    const assignments = await store.listAssignments();
    const touches = await store.touches();
    expect(touches.length).toBeGreaterThan(20);
    // The owner at each touch: the latest assignment row of the lead at or before it.
    let checked = 0;
    for (const touch of touches) {
      const rows = assignments.filter((a) => a.contactKey === touch.contactKey && a.at <= touch.at);
      const last = rows.at(-1);
      if (last?.kind !== 'assigned') continue;
      expect(touch.rep, `${touch.contactKey} at ${new Date(touch.at).toISOString()}`).toBe(last.owner);
      checked++;
    }
    expect(checked).toBeGreaterThan(touches.length * 0.8);
  });

  it('breaches SLA clocks and climbs the escalation ladder, with clocks still open at the anchor', async () => {
    const clocks = await store.listClocks();
    const breached = clocks.filter((c) => c.status === 'breached');
    expect(breached.length).toBe(result.summary.sla.breached);
    expect(breached.length).toBeGreaterThan(0);
    const actions = new Set(clocks.flatMap((c) => c.steps.map((s) => s.action)));
    for (const action of ['notify_rep', 'notify_backup', 'notify_manager', 'reassign'])
      expect(actions).toContain(action);
    expect(result.summary.assignments.reassigned).toBeGreaterThan(0);
    // The SLA board "now": clocks still running at the anchor, some of them already late.
    const running = clocks.filter(
      (c) => c.stoppedAt === undefined && (c.status === 'open' || c.status === 'breached'),
    );
    expect(running.some((c) => c.status === 'open' && c.dueAt > ANCHOR - 86_400_000)).toBe(true);
    expect(running.some((c) => c.status === 'breached')).toBe(true);
    // Most MQLs get their first touch within the 5-minute speed-to-lead target.
    const speed = clocks.filter((c) => c.clockId === 'speed-to-lead' && !c.cause.startsWith('timer:'));
    expect(speed.filter((c) => c.status === 'met').length / speed.length).toBeGreaterThan(0.5);
  });

  it('leaves follow-up tasks open and done', async () => {
    const tasks = await store.listTasks();
    expect(tasks.filter((t) => t.status === 'open').length).toBe(result.summary.tasks.open);
    expect(result.summary.tasks.open).toBeGreaterThan(0);
    expect(result.summary.tasks.done).toBeGreaterThan(result.summary.tasks.open);
  });

  it('is marked seeded; a second seed is a no-op that returns the stored summary', async () => {
    expect(await isDemoSeeded(store)).toBe(true);
    const marker = await readDemoMarker(store);
    expect([marker?.status, marker?.seed, marker?.anchor, marker?.days]).toEqual([
      'complete',
      SEED,
      '2026-11-24T00:00:00.000Z',
      DAYS,
    ]);
    const before = await store.counts();
    const again = await seedDemoWorkspace(Object.assign({ store }, seedOptions, { seed: 99, days: 3 }));
    expect(again.reused).toBe(true);
    expect(again.summary).toEqual(result.summary);
    expect(await store.counts()).toEqual(before);
  });
});

describe.each(DIALECTS)('demo seeding refuses other databases on $name', (dialect) => {
  it('an empty store is not seeded; a store with other events is refused with nothing written', async () => {
    const store = await dialect.open();
    try {
      expect(await isDemoSeeded(store)).toBe(false);
      const clock = new SimulatedClock(ANCHOR - 86_400_000);
      const { engine } = runtime(store, config, clock);
      await engine.ingest([
        { id: 'mine-1', type: 'identify', at: '2026-11-23T10:00:00Z', contact: { email: 'kim@example.org' } },
      ]);
      const before = await store.counts();
      const error = await seedDemoWorkspace(Object.assign({ store }, seedOptions)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RevopsError);
      expect((error as RevopsError).code).toBe('demo.database_not_empty');
      expect((error as RevopsError).message).toMatch(
        /already holds 1 events: the demo seeds only an empty database$/,
      );
      expect((error as RevopsError).hint).toBe(
        'point the demo at a new database with --db (or DATABASE_URL), or serve this one with `revops serve`',
      );
      expect(await store.counts()).toEqual(before);
      expect(await readDemoMarker(store)).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

describe.each(DIALECTS)('demo seeding that stopped half way on $name', (dialect) => {
  it('is recognised and refused, not seeded on top of', async () => {
    const store = await dialect.open();
    try {
      await writeDemoMarker(store, text, FROM, {
        status: 'seeding',
        seed: SEED,
        anchor: '2026-11-24T00:00:00.000Z',
        days: DAYS,
      });
      expect(await isDemoSeeded(store)).toBe(false);
      const error = await seedDemoWorkspace(Object.assign({ store }, seedOptions)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RevopsError);
      expect((error as RevopsError).code).toBe('demo.database_not_empty');
      expect((error as RevopsError).message).toMatch(
        /holds a demo workspace whose seeding stopped half way \(seed 7, anchor 2026-11-24T00:00:00.000Z\)$/,
      );
      expect((error as RevopsError).hint).toBe(
        'delete that database (or run `revops demo --force` on it) and start again',
      );
      expect((await store.counts()).events).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('startOfUtcDay', () => {
  it('is the default anchor: the UTC midnight at or before an instant', () => {
    expect(new Date(startOfUtcDay(Date.parse('2026-11-27T21:10:26.123Z'))).toISOString()).toBe(
      '2026-11-27T00:00:00.000Z',
    );
    expect(startOfUtcDay(ANCHOR)).toBe(ANCHOR);
  });
});
