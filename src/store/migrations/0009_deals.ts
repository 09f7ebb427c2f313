/**
 * Deals and deal-desk approvals. Each row keeps the whole value as JSON (`data`: stage history,
 * close-date pushes, flags, fields, votes) beside the columns lists filter and sort on: deals by
 * status and stage, by owner, by account; approvals by status and by deal.
 */
import type { Kysely, Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';
import { keyType } from './columns.ts';

export function deals(profile: SqlProfile): Migration {
  const key = keyType(profile);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('deals')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('pipeline', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('account_domain', 'text')
        .addColumn('amount', 'double precision')
        .addColumn('close_date', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('stage_entered_at', 'bigint', (c) => c.notNull())
        .addColumn('closed_at', 'bigint')
        .addColumn('data', profile.jsonType, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('deals_status_stage_idx')
        .on('deals')
        .columns(['status', 'stage'])
        .execute();
      await db.schema.createIndex('deals_owner_idx').on('deals').column('owner').execute();
      await db.schema.createIndex('deals_account_idx').on('deals').column('account_domain').execute();
      await db.schema
        .createTable('approvals')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('deal_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'bigint', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('decided_at', 'bigint')
        .addColumn('data', profile.jsonType, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('approvals_status_idx')
        .on('approvals')
        .columns(['status', 'requested_at'])
        .execute();
      await db.schema.createIndex('approvals_deal_idx').on('approvals').column('deal_id').execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('approvals').execute();
      await db.schema.dropTable('deals').execute();
    },
  };
}
