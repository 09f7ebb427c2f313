/** `revops score sweep` and `revops score rescore`: keeping stored scores current. */
import { databaseTarget, openMigratedStore, runtime } from '../../compose.ts';
import type { Store } from '../../core/ports.ts';
import { systemClock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { progressBar } from '../progress.ts';
import { loadConfigOrReport } from './configArg.ts';
import { parseAtOption } from '../timeOption.ts';

interface StoredScoresOptions {
  readonly config: string;
  readonly db?: string;
  readonly at?: string;
}

/** Loads the config, opens the database and runs `work` with the engine as of `--at` (default now). */
async function withEngine(
  io: CliIo,
  options: StoredScoresOptions,
  work: (engine: Engine, store: Store, at: number) => Promise<string>,
): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const at = options.at === undefined ? systemClock.now() : parseAtOption(options.at);
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const { engine } = runtime(store, config, systemClock);
    write(io.stdout, await work(engine, store, at));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export function scoreSweepCommand(io: CliIo, options: StoredScoresOptions): Promise<number> {
  return withEngine(io, options, async (engine, store, at) => {
    const swept = await engine.sweepScores(at);
    return `rescored ${swept} contact(s) whose decay step was due by ${new Date(at).toISOString()} in ${store.description}`;
  });
}

/** Rescores every contact, e.g. after the scoring model changed. */
export function scoreRescoreCommand(io: CliIo, options: StoredScoresOptions): Promise<number> {
  return withEngine(io, options, async (engine, store, at) => {
    const total = (await store.counts()).contacts;
    const bar = progressBar(io.stderr, 'rescore', total, io.interactive);
    const started = performance.now();
    const done = await engine.rescoreAll(at, { onProgress: (n) => bar.update(n) });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    return `rescored ${done} contact(s) as of ${new Date(at).toISOString()} in ${seconds.toFixed(1)} s with ${options.config} (${store.description})`;
  });
}
