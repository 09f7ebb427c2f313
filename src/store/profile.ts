/**
 * What the shared Kysely store needs to know about the database underneath: abilities and limits as
 * data, so the code branches on flags and never on a dialect's name.
 */
import type { StateCacheLimits } from './stateCache.ts';
import type { WalCheckpointerOptions } from './walCheckpointer.ts';
import type { StoreCapabilities } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';

export interface SqlProfile {
  /** The abilities published as `store.capabilities`. */
  readonly capabilities: StoreCapabilities;
  /** Most bind parameters one statement may carry (SQLite 32766, PostgreSQL 65535). */
  readonly maxParameters: number;
  /** Column type of JSON columns; both hold the JSON text verbatim (key order survives). */
  readonly jsonType: 'text' | 'json';
  /**
   * The database has named schemas (PostgreSQL): migration bookkeeping goes in the connection's
   * `current_schema()`, so another schema's migration tables in the same database are not mistaken
   * for ours.
   */
  readonly namedSchemas: boolean;
  /**
   * Collation that orders text by bytes, declared on key columns when the database's default may
   * not (PostgreSQL: `C`); undefined when text already compares by bytes (SQLite's BINARY). Keeps
   * `ORDER BY key` and `key > afterKey` paging the same on every database.
   */
  readonly byteOrderCollation: string | undefined;
  /**
   * Tables may be declared `WITHOUT ROWID` (SQLite): rows are then stored in primary-key order, so a
   * table keyed by time reads a time range sequentially.
   */
  readonly withoutRowid: boolean;
  /** How an auto-numbered primary key is declared. */
  readonly serial: { readonly type: 'integer' | 'bigserial'; readonly autoIncrement: boolean };
}

/** Options every store accepts. */
export interface StoreOptions {
  /**
   * Stamps bookkeeping columns the ports give no time for (`timers.created_at`). Defaults to
   * `Date.now`; tests and replays pass their clock.
   */
  readonly now?: () => Millis;
  /**
   * SQLite files only: when WAL checkpoints move to a background thread (walCheckpointer.ts), or
   * `false` to leave them all to SQLite's automatic checkpoint on the writer's thread.
   */
  readonly walCheckpoints?: WalCheckpointerOptions | false;
  /**
   * SQLite only: how many contacts and accounts to keep between transactions (stateCache.ts), or
   * `false` to read every one from its row. Default 20,000 contacts and 5,000 accounts.
   */
  readonly stateCache?: StateCacheLimits | false;
}
