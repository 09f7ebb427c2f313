/** `revops score sweep` and `revops score rescore`: keeping stored scores current. */
import { databaseTarget, openMigratedStore, runtime } from '../../compose.ts';
import { systemClock } from '../../engine/clock.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { progressBar } from '../progress.ts';
import { loadConfigOrReport } from './configArg.ts';
import { parseAtOption } from '../timeOption.ts';

export async function scoreSweepCommand(
  io: CliIo,
  options: { config: string; db?: string; at?: string },
): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const at = options.at === undefined ? systemClock.now() : parseAtOption(options.at);
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const { engine } = runtime(store, config, systemClock);
    const swept = await engine.sweepScores(at);
    write(
      io.stdout,
      `rescored ${swept} contact(s) whose decay step was due by ${new Date(at).toISOString()} in ${store.description}`,
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** `revops score rescore`: rescores every contact, e.g. after the scoring model changed. */
export async function scoreRescoreCommand(
  io: CliIo,
  options: { config: string; db?: string; at?: string },
): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const at = options.at === undefined ? systemClock.now() : parseAtOption(options.at);
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const { engine } = runtime(store, config, systemClock);
    const total = (await store.counts()).contacts;
    const bar = progressBar(io.stderr, 'rescore', total, io.interactive);
    const started = performance.now();
    const done = await engine.rescoreAll(at, { onProgress: (n) => bar.update(n) });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    write(
      io.stdout,
      `rescored ${done} contact(s) as of ${new Date(at).toISOString()} in ${seconds.toFixed(1)} s with ${options.config} (${store.description})`,
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
