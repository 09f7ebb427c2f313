/**
 * PostgreSQL for tests: one fresh, randomly named database per run (dropped at the end), and a
 * fresh schema per test inside it, so every test starts from an empty, unmigrated database. The
 * caller passes the server URL (`REVOPS_TEST_PG_URL`, from `scripts/pg-test-server.sh start`).
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface PgTestDatabase {
  /** The database's name (`revops_test_<hex>`). */
  readonly name: string;
  /** A URL to a new empty schema of the database (the connection's `search_path` is that schema). */
  freshSchemaUrl(): Promise<string>;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

async function onServer<T>(serverUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates the run's database on the server at `serverUrl`. Throws when the server is unreachable. */
export async function createPgTestDatabase(serverUrl: string): Promise<PgTestDatabase> {
  const name = `revops_test_${randomBytes(6).toString('hex')}`;
  await onServer(serverUrl, async (client) => {
    // A linguistic default collation (ICU en-US) where the server has ICU, so a test catches any
    // ordering that leans on the database's collation instead of the store's byte order.
    try {
      await client.query(
        `CREATE DATABASE ${name} LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C' TEMPLATE template0`,
      );
    } catch {
      await client.query(`CREATE DATABASE ${name}`);
    }
  });
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${name}`;
  let schemas = 0;
  return {
    name,
    async freshSchemaUrl() {
      schemas += 1;
      const schema = `t${schemas}`;
      await onServer(databaseUrl.toString(), (client) => client.query(`CREATE SCHEMA ${schema}`));
      const url = new URL(databaseUrl);
      url.searchParams.set('options', `-c search_path=${schema}`);
      return url.toString();
    },
    async drop() {
      await onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
