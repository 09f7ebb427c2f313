import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SlaClock } from '../core/sla/model.ts';
import type { AccountState, ContactState } from '../core/types.ts';
import { createSqliteStore, type SqlStore } from './index.ts';
import { stateCacheOf } from './sqlite.ts';
import { StateCache } from './stateCache.ts';

const AT = Date.parse('2026-11-02T14:00:00Z');
const MIN = 60_000;

const contact = (overrides: Partial<ContactState> = {}): ContactState =>
  Object.assign(
    {
      key: 'ada@acme.com',
      email: 'ada@acme.com',
      accountDomain: 'acme.com',
      attributes: { title: { value: 'VP Sales', at: AT, eventId: 'e1', source: 'api' } },
      companyAttributes: {},
      stage: 'lead',
      stageEnteredAt: AT,
      flags: [],
      createdAt: AT,
      updatedAt: AT,
      eventCount: 1,
    },
    overrides,
  );

const account = (overrides: Partial<AccountState> = {}): AccountState =>
  Object.assign(
    { domain: 'acme.com', attributes: {}, contactCount: 1, createdAt: AT, updatedAt: AT },
    overrides,
  );

const slaClock = (overrides: Partial<SlaClock> = {}): SlaClock =>
  Object.assign(
    {
      key: 'sla:ada@acme.com:first-touch:1',
      contactKey: 'ada@acme.com',
      clockId: 'first-touch',
      name: 'First touch',
      owner: 'rep-1',
      startedAt: AT,
      dueAt: AT + 60 * MIN,
      status: 'open' as const,
      target: '1h',
      business: false,
      timezone: 'UTC',
      cause: 'e1',
      steps: [],
      updatedAt: AT,
    },
    overrides,
  );

const find = (store: SqlStore, email = 'ada@acme.com') =>
  store.transaction(async (tx) => (await tx.findContacts({ emails: [email], externalIds: [] }))[0]);

describe('StateCache', () => {
  it('empties itself when the data version moved, and only then', () => {
    let version = 1;
    const cache = new StateCache(() => version);
    cache.validate();
    cache.putContact({ state: contact(), row: {} });
    cache.putAccount(account());
    cache.validate();
    expect(cache.contactByEmail('ada@acme.com')?.state.stage).toBe('lead');
    expect(cache.account('acme.com')?.contactCount).toBe(1);
    version = 2;
    cache.validate();
    expect(cache.contactByEmail('ada@acme.com')).toBeUndefined();
    expect(cache.account('acme.com')).toBeUndefined();
  });

  it('follows a changed email and external id, and drops the least recently used beyond its limits', () => {
    const cache = new StateCache(() => 1, { contacts: 2, accounts: 1 });
    cache.putContact({ state: contact({ externalId: 'x-1' }), row: {} });
    cache.putContact({ state: contact({ email: 'ada@new.io' }), row: {} });
    expect(cache.contactByEmail('ada@acme.com')).toBeUndefined();
    expect(cache.contactByExternalId('x-1')).toBeUndefined();
    expect(cache.contactByEmail('ada@new.io')?.state.key).toBe('ada@acme.com');

    cache.putContact({ state: contact({ key: 'b@x.io', email: 'b@x.io' }), row: {} });
    cache.contactByEmail('ada@new.io'); // used: b@x.io is now the oldest
    cache.putContact({ state: contact({ key: 'c@x.io', email: 'c@x.io' }), row: {} });
    expect(cache.contactByEmail('b@x.io')).toBeUndefined();
    expect(cache.contactByEmail('ada@new.io')?.state.key).toBe('ada@acme.com');
    expect(cache.contactByEmail('c@x.io')?.state.key).toBe('c@x.io');

    cache.putAccount(account());
    cache.putAccount(account({ domain: 'b.io' }));
    expect(cache.account('acme.com')).toBeUndefined();
    expect(cache.account('b.io')?.domain).toBe('b.io');
  });
});

describe('a SQLite store keeping contacts and accounts between transactions', () => {
  const dirs: string[] = [];
  const stores: SqlStore[] = [];
  const open = async (path?: string): Promise<{ store: SqlStore; path: string }> => {
    let file = path;
    if (file === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'revops-cache-'));
      dirs.push(dir);
      file = join(dir, 'revops.db');
    }
    const store = createSqliteStore(file, { walCheckpoints: false });
    stores.push(store);
    await store.migrate();
    return { store, path: file };
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('sees what another connection committed since (data_version), contacts and accounts alike', async () => {
    const { store, path } = await open();
    await store.transaction(async (tx) => {
      await tx.upsertContacts([contact()]);
      await tx.upsertAccounts([account()]);
    });
    const stats = stateCacheOf(store)?.stats;
    // A new contact is not kept by its first write; read once, it is; then it answers from memory.
    expect((await find(store))?.stage).toBe('lead');
    expect(stats).toMatchObject({ hits: 0, misses: 1 });
    expect((await find(store))?.stage).toBe('lead');
    expect(stats).toMatchObject({ hits: 1, misses: 1 });

    const other = (await open(path)).store;
    await other.transaction(async (tx) => {
      await tx.upsertContacts([contact({ stage: 'mql', updatedAt: AT + MIN })]);
      await tx.upsertAccounts([account({ owner: 'rep-1' })]);
    });

    const cleared = stats?.cleared ?? 0;
    expect(await find(store)).toStrictEqual(contact({ stage: 'mql', updatedAt: AT + MIN }));
    expect(stats?.cleared).toBe(cleared + 1);
    expect(stats?.misses).toBe(2);
    const [acme] = await store.transaction((tx) => tx.findAccounts(['acme.com']));
    expect(acme?.owner).toBe('rep-1');
  });

  it('skips the clock look-up of a lead known to have none, until a clock of theirs is written here or elsewhere', async () => {
    const { store, path } = await open();
    const stats = stateCacheOf(store)?.stats;
    const running = async () =>
      (await store.transaction((tx) => tx.openClocksOf(['ada@acme.com']))).map((c) => `${c.key}:${c.status}`);
    expect(await running()).toEqual([]);
    expect(stats?.clocksSkipped).toBe(0);
    expect(await running()).toEqual([]);
    expect(stats?.clocksSkipped).toBe(1);

    // A clock written by this store is seen at once, and while it runs the lead is looked up.
    const clock = slaClock();
    await store.transaction((tx) => tx.upsertClocks([clock]));
    expect(await running()).toEqual([`${clock.key}:open`]);
    expect(await running()).toEqual([`${clock.key}:open`]);
    expect(stats?.clocksSkipped).toBe(1);

    // Stopped, the lead has none again: looked up once, then skipped.
    await store.transaction((tx) =>
      tx.upsertClocks([Object.assign({}, clock, { status: 'met', stoppedAt: AT + MIN, metAt: AT + MIN })]),
    );
    expect(await running()).toEqual([]);
    expect(await running()).toEqual([]);
    expect(stats?.clocksSkipped).toBe(2);

    // Another connection starts one: its commit moves data_version, and the cache forgets.
    const other = (await open(path)).store;
    const again = slaClock({ key: 'sla:ada@acme.com:first-touch:2', startedAt: AT + 2 * MIN });
    await other.transaction((tx) => tx.upsertClocks([again]));
    expect(await running()).toEqual([`${again.key}:open`]);
    expect(stats?.clocksSkipped).toBe(2);
  });

  it('looks up a lead whose first clock the same transaction started after finding none', async () => {
    const { store } = await open();
    const clock = slaClock();
    // The engine's batch: the leads' running clocks first, its decisions' clocks written at the end.
    await store.transaction(async (tx) => {
      expect(await tx.openClocksOf(['ada@acme.com'])).toEqual([]);
      await tx.upsertClocks([clock]);
    });
    const found = await store.transaction((tx) => tx.openClocksOf(['ada@acme.com']));
    expect(found.map((c) => c.key)).toEqual([clock.key]);
    expect(stateCacheOf(store)?.stats.clocksSkipped).toBe(0);
  });

  it('keeps nothing of a transaction that rolled back', async () => {
    const { store } = await open();
    await store.transaction((tx) => tx.upsertContacts([contact()]));
    expect((await find(store))?.stage).toBe('lead');
    await expect(
      store.transaction(async (tx) => {
        await tx.upsertContacts([contact({ stage: 'mql', owner: 'rep-1' })]);
        await tx.upsertAccounts([account({ owner: 'rep-1' })]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await find(store)).toStrictEqual(contact());
    expect(await store.transaction((tx) => tx.findAccounts(['acme.com']))).toEqual([]);
    // The rolled-back stage is not what the next write compares with: moving to mql is written.
    await store.transaction(async (tx) => {
      await tx.findContacts({ emails: ['ada@acme.com'], externalIds: [] });
      await tx.upsertContacts([contact({ stage: 'mql', owner: 'rep-1' })]);
    });
    expect((await store.listContacts()).map((c) => [c.stage, c.owner])).toEqual([['mql', 'rep-1']]);
  });

  it('reads a contact or account written without being read first from its new row, not from what it kept', async () => {
    const { store } = await open();
    await store.transaction((tx) => tx.upsertAccounts([account()]));
    const read = () => store.transaction((tx) => tx.findAccounts(['acme.com']));
    await read();
    await read(); // kept now
    await store.transaction((tx) => tx.upsertAccounts([account({ owner: 'rep-2', contactCount: 2 })]));
    expect(await read()).toStrictEqual([account({ owner: 'rep-2', contactCount: 2 })]);
    // The same for a contact.
    await store.transaction((tx) => tx.upsertContacts([contact()]));
    await find(store);
    await find(store);
    await store.transaction((tx) => tx.upsertContacts([contact({ stage: 'sql', owner: 'rep-2' })]));
    expect(await find(store)).toStrictEqual(contact({ stage: 'sql', owner: 'rep-2' }));
  });

  it('reads a score rewritten in SQL (updateScores) from its row, not from what it kept', async () => {
    const { store } = await open();
    await store.transaction((tx) => tx.upsertContacts([contact()]));
    expect((await find(store))?.score).toBeUndefined();
    const score = { fit: 30, engagement: 40, negative: 0, total: 70, mql: true, at: AT + MIN };
    await store.transaction((tx) =>
      tx.updateScores([{ key: 'ada@acme.com', score, nextDecayAt: AT + 7 * 86_400_000 }]),
    );
    const after = await find(store);
    expect(after?.score).toStrictEqual(score);
    expect(after?.nextDecayAt).toBe(AT + 7 * 86_400_000);
  });

  it('hands a transaction waiting for the connection what the one before it committed', async () => {
    const { store } = await open();
    await store.transaction((tx) => tx.upsertContacts([contact()]));
    await find(store);
    // Started together: the second waits for the first's COMMIT, then reads ada from the cache.
    const first = store.transaction(async (tx) => {
      await tx.findContacts({ emails: ['ada@acme.com'], externalIds: [] });
      await tx.upsertContacts([contact({ stage: 'mql', updatedAt: AT + MIN })]);
    });
    const stats = stateCacheOf(store)?.stats;
    const hits = stats?.hits ?? 0;
    const second = find(store);
    await first;
    expect(await second).toStrictEqual(contact({ stage: 'mql', updatedAt: AT + MIN }));
    // Both read ada from the cache: the second found the first's write there, not in its row.
    expect(stats?.hits).toBe(hits + 2);
  });

  it('answers within a transaction with what that transaction wrote', async () => {
    const { store } = await open();
    await store.transaction((tx) => tx.upsertContacts([contact()]));
    await find(store);
    const seen = await store.transaction(async (tx) => {
      await tx.upsertContacts([contact({ email: 'ada@new.io', stage: 'sql' })]);
      const byOld = await tx.findContacts({ emails: ['ada@acme.com'], externalIds: [] });
      const byNew = await tx.findContacts({ emails: ['ada@new.io'], externalIds: [] });
      return { byOld, byNew };
    });
    expect(seen.byOld).toEqual([]);
    expect(seen.byNew).toStrictEqual([contact({ email: 'ada@new.io', stage: 'sql' })]);
    expect(await find(store, 'ada@acme.com')).toBeUndefined();
    expect((await find(store, 'ada@new.io'))?.stage).toBe('sql');
  });

  it('gives the same answers with the cache off', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revops-cache-'));
    dirs.push(dir);
    const store = createSqliteStore(join(dir, 'revops.db'), { walCheckpoints: false, stateCache: false });
    stores.push(store);
    await store.migrate();
    await store.transaction((tx) => tx.upsertContacts([contact()]));
    expect(await find(store)).toStrictEqual(contact());
    await store.transaction((tx) => tx.upsertContacts([contact({ stage: 'mql' })]));
    expect((await find(store))?.stage).toBe('mql');
  });
});
