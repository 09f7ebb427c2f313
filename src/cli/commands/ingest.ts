/**
 * `revops ingest FILE|-`: streams events into the database through the engine, in batches, with
 * a progress bar. A bad line is reported with its number and reason and skipped; the rest goes in.
 * Running the same file again accepts nothing new.
 */
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { databaseTarget, openMigratedStore, recordConfig, runtime } from '../../compose.ts';
import { systemClock } from '../../engine/clock.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { formatFor, openEventInput, readEventLines } from '../eventFile.ts';
import { progressBar } from '../progress.ts';
import { loadConfigOrReport } from './configArg.ts';

export interface IngestOptions {
  readonly format?: string;
  readonly db?: string;
  readonly config: string;
  readonly batch: string;
  readonly errors?: string;
}

const SHOWN = 20;

export async function ingestCommand(io: CliIo, file: string, options: IngestOptions): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const format = formatFor(file, options.format);
  const batchSize = Math.max(1, Math.min(5000, Number(options.batch) || 1000));
  const input = openEventInput(file === '-' ? '-' : resolve(io.cwd, file), io.stdin);
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  const errorLog =
    options.errors === undefined ? undefined : createWriteStream(resolve(io.cwd, options.errors));
  try {
    await recordConfig(
      store,
      config,
      readFileSync(resolve(io.cwd, options.config), 'utf8'),
      systemClock.now(),
    );
    const { engine } = runtime(store, config, systemClock);
    const bar = progressBar(io.stderr, 'ingest', input.size, io.interactive);
    const started = performance.now();
    let accepted = 0;
    let duplicates = 0;
    let rejected = 0;
    let shown = 0;
    for await (const lines of readEventLines(input.stream, format, batchSize)) {
      const parsed = lines.filter((l) => l.error === undefined);
      const summary = await engine.ingest(
        parsed.map((l) => l.raw),
        { source: 'import' },
      );
      accepted += summary.accepted;
      duplicates += summary.duplicates;
      const problems = [
        ...lines
          .filter((l) => l.error !== undefined)
          .map((l) => ({ line: l.line, id: undefined, issues: l.error ? [l.error] : [] })),
        ...summary.items
          .filter((item) => item.status === 'rejected')
          .map((item) => ({ line: parsed[item.index]?.line ?? 0, id: item.id, issues: item.issues ?? [] })),
      ].sort((a, b) => a.line - b.line);
      rejected += problems.length;
      for (const p of problems) {
        errorLog?.write(`${JSON.stringify(p)}\n`);
        if (shown++ < SHOWN) {
          const where = file === '-' ? `line ${p.line}` : `${file}:${p.line}`;
          for (const issue of p.issues)
            write(
              io.stderr,
              `${where}  ${issue.code}  ${issue.path ? `${issue.path}: ` : ''}${issue.message}`,
            );
        }
      }
      bar.update(input.bytesRead());
    }
    bar.stop();
    if (shown > SHOWN)
      write(
        io.stderr,
        `… and ${shown - SHOWN} more rejected line(s)${errorLog ? ` (all in ${options.errors})` : '; pass --errors FILE to keep them all'}`,
      );
    const seconds = (performance.now() - started) / 1000;
    const total = accepted + duplicates + rejected;
    write(
      io.stdout,
      `${total} events: ${accepted} accepted, ${duplicates} duplicate, ${rejected} rejected ` +
        `in ${seconds.toFixed(1)} s (${Math.round(total / Math.max(seconds, 0.001))} events/s) into ${store.description}`,
    );
    return rejected > 0 ? EXIT.user : EXIT.ok;
  } finally {
    if (errorLog) await new Promise<void>((done) => errorLog.end(done));
    await store.close();
  }
}
