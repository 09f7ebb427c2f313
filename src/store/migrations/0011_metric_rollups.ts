/**
 * Metric day roll-ups: what lets a lead report over a long range read a few thousand rows instead
 * of one per lead and per stay (decision 014). `metric_lead_days` counts the leads created each UTC
 * day by what the funnel tells apart (source, owner, highest rank, rejection codes);
 * `metric_stay_days` counts the closed stays of each stage by the UTC day they closed and by length
 * bucket (`lengthBucket`), with the lengths' sum. `metric_stays` is rebuilt with each stay's length
 * and bucket and an index on (stage, bucket, left_at, length), so a median or p90 is found exactly:
 * the day counts say which bucket holds the rank, the index gives the length at that rank.
 * The roll-ups are derived data: the migration drops the built state, so the next report (or
 * `revops metrics rebuild`) rebuilds them.
 */
import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';
import { keyType } from './columns.ts';

export function metricRollups(profile: SqlProfile): Migration {
  const key = keyType(profile);
  const clustered = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    profile.withoutRowid ? table.modifyEnd(sql`without rowid`) : table;
  const stays = (db: Kysely<unknown>, measured: boolean) =>
    clustered(
      db.schema
        .createTable('metric_stays')
        .addColumn('left_at', 'bigint', (c) => c.notNull())
        .addColumn('contact_key', key, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('entered_at', 'bigint', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .$call((t) =>
          measured
            ? t
                .addColumn('length', 'bigint', (c) => c.notNull())
                .addColumn('bucket', 'integer', (c) => c.notNull())
            : t,
        )
        .addPrimaryKeyConstraint('metric_stays_pk', ['left_at', 'contact_key', 'seq']),
    ).execute();
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('metric_stays').execute();
      await stays(db, true);
      await db.schema.createIndex('metric_stays_key_idx').on('metric_stays').column('contact_key').execute();
      await db.schema
        .createIndex('metric_stays_bucket_idx')
        .on('metric_stays')
        .columns(['stage', 'bucket', 'left_at', 'length'])
        .execute();
      await clustered(
        db.schema
          .createTable('metric_lead_days')
          .addColumn('day', 'integer', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('rank', 'integer', (c) => c.notNull())
          .addColumn('rejections', 'text', (c) => c.notNull())
          .addColumn('n', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('metric_lead_days_pk', ['day', 'source', 'owner', 'rank', 'rejections']),
      ).execute();
      await clustered(
        db.schema
          .createTable('metric_stay_days')
          .addColumn('day', 'integer', (c) => c.notNull())
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('bucket', 'integer', (c) => c.notNull())
          .addColumn('n', 'bigint', (c) => c.notNull())
          .addColumn('total', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('metric_stay_days_pk', ['day', 'stage', 'bucket']),
      ).execute();
      await db.deleteFrom('metric_state' as never).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('metric_stay_days').execute();
      await db.schema.dropTable('metric_lead_days').execute();
      await db.schema.dropTable('metric_stays').execute();
      await stays(db, false);
      await db.schema.createIndex('metric_stays_key_idx').on('metric_stays').column('contact_key').execute();
      await db.deleteFrom('metric_state' as never).execute();
    },
  };
}
