/**
 * What the SLA, routing and scoring reports count in SQL (decision 018):
 *
 * - `sla_clocks.escalations`: how many escalation steps a clock fired (the length of `steps`), and
 *   `sla_clocks.late_bucket`: `lengthBucket(late_wall_ms)` (null without a lateness), both written
 *   with every clock and filled here for the clocks already stored; and a covering index in the
 *   order the SLA report groups by (clock id, owner, status, lateness bucket, name) holding the
 *   columns it filters and sums, so the report counts from the index alone, in index order
 *   (no sort of the range's clocks), and reads back only the lateness buckets holding medians.
 * - A covering index on `assignments` by decision time with the columns the routing report groups
 *   by, so a range's decisions are counted without reading their traces.
 * - `metric_mql_entries.decision`: what sales decided about the MQL entry before the next one (1
 *   accepted, 0 rejected, null pending) for scoring health. Derived like every metric fact: the
 *   built state is dropped, so the next report (or `revops metrics rebuild`) rebuilds the facts.
 */
import { sql, type Expression, type Kysely, type Migration, type RawBuilder } from 'kysely';

/**
 * `lengthBucket` (core/metrics/facts.ts) of a whole, non-negative millisecond count in portable SQL
 * integer arithmetic: -1 under 1 ms, else 8 × the exponent of the highest power of two at or below
 * it plus which eighth of that power it lies in. One branch per power of two below 2^53: equal to
 * `lengthBucket` for every safe integer, and no intermediate value overflows a 64-bit integer.
 */
export function lengthBucketSql(value: Expression<unknown>): RawBuilder<number> {
  const branches = [];
  for (let exponent = 0; exponent < 53; exponent++) {
    const base = 2 ** exponent;
    branches.push(
      sql`when ${value} < ${sql.lit(base * 2)} then ${sql.lit(exponent * 8)} + ((${value} - ${sql.lit(base)}) * 8) / ${sql.lit(base)}`,
    );
  }
  return sql<number>`case when ${value} < 1 then -1 ${sql.join(branches, sql` `)} else 424 end`;
}

const SLA_COLUMNS = [
  'clock_id',
  'owner',
  'status',
  'late_bucket',
  'name',
  'started_at',
  'escalations',
  'late_wall_ms',
  'due_at',
  'contact_key',
];
const ASSIGNMENT_COLUMNS = ['at', 'kind', 'owner', 'team', 'rule', 'queue', 'contact_key'];

export function reportIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('sla_clocks')
        .addColumn('escalations', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('sla_clocks').addColumn('late_bucket', 'integer').execute();
      // Both SQLite (text) and PostgreSQL (json) have json_array_length.
      await sql`update sla_clocks set escalations = json_array_length(steps) where cast(steps as text) <> '[]'`.execute(
        db,
      );
      await sql`update sla_clocks set late_bucket = ${lengthBucketSql(sql.ref('late_wall_ms'))} where late_wall_ms is not null`.execute(
        db,
      );
      await db.schema.createIndex('sla_clocks_report_idx').on('sla_clocks').columns(SLA_COLUMNS).execute();
      await db.schema
        .createIndex('assignments_at_report_idx')
        .on('assignments')
        .columns(ASSIGNMENT_COLUMNS)
        .execute();
      await db.schema.alterTable('metric_mql_entries').addColumn('decision', 'integer').execute();
      await db.deleteFrom('metric_state' as never).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('metric_mql_entries').dropColumn('decision').execute();
      await db.schema.dropIndex('assignments_at_report_idx').execute();
      await db.schema.dropIndex('sla_clocks_report_idx').execute();
      await db.schema.alterTable('sla_clocks').dropColumn('late_bucket').execute();
      await db.schema.alterTable('sla_clocks').dropColumn('escalations').execute();
      await db.deleteFrom('metric_state' as never).execute();
    },
  };
}
