// revops sla against a SQLite file holding clock rows written through the store, as the engine
// writes them, looked at on Monday 13:45 New York: a breached MQL first touch still running (Fri
// 16:30 New York + 4 business hours = Mon 12:30), one ended by a touch an hour and a quarter late,
// a met speed-to-lead, an open one not yet due, an open 48h one past due, a cancelled one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routedLeadWorkspace, runRevops } from '../../test/support/cli.ts';
import type { SlaClock } from '../core/sla/model.ts';
import { openStore } from '../store/index.ts';

const MIN = 60_000;
const FRI_1630_NY = Date.parse('2026-01-09T21:30:00Z');
const MON_1230_NY = Date.parse('2026-01-12T17:30:00Z');
const MON_1343_NY = Date.parse('2026-01-12T18:43:00Z');
const NOW = '2026-01-12T18:45:00Z';

const clock = (
  overrides: Partial<SlaClock> & Pick<SlaClock, 'contactKey' | 'clockId' | 'startedAt'>,
): SlaClock => ({
  key: `sla:${overrides.contactKey}:${overrides.clockId}:${overrides.startedAt}`,
  name: overrides.clockId,
  dueAt: overrides.startedAt + 5 * MIN,
  status: 'open',
  target: '5m',
  business: false,
  timezone: 'America/New_York',
  cause: 'ev-1',
  steps: [],
  updatedAt: overrides.startedAt,
  ...overrides,
});

const CLOCKS: SlaClock[] = [
  clock({
    contactKey: 'email:ava@northwind.io',
    clockId: 'mql-first-touch',
    name: 'MQL first contact attempt',
    owner: 'priya',
    startedAt: FRI_1630_NY,
    dueAt: MON_1230_NY,
    target: '4 business hours',
    business: true,
    status: 'breached',
    breachedAt: MON_1230_NY,
    // As the due timer writes it when it fires on time; the clock runs on (no touch yet).
    lateMs: 0,
    lateWallMs: 0,
    steps: [{ index: 0, action: 'notify_rep', at: FRI_1630_NY + 5 * MIN, to: 'rep:priya' }],
  }),
  clock({
    contactKey: 'email:ava@northwind.io',
    clockId: 'speed-to-lead',
    owner: 'priya',
    startedAt: FRI_1630_NY,
    status: 'met',
    metAt: FRI_1630_NY + 3 * MIN,
    stoppedAt: FRI_1630_NY + 3 * MIN,
    stopReason: 'touch',
  }),
  clock({
    contactKey: 'email:ben@globex.example',
    clockId: 'speed-to-lead',
    owner: 'leo',
    startedAt: MON_1343_NY,
  }),
  clock({
    contactKey: 'email:ben@globex.example',
    clockId: 'mql-first-touch',
    owner: 'maya',
    startedAt: MON_1343_NY - 30 * MIN,
    dueAt: MON_1343_NY + 210 * MIN,
    status: 'cancelled',
    stoppedAt: MON_1343_NY - 10 * MIN,
    stopReason: 'reassigned',
  }),
  // Fri 15:00 New York + 4 business hours = Mon 11:00; touched at 12:15, 1h 15m late.
  clock({
    contactKey: 'email:dee@initech.example',
    clockId: 'mql-first-touch',
    owner: 'leo',
    startedAt: Date.parse('2026-01-09T20:00:00Z'),
    dueAt: Date.parse('2026-01-12T16:00:00Z'),
    target: '4 business hours',
    business: true,
    status: 'breached',
    breachedAt: Date.parse('2026-01-12T16:00:00Z'),
    stoppedAt: Date.parse('2026-01-12T17:15:00Z'),
    stopReason: 'touch',
    lateMs: 75 * MIN,
    lateWallMs: 75 * MIN,
  }),
  clock({
    contactKey: 'id:crm-7',
    clockId: 'qualification-decision',
    owner: 'sofia',
    startedAt: Date.parse('2026-01-10T10:00:00Z'),
    dueAt: Date.parse('2026-01-12T10:00:00Z'),
    target: '48h',
  }),
];

let dir: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revops-engine-sla-'));
  const store = await openStore(join(dir, 'revops.db'));
  try {
    await store.migrate();
    await store.transaction((tx) => tx.upsertClocks(CLOCKS));
  } finally {
    await store.close();
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sla = (...args: string[]) => runRevops(dir, ['sla', '--db', 'revops.db', '--at', NOW, ...args]);

describe('revops sla', () => {
  it('lists open and breached clocks, earliest due first, with lateness and the counts', async () => {
    const run = await sla();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      `SLA clocks in sqlite:${join(dir, 'revops.db')}: 2 open, 2 breached, 1 met`,
      '┌──────────────────────────┬────────────────────────┬─────────────────────┬───────┬──────────┬─────────────────────────┐',
      '│ Due                      │ Clock                  │ Lead                │ Owner │ Status   │ Lateness                │',
      '├──────────────────────────┼────────────────────────┼─────────────────────┼───────┼──────────┼─────────────────────────┤',
      '│ 2026-01-12T10:00:00.000Z │ qualification-decision │ id:crm-7            │ sofia │ open     │ 8h 45m late             │',
      '├──────────────────────────┼────────────────────────┼─────────────────────┼───────┼──────────┼─────────────────────────┤',
      '│ 2026-01-12T16:00:00.000Z │ mql-first-touch        │ dee@initech.example │ leo   │ breached │ 1h 15m late             │',
      '├──────────────────────────┼────────────────────────┼─────────────────────┼───────┼──────────┼─────────────────────────┤',
      '│ 2026-01-12T17:30:00.000Z │ mql-first-touch        │ ava@northwind.io    │ priya │ breached │ 1h 15m late (wall time) │',
      '├──────────────────────────┼────────────────────────┼─────────────────────┼───────┼──────────┼─────────────────────────┤',
      '│ 2026-01-12T18:48:00.000Z │ speed-to-lead          │ ben@globex.example  │ leo   │ open     │ due in 3m               │',
      '└──────────────────────────┴────────────────────────┴─────────────────────┴───────┴──────────┴─────────────────────────┘',
      '',
    ]);
  });

  it('--status, --contact and --limit narrow the list; the counts follow --contact', async () => {
    const met = await sla('--status', 'met');
    expect(met.code).toBe(0);
    expect(met.stdout.split('\n')[0]).toBe(
      `SLA clocks in sqlite:${join(dir, 'revops.db')}: 2 open, 2 breached, 1 met`,
    );
    expect(met.stdout).toContain(
      '│ 2026-01-09T21:35:00.000Z │ speed-to-lead │ ava@northwind.io │ priya │ met    │ met in time │',
    );
    expect(met.stdout.match(/^│ 2026/gm)).toHaveLength(1);

    const ben = await sla('--contact', 'Ben@Globex.example', '--status', 'all');
    expect(ben.stdout.split('\n')).toEqual([
      `SLA clocks of ben@globex.example in sqlite:${join(dir, 'revops.db')}: 1 open, 0 breached, 0 met`,
      '┌──────────────────────────┬─────────────────┬────────────────────┬───────┬───────────┬───────────┐',
      '│ Due                      │ Clock           │ Lead               │ Owner │ Status    │ Lateness  │',
      '├──────────────────────────┼─────────────────┼────────────────────┼───────┼───────────┼───────────┤',
      '│ 2026-01-12T18:48:00.000Z │ speed-to-lead   │ ben@globex.example │ leo   │ open      │ due in 3m │',
      '├──────────────────────────┼─────────────────┼────────────────────┼───────┼───────────┼───────────┤',
      '│ 2026-01-12T22:13:00.000Z │ mql-first-touch │ ben@globex.example │ maya  │ cancelled │ —         │',
      '└──────────────────────────┴─────────────────┴────────────────────┴───────┴───────────┴───────────┘',
      '',
    ]);

    const first = await sla('--limit', '1');
    expect(first.stdout.match(/^│ 2026/gm)).toHaveLength(1);
    expect(first.stdout).toContain('│ qualification-decision │ id:crm-7 │ sofia │ open   │ 8h 45m late │');
    expect(first.stdout.split('\n').at(-2)).toBe('… and 3 more (--limit 0 lists all)');

    const none = await sla('--contact', 'id:crm-7', '--status', 'breached');
    expect(none.stdout).toBe(
      `SLA clocks of id:crm-7 in sqlite:${join(dir, 'revops.db')}: 1 open, 0 breached, 0 met\nno breached clocks\n`,
    );
  });

  it('--json: every field of the clocks shown, with the counts', async () => {
    const run = await sla('--status', 'breached', '--contact', 'ava@northwind.io', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toStrictEqual({
      at: '2026-01-12T18:45:00.000Z',
      counts: { open: 0, breached: 1, met: 1, cancelled: 0 },
      matching: 1,
      shown: 1,
      clocks: [
        {
          key: `sla:email:ava@northwind.io:mql-first-touch:${FRI_1630_NY}`,
          clock: 'mql-first-touch',
          name: 'MQL first contact attempt',
          lead: 'ava@northwind.io',
          owner: 'priya',
          status: 'breached',
          startedAt: '2026-01-09T21:30:00.000Z',
          dueAt: '2026-01-12T17:30:00.000Z',
          metAt: null,
          breachedAt: '2026-01-12T17:30:00.000Z',
          stoppedAt: null,
          stopReason: null,
          lateMs: 0,
          lateWallMs: 0,
          lateness: '1h 15m late (wall time)',
          target: '4 business hours',
          business: true,
          steps: [{ step: 0, action: 'notify_rep', at: '2026-01-09T21:35:00.000Z', to: 'rep:priya' }],
        },
      ],
    });
  });

  it('a bad option exits 2 with what is accepted; --help teaches the command', async () => {
    const bad = await sla('--limit', 'ten');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'error cli.invalid_option: --limit must be a whole number, not `ten`\nhint: for example --limit 20 (0 lists all)\n',
    );
    const status = await sla('--status', 'late');
    expect(status.code).toBe(2);
    expect(status.stderr).toContain('Allowed choices are open, breached, met, cancelled, all.');
    const help = await runRevops(dir, ['sla', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: revops sla [options]');
    expect(help.stdout).toContain('a breached clock\nkeeps running');
  });

  it('end to end: a demo request starts the clocks; the timer worker breaches speed to lead', async () => {
    // An MQL at once (demo request), routed to priya at 15:01 UTC on Tuesday 2026-11-24.
    const work = await routedLeadWorkspace('revops-engine-sla-e2e-', { ingest: false });
    try {
      const cli = (...args: string[]) => runRevops(work, [...args, '--db', 'revops.db']);
      expect((await cli('ingest', 'events.ndjson')).code).toBe(0);
      expect((await cli('timers', 'run', '--now', '2026-11-24T15:20:00Z', '--once')).code).toBe(0);
      const run = await cli('sla', '--at', '2026-11-24T15:20:00Z');
      expect(run.code).toBe(0);
      // Speed to lead: 5 minutes of wall time, due 15:06. MQL first touch: 4 business hours in
      // priya's Los Angeles hours, 07:01 PT is before opening: 09:00 + 4 h = 13:00 PT = 21:00Z.
      // Qualification decision: 48 hours.
      expect(run.stdout.split('\n')).toEqual([
        `SLA clocks in sqlite:${join(work, 'revops.db')}: 2 open, 1 breached, 0 met`,
        '┌──────────────────────────┬────────────────────────┬──────────────────┬───────┬──────────┬───────────────┐',
        '│ Due                      │ Clock                  │ Lead             │ Owner │ Status   │ Lateness      │',
        '├──────────────────────────┼────────────────────────┼──────────────────┼───────┼──────────┼───────────────┤',
        '│ 2026-11-24T15:06:00.000Z │ speed-to-lead          │ lee@company1.com │ priya │ breached │ 14m late      │',
        '├──────────────────────────┼────────────────────────┼──────────────────┼───────┼──────────┼───────────────┤',
        '│ 2026-11-24T21:00:00.000Z │ mql-first-touch        │ lee@company1.com │ priya │ open     │ due in 5h 40m │',
        '├──────────────────────────┼────────────────────────┼──────────────────┼───────┼──────────┼───────────────┤',
        '│ 2026-11-26T15:01:00.000Z │ qualification-decision │ lee@company1.com │ priya │ open     │ due in 1d 23h │',
        '└──────────────────────────┴────────────────────────┴──────────────────┴───────┴──────────┴───────────────┘',
        '',
      ]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
