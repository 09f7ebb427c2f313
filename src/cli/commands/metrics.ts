/**
 * `revops metrics`: the funnel metrics of a database for a range — one dashboard view (executive by
 * default) or one area — as terminal tables with each figure's benchmark and a flag, as JSON (the
 * very answer of `GET /v1/metrics/…` for the same range and time), or as CSV.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { databaseTarget, openMigratedStore } from '../../compose.ts';
import { engineSetup } from '../../config/engineModel.ts';
import { formatIssues } from '../../config/formatIssues.ts';
import { safeLoadConfigText } from '../../config/loader.ts';
import { metricsSetup } from '../../config/metricsModel.ts';
import type { RevopsConfig } from '../../config/schema/index.ts';
import { RevopsError } from '../../core/errors.ts';
import { METRICS_VIEWS, type MetricsViewName } from '../../core/metrics/index.ts';
import type { Store } from '../../core/ports.ts';
import { systemClock } from '../../engine/clock.ts';
import {
  AREA_NAME_LIST,
  areaOfName,
  areaReport,
  DEFAULT_RANGE_DAYS,
  viewReport,
  type AreaReport,
  type ViewReport,
} from '../../engine/metricsInput.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { metricsCsv, metricsTables } from '../metricsFormat.ts';
import { parseAtOption } from '../timeOption.ts';
import { loadConfigOrReport } from './configArg.ts';
import { progressBar } from '../progress.ts';
import { refreshMetricFacts } from '../../engine/metricFacts.ts';

export interface MetricsOptions {
  readonly view?: string;
  readonly area?: string;
  readonly from?: string;
  readonly to?: string;
  readonly source?: string;
  readonly team?: string;
  readonly at?: string;
  readonly json?: boolean;
  readonly csv?: boolean;
  readonly db?: string;
  readonly config?: string;
}

const METRICS_HELP = `
Views (--view, default executive): marketing (lead volume, MQL rate, sources, cost per MQL,
scoring health), sales (pipeline value, stage conversion, velocity, forecast, speed to lead),
executive (CAC, LTV:CAC, revenue against quota, coverage). Areas (--area): ${AREA_NAME_LIST.join(', ')}.
docs/metrics.md defines every figure.

The range is [--from, --to): dates in the company's time zone (--to includes its whole day), ISO
times with a zone, or epoch milliseconds; default the last ${DEFAULT_RANGE_DAYS} days up to now (--at).
--source keeps leads and deals of one source (contact.source); --team those owned by its members.

Tables list every figure with its benchmark and a flag: ✓ inside the benchmark band, ▲ high,
▼ low; then the breakdowns (rows with no data left out). --json prints exactly what
GET /v1/metrics/{area} or /v1/metrics/views/{view} answers for the same range and --at; --csv one
line per number: metric,value,benchmark_min,benchmark_max,status (raw fractions and milliseconds).

Lead reports read roll-ups the engine keeps current; after a change to the funnel stages, the
recycling stage, the speed-to-lead clock or the time zone the first report rebuilds them (see
revops metrics rebuild --help).

The config: --config, else the one the database runs (recorded by revops serve, start or demo),
else ./revops.yaml.

Examples:
  revops metrics
  revops metrics --view marketing --from 2026-10-01 --to 2026-12-31
  revops metrics --area funnel --source paid_search --json
  revops metrics --area speed-to-lead --team general --csv > speed.csv`;

/** Registers `metrics` on the program. */
export function registerMetrics(
  cli: Command,
  io: CliIo,
  done: (code: number | Promise<number>) => void,
): void {
  const metrics = cli
    .command('metrics')
    .description('Funnel metrics for a range: a dashboard view or one area, against the benchmarks')
    .addOption(new Option('--view <view>', 'a dashboard view (default: executive)').choices(METRICS_VIEWS))
    .addOption(new Option('--area <area>', 'one area instead of a view').choices(AREA_NAME_LIST))
    .option('--from <date>', `start of the range (default: ${DEFAULT_RANGE_DAYS} days before --to)`)
    .option('--to <date>', 'end of the range, a date included (default: now)')
    .option('--source <source>', 'only leads and deals of this source')
    .option('--team <team>', 'only leads, deals and clocks owned by this team’s members')
    .option('--at <iso>', 'as of this time: "now" for open figures and the default range (default: now)')
    .addOption(new Option('--json', 'print the report as JSON (as the API answers)').conflicts('csv'))
    .option('--csv', 'print one CSV line per number')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .option('-c, --config <file>', 'the config (default: the database’s active config, else revops.yaml)')
    .addHelpText('after', METRICS_HELP)
    .action((options: MetricsOptions) => done(metricsCommand(io, options)));
  metrics
    .command('rebuild')
    .description('Rebuild the metric roll-ups from the stored history (after a config change)')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .option('-c, --config <file>', 'the config (default: the database’s active config, else revops.yaml)')
    .addHelpText('after', REBUILD_HELP)
    // `metrics` takes --db and --config too and parses them wherever they stand: read both levels.
    .action((_options: RebuildOptions, command: Command) =>
      done(rebuildCommand(io, command.optsWithGlobals<RebuildOptions>())),
    );
}

export interface RebuildOptions {
  readonly db?: string;
  readonly config?: string;
}

const REBUILD_HELP = `
Reports on leads (the funnel, time in stage, speed to lead) read roll-up tables: one narrow row per
lead, per MQL entry and per stage stay. The engine marks what each write changes, and every report
folds those changes in first, so the roll-ups never go stale on their own. They depend on the config
through the funnel stages, the recycling stage, the speed-to-lead clock and the company's time zone;
when one of those changes, the next report rebuilds everything. Run this to do that ahead of time (a
progress bar shows the contacts done), or to rebuild after restoring a database by hand.

Example:
  revops metrics rebuild --config revops.yaml`;

/** Rebuilds every contact's metric facts; prints the count and the time taken. */
export async function rebuildCommand(io: CliIo, options: RebuildOptions): Promise<number> {
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const config = await configFor(io, store, options.config);
    if (config === undefined) return EXIT.user;
    const calendar = engineSetup(config).calendar;
    const setup = metricsSetup(config, calendar);
    const bar = progressBar(io.stderr, 'rebuild', (await store.counts()).contacts, io.interactive);
    const started = performance.now();
    const result = await refreshMetricFacts(store, setup, {
      full: true,
      now: systemClock.now(),
      onProgress: (n, total) => bar.update(n, total),
    });
    bar.stop();
    const seconds = (performance.now() - started) / 1000;
    write(
      io.stdout,
      `rebuilt the metric roll-ups of ${result.contacts} contact(s) in ${seconds.toFixed(1)} s (${store.description})`,
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** The config to measure with: --config, the database's active version, else ./revops.yaml. */
async function configFor(
  io: CliIo,
  store: Store,
  file: string | undefined,
): Promise<RevopsConfig | undefined> {
  if (file !== undefined) return loadConfigOrReport(io, file);
  const active = (await store.configHistory()).find((v) => v.active);
  const text = active === undefined ? undefined : await store.configText(active.hash);
  if (active !== undefined && text !== undefined) {
    const loaded = safeLoadConfigText(text, `config ${active.hash.slice(0, 12)}`);
    if (loaded.ok) return loaded.config;
    write(io.stderr, formatIssues(loaded.issues));
    write(
      io.stderr,
      `\nthe config ${store.description} runs (version ${active.hash.slice(0, 12)}) does not load with this revops; pass the config file with --config`,
    );
    return undefined;
  }
  if (existsSync(resolve(io.cwd, 'revops.yaml'))) return loadConfigOrReport(io, 'revops.yaml');
  throw new RevopsError(
    'cli.input_not_found',
    `${store.description} records no config and there is no ./revops.yaml`,
    {
      hint: 'pass the config the database runs with --config revops.yaml',
    },
  );
}

export async function metricsCommand(io: CliIo, options: MetricsOptions): Promise<number> {
  if (options.view !== undefined && options.area !== undefined) {
    throw new RevopsError('cli.invalid_option', 'give --view or --area, not both', {
      hint: 'for example --view sales, or --area funnel',
    });
  }
  const area = options.area === undefined ? undefined : areaOfName(options.area);
  const view = (options.view ?? 'executive') as MetricsViewName;
  const now = options.at === undefined ? systemClock.now() : parseAtOption(options.at);
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const config = await configFor(io, store, options.config);
    if (config === undefined) return EXIT.user;
    const calendar = engineSetup(config).calendar;
    const setup = metricsSetup(config, calendar);
    const request = { from: options.from, to: options.to, source: options.source, team: options.team };
    const report: AreaReport | ViewReport =
      area === undefined
        ? await viewReport(store, setup, view, request, now)
        : await areaReport(store, setup, area, request, now);
    if (options.json) write(io.stdout, JSON.stringify(report, null, 2));
    else if (options.csv) io.stdout.write(metricsCsv(report));
    else write(io.stdout, metricsTables(report, config.company.currency));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
