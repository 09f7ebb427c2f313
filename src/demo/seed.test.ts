// The demo workspace through the real engine and store, on every dialect: three weeks of generated
// activity ending at a fixed anchor, checked for determinism (same seed and anchor, same event
// stream and summary, on SQLite and PostgreSQL alike), for a funnel that looks like the reference's
// (every stage reached, rates in the benchmark bands), for the sales side reacting to the engine
// (touches by the owner it routed to, SLA breaches and escalations, rejections with reason codes,
// tasks open and done), and for reuse: a second seed changes nothing. The demo as `npm start` seeds
// it (seed 42, 90 days) is checked for a living deal pipeline: open deals over the stages, moves
// with their required fields, skips, pushes with reasons, stale deals, deal-desk approvals decided,
// rejected and escalated, one deliberately refused move, and a win rate in the benchmark band.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { openMigratedStore, runtime } from '../compose.ts';
import { RevopsError } from '../core/errors.ts';
import type { ApprovalRequest, DealState } from '../core/pipeline/types.ts';
import type { OutboxRow, Store } from '../core/ports.ts';
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

  it('opens deals with every required field: the summary pins the young pipeline of three weeks', async () => {
    expect(result.summary.deals).toEqual({ created: 6, won: 0, lost: 0 });
    expect(result.summary.pipeline).toEqual({
      open: { discovery: 4, demo: 2 },
      stale: 0,
      pushed: 1,
      forecastReview: 0,
      skipped: 0,
      refused: 0,
      fieldsMissing: 0,
      approvals: { pending: 0, approved: 0, rejected: 0, escalated: 0 },
    });
    const deals = await store.listDeals();
    expect(deals).toHaveLength(6);
    for (const deal of deals) expect(deal.account, deal.id).toMatch(/\./);
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

  it('stays recognised after its config is activated again with a note (a rollback over the API)', async () => {
    const versions = await (
      store as unknown as { configVersions(): Promise<{ hash: string; text: string }[]> }
    ).configVersions();
    const demo = versions.find((v) => v.text.length > 0);
    if (demo === undefined) throw new Error('no stored config version');
    await store.saveConfigVersion({
      hash: 'other',
      text: 'company: {}',
      at: FROM + 1,
      note: 'try something',
    });
    await store.saveConfigVersion({ hash: demo.hash, text: demo.text, at: FROM + 2, note: 'roll back' });
    expect(await isDemoSeeded(store)).toBe(true);
    expect((await readDemoMarker(store))?.seed).toBe(SEED);
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

describe('the demo pipeline as `npm start` seeds it (seed 42, 90 days)', () => {
  /** Saturday 2026-11-28 00:00 UTC. */
  const anchor = Date.parse('2026-11-28T00:00:00Z');
  let store: Store;
  let result: SeedDemoResult;
  let deals: DealState[];
  let approvals: ApprovalRequest[];
  let outbox: OutboxRow[];
  const ofType = (type: string) => outbox.filter((o) => o.type === type);

  beforeAll(async () => {
    store = await openMigratedStore(':memory:');
    result = await seedDemoWorkspace({ store, config, text, anchor, seed: 42, days: 90 });
    [deals, approvals, outbox] = await Promise.all([
      store.listDeals(),
      store.listApprovals(),
      store.listOutbox(),
    ]);
  }, 120_000);
  afterAll(async () => {
    await store.close();
  });

  it('has open deals over the stages, wins and losses, and a win rate in the benchmark band', () => {
    const { summary } = result;
    expect(summary.deals).toEqual({ created: 48, won: 6, lost: 17 });
    expect(summary.rates.winRate).toBe(0.261);
    expect(summary.pipeline).toEqual({
      open: { discovery: 8, demo: 5, proposal: 3, negotiation: 9 },
      stale: 5,
      pushed: 13,
      forecastReview: 5,
      skipped: 4,
      refused: 1,
      fieldsMissing: 0,
      approvals: { pending: 2, approved: 19, rejected: 2, escalated: 5 },
    });
    const { winRate } = config.metrics.benchmarks;
    expect([winRate.min, winRate.max]).toEqual([0.2, 0.3]);
    expect(summary.rates.winRate).toBeGreaterThanOrEqual(0.2);
    expect(summary.rates.winRate).toBeLessThanOrEqual(0.3);
    expect(deals.filter((d) => d.status === 'open')).toHaveLength(25);
    expect(deals.filter((d) => d.status === 'won')).toHaveLength(6);
    expect(deals.filter((d) => d.status === 'lost')).toHaveLength(17);
  });

  it('moves every deal with what its stage needs: account, loss reason and competitor, signed contract', () => {
    expect(ofType('deal_fields_missing')).toEqual([]);
    for (const deal of deals) {
      expect(deal.account, deal.id).toMatch(/\./);
      expect(deal.contacts.length, deal.id).toBeGreaterThan(0);
      expect(typeof deal.fields['fitScore'], deal.id).toBe('number');
      if (deal.status === 'lost') {
        expect(['price', 'competitor', 'no_decision', 'timing', 'missing_feature']).toContain(
          deal.fields['lossReason'],
        );
        if (deal.fields['lossReason'] === 'competitor')
          expect(['rivalmetrics', 'dashly']).toContain(deal.fields['competitor']);
      }
      if (deal.status === 'won') {
        expect(deal.fields['signedContract'], deal.id).toBe(true);
        expect(['net-30', 'net-45', 'net-60']).toContain(deal.fields['paymentTerms']);
        expect(deal.csOwner, deal.id).toBe('grace');
      }
    }
    expect(deals.some((d) => d.fields['lossReason'] === 'competitor')).toBe(true);
    expect(ofType('cs_handoff')).toHaveLength(6);
  });

  it('refuses one move into negotiation without redlines; the rep fills them the next working day', () => {
    const refused = ofType('deal_change_refused');
    expect(refused).toHaveLength(1);
    const payload = refused[0]?.payload ?? {};
    expect([payload['code'], payload['missing']]).toEqual(['pipeline.required_fields_missing', ['redlines']]);
    const deal = deals.find((d) => d.id === payload['deal']);
    const entered = deal?.history.find((m) => m.to === 'negotiation');
    const at = refused[0]?.at ?? 0;
    expect(entered?.from).toBe('proposal');
    expect((entered?.at ?? 0) - at).toBeGreaterThan(12 * 3_600_000);
    expect((entered?.at ?? 0) - at).toBeLessThan(4 * 86_400_000);
    expect(deal?.fields['redlines']).toEqual(expect.any(String));
  });

  it('flags the skips: straight to the demo, or from the demo to negotiation', () => {
    const skipped = deals.filter((d) => d.flags.skipped.length > 0);
    expect(skipped.map((d) => d.flags.skipped)).toEqual([
      ['discovery'],
      ['proposal'],
      ['discovery'],
      ['discovery'],
    ]);
    expect(ofType('deal_stage_skipped')).toHaveLength(4);
  });

  it('pushes close dates with reasons; the second push puts the deal in forecast review', () => {
    const pushed = deals.filter((d) => d.pushes.length > 0);
    expect(pushed.map((d) => d.pushes.length).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    for (const deal of pushed) {
      expect(deal.flags.forecastReview, deal.id).toBe(deal.pushes.length >= 2);
      for (const push of deal.pushes) {
        expect(push.slipDays, deal.id).toBeGreaterThan(0);
        expect(push.reason, deal.id).not.toBe('(no reason given)');
        expect(push.to > push.from, deal.id).toBe(true);
      }
    }
    // The owner and the owner's manager hear about each deal in forecast review.
    expect(ofType('forecast_review')).toHaveLength(10);
  });

  it('lets deals go stale past their stage limit, and the stale timers fire', () => {
    const stale = deals.filter((d) => d.status === 'open' && d.flags.stale?.stage === d.stage);
    expect(stale.map((d) => d.stage).sort()).toEqual([
      'discovery',
      'discovery',
      'discovery',
      'negotiation',
      'proposal',
    ]);
    for (const deal of stale) {
      const flag = deal.flags.stale;
      expect(anchor - deal.stageEnteredAt, deal.id).toBeGreaterThanOrEqual(flag?.limitMs ?? Infinity);
      expect(flag?.since, deal.id).toBe(deal.stageEnteredAt + (flag?.limitMs ?? 0));
    }
    expect(ofType('deal_stale')).toHaveLength(23);
    expect(ofType('deal_stale_manager')).toHaveLength(9);
  });

  it('has the deal desk decide requests: most approved, some rejected with a comment, late ones escalated', () => {
    expect(approvals).toHaveLength(23);
    const rejected = approvals.filter((a) => a.status === 'rejected');
    expect(rejected).toHaveLength(2);
    for (const request of rejected) {
      const votes = request.steps.flatMap((s) => s.votes).filter((v) => v.decision === 'reject');
      expect(votes).toHaveLength(1);
      expect(votes[0]?.comment, request.id).toMatch(/\w/);
    }
    // The rep went back to standard terms after each rejection.
    for (const request of rejected) {
      const deal = deals.find((d) => d.id === request.dealId);
      expect([deal?.fields['termMonths'], Number(deal?.fields['discountPercent']) < 10]).toEqual([12, true]);
    }
    const escalated = approvals.filter((a) => a.escalations.length > 0);
    expect(escalated).toHaveLength(5);
    expect(ofType('approval_escalated')).toHaveLength(
      escalated.reduce((n, a) => n + Math.min(a.escalations.length, 3), 0),
    );
    const pending = approvals.filter((a) => a.status === 'pending');
    expect(pending).toHaveLength(2);
    for (const request of pending) expect(deals.find((d) => d.id === request.dealId)?.stage).toBe('proposal');
    // Multi-year terms go to finance and legal; discounts to the manager or the VP of sales.
    const approvers = new Set(approvals.flatMap((a) => a.steps.flatMap((s) => s.approvers)));
    for (const approver of ['role:finance', 'role:legal', 'role:vp_sales', 'rep:dan'])
      expect(approvers).toContain(approver);
    expect(
      approvals.filter((a) => a.steps.some((s) => s.tier === 'multi-year')).length,
    ).toBeGreaterThanOrEqual(3);
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
