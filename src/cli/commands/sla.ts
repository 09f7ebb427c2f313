/**
 * `revops sla`: the SLA clocks in a database — open and breached by default, earliest due first —
 * with their lead, owner, status and lateness, and a count of open, breached and met clocks.
 */
import { PLAIN } from '../plainStyle.ts';
import Table from 'cli-table3';
import { Option, type Command } from 'commander';
import { databaseTarget, openMigratedStore } from '../../compose.ts';
import type { SlaClock, SlaClockStatus } from '../../core/sla/model.ts';
import type { Millis } from '../../core/types.ts';
import { systemClock } from '../../engine/clock.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { parseLimitOption } from '../limitOption.ts';
import { parseAtOption } from '../timeOption.ts';

export interface SlaListOptions {
  readonly status?: string;
  readonly contact?: string;
  readonly limit: string;
  readonly at?: string;
  readonly json?: boolean;
  readonly db?: string;
}

const STATUS_CHOICES = ['open', 'breached', 'met', 'cancelled', 'all'] as const;

const SLA_HELP = `
A clock starts when its start condition happens (a stage entered, an assignment, an event; see
sla.clocks in the config and docs/sla.md) and is due after its target, counted in business time
when the target says "business". It is met when a stop signal (a touch by the owner, a meeting, a
stage exit…) comes by the due time, and breached when the due time passes first; a breached clock
keeps running (its escalation ladder goes on) until a stop signal ends it.

Listed: due time, clock id, lead, owner, status, and how late: an ended breached clock's lateness
as recorded at its stop (in business time for business targets); a breached clock still running,
or an open one past its due time (the timer worker has not marked it yet), by the wall clock at
--at ("(wall time)" on business-time clocks); "due in …" for open clocks not yet due. Open and
breached clocks by default, earliest due first; the summary line counts open, breached and met
clocks (of --contact when given).
--json prints { at, counts: { open, breached, met, cancelled }, matching, shown, clocks: [{ key, clock,
name, lead, owner, status, startedAt, dueAt, metAt, breachedAt, stoppedAt, stopReason, lateMs,
lateWallMs, lateness, target, business, steps }] }.

Examples:
  revops sla
  revops sla --status breached --db "$DATABASE_URL"
  revops sla --contact ava.chen@northwind.io --status all --json`;

/** Registers `sla` on the program. */
export function registerSla(cli: Command, io: CliIo, done: (code: number | Promise<number>) => void): void {
  cli
    .command('sla')
    .description('List SLA clocks in a database: open and breached first due first, with lateness')
    .addOption(
      new Option('--status <status>', 'only clocks in this status (default: open and breached)').choices(
        STATUS_CHOICES,
      ),
    )
    .option('--contact <lead>', 'only this lead’s clocks: its email, or its key (email:…, id:…)')
    .option('--limit <n>', 'how many to show (0: all)', '50')
    .option('--at <iso>', 'count "late" and "due in" as of this time (default: now)')
    .option('--json', 'print them as JSON')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .addHelpText('after', SLA_HELP)
    .action((options: SlaListOptions) => done(slaListCommand(io, options)));
}

/** `45s`, `15m`, `1h 15m`, `2d 3h`: whole minutes (seconds under a minute). */
export function durationText(ms: number): string {
  const abs = Math.max(0, ms);
  if (abs < 60_000) return `${Math.round(abs / 1000)}s`;
  const minutes = Math.floor(abs / 60_000);
  const parts: string[] = [];
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) parts.push(`${days}d`);
  if (hours > 0) parts.push(`${hours}h`);
  if (minutes % 60 > 0 && days === 0) parts.push(`${minutes % 60}m`);
  return parts.join(' ');
}

/** The lead as people read it: the email of an `email:` key, the key otherwise. */
const leadOf = (key: string) => (key.startsWith('email:') ? key.slice(6) : key);

/** A `--contact` value as a contact key. */
function contactKeyOf(spec: string): string {
  const s = spec.trim();
  if (s.startsWith('email:')) return `email:${s.slice(6).toLowerCase()}`;
  if (s.startsWith('id:')) return s;
  return s.includes('@') ? `email:${s.toLowerCase()}` : `id:${s}`;
}

function lateness(clock: SlaClock, now: Millis): string {
  switch (clock.status) {
    case 'breached':
      // Ended: its lateness as recorded at the stop. Still running: how late it is now, which for a
      // business-time target needs the config's calendars, so it says wall time.
      if (clock.stoppedAt !== undefined) return `${durationText(clock.lateMs ?? 0)} late`;
      return `${durationText(now - clock.dueAt)} late${clock.business ? ' (wall time)' : ''}`;
    case 'open':
      return now >= clock.dueAt
        ? `${durationText(now - clock.dueAt)} late`
        : `due in ${durationText(clock.dueAt - now)}`;
    case 'met':
      return 'met in time';
    case 'cancelled':
      return '—';
  }
}

const iso = (at: Millis | undefined) => (at === undefined ? null : new Date(at).toISOString());

export async function slaListCommand(io: CliIo, options: SlaListOptions): Promise<number> {
  const limit = parseLimitOption(options.limit);
  const now = options.at === undefined ? systemClock.now() : parseAtOption(options.at);
  const statuses: readonly SlaClockStatus[] =
    options.status === undefined
      ? ['open', 'breached']
      : options.status === 'all'
        ? ['open', 'breached', 'met', 'cancelled']
        : [options.status as SlaClockStatus];
  const contactKey = options.contact === undefined ? undefined : contactKeyOf(options.contact);
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  try {
    const all = await store.listClocks(contactKey === undefined ? {} : { contactKey });
    const counts = { open: 0, breached: 0, met: 0, cancelled: 0 };
    for (const c of all) counts[c.status] += 1;
    const matching = all.filter((c) => statuses.includes(c.status));
    const shown = limit === 0 ? matching : matching.slice(0, limit);
    if (options.json) {
      const json = {
        at: iso(now),
        counts,
        matching: matching.length,
        shown: shown.length,
        clocks: shown.map((c) => ({
          key: c.key,
          clock: c.clockId,
          name: c.name,
          lead: leadOf(c.contactKey),
          owner: c.owner ?? null,
          status: c.status,
          startedAt: iso(c.startedAt),
          dueAt: iso(c.dueAt),
          metAt: iso(c.metAt),
          breachedAt: iso(c.breachedAt),
          stoppedAt: iso(c.stoppedAt),
          stopReason: c.stopReason ?? null,
          lateMs: c.lateMs ?? null,
          lateWallMs: c.lateWallMs ?? null,
          lateness: lateness(c, now),
          target: c.target,
          business: c.business,
          steps: c.steps.map((s) => ({ step: s.index, action: s.action, at: iso(s.at), to: s.to ?? null })),
        })),
      };
      write(io.stdout, JSON.stringify(json, null, 2));
      return EXIT.ok;
    }
    const scope = contactKey === undefined ? '' : ` of ${leadOf(contactKey)}`;
    const lines = [
      `SLA clocks${scope} in ${store.description}: ${counts.open} open, ${counts.breached} breached, ${counts.met} met`,
    ];
    if (shown.length === 0) {
      lines.push(`no ${statuses.join(' or ')} clocks`);
    } else {
      const table = new Table({
        head: ['Due', 'Clock', 'Lead', 'Owner', 'Status', 'Lateness'],
        style: PLAIN,
      });
      for (const c of shown)
        table.push([
          iso(c.dueAt) ?? '',
          c.clockId,
          leadOf(c.contactKey),
          c.owner ?? '—',
          c.status,
          lateness(c, now),
        ]);
      lines.push(table.toString());
      if (shown.length < matching.length)
        lines.push(`… and ${matching.length - shown.length} more (--limit 0 lists all)`);
    }
    write(io.stdout, lines.join('\n'));
    return EXIT.ok;
  } finally {
    await store.close();
  }
}
