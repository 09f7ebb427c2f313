/**
 * `revops outbox list`: the outbox rows in a database — what waits, what was delivered, what was
 * skipped and the dead-letter list — with attempts, next attempt and the last error.
 * `revops outbox retry ID…|--all-dead`: dead rows back to pending; the dispatcher sends them again.
 */
import { PLAIN } from '../plainStyle.ts';
import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { databaseTarget, openMigratedStore } from '../../compose.ts';
import { RevopsError } from '../../core/errors.ts';
import type { Issue } from '../../core/issue.ts';
import type { OutboxItem, OutboxStatus, Store } from '../../core/ports.ts';
import type { Millis } from '../../core/types.ts';
import { systemClock } from '../../engine/clock.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { parseLimitOption } from '../limitOption.ts';

export interface OutboxListOptions {
  readonly status?: string;
  readonly limit: string;
  readonly json?: boolean;
  readonly db?: string;
}

export interface OutboxRetryOptions {
  readonly allDead?: boolean;
  readonly db?: string;
}

const STATUSES: readonly OutboxStatus[] = ['pending', 'delivered', 'dead', 'skipped'];
const DB_HELP = 'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)';

const LIST_HELP = `
Every effect the engine decides to tell the world (an assignment, an MQL, an SLA escalation, a
notification) is an outbox row. The dispatcher (run by \`revops serve\`) sends each to the destinations
of the config's \`delivery\` section (docs/delivery.md) and records the outcome:
  pending    waiting for its first attempt, or for a retry after a failure (see "next")
  delivered  every destination that takes it has it
  dead       given up: a 4xx answer, a refused destination, or 10 failed attempts (~24 h)
  skipped    no destination takes its type (the reason is in the last error)
--json prints { counts: { pending, delivered, dead, skipped }, matching, shown, items: [{ id, key,
type, contact, status, attempts, at, nextAttemptAt, settledAt, deliveredTo, lastError }] }.

Examples:
  revops outbox list --status dead
  revops outbox list --status pending --json --db "$DATABASE_URL"`;

const RETRY_HELP = `
A dead row goes back to pending with its attempt count reset, due now; the dispatcher delivers it on
its next poll, only to the destinations that do not have it yet. Fix the cause first (the last
error in \`revops outbox list --status dead\` says what it was). ID is the row's number or its key.

Examples:
  revops outbox retry 42
  revops outbox retry --all-dead`;

/** Registers `outbox list` and `outbox retry` on the program. */
export function registerOutbox(
  cli: Command,
  io: CliIo,
  done: (code: number | Promise<number>) => void,
): void {
  const outbox = cli.command('outbox').description('Outbound delivery: list the outbox, retry dead rows');
  outbox
    .command('list')
    .description('List outbox rows: pending, delivered, dead (the dead-letter list) or skipped')
    .addOption(new Option('--status <status>', 'only rows in this status (default: all)').choices(STATUSES))
    .option('--limit <n>', 'how many to show (0: all)', '50')
    .option('--json', 'print them as JSON')
    .option('--db <target>', DB_HELP)
    .addHelpText('after', LIST_HELP)
    .action((options: OutboxListOptions) => done(outboxListCommand(io, options)));
  outbox
    .command('retry')
    .description('Send dead outbox rows again: by id (or key), or every dead row')
    .argument('[ids...]', 'row numbers or keys, as `revops outbox list` shows them')
    .option('--all-dead', 'retry every dead row')
    .option('--db <target>', DB_HELP)
    .addHelpText('after', RETRY_HELP)
    .action((ids: string[], options: OutboxRetryOptions) => done(outboxRetryCommand(io, ids, options)));
}

const iso = (at: Millis | undefined) => (at === undefined ? null : new Date(at).toISOString());
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** When something next happens to a row, in words. */
function when(item: OutboxItem): string {
  if (item.status === 'pending') return `next ${iso(item.nextAttemptAt) ?? ''}`;
  return `${item.status} ${iso(item.settledAt) ?? ''}`;
}

export async function outboxListCommand(io: CliIo, options: OutboxListOptions): Promise<number> {
  const limit = parseLimitOption(options.limit);
  const status = options.status as OutboxStatus | undefined;
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const counts = await store.countOutbox();
    const matching = status === undefined ? STATUSES.reduce((n, s) => n + counts[s], 0) : counts[status];
    const items = await store.listOutboxItems(
      Object.assign({}, status === undefined ? {} : { status }, limit === 0 ? {} : { limit }),
    );
    if (options.json) {
      const json = {
        counts,
        matching,
        shown: items.length,
        items: items.map((i) => ({
          id: i.id,
          key: i.key,
          type: i.type,
          contact: i.contactKey ?? null,
          status: i.status,
          attempts: i.attempts,
          at: iso(i.at),
          nextAttemptAt: i.status === 'pending' ? iso(i.nextAttemptAt) : null,
          settledAt: iso(i.settledAt),
          deliveredTo: i.deliveredTo,
          lastError: i.lastError ?? null,
        })),
      };
      write(io.stdout, JSON.stringify(json, null, 2));
      return EXIT.ok;
    }
    const lines = [
      `Outbox of ${store.description}: ${counts.pending} pending, ${counts.delivered} delivered, ${counts.dead} dead, ${counts.skipped} skipped`,
    ];
    if (items.length === 0) lines.push(status === undefined ? 'the outbox is empty' : `no ${status} rows`);
    else {
      const table = new Table({
        head: ['ID', 'Type', 'Lead', 'Status', 'Tries', 'When', 'Last error'],
        style: PLAIN,
      });
      for (const i of items)
        table.push([
          String(i.id),
          i.type,
          (i.contactKey ?? '—').replace(/^email:/, ''),
          i.status,
          String(i.attempts),
          when(i),
          clip(i.lastError ?? '', 70),
        ]);
      lines.push(table.toString());
      if (items.length < matching) lines.push(`… and ${matching - items.length} more (--limit 0 lists all)`);
    }
    write(io.stdout, lines.join('\n'));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}

/** The rows named by `ids` (numbers or keys); throws one error listing every unknown or live one. */
async function deadRows(store: Store, ids: readonly string[]): Promise<number[]> {
  const issues: Issue[] = [];
  const found: number[] = [];
  for (const [i, spec] of ids.entries()) {
    const item = await store.findOutboxItem(/^\d+$/.test(spec) ? Number(spec) : spec);
    if (item === undefined)
      issues.push({
        code: 'outbox.unknown_item',
        path: ['ids', i],
        message: `no outbox row \`${spec}\``,
        severity: 'error',
      });
    else if (item.status !== 'dead')
      issues.push({
        code: 'outbox.not_dead',
        path: ['ids', i],
        message: `outbox row ${item.id} (${item.key}) is ${item.status}, not dead`,
        severity: 'error',
      });
    else found.push(item.id);
  }
  const [first] = issues;
  if (first !== undefined)
    throw new RevopsError(
      first.code,
      issues.length === 1 ? first.message : `${issues.length} rows cannot be retried`,
      {
        hint: issues.every((i) => i.code === 'outbox.unknown_item')
          ? 'list the dead rows with `revops outbox list --status dead`, and pass an ID or key from there'
          : 'only dead rows are retried (the dispatcher retries pending ones on its own); `revops outbox list --status dead` lists them',
        issues: issues.length === 1 ? [] : issues,
      },
    );
  return found;
}

export async function outboxRetryCommand(
  io: CliIo,
  ids: readonly string[],
  options: OutboxRetryOptions,
): Promise<number> {
  if ((ids.length === 0) === (options.allDead !== true))
    throw new RevopsError(
      'cli.invalid_option',
      'give the ids of dead outbox rows, or --all-dead (not both)',
      {
        hint: 'revops outbox retry 42   or   revops outbox retry --all-dead',
      },
    );
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const now = systemClock.now();
    const revived =
      options.allDead === true
        ? await store.reviveOutbox('all-dead', now)
        : await store.reviveOutbox(await deadRows(store, ids), now);
    write(
      io.stdout,
      revived.length === 0
        ? 'no dead outbox rows to retry'
        : `${revived.length} outbox row${revived.length === 1 ? '' : 's'} back to pending (${revived.join(', ')}): the dispatcher sends ${revived.length === 1 ? 'it' : 'them'} on its next poll`,
    );
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
