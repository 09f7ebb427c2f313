/**
 * Speed to lead read in grouping order (decision 021). Each MQL entry keeps the response class of
 * its response time (`responseClass`: < 5 min, 5–10, 10–30, 30–60 min, 1–24 h, > 24 h as 0–5; null
 * when no rep touched it), and an index holds the entries in the order a report groups them
 * (hour, weekday, length bucket, class, clock verdict) with every column it reads, so a report over
 * a large share of the entries walks the index once and counts each group as it passes instead of
 * sorting the range's entries (0.45 s for 283,000 entries at 1M contacts, 0.12 s walked).
 * The class is filled here for the entries already stored, by the same thresholds in SQL.
 */
import { sql, type Kysely, type Migration, type RawBuilder } from 'kysely';

/** `responseClass(first_touch_at - at)` in SQL, null when untouched (thresholds of RESPONSE_BUCKETS). */
export function responseClassSql(): RawBuilder<number | null> {
  const under = [5 * 60_000, 10 * 60_000, 30 * 60_000, 60 * 60_000, 86_400_000];
  return sql<number | null>`case when first_touch_at is null then null ${sql.join(
    under.map((ms, i) => sql`when first_touch_at - at < ${sql.lit(ms)} then ${sql.lit(i)}`),
    sql` `,
  )} else ${sql.lit(under.length)} end`;
}

const INDEX_COLUMNS = [
  'hour',
  'weekday',
  'response_bucket',
  'response_class',
  'clock_verdict',
  'at',
  'first_touch_at',
  'until_at',
  'reached_sql',
  'owner',
  'source',
];

export function responseClasses(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('metric_mql_entries').addColumn('response_class', 'integer').execute();
      await sql`update metric_mql_entries set response_class = ${responseClassSql()} where first_touch_at is not null`.execute(
        db,
      );
      await db.schema
        .createIndex('metric_mql_entries_stl_idx')
        .on('metric_mql_entries')
        .columns(INDEX_COLUMNS)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('metric_mql_entries_stl_idx').execute();
      await db.schema.alterTable('metric_mql_entries').dropColumn('response_class').execute();
    },
  };
}
