/**
 * Speed to lead counted in SQL (decision 017): each MQL entry carries the length bucket of its
 * response time (`lengthBucket(first_touch_at - at)`: 8 buckets per power of two, -1 for an
 * immediate touch; null when no rep touched it), so a report counts the range's entries by hour,
 * weekday and bucket and reads back only the entries of the buckets that hold the medians' ranks.
 * Like every metric roll-up the column is derived: the migration drops the built state, so the next
 * report (or `revops metrics rebuild`) rebuilds the facts with it.
 */
import type { Kysely, Migration } from 'kysely';

export function responseBuckets(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('metric_mql_entries').addColumn('response_bucket', 'integer').execute();
      await db.deleteFrom('metric_state' as never).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('metric_mql_entries').dropColumn('response_bucket').execute();
      await db.deleteFrom('metric_state' as never).execute();
    },
  };
}
