/**
 * The store's public surface: `openStore(target)` picks the database from the target string.
 * Only `compose.ts` imports this folder; everything else sees the `Store` port.
 */
import { createPostgresStore, type PostgresStoreOptions } from './postgres.ts';
import { createSqliteStore } from './sqlite.ts';
import type { SqlStore } from './kyselyStore.ts';

export type { ConfigVersion, SqlStore } from './kyselyStore.ts';
export type { StoreOptions } from './profile.ts';
export type { PostgresStoreOptions } from './postgres.ts';
export { createPostgresStore, redactUrl } from './postgres.ts';
export { createSqliteStore } from './sqlite.ts';

/** Whether `target` names a PostgreSQL server (`postgres://` or `postgresql://`). */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/**
 * Opens the store named by `target`: a `postgres://` / `postgresql://` URL is PostgreSQL; anything
 * else is a SQLite file path (created with its directory when missing) or `:memory:`. Does not
 * migrate: call `store.migrate()` next. Throws when the database cannot be opened or reached; the
 * message names the target (without a password) and what to check.
 */
export async function openStore(target: string, options: PostgresStoreOptions = {}): Promise<SqlStore> {
  return isPostgresUrl(target) ? createPostgresStore(target, options) : createSqliteStore(target, options);
}
