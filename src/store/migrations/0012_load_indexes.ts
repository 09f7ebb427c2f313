/**
 * Indexes for routing's per-batch load read (`ownerLoads`): open leads per owner are counted on
 * contacts (stage, owner), which replaces the (stage) index it extends, without touching a table
 * row; recent assignments per owner and quarter hour on assignments (kind, at, owner), one range
 * of the index instead of every assignment row of the last two days.
 */
import type { Kysely, Migration } from 'kysely';

export function loadIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('contacts_stage_owner_idx')
        .on('contacts')
        .columns(['stage', 'owner'])
        .execute();
      await db.schema.dropIndex('contacts_stage_idx').execute();
      await db.schema
        .createIndex('assignments_kind_at_owner_idx')
        .on('assignments')
        .columns(['kind', 'at', 'owner'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('assignments_kind_at_owner_idx').execute();
      await db.schema.createIndex('contacts_stage_idx').on('contacts').column('stage').execute();
      await db.schema.dropIndex('contacts_stage_owner_idx').execute();
    },
  };
}
