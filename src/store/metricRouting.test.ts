// Routing counted in SQL (metricRouting.ts) on every dialect: the report built from the store's
// counts is exactly the report the row-based computation gives on the same assignment log
// (routingMetrics over every row the store holds), for a hand-built log whose figures are known
// and for random logs, ranges and filters.
import { fc, test as fcTest } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import {
  assignment,
  DAY_MS,
  HOUR_MS,
  lead,
  MINUTE_MS,
  model as metricsModel,
  MON,
  MON_0900,
} from '../core/metrics/__fixtures__/builders.ts';
import { factsFingerprint, leadFactsOf } from '../core/metrics/facts.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from '../core/metrics/model.ts';
import { routingFromCounts, routingMetrics } from '../core/metrics/routing.ts';
import type { AssignmentRow, DeriveFacts, Store } from '../core/ports.ts';
import type { ContactState } from '../core/types.ts';

const H = HOUR_MS;
const T = MON_0900;
const TO = MON + 28 * DAY_MS;
const JAN = { from: MON, to: TO };
const NOW = MON + 30 * DAY_MS;

/**
 * Reps on two teams (ana: east and west), an inactive member (ed) and an owner who is no rep (zed);
 * `north` is a team the config does not know.
 */
const MODEL = metricsModel({
  reps: [
    { id: 'ana', weight: 1, active: true, teams: ['east', 'west'] },
    { id: 'bo', weight: 1, active: true, teams: ['east'] },
    { id: 'cy', weight: 2, active: true, teams: ['west'] },
    { id: 'di', weight: 1, active: true, teams: ['west'] },
    { id: 'ed', weight: 3, active: false, teams: ['east'] },
  ],
  teams: { east: ['ana', 'bo', 'ed'], west: ['cy', 'di', 'ana'] },
});

/** Contacts with the given sources (undefined: none, so `unknown`). */
function contacts(sources: Readonly<Record<string, string | undefined>>): ContactState[] {
  return Object.entries(sources).map(
    ([key, source]) =>
      lead(Object.assign({ key, at: MON - DAY_MS }, source === undefined ? {} : { source })).contact,
  );
}

const CONTACTS = contacts({
  a: 'web',
  b: 'ads',
  c: undefined,
  d: 'web',
  q: 'web',
  q2: 'ads',
  q3: undefined,
  q4: 'web',
});

/** The hand-built log, numbered in the order it is written (the ids follow it); `ghost` has no contact. */
const LOG: readonly AssignmentRow[] = [
  /* 1 */ assignment({ contactKey: 'a', at: MON - 1, owner: 'bo', team: 'east', rule: 'rr-east' }),
  /* 2 */ assignment({ contactKey: 'a', at: MON, owner: 'ana', team: 'east', rule: 'rr-east' }),
  /* 3 */ assignment({ contactKey: 'b', at: TO, owner: 'cy', team: 'west', rule: 'rr-west' }),
  /* 4 */ assignment({ contactKey: 'b', at: TO - 1, owner: 'cy', team: 'west', rule: 'rr-west' }),
  /* 5 */ assignment({ contactKey: 'c', at: T, owner: 'di', team: 'west', rule: 'rr-west' }),
  /* 6 */ assignment({ contactKey: 'c', at: T + H, kind: 'kept', owner: 'di', rule: 'existing-owner' }),
  /* 7 */ assignment({ contactKey: 'd', at: T, kind: 'review', rule: 'review' }),
  /* 8 */ assignment({ contactKey: 'd', at: T + H, team: 'east', rule: 'rr-east' }),
  /* 9 */ assignment({ contactKey: 'b', at: T, owner: 'ana', team: 'west', rule: 'rr-west' }),
  /* 10 */ assignment({ contactKey: 'ghost', at: T + 2 * H, owner: 'zed', team: 'east', rule: 'manual' }),
  /* 11 */ assignment({ contactKey: 'd', at: T + 2 * H, owner: 'ed', team: 'east', rule: 'manual' }),
  /* 12 */ assignment({ contactKey: 'q', at: T + 3 * H, owner: 'bo', team: 'east', rule: 'pickup' }),
  /* 13 */ assignment({
    contactKey: 'q',
    at: T + 3 * H,
    kind: 'queued',
    queue: 'inbound',
    team: 'east',
    rule: 'fallback',
  }),
  /* 14 */ assignment({ contactKey: 'q', at: T + 4 * H, kind: 'kept', owner: 'bo', rule: 'existing-owner' }),
  /* 15 */ assignment({ contactKey: 'q', at: T + 5 * H, owner: 'bo', team: 'east', rule: 'pickup' }),
  /* 16 */ assignment({ contactKey: 'q', at: T + 6 * H, kind: 'queued', queue: 'inbound', rule: 'fallback' }),
  /* 17 */ assignment({
    contactKey: 'q2',
    at: T + 7 * H,
    kind: 'queued',
    queue: 'inbound',
    rule: 'fallback',
  }),
  /* 18 */ assignment({ contactKey: 'q2', at: T + 7 * H, owner: 'cy', team: 'west', rule: 'pickup' }),
  /* 19 */ assignment({
    contactKey: 'q3',
    at: TO - 10 * MINUTE_MS,
    kind: 'queued',
    queue: 'overflow',
    rule: 'fallback',
  }),
  /* 20 */ assignment({ contactKey: 'q3', at: TO + H, owner: 'di', team: 'west', rule: 'pickup' }),
  /* 21 */ assignment({ contactKey: 'q4', at: T + 8 * H, kind: 'queued', rule: 'fallback' }),
  /* 22 */ assignment({ contactKey: 'q4', at: T + 9 * H, kind: 'queued', rule: 'fallback' }),
  /* 23 */ assignment({ contactKey: 'q4', at: T + 10 * H, owner: 'ana', team: 'east', rule: 'pickup' }),
  /* 24 */ assignment({ contactKey: 'q4', at: MON - H, kind: 'queued', queue: 'inbound', rule: 'fallback' }),
];

async function rebuild(store: Store, model: MetricsModel): Promise<void> {
  await store.refreshMetricFacts({
    fingerprint: factsFingerprint(model, 'UTC'),
    derive: ((c, h, t, k) => leadFactsOf(c, h, t, k, model)) satisfies DeriveFacts,
    now: NOW,
  });
}

/** Writes the contacts and the log (one row at a time: ids in the log's order) and builds the facts. */
async function load(
  store: Store,
  people: readonly ContactState[],
  log: readonly AssignmentRow[],
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.upsertContacts(people);
    for (const row of log) await tx.appendAssignments([row]);
  });
  await rebuild(store, MODEL);
}

/** Everything the row path reads, as the store holds it. */
async function everything(store: Store): Promise<MetricsInput> {
  const [people, assignments] = await Promise.all([store.listContacts(), store.listAssignments()]);
  return { contacts: people, history: [], touches: [], assignments, clocks: [], deals: [] };
}

/** The report from the store's counts. */
async function fromStore(store: Store, query: MetricsQuery, now = NOW) {
  const counts = await store.metricRoutingCounts(
    Object.assign(
      { from: query.from, to: query.to },
      query.team === undefined ? {} : { team: { id: query.team, members: MODEL.teams[query.team] ?? [] } },
      query.source === undefined ? {} : { source: query.source },
    ),
  );
  return routingFromCounts(counts, MODEL, now);
}

describe.each(DIALECTS)('routing counted in SQL on $name', (dialect) => {
  describe('over a hand-built log', () => {
    let store: Store;
    let rows: MetricsInput;
    beforeAll(async () => {
      store = await dialect.open();
      await load(store, CONTACTS, LOG);
      rows = await everything(store);
    });
    afterAll(() => store.close());

    async function same(query: MetricsQuery) {
      const r = await fromStore(store, query);
      expect(r).toEqual(routingMetrics(rows, MODEL, query, NOW));
      return r;
    }

    it('gives the figures counted by hand', async () => {
      const r = await same(JAN);
      // 2 (at == from) to 23; not 1 (before), 3 (at == to), 20 (after to), 24 (before).
      expect(r.decisions).toEqual({ total: 20, assigned: 11, kept: 2, queued: 6, review: 1 });
      // 11 assignments, one (8) without an owner.
      expect(r.byRep).toEqual([
        { rep: 'ana', assigned: 3, kept: 0, share: 0.2727 },
        { rep: 'bo', assigned: 2, kept: 1, share: 0.1818 },
        { rep: 'cy', assigned: 2, kept: 0, share: 0.1818 },
        { rep: 'di', assigned: 1, kept: 1, share: 0.0909 },
        { rep: 'ed', assigned: 1, kept: 0, share: 0.0909 },
        { rep: 'zed', assigned: 1, kept: 0, share: 0.0909 },
      ]);
      expect(r.byRule).toEqual([
        { rule: 'fallback', total: 6, assigned: 0, kept: 0, queued: 6, review: 0 },
        { rule: 'pickup', total: 4, assigned: 4, kept: 0, queued: 0, review: 0 },
        { rule: 'rr-west', total: 3, assigned: 3, kept: 0, queued: 0, review: 0 },
        { rule: 'existing-owner', total: 2, assigned: 0, kept: 2, queued: 0, review: 0 },
        { rule: 'manual', total: 2, assigned: 2, kept: 0, queued: 0, review: 0 },
        { rule: 'rr-east', total: 2, assigned: 2, kept: 0, queued: 0, review: 0 },
        { rule: 'review', total: 1, assigned: 0, kept: 0, queued: 0, review: 1 },
      ]);
      expect(r.fairness).toEqual([
        {
          team: 'east',
          assigned: 6,
          maxDeviation: 0.1667,
          reps: [
            { rep: 'ana', weight: 1, assigned: 2, share: 0.3333, target: 0.5, deviation: -0.1667 },
            { rep: 'bo', weight: 1, assigned: 2, share: 0.3333, target: 0.5, deviation: -0.1667 },
            // Not active members: zed's first assignment (10) came before ed's (11), at the same instant.
            { rep: 'zed', weight: 0, assigned: 1, share: 0.1667, target: 0, deviation: 0.1667 },
            { rep: 'ed', weight: 3, assigned: 1, share: 0.1667, target: 0, deviation: 0.1667 },
          ],
        },
        {
          team: 'west',
          assigned: 4,
          maxDeviation: 0,
          reps: [
            { rep: 'cy', weight: 2, assigned: 2, share: 0.5, target: 0.5, deviation: 0 },
            { rep: 'di', weight: 1, assigned: 1, share: 0.25, target: 0.25, deviation: 0 },
            { rep: 'ana', weight: 1, assigned: 1, share: 0.25, target: 0.25, deviation: 0 },
          ],
        },
      ]);
      expect(r.queues).toEqual([
        // 21 and 22 both picked up by 23.
        {
          queue: '(none)',
          count: 2,
          averageMs: 1.5 * H,
          medianMs: 1.5 * H,
          p90Ms: 2 * H,
          queued: 2,
          pickedUp: 2,
          waiting: 0,
          oldestWaitingMs: null,
        },
        // 13 by 15 (not by 12, at the same instant but written before it, nor by the kept 14); 16
        // never; 17 by 18, at the same instant and written after it.
        {
          queue: 'inbound',
          count: 2,
          averageMs: H,
          medianMs: H,
          p90Ms: 2 * H,
          queued: 3,
          pickedUp: 2,
          waiting: 1,
          oldestWaitingMs: NOW - (T + 6 * H),
        },
        // 19 by 20, after `to`.
        {
          queue: 'overflow',
          count: 1,
          averageMs: 70 * MINUTE_MS,
          medianMs: 70 * MINUTE_MS,
          p90Ms: 70 * MINUTE_MS,
          queued: 1,
          pickedUp: 1,
          waiting: 0,
          oldestWaitingMs: null,
        },
      ]);
    });

    it('counts at == from and leaves out at == to', async () => {
      expect((await same({ from: MON - 1, to: MON })).decisions.total).toBe(1); // 1
      expect((await same({ from: TO - 1, to: TO })).decisions.total).toBe(1); // 4
      expect((await same({ from: TO, to: TO + 1 })).decisions.total).toBe(1); // 3
      expect((await same({ from: MON - H, to: MON - H + 1 })).queues.map((q) => q.medianMs)).toEqual([
        T + 10 * H - (MON - H), // 24, picked up by 23
      ]);
    });

    it('filters by team: the decision’s team or its owner’s membership', async () => {
      const east = await same(Object.assign({ team: 'east' }, JAN));
      // 2, 8 (a team, no owner), 9 (ana, for west), 10–13, 14 (bo, kept, no team), 15, 23.
      expect(east.decisions).toEqual({ total: 10, assigned: 8, kept: 1, queued: 1, review: 0 });
      expect(east.fairness.map((f) => [f.team, f.assigned])).toEqual([
        ['east', 6],
        ['west', 1],
      ]);
      const west = await same(Object.assign({ team: 'west' }, JAN));
      // 2 (ana), 4, 5, 6 (di, kept), 9, 18, 23 (ana).
      expect(west.decisions).toEqual({ total: 7, assigned: 6, kept: 1, queued: 0, review: 0 });
    });

    it('filters by the lead’s source, leads without a contact left out', async () => {
      // a: 2; d: 7, 8, 11; q: 12–16; q4: 21–23.
      expect((await same(Object.assign({ source: 'web' }, JAN))).decisions.total).toBe(12);
      // b: 4, 9; q2: 17, 18.
      expect((await same(Object.assign({ source: 'ads' }, JAN))).decisions.total).toBe(4);
      // c: 5, 6; q3: 19 (not ghost's 10, which has no contact at all).
      expect((await same(Object.assign({ source: 'unknown' }, JAN))).decisions.total).toBe(3);
      expect((await same(Object.assign({ source: 'nobody' }, JAN))).decisions.total).toBe(0);
      const both = await same(Object.assign({ source: 'web', team: 'east' }, JAN));
      // 2, 8, 11, 12, 13, 14, 15, 23.
      expect(both.decisions).toEqual({ total: 8, assigned: 6, kept: 1, queued: 1, review: 0 });
    });

    it('follows a lead’s source as the refreshed facts tell it', async () => {
      await store.transaction((tx) => tx.upsertContacts(contacts({ c: 'ads' })));
      await rebuild(store, MODEL);
      try {
        const now = await everything(store);
        const ads = Object.assign({ source: 'ads' }, JAN);
        expect(await fromStore(store, ads)).toEqual(routingMetrics(now, MODEL, ads, NOW));
        expect((await fromStore(store, ads)).decisions.total).toBe(6);
      } finally {
        await store.transaction((tx) => tx.upsertContacts(contacts({ c: undefined })));
        await rebuild(store, MODEL);
      }
    });
  });

  describe('over random logs', () => {
    let store: Store;
    let run = 0;
    beforeAll(async () => {
      store = await dialect.open();
    });
    afterAll(() => store.close());

    const LEADS = ['a', 'b', 'c', 'ghost'] as const;
    const option = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
    const decision = fc.record({
      lead: fc.constantFrom(...LEADS),
      hour: fc.integer({ min: 0, max: 6 }),
      kind: fc.constantFrom('assigned', 'assigned', 'kept', 'queued', 'queued', 'review'),
      owner: option(fc.constantFrom('ana', 'bo', 'cy', 'di', 'ed', 'zed')),
      team: option(fc.constantFrom('east', 'west', 'north')),
      rule: fc.constantFrom('rr', 'pickup', 'fallback'),
      queue: option(fc.constantFrom('inbound', 'overflow')),
    });

    fcTest.prop(
      [
        fc.array(decision, { maxLength: 40, size: 'max' }),
        fc.tuple(option(fc.constantFrom('web', 'ads')), option(fc.constantFrom('web', 'ads'))),
        fc.integer({ min: -1, max: 7 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(-1, 0, 1),
        fc.constantFrom(undefined, 'web', 'ads', 'unknown'),
        fc.constantFrom(undefined, 'east', 'west', 'north'),
      ],
      { numRuns: 50 },
    )(
      'equal the rows for any log, range and filter',
      async (log, [sourceA, sourceB], fromHour, hours, nudge, source, team) => {
        // Each run writes its own leads, days apart from every other run's.
        run += 1;
        const base = MON + run * 30 * DAY_MS;
        const key = (name: string) => `r${run}:${name}`;
        const people = contacts({ [key('a')]: sourceA, [key('b')]: sourceB, [key('c')]: undefined });
        const rows = log.map((d) =>
          assignment(
            Object.assign(
              { contactKey: key(d.lead), at: base + d.hour * H, kind: d.kind, rule: d.rule },
              d.owner === undefined ? {} : { owner: d.owner },
              d.team === undefined ? {} : { team: d.team },
              d.queue === undefined ? {} : { queue: d.queue },
            ),
          ),
        );
        await load(store, people, rows);
        const query = Object.assign(
          { from: base + fromHour * H + nudge, to: base + (fromHour + hours) * H + nudge },
          source === undefined ? {} : { source },
          team === undefined ? {} : { team },
        );
        const now = base + 10 * H;
        expect(await fromStore(store, query, now)).toEqual(
          routingMetrics(await everything(store), MODEL, query, now),
        );
      },
    );
  });
});
