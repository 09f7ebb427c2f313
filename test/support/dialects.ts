/**
 * The databases every engine test runs on: SQLite in memory always, PostgreSQL when
 * REVOPS_TEST_PG_URL names a server (CI starts one). Each `open()` is a fresh, migrated store.
 */
import { afterAll } from 'vitest';
import { openMigratedStore } from '../../src/compose.ts';
import type { Store } from '../../src/core/ports.ts';
import { createPgTestDatabase, type PgTestDatabase } from '../pg/testDatabase.ts';

export interface Dialect {
  readonly name: string;
  open(): Promise<Store>;
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

export const DIALECTS: readonly Dialect[] = [
  { name: 'sqlite', open: () => openMigratedStore(':memory:') },
  ...(PG_URL === undefined
    ? []
    : [
        {
          name: 'postgres',
          open: async () => openMigratedStore(await (await pgDatabase(PG_URL)).freshSchemaUrl()),
        },
      ]),
];
