/**
 * Scores on contacts: the scoring memory (what scoring needs from past events), the cached score
 * and the instant its next decay step is due (indexed, so a sweep reads only due contacts).
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';

export function contactScores(profile: SqlProfile): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('contacts').addColumn('scoring', profile.jsonType).execute();
      await db.schema.alterTable('contacts').addColumn('score', profile.jsonType).execute();
      await db.schema.alterTable('contacts').addColumn('next_decay_at', 'bigint').execute();
      await db.schema
        .createIndex('contacts_next_decay_at_idx')
        .on('contacts')
        .column('next_decay_at')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('contacts_next_decay_at_idx').execute();
      for (const column of ['next_decay_at', 'score', 'scoring']) {
        await db.schema.alterTable('contacts').dropColumn(column).execute();
      }
    },
  };
}
