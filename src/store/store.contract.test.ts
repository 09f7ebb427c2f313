/**
 * The store contract: one suite, every dialect, through the public surface. SQLite `:memory:` and a
 * SQLite file (WAL) always run; PostgreSQL runs when REVOPS_TEST_PG_URL names a server (start a
 * throwaway one with `eval "$(scripts/pg-test-server.sh start)"`): each run gets a fresh randomly
 * named database, each test a fresh schema in it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEffect, TaskEffect, TimerEffect } from '../core/effects.ts';
import type { StoredEvent, TaskRow } from '../core/ports.ts';
import type { SlaClock } from '../core/sla/model.ts';
import type { AccountState, ContactState, InboundEvent, StageChange, Touch } from '../core/types.ts';
import { createPgTestDatabase, type PgTestDatabase } from '../../test/pg/testDatabase.ts';
import { createPostgresStore, createSqliteStore, openStore, type SqlStore } from './index.ts';

// ---- named instants and builders

/** Monday 2025-01-06 09:00 in New York. */
const MON_0900_NY = Date.UTC(2025, 0, 6, 14, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

const event = (overrides: Partial<InboundEvent> = {}): InboundEvent => ({
  id: 'e1',
  type: 'page_view',
  at: MON_0900_NY,
  source: 'api',
  contact: { email: 'ada@acme.com', title: 'VP Sales' },
  company: { domain: 'acme.com', employees: 250, techStack: ['hubspot', 'slack'] },
  properties: { url: 'https://acme.com/pricing', category: 'pricing' },
  ...overrides,
});

const stored = (e: InboundEvent, extra: Partial<StoredEvent> = {}): StoredEvent => ({
  event: e,
  receivedAt: e.at + 5,
  contactKey: 'ada@acme.com',
  ...extra,
});

/** A contact with only the required fields; optional ones come through `overrides`. */
const contact = (overrides: Partial<ContactState> = {}): ContactState => ({
  key: 'ada@acme.com',
  attributes: { title: { value: 'VP Sales', at: MON_0900_NY, eventId: 'e1', source: 'api' } },
  companyAttributes: { employees: { value: 250, at: MON_0900_NY, eventId: 'e1', source: 'api' } },
  stage: 'lead',
  stageEnteredAt: MON_0900_NY,
  flags: [],
  createdAt: MON_0900_NY,
  updatedAt: MON_0900_NY,
  eventCount: 1,
  ...overrides,
});

const account = (overrides: Partial<AccountState> = {}): AccountState => ({
  domain: 'acme.com',
  attributes: { name: { value: 'Acme', at: MON_0900_NY, eventId: 'e1', source: 'api' } },
  contactCount: 1,
  createdAt: MON_0900_NY,
  updatedAt: MON_0900_NY,
  ...overrides,
});

const timer = (overrides: Partial<TimerEffect> = {}): TimerEffect => ({
  kind: 'timer',
  key: 'sla:ada@acme.com:first_touch',
  dueAt: MON_0900_NY + 4 * HOUR,
  contactKey: 'ada@acme.com',
  payload: { clock: 'first_touch', step: 1 },
  ...overrides,
});

const outbox = (overrides: Partial<OutboxEffect> = {}): OutboxEffect => ({
  kind: 'outbox',
  key: 'notify:e1:owner',
  type: 'notify',
  contactKey: 'ada@acme.com',
  at: MON_0900_NY,
  payload: { channel: 'slack', text: 'New MQL: Ada' },
  ...overrides,
});

const task = (overrides: Partial<TaskRow> = {}): TaskRow => ({
  key: 'task:ada@acme.com:call',
  contactKey: 'ada@acme.com',
  title: 'Call Ada',
  assignee: 'rep-1',
  createdAt: MON_0900_NY,
  status: 'open',
  ...overrides,
});

/** An SLA clock with only the required fields (a running one); optional ones through `overrides`. */
const slaClock = (overrides: Partial<SlaClock> = {}): SlaClock => ({
  key: `sla:ada@acme.com:mql-first-touch:${MON_0900_NY}`,
  contactKey: 'ada@acme.com',
  clockId: 'mql-first-touch',
  name: 'MQL first contact attempt',
  startedAt: MON_0900_NY,
  dueAt: MON_0900_NY + 4 * HOUR,
  status: 'open',
  target: '4 business hours',
  business: true,
  timezone: 'America/New_York',
  cause: 'e1',
  steps: [],
  updatedAt: MON_0900_NY,
  ...overrides,
});

// ---- dialects

interface Dialect {
  readonly name: string;
  /** A fresh, unmigrated store; `second` opens another handle on the same database. */
  readonly open: () => Promise<{ store: SqlStore; second: () => Promise<SqlStore>; cleanup: () => void }>;
}

const PG_URL = process.env['REVOPS_TEST_PG_URL'];
let pgDatabase: PgTestDatabase | undefined;

const DIALECTS: Dialect[] = [
  {
    name: 'sqlite :memory:',
    open: () => {
      const store = createSqliteStore(':memory:', { now: () => MON_0900_NY });
      return Promise.resolve({ store, second: () => Promise.resolve(store), cleanup: () => {} });
    },
  },
  {
    name: 'sqlite file (WAL)',
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'revops-store-'));
      const path = join(dir, 'nested', 'revops.db');
      const store = createSqliteStore(path, { now: () => MON_0900_NY });
      return Promise.resolve({
        store,
        second: () => Promise.resolve(createSqliteStore(path)),
        cleanup: () => rmSync(dir, { recursive: true, force: true }),
      });
    },
  },
  ...(PG_URL === undefined
    ? []
    : [
        {
          name: 'postgres',
          open: async () => {
            pgDatabase ??= await createPgTestDatabase(PG_URL);
            const url = await pgDatabase.freshSchemaUrl();
            const store = await createPostgresStore(url, { now: () => MON_0900_NY });
            return { store, second: () => createPostgresStore(url), cleanup: () => {} };
          },
        },
      ]),
];

afterAll(async () => {
  await pgDatabase?.drop();
});

for (const dialect of DIALECTS) {
  describe(`Store contract: ${dialect.name}`, () => {
    let store: SqlStore;
    let firstMigration: string[];
    let extraStores: SqlStore[] = [];
    let cleanup: () => void;
    let openSecond: () => Promise<SqlStore>;

    beforeEach(async () => {
      const opened = await dialect.open();
      store = opened.store;
      cleanup = opened.cleanup;
      openSecond = async () => {
        const other = await opened.second();
        if (other !== store) extraStores.push(other);
        return other;
      };
      firstMigration = await store.migrate();
    });

    afterEach(async () => {
      for (const other of extraStores) await other.close();
      extraStores = [];
      await store.close();
      cleanup();
    });

    it('migrates once: the second run applies nothing, and the tables start empty', async () => {
      expect(firstMigration).toEqual([
        '0001_initial',
        '0002_contact_scores',
        '0003_account_scores',
        '0004_routing',
        '0005_task_contact',
        '0006_sla_clocks',
        '0007_api_keys',
        '0008_outbox_delivery',
        '0009_deals',
        '0010_metric_facts',
        '0011_metric_rollups',
        '0012_load_indexes',
        '0013_response_buckets',
        '0014_stay_filters_index',
        '0015_report_indexes',
        '0016_deal_hash',
        '0017_filtered_rollups',
        '0018_response_classes',
        '0019_clock_facts',
      ]);
      expect(await store.migrate()).toEqual([]);
      expect(await store.counts()).toEqual({
        events: 0,
        contacts: 0,
        accounts: 0,
        stageHistory: 0,
        touches: 0,
        timers: 0,
        outbox: 0,
        tasks: 0,
        slaClocks: 0,
      });
      expect(await store.nextTimerDue()).toBeUndefined();
    });

    it('stores events in arrival order and knows their ids', async () => {
      const e1 = event();
      const e2 = event({ id: 'e2', type: 'identify', at: MON_0900_NY - MIN, properties: {} });
      const e3 = event({
        id: 'e3',
        type: 'form_submit',
        contact: {},
        company: {},
        properties: { form: 'demo_request' },
      });
      await store.transaction(async (tx) => {
        expect(await tx.knownEventIds(['e1', 'e2'])).toEqual(new Set());
        await tx.insertEvents([stored(e1), stored(e2), { event: e3, receivedAt: 42 }]);
        expect(await tx.knownEventIds(['e2', 'e9', 'e2', 'e3'])).toEqual(new Set(['e2', 'e3']));
        expect(await tx.knownEventIds([])).toEqual(new Set());
      });
      expect(await store.listEvents()).toStrictEqual([
        { seq: 1, event: e1, receivedAt: MON_0900_NY + 5, contactKey: 'ada@acme.com' },
        { seq: 2, event: e2, receivedAt: MON_0900_NY - MIN + 5, contactKey: 'ada@acme.com' },
        { seq: 3, event: e3, receivedAt: 42 },
      ]);
    });

    it('keeps JSON exactly: key order, unicode, nesting, numbers', async () => {
      const properties = { z: 1, a: { y: [1, 2.5, 'три'], b: null }, m: true, '😀': 'ok', big: 2 ** 53 - 1 };
      await store.transaction((tx) => tx.insertEvents([stored(event({ properties }))]));
      const [row] = await store.listEvents();
      expect(JSON.stringify(row!.event.properties)).toBe(JSON.stringify(properties));
    });

    it('refuses a duplicate event id (a bug in the caller) and rolls the batch back', async () => {
      await store.transaction((tx) => tx.insertEvents([stored(event())]));
      await expect(
        store.transaction((tx) => tx.insertEvents([stored(event({ id: 'e2' })), stored(event())])),
      ).rejects.toThrow();
      expect((await store.listEvents()).map((r) => r.event.id)).toEqual(['e1']);
    });

    it('pages events by seq', async () => {
      const events = ['a', 'b', 'c', 'd', 'e'].map((id, i) => stored(event({ id, at: MON_0900_NY + i })));
      await store.transaction((tx) => tx.insertEvents(events));
      const ids = (rows: { event: InboundEvent }[]) => rows.map((r) => r.event.id);
      expect(ids(await store.listEvents({ limit: 2 }))).toEqual(['a', 'b']);
      expect(ids(await store.listEvents({ afterSeq: 2, limit: 2 }))).toEqual(['c', 'd']);
      expect(ids(await store.listEvents({ afterSeq: 4 }))).toEqual(['e']);
      expect(await store.listEvents({ afterSeq: 5 })).toEqual([]);
      expect((await store.listEvents({ afterSeq: 3 })).map((r) => r.seq)).toEqual([4, 5]);
    });

    it('writes and looks up batches larger than one statement can carry', async () => {
      // 5,000 rows × 9 columns exceeds SQLite's 32,766 parameters; 40,000 ids exceed both limits.
      const events = Array.from({ length: 5000 }, (_, i) =>
        stored(event({ id: `bulk-${i}`, at: MON_0900_NY + i })),
      );
      await store.transaction((tx) => tx.insertEvents(events));
      const asked = Array.from({ length: 40_000 }, (_, i) => `bulk-${i}`);
      const known = await store.transaction((tx) => tx.knownEventIds(asked));
      expect(known.size).toBe(5000);
      expect(known.has('bulk-4999')).toBe(true);
      expect(known.has('bulk-5000')).toBe(false);
      const contacts = Array.from({ length: 3000 }, (_, i) =>
        contact({ key: `c${i}@x.io`, email: `c${i}@x.io` }),
      );
      await store.transaction((tx) => tx.upsertContacts(contacts));
      const emails = contacts
        .map((c) => c.email!)
        .concat(Array.from({ length: 40_000 }, (_, i) => `n${i}@x.io`));
      expect(await store.transaction((tx) => tx.findContacts({ emails, externalIds: [] }))).toHaveLength(
        3000,
      );
      expect((await store.counts()).events).toBe(5000);
      expect((await store.listEvents({ afterSeq: 4998 })).map((r) => r.event.id)).toEqual([
        'bulk-4998',
        'bulk-4999',
      ]);
    });

    it('pages contacts in key order and rewrites only their scores', async () => {
      const keys = ['b@x.io', 'a@x.io', 'C@x.io', 'c@x.io', 'ä@x.io'];
      const all = keys.map((key) => contact({ key, email: key, eventCount: 7 }));
      await store.transaction((tx) => tx.upsertContacts(all));
      const page1 = await store.transaction((tx) => tx.contactsAfter(undefined, 2));
      expect(page1.map((c) => c.key)).toEqual(['C@x.io', 'a@x.io']);
      const page2 = await store.transaction((tx) => tx.contactsAfter('a@x.io', 10));
      expect(page2.map((c) => c.key)).toEqual(['b@x.io', 'c@x.io', 'ä@x.io']);

      const score = { fit: 40, engagement: 12.5, negative: -10, total: 63, mql: false, at: MON_0900_NY };
      await store.transaction((tx) =>
        tx.updateScores([
          { key: 'a@x.io', score, nextDecayAt: MON_0900_NY + HOUR },
          { key: 'c@x.io', score: { ...score, total: 80, mql: true } },
          { key: 'nobody@x.io', score },
        ]),
      );
      const after = await store.transaction((tx) => tx.contactsAfter(undefined, 10));
      expect(after).toHaveLength(5);
      expect(after.find((c) => c.key === 'a@x.io')).toStrictEqual({
        ...contact({ key: 'a@x.io', email: 'a@x.io', eventCount: 7 }),
        score,
        nextDecayAt: MON_0900_NY + HOUR,
      });
      expect(after.find((c) => c.key === 'c@x.io')?.score).toStrictEqual({ ...score, total: 80, mql: true });
      expect(after.find((c) => c.key === 'c@x.io')?.nextDecayAt).toBeUndefined();
      expect(after.find((c) => c.key === 'b@x.io')?.score).toBeUndefined();
      // A rescore clears a next decay step that no longer exists.
      await store.transaction((tx) => tx.updateScores([{ key: 'a@x.io', score }]));
      const [a] = await store.transaction((tx) => tx.contactsAfter('C@x.io', 1));
      expect(a?.nextDecayAt).toBeUndefined();
    });

    it('upserts contacts, finds them by email or external id, and leaves absent fields absent', async () => {
      const ada = contact({
        email: 'ada@acme.com',
        accountDomain: 'acme.com',
        owner: 'rep-1',
        flags: ['re_mql'],
        lastActivityAt: MON_0900_NY + MIN,
        lastTouchAt: MON_0900_NY + 2 * MIN,
        eventCount: 3,
      });
      const anonymous = contact({ key: 'ext:42', externalId: '42' });
      await store.transaction((tx) => tx.upsertContacts([ada, anonymous]));

      const found = await store.transaction((tx) =>
        tx.findContacts({ emails: ['ada@acme.com', 'nobody@acme.com'], externalIds: ['42', '43'] }),
      );
      expect(found).toStrictEqual([ada, anonymous]);
      const [, anon] = found;
      expect(Object.keys(anon!).sort()).toEqual(
        [
          'attributes',
          'companyAttributes',
          'createdAt',
          'eventCount',
          'externalId',
          'flags',
          'key',
          'stage',
          'stageEnteredAt',
          'updatedAt',
        ].sort(),
      );
      expect(await store.transaction((tx) => tx.findContacts({ emails: [], externalIds: [] }))).toEqual([]);

      // Replace by key: every column follows the new row, cleared fields become absent.
      const replaced = contact({
        email: 'ada@acme.com',
        stage: 'mql',
        stageEnteredAt: MON_0900_NY + HOUR,
        eventCount: 4,
        updatedAt: MON_0900_NY + HOUR,
      });
      await store.transaction((tx) => tx.upsertContacts([replaced]));
      expect(await store.listContacts()).toStrictEqual([replaced, anonymous]);
      expect(
        await store.transaction((tx) => tx.findContacts({ emails: [], externalIds: ['42'] })),
      ).toStrictEqual([anonymous]);
    });

    it('keeps the last of several rows for one contact key in one batch', async () => {
      await store.transaction((tx) =>
        tx.upsertContacts([
          contact({ eventCount: 1 }),
          contact({ key: 'b@x.io' }),
          contact({ eventCount: 2 }),
        ]),
      );
      expect((await store.listContacts()).map((c) => [c.key, c.eventCount])).toEqual([
        ['ada@acme.com', 2],
        ['b@x.io', 1],
      ]);
    });

    it('writes a contact read in the same transaction column by column, whatever it changed back and forth', async () => {
      const ada = contact({ email: 'ada@acme.com', owner: 'rep-1', accountDomain: 'acme.com' });
      const ben = contact({ key: 'ben@acme.com', email: 'ben@acme.com' });
      await store.transaction((tx) => tx.upsertContacts([ada, ben]));
      const later = MON_0900_NY + HOUR;
      const final = await store.transaction(async (tx) => {
        const [read] = await tx.findContacts({ emails: ['ada@acme.com'], externalIds: [] });
        expect(read).toStrictEqual(ada);
        // Stage and owner change, then change back within the transaction; activity moves on.
        await tx.upsertContacts([
          contact({
            email: 'ada@acme.com',
            stage: 'mql',
            owner: 'rep-2',
            accountDomain: 'acme.com',
            updatedAt: later,
          }),
        ]);
        const back = contact({
          email: 'ada@acme.com',
          owner: 'rep-1',
          accountDomain: 'acme.com',
          updatedAt: later + MIN,
          lastActivityAt: later + MIN,
          eventCount: 2,
        });
        await tx.upsertContacts([back]);
        // Written again unchanged, and a contact never read (ben): written whole.
        await tx.upsertContacts([
          back,
          contact({ key: 'ben@acme.com', email: 'ben@acme.com', stage: 'sql' }),
        ]);
        return back;
      });
      expect(await store.listContacts()).toStrictEqual([
        final,
        contact({ key: 'ben@acme.com', email: 'ben@acme.com', stage: 'sql' }),
      ]);
      // A cleared optional field is cleared in the row, not left as read.
      await store.transaction(async (tx) => {
        await tx.findContacts({ emails: ['ada@acme.com'], externalIds: [] });
        await tx.upsertContacts([
          contact({ email: 'ada@acme.com', updatedAt: later + 2 * MIN, eventCount: 3 }),
        ]);
      });
      const [ada2] = await store.listContacts();
      expect(ada2).toStrictEqual(
        contact({ email: 'ada@acme.com', updatedAt: later + 2 * MIN, eventCount: 3 }),
      );
      expect(ada2?.owner).toBeUndefined();
    });

    it('lists contacts by key with paging', async () => {
      const keys = ['d@x.io', 'a@x.io', 'c@x.io', 'b@x.io'];
      await store.transaction((tx) => tx.upsertContacts(keys.map((key) => contact({ key }))));
      const listed = async (options?: { limit?: number; afterKey?: string }) =>
        (await store.listContacts(options)).map((c) => c.key);
      expect(await listed()).toEqual(['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io']);
      expect(await listed({ limit: 2 })).toEqual(['a@x.io', 'b@x.io']);
      expect(await listed({ afterKey: 'b@x.io', limit: 1 })).toEqual(['c@x.io']);
      expect(await listed({ afterKey: 'd@x.io' })).toEqual([]);
    });

    it('orders and pages text keys by bytes, whatever the database collation', async () => {
      const keys = ['a@x.io', 'B@x.io', 'a.b@x.io', '_z@x.io', 'Ä@x.io'];
      await store.transaction((tx) => tx.upsertContacts(keys.map((key) => contact({ key }))));
      const byBytes = ['B@x.io', '_z@x.io', 'a.b@x.io', 'a@x.io', 'Ä@x.io'];
      expect((await store.listContacts()).map((c) => c.key)).toEqual(byBytes);
      expect((await store.listContacts({ afterKey: '_z@x.io', limit: 2 })).map((c) => c.key)).toEqual([
        'a.b@x.io',
        'a@x.io',
      ]);
      const tasks = keys.map((key) => task({ key }));
      await store.transaction((tx) => tx.upsertTasks(tasks));
      expect((await store.listTasks()).map((t) => t.key)).toEqual(byBytes);
      await store.transaction((tx) => tx.upsertTimers(keys.map((key) => timer({ key }))));
      expect((await store.listTimers()).map((t) => t.key)).toEqual(byBytes);
      const claimed = await store.claimDueTimers(timer().dueAt, 10, MIN, 'w1');
      expect(claimed.map((t) => t.key)).toEqual(byBytes);
    });

    it('upserts accounts by domain and finds them', async () => {
      const acme = account({ owner: 'rep-1', lastActivityAt: MON_0900_NY + MIN });
      const globex = account({ domain: 'globex.com', contactCount: 3 });
      await store.transaction((tx) => tx.upsertAccounts([globex, acme]));
      expect(
        await store.transaction((tx) => tx.findAccounts(['globex.com', 'acme.com', 'initech.com'])),
      ).toStrictEqual([acme, globex]);
      const acme2 = account({
        contactCount: 2,
        updatedAt: MON_0900_NY + HOUR,
        members: {
          'email:ada@acme.com': { total: 72, engagement: 40, lastActivityAt: MON_0900_NY, at: MON_0900_NY },
          'email:bob@acme.com': { total: 10.5, engagement: 0, at: MON_0900_NY + HOUR },
        },
        score: { total: 82.5, engagedContacts: 1, buyingCommittee: false, at: MON_0900_NY + HOUR },
        named: { owner: 'priya', tier: 1 },
      });
      await store.transaction((tx) => tx.upsertAccounts([acme2]));
      expect(await store.listAccounts()).toStrictEqual([acme2, globex]);
      expect(await store.transaction((tx) => tx.findAccounts([]))).toEqual([]);
    });

    it('returns stage history in (at, insertion) order', async () => {
      const change = (to: string, at: number, from?: string, contactKey = 'ada@acme.com'): StageChange => ({
        contactKey,
        ...(from === undefined ? {} : { from }),
        to,
        at,
        cause: `e-${to}`,
        reason: `entered ${to}`,
      });
      const lead = change('lead', MON_0900_NY);
      const mql = change('mql', MON_0900_NY + HOUR, 'lead');
      const sql = change('sql', MON_0900_NY + HOUR, 'mql');
      const other = change('lead', MON_0900_NY + MIN, undefined, 'bob@acme.com');
      await store.transaction((tx) => tx.appendStageHistory([mql, lead]));
      await store.transaction((tx) => tx.appendStageHistory([other, sql]));
      expect(await store.stageHistory('ada@acme.com')).toStrictEqual([lead, mql, sql]);
      expect(await store.stageHistory()).toStrictEqual([lead, other, mql, sql]);
      expect(await store.stageHistory('nobody')).toEqual([]);
    });

    it('returns touches in (at, insertion) order', async () => {
      const call: Touch = {
        contactKey: 'ada@acme.com',
        at: MON_0900_NY + HOUR,
        kind: 'call',
        rep: 'rep-1',
        eventId: 'e7',
      };
      const note: Touch = { contactKey: 'ada@acme.com', at: MON_0900_NY + HOUR, kind: 'note', eventId: 'e8' };
      const mail: Touch = {
        contactKey: 'bob@acme.com',
        at: MON_0900_NY,
        kind: 'email',
        rep: 'rep-2',
        eventId: 'e6',
      };
      await store.transaction((tx) => tx.appendTouches([call, note, mail]));
      expect(await store.touches('ada@acme.com')).toStrictEqual([call, note]);
      expect(await store.touches()).toStrictEqual([mail, call, note]);
    });

    it('upserting a timer replaces its due time and resets attempts and lease', async () => {
      const first = timer();
      await store.transaction((tx) => tx.upsertTimers([first]));
      const due = first.dueAt;
      expect(await store.claimDueTimers(due, 10, 5 * MIN, 'w1')).toStrictEqual([
        { key: first.key, dueAt: due, contactKey: 'ada@acme.com', payload: first.payload, attempts: 1 },
      ]);
      const moved = timer({ dueAt: due + HOUR, payload: { clock: 'first_touch', step: 2 } });
      await store.transaction((tx) => tx.upsertTimers([moved]));
      expect(await store.listTimers()).toStrictEqual([{ ...moved, attempts: 0 }]);
      expect(await store.nextTimerDue()).toBe(due + HOUR);
      // The lease is gone: due again at its new time, counted from zero.
      expect(await store.claimDueTimers(due + MIN, 10, 5 * MIN, 'w2')).toEqual([]);
      expect((await store.claimDueTimers(due + HOUR, 10, 5 * MIN, 'w2')).map((t) => t.attempts)).toEqual([1]);
    });

    it('claims due timers in (dueAt, key) order up to the limit and leases them', async () => {
      const t0 = MON_0900_NY;
      const noContact: TimerEffect = { kind: 'timer', key: 'digest:daily', dueAt: t0, payload: {} };
      await store.transaction((tx) =>
        tx.upsertTimers([
          timer({ key: 'c', dueAt: t0 + MIN }),
          timer({ key: 'b', dueAt: t0 + MIN }),
          noContact,
          timer({ key: 'later', dueAt: t0 + HOUR }),
        ]),
      );
      expect(await store.nextTimerDue()).toBe(t0);
      const claimed = await store.claimDueTimers(t0 + MIN, 2, 10 * MIN, 'w1');
      expect(claimed).toStrictEqual([
        { key: 'digest:daily', dueAt: t0, payload: {}, attempts: 1 },
        { key: 'b', dueAt: t0 + MIN, contactKey: 'ada@acme.com', payload: timer().payload, attempts: 1 },
      ]);
      // Leased timers are not due again before the lease ends.
      expect((await store.claimDueTimers(t0 + 2 * MIN, 10, 10 * MIN, 'w2')).map((t) => t.key)).toEqual(['c']);
      expect(await store.claimDueTimers(t0 + 5 * MIN, 10, 10 * MIN, 'w2')).toEqual([]);
      // The next claimable moment is the first lease's end.
      expect(await store.nextTimerDue()).toBe(t0 + 11 * MIN);
      // After the lease: claimed again, attempt 2.
      const again = await store.claimDueTimers(t0 + 11 * MIN, 10, 10 * MIN, 'w3');
      expect(again.map((t) => [t.key, t.attempts])).toEqual([
        ['digest:daily', 2],
        ['b', 2],
      ]);
      expect(await store.claimDueTimers(t0 + 11 * MIN, 0, 10 * MIN, 'w3')).toEqual([]);
      expect((await store.listTimers()).map((t) => [t.key, t.attempts])).toEqual([
        ['digest:daily', 2],
        ['b', 2],
        ['c', 1],
        ['later', 0],
      ]);
    });

    it('nextTimerDue: the earliest of unleased due times and leased max(due, lease end)', async () => {
      const t0 = MON_0900_NY;
      expect(await store.nextTimerDue()).toBeUndefined();
      await store.transaction((tx) =>
        tx.upsertTimers([
          timer({ key: 'a', dueAt: t0 }),
          timer({ key: 'b', dueAt: t0 + 2 * MIN }),
          timer({ key: 'c', dueAt: t0 + 30 * MIN }),
        ]),
      );
      expect(await store.nextTimerDue()).toBe(t0);
      // a and b leased until t0 + 1 + 10 min: the next claimable is c, due before both leases end.
      expect((await store.claimDueTimers(t0 + MIN + 2 * MIN, 2, 10 * MIN, 'w1')).map((t) => t.key)).toEqual([
        'a',
        'b',
      ]);
      expect(await store.nextTimerDue()).toBe(t0 + 13 * MIN);
      // b is rescheduled past its lease (the lease is dropped): a's lease end is the earliest now.
      await store.transaction((tx) => tx.upsertTimers([timer({ key: 'b', dueAt: t0 + 20 * MIN })]));
      expect(await store.nextTimerDue()).toBe(t0 + 13 * MIN);
      // a completes: b (unleased, due t0 + 20 min) comes before c.
      await store.transaction((tx) => tx.completeTimer('a', t0));
      expect(await store.nextTimerDue()).toBe(t0 + 20 * MIN);
      // Only leased timers left: the lease end (when later than the due time) counts.
      await store.transaction((tx) => tx.deleteTimers(['b']));
      expect((await store.claimDueTimers(t0 + 30 * MIN, 10, 5 * MIN, 'w2')).map((t) => t.key)).toEqual(['c']);
      expect(await store.nextTimerDue()).toBe(t0 + 35 * MIN);
      await store.transaction((tx) => tx.completeTimer('c', t0 + 30 * MIN));
      expect(await store.nextTimerDue()).toBeUndefined();
    });

    it('completes a fired timer unless it was rescheduled meanwhile, and deletes timers', async () => {
      await store.transaction((tx) =>
        tx.upsertTimers([timer({ key: 'x' }), timer({ key: 'y' }), timer({ key: 'z' })]),
      );
      const [x, y] = await store.claimDueTimers(timer().dueAt, 2, MIN, 'w1');
      expect([x!.key, y!.key]).toEqual(['x', 'y']);
      await store.transaction(async (tx) => {
        await tx.upsertTimers([timer({ key: 'y', dueAt: timer().dueAt + HOUR })]);
        await tx.completeTimer('x', x!.dueAt);
        await tx.completeTimer('y', y!.dueAt);
      });
      expect((await store.listTimers()).map((t) => [t.key, t.dueAt])).toEqual([
        ['z', timer().dueAt],
        ['y', timer().dueAt + HOUR],
      ]);
      await store.transaction((tx) => tx.deleteTimers(['z', 'nope']));
      expect((await store.listTimers()).map((t) => t.key)).toEqual(['y']);
      await store.transaction((tx) => tx.deleteTimers([]));
      expect((await store.counts()).timers).toBe(1);
    });

    it('never hands the same timer to two concurrent claimers', async () => {
      const claimers = store.capabilities.concurrentWriters ? [store, await openSecond()] : [store, store];
      for (let round = 0; round < 5; round += 1) {
        const now = MON_0900_NY + round * HOUR;
        const timers = Array.from({ length: 100 }, (_, i) =>
          timer({ key: `r${round}:${i}`, dueAt: now - i }),
        );
        await store.transaction((tx) => tx.upsertTimers(timers));
        const [a, b] = await Promise.all(claimers.map((s, i) => s.claimDueTimers(now, 60, HOUR, `w${i}`)));
        const keysA = a!.map((t) => t.key);
        const keysB = b!.map((t) => t.key);
        expect(keysA.filter((k) => keysB.includes(k))).toEqual([]);
        expect(new Set([...keysA, ...keysB]).size).toBe(100);
        expect([...a!, ...b!].every((t) => t.attempts === 1)).toBe(true);
        await store.transaction((tx) => tx.deleteTimers(timers.map((t) => t.key)));
      }
    });

    it('lists the routing log newest first with its count, and the first decision of each rule', async () => {
      const decision = (contactKey: string, rule: string, at: number, owner?: string) =>
        Object.assign(
          {
            contactKey,
            kind: 'assigned' as const,
            rule,
            at,
            trace: { steps: [{ rule, name: `${rule} @${at}` }] },
          },
          owner === undefined ? {} : { owner },
        );
      // Written out of time order; two decisions of one rule at one instant (the first written wins).
      const written = [
        decision('c@x.io', 'territory', MON_0900_NY + 2 * HOUR, 'maya'),
        decision('a@x.io', 'named', MON_0900_NY, 'dan'),
        decision('b@x.io', 'territory', MON_0900_NY + HOUR, 'dan'),
        decision('d@x.io', 'territory', MON_0900_NY + HOUR, 'maya'),
        decision('e@x.io', 'fallback', MON_0900_NY + HOUR),
        decision('f@x.io', 'named', MON_0900_NY + 3 * HOUR, 'maya'),
      ];
      await store.transaction((tx) => tx.appendAssignments(written));
      const all = await store.listAssignments();
      const log = (query: Parameters<typeof store.assignmentLog>[0]) => {
        const matching = all
          .filter(
            (a) =>
              (query.from === undefined || a.at >= query.from) &&
              (query.to === undefined || a.at < query.to) &&
              (query.owner === undefined || a.owner === query.owner) &&
              (query.rule === undefined || a.rule === query.rule),
          )
          .reverse();
        return {
          rows: query.limit === undefined ? matching : matching.slice(0, query.limit),
          matched: matching.length,
        };
      };
      for (const query of [
        {},
        { limit: 2 },
        { from: MON_0900_NY + HOUR, to: MON_0900_NY + 3 * HOUR },
        { owner: 'maya', limit: 5 },
        { rule: 'territory', from: MON_0900_NY + HOUR },
        { owner: 'nobody' },
      ])
        expect(await store.assignmentLog(query), JSON.stringify(query)).toStrictEqual(log(query));
      expect((await store.assignmentLog({ limit: 3 })).rows.map((a) => a.contactKey)).toEqual([
        'f@x.io',
        'c@x.io',
        'e@x.io',
      ]);
      expect((await store.assignmentLog({ limit: 3 })).matched).toBe(6);
      // Each rule's first decision, in the order the rules first appear (b before d: written first).
      expect((await store.firstAssignmentOfRules()).map((a) => [a.rule, a.contactKey])).toEqual([
        ['named', 'a@x.io'],
        ['territory', 'b@x.io'],
        ['fallback', 'e@x.io'],
      ]);
    });

    it('records assignments, counts open leads and recent assignments per owner, keeps counters', async () => {
      await store.transaction(async (tx) => {
        await tx.upsertContacts([
          contact({ key: 'a@x.io', email: 'a@x.io', owner: 'maya', stage: 'mql' }),
          contact({ key: 'b@x.io', email: 'b@x.io', owner: 'maya', stage: 'sql' }),
          contact({ key: 'c@x.io', email: 'c@x.io', owner: 'maya', stage: 'customer' }),
          contact({ key: 'd@x.io', email: 'd@x.io', owner: 'dan', stage: 'mql' }),
          contact({ key: 'e@x.io', email: 'e@x.io', stage: 'mql' }),
        ]);
        await tx.appendAssignments([
          {
            contactKey: 'a@x.io',
            kind: 'assigned',
            owner: 'maya',
            team: 'general',
            rule: 'round-robin',
            at: MON_0900_NY - HOUR,
            trace: { steps: [] },
          },
          {
            contactKey: 'b@x.io',
            kind: 'assigned',
            owner: 'maya',
            team: 'general',
            rule: 'round-robin',
            at: MON_0900_NY + MIN,
            trace: { steps: [] },
          },
          {
            contactKey: 'd@x.io',
            kind: 'assigned',
            owner: 'dan',
            rule: 'named-account',
            at: MON_0900_NY,
            trace: { why: 'named' },
          },
          {
            contactKey: 'e@x.io',
            kind: 'queued',
            queue: 'inbound',
            rule: 'fallback',
            at: MON_0900_NY,
            trace: {},
          },
        ]);
      });
      const loads = await store.transaction((tx) => tx.ownerLoads(['mql', 'sql'], MON_0900_NY));
      expect(loads.openLeads).toEqual(
        new Map([
          ['dan', 1],
          ['maya', 2],
        ]),
      );
      // Counted per quarter hour: 09:00 and 09:01 both fall in the 09:00 slot.
      expect(loads.assigned).toEqual(
        new Map([
          ['dan', [{ at: MON_0900_NY, n: 1 }]],
          ['maya', [{ at: MON_0900_NY, n: 1 }]],
        ]),
      );
      expect((await store.transaction((tx) => tx.ownerLoads([], 0))).openLeads).toEqual(new Map());
      expect(await store.listAssignments('e@x.io')).toStrictEqual([
        {
          contactKey: 'e@x.io',
          kind: 'queued',
          queue: 'inbound',
          rule: 'fallback',
          at: MON_0900_NY,
          trace: {},
        },
      ]);
      expect((await store.listAssignments()).map((a) => a.contactKey)).toEqual([
        'a@x.io',
        'd@x.io',
        'e@x.io',
        'b@x.io',
      ]);

      expect(await store.transaction((tx) => tx.lockRoutingCounters(['general', 'east']))).toEqual(new Map());
      const general = { period: '2026-W46', counts: { maya: 2, dan: 1 }, present: ['dan', 'maya'] };
      await store.transaction((tx) => tx.saveRoutingCounters(new Map([['general', general]])));
      expect(await store.transaction((tx) => tx.lockRoutingCounters(['general', 'east']))).toEqual(
        new Map([['general', general]]),
      );
    });

    it('serialises routings of the same team where several writers exist', async () => {
      if (!store.capabilities.concurrentWriters) return;
      const second = await openSecond();
      // The row exists already: only the row lock (not a pending insert) can hold the second back.
      await store.transaction((tx) =>
        tx.saveRoutingCounters(new Map([['general', { period: 'p', counts: {}, present: [] }]])),
      );
      const order: string[] = [];
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = store.transaction(async (tx) => {
        await tx.lockRoutingCounters(['general']);
        order.push('first locked');
        await held;
        await tx.saveRoutingCounters(
          new Map([['general', { period: 'p', counts: { maya: 1 }, present: [] }]]),
        );
        order.push('first saved');
      });
      await new Promise((r) => setTimeout(r, 50));
      const other = second.transaction(async (tx) => {
        const seen = await tx.lockRoutingCounters(['general']);
        order.push(`second locked, saw maya=${seen.get('general')?.counts['maya'] ?? 0}`);
      });
      await new Promise((r) => setTimeout(r, 100));
      order.push('releasing');
      release();
      await Promise.all([first, other]);
      expect(order).toEqual(['first locked', 'releasing', 'first saved', 'second locked, saw maya=1']);
    });

    it('writes outbox rows once per key and counts the new ones', async () => {
      const first = outbox();
      const second = outbox({ key: 'webhook:e1', type: 'webhook', at: MON_0900_NY + 1 });
      const noContact: OutboxEffect = {
        kind: 'outbox',
        key: 'digest',
        type: 'email',
        at: MON_0900_NY + 2,
        payload: {},
      };
      expect(
        await store.transaction((tx) => tx.insertOutbox([first, second, outbox({ payload: { dup: true } })])),
      ).toBe(2);
      expect(
        await store.transaction((tx) => tx.insertOutbox([outbox({ payload: { later: true } }), noContact])),
      ).toBe(1);
      expect(await store.transaction((tx) => tx.insertOutbox([]))).toBe(0);
      expect(await store.listOutbox()).toStrictEqual([
        { ...first, status: 'pending', attempts: 0, nextAttemptAt: first.at },
        { ...second, status: 'pending', attempts: 0, nextAttemptAt: second.at },
        { ...noContact, status: 'pending', attempts: 0, nextAttemptAt: noContact.at },
      ]);
    });

    it('upserts tasks by key and lists them by (createdAt, key)', async () => {
      const call = task();
      const email = task({
        key: 'task:b',
        title: 'Email Bob',
        contactKey: 'bob@acme.com',
        dueAt: MON_0900_NY + HOUR,
      });
      const early = task({ key: 'task:z', createdAt: MON_0900_NY - MIN });
      await store.transaction((tx) => tx.upsertTasks([call, email, early]));
      expect(await store.listTasks()).toStrictEqual([early, call, email]);
      const done: TaskRow = { ...call, status: 'done', title: 'Called Ada' };
      await store.transaction((tx) => tx.upsertTasks([done]));
      expect(await store.listTasks()).toStrictEqual([early, done, email]);
      const effect: TaskEffect = { kind: 'task', ...task({ key: 'task:c', createdAt: MON_0900_NY + 1 }) };
      const { kind: _kind, ...fromEffect } = effect;
      await store.transaction((tx) => tx.upsertTasks([fromEffect]));
      expect((await store.listTasks()).map((t) => t.key)).toEqual([
        'task:z',
        'task:ada@acme.com:call',
        'task:b',
        'task:c',
      ]);
    });

    it('upserts SLA clocks with every field, and finds the running ones of each lead', async () => {
      const full = slaClock({
        owner: 'sofia',
        startStage: 'mql',
        status: 'breached',
        breachedAt: MON_0900_NY + 4 * HOUR,
        lateMs: 90 * MIN,
        lateWallMs: 17 * HOUR,
        steps: [
          { index: 0, action: 'notify_rep', at: MON_0900_NY + 5 * MIN, to: 'rep:sofia' },
          { index: 3, action: 'reassign', at: MON_0900_NY + HOUR },
        ],
        updatedAt: MON_0900_NY + 4 * HOUR,
      });
      const open = slaClock({
        key: 'sla:ada@acme.com:speed-to-lead:1',
        clockId: 'speed-to-lead',
        target: '5m',
        business: false,
        startedAt: MON_0900_NY - MIN,
        dueAt: MON_0900_NY + 4 * MIN,
      });
      const met = slaClock({
        key: 'sla:ada@acme.com:qualification-decision:1',
        clockId: 'qualification-decision',
        status: 'met',
        stoppedAt: MON_0900_NY + HOUR,
        stopReason: 'sales_decision',
        metAt: MON_0900_NY + HOUR,
      });
      const lateStopped = slaClock({
        key: 'sla:bob@acme.com:mql-first-touch:1',
        contactKey: 'bob@acme.com',
        status: 'breached',
        stoppedAt: MON_0900_NY + 6 * HOUR,
        stopReason: 'touch',
        breachedAt: MON_0900_NY + 4 * HOUR,
        lateMs: 2 * HOUR,
        lateWallMs: 2 * HOUR,
      });
      const cancelled = slaClock({
        key: 'sla:bob@acme.com:speed-to-lead:1',
        contactKey: 'bob@acme.com',
        status: 'cancelled',
        stoppedAt: MON_0900_NY + HOUR,
        stopReason: 'reassigned',
      });
      const bobOpen = slaClock({ key: 'sla:bob@acme.com:meeting-scheduled:1', contactKey: 'bob@acme.com' });
      await store.transaction((tx) =>
        tx.upsertClocks([full, open, met, lateStopped, cancelled, bobOpen, { ...open, owner: 'leo' }]),
      );
      const openWithOwner = { ...open, owner: 'leo' };
      expect((await store.counts()).slaClocks).toBe(6);
      const running = await store.transaction((tx) =>
        tx.openClocksOf(['bob@acme.com', 'ada@acme.com', 'nobody@acme.com']),
      );
      expect(running).toStrictEqual([openWithOwner, full, bobOpen]);
      expect(await store.transaction((tx) => tx.openClocksOf([]))).toEqual([]);

      // The touch meets the open clock: it leaves the running set, keeps its key.
      const nowMet: SlaClock = {
        ...openWithOwner,
        status: 'met',
        stoppedAt: MON_0900_NY + 2 * MIN,
        stopReason: 'touch',
        metAt: MON_0900_NY + 2 * MIN,
        updatedAt: MON_0900_NY + 2 * MIN,
      };
      await store.transaction((tx) => tx.upsertClocks([nowMet]));
      expect((await store.transaction((tx) => tx.openClocksOf(['ada@acme.com']))).map((c) => c.key)).toEqual([
        full.key,
      ]);
      expect(await store.listClocks({ status: 'met' })).toStrictEqual([nowMet, met]);
      expect((await store.counts()).slaClocks).toBe(6);
    });

    it('lists SLA clocks by status and lead, in (dueAt, key) order, page by page', async () => {
      const clocks = Array.from({ length: 7 }, (_, i) =>
        slaClock({
          key: `sla:c${i % 3}:clock:${i}`,
          contactKey: `c${i % 3}`,
          dueAt: MON_0900_NY + (i % 4) * HOUR,
          status: i % 2 === 0 ? 'open' : 'breached',
          ...(i % 2 === 0 ? {} : { breachedAt: MON_0900_NY, lateMs: 0, lateWallMs: 0 }),
        }),
      );
      await store.transaction((tx) => tx.upsertClocks(clocks));
      const order = (list: readonly SlaClock[]) => list.map((c) => c.key);
      const all = await store.listClocks();
      expect(order(all)).toEqual([
        'sla:c0:clock:0',
        'sla:c1:clock:4',
        'sla:c1:clock:1',
        'sla:c2:clock:5',
        'sla:c0:clock:6',
        'sla:c2:clock:2',
        'sla:c0:clock:3',
      ]);
      expect(order(await store.listClocks({ status: 'breached' }))).toEqual([
        'sla:c1:clock:1',
        'sla:c2:clock:5',
        'sla:c0:clock:3',
      ]);
      // Due in [from, before), by the (status, due_at) index.
      expect(
        order(
          await store.listClocks({
            status: 'breached',
            dueFrom: MON_0900_NY + HOUR,
            dueBefore: MON_0900_NY + 3 * HOUR,
          }),
        ),
      ).toEqual(['sla:c1:clock:1', 'sla:c2:clock:5']);
      expect(order(await store.listClocks({ status: 'breached', dueFrom: MON_0900_NY + 2 * HOUR }))).toEqual([
        'sla:c0:clock:3',
      ]);
      expect(order(await store.listClocks({ status: ['open', 'breached'], contactKey: 'c0' }))).toEqual([
        'sla:c0:clock:0',
        'sla:c0:clock:6',
        'sla:c0:clock:3',
      ]);
      const pages: string[][] = [];
      let after: { dueAt: number; key: string } | undefined;
      for (;;) {
        const page = await store.listClocks({ limit: 3, ...(after === undefined ? {} : { after }) });
        if (page.length === 0) break;
        pages.push(order(page));
        const last = page[page.length - 1]!;
        after = { dueAt: last.dueAt, key: last.key };
      }
      expect(pages).toEqual([order(all).slice(0, 3), order(all).slice(3, 6), order(all).slice(6)]);
      expect(await store.transaction((tx) => tx.listClocks({ status: 'open' }))).toStrictEqual(
        await store.listClocks({ status: 'open' }),
      );
      expect(await store.listClocks({ status: 'cancelled' })).toEqual([]);
    });

    it('finds the running clocks of more leads than one statement can carry', async () => {
      const clocks = Array.from({ length: 1_300 }, (_, i) =>
        slaClock({
          key: `sla:lead${String(i).padStart(4, '0')}:x:1`,
          contactKey: `lead${String(i).padStart(4, '0')}`,
        }),
      );
      await store.transaction((tx) => tx.upsertClocks(clocks));
      const running = await store.transaction((tx) => tx.openClocksOf(clocks.map((c) => c.contactKey)));
      expect(running.length).toBe(1_300);
      expect(running.map((c) => c.key)).toEqual(clocks.map((c) => c.key));
    });

    it('rolls a transaction back entirely when it throws, and rethrows the error', async () => {
      const boom = new Error('boom');
      await expect(
        store.transaction(async (tx) => {
          await tx.insertEvents([stored(event())]);
          await tx.upsertContacts([contact()]);
          await tx.upsertAccounts([account()]);
          await tx.appendStageHistory([
            { contactKey: 'ada@acme.com', to: 'lead', at: MON_0900_NY, cause: 'e1', reason: 'new' },
          ]);
          await tx.appendTouches([
            { contactKey: 'ada@acme.com', at: MON_0900_NY, kind: 'call', eventId: 'e1' },
          ]);
          await tx.upsertTimers([timer()]);
          await tx.insertOutbox([outbox()]);
          await tx.upsertTasks([task()]);
          await tx.upsertClocks([slaClock()]);
          throw boom;
        }),
      ).rejects.toBe(boom);
      expect(await store.counts()).toEqual({
        events: 0,
        contacts: 0,
        accounts: 0,
        stageHistory: 0,
        touches: 0,
        timers: 0,
        outbox: 0,
        tasks: 0,
        slaClocks: 0,
      });
    });

    it('commits a transaction and returns its value; counts() counts every table', async () => {
      const result = await store.transaction(async (tx) => {
        await tx.insertEvents([stored(event()), stored(event({ id: 'e2' }))]);
        await tx.upsertContacts([contact(), contact({ key: 'b@x.io' }), contact({ key: 'c@x.io' })]);
        await tx.upsertAccounts([account()]);
        await tx.appendStageHistory([
          { contactKey: 'ada@acme.com', to: 'lead', at: MON_0900_NY, cause: 'e1', reason: 'new' },
        ]);
        await tx.appendTouches([
          { contactKey: 'ada@acme.com', at: MON_0900_NY, kind: 'call', eventId: 'e1' },
          { contactKey: 'ada@acme.com', at: MON_0900_NY, kind: 'note', eventId: 'e2' },
        ]);
        await tx.upsertTimers([timer(), timer({ key: 't2' }), timer({ key: 't3' })]);
        await tx.insertOutbox([outbox(), outbox({ key: 'o2' })]);
        await tx.upsertTasks([task()]);
        await tx.upsertClocks([slaClock(), slaClock({ key: 'sla:2' })]);
        return 'done';
      });
      expect(result).toBe('done');
      expect(await store.counts()).toEqual({
        events: 2,
        contacts: 3,
        accounts: 1,
        stageHistory: 1,
        touches: 2,
        timers: 3,
        outbox: 2,
        tasks: 1,
        slaClocks: 2,
      });
    });

    it('marks only the latest saved config version active', async () => {
      await store.saveConfigVersion({ hash: 'aaa', text: 'version: 1', at: MON_0900_NY });
      await store.saveConfigVersion({
        hash: 'bbb',
        text: 'version: 2',
        at: MON_0900_NY + HOUR,
        note: 'raise MQL threshold',
      });
      expect(await store.configVersions()).toStrictEqual([
        { hash: 'aaa', text: 'version: 1', at: MON_0900_NY, active: false },
        {
          hash: 'bbb',
          text: 'version: 2',
          at: MON_0900_NY + HOUR,
          active: true,
          note: 'raise MQL threshold',
        },
      ]);
      await store.saveConfigVersion({
        hash: 'aaa',
        text: 'version: 1',
        at: MON_0900_NY + 2 * HOUR,
        note: 'roll back',
      });
      expect((await store.configVersions()).map((v) => [v.hash, v.active, v.note])).toEqual([
        ['aaa', true, 'roll back'],
        ['bbb', false, 'raise MQL threshold'],
      ]);
    });

    it('syncTeam replaces the reps and teams, and refuses entries without ids', async () => {
      const alice = { id: 'rep-1', name: 'Alice', capacity: 20, skills: ['spanish'] };
      await store.syncTeam({
        reps: [alice, { id: 'rep-2', name: 'Bob' }],
        teams: [{ id: 'smb', members: ['rep-1', 'rep-2'] }],
      });
      await store.syncTeam({ reps: [{ id: 'rep-3', name: 'Cy' }, alice], teams: [] });
      expect(await store.team()).toStrictEqual({ reps: [alice, { id: 'rep-3', name: 'Cy' }], teams: [] });
      await expect(store.syncTeam({ reps: [{ name: 'no id' }], teams: [] })).rejects.toThrow(
        'reps[0] has no string "id"',
      );
      await expect(store.syncTeam({ reps: [alice, alice], teams: [] })).rejects.toThrow(
        'reps[1] repeats the id "rep-1"',
      );
      expect((await store.team()).reps.map((r) => r['id'])).toEqual(['rep-1', 'rep-3']);
    });

    it('describes itself without credentials and publishes its capabilities', () => {
      expect(store.description).toMatch(/^(sqlite:|postgres:\/\/)/);
      expect(store.description).not.toContain('@');
      expect(store.capabilities.skipLocked).toBe(store.capabilities.concurrentWriters);
    });
  });
}

describe('openStore', () => {
  it('opens a SQLite file, creating its directory, in WAL mode', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revops-open-'));
    try {
      const path = join(dir, 'a', 'b', 'revops.db');
      const store = await openStore(path);
      expect(store.description).toBe(`sqlite:${path}`);
      expect(store.capabilities).toEqual({ skipLocked: false, concurrentWriters: false });
      await store.migrate();
      await store.transaction((tx) => tx.insertEvents([stored(event())]));
      expect(existsSync(path)).toBe(true);
      expect(existsSync(`${path}-wal`)).toBe(true);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says which PostgreSQL it could not reach, without the password, and what to check', async () => {
    const error: unknown = await openStore('postgres://bob:s3cret@127.0.0.1:1/revops', {
      connectTimeoutMs: 2000,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain('Cannot connect to PostgreSQL at postgres://bob@127.0.0.1:1/revops');
    expect(message).toContain('ECONNREFUSED');
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('s3cret');
  });
});

describe.runIf(PG_URL !== undefined)('PostgreSQL store', () => {
  let database: PgTestDatabase;
  beforeAll(async () => {
    database = await createPgTestDatabase(PG_URL!);
  });
  afterAll(async () => {
    await database.drop();
  });

  it('is picked by openStore for postgres:// and postgresql:// URLs', async () => {
    const url = await database.freshSchemaUrl();
    for (const target of [url, url.replace(/^postgres:/, 'postgresql:')]) {
      const store = await openStore(target);
      expect(store.capabilities).toEqual({ skipLocked: true, concurrentWriters: true });
      expect(store.description).toBe(`postgres://${new URL(url).host}/${database.name}`);
      await store.close();
    }
  });
});
