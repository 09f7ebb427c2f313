/**
 * The first schema: events (append-only), contacts, accounts, stage history, touches, timers,
 * outbox, tasks, and the tables certain to come (score cache and ledger, assignments, reps, teams,
 * config versions). Column types come from the profile (JSON and serial keys differ by database).
 */
import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';
import { keyType } from './columns.ts';

export function initialSchema(profile: SqlProfile): Migration {
  const json = profile.jsonType;
  const serialKey = (column: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    profile.serial.autoIncrement ? column.primaryKey().autoIncrement() : column.primaryKey();
  const serial = profile.serial.type;
  const key = keyType(profile);

  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('events')
        .addColumn('seq', serial, serialKey)
        .addColumn('id', key, (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .addColumn('contact_key', 'text')
        .addColumn('contact', json, (c) => c.notNull())
        .addColumn('company', json, (c) => c.notNull())
        .addColumn('properties', json, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('contacts')
        .addColumn('key', key, (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.unique())
        .addColumn('external_id', 'text', (c) => c.unique())
        .addColumn('account_domain', 'text')
        .addColumn('attributes', json, (c) => c.notNull())
        .addColumn('company_attributes', json, (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('stage_entered_at', 'bigint', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('flags', json, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_activity_at', 'bigint')
        .addColumn('last_touch_at', 'bigint')
        .addColumn('event_count', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      for (const column of ['stage', 'owner', 'account_domain', 'updated_at'] as const) {
        await db.schema.createIndex(`contacts_${column}_idx`).on('contacts').column(column).execute();
      }

      await db.schema
        .createTable('accounts')
        .addColumn('domain', key, (c) => c.primaryKey())
        .addColumn('attributes', json, (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('contact_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('last_activity_at', 'bigint')
        .execute();

      await db.schema
        .createTable('stage_history')
        .addColumn('id', serial, serialKey)
        .addColumn('contact_key', 'text', (c) => c.notNull())
        .addColumn('from_stage', 'text')
        .addColumn('to_stage', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('stage_history_contact_at_idx')
        .on('stage_history')
        .columns(['contact_key', 'at'])
        .execute();

      await db.schema
        .createTable('touches')
        .addColumn('id', serial, serialKey)
        .addColumn('contact_key', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('rep', 'text')
        .addColumn('event_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('touches_contact_at_idx')
        .on('touches')
        .columns(['contact_key', 'at'])
        .execute();

      await db.schema
        .createTable('timers')
        .addColumn('key', key, (c) => c.primaryKey())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('contact_key', 'text')
        .addColumn('payload', json, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_until', 'bigint')
        .addColumn('lease_owner', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('timers_due_at_idx').on('timers').column('due_at').execute();

      await db.schema
        .createTable('outbox')
        .addColumn('id', serial, serialKey)
        .addColumn('key', key, (c) => c.notNull().unique())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('contact_key', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('payload', json, (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .execute();
      await db.schema
        .createIndex('outbox_status_next_idx')
        .on('outbox')
        .columns(['status', 'next_attempt_at'])
        .execute();

      await db.schema
        .createTable('tasks')
        .addColumn('key', key, (c) => c.primaryKey())
        .addColumn('contact_key', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('assignee', 'text', (c) => c.notNull())
        .addColumn('due_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'bigint')
        .execute();
      await db.schema
        .createIndex('tasks_assignee_status_idx')
        .on('tasks')
        .columns(['assignee', 'status'])
        .execute();

      await db.schema
        .createTable('score_cache')
        .addColumn('contact_key', key, (c) => c.primaryKey())
        .addColumn('fit', 'double precision', (c) => c.notNull())
        .addColumn('engagement', 'double precision', (c) => c.notNull())
        .addColumn('negative', 'double precision', (c) => c.notNull())
        .addColumn('total', 'double precision', (c) => c.notNull())
        .addColumn('mql', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('grade_fit', 'text')
        .addColumn('grade_engagement', 'text')
        .addColumn('next_decay_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('score_cache_next_decay_idx')
        .on('score_cache')
        .column('next_decay_at')
        .execute();

      await db.schema
        .createTable('score_ledger')
        .addColumn('id', serial, serialKey)
        .addColumn('contact_key', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('points', 'double precision', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text')
        .execute();
      await db.schema
        .createIndex('score_ledger_contact_at_idx')
        .on('score_ledger')
        .columns(['contact_key', 'at'])
        .execute();

      await db.schema
        .createTable('assignments')
        .addColumn('id', serial, serialKey)
        .addColumn('contact_key', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('trace', json, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('assignments_contact_at_idx')
        .on('assignments')
        .columns(['contact_key', 'at'])
        .execute();

      for (const table of ['reps', 'teams'] as const) {
        await db.schema
          .createTable(table)
          .addColumn('id', key, (c) => c.primaryKey())
          .addColumn('data', json, (c) => c.notNull())
          .execute();
      }

      await db.schema
        .createTable('config_versions')
        .addColumn('hash', key, (c) => c.primaryKey())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('note', 'text')
        .execute();
    },

    async down(db: Kysely<unknown>): Promise<void> {
      const tables = [
        'config_versions',
        'teams',
        'reps',
        'assignments',
        'score_ledger',
        'score_cache',
        'tasks',
        'outbox',
        'timers',
        'touches',
        'stage_history',
        'accounts',
        'contacts',
        'events',
      ];
      for (const table of tables) await db.schema.dropTable(table).ifExists().execute();
    },
  };
}
