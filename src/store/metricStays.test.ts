// Time in stage from the day roll-ups (migrations 0011 and 0017) on every dialect: the funnel's
// closed stays (counts, medians, p90s) and open stays (count, median age, past p90) read from the
// store equal the ones computed on every row, for a crowd of leads whose stays tie in length, share
// days, straddle UTC midnight, and include stays entered after `now` — unfiltered, filtered to a
// team (the roll-ups' owners) and to a source (the rows), refreshed whole and by deltas.
import Database from 'better-sqlite3';
import { test as fcTest } from '@fast-check/vitest';
import { Kysely, Migrator, PostgresDialect, sql, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgTestDatabase } from '../../test/pg/testDatabase.ts';
import { metricQueries } from '../../test/support/metricQueries.ts';
import { DIALECTS } from '../../test/support/dialects.ts';
import { mulberry32 } from '../../test/support/prng.ts';
import {
  DAY_MS,
  HOUR_MS,
  input,
  lead,
  LIFECYCLE,
  model as metricsModel,
  MON,
} from '../core/metrics/__fixtures__/builders.ts';
import { factsFingerprint, leadFactsOf, lengthBucket } from '../core/metrics/facts.ts';
import { computeArea, computeAreaFromFacts } from '../core/metrics/index.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from '../core/metrics/model.ts';
import type { DeriveFacts, Store } from '../core/ports.ts';
import { dayOf } from './metricRollups.ts';
import { migrationProvider } from './migrations/index.ts';
import { POSTGRES_PROFILE } from './postgres.ts';
import type { SqlProfile } from './profile.ts';
import { SQLITE_PROFILE } from './sqlite.ts';

/** Mid-afternoon of day 20: that day has stays entered before and after `now`. */
const NOW = MON + 20 * DAY_MS + 15 * HOUR_MS;
const MONTH = { from: MON, to: MON + 28 * DAY_MS };
const PG_URL = process.env['REVOPS_TEST_PG_URL'];

/** Leads walking random paths with few distinct step lengths, some unowned, some without a source. */
function crowd(seed: number, count: number, prefix = 'l'): MetricsInput {
  const random = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const owners = ['ana', 'bo', 'cy', 'di', 'zed', undefined];
  const sources = ['web', 'ads', undefined];
  const steps = [1, 7, 15, 16, 17, HOUR_MS, 9 * HOUR_MS, DAY_MS, 3 * DAY_MS];
  const stages = LIFECYCLE.filter((s) => s !== 'subscriber');
  return input({
    leads: Array.from({ length: count }, (_, i) => {
      const path = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(stages));
      // Midnights and the hours around `now` get more than their share of starts.
      const start = pick([
        () => MON + Math.floor(random() * 26) * DAY_MS,
        () => NOW - Math.floor(random() * 2 * HOUR_MS),
        () => NOW + Math.floor(random() * 3 * HOUR_MS),
        () => MON + Math.floor(random() * 26 * DAY_MS),
      ])();
      const source = pick(sources);
      const owner = pick(owners);
      return lead(
        Object.assign(
          { key: `${prefix}${String(i).padStart(4, '0')}`, at: start, path, step: pick(steps) },
          source === undefined ? {} : { source },
          owner === undefined ? {} : { owner },
        ),
      );
    }),
  });
}

async function load(store: Store, history: MetricsInput, model: MetricsModel): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.upsertContacts(history.contacts);
    await tx.appendStageHistory(history.history);
  });
  await store.refreshMetricFacts({
    fingerprint: factsFingerprint(model, 'UTC'),
    derive: ((c, h, t, k) => leadFactsOf(c, h, t, k, model)) satisfies DeriveFacts,
    now: NOW,
  });
}

/** The funnel (time in stage and the rest) from the store's facts, as `readMetricFacts` reads them. */
async function fromStore(store: Store, model: MetricsModel, query: MetricsQuery) {
  const facts = await store.metricFunnelFacts(
    Object.assign(
      { from: query.from, to: query.to, now: NOW },
      query.team === undefined ? {} : { owners: model.teams[query.team] ?? [] },
      query.source === undefined ? {} : { source: query.source },
    ),
  );
  return computeAreaFromFacts('funnel', facts, model, query, NOW);
}

function fromRows(history: MetricsInput, model: MetricsModel, query: MetricsQuery) {
  return computeArea('funnel', history, model, query, NOW);
}

describe.each(DIALECTS)('time in stage from the day roll-ups on $name', (dialect) => {
  let store: Store;
  const model = metricsModel();
  const first = crowd(11, 400);
  const later = crowd(12, 150, 'm');
  let history: MetricsInput;
  beforeAll(async () => {
    store = await dialect.open();
    await load(store, first, model);
    // More leads, and every other first lead moves on a stage: the roll-ups move by deltas.
    const random = mulberry32(13);
    const moves = first.contacts
      .filter((_, i) => i % 2 === 0)
      .map((c) => {
        const at = c.stageEnteredAt + [1, 16, HOUR_MS, DAY_MS][Math.floor(random() * 4)]!;
        const to = LIFECYCLE[1 + Math.floor(random() * (LIFECYCLE.length - 1))]!;
        return {
          contact: Object.assign({}, c, { stage: to, stageEnteredAt: at, updatedAt: at }),
          change: { contactKey: c.key, from: c.stage, to, at, cause: `move:${c.key}`, reason: 'moved' },
        };
      });
    await store.transaction(async (tx) => {
      await tx.upsertContacts([...later.contacts, ...moves.map((m) => m.contact)]);
      await tx.appendStageHistory([...later.history, ...moves.map((m) => m.change)]);
    });
    const refreshed = await store.refreshMetricFacts({
      fingerprint: factsFingerprint(model, 'UTC'),
      derive: ((c, h, t, k) => leadFactsOf(c, h, t, k, model)) satisfies DeriveFacts,
      now: NOW,
    });
    expect(refreshed).toEqual({ full: false, contacts: later.contacts.length + moves.length });
    history = {
      contacts: await store.listContacts(),
      history: await store.stageHistory(),
      touches: [],
      assignments: [],
      clocks: [],
      deals: [],
    };
  });
  afterAll(() => store.close());

  it('gives the row-based time in stage for the month, with stays entered after now left out', async () => {
    const report = await fromStore(store, model, MONTH);
    const rows = fromRows(history, model, MONTH);
    expect(report).toEqual(rows);
    // The open stays counted are those entered by `now`: fewer than the contacts' open stays.
    const open = report.timeInStage.stages.reduce((n, s) => n + s.open, 0);
    expect(open).toBeGreaterThan(0);
    expect(open).toBeLessThan(history.contacts.length);
    for (const team of ['east', 'west'])
      expect(await fromStore(store, model, Object.assign({ team }, MONTH)), team).toEqual(
        fromRows(history, model, Object.assign({ team }, MONTH)),
      );
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
  )('gives the row-based time in stage for any range and filter', async (query) => {
    expect(await fromStore(store, model, query)).toEqual(fromRows(history, model, query));
  });
});

/** Counts rows by the key `keyOf` gives, with `n` and (when `length` is given) the lengths' sum. */
function grouped<T>(
  rows: readonly T[],
  keyOf: (row: T) => readonly (string | number)[],
  length?: (row: T) => number,
): string[] {
  const groups = new Map<string, { n: number; total: number }>();
  for (const row of rows) {
    const id = keyOf(row).join('|');
    const found = groups.get(id) ?? { n: 0, total: 0 };
    found.n += 1;
    found.total += length?.(row) ?? 0;
    groups.set(id, found);
  }
  return [...groups]
    .map(([id, g]) => (length === undefined ? `${id}|${g.n}` : `${id}|${g.n}|${g.total}`))
    .sort();
}

describe('migration 0017', () => {
  const random = mulberry32(17);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const stays = Array.from({ length: 900 }, (_, i) => {
    const entered = MON + Math.floor(random() * 20 * DAY_MS);
    const length = pick([0, 1, 16, 17, HOUR_MS, DAY_MS + 5, Math.floor(random() * 3 * DAY_MS)]);
    return {
      left_at: entered + length,
      contact_key: `c${i % 300}`,
      seq: i,
      stage: pick(['lead', 'mql', 'sql']),
      entered_at: entered,
      source: pick(['web', 'ads', 'unknown']),
      owner: pick(['ana', 'bo', null]),
      length,
      bucket: lengthBucket(length),
    };
  });
  const open = Array.from({ length: 300 }, (_, i) => ({
    contact_key: `c${i}`,
    stage: pick(['lead', 'mql', 'sql']),
    entered_at: MON + Math.floor(random() * 20 * DAY_MS),
    source: pick(['web', 'ads', 'unknown']),
    owner: pick(['ana', 'bo', null]),
  }));
  const stayDays = (withOwner: boolean) =>
    grouped(
      stays.filter((r) => r.bucket >= 0),
      (r) => [dayOf(r.left_at), r.stage, r.bucket, ...(withOwner ? [r.owner ?? ''] : [])],
      (r) => r.length,
    );
  const openDays = grouped(open, (r) => [r.stage, dayOf(r.entered_at), r.owner ?? '', r.source]);

  /** Migrates to 0016, stores the fact rows, migrates up (and down): the roll-ups count them. */
  async function check(db: Kysely<unknown>, profile: SqlProfile): Promise<void> {
    const migrator = new Migrator({ db, provider: migrationProvider(profile) });
    expect((await migrator.migrateTo('0016_deal_hash')).error).toBeUndefined();
    for (const row of stays)
      await db
        .insertInto('metric_stays' as never)
        .values(row)
        .execute();
    for (const row of open)
      await db
        .insertInto('metric_open_stays' as never)
        .values(row)
        .execute();
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const { rows: days } = await sql<{
      day: unknown;
      stage: string;
      bucket: unknown;
      owner: string;
      n: unknown;
      total: unknown;
    }>`select * from metric_stay_days`.execute(db);
    expect(
      days.map((r) => [r.day, r.stage, r.bucket, r.owner, r.n, r.total].map(String).join('|')).sort(),
    ).toEqual(stayDays(true));
    const { rows: opened } = await sql<{
      stage: string;
      day: unknown;
      owner: string;
      source: string;
      n: unknown;
    }>`select * from metric_open_stay_days`.execute(db);
    expect(opened.map((r) => [r.stage, r.day, r.owner, r.source, r.n].map(String).join('|')).sort()).toEqual(
      openDays,
    );
    expect((await migrator.migrateTo('0016_deal_hash')).error).toBeUndefined();
    const { rows: back } = await sql<{
      day: unknown;
      stage: string;
      bucket: unknown;
      n: unknown;
      total: unknown;
    }>`select day, stage, bucket, n, total from metric_stay_days`.execute(db);
    expect(back.map((r) => [r.day, r.stage, r.bucket, r.n, r.total].map(String).join('|')).sort()).toEqual(
      stayDays(false),
    );
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  }

  it('fills the roll-ups from the fact rows already stored, on SQLite', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      await check(db, SQLITE_PROFILE);
    } finally {
      await db.destroy();
    }
  });

  it.runIf(PG_URL !== undefined)(
    'fills the roll-ups from the fact rows already stored, on PostgreSQL',
    async () => {
      const database = await createPgTestDatabase(PG_URL ?? '');
      const db = new Kysely<unknown>({
        dialect: new PostgresDialect({
          pool: new pg.Pool({ connectionString: await database.freshSchemaUrl(), max: 1 }),
        }),
      });
      try {
        await check(db, POSTGRES_PROFILE);
      } finally {
        await db.destroy();
        await database.drop();
      }
    },
  );
});
