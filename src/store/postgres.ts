/**
 * The store on PostgreSQL through a `pg` pool: several processes may write, and timer claims skip
 * rows another claimer has locked. The pool parses BIGINT as a JS number (epoch milliseconds fit)
 * and leaves JSON as text, so rows map the same way as on SQLite.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { KyselyStore, type SqlStore } from './kyselyStore.ts';
import type { SqlProfile, StoreOptions } from './profile.ts';
import type { Database } from './schema.ts';

/** PostgreSQL: `FOR UPDATE SKIP LOCKED`, concurrent writers; 65535 bind parameters per statement. */
export const POSTGRES_PROFILE: SqlProfile = Object.freeze({
  capabilities: Object.freeze({ skipLocked: true, concurrentWriters: true }),
  maxParameters: 65535,
  jsonType: 'json',
  byteOrderCollation: 'C',
  namedSchemas: true,
  withoutRowid: false,
  serial: Object.freeze({ type: 'bigserial', autoIncrement: false }),
});

export interface PostgresStoreOptions extends StoreOptions {
  /** Pool size (default 10). */
  readonly maxConnections?: number;
  /** How long opening a connection may take before it fails (default 10 s). */
  readonly connectTimeoutMs?: number;
  /**
   * Called when an idle pooled connection fails (server restart, network cut). The pool drops that
   * connection and the next query opens a new one; by default the error is ignored.
   */
  readonly onIdleError?: (error: Error) => void;
}

const INT8_OID = 20;
const JSON_OID = 114;
const JSONB_OID = 3802;

const asNumber = (text: string): number => Number(text);
const asText = (text: string): string => text;

type Parser = (value: never) => unknown;
const builtinParser = pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => Parser;

/** This pool's type parsers: int8 → number, json/jsonb → text; everything else as pg does. */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): Parser => {
    if (format !== 'binary' && oid === INT8_OID) return asNumber;
    if (format !== 'binary' && (oid === JSON_OID || oid === JSONB_OID)) return asText;
    return builtinParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/** The URL as it may appear in messages: the password (and any password parameter) removed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    parsed.searchParams.delete('password');
    parsed.searchParams.delete('sslpassword');
    return parsed.toString();
  } catch {
    return '(an unparseable PostgreSQL URL)';
  }
}

/** `postgres://host:port/db`: no user, no password, no parameters. */
function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `postgres://${parsed.host}${parsed.pathname}`;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) {
    return error.errors.map(reasonOf).join('; ');
  }
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return error.message || (typeof code === 'string' ? code : error.name);
  }
  return String(error);
}

/**
 * Connects to PostgreSQL at `url` (checking the connection once) and returns the store. Does not
 * migrate: call `store.migrate()`. Throws an Error naming the URL without its password when the
 * server cannot be reached or refuses the connection.
 */
export async function createPostgresStore(
  url: string,
  options: PostgresStoreOptions = {},
): Promise<SqlStore> {
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
  });
  pool.on('error', options.onIdleError ?? (() => {}));
  try {
    const client = await pool.connect();
    client.release();
  } catch (cause) {
    await pool.end().catch(() => {});
    throw new Error(
      `Cannot connect to PostgreSQL at ${redactUrl(url)}: ${reasonOf(cause)}. ` +
        'Check DATABASE_URL (host, port, user, password, database) and that the server is running and accepts connections.',
      { cause },
    );
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return new KyselyStore(db, POSTGRES_PROFILE, describe(url), options);
}
