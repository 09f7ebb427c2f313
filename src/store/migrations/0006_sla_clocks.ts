/**
 * SLA clocks: one row per started clock (its owner, start and due time, status, when it was met or
 * breached and how late, and the escalation steps that fired), indexed for "what is due or open"
 * (status, due_at) and "this lead's running clocks" (contact_key, status). Timers get an index on
 * (due_at, key), the claim query's exact order, replacing the one on due_at alone: SQLite's plan
 * for the claim loses its temporary sort B-tree (EXPLAIN QUERY PLAN, docs/sla.md). A partial index
 * on lease_until over leased timers only lets nextTimerDue skip the pending ones.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';
import { keyType } from './columns.ts';

export function slaClocks(profile: SqlProfile): Migration {
  const key = keyType(profile);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sla_clocks')
        .addColumn('key', key, (c) => c.primaryKey())
        .addColumn('contact_key', 'text', (c) => c.notNull())
        .addColumn('clock_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('business', 'integer', (c) => c.notNull())
        .addColumn('timezone', 'text', (c) => c.notNull())
        .addColumn('start_stage', 'text')
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('stopped_at', 'bigint')
        .addColumn('stop_reason', 'text')
        .addColumn('met_at', 'bigint')
        .addColumn('breached_at', 'bigint')
        .addColumn('late_ms', 'bigint')
        .addColumn('late_wall_ms', 'bigint')
        .addColumn('steps', profile.jsonType, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('sla_clocks_status_due_idx')
        .on('sla_clocks')
        .columns(['status', 'due_at'])
        .execute();
      await db.schema
        .createIndex('sla_clocks_contact_status_idx')
        .on('sla_clocks')
        .columns(['contact_key', 'status'])
        .execute();
      await db.schema.createIndex('timers_due_key_idx').on('timers').columns(['due_at', 'key']).execute();
      await db.schema.dropIndex('timers_due_at_idx').execute();
      // Only leased timers (a batch in flight, or left by a dead worker): nextTimerDue reads them
      // without scanning the pending ones, and inserting a timer (no lease) never touches it.
      await db.schema
        .createIndex('timers_leased_idx')
        .on('timers')
        .column('lease_until')
        .where('lease_until', 'is not', null)
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('timers_leased_idx').execute();
      await db.schema.createIndex('timers_due_at_idx').on('timers').column('due_at').execute();
      await db.schema.dropIndex('timers_due_key_idx').execute();
      await db.schema.dropTable('sla_clocks').execute();
    },
  };
}
