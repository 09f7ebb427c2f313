/**
 * Metric facts: the roll-up tables lead-side reports read (core/metrics/facts.ts) — one narrow row
 * per lead, per MQL entry and per stage stay, each indexed by the instant a range selects it on —
 * with the contacts whose facts are out of date (`metric_dirty`, marked in the engine's
 * transaction) and the config fingerprint they were built under (`metric_state`). Empty at first:
 * the first report (or `revops metrics rebuild`) builds them from the stored history.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';
import { keyType } from './columns.ts';

export function metricFacts(profile: SqlProfile): Migration {
  const key = keyType(profile);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('metric_leads')
        .addColumn('contact_key', key, (c) => c.primaryKey())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('rank', 'integer', (c) => c.notNull())
        .addColumn('rejections', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('metric_leads_created_idx')
        .on('metric_leads')
        .column('created_at')
        .execute();
      await db.schema
        .createTable('metric_mql_entries')
        .addColumn('contact_key', key, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('until_at', 'bigint')
        .addColumn('recycled', 'integer', (c) => c.notNull())
        .addColumn('first_touch_at', 'bigint')
        .addColumn('clock_verdict', 'integer')
        .addColumn('reached_sql', 'integer', (c) => c.notNull())
        .addColumn('hour', 'integer', (c) => c.notNull())
        .addColumn('weekday', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addPrimaryKeyConstraint('metric_mql_entries_pk', ['contact_key', 'seq'])
        .execute();
      await db.schema
        .createIndex('metric_mql_entries_at_idx')
        .on('metric_mql_entries')
        .column('at')
        .execute();
      await db.schema
        .createTable('metric_stays')
        .addColumn('contact_key', key, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('entered_at', 'bigint', (c) => c.notNull())
        .addColumn('left_at', 'bigint')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addPrimaryKeyConstraint('metric_stays_pk', ['contact_key', 'seq'])
        .execute();
      await db.schema.createIndex('metric_stays_left_idx').on('metric_stays').column('left_at').execute();
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
        'metric_stays',
        'metric_mql_entries',
        'metric_leads',
      ])
        await db.schema.dropTable(table).execute();
    },
  };
}
