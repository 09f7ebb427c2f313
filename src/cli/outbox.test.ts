/** `revops outbox list` and `revops outbox retry` on a workspace whose demo lead filled the outbox. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../compose.ts';
import { DEMO_REQUEST, routedLeadWorkspace, runRevops } from '../../test/support/cli.ts';

const AT = Date.parse(DEMO_REQUEST.at);
const LEE = 'email:lee@company1.com';

describe('revops outbox', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await routedLeadWorkspace('revops-outbox-');
    // Two rows dead-lettered and one delivered, as a dispatcher would leave them.
    const store = await openMigratedStore(join(dir, 'revops.db'));
    try {
      const [mql, assigned, notify] = await store.claimDueOutbox(AT + 1_000, 3, 60_000, 'test');
      await store.settleOutbox(mql!.id, 1, {
        status: 'dead',
        at: AT + 2_000,
        error: 'webhook:crm: HTTP 400: {"error":"bad"}',
        deliveredTo: [],
      });
      await store.settleOutbox(assigned!.id, 1, {
        status: 'delivered',
        at: AT + 2_000,
        deliveredTo: ['slack:floor'],
      });
      await store.settleOutbox(notify!.id, 1, {
        status: 'dead',
        at: AT + 2_000,
        error: 'gave up after 10 attempts: slack:floor: HTTP 503',
        deliveredTo: [],
      });
    } finally {
      await store.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every row with its status, tries and last error', async () => {
    const run = await runRevops(dir, ['outbox', 'list', '--db', 'revops.db']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      `Outbox of sqlite:${join(dir, 'revops.db')}: 2 pending, 1 delivered, 2 dead, 0 skipped`,
    );
    expect(run.stdout).toContain(
      '│ 1  │ mql              │ lee@company1.com │ dead      │ 1     │ dead 2026-11-24T15:01:02.000Z',
    );
    expect(run.stdout).toContain('webhook:crm: HTTP 400: {"error":"bad"}');
    expect(run.stdout).toContain(
      '│ 4  │ sequence         │ lee@company1.com │ pending   │ 0     │ next 2026-11-24T15:01:00.000Z',
    );
  });

  it('lists the dead-letter list as JSON', async () => {
    const run = await runRevops(dir, ['outbox', 'list', '--status', 'dead', '--json', '--db', 'revops.db']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      counts: { pending: 2, delivered: 1, dead: 2, skipped: 0 },
      matching: 2,
      shown: 2,
      items: [
        {
          id: 1,
          key: `mql:${LEE}:${AT}`,
          type: 'mql',
          contact: LEE,
          status: 'dead',
          attempts: 1,
          at: '2026-11-24T15:01:00.000Z',
          nextAttemptAt: null,
          settledAt: '2026-11-24T15:01:02.000Z',
          deliveredTo: [],
          lastError: 'webhook:crm: HTTP 400: {"error":"bad"}',
        },
        {
          id: 3,
          key: `notify:${LEE}:mql:${AT}:0:0`,
          type: 'notify',
          contact: LEE,
          status: 'dead',
          attempts: 1,
          at: '2026-11-24T15:01:00.000Z',
          nextAttemptAt: null,
          settledAt: '2026-11-24T15:01:02.000Z',
          deliveredTo: [],
          lastError: 'gave up after 10 attempts: slack:floor: HTTP 503',
        },
      ],
    });
  });

  it('refuses unknown and live rows with their codes, changing nothing', async () => {
    const unknown = await runRevops(dir, ['outbox', 'retry', '99', '--db', 'revops.db']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      'error outbox.unknown_item: no outbox row `99`\n' +
        'hint: list the dead rows with `revops outbox list --status dead`, and pass an ID or key from there\n',
    );
    const live = await runRevops(dir, ['outbox', 'retry', '2', '--db', 'revops.db']);
    expect(live.code).toBe(2);
    expect(live.stderr).toBe(
      `error outbox.not_dead: outbox row 2 (assigned:${LEE}:${AT}) is delivered, not dead\n` +
        'hint: only dead rows are retried (the dispatcher retries pending ones on its own); `revops outbox list --status dead` lists them\n',
    );
    const both = await runRevops(dir, ['outbox', 'retry', '1', '99', '4', '--db', 'revops.db']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('error outbox.unknown_item: 2 rows cannot be retried');
    expect(both.stderr).toContain('no outbox row `99`');
    expect(both.stderr).toContain(`outbox row 4 (sequence:${LEE}:mql:${AT}:2) is pending, not dead`);
    const neither = await runRevops(dir, ['outbox', 'retry', '--db', 'revops.db']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain(
      'error cli.invalid_option: give the ids of dead outbox rows, or --all-dead',
    );
    const counts = JSON.parse(
      (await runRevops(dir, ['outbox', 'list', '--json', '--db', 'revops.db'])).stdout,
    ) as {
      counts: unknown;
    };
    expect(counts.counts).toEqual({ pending: 2, delivered: 1, dead: 2, skipped: 0 });
  });

  it('revives a dead row by key, then every dead row', async () => {
    const one = await runRevops(dir, ['outbox', 'retry', `mql:${LEE}:${AT}`, '--db', 'revops.db']);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe('1 outbox row back to pending (1): the dispatcher sends it on its next poll\n');
    const rest = await runRevops(dir, ['outbox', 'retry', '--all-dead', '--db', 'revops.db']);
    expect(rest.stdout).toBe('1 outbox row back to pending (3): the dispatcher sends it on its next poll\n');
    const none = await runRevops(dir, ['outbox', 'retry', '--all-dead', '--db', 'revops.db']);
    expect(none.stdout).toBe('no dead outbox rows to retry\n');
    const list = JSON.parse(
      (await runRevops(dir, ['outbox', 'list', '--json', '--db', 'revops.db'])).stdout,
    ) as {
      counts: unknown;
      items: { id: number; status: string; attempts: number }[];
    };
    expect(list.counts).toEqual({ pending: 4, delivered: 1, dead: 0, skipped: 0 });
    expect(list.items.filter((i) => i.id === 1 || i.id === 3)).toMatchObject([
      { id: 1, status: 'pending', attempts: 0 },
      { id: 3, status: 'pending', attempts: 0 },
    ]);
  });

  it('rejects an unknown status', async () => {
    const run = await runRevops(dir, ['outbox', 'list', '--status', 'sent', '--db', 'revops.db']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      "error: option '--status <status>' argument 'sent' is invalid. Allowed choices are pending, delivered, dead, skipped.",
    );
  });
});
