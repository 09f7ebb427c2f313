/**
 * The HTTP API's admin side: API keys (a SHA-256 hash of each key, never the key; its scopes, when
 * it was made, last used and revoked), rep availability overrides set over the API (one JSON row
 * per rep, with who set it and when), and the config audit: who stored each config version and a
 * row for every time a version became the active one.
 */
import type { ColumnDefinitionBuilder, Kysely, Migration } from 'kysely';
import type { SqlProfile } from '../profile.ts';
import { keyType } from './columns.ts';

export function apiKeys(profile: SqlProfile): Migration {
  const key = keyType(profile);
  const serialKey = (column: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    profile.serial.autoIncrement ? column.primaryKey().autoIncrement() : column.primaryKey();
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', key, (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scopes', profile.jsonType, (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .addColumn('last_used_at', 'bigint')
        .execute();
      await db.schema
        .createTable('rep_overrides')
        .addColumn('rep_id', key, (c) => c.primaryKey())
        .addColumn('data', profile.jsonType, (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema.alterTable('config_versions').addColumn('created_by', 'text').execute();
      await db.schema
        .createTable('config_activations')
        .addColumn('id', profile.serial.type, serialKey)
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('by', 'text')
        .addColumn('note', 'text')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('config_activations').execute();
      await db.schema.alterTable('config_versions').dropColumn('created_by').execute();
      await db.schema.dropTable('rep_overrides').execute();
      await db.schema.dropTable('api_keys').execute();
    },
  };
}
