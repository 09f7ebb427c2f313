/** `revops score sweep`: rescores the contacts whose next decay step has come. */
import { databaseTarget, openMigratedStore, runtime } from '../../compose.ts';
import { systemClock } from '../../engine/clock.ts';
import { EXIT, write, type CliIo } from '../io.ts';
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
