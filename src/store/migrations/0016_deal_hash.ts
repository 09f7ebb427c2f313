/**
 * Each deal row carries a hash of its JSON (`data_hash`, `dealHash` in dealStore.ts), written with
 * every write of the deal, and an index on (id, status, closed_at, data_hash): a pipeline report
 * lists the deals it needs with their hashes from the index alone and parses the JSON only of the
 * deals that changed since the store last parsed them (decision 019). Deals already stored get
 * their hash here, 500 at a time.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { dealHash } from '../dealStore.ts';

const CHUNK = 500;

export function dealHashes(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('deals').addColumn('data_hash', 'text').execute();
      let after = '';
      for (;;) {
        const { rows } = await sql<{
          id: string;
          data: unknown;
        }>`select id, data from deals where id > ${after} order by id limit ${sql.lit(CHUNK)}`.execute(db);
        const last = rows[rows.length - 1];
        if (last === undefined) break;
        const values = rows.map((r) => {
          const text = typeof r.data === 'string' ? r.data : JSON.stringify(r.data);
          return sql`select ${r.id} as id, ${dealHash(text)} as h`;
        });
        await sql`update deals set data_hash = v.h from (${sql.join(values, sql` union all `)}) as v where deals.id = v.id`.execute(
          db,
        );
        after = last.id;
      }
      await db.schema
        .createIndex('deals_report_idx')
        .on('deals')
        .columns(['id', 'status', 'closed_at', 'data_hash'])
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropIndex('deals_report_idx').execute();
      await db.schema.alterTable('deals').dropColumn('data_hash').execute();
    },
  };
}
