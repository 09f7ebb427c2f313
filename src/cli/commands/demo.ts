/**
 * `revops demo`: a database with the demo workspace — the mid-market template, its demo team and
 * ~90 days of generated activity pushed through the engine — ready for `revops serve`, `revops sla`
 * and the API. A second run finds the workspace and reuses it; `--force` starts a SQLite file over.
 */
import type { Command } from 'commander';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { databaseTarget, openMigratedStore } from '../../compose.ts';
import { RevopsError } from '../../core/errors.ts';
import type { Store } from '../../core/ports.ts';
import { systemClock } from '../../engine/clock.ts';
import {
  DEFAULT_DEMO_DAYS,
  DEFAULT_DEMO_SEED,
  demoConfig,
  formatDemoSummary,
  readDemoMarker,
  seedDemoWorkspace,
  startOfUtcDay,
} from '../../demo/index.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { progressBar } from '../progress.ts';
import { loadConfigOrReport } from './configArg.ts';

export interface DemoOptions {
  readonly db?: string;
  readonly config?: string;
  readonly days?: string;
  readonly seed?: string;
  readonly anchor?: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

function wholeNumber(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new RevopsError(
      'cli.invalid_option',
      `${flag} must be a whole number from ${min} to ${max}, not \`${text}\``,
      {
        hint: `for example ${flag} ${fallback}`,
      },
    );
  }
  return value;
}

/** `--anchor`: an ISO time with a zone, or a date (its UTC midnight). */
function anchorOption(text: string | undefined): number {
  if (text === undefined) return startOfUtcDay(systemClock.now());
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  const at = Date.parse(date);
  if (Number.isNaN(at) || !/(Z|[+-]\d{2}:?\d{2})$/.test(date)) {
    throw new RevopsError(
      'cli.invalid_option',
      `--anchor must be a date or an ISO time with a zone, not \`${text}\``,
      {
        hint: 'for example --anchor 2026-11-27 or --anchor 2026-11-27T00:00:00Z (default: the start of today, UTC)',
      },
    );
  }
  return at;
}

const isFile = (target: string) => target !== ':memory:' && !/^postgres(ql)?:\/\//i.test(target);

/** `--force`: removes a SQLite file that holds a demo workspace (or nothing); refuses anything else. */
async function startOver(target: string): Promise<void> {
  if (!isFile(target)) {
    if (target === ':memory:') return;
    throw new RevopsError(
      'cli.invalid_option',
      '--force only starts a SQLite file over; it never drops PostgreSQL data',
      {
        hint: 'point --db (or DATABASE_URL) at an empty PostgreSQL database instead',
      },
    );
  }
  if (!existsSync(target)) return;
  const store = await openMigratedStore(target);
  try {
    const marker = await readDemoMarker(store);
    const { events } = await store.counts();
    if (marker === undefined && events > 0) {
      throw new RevopsError(
        'demo.database_not_empty',
        `${store.description} holds ${events} events that are not a demo workspace: --force leaves it alone`,
        { hint: 'choose another file with --db for the demo' },
      );
    }
  } finally {
    await store.close();
  }
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
}

/** The config to run: `--config`, or the template (written next to a SQLite database when absent). */
function chooseConfig(io: CliIo, options: DemoOptions, target: string) {
  if (options.config !== undefined) {
    const config = loadConfigOrReport(io, options.config);
    if (config === undefined) return undefined;
    return { config, text: readFileSync(resolve(io.cwd, options.config), 'utf8'), note: undefined };
  }
  const { config, text } = demoConfig();
  if (!isFile(target)) return { config, text, note: undefined };
  const path = join(dirname(target), 'revops.yaml');
  const shown = relative(io.cwd, path) || path;
  if (!existsSync(path)) {
    writeFileSync(path, text);
    return {
      config,
      text,
      note: `Wrote ${shown}: the mid-market template with its demo team (the config the demo runs).`,
    };
  }
  const same = readFileSync(path, 'utf8') === text;
  return {
    config,
    text,
    note: same
      ? undefined
      : `Left ${shown} as it is; the demo runs the shipped mid-market template (pass --config ${shown} to use yours).`,
  };
}

export async function demoCommand(io: CliIo, options: DemoOptions): Promise<number> {
  const days = wholeNumber('--days', options.days, DEFAULT_DEMO_DAYS, 1, 366);
  const seed = wholeNumber('--seed', options.seed, DEFAULT_DEMO_SEED, 0, 4_294_967_295);
  const anchor = anchorOption(options.anchor);
  const target = databaseTarget(options.db, io.cwd);
  if (options.force === true) await startOver(target);
  if (isFile(target)) mkdirFor(target);
  const chosen = chooseConfig(io, options, target);
  if (chosen === undefined) return EXIT.user;
  if (chosen.note !== undefined && options.json !== true) write(io.stdout, chosen.note);
  const store: Store = await openMigratedStore(target);
  try {
    const bar = progressBar(
      io.stderr,
      'demo: simulating days',
      days,
      io.interactive && options.json !== true,
    );
    const started = performance.now();
    const { reused, summary } = await seedDemoWorkspace({
      store,
      config: chosen.config,
      text: chosen.text,
      anchor,
      seed,
      days,
      onProgress: (p) => bar.update(p.day),
    });
    bar.stop();
    if (options.json === true) {
      write(io.stdout, JSON.stringify({ database: store.description, reused, summary }, null, 2));
      return EXIT.ok;
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    write(
      io.stdout,
      reused
        ? `${store.description} already holds the demo workspace (seed ${summary.seed}, history to ${summary.anchor}): reusing it. Pass --force to start over, or --db for another database.`
        : `Seeded the demo workspace into ${store.description} in ${seconds} s:`,
    );
    write(io.stdout, formatDemoSummary(summary, chosen.config.metrics.benchmarks));
    const db = options.db === undefined ? '' : ` --db ${options.db}`;
    write(
      io.stdout,
      `Next: \`revops sla${db}\` (the SLA board: open and breached clocks), \`revops sla --status breached${db}\`, \`revops timers list${db}\`.`,
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

function mkdirFor(target: string): void {
  // openStore creates the file's directory; the config is written next to it before that.
  const dir = dirname(target);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
}

/** Registers `demo` on the program. */
export function registerDemo(cli: Command, io: CliIo, done: (code: number | Promise<number>) => void): void {
  cli
    .command('demo')
    .description('Seed a database with the demo workspace: ~90 days of activity through the engine')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .option('-c, --config <file>', 'run this config instead of the mid-market template and its demo team')
    .option('--days <n>', 'days of history to generate', String(DEFAULT_DEMO_DAYS))
    .option(
      '--seed <n>',
      'the generator seed: the same seed and anchor give the same workspace',
      String(DEFAULT_DEMO_SEED),
    )
    .option(
      '--anchor <time>',
      'when the history ends: a date or an ISO time (default: the start of today, UTC)',
    )
    .option('-f, --force', 'start a SQLite demo database over (never drops anything else)')
    .option('--json', 'print the summary as JSON')
    .addHelpText(
      'after',
      `
Generates companies, contacts (titles, free-mail and work addresses, a few duplicates), page visits,
form fills, downloads, webinars, email engagement and product usage, and plays the sales team: the rep
the engine routed each MQL to touches it (most within minutes, some late, a few never, so SLA clocks
breach and escalate), accepts with BANT or rejects with a reason code, books meetings and works deals.
Every event goes through the engine in time order on a simulated clock, with timers fired as time
passes. The history ends at the anchor, so the SLA board has open and breached clocks "now".

A second run finds the workspace and reuses it. Without --config the template is written next to a
SQLite database as revops.yaml.

Examples:
  revops demo                                   # ./data/revops.db
  revops demo --db demo.db --days 30 --seed 7
  revops demo --db demo.db --force --anchor 2026-11-27`,
    )
    .action((options: DemoOptions) => done(demoCommand(io, options)));
}
