/**
 * `revops replay --config FILE --events FILE [--at ISO] [--json]`: the whole engine over an event
 * history on an in-memory database with a simulated clock. Nothing is written anywhere.
 */
import { openMigratedStore, runtime } from '../../compose.ts';
import { SimulatedClock } from '../../engine/clock.ts';
import { replay, type ReplayReport } from '../../engine/replay.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { earliestAt, readHistory } from '../eventFile.ts';
import { progressBar } from '../progress.ts';
import { parseAtOption } from '../timeOption.ts';
import { loadConfigOrReport } from './configArg.ts';
import { reportRejections } from './rejections.ts';

export interface ReplayOptions {
  readonly config: string;
  readonly events: string;
  readonly at?: string;
  readonly json?: boolean;
  readonly format?: string;
}

export async function replayCommand(io: CliIo, options: ReplayOptions): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const at = options.at === undefined ? undefined : parseAtOption(options.at);
  const lines = await readHistory(options.events, { cwd: io.cwd, stdin: io.stdin, format: options.format });

  const store = await openMigratedStore(':memory:');
  try {
    const first = earliestAt(lines);
    const clock = new SimulatedClock(first ?? at ?? 0);
    const { engine, setup } = runtime(store, config, clock);
    const bar = progressBar(io.stderr, 'replay', lines.length, io.interactive && !options.json);
    const report = await replay(lines, {
      engine,
      clock,
      catalog: setup.catalog,
      ...(at === undefined ? {} : { at }),
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    if (options.json) write(io.stdout, JSON.stringify(report, null, 2));
    else write(io.stdout, readable(report));
    reportRejections(io, options.events, report.rejected);
    return report.rejected.length > 0 ? EXIT.user : EXIT.ok;
  } finally {
    await store.close();
  }
}

function readable(report: ReplayReport): string {
  const byStage = new Map<string, number>();
  for (const c of report.contacts) byStage.set(c.stage, (byStage.get(c.stage) ?? 0) + 1);
  const lines = [
    `Replayed to ${report.at}: ${report.events.accepted} events accepted, ${report.events.duplicates} duplicate, ${report.events.rejected} rejected.`,
    `${report.contacts.length} contacts by stage: ${
      [...byStage]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .map(([s, n]) => `${s} ${n}`)
        .join(', ') || 'none'
    }`,
    `${report.tasks.length} tasks (${report.tasks.filter((t) => t.status === 'open').length} open), ${report.notifications.length} notifications.`,
    'Use --json for the full, stable report (docs/replay.md).',
  ];
  return lines.join('\n');
}
