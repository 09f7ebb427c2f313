/**
 * The store on an embedded SQLite file (or `:memory:`) through better-sqlite3: one connection, one
 * writer. Files run in WAL mode with `synchronous = NORMAL` (durable at checkpoints, fast commits).
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase,
  type SqliteDialectConfig,
} from 'kysely';
import { StateCache } from './stateCache.ts';
import { KyselyStore, type SqlStore } from './kyselyStore.ts';
import type { SqlProfile, StoreOptions } from './profile.ts';
import type { Database } from './schema.ts';
import { WalCheckpointer } from './walCheckpointer.ts';

/** SQLite: no row locks to skip and a single writer; 32766 bind parameters per statement. */
export const SQLITE_PROFILE: SqlProfile = Object.freeze({
  capabilities: Object.freeze({ skipLocked: false, concurrentWriters: false }),
  maxParameters: 32766,
  jsonType: 'text',
  byteOrderCollation: undefined,
  namedSchemas: false,
  withoutRowid: true,
  serial: Object.freeze({ type: 'integer', autoIncrement: true }),
});

/** Prepared statements kept per connection (a few shapes per table; see statements.ts). */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The connection as Kysely sees it, with prepared statements reused by SQL text (least recently
 * used dropped first). Safe because Kysely runs one statement at a time on the connection and the
 * store never streams a query (a statement being iterated could not be re-run).
 */
function withStatementCache(database: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => database.close(),
    prepare: (sql) => {
      const cached = cache.get(sql);
      if (cached !== undefined) {
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

/** How long a statement waits for another process's write lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * One writer at a time per database file within this process: stores opened twice on the same file
 * (tests, a tool next to the engine) queue their transactions here, without blocking the event loop
 * as SQLite's busy wait would.
 */
const FILE_QUEUES = new Map<string, Promise<void>>();

function enqueue(file: string): Promise<() => void> {
  const before = FILE_QUEUES.get(file) ?? Promise.resolve();
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => done);
  FILE_QUEUES.set(file, tail);
  void tail.then(() => {
    if (FILE_QUEUES.get(file) === tail) FILE_QUEUES.delete(file);
  });
  return before.then(() => release);
}

/**
 * Transactions that take the write lock when they begin (`BEGIN IMMEDIATE`). With the default
 * deferred `BEGIN`, a transaction that read first cannot upgrade to writing once another process
 * has committed (WAL snapshot): SQLite fails it at once with `database is locked`, busy timeout or
 * not. Taking the lock up front makes a writer in another process wait (busy_timeout) instead; in this
 * process they queue per file. Store transactions are for writes, so nothing is lost by locking early.
 */
class ImmediateSqliteDriver extends SqliteDriver implements Driver {
  readonly #file: string | undefined;
  readonly #checkpointer: WalCheckpointer | undefined;
  readonly #cache: StateCache | undefined;
  #release: (() => void) | undefined;
  constructor(
    config: SqliteDialectConfig,
    file: string | undefined,
    checkpointer: WalCheckpointer | undefined,
    cache: StateCache | undefined,
  ) {
    super(config);
    this.#file = file;
    this.#checkpointer = checkpointer;
    this.#cache = cache;
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    if (this.#file !== undefined) this.#release = await enqueue(this.#file);
    try {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    } catch (error) {
      this.#done();
      throw error;
    }
  }
  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.commitTransaction(connection);
    } catch (error) {
      // The transaction's states went into the cache just before COMMIT (KyselyStore.transaction);
      // a commit that failed takes them back, before anyone else can use the connection.
      this.#cache?.clear();
      throw error;
    } finally {
      this.#done();
    }
    this.#checkpointer?.afterCommit();
  }
  override async destroy(): Promise<void> {
    await this.#checkpointer?.close();
    await super.destroy();
  }
  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await super.rollbackTransaction(connection);
    } finally {
      this.#done();
    }
  }
  #done(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  readonly #file: string | undefined;
  readonly #checkpointer: WalCheckpointer | undefined;
  readonly #cache: StateCache | undefined;
  constructor(
    config: SqliteDialectConfig,
    file: string | undefined,
    checkpointer: WalCheckpointer | undefined,
    cache: StateCache | undefined,
  ) {
    super(config);
    this.#config = config;
    this.#file = file;
    this.#checkpointer = checkpointer;
    this.#cache = cache;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config, this.#file, this.#checkpointer, this.#cache);
  }
}

/** The state cache of each SQLite store that keeps one (tests and diagnostics). */
const CACHES = new WeakMap<SqlStore, StateCache>();

/** The store's cache of contacts and accounts (stateCache.ts); undefined with `stateCache: false`. */
export function stateCacheOf(store: SqlStore): StateCache | undefined {
  return CACHES.get(store);
}

/** The background checkpointer of each SQLite store that has one (tests and diagnostics). */
const CHECKPOINTERS = new WeakMap<SqlStore, WalCheckpointer>();

/** The store's background WAL checkpointer; undefined for `:memory:` or with `walCheckpoints: false`. */
export function walCheckpointerOf(store: SqlStore): WalCheckpointer | undefined {
  return CHECKPOINTERS.get(store);
}

/**
 * Opens (creating it and its parent directory when missing) the SQLite database at `path`, or a
 * private in-memory one for `':memory:'`. Does not migrate: call `store.migrate()`. Throws when
 * the file cannot be opened or created (the message names the path).
 */
export function createSqliteStore(path: string, options: StoreOptions = {}): SqlStore {
  const inMemory = path === ':memory:';
  let database: BetterSqlite3.Database;
  try {
    if (!inMemory) mkdirSync(dirname(resolve(path)), { recursive: true });
    database = new BetterSqlite3(path);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`Cannot open the SQLite database ${path}: ${reason}`, { cause });
  }
  if (!inMemory) database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('cache_size = -65536');
  database.pragma('temp_store = MEMORY');
  // The automatic checkpoint runs every ~64 MB rather than every 4 MB (a checkpoint fsyncs); past
  // 16 MB of log, checkpoints normally run on a worker thread first (walCheckpointer.ts), and this
  // one only catches up should the worker fall behind.
  if (!inMemory) database.pragma('wal_autocheckpoint = 16384');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const file = inMemory ? undefined : resolve(path);
  const checkpointer =
    file === undefined || options.walCheckpoints === false
      ? undefined
      : new WalCheckpointer(file, options.walCheckpoints);
  // One connection writes through this store: its contacts and accounts can be kept between
  // transactions, checked against SQLite's data_version for anyone else's commits (stateCache.ts).
  const cache =
    options.stateCache === false
      ? undefined
      : new StateCache(() => Number(database.pragma('data_version', { simple: true })), options.stateCache);
  const db = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect(
      { database: withStatementCache(database) },
      file,
      checkpointer,
      cache,
    ),
  });
  const store = new KyselyStore(db, SQLITE_PROFILE, `sqlite:${path}`, options, cache);
  if (checkpointer !== undefined) CHECKPOINTERS.set(store, checkpointer);
  if (cache !== undefined) CACHES.set(store, cache);
  return store;
}
