/**
 * Outbox delivery: who claimed a row last (`lease_owner`), which destinations already have it
 * (`delivered_to`, a JSON array, so a retry sends only to the others) and when it was delivered,
 * dead-lettered or skipped (`settled_at`). The claim reads the (status, next_attempt_at) index of
 * 0001; `revops outbox list --status` pages by (status, id).
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';

export function outboxDelivery(profile: SqlProfile): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('outbox').addColumn('lease_owner', 'text').execute();
      await db.schema.alterTable('outbox').addColumn('delivered_to', profile.jsonType).execute();
      await db.schema.alterTable('outbox').addColumn('settled_at', 'bigint').execute();
      await db.schema.createIndex('outbox_status_id_idx').on('outbox').columns(['status', 'id']).execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('outbox_status_id_idx').execute();
      for (const column of ['settled_at', 'delivered_to', 'lease_owner']) {
        await db.schema.alterTable('outbox').dropColumn(column).execute();
      }
    },
  };
}
