/**
 * The databases every engine test runs on: SQLite in memory always, PostgreSQL when
 * REVOPS_TEST_PG_URL names a server (CI starts one). Each `open()` is a fresh, migrated store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openMigratedStore } from '../../src/compose.ts';
import type { Store } from '../../src/core/ports.ts';
import { createPgTestDatabase, type PgTestDatabase } from '../pg/testDatabase.ts';

export interface Dialect {
  readonly name: string;
  open(): Promise<Store>;
  /**
   * Two stores on one fresh database (separate connections), for concurrency tests; `close` closes
   * both and removes what the pair created.
   */
  openPair(): Promise<{ readonly stores: readonly [Store, Store]; close(): Promise<void> }>;
}

const PG_URL = process.env['REVOPS_TEST_PG_URL'];
let database: Promise<PgTestDatabase> | undefined;

function pgDatabase(url: string): Promise<PgTestDatabase> {
  if (database === undefined) {
    database = createPgTestDatabase(url);
    afterAll(async () => {
      await (await database)?.drop();
      database = undefined;
    });
  }
  return database;
}

async function pairOn(target: string, cleanup: () => void = () => undefined) {
  const first = await openMigratedStore(target);
  const second = await openMigratedStore(target);
  return {
    stores: [first, second] as const,
    close: async () => {
      await first.close();
      await second.close();
      cleanup();
    },
  };
}

export const DIALECTS: readonly Dialect[] = [
  {
    name: 'sqlite',
    open: () => openMigratedStore(':memory:'),
    openPair: () => {
      const dir = mkdtempSync(join(tmpdir(), 'revops-pair-'));
      return pairOn(join(dir, 'revops.db'), () => rmSync(dir, { recursive: true, force: true }));
    },
  },
  ...(PG_URL === undefined
    ? []
    : [
        {
          name: 'postgres',
          open: async () => openMigratedStore(await (await pgDatabase(PG_URL)).freshSchemaUrl()),
          openPair: async () => pairOn(await (await pgDatabase(PG_URL)).freshSchemaUrl()),
        },
      ]),
];

/** A database to point the command line at (`--db`), as a `describe.each` row. */
export interface DatabaseTarget {
  readonly name: string;
  /** A SQLite file path, or the URL of a fresh PostgreSQL schema. */
  readonly target: () => Promise<string>;
}

/**
 * The databases a command-line test runs on: a SQLite file `file` in `dir()` (read when a test
 * asks, so a per-test directory works) always; when REVOPS_TEST_PG_URL names a server, also a fresh
 * schema of one PostgreSQL database made on first use and dropped after the file's tests. Call it at
 * the top of a test file (it registers that `afterAll`).
 */
export function databaseTargets(dir: () => string, file = 'revops.db'): readonly DatabaseTarget[] {
  const sqlite = { name: 'sqlite', target: () => Promise.resolve(join(dir(), file)) };
  if (PG_URL === undefined) return [sqlite];
  const url = PG_URL;
  let pg: Promise<PgTestDatabase> | undefined;
  afterAll(async () => (await pg)?.drop());
  return [
    sqlite,
    { name: 'postgres', target: async () => (await (pg ??= createPgTestDatabase(url))).freshSchemaUrl() },
  ];
}
