// Scoring health counted in SQL (metricScoring.ts) on every dialect: the store's counts per local
// week of the MQL entries (metric facts) and deals created, with the range's decisions, give
// exactly the report the row-based computation gives (scoringHealth over every row): for a
// hand-built October in Adelaide (a half-hour offset and a DST week) whose figures are known, for
// any range, filter and zone over a larger seeded history, and over random histories.
import { fc, test as fcTest } from '@fast-check/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, type Dialect } from '../../test/support/dialects.ts';
import { mulberry32 } from '../../test/support/prng.ts';
import {
  DAY_MS,
  deal,
  HOUR_MS,
  input,
  lead,
  model as metricsModel,
  zoned,
} from '../core/metrics/__fixtures__/builders.ts';
import { factsFingerprint, leadFactsOf } from '../core/metrics/facts.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from '../core/metrics/model.ts';
import { addDays, weekStart } from '../core/metrics/period.ts';
import {
  scoringFromCounts,
  scoringHealth,
  scoringWeeks,
  type ScoringHealth,
} from '../core/metrics/scoringHealth.ts';
import type { DealState } from '../core/pipeline/types.ts';
import type { DeriveFacts, Store } from '../core/ports.ts';

const REJECT = 'sales_decision reject FIT-01 (Company too small): nurture';
const ADELAIDE = 'Australia/Adelaide';
const NOW = Date.parse('2026-11-30T00:00:00Z');
/** 1 to 22 October 2026 in Adelaide: from +09:30 (winter) to +10:30 (clocks went forward on 4 October). */
const OCTOBER = {
  from: Date.parse('2026-10-01T00:00:00+09:30'),
  to: Date.parse('2026-10-22T00:00:00+10:30'),
};
const at = Date.parse;

/** A model in `timezone`, with a team that has no members. */
function zonedModel(timezone: string): MetricsModel {
  const base = metricsModel(zoned(timezone));
  return Object.assign({}, base, { teams: Object.assign({ empty: [] }, base.teams) });
}

type Outcome =
  | 'accept'
  | 'reject'
  | 'pending'
  /** Rejected, then reached SQL before any new MQL entry: still rejected. */
  | 'rejectThenSql'
  /** Rejected and recycled, back to MQL a day later and accepted: one rejection, one acceptance. */
  | 'twice'
  /** Recycled without a sales decision, back to MQL and accepted: pending, then accepted. */
  | 'pendingThenAccepted';

const PATHS: { readonly [O in Outcome]: { path: string[]; reject: boolean } } = {
  accept: { path: ['mql', 'sql'], reject: false },
  reject: { path: ['mql', 'recycled'], reject: true },
  pending: { path: ['mql'], reject: false },
  rejectThenSql: { path: ['mql', 'recycled', 'sql'], reject: true },
  twice: { path: ['mql', 'recycled', 'mql', 'sql'], reject: true },
  pendingThenAccepted: { path: ['mql', 'recycled', 'mql', 'sql'], reject: false },
};

/** A contact whose first MQL entry is at `when` and whose path plays out `outcome`, `step` apart. */
function mql(
  key: string,
  when: string | number,
  outcome: Outcome,
  owner?: string,
  source?: string,
  step = DAY_MS,
) {
  const { path, reject } = PATHS[outcome];
  return lead(
    Object.assign(
      { key, at: typeof when === 'number' ? when : at(when), path, step },
      reject ? { reasons: { recycled: REJECT } } : {},
      owner === undefined ? {} : { owner },
      source === undefined ? {} : { source },
    ),
  );
}

/** A deal created at `when`. */
function created(id: string, when: string | number, owner?: string, source?: string): DealState {
  return deal(
    Object.assign(
      { id, moves: [['qualified', typeof when === 'number' ? when : at(when)]] as const },
      owner === undefined ? {} : { owner },
      source === undefined ? {} : { source },
    ),
  );
}

/**
 * October 2026 in Adelaide. Weeks (Monday first): W-4 31 Aug … W-1 21 Sep (the 4 before the first
 * shown), W0 28 Sep (167 hours: clocks forward on Sunday 4 October), W1 5 Oct, W2 12 Oct, W3 19 Oct.
 *
 * | week | MQL entries (owner, source, outcome)                                                             | deals |
 * | ---- | ------------------------------------------------------------------------------------------------ | ----- |
 * | W-4  | t1 ana web accept, t2 cy ads pending                                                             | d1 ana web |
 * | W-3  | t3 ana web accept, t4 di ads reject                                                              | d2 cy ads |
 * | W-2  | t5 bo web accept, t6 — — pending                                                                 | d3 ana — |
 * | W-1  | t7 cy web accept, t8 ana ads reject (its last millisecond)                                       | d4 bo web |
 * | W0   | e1 ana web accept (its first instant: Sunday 14:30 UTC), e2 bo web reject (1 ms before `from`), e3 ana web accept (at `from`), e4 cy ads pending (Sunday 23:30, +10:30) | d5 ana web (first instant), d6 di ads (last millisecond) |
 * | W1   | e5 di ads reject (Monday 00:15 +10:30, Sunday in UTC and at +09:30), e6 bo web twice, e7 ana — rejectThenSql, e8 cy web pendingThenAccepted (SQL in W2) | d7 ana web (first instant) |
 * | W2   | e9 di web pending, e10 ana ads accept, e11 cy — reject, r1–r5 di ads reject                      | d8 — web |
 * | W3   | e12 bo ads reject (1 ms before `to`), e13 ana web accept (at `to`), e14 cy web pending           | d9 cy ads |
 *
 * and, in no week counted, e0 and d0 the Sunday before W-4, e15 and d10 the Monday after W3.
 */
function october(): MetricsInput {
  return input({
    leads: [
      mql('e0', '2026-08-30T23:00:00+09:30', 'accept', 'ana', 'web'),
      mql('t1', '2026-09-01T10:00:00+09:30', 'accept', 'ana', 'web'),
      mql('t2', '2026-09-02T10:00:00+09:30', 'pending', 'cy', 'ads'),
      mql('t3', '2026-09-08T10:00:00+09:30', 'accept', 'ana', 'web'),
      mql('t4', '2026-09-09T10:00:00+09:30', 'reject', 'di', 'ads'),
      mql('t5', '2026-09-15T10:00:00+09:30', 'accept', 'bo', 'web'),
      mql('t6', '2026-09-16T10:00:00+09:30', 'pending'),
      mql('t7', '2026-09-22T10:00:00+09:30', 'accept', 'cy', 'web'),
      mql('t8', '2026-09-27T23:59:59.999+09:30', 'reject', 'ana', 'ads'),
      mql('e1', '2026-09-28T00:00:00+09:30', 'accept', 'ana', 'web'),
      mql('e2', '2026-09-30T23:59:59.999+09:30', 'reject', 'bo', 'web'),
      mql('e3', '2026-10-01T00:00:00+09:30', 'accept', 'ana', 'web'),
      mql('e4', '2026-10-04T23:30:00+10:30', 'pending', 'cy', 'ads'),
      mql('e5', '2026-10-05T00:15:00+10:30', 'reject', 'di', 'ads'),
      mql('e6', '2026-10-06T10:00:00+10:30', 'twice', 'bo', 'web'),
      mql('e7', '2026-10-07T09:00:00+10:30', 'rejectThenSql', 'ana', undefined, HOUR_MS),
      mql('e8', '2026-10-09T10:00:00+10:30', 'pendingThenAccepted', 'cy', 'web'),
      mql('e9', '2026-10-13T10:00:00+10:30', 'pending', 'di', 'web'),
      mql('e10', '2026-10-14T10:00:00+10:30', 'accept', 'ana', 'ads'),
      mql('e11', '2026-10-15T10:00:00+10:30', 'reject', 'cy'),
      ...[1, 2, 3, 4, 5].map((i) => mql(`r${i}`, `2026-10-16T1${i}:00:00+10:30`, 'reject', 'di', 'ads')),
      mql('e12', '2026-10-21T23:59:59.999+10:30', 'reject', 'bo', 'ads'),
      mql('e13', '2026-10-22T00:00:00+10:30', 'accept', 'ana', 'web'),
      mql('e14', '2026-10-25T23:00:00+10:30', 'pending', 'cy', 'web'),
      mql('e15', '2026-10-26T00:00:00+10:30', 'accept', 'ana', 'web'),
    ],
    deals: [
      created('d0', '2026-08-30T10:00:00+09:30', 'ana', 'web'),
      created('d1', '2026-09-02T10:00:00+09:30', 'ana', 'web'),
      created('d2', '2026-09-09T10:00:00+09:30', 'cy', 'ads'),
      created('d3', '2026-09-16T10:00:00+09:30', 'ana'),
      created('d4', '2026-09-23T10:00:00+09:30', 'bo', 'web'),
      created('d5', '2026-09-28T00:00:00+09:30', 'ana', 'web'),
      created('d6', '2026-10-04T23:59:59.999+10:30', 'di', 'ads'),
      created('d7', '2026-10-05T00:00:00+10:30', 'ana', 'web'),
      created('d8', '2026-10-13T10:00:00+10:30', undefined, 'web'),
      created('d9', '2026-10-20T10:00:00+10:30', 'cy', 'ads'),
      created('d10', '2026-10-26T00:00:00+10:30', 'ana', 'web'),
    ],
  });
}

/** Writes `history` through the store and builds its facts under `model`. */
async function load(store: Store, history: MetricsInput, model: MetricsModel, zone: string): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.upsertContacts(history.contacts);
    await tx.appendStageHistory(history.history);
    await tx.upsertDeals(history.deals);
  });
  await store.refreshMetricFacts({
    fingerprint: factsFingerprint(model, zone),
    derive: ((c, h, t, k) => leadFactsOf(c, h, t, k, model)) satisfies DeriveFacts,
    now: NOW,
  });
}

/** The query's filters as the store takes them. */
function filters(model: MetricsModel, query: MetricsQuery) {
  return Object.assign(
    {},
    query.team === undefined ? {} : { owners: model.teams[query.team] ?? [] },
    query.source === undefined ? {} : { source: query.source },
  );
}

/** The store's counts over the weeks of `query`, per span. */
async function countsOf(store: Store, model: MetricsModel, query: MetricsQuery) {
  const weeks = scoringWeeks(model, query);
  const bounds = [...weeks.map((w) => w.from), ...weeks.slice(-1).map((w) => w.to)];
  return {
    weeks,
    counts: await store.metricScoringCounts(
      Object.assign({ from: query.from, to: query.to, bounds }, filters(model, query)),
    ),
  };
}

/** The report from the store's SQL counts, as the engine builds it. */
async function fromStore(store: Store, model: MetricsModel, query: MetricsQuery): Promise<ScoringHealth> {
  const { weeks, counts } = await countsOf(store, model, query);
  const byWeek = (spans: readonly number[]) => new Map(weeks.map((w, i) => [w.week, spans[i] ?? 0]));
  return scoringFromCounts(
    { mqls: byWeek(counts.mqls), deals: byWeek(counts.deals), decisions: counts.decisions },
    model,
    query,
  );
}

/** [from, from + length) with the filters drawn (undefined: none), as a report query. */
function rangeQuery(from: number, length: number, source: string | undefined, team: string | undefined) {
  return Object.assign(
    { from, to: from + length },
    source === undefined ? {} : { source },
    team === undefined ? {} : { team },
  );
}

const ZONES = [
  ADELAIDE,
  'America/New_York',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Pacific/Chatham',
  'UTC',
] as const;

describe.each(DIALECTS)('scoring health counted in SQL on $name', (dialect) => {
  describe('over a hand-built October in Adelaide', () => {
    let store: Store;
    const model = zonedModel(ADELAIDE);
    const history = october();
    beforeAll(async () => {
      store = await dialect.open();
      await load(store, history, model, ADELAIDE);
    });
    afterAll(() => store.close());

    it('counts every entry of a week, and decides only those in the range', async () => {
      const { weeks, counts } = await countsOf(store, model, OCTOBER);
      expect(weeks.map((w) => w.week)).toEqual([
        '2026-08-31',
        '2026-09-07',
        '2026-09-14',
        '2026-09-21',
        '2026-09-28',
        '2026-10-05',
        '2026-10-12',
        '2026-10-19',
      ]);
      expect(counts).toEqual({
        mqls: [2, 2, 2, 2, 4, 6, 8, 3],
        deals: [1, 1, 1, 1, 2, 1, 1, 1],
        // Accepted: e3, e6's second entry, e8's second entry, e10. Rejected: e5, e6's first entry,
        // e7 (SQL came after the rejection), e11, r1–r5, e12. Pending: e4, e8's first entry, e9.
        decisions: { accepted: 4, rejected: 10, pending: 3 },
      });
    });

    it('gives the report counted by hand, with both warnings', async () => {
      const h = await fromStore(store, model, OCTOBER);
      expect(h).toEqual(scoringHealth(history, model, OCTOBER, NOW));
      expect(h.weeks).toEqual([
        // 4 > 1.5 × 2, but deals grew (2 against 1 a week): no warning.
        {
          week: '2026-09-28',
          mqls: 4,
          trailingAverage: 2,
          dealsCreated: 2,
          dealsTrailingAverage: 1,
          spike: true,
        },
        {
          week: '2026-10-05',
          mqls: 6,
          trailingAverage: 2.5,
          dealsCreated: 1,
          dealsTrailingAverage: 1.25,
          spike: true,
        },
        {
          week: '2026-10-12',
          mqls: 8,
          trailingAverage: 3.5,
          dealsCreated: 1,
          dealsTrailingAverage: 1.25,
          spike: true,
        },
        {
          week: '2026-10-19',
          mqls: 3,
          trailingAverage: 5,
          dealsCreated: 1,
          dealsTrailingAverage: 1.25,
          spike: false,
        },
      ]);
      expect(h.acceptance).toEqual({ value: 0.2857, benchmark: { min: 0.3 }, status: 'low' });
      expect(h.warnings.map((w) => [w.code, w.week, w.message])).toEqual([
        ['low_acceptance', undefined, 'Sales accepted 4 of 14 MQLs (29%), below 30%.'],
        [
          'mql_spike_without_pipeline',
          '2026-10-05',
          '6 MQLs in the week of 2026-10-05, over 1.5× the 2.5 a week before it, with no growth in new deals (1).',
        ],
        [
          'mql_spike_without_pipeline',
          '2026-10-12',
          '8 MQLs in the week of 2026-10-12, over 1.5× the 3.5 a week before it, with no growth in new deals (1).',
        ],
      ]);
    });

    it('applies the team and source filters as the rows do', async () => {
      const east = { ...OCTOBER, team: 'east' };
      const e = await countsOf(store, model, east);
      // ana and bo: t1, t3, t5, t8 before; e1 e2 e3 | e6 (two) e7 | e10 | e12 e13. Deals d1 d3 d4 | d5 | d7.
      expect(e.counts).toEqual({
        mqls: [1, 1, 1, 1, 3, 3, 1, 2],
        deals: [1, 0, 1, 1, 1, 1, 0, 0],
        decisions: { accepted: 3, rejected: 3, pending: 0 },
      });
      expect(await fromStore(store, model, east)).toEqual(scoringHealth(history, model, east, NOW));
      // No source: t6 | e7 | e11; d3 (W-2).
      const unknown = { ...OCTOBER, source: 'unknown' };
      expect((await countsOf(store, model, unknown)).counts).toEqual({
        mqls: [0, 0, 1, 0, 0, 1, 1, 0],
        deals: [0, 0, 1, 0, 0, 0, 0, 0],
        decisions: { accepted: 0, rejected: 2, pending: 0 },
      });
      for (const query of [
        unknown,
        { ...OCTOBER, team: 'west' },
        { ...OCTOBER, source: 'ads' },
        { ...OCTOBER, source: 'web', team: 'east' },
        { ...OCTOBER, source: 'nobody' },
        { ...OCTOBER, team: 'empty' },
      ])
        expect(await fromStore(store, model, query), JSON.stringify(query)).toEqual(
          scoringHealth(history, model, query, NOW),
        );
      expect((await countsOf(store, model, { ...OCTOBER, team: 'empty' })).counts).toEqual({
        mqls: [0, 0, 0, 0, 0, 0, 0, 0],
        deals: [0, 0, 0, 0, 0, 0, 0, 0],
        decisions: { accepted: 0, rejected: 0, pending: 0 },
      });
    });

    it('counts a range of more weeks than one statement takes', async () => {
      // 2025 to 2027: 105 weeks shown and 4 before, in two statements.
      const years = { from: at('2025-01-01T00:00:00+10:30'), to: at('2027-01-01T00:00:00+10:30') };
      expect(scoringWeeks(model, years)).toHaveLength(109);
      for (const query of [years, { ...years, team: 'west', source: 'ads' }])
        expect(await fromStore(store, model, query)).toEqual(scoringHealth(history, model, query, NOW));
      // Every entry of the history: 12 accepted, 13 rejected (t4, t8, e2 besides October's), 6 pending.
      expect((await fromStore(store, model, years)).decisions).toEqual({
        accepted: 12,
        rejected: 13,
        pending: 6,
      });
    });

    it('counts weeks in the zone, not in UTC nor at a fixed offset', async () => {
      // e5 (Monday 00:15 at +10:30) would be Sunday at the winter offset +09:30. In UTC the same
      // Mondays are other instants: e1 (Sunday 14:30 UTC) falls in W-1, e5 (Sunday 13:45) in W0,
      // e15 (Sunday 13:30) in W3; the deals d5 in W-1, d7 in W0, d10 in W3.
      const utc = zonedModel('UTC');
      const { weeks, counts } = await countsOf(store, utc, OCTOBER);
      expect(weeks.map((w) => w.week).slice(4)).toEqual([
        '2026-09-28',
        '2026-10-05',
        '2026-10-12',
        '2026-10-19',
      ]);
      expect(counts).toEqual({
        mqls: [2, 2, 2, 3, 4, 5, 8, 4],
        deals: [1, 1, 1, 2, 2, 0, 1, 2],
        decisions: { accepted: 4, rejected: 10, pending: 3 },
      });
      expect(await fromStore(store, utc, OCTOBER)).toEqual(scoringHealth(history, utc, OCTOBER, NOW));
    });

    it('counts the decisions of [from, to) even where the bounds do not reach', async () => {
      const w1 = weekStart('2026-10-05', model);
      const w2 = weekStart('2026-10-12', model);
      // No spans: decisions only. Spans covering W1 alone: the rest of October before and after it.
      expect(await store.metricScoringCounts({ ...OCTOBER, bounds: [] })).toEqual({
        mqls: [],
        deals: [],
        decisions: { accepted: 4, rejected: 10, pending: 3 },
      });
      expect(await store.metricScoringCounts({ ...OCTOBER, bounds: [w1, w2] })).toEqual({
        mqls: [6],
        deals: [1],
        decisions: { accepted: 4, rejected: 10, pending: 3 },
      });
      // A range inside one span: only its own entries are decided (e6's first entry, e7).
      expect(
        await store.metricScoringCounts({
          from: at('2026-10-06T00:00:00+10:30'),
          to: at('2026-10-08T00:00:00+10:30'),
          bounds: [w1, w2],
        }),
      ).toEqual({ mqls: [6], deals: [1], decisions: { accepted: 0, rejected: 2, pending: 0 } });
    });

    it('drops the warning of a spike the pipeline grew with', async () => {
      const growth = [
        created('g1', '2026-10-06T10:00:00+10:30', 'ana', 'web'),
        created('g2', '2026-10-07T10:00:00+10:30', 'cy', 'ads'),
      ];
      await store.transaction((tx) => tx.upsertDeals(growth));
      const everything = Object.assign({}, history, { deals: [...history.deals, ...growth] });
      const h = await fromStore(store, model, OCTOBER);
      expect(h).toEqual(scoringHealth(everything, model, OCTOBER, NOW));
      expect(h.weeks[1]).toMatchObject({ spike: true, dealsCreated: 3, dealsTrailingAverage: 1.25 });
      // W2's deals (1) are still under their average, now (1 + 1 + 2 + 3) / 4.
      expect(h.weeks[2]).toMatchObject({ spike: true, dealsCreated: 1, dealsTrailingAverage: 1.75 });
      expect(h.warnings.map((w) => [w.code, w.week])).toEqual([
        ['low_acceptance', undefined],
        ['mql_spike_without_pipeline', '2026-10-12'],
      ]);
    });
  });

  describe('over a seeded crowd, in any zone', () => {
    let store: Store;
    const history = crowd();
    beforeAll(async () => {
      store = await dialect.open();
      // What the counts read (instants, owners, sources, decisions) does not depend on the zone.
      await load(store, history, zonedModel('UTC'), 'UTC');
    });
    afterAll(() => store.close());

    fcTest.prop(
      [
        fc.integer({ min: CROWD_START - 7 * DAY_MS, max: CROWD_START + 70 * DAY_MS }),
        fc.integer({ min: 1, max: 60 * DAY_MS }),
        fc.constantFrom(undefined, 'web', 'ads', 'unknown'),
        fc.constantFrom(undefined, 'east', 'west'),
        fc.constantFrom(...ZONES),
      ],
      { numRuns: 30 },
    )('equal the rows for any range, filter and zone', async (from, length, source, team, zone) => {
      const model = zonedModel(zone);
      const query = rangeQuery(from, length, source, team);
      expect(await fromStore(store, model, query)).toEqual(scoringHealth(history, model, query, NOW));
    });
  });

  randomHistories(dialect);
});

const CROWD_START = Date.parse('2026-09-01T00:00:00Z');
const OWNERS = [undefined, 'ana', 'bo', 'cy', 'di', 'zed'] as const;
const SOURCES = [undefined, 'web', 'ads'] as const;
const OUTCOMES = Object.keys(PATHS) as Outcome[];

/**
 * 400 leads and 150 deals over ten weeks from 1 September 2026, with every outcome; half of the
 * instants on or next to a local Monday midnight of one of `ZONES` (the instant, 1 ms before, or 1
 * ms after), the rest anywhere; steps from 0 (changes at one instant) to two days.
 */
function crowd(): MetricsInput {
  const rnd = mulberry32(23);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const instant = (): number => {
    if (rnd() < 0.5) return CROWD_START + Math.floor(rnd() * 70 * DAY_MS);
    const monday = addDays('2026-08-31', 7 * Math.floor(rnd() * 11));
    return weekStart(monday, zonedModel(pick(ZONES))) + pick([-1, 0, 1]);
  };
  const leads = Array.from({ length: 400 }, (_, i) =>
    mql(
      `c${i}`,
      instant(),
      pick(OUTCOMES),
      pick(OWNERS),
      pick(SOURCES),
      pick([0, 1, HOUR_MS, DAY_MS, 2 * DAY_MS]),
    ),
  );
  const deals = Array.from({ length: 150 }, (_, i) =>
    created(`d${i}`, instant(), pick(OWNERS), pick(SOURCES)),
  );
  return input({ leads, deals });
}

/** Random histories, each in a fresh store, against one random range, filter and zone. */
function randomHistories(dialect: Dialect): void {
  const SPAN = 42 * DAY_MS;
  const leadSpec = fc.record({
    at: fc.integer({ min: CROWD_START, max: CROWD_START + SPAN }),
    outcome: fc.constantFrom(...OUTCOMES),
    owner: fc.constantFrom(...OWNERS),
    source: fc.constantFrom(...SOURCES),
    step: fc.constantFrom(0, 1, HOUR_MS, DAY_MS, 3 * DAY_MS),
  });
  const dealSpec = fc.record({
    at: fc.integer({ min: CROWD_START, max: CROWD_START + SPAN }),
    owner: fc.constantFrom(...OWNERS),
    source: fc.constantFrom(...SOURCES),
  });
  fcTest.prop(
    [
      fc.array(leadSpec, { maxLength: 40 }),
      fc.array(dealSpec, { maxLength: 15 }),
      fc.integer({ min: CROWD_START, max: CROWD_START + SPAN }),
      fc.integer({ min: 1, max: 35 * DAY_MS }),
      fc.constantFrom(undefined, 'web', 'ads', 'unknown'),
      fc.constantFrom(undefined, 'east', 'west', 'empty'),
      fc.constantFrom(...ZONES),
    ],
    { numRuns: 8 },
  )(
    `scoring health on ${dialect.name} equals the rows over random histories`,
    async (leads, deals, from, length, source, team, zone) => {
      const model = zonedModel(zone);
      const history = input({
        leads: leads.map((l, i) => mql(`k${i}`, l.at, l.outcome, l.owner, l.source, l.step)),
        deals: deals.map((d, i) => created(`x${i}`, d.at, d.owner, d.source)),
      });
      const store = await dialect.open();
      try {
        await load(store, history, model, zone);
        const query = rangeQuery(from, length, source, team);
        expect(await fromStore(store, model, query)).toEqual(scoringHealth(history, model, query, NOW));
      } finally {
        await store.close();
      }
    },
  );
}
