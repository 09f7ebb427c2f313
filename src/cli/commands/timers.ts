/**
 * `revops timers run`: the timer worker — fires task reminders, SLA steps and lifecycle timers when
 * they come due, against a database, until stopped (or `--once`, or `--until`).
 * `revops timers list`: what is pending, earliest first.
 */
import { PLAIN } from '../plainStyle.ts';
import { hostname } from 'node:os';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { databaseTarget, openMigratedStore } from '../../compose.ts';
import { engineSetup } from '../../config/engineModel.ts';
import { RevopsError } from '../../core/errors.ts';
import type { Millis } from '../../core/types.ts';
import { systemClock } from '../../engine/clock.ts';
import { createEngine } from '../../engine/engine.ts';
import type { FiredBatch } from '../../engine/timers.ts';
import { shiftedClock, startTimerRunner, type TimerRunSummary } from '../../jobs/timerRunner.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { loadConfigOrReport } from './configArg.ts';

export interface TimersRunOptions {
  readonly config: string;
  readonly db?: string;
  readonly once?: boolean;
  readonly until?: string;
  readonly now?: string;
  readonly lease: string;
  readonly batch: string;
}

export interface TimersListOptions {
  readonly db?: string;
  readonly dueBefore?: string;
  readonly limit: string;
  readonly json?: boolean;
}

const DB_HELP = 'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)';

const RUN_HELP = `
Timers are the engine's appointments with the future: task due-time reminders (task_due) and the
lifecycle and SLA timers the engine schedules. Ingest writes them to the database; this worker fires
each one when it comes due, in one transaction with everything it decides (notifications, stage
moves, a reassignment through routing), and removes it. Keep one running beside the API (a
systemd unit, a container, a cron'd --once); several may share a database.

How it waits: it asks the database for the next due time and sleeps until then, at most 250 ms at
a time, so timers scheduled by other processes are picked up within a quarter second.
Crash safety: each batch is claimed with a lease (--lease, default 1m). A worker killed between
the claim and the commit writes nothing; another worker (or this one, restarted) fires the batch
once the lease has run out. Each timer's effects are written once.

Each committed batch is logged on stderr; the summary goes to stdout. Ctrl-C (SIGINT) or SIGTERM
stops it after the batch in flight.

More on the options:
  --once            fire what is due now, then exit (for cron, or catching up after downtime)
  --until ISO       keep firing until the clock reaches this time, then exit
  --now ISO         start the clock at this time instead of the system time (it runs on in real
                    time): replays a backlog "as of" a moment, or tests a schedule
  --lease DURATION  how long a claim holds: 500ms, 30s, 2m, 1h (default 1m); longer than a batch
  --batch N         timers per transaction (default 500)

Examples:
  revops timers run --db ./data/revops.db
  revops timers run --db "$DATABASE_URL" --once
  revops timers run --now 2026-12-01T09:00:00Z --once       # fire what is due by then
  revops timers list --due-before 2026-12-01T00:00:00Z`;

const LIST_HELP = `
Prints the pending timers in due order: due time, key, kind (task_due, …), contact and how many
times one was claimed (more than 0: a worker took it and died, or it is firing right now).
--due-before lists only those due before an instant; --limit 0 lists all.
--json prints { total, matching, shown, dueBefore, nextDue, timers: [{ key, dueAt, kind, contact,
attempts, payload }] }.

Examples:
  revops timers list
  revops timers list --due-before 2026-12-01T00:00:00Z --json`;

/** Registers `timers run` and `timers list` on the program. */
export function registerTimers(
  cli: Command,
  io: CliIo,
  done: (code: number | Promise<number>) => void,
): void {
  const timers = cli
    .command('timers')
    .description('Timers: fire them when they come due (the worker), or list what is pending');
  timers
    .command('run')
    .description('Fire timers as they come due against a database, until stopped (or --once / --until)')
    .option('-c, --config <file>', 'the config the engine runs', 'revops.yaml')
    .option('--db <target>', DB_HELP)
    .option('--once', 'fire what is due now, then exit')
    .option('--until <iso>', 'keep firing until the clock reaches this time, then exit')
    .option('--now <iso>', 'start the clock at this time instead of the system time')
    .option('--lease <duration>', 'how long a claim holds before another worker may retry it', '1m')
    .option('--batch <n>', 'timers per transaction', '500')
    .addHelpText('after', RUN_HELP)
    .action((options: TimersRunOptions) => done(timersRunCommand(io, options)));
  timers
    .command('list')
    .description('List pending timers, earliest first')
    .option('--db <target>', DB_HELP)
    .option('--due-before <iso>', 'only timers due before this time')
    .option('--limit <n>', 'how many to show (0: all)', '50')
    .option('--json', 'print them as JSON')
    .addHelpText('after', LIST_HELP)
    .action((options: TimersListOptions) => done(timersListCommand(io, options)));
}

const iso = (at: Millis) => new Date(at).toISOString();

function invalid(message: string, hint: string): RevopsError {
  return new RevopsError('cli.invalid_option', message, { hint });
}

/** An ISO time with a zone (as `--at` elsewhere), or a coded error naming the option. */
export function parseInstant(option: string, text: string): Millis {
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/(Z|[+-]\d{2}:?\d{2})$/.test(text.trim()))
    throw invalid(
      `${option} must be an ISO time with a zone, not \`${text}\``,
      `for example ${option} 2026-12-01T09:00:00Z`,
    );
  return at;
}

const LEASE_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};

/** `500ms`, `30s`, `2m`, `1h` → milliseconds, or a coded error. */
export function parseLease(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h)\s*$/i.exec(text);
  const ms = match === null ? NaN : Number(match[1]) * (LEASE_UNITS[(match[2] ?? '').toLowerCase()] ?? NaN);
  if (!Number.isFinite(ms) || ms < 100)
    throw invalid(
      `--lease must be a duration of at least 100ms, like 30s or 2m, not \`${text}\``,
      'the lease is how long a claimed batch waits before another worker may fire it: longer than a batch takes (default 1m)',
    );
  return Math.round(ms);
}

function parseCount(option: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min)
    throw invalid(
      `${option} must be a whole number of at least ${min}, not \`${text}\``,
      `for example ${option} 500`,
    );
  return n;
}

/** `850 ms`, `12.4 s`, `3 min`, `2 h 5 min`, `58 d 5 h`. */
export function spanText(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h${minutes % 60 === 0 ? '' : ` ${minutes % 60} min`}`;
  return `${Math.floor(hours / 24)} d${hours % 24 === 0 ? '' : ` ${hours % 24} h`}`;
}

function batchLine(batch: FiredBatch): string {
  const kinds = new Map<string, number>();
  let lateMs = 0;
  for (const t of batch.timers) {
    const kind = t.kind ?? 'unknown';
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    lateMs = Math.max(lateMs, batch.now - t.dueAt);
  }
  const byKind = [...kinds].map(([kind, n]) => `${kind} ${n}`).join(', ');
  const lines = [
    `${iso(batch.now)}  fired ${batch.timers.length} timer(s) (${byKind}); the most overdue by ${spanText(lateMs)}`,
  ];
  for (const t of batch.timers) {
    if (t.reassigned !== undefined)
      lines.push(
        `  ${t.key}: reassigned ${t.contactKey ?? '?'} from ${t.reassigned.from} to ${t.reassigned.owner ?? t.reassigned.queue ?? t.reassigned.kind}`,
      );
    if (t.refused !== undefined)
      lines.push(`  ${t.key}: reassignment refused (${t.refused.code}): ${t.refused.message}`);
  }
  return lines.join('\n');
}

function summaryLine(summary: TimerRunSummary, database: string): string {
  const why = { once: 'done (--once)', until: `reached --until`, stopped: 'stopped' }[summary.reason];
  // The store's next claimable instant: a due time, or the end of a lease a dead worker left.
  const next =
    summary.nextDue === undefined ? 'no timer pending' : `next timer claimable at ${iso(summary.nextDue)}`;
  const refused = summary.refused > 0 ? `, ${summary.refused} reassignment(s) refused` : '';
  return `fired ${summary.fired} timer(s) in ${summary.batches} batch(es)${refused} in ${database}; ${why} at ${iso(summary.at)}; ${next}`;
}

export async function timersRunCommand(io: CliIo, options: TimersRunOptions): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const start = options.now === undefined ? undefined : parseInstant('--now', options.now);
  const until = options.until === undefined ? undefined : parseInstant('--until', options.until);
  const leaseMs = parseLease(options.lease);
  const batchSize = parseCount('--batch', options.batch, 1);
  if (options.once === true && until !== undefined)
    throw invalid(
      '--once and --until do not go together',
      'use --once to fire what is due now, or --until ISO to run until then',
    );
  const clock = start === undefined ? systemClock : shiftedClock(start, systemClock);
  if (until !== undefined && until < clock.now())
    throw invalid(
      `--until ${iso(until)} is before the clock (${iso(clock.now())})`,
      'to fire everything due by a past instant, use --now ISO --once',
    );

  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const setup = engineSetup(config);
    const engine = createEngine({
      store,
      model: setup.model,
      catalog: setup.catalog,
      clock,
      timerLeaseMs: leaseMs,
      timerWorker: `timers-${hostname()}-${process.pid}`,
    });
    const runner = startTimerRunner({
      engine,
      batchSize,
      ...(options.once === true ? { once: true } : {}),
      ...(until === undefined ? {} : { until }),
      onBatch: (batch) => write(io.stderr, batchLine(batch)),
      onLog: (line) => write(io.stderr, `${iso(clock.now())}  ${line}`),
    });
    const stop = () => runner.stop();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    try {
      write(io.stdout, summaryLine(await runner.done, store.description));
    } finally {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    }
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

export async function timersListCommand(io: CliIo, options: TimersListOptions): Promise<number> {
  const before =
    options.dueBefore === undefined ? undefined : parseInstant('--due-before', options.dueBefore);
  const limit = parseCount('--limit', options.limit, 0);
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const all = await store.listTimers();
    const nextDue = await store.nextTimerDue();
    const matching = before === undefined ? all : all.filter((t) => t.dueAt < before);
    const shown = limit === 0 ? matching : matching.slice(0, limit);
    const kindOf = (payload: Record<string, unknown>) =>
      typeof payload['kind'] === 'string' ? payload['kind'] : null;
    if (options.json) {
      const json = {
        total: all.length,
        matching: matching.length,
        shown: shown.length,
        dueBefore: before === undefined ? null : iso(before),
        nextDue: nextDue === undefined ? null : iso(nextDue),
        timers: shown.map((t) => ({
          key: t.key,
          dueAt: iso(t.dueAt),
          kind: kindOf(t.payload),
          contact: t.contactKey ?? null,
          attempts: t.attempts,
          payload: t.payload,
        })),
      };
      write(io.stdout, JSON.stringify(json, null, 2));
      return EXIT.ok;
    }
    const scope = before === undefined ? '' : ` (${matching.length} due before ${iso(before)})`;
    const lines = [`${all.length} timer(s) pending in ${store.description}${scope}`];
    if (shown.length > 0) {
      const table = new Table({
        head: ['Due', 'Key', 'Kind', 'Contact', 'Claimed'],
        style: PLAIN,
      });
      for (const t of shown)
        table.push([iso(t.dueAt), t.key, kindOf(t.payload) ?? '—', t.contactKey ?? '—', String(t.attempts)]);
      lines.push(table.toString());
      if (shown.length < matching.length)
        lines.push(`… and ${matching.length - shown.length} more (--limit 0 lists all)`);
    }
    if (nextDue !== undefined) lines.push(`next claimable at ${iso(nextDue)}`);
    write(io.stdout, lines.join('\n'));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
