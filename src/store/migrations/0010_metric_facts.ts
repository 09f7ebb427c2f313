/**
 * Metric facts: the roll-up tables lead-side reports read (core/metrics/facts.ts) — one narrow row
 * per lead (keyed by creation time), per MQL entry (by entry time), per closed stage stay (by the
 * time it closed) and per open stay (one per contact, indexed by stage and entry time so counts,
 * medians and "older than" are answered from the index) — with the contacts whose facts are out of
 * date (`metric_dirty`, marked in the engine's transaction) and the config fingerprint they were
 * built under (`metric_state`). The time-keyed tables are `WITHOUT ROWID` on SQLite, so a range is
 * read in storage order. Empty at first: the first report (or `revops metrics rebuild`) builds them.
 */
import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';
import { keyType } from './columns.ts';

export function metricFacts(profile: SqlProfile): Migration {
  const key = keyType(profile);
  const clustered = <T extends string, C extends string>(table: CreateTableBuilder<T, C>) =>
    profile.withoutRowid ? table.modifyEnd(sql`without rowid`) : table;
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await clustered(
        db.schema
          .createTable('metric_leads')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('contact_key', key, (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('owner', 'text')
          .addColumn('rank', 'integer', (c) => c.notNull())
          .addColumn('rejections', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('metric_leads_pk', ['created_at', 'contact_key']),
      ).execute();
      await db.schema.createIndex('metric_leads_key_idx').on('metric_leads').column('contact_key').execute();
      await clustered(
        db.schema
          .createTable('metric_mql_entries')
          .addColumn('at', 'bigint', (c) => c.notNull())
          .addColumn('contact_key', key, (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('until_at', 'bigint')
          .addColumn('recycled', 'integer', (c) => c.notNull())
          .addColumn('first_touch_at', 'bigint')
          .addColumn('clock_verdict', 'integer')
          .addColumn('reached_sql', 'integer', (c) => c.notNull())
          .addColumn('hour', 'integer', (c) => c.notNull())
          .addColumn('weekday', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('owner', 'text')
          .addPrimaryKeyConstraint('metric_mql_entries_pk', ['at', 'contact_key', 'seq']),
      ).execute();
      await db.schema
        .createIndex('metric_mql_entries_key_idx')
        .on('metric_mql_entries')
        .column('contact_key')
        .execute();
      await clustered(
        db.schema
          .createTable('metric_stays')
          .addColumn('left_at', 'bigint', (c) => c.notNull())
          .addColumn('contact_key', key, (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('stage', 'text', (c) => c.notNull())
          .addColumn('entered_at', 'bigint', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('owner', 'text')
          .addPrimaryKeyConstraint('metric_stays_pk', ['left_at', 'contact_key', 'seq']),
      ).execute();
      await db.schema.createIndex('metric_stays_key_idx').on('metric_stays').column('contact_key').execute();
      await db.schema
        .createTable('metric_open_stays')
        .addColumn('contact_key', key, (c) => c.primaryKey())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('entered_at', 'bigint', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .execute();
      await db.schema
        .createIndex('metric_open_stays_stage_idx')
        .on('metric_open_stays')
        .columns(['stage', 'entered_at', 'owner', 'source'])
        .execute();
      await db.schema
        .createTable('metric_dirty')
        .addColumn('contact_key', key, (c) => c.primaryKey())
        .addColumn('gen', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('metric_state')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('built_at', 'bigint', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      for (const table of [
        'metric_state',
        'metric_dirty',
        'metric_open_stays',
        'metric_stays',
        'metric_mql_entries',
        'metric_leads',
      ])
        await db.schema.dropTable(table).execute();
    },
  };
}
