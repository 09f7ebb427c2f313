/** `revops score sweep`: rescores the contacts whose next decay step has come. */
import { databaseTarget, openMigratedStore, runtime } from '../../compose.ts';
import { RevopsError } from '../../core/errors.ts';
import { systemClock } from '../../engine/clock.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { loadConfigOrReport } from './configArg.ts';

export async function scoreSweepCommand(
  io: CliIo,
  options: { config: string; db?: string; at?: string },
): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  let at = systemClock.now();
  if (options.at !== undefined) {
    at = Date.parse(options.at);
    if (Number.isNaN(at) || !/(Z|[+-]\d{2}:?\d{2})$/.test(options.at)) {
      throw new RevopsError(
        'cli.invalid_option',
        `--at must be an ISO time with a zone, not \`${options.at}\``,
        {
          hint: 'for example --at 2026-12-01T00:00:00Z (default: now)',
        },
      );
    }
  }
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
