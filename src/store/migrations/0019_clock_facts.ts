/**
 * SLA clocks as metric facts (decision 022): `metric_clocks`, a narrow copy of each clock's figures
 * (clustered by start time), and `metric_clock_days`, those counted per UTC day of start, clock id,
 * owner, status, lateness bucket and name, with the indexes the SLA report's rank and name lookups
 * use. Both are filled here from the clocks already stored (`rebuildClockFacts`), so no rebuild of
 * the other facts is needed.
 */
import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import { rebuildClockFacts } from '../metricClocks.ts';
import type { SqlProfile } from '../profile.ts';
import { keyType } from './columns.ts';

export function clockFacts(profile: SqlProfile): Migration {
  const key = keyType(profile);
  const clustered = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    profile.withoutRowid ? table.modifyEnd(sql`without rowid`) : table;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await clustered(
        db.schema
          .createTable('metric_clocks')
          .addColumn('started_at', 'bigint', (c) => c.notNull())
          .addColumn('key', key, (c) => c.notNull())
          .addColumn('contact_key', key, (c) => c.notNull())
          .addColumn('clock_id', 'text', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('owner', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('due_at', 'bigint', (c) => c.notNull())
          .addColumn('late_wall_ms', 'bigint')
          .addColumn('late_bucket', 'integer')
          .addColumn('escalations', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('metric_clocks_pk', ['started_at', 'key']),
      ).execute();
      await db.schema
        .createIndex('metric_clocks_key_idx')
        .on('metric_clocks')
        .column('contact_key')
        .execute();
      // The lateness of a (clock id, owner)'s breached clocks in one bucket, for the medians.
      await db.schema
        .createIndex('metric_clocks_late_idx')
        .on('metric_clocks')
        .columns(['clock_id', 'owner', 'status', 'late_bucket', 'started_at', 'late_wall_ms'])
        .execute();
      // A clock id's clocks by due time, for its name (that of its first clock due in the range).
      await db.schema
        .createIndex('metric_clocks_due_idx')
        .on('metric_clocks')
        .columns(['clock_id', 'due_at', 'key', 'started_at', 'owner', 'name'])
        .execute();
      await clustered(
        db.schema
          .createTable('metric_clock_days')
          .addColumn('day', 'integer', (c) => c.notNull())
          .addColumn('clock_id', 'text', (c) => c.notNull())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('late_bucket', 'integer', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('n', 'bigint', (c) => c.notNull())
          .addColumn('escalations', 'bigint', (c) => c.notNull())
          // In the order a report groups them, the day last: a range is summed in one pass, unsorted.
          .addPrimaryKeyConstraint('metric_clock_days_pk', [
            'clock_id',
            'owner',
            'status',
            'late_bucket',
            'name',
            'day',
          ]),
      ).execute();
      // The days a refresh emptied rows of, for dropping them.
      await db.schema
        .createIndex('metric_clock_days_day_idx')
        .on('metric_clock_days')
        .column('day')
        .execute();
      await rebuildClockFacts(db);
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('metric_clock_days').execute();
      await db.schema.dropTable('metric_clocks').execute();
    },
  };
}
