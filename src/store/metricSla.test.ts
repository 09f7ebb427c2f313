// SLA compliance counted in SQL (metricSla.ts) on every dialect: the store's summary gives exactly
// the report the row-based computation gives on the same clocks (slaMetrics over every row), for
// hand-built clocks whose figures are known, for a crowd of clocks sharing lateness buckets and
// ties, under any range and filter; and the migration's SQL lateness bucket is `lengthBucket`.
import Database from 'better-sqlite3';
import { test as fcTest } from '@fast-check/vitest';
import { Kysely, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricQueries } from '../../test/support/metricQueries.ts';
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
} from '../core/metrics/__fixtures__/builders.ts';
import { factsFingerprint, leadFactsOf, lengthBucket } from '../core/metrics/facts.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from '../core/metrics/model.ts';
import { slaFromSummary, slaMetrics, teamsOfReps } from '../core/metrics/sla.ts';
import type { DeriveFacts, Store } from '../core/ports.ts';
import type { SlaClock } from '../core/sla/model.ts';
import { lengthBucketSql } from './migrations/0015_report_indexes.ts';

const M = MINUTE_MS;
const NOW = MON + 40 * DAY_MS;
const JAN = { from: MON, to: MON + 28 * DAY_MS };
const at = (day: number, hour: number) => MON + day * DAY_MS + hour * HOUR_MS;
const PG_URL = process.env['REVOPS_TEST_PG_URL'];

const step = (index: number) => ({ index, action: 'notify_rep' as const, at: MON + index, to: 'rep:ana' });

/**
 * Ten clocks in January and one before it: two ids under two names each, one pair's first clocks
 * due at the same instant (the smaller key names it), the other's a day apart, late ones across length buckets,
 * escalated, unowned, and owned by a rep the config does not know.
 */
function january(): MetricsInput {
  const c = (key: string, contact: string, extra: Partial<SlaClock> & { startedAt: number }) =>
    clock(Object.assign({ key, contactKey: contact, dueAt: extra.startedAt + HOUR_MS }, extra));
  return input({
    leads: [
      lead({ key: 'a', at: at(0, 8), source: 'web', owner: 'ana' }),
      lead({ key: 'b', at: at(0, 8), source: 'ads', owner: 'bo' }),
      lead({ key: 'c', at: at(0, 8), owner: 'cy' }),
    ],
    clocks: [
      c('k2', 'a', {
        startedAt: at(1, 9),
        name: 'Speed (old)',
        status: 'breached',
        owner: 'ana',
        lateWallMs: 100_000,
      }),
      c('k1', 'b', {
        startedAt: at(1, 9),
        status: 'breached',
        owner: 'bo',
        lateWallMs: 101_000,
        steps: [step(0), step(1)],
      }),
      c('k3', 'a', { startedAt: at(2, 9), status: 'met', owner: 'ana' }),
      c('k4', 'c', {
        startedAt: at(2, 10),
        status: 'breached',
        owner: 'cy',
        lateWallMs: 30 * M,
        steps: [step(0)],
      }),
      c('k5', 'c', { startedAt: at(3, 10), status: 'open', owner: 'cy' }),
      c('k6', 'b', { startedAt: at(3, 11), status: 'cancelled', owner: 'bo' }),
      c('k7', 'a', { startedAt: at(4, 11), status: 'breached', lateWallMs: 2 * DAY_MS }),
      c('k8', 'b', {
        startedAt: at(5, 11),
        clockId: 'qualify',
        name: 'Qualify',
        status: 'breached',
        owner: 'zed',
        lateWallMs: 5_000,
      }),
      c('k9', 'c', { startedAt: at(6, 11), clockId: 'qualify', name: 'Qualify', status: 'met', owner: 'di' }),
      c('k10', 'c', {
        startedAt: at(7, 11),
        clockId: 'qualify',
        name: 'Qualify (new)',
        status: 'met',
        owner: 'di',
      }),
      c('k0', 'a', { startedAt: MON - DAY_MS, status: 'breached', owner: 'ana', lateWallMs: 1 }),
    ],
  });
}

/** Many clocks over January: few lateness values (ties, shared buckets), every status and owner. */
function crowd(seed: number): MetricsInput {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const owners = ['ana', 'bo', 'cy', 'di', 'zed', undefined];
  const sources = ['web', 'ads', undefined];
  const leads = Array.from({ length: 40 }, (_, i) =>
    lead(
      Object.assign(
        { key: `l${i}`, at: MON - DAY_MS },
        ((s) => (s === undefined ? {} : { source: s }))(pick(sources)),
        ((o) => (o === undefined ? {} : { owner: o }))(pick(owners)),
      ),
    ),
  );
  const lateness = [0, 1, 2, 3, 7, 8, 15, 16, 17, 1000, 1001, 1023, 1024, 60_000, 61_000, HOUR_MS, DAY_MS];
  const clocks = Array.from({ length: 700 }, (_, i): SlaClock => {
    const startedAt = MON + Math.floor(random() * 28 * DAY_MS);
    const status = pick(['met', 'breached', 'breached', 'open', 'cancelled'] as const);
    const clockId = pick(['speed-to-lead', 'qualify']);
    const owner = pick(owners);
    return clock(
      Object.assign(
        {
          key: `c${String(i).padStart(4, '0')}`,
          contactKey: `l${Math.floor(random() * 40)}`,
          startedAt,
          // Half of them on a few due instants, so names tie on the first one now and then.
          dueAt: random() < 0.5 ? MON + Math.floor(random() * 6) * HOUR_MS : startedAt + HOUR_MS,
          clockId,
          name: `${clockId} ${pick(['a', 'b'])}`,
          status,
          steps: Array.from({ length: Math.floor(random() * 3) }, (_, s) => step(s)),
        },
        owner === undefined ? {} : { owner },
        status === 'breached' && random() < 0.9 ? { lateWallMs: pick(lateness) } : {},
      ),
    );
  });
  return input({ leads, clocks });
}

async function load(store: Store, history: MetricsInput, model: MetricsModel): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.upsertContacts(history.contacts);
    await tx.appendStageHistory(history.history);
    await tx.upsertClocks(history.clocks);
  });
  await store.refreshMetricFacts({
    fingerprint: factsFingerprint(model, 'UTC'),
    derive: ((c, h, t, k) => leadFactsOf(c, h, t, k, model)) satisfies DeriveFacts,
    now: NOW,
  });
}

/** The report from the store's SQL summary. */
async function fromStore(store: Store, model: MetricsModel, query: MetricsQuery) {
  const summary = await store.metricSlaSummary(
    Object.assign(
      { from: query.from, to: query.to, teamsOf: teamsOfReps(model) },
      query.team === undefined ? {} : { owners: model.teams[query.team] ?? [] },
      query.source === undefined ? {} : { source: query.source },
    ),
  );
  return slaFromSummary(summary, model);
}

/** The report from the rows: every clock, in (due time, key) order as a store lists them. */
function fromRows(history: MetricsInput, model: MetricsModel, query: MetricsQuery) {
  const clocks = [...history.clocks].sort(
    (a, b) => a.dueAt - b.dueAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return slaMetrics(Object.assign({}, history, { clocks }), model, query, NOW);
}

describe.each(DIALECTS)('SLA compliance counted in SQL on $name', (dialect) => {
  describe('over hand-built January clocks', () => {
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
      expect(s).toEqual(fromRows(history, model, JAN));
      expect(s.total).toEqual({
        clocks: 10,
        met: 3,
        breached: 5,
        open: 1,
        cancelled: 1,
        compliance: 0.375,
        escalations: 3,
        // 5 s, 100 s, 101 s, 30 min, 2 days: the middle one.
        medianLateMs: 101_000,
      });
      // k1 and k2 are both due first (the same instant): k1's name, the smaller key.
      expect(s.byClock.map((c) => [c.clockId, c.name, c.clocks, c.breached, c.medianLateMs])).toEqual([
        ['qualify', 'Qualify', 3, 1, 5_000],
        ['speed-to-lead', 'Speed to lead', 7, 4, 950_500],
      ]);
      expect(s.byRep.map((r) => [r.rep, r.clocks, r.breached, r.escalations, r.medianLateMs])).toEqual([
        ['ana', 2, 1, 0, 100_000],
        ['bo', 2, 1, 2, 101_000],
        ['cy', 2, 1, 1, 30 * M],
        ['unassigned', 1, 1, 0, 2 * DAY_MS],
        ['zed', 1, 1, 0, 5_000],
        ['di', 2, 0, 0, null],
      ]);
      expect(s.byTeam.map((t) => [t.team, t.clocks, t.breached, t.medianLateMs])).toEqual([
        ['east', 4, 2, 100_500],
        ['west', 4, 1, 30 * M],
      ]);
    });

    it('applies the team and source filters as the rows do', async () => {
      for (const query of [
        { ...JAN, team: 'east' },
        { ...JAN, team: 'west', source: 'unknown' },
        { ...JAN, source: 'web' },
        { from: MON - DAY_MS, to: at(2, 9) },
        { from: at(2, 9), to: at(2, 9) + 1 },
      ])
        expect(await fromStore(store, model, query), JSON.stringify(query)).toEqual(
          fromRows(history, model, query),
        );
      expect((await fromStore(store, model, { ...JAN, team: 'east' })).total.medianLateMs).toBe(100_500);
      expect((await fromStore(store, model, { ...JAN, source: 'unknown' })).total.clocks).toBe(4);
    });
  });

  describe('over a crowd of clocks', () => {
    let store: Store;
    const model = metricsModel();
    const history = crowd(7);
    beforeAll(async () => {
      store = await dialect.open();
      await load(store, history, model);
    });
    afterAll(() => store.close());

    it('gives the row-based report for the whole month', async () => {
      const s = await fromStore(store, model, JAN);
      expect(s).toEqual(fromRows(history, model, JAN));
      expect(s.total.clocks).toBe(700);
      expect(s.byClock.map((c) => c.name).sort()).toEqual([...new Set(s.byClock.map((c) => c.name))].sort());
    });

    fcTest.prop(
      [
        metricQueries({
          from: MON - DAY_MS,
          to: MON + 28 * DAY_MS,
          maxLength: 30 * DAY_MS,
          sources: ['web', 'ads', 'unknown'],
          teams: ['east', 'west'],
        }),
      ],
      { numRuns: 40 },
    )('gives the row-based report for any range and filter', async (query) => {
      expect(await fromStore(store, model, query)).toEqual(fromRows(history, model, query));
    });
  });

  // The clock facts follow the clocks by deltas: clocks that stop, breach, change owner, gain
  // escalations or arrive after the first refresh are counted again by the next one.
  describe('over a crowd of clocks changed after the first refresh', () => {
    let store: Store;
    const model = metricsModel();
    const first = crowd(8);
    let history: MetricsInput;
    beforeAll(async () => {
      store = await dialect.open();
      await load(store, first, model);
      const random = mulberry32(9);
      const changed = first.clocks
        .filter(() => random() < 0.4)
        .map((c, i) =>
          Object.assign({}, c, {
            status: (['met', 'breached', 'cancelled', 'open'] as const)[i % 4],
            steps: i % 3 === 0 ? [step(0), step(1), step(2)] : c.steps,
            lateWallMs: i % 4 === 1 ? [5, 16, 1000, 60_000, 2 * HOUR_MS][i % 5] : undefined,
            owner: i % 5 === 0 ? 'cy' : c.owner,
          }),
        );
      const added = crowd(10)
        .clocks.slice(0, 150)
        .map((c) => Object.assign({}, c, { key: `n${c.key}` }));
      await store.transaction((tx) => tx.upsertClocks([...changed, ...added]));
      const refreshed = await store.refreshMetricFacts({
        fingerprint: factsFingerprint(model, 'UTC'),
        derive: ((c, h, t, k) => leadFactsOf(c, h, t, k, model)) satisfies DeriveFacts,
        now: NOW,
      });
      expect(refreshed.full).toBe(false);
      const byKey = new Map([...first.clocks, ...changed, ...added].map((c) => [c.key, c]));
      history = Object.assign({}, first, { clocks: [...byKey.values()] });
    });
    afterAll(() => store.close());

    fcTest.prop(
      [
        metricQueries({
          from: MON - DAY_MS,
          to: MON + 28 * DAY_MS,
          maxLength: 30 * DAY_MS,
          sources: ['web', 'ads'],
          teams: ['east', 'west'],
        }),
      ],
      { numRuns: 30 },
    )('gives the row-based report for any range and filter', async (query) => {
      expect(await fromStore(store, model, query)).toEqual(fromRows(history, model, query));
    });

    it('counts the changed clocks for the whole month', async () => {
      const s = await fromStore(store, model, JAN);
      expect(s).toEqual(fromRows(history, model, JAN));
      expect(s.total.clocks).toBe(850);
    });
  });
});

describe('the lateness bucket in SQL (migration 0015)', () => {
  const values = [
    0,
    1,
    2,
    3,
    7,
    8,
    9,
    15,
    16,
    17,
    255,
    256,
    257,
    1000,
    60_000,
    86_400_000,
    2 ** 31 - 1,
    2 ** 31,
    2 ** 40 + 12_345,
    Number.MAX_SAFE_INTEGER,
    ...Array.from({ length: 200 }, (_, i) => Math.floor(mulberry32(i)() * 2 ** (i % 53))),
  ];
  const bucketsIn = async (db: Kysely<unknown>): Promise<number[]> => {
    const found: number[] = [];
    for (const v of values) {
      const r = await sql<{
        b: unknown;
      }>`select ${lengthBucketSql(sql`cast(${sql.lit(v)} as bigint)`)} as b`.execute(db);
      found.push(Number(r.rows[0]?.b));
    }
    return found;
  };

  it('is lengthBucket on SQLite', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      expect(await bucketsIn(db)).toEqual(values.map(lengthBucket));
    } finally {
      await db.destroy();
    }
  });

  it.runIf(PG_URL !== undefined)('is lengthBucket on PostgreSQL', async () => {
    const db = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: PG_URL, max: 1 }) }),
    });
    try {
      expect(await bucketsIn(db)).toEqual(values.map(lengthBucket));
    } finally {
      await db.destroy();
    }
  });
});
