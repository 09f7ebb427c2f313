// revops timers run / list through the command line, on every dialect, against a database the test
// fills with `revops ingest`: a lead routed on a demo request gets a follow-up task due 4 business
// hours later (Tue 10:01 New York → 14:01, 2026-11-24T19:01Z) and a reminder timer for it.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databaseTargets } from '../../test/support/dialects.ts';
import { runRevops } from '../../test/support/cli.ts';
import { openMigratedStore } from '../compose.ts';
import { templatePath } from '../config/templates/index.ts';

const EMAIL = 'lee@company1.com';
const TASK = `task:email:${EMAIL}:mql:${Date.parse('2026-11-24T15:01:00Z')}:1`;
const TIMER = `task-due:${TASK}`;
const DUE = '2026-11-24T19:01:00.000Z';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revops-timers-cli-'));
  // The task reminder alone: the template's SLA clocks (and the automation on their breach) are
  // left out, so their timers do not crowd the listing (src/engine/sla.test.ts runs them).
  const config = parseDocument(readFileSync(templatePath('mid-market'), 'utf8'));
  config.setIn(['sla', 'clocks'], []);
  const automations = (config.toJS() as { automations: { trigger: { on: string } }[] }).automations;
  config.set(
    'automations',
    automations.filter((a) => a.trigger.on !== 'sla_breached'),
  );
  writeFileSync(join(dir, 'revops.yaml'), config.toString());
  const demo = {
    id: 'demo-1',
    type: 'form_submit',
    at: '2026-11-24T15:01:00Z',
    contact: { email: EMAIL, firstName: 'Lee', lastName: 'Number1', seniority: 'vp' },
    company: { name: 'Company 1', employees: 400 },
    properties: { form: 'demo_request' },
  };
  writeFileSync(join(dir, 'events.ndjson'), `${JSON.stringify(demo)}\n`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const revops = (args: string[]) => runRevops(dir, args);

const TARGETS = databaseTargets(() => dir);

describe.each(TARGETS)('revops timers on $name', ({ target }) => {
  it('lists the reminder, fires it once at its due time, and then nothing is pending', async () => {
    const db = await target();
    expect((await revops(['ingest', 'events.ndjson', '--db', db])).code).toBe(0);
    const description = /^1 timer\(s\) pending in (\S+)$/m;

    const listed = await revops(['timers', 'list', '--db', db]);
    expect(listed.code).toBe(0);
    const where = description.exec(listed.stdout)?.[1] ?? '';
    expect(where).toMatch(/^(sqlite:|postgres)/);
    const row = listed.stdout.split('\n').find((l) => l.includes(TIMER)) ?? '';
    expect(row.split('│').map((c) => c.trim())).toEqual([
      '',
      DUE,
      TIMER,
      'task_due',
      `email:${EMAIL}`,
      '0',
      '',
    ]);
    expect(listed.stdout).toContain(`next claimable at ${DUE}`);

    const none = await revops(['timers', 'list', '--db', db, '--json', '--due-before', DUE]);
    expect(JSON.parse(none.stdout)).toEqual({
      total: 1,
      matching: 0,
      shown: 0,
      dueBefore: DUE,
      nextDue: DUE,
      timers: [],
    });
    const one = await revops([
      'timers',
      'list',
      '--db',
      db,
      '--json',
      '--due-before',
      '2026-11-25T00:00:00Z',
    ]);
    expect(JSON.parse(one.stdout).timers).toEqual([
      {
        key: TIMER,
        dueAt: DUE,
        kind: 'task_due',
        contact: `email:${EMAIL}`,
        attempts: 0,
        payload: { kind: 'task_due', task: TASK, title: 'Follow up with Lee Number1', assignee: 'rep:priya' },
      },
    ]);

    const early = await revops(['timers', 'run', '--db', db, '--once', '--now', '2026-11-24T19:00:59Z']);
    expect(early.code).toBe(0);
    expect(early.stderr).toBe('');
    expect(early.stdout).toMatch(
      new RegExp(
        `^fired 0 timer\\(s\\) in 0 batch\\(es\\) in ${where.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}; done \\(--once\\) at 2026-11-24T19:00:59\\.\\d{3}Z; next timer claimable at ${DUE}\n$`,
      ),
    );

    const due = await revops(['timers', 'run', '--db', db, '--once', '--now', '2026-11-24T19:31:00Z']);
    expect(due.code).toBe(0);
    expect(due.stderr).toMatch(
      /^2026-11-24T19:31:00\.\d{3}Z {2}fired 1 timer\(s\) \(task_due 1\); the most overdue by 30 min\n$/,
    );
    expect(due.stdout).toMatch(/^fired 1 timer\(s\) in 1 batch\(es\) in .*; no timer pending\n$/);

    const store = await openMigratedStore(db);
    try {
      const overdue = (await store.listOutbox()).filter((o) => o.type === 'task_overdue');
      expect(overdue.map((o) => [o.key, o.payload])).toEqual([
        [
          `overdue:${TIMER}:${Date.parse(DUE)}`,
          { to: 'rep:priya', task: TASK, title: 'Follow up with Lee Number1' },
        ],
      ]);
      expect(await store.listTimers()).toEqual([]);
    } finally {
      await store.close();
    }
    const again = await revops(['timers', 'run', '--db', db, '--once', '--now', '2026-11-25T19:31:00Z']);
    expect(again.stdout).toMatch(/^fired 0 timer\(s\) .*; no timer pending\n$/);
    expect((await revops(['timers', 'list', '--db', db])).stdout).toBe(`0 timer(s) pending in ${where}\n`);
  }, 60_000);
});

describe('revops timers: help and errors', () => {
  it('--help explains the worker, leases and the options', async () => {
    const help = await revops(['timers', 'run', '--help']);
    expect(help.code).toBe(0);
    for (const text of [
      'Usage: revops timers run [options]',
      '--lease <duration>',
      'Crash safety: each batch is claimed with a lease',
      'at most 250 ms at',
      'revops timers run --db "$DATABASE_URL" --once',
    ])
      expect(help.stdout).toContain(text);
    expect((await revops(['timers', 'list', '--help'])).stdout).toContain('--due-before <iso>');
  });

  it.each([
    [
      ['--lease', '5'],
      'error cli.invalid_option: --lease must be a duration of at least 100ms, like 30s or 2m, not `5`',
      'hint: the lease is how long a claimed batch waits before another worker may fire it: longer than a batch takes (default 1m)',
    ],
    [
      ['--once', '--until', '2030-01-01T00:00:00Z'],
      'error cli.invalid_option: --once and --until do not go together',
      'hint: use --once to fire what is due now, or --until ISO to run until then',
    ],
    [
      ['--now', 'tomorrow'],
      'error cli.invalid_option: --now must be an ISO time with a zone, not `tomorrow`',
      'hint: for example --now 2026-12-01T09:00:00Z',
    ],
    [
      ['--batch', '0'],
      'error cli.invalid_option: --batch must be a whole number of at least 1, not `0`',
      'hint: for example --batch 500',
    ],
    [
      ['--now', '2026-12-01T09:00:00Z', '--until', '2026-12-01T08:00:00Z'],
      'error cli.invalid_option: --until 2026-12-01T08:00:00.000Z is before the clock (2026-12-01T09:00:00.000Z)',
      'hint: to fire everything due by a past instant, use --now ISO --once',
    ],
  ])('timers run %j is a coded error (exit 2)', async (args, error, hint) => {
    const run = await revops(['timers', 'run', '--db', 'revops.db', ...args]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    // The --until check reads the running clock: the instant printed may be a few ms past --now.
    const [first, second] = run.stderr
      .replace(/\(2026-12-01T09:00:00\.\d{3}Z\)/, '(2026-12-01T09:00:00.000Z)')
      .split('\n');
    expect(first).toBe(error);
    expect(second).toBe(hint);
  });

  it('timers list --due-before needs a time with a zone', async () => {
    const run = await revops(['timers', 'list', '--db', 'revops.db', '--due-before', '2026-12-01']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error cli.invalid_option: --due-before must be an ISO time with a zone, not `2026-12-01`\nhint: for example --due-before 2026-12-01T09:00:00Z\n',
    );
  });
});
