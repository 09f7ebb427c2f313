/**
 * Routing: round-robin counters per team (the period they count, each rep's count, who was
 * eligible at the last pick); assignments gain the queue and team they went to, with an index by
 * owner and time for the per-day capacity counts; accounts remember their named-account entry.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';
import { keyType } from './columns.ts';

export function routing(profile: SqlProfile): Migration {
  const key = keyType(profile);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('routing_counters')
        .addColumn('team', key, (c) => c.primaryKey())
        .addColumn('state', profile.jsonType, (c) => c.notNull())
        .execute();
      await db.schema.alterTable('accounts').addColumn('named', profile.jsonType).execute();
      await db.schema.alterTable('assignments').addColumn('queue', 'text').execute();
      await db.schema.alterTable('assignments').addColumn('team', 'text').execute();
      await db.schema
        .createIndex('assignments_owner_at_idx')
        .on('assignments')
        .columns(['owner', 'at'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('assignments_owner_at_idx').execute();
      for (const column of ['team', 'queue']) {
        await db.schema.alterTable('assignments').dropColumn(column).execute();
      }
      await db.schema.dropTable('routing_counters').execute();
      await db.schema.alterTable('accounts').dropColumn('named').execute();
    },
  };
}
