/** Tasks by lead: a reassignment moves the lead's open tasks to the new owner. */
import type { Kysely, Migration } from 'kysely';

export function taskContact(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createIndex('tasks_contact_status_idx')
        .on('tasks')
        .columns(['contact_key', 'status'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('tasks_contact_status_idx').execute();
    },
  };
}
