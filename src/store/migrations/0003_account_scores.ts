/**
 * Account scores: each account keeps its members' latest score summaries (the roll-up reads no
 * other contact) and the rolled-up score with the buying-committee signal. The `score_cache` and
 * `score_ledger` tables of 0001 are dropped: scores live on their contacts since 0002, and the
 * ledger is computed from the contact's memory at any instant (decision 006). Events get an index
 * by contact: a scoring model change rebuilds a contact's memory from its events.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';

export function accountScores(profile: SqlProfile): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('accounts').addColumn('members', profile.jsonType).execute();
      await db.schema.alterTable('accounts').addColumn('score', profile.jsonType).execute();
      await db.schema.dropTable('score_cache').execute();
      await db.schema.dropTable('score_ledger').execute();
      await db.schema.createIndex('events_contact_key_idx').on('events').column('contact_key').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('events_contact_key_idx').execute();
      await db.schema
        .createTable('score_cache')
        .addColumn('contact_key', 'text', (c) => c.primaryKey())
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
        .createTable('score_ledger')
        .addColumn('id', profile.serial.type, (c) =>
          profile.serial.autoIncrement ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
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
      for (const column of ['score', 'members']) {
        await db.schema.alterTable('accounts').dropColumn(column).execute();
      }
    },
  };
}
