/**
 * Wiring: the only module that reads the environment and picks a store. The CLI and the server
 * ask it for an engine; everything else receives what it needs as arguments.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { engineSetup, type EngineSetup } from './config/engineModel.ts';
import type { RevopsConfig } from './config/schema/index.ts';
import type { Store } from './core/ports.ts';
import type { JsonObject } from './core/types.ts';
import { createEngine, type Engine } from './engine/engine.ts';
import type { Clock } from './engine/clock.ts';
import { isPostgresUrl, openStore } from './store/index.ts';

export const DEFAULT_DB = './data/revops.db';

/** Whether a database target names a PostgreSQL server rather than a SQLite file. */
export const isPostgresTarget = (target: string): boolean => isPostgresUrl(target);

/** `--db` wins, then `DATABASE_URL`, then `./data/revops.db`. */
export function databaseTarget(flag?: string, cwd = process.cwd()): string {
  const target = flag ?? process.env['DATABASE_URL'] ?? DEFAULT_DB;
  if (isPostgresUrl(target) || target === ':memory:') return target;
  return resolve(cwd, target);
}

/** Opens (and migrates) the store named by `target`. Throws when it cannot be reached. */
export async function openMigratedStore(target: string): Promise<Store> {
  const store = await openStore(target);
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

export interface Runtime {
  readonly engine: Engine;
  readonly setup: EngineSetup;
  readonly store: Store;
}

export function runtime(
  store: Store,
  config: RevopsConfig,
  clock: Clock,
  options: {
    /** False: no SLA clock runs (a routing simulation over a history without rep touches). */
    readonly sla?: boolean;
  } = {},
): Runtime {
  const built = engineSetup(config);
  const setup =
    options.sla === false
      ? Object.assign({}, built, { model: Object.assign({}, built.model, { sla: undefined }) })
      : built;
  return { engine: createEngine({ store, model: setup.model, catalog: setup.catalog, clock }), setup, store };
}

/** Applies pending migrations to `target`; returns the store description and what was applied. */
export async function migrateDatabase(target: string): Promise<{ description: string; applied: string[] }> {
  const store = await openStore(target);
  try {
    return { description: store.description, applied: await store.migrate() };
  } finally {
    await store.close();
  }
}

/**
 * Records the config a database runs with: a version row (by content hash, made active) and the
 * reps and teams it names, so stored decisions can be traced to the rules that made them.
 */
export async function recordConfig(
  store: Store,
  config: RevopsConfig,
  text: string,
  at: number,
): Promise<void> {
  const hash = createHash('sha256').update(text).digest('hex');
  await store.saveConfigVersion({ hash, text, at });
  const plain = (value: unknown) => JSON.parse(JSON.stringify(value)) as JsonObject;
  await store.syncTeam({ reps: config.team.reps.map(plain), teams: config.team.teams.map(plain) });
}
