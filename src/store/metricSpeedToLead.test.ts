// Speed to lead counted in SQL (metricSpeedToLead.ts) on every dialect: the store's summary gives
// exactly the report the row-based computation gives on the same history (speedToLeadMetrics over
// every row), for hand-built entries whose figures are known, for any range and filter, and for a
// larger history full of ties and shared response buckets — read by time or by walking the grouping
// index; and the migration's SQL response class is `responseClass`.
import Database from 'better-sqlite3';
import { test as fcTest } from '@fast-check/vitest';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricQueries, rangeQuery } from '../../test/support/metricQueries.ts';
import { DIALECTS } from '../../test/support/dialects.ts';
import { mulberry32 } from '../../test/support/prng.ts';
import {
  clock,
  DAY_MS,
  HOUR_MS,
  input,
  lead,
  MINUTE_MS,
  model as metricsModel,
  MON,
  touch,
} from '../core/metrics/__fixtures__/builders.ts';
import { factsFingerprint, leadFactsOf } from '../core/metrics/facts.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from '../core/metrics/model.ts';
import { responseClass, speedToLeadFromSummary, speedToLeadMetrics } from '../core/metrics/speedToLead.ts';
import type { DeriveFacts, Store } from '../core/ports.ts';
import { WALK_SHARE } from './metricSpeedToLead.ts';
import { responseClassSql } from './migrations/0018_response_classes.ts';

const M = MINUTE_MS;
const PG_URL = process.env['REVOPS_TEST_PG_URL'];
const NOW = MON + 10 * DAY_MS; // Thursday 15 January 2026, 00:00 UTC
const JAN = { from: MON, to: MON + 28 * DAY_MS };
const at = (day: number, hour: number, minute = 0) => MON + day * DAY_MS + hour * HOUR_MS + minute * M;

/**
 * Fourteen MQL entries in January (and one before), one or two per case: a touch at the entry's
 * instant (response 0), responses in one length bucket (100, 101, 102 s) and on a class boundary
 * (30 min), a re-entry after recycling that ends the first entry's wait (pending for good), an
 * untouched entry still inside its target, a touch only before the entry, clocks that judge.
 */
function january(): MetricsInput {
  const mql = (key: string, when: number, owner?: string, source?: string, sqlAfter?: number) =>
    lead(
      Object.assign(
        { key, at: when, path: sqlAfter === undefined ? ['mql'] : ['mql', 'sql'] },
        sqlAfter === undefined ? {} : { step: sqlAfter },
        owner === undefined ? {} : { owner },
        source === undefined ? {} : { source },
      ),
    );
  return input({
    leads: [
      mql('a', at(0, 9), 'ana', 'web', HOUR_MS),
      mql('b', at(0, 9, 30), 'bo', 'web'),
      mql('c', at(0, 10), 'cy', 'ads', 2 * HOUR_MS),
      mql('d', at(1, 9), 'di', 'ads'),
      mql('e', at(1, 9), 'ana', 'web'),
      mql('f', at(1, 10), 'ana'),
      mql('g', at(2, 14), 'cy', 'ads'),
      mql('h', at(2, 14), 'cy', 'web'),
      lead({
        key: 'i',
        at: at(4, 8),
        path: ['mql', 'recycled', 'mql'],
        step: 2 * M,
        owner: 'di',
        source: 'ads',
      }),
      mql('j', at(3, 12), 'bo', 'web'),
      mql('k', NOW - 2 * M, 'ana', 'web'),
      mql('l', at(5, 11)),
      mql('n', at(6, 20), 'bo', 'ads'),
      mql('old', MON - DAY_MS, 'ana', 'web'),
    ],
    touches: [
      touch('a', at(0, 9)),
      touch('b', at(0, 9, 31)),
      touch('c', at(0, 10, 40)),
      touch('d', at(1, 9, 50)),
      touch('e', at(1, 9) + 100_000),
      touch('f', at(1, 10) + 101_000),
      touch('g', at(2, 14) + 102_000),
      touch('h', at(4, 14)),
      touch('i', at(4, 8, 24)),
      touch('l', at(5, 10)),
      touch('n', at(6, 20, 30)),
      touch('old', MON - DAY_MS + M),
    ],
    clocks: [
      clock({ contactKey: 'g', startedAt: at(2, 14), status: 'breached' }),
      clock({ contactKey: 'h', startedAt: at(2, 14), status: 'met', business: true }),
      clock({ contactKey: 'c', startedAt: at(0, 10), clockId: 'mql-first-touch', status: 'met' }),
    ],
  });
}

/** Writes `history` through the store and builds its facts under `model`. */
async function load(store: Store, history: MetricsInput, model: MetricsModel): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.upsertContacts(history.contacts);
    await tx.appendStageHistory(history.history);
    await tx.appendTouches(history.touches);
    await tx.upsertClocks(history.clocks);
  });
  await rebuild(store, model);
}

async function rebuild(store: Store, model: MetricsModel): Promise<void> {
  await store.refreshMetricFacts(
    Object.assign(
      {
        fingerprint: factsFingerprint(model, 'UTC'),
        derive: ((c, h, t, k) => leadFactsOf(c, h, t, k, model)) satisfies DeriveFacts,
        now: NOW,
      },
      model.speedToLeadClock === undefined ? {} : { clockId: model.speedToLeadClock },
    ),
  );
}

/** The report from the store's SQL summary. */
async function fromStore(store: Store, model: MetricsModel, query: MetricsQuery, now = NOW) {
  const summary = await store.metricSpeedToLead(
    Object.assign(
      { from: query.from, to: query.to, now, targetMs: model.benchmarks.speedToLeadMs },
      query.team === undefined ? {} : { owners: model.teams[query.team] ?? [] },
      query.source === undefined ? {} : { source: query.source },
    ),
  );
  return speedToLeadFromSummary(summary, model);
}

describe.each(DIALECTS)('speed to lead counted in SQL on $name', (dialect) => {
  describe('over hand-built January entries', () => {
    let store: Store;
    const model = metricsModel();
    const history = january();
    beforeAll(async () => {
      store = await dialect.open();
      await load(store, history, model);
    });
    afterAll(() => store.close());

    it('gives the figures counted by hand', async () => {
      const s = await fromStore(store, model, JAN);
      expect(s).toEqual(speedToLeadMetrics(history, model, JAN, NOW));
      expect([s.mqls, s.contacted, s.notContacted, s.pending]).toEqual([14, 10, 4, 2]);
      // 0, 60 s, 100 s, 101 s, 102 s, 20 min, 30 min, 40 min, 50 min, 2 days: 181,563,000 ms.
      expect(s.averageMs.value).toBe(18_156_300);
      // The middle two lie in different length buckets: (102 s + 20 min) / 2.
      expect(s.medianMs.value).toBe(651_000);
      // Hits a, b, e, f (wall), h (clock); misses c, d, i's re-entry, j, l, n (wall), g (clock);
      // pending: i's first entry (re-entered 2 minutes later) and k (2 minutes before now).
      expect(s.judged).toEqual({ within: 5, missed: 7, byClock: 2, byWallClock: 10 });
      expect(s.withinSla.value).toBe(0.4167);
      expect(s.byHour.filter((h) => h.mqls > 0)).toEqual([
        { hour: 8, mqls: 2, contacted: 1, medianMs: 20 * M, withinSla: 0 },
        { hour: 9, mqls: 4, contacted: 4, medianMs: 80_000, withinSla: 0.75 },
        { hour: 10, mqls: 2, contacted: 2, medianMs: 1_250_500, withinSla: 0.5 },
        { hour: 11, mqls: 1, contacted: 0, medianMs: null, withinSla: 0 },
        { hour: 12, mqls: 1, contacted: 0, medianMs: null, withinSla: 0 },
        { hour: 14, mqls: 2, contacted: 2, medianMs: 86_451_000, withinSla: 0.5 },
        { hour: 20, mqls: 1, contacted: 1, medianMs: 30 * M, withinSla: 0 },
        { hour: 23, mqls: 1, contacted: 0, medianMs: null, withinSla: null },
      ]);
      expect(s.byWeekday).toEqual([
        { weekday: 'mon', mqls: 3, contacted: 3, medianMs: 60_000, withinSla: 0.6667 },
        { weekday: 'tue', mqls: 3, contacted: 3, medianMs: 101_000, withinSla: 0.6667 },
        { weekday: 'wed', mqls: 3, contacted: 2, medianMs: 86_451_000, withinSla: 0.5 },
        { weekday: 'thu', mqls: 1, contacted: 0, medianMs: null, withinSla: 0 },
        { weekday: 'fri', mqls: 2, contacted: 1, medianMs: 20 * M, withinSla: 0 },
        { weekday: 'sat', mqls: 1, contacted: 0, medianMs: null, withinSla: 0 },
        { weekday: 'sun', mqls: 1, contacted: 1, medianMs: 30 * M, withinSla: 0 },
      ]);
      // 30 minutes exactly is 30–60 min (each class includes its floor).
      expect(s.byResponse.map((r) => [r.bucket, r.leads, r.sqls])).toEqual([
        ['under_5m', 5, 1],
        ['5_10m', 0, 0],
        ['10_30m', 1, 0],
        ['30_60m', 3, 1],
        ['1_24h', 0, 0],
        ['over_24h', 1, 0],
      ]);
    });

    it('applies the team and source filters as the rows do', async () => {
      const east = { ...JAN, team: 'east' };
      const s = await fromStore(store, model, east);
      expect(s).toEqual(speedToLeadMetrics(history, model, east, NOW));
      // a, b, e, f, j, k, n: responses 0, 60 s, 100 s, 101 s, 30 min.
      expect([s.mqls, s.contacted, s.medianMs.value]).toEqual([7, 5, 100_000]);
      const web = { ...JAN, source: 'web' };
      expect(await fromStore(store, model, web)).toEqual(speedToLeadMetrics(history, model, web, NOW));
      const unknown = { ...JAN, source: 'unknown' };
      // f and l were given no source.
      expect((await fromStore(store, model, unknown)).mqls).toBe(2);
      const nobody = { ...JAN, source: 'nobody' };
      expect(await fromStore(store, model, nobody)).toEqual(speedToLeadMetrics(history, model, nobody, NOW));
    });

    it('judges untouched entries against the `now` it is given', async () => {
      // A day later k's five minutes have passed: a miss, no longer pending.
      const later = await fromStore(store, model, JAN, NOW + DAY_MS);
      expect(later).toEqual(speedToLeadMetrics(history, model, JAN, NOW + DAY_MS));
      expect([later.pending, later.judged.missed]).toEqual([1, 8]);
    });

    fcTest.prop(
      [
        metricQueries({
          from: MON - 2 * DAY_MS,
          to: MON + 11 * DAY_MS,
          maxLength: 12 * DAY_MS,
          sources: ['web', 'ads', 'unknown'],
          teams: ['east', 'west'],
        }),
      ],
      { numRuns: 25 },
    )('equal the rows for any range and filter', async (query) => {
      expect(await fromStore(store, model, query)).toEqual(speedToLeadMetrics(history, model, query, NOW));
    });

    it('judge by the wall clock alone when no speed-to-lead clock is configured', async () => {
      const { speedToLeadClock: _clock, ...wallOnly } = model;
      await rebuild(store, wallOnly);
      try {
        const s = await fromStore(store, wallOnly, JAN);
        expect(s).toEqual(speedToLeadMetrics(history, wallOnly, JAN, NOW));
        // g (102 s) is now a hit and h (2 days) a miss.
        expect(s.judged).toEqual({ within: 5, missed: 7, byClock: 0, byWallClock: 12 });
      } finally {
        await rebuild(store, model);
      }
    });
  });

  describe('over 600 entries with shared buckets and ties', () => {
    let store: Store;
    const model = metricsModel();
    const history = crowd();
    beforeAll(async () => {
      store = await dialect.open();
      await load(store, history, model);
    });
    afterAll(() => store.close());

    fcTest.prop(
      [
        metricQueries({
          from: MON - DAY_MS,
          to: MON + 15 * DAY_MS,
          maxLength: 16 * DAY_MS,
          sources: ['web', 'ads'],
          teams: ['east', 'west'],
        }),
      ],
      { numRuns: 20 },
    )('equal the rows for any range and filter', async (query) => {
      expect(await fromStore(store, model, query)).toEqual(speedToLeadMetrics(history, model, query, NOW));
    });

    it('equal the rows whether the range is read by time or the grouping index is walked', async () => {
      // The entries span about two weeks: two days are read by time, the whole span walks the index.
      expect(2 / 14).toBeLessThan(WALK_SHARE);
      for (const team of [undefined, 'east'])
        for (const query of [
          rangeQuery(MON + 3 * DAY_MS, 2 * DAY_MS, undefined, team),
          rangeQuery(MON - DAY_MS, 30 * DAY_MS, undefined, team),
        ]) {
          const report = await fromStore(store, model, query);
          expect(report).toEqual(speedToLeadMetrics(history, model, query, NOW));
          expect(report.mqls).toBeGreaterThan(0);
        }
    });
  });
});

describe('the response class in SQL (migration 0018)', () => {
  const responses = [
    0,
    1,
    299_999,
    300_000,
    300_001,
    599_999,
    600_000,
    1_799_999,
    1_800_000,
    3_599_999,
    3_600_000,
    86_399_999,
    86_400_000,
    2 ** 40,
    ...Array.from({ length: 100 }, (_, i) => Math.floor(mulberry32(i)() * 2 * 86_400_000)),
  ];
  // A temporary table (one connection): nothing is left on the server.
  const classesIn = async (db: Kysely<unknown>): Promise<(number | null)[]> => {
    await sql`create temporary table t (id integer not null, at bigint not null, first_touch_at bigint)`.execute(
      db,
    );
    await sql`insert into t values (0, 1000, null)`.execute(db);
    for (const [i, r] of responses.entries())
      await sql`insert into t values (${i + 1}, ${1000}, ${1000 + r})`.execute(db);
    const { rows } = await sql<{ c: unknown }>`select ${responseClassSql()} as c from t order by id`.execute(
      db,
    );
    return rows.map((row) => (row.c === null ? null : Number(row.c)));
  };
  const expected = [null, ...responses.map(responseClass)];

  it('is responseClass on SQLite', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      expect(await classesIn(db)).toEqual(expected);
    } finally {
      await db.destroy();
    }
  });

  it.runIf(PG_URL !== undefined)('is responseClass on PostgreSQL', async () => {
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_URL, max: 1 }) }),
    });
    try {
      expect(await classesIn(db)).toEqual(expected);
    } finally {
      await db.destroy();
    }
  });
});

/**
 * 600 leads over two weeks, some recycled and re-entered: response times drawn from a few dozen
 * values (many ties, several per length bucket, zeros), some untouched, some judged by a clock.
 */
function crowd(): MetricsInput {
  const rnd = mulberry32(17);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const responses = [
    0,
    1,
    999,
    1000,
    60_000,
    61_000,
    64_000,
    299_999,
    300_000,
    300_001,
    10 * M,
    29 * M,
    30 * M,
  ];
  const owners = [undefined, 'ana', 'bo', 'cy', 'di'];
  const sources = [undefined, 'web', 'ads'];
  const leads: ReturnType<typeof lead>[] = [];
  const touches: ReturnType<typeof touch>[] = [];
  const clocks: ReturnType<typeof clock>[] = [];
  for (let i = 0; i < 600; i++) {
    const key = `c${i}`;
    const start = MON + Math.floor(rnd() * 14 * DAY_MS);
    const recycled = rnd() < 0.2;
    const step = pick([2 * M, 3 * HOUR_MS]);
    const owner = pick(owners);
    const source = pick(sources);
    leads.push(
      lead(
        Object.assign(
          { key, at: start, path: recycled ? ['mql', 'recycled', 'mql'] : ['mql'], step },
          owner === undefined ? {} : { owner },
          source === undefined ? {} : { source },
        ),
      ),
    );
    for (const entry of recycled ? [start, start + 2 * step] : [start]) {
      if (rnd() < 0.15) continue; // untouched
      const response = rnd() < 0.5 ? pick(responses) : Math.floor(rnd() * 5) * 7 * M + pick(responses);
      touches.push(touch(key, entry + response));
      if (rnd() < 0.2)
        clocks.push(clock({ contactKey: key, startedAt: entry, status: pick(['met', 'breached'] as const) }));
    }
  }
  return input({ leads, touches, clocks });
}
