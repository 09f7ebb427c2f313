/**
 * The store reads behind the HTTP API, on every dialect: filtered, keyset-paged contacts; accounts
 * and tasks paged; tasks by key; grouped counts for /metrics; pending migrations for /readyz.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store, TaskRow } from '../core/ports.ts';
import type { AccountState, ContactScore, ContactState } from '../core/types.ts';
import { DIALECTS } from '../../test/support/dialects.ts';
import { openStore } from './index.ts';

/** Monday 2026-11-23 09:00 New York. */
const T0 = Date.parse('2026-11-23T14:00:00Z');
const HOUR = 3_600_000;

const score = (total: number, mql: boolean): ContactScore => ({
  fit: total,
  engagement: 0,
  negative: 0,
  total,
  mql,
  at: T0,
});

/** A contact named by its key: `email:<email>` or `id:<external id>`. */
const contact = (key: string, overrides: Partial<ContactState> = {}): ContactState =>
  Object.assign(
    key.startsWith('email:') ? { key, email: key.slice(6) } : { key, externalId: key.slice(3) },
    {
      attributes: {},
      companyAttributes: {},
      stage: 'lead',
      stageEnteredAt: T0,
      flags: [],
      createdAt: T0,
      updatedAt: T0,
      eventCount: 1,
    },
    overrides,
  );

const account = (domain: string): AccountState => ({
  domain,
  attributes: {},
  contactCount: 1,
  createdAt: T0,
  updatedAt: T0,
});

const task = (key: string, overrides: Partial<TaskRow> = {}): TaskRow =>
  Object.assign(
    {
      key,
      contactKey: 'email:ava@northwind.io',
      title: `Task ${key}`,
      assignee: 'rep:priya',
      dueAt: T0 + 4 * HOUR,
      createdAt: T0,
      status: 'open' as const,
    },
    overrides,
  );

/** Seven contacts: stages, owners, scores and update times to filter on. */
const CONTACTS: ContactState[] = [
  contact('email:ava@northwind.io', {
    stage: 'mql',
    owner: 'priya',
    score: score(75, true),
    accountDomain: 'northwind.io',
    updatedAt: T0 + 5 * HOUR,
  }),
  contact('email:ben@northwind.io', { score: score(50, false), accountDomain: 'northwind.io' }),
  contact('email:carla@gmail.com', { stage: 'subscriber', score: score(0, false) }),
  contact('email:dan@acme.com', {
    score: score(19, false),
    owner: 'leo',
    accountDomain: 'acme.com',
    updatedAt: T0 + 2 * HOUR,
  }),
  contact('email:eve@globex.example', { stage: 'mql', owner: 'priya', score: score(65, true) }),
  contact('id:crm-1001', { stage: 'subscriber' }),
  contact('email:fay@acme.com', {
    stage: 'sql',
    owner: 'leo',
    score: score(90, true),
    accountDomain: 'acme.com',
  }),
];

describe.each(DIALECTS)('API reads on $name', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await dialect.open();
    await store.transaction(async (tx) => {
      await tx.upsertContacts(CONTACTS);
      await tx.upsertAccounts([account('northwind.io'), account('acme.com'), account('globex.example')]);
    });
  });
  afterEach(() => store.close());

  const keys = async (query: Parameters<Store['searchContacts']>[0]) =>
    (await store.searchContacts(query)).map((c) => c.key);

  it('filters contacts by stage, owner (or none), MQL, score range, update time and account', async () => {
    expect(await keys({ limit: 50 })).toEqual([
      'email:ava@northwind.io',
      'email:ben@northwind.io',
      'email:carla@gmail.com',
      'email:dan@acme.com',
      'email:eve@globex.example',
      'email:fay@acme.com',
      'id:crm-1001',
    ]);
    expect(await keys({ limit: 50, stages: ['mql', 'sql'] })).toEqual([
      'email:ava@northwind.io',
      'email:eve@globex.example',
      'email:fay@acme.com',
    ]);
    expect(await keys({ limit: 50, owner: 'leo' })).toEqual(['email:dan@acme.com', 'email:fay@acme.com']);
    expect(await keys({ limit: 50, owner: null })).toEqual([
      'email:ben@northwind.io',
      'email:carla@gmail.com',
      'id:crm-1001',
    ]);
    expect(await keys({ limit: 50, mql: true })).toEqual([
      'email:ava@northwind.io',
      'email:eve@globex.example',
      'email:fay@acme.com',
    ]);
    // Never scored (crm-1001) counts as not an MQL.
    expect(await keys({ limit: 50, mql: false })).toEqual([
      'email:ben@northwind.io',
      'email:carla@gmail.com',
      'email:dan@acme.com',
      'id:crm-1001',
    ]);
    // Bounds are inclusive; never scored is outside every range.
    expect(await keys({ limit: 50, scoreMin: 19, scoreMax: 65 })).toEqual([
      'email:ben@northwind.io',
      'email:dan@acme.com',
      'email:eve@globex.example',
    ]);
    expect(await keys({ limit: 50, scoreMax: 0 })).toEqual(['email:carla@gmail.com']);
    expect(await keys({ limit: 50, updatedSince: T0 + 2 * HOUR })).toEqual([
      'email:ava@northwind.io',
      'email:dan@acme.com',
    ]);
    expect(await keys({ limit: 50, accountDomain: 'acme.com' })).toEqual([
      'email:dan@acme.com',
      'email:fay@acme.com',
    ]);
    expect(await keys({ limit: 50, stages: ['lead'], owner: null, scoreMin: 40 })).toEqual([
      'email:ben@northwind.io',
    ]);
  });

  it('pages contacts in key order after a key, filters and all', async () => {
    expect(await keys({ limit: 2, mql: false })).toEqual(['email:ben@northwind.io', 'email:carla@gmail.com']);
    expect(await keys({ limit: 2, mql: false, afterKey: 'email:carla@gmail.com' })).toEqual([
      'email:dan@acme.com',
      'id:crm-1001',
    ]);
    expect(await keys({ limit: 2, mql: false, afterKey: 'id:crm-1001' })).toEqual([]);
    const found = await store.searchContacts({ limit: 1, owner: 'priya' });
    expect(found[0]).toEqual(CONTACTS[0]);
  });

  it('pages accounts by domain', async () => {
    const domains = async (options: Parameters<Store['listAccounts']>[0]) =>
      (await store.listAccounts(options)).map((a) => a.domain);
    expect(await domains(undefined)).toEqual(['acme.com', 'globex.example', 'northwind.io']);
    expect(await domains({ limit: 2 })).toEqual(['acme.com', 'globex.example']);
    expect(await domains({ limit: 2, afterDomain: 'globex.example' })).toEqual(['northwind.io']);
  });

  it('lists tasks by status, assignee and contact, paged in (createdAt, key) order, and finds them by key', async () => {
    await store.transaction((tx) =>
      tx.upsertTasks([
        task('t3', { createdAt: T0 + HOUR }),
        task('t1'),
        task('t2', { assignee: 'rep:leo', contactKey: 'email:dan@acme.com' }),
        task('t4', { status: 'done' }),
        task('t5', { status: 'cancelled', createdAt: T0 + HOUR }),
      ]),
    );
    const list = async (query: Parameters<Store['listTasks']>[0]) =>
      (await store.listTasks(query)).map((t) => t.key);
    expect(await list(undefined)).toEqual(['t1', 't2', 't4', 't3', 't5']);
    expect(await list({ status: 'open' })).toEqual(['t1', 't2', 't3']);
    expect(await list({ status: ['done', 'cancelled'] })).toEqual(['t4', 't5']);
    expect(await list({ assignee: 'rep:leo' })).toEqual(['t2']);
    expect(await list({ contactKey: 'email:ava@northwind.io', status: 'open' })).toEqual(['t1', 't3']);
    expect(await list({ limit: 2 })).toEqual(['t1', 't2']);
    expect(await list({ limit: 2, after: { createdAt: T0, key: 't2' } })).toEqual(['t4', 't3']);
    expect(await list({ after: { createdAt: T0 + HOUR, key: 't3' } })).toEqual(['t5']);
    const found = await store.transaction((tx) => tx.findTasks(['t3', 'nope', 't2']));
    expect(found).toEqual([
      task('t2', { assignee: 'rep:leo', contactKey: 'email:dan@acme.com' }),
      task('t3', { createdAt: T0 + HOUR }),
    ]);
  });

  it('counts by group for /metrics, overdue timers as of the instant asked', async () => {
    await store.transaction(async (tx) => {
      await tx.upsertTasks([task('t1'), task('t2', { status: 'done' })]);
      await tx.upsertTimers([
        { kind: 'timer', key: 'a', dueAt: T0, payload: {} },
        { kind: 'timer', key: 'b', dueAt: T0 + HOUR, payload: {} },
        { kind: 'timer', key: 'c', dueAt: T0 + 2 * HOUR, payload: {} },
      ]);
      await tx.insertOutbox([
        { kind: 'outbox', key: 'o1', type: 'notify', at: T0, payload: {} },
        { kind: 'outbox', key: 'o2', type: 'notify', at: T0, payload: {} },
      ]);
      await tx.appendAssignments([
        {
          contactKey: 'email:ava@northwind.io',
          kind: 'assigned',
          owner: 'priya',
          rule: 'r',
          at: T0,
          trace: {},
        },
        {
          contactKey: 'email:ben@northwind.io',
          kind: 'queued',
          queue: 'inbound',
          rule: 'f',
          at: T0,
          trace: {},
        },
        { contactKey: 'email:dan@acme.com', kind: 'assigned', owner: 'leo', rule: 'r', at: T0, trace: {} },
      ]);
    });
    const { stateCache, ...counts } = await store.stats(T0 + HOUR);
    // SQLite keeps contacts and accounts between transactions and reports it; PostgreSQL keeps none.
    expect(stateCache === undefined).toBe(dialect.name === 'postgres');
    expect(stateCache?.contacts ?? 0).toBe(0);
    expect(counts).toEqual({
      events: 0,
      contactsByStage: { lead: 2, mql: 2, sql: 1, subscriber: 2 },
      assignmentsByKind: { assigned: 2, queued: 1 },
      timersPending: 3,
      timersOverdue: 2,
      outboxByStatus: { pending: 2 },
      tasksByStatus: { done: 1, open: 1 },
      slaClocksByStatus: {},
    });
  });

  it('has no pending migrations once migrated', async () => {
    expect(await store.pendingMigrations()).toEqual([]);
  });
});

describe('pendingMigrations', () => {
  it('lists every migration of a database never migrated, and applies none', async () => {
    const store = await openStore(':memory:');
    try {
      const pending = await store.pendingMigrations();
      expect(pending.slice(0, 6)).toEqual([
        '0001_initial',
        '0002_contact_scores',
        '0003_account_scores',
        '0004_routing',
        '0005_task_contact',
        '0006_sla_clocks',
      ]);
      expect(await store.pendingMigrations()).toEqual(pending);
      expect(await store.migrate()).toEqual(pending);
      expect(await store.pendingMigrations()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
