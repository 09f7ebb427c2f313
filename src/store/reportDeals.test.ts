// Deals for reports (Store.reportDeals, dealStore.ts ParsedDeals) on every dialect: always what
// listDeals returns for the same query, after any sequence of writes; unchanged deals are the very
// objects parsed before (their JSON is not parsed again), changed ones are new; all are frozen. And
// migration 0016 gives the deals already stored the hash their next write would give them.
import Database from 'better-sqlite3';
import { fc, test as fcTest } from '@fast-check/vitest';
import { Kysely, Migrator, sql, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { DAY_MS, deal, MON } from '../core/metrics/__fixtures__/builders.ts';
import type { Store } from '../core/ports.ts';
import type { DealState } from '../core/pipeline/types.ts';
import { dealHash } from './dealStore.ts';
import { migrationProvider } from './migrations/index.ts';
import { SQLITE_PROFILE } from './sqlite.ts';

/** Deal `n` in one of a few shapes: open, won or lost, closed on some day or never. */
function dealOf(n: number, version: number): DealState {
  const status = (['open', 'won', 'lost'] as const)[(n + version) % 3] ?? 'open';
  const closedAt = status === 'open' ? undefined : MON + ((n * 7 + version) % 30) * DAY_MS;
  return deal(
    Object.assign(
      {
        id: `d-${String(n).padStart(3, '0')}`,
        status,
        amount: 1000 * (n + 1) + version,
        moves: [
          ['qualified', MON - DAY_MS],
          ['proposal', MON + version],
        ] as const,
      },
      closedAt === undefined ? {} : { closedAt },
    ),
  );
}

describe.each(DIALECTS)('deals for reports on $name', (dialect) => {
  let store: Store;
  beforeAll(async () => {
    store = await dialect.open();
  });
  afterAll(() => store.close());

  it('parses only what changed, and shares frozen deals', async () => {
    await store.transaction((tx) => tx.upsertDeals([0, 1, 2, 3].map((n) => dealOf(n, 0))));
    const first = await store.reportDeals();
    expect(first).toEqual(await store.listDeals());
    expect(first.map((d) => d.id)).toEqual(['d-000', 'd-001', 'd-002', 'd-003']);
    expect(Object.isFrozen(first[0])).toBe(true);
    expect(Object.isFrozen(first[0]?.history[0])).toBe(true);
    expect(() => (first[0]?.history as DealState['history'][number][]).push(first[0]!.history[0]!)).toThrow(
      TypeError,
    );

    await store.transaction((tx) => tx.upsertDeals([dealOf(1, 1), dealOf(4, 0)]));
    const second = await store.reportDeals();
    expect(second).toEqual(await store.listDeals());
    // d-000, d-002, d-003 unchanged: the same objects; d-001 changed and d-004 is new.
    expect([
      second[0] === first[0],
      second[1] === first[1],
      second[2] === first[2],
      second[3] === first[3],
      first.some((d) => d === second[4]),
    ]).toEqual([true, false, true, true, false]);
    expect(second[1]?.amount).toBe(2001);

    // A narrower query keeps only its deals; the next wide read parses the others again.
    const open = await store.reportDeals({ status: 'open' });
    expect(open).toEqual(await store.listDeals({ status: 'open' }));
    const third = await store.reportDeals();
    expect(third).toEqual(second);
    expect(third.filter((d) => second.includes(d)).map((d) => d.id)).toEqual(open.map((d) => d.id));
  });

  fcTest.prop(
    [
      fc.array(
        fc.oneof(
          fc.record({
            write: fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 3 })), {
              maxLength: 5,
            }),
          }),
          fc.record({ since: fc.option(fc.integer({ min: 0, max: 31 }), { nil: undefined }) }),
        ),
        { minLength: 1, maxLength: 12 },
      ),
    ],
    { numRuns: 25 },
  )('returns what listDeals returns after any writes', async (steps) => {
    const fresh = await dialect.open();
    try {
      for (const step of steps) {
        if ('write' in step) {
          if (step.write.length > 0)
            await fresh.transaction((tx) => tx.upsertDeals(step.write.map(([n, v]) => dealOf(n, v))));
          continue;
        }
        const query = step.since === undefined ? {} : { openOrClosedSince: MON + step.since * DAY_MS };
        expect(await fresh.reportDeals(query)).toEqual(await fresh.listDeals(query));
      }
    } finally {
      await fresh.close();
    }
  });
});

describe('migration 0016', () => {
  it('hashes the deals stored before it as their next write would', async () => {
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
    try {
      const migrator = new Migrator({ db, provider: migrationProvider(SQLITE_PROFILE) });
      expect((await migrator.migrateTo('0015_report_indexes')).error).toBeUndefined();
      // 1,001 deals: more than two of the migration's chunks of 500.
      const deals = Array.from({ length: 1001 }, (_, n) => dealOf(n, 0));
      for (const d of deals)
        await sql`insert into deals (id, pipeline, stage, status, created_at, updated_at, stage_entered_at, data)
          values (${d.id}, ${d.pipeline}, ${d.stage}, ${d.status}, ${d.createdAt}, ${d.updatedAt}, ${d.stageEnteredAt}, ${JSON.stringify(d)})`.execute(
          db,
        );
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const { rows } = await sql<{
        id: string;
        data_hash: string | null;
      }>`select id, data_hash from deals order by id`.execute(db);
      expect(rows.length).toBe(1001);
      const byId = [...deals].sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(rows.map((r) => [r.id, r.data_hash])).toEqual(
        byId.map((d) => [d.id, dealHash(JSON.stringify(d))]),
      );
      expect(new Set(rows.map((r) => r.data_hash)).size).toBe(1001);
    } finally {
      await db.destroy();
    }
  });
});
