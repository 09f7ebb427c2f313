// The admin side of the store (migration 0007) on every dialect: API keys, rep overrides (also as
// routing reads them inside a transaction) and the config audit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import type { ApiKeyRecord, Store } from '../core/ports.ts';

const T0 = Date.parse('2026-11-24T15:00:00Z');
const KEY: ApiKeyRecord = {
  id: 'a1b2c3d4e5f6',
  name: 'forwarder',
  scopes: ['ingest'],
  hash: 'ab'.repeat(32),
  createdAt: T0,
};

describe.each(DIALECTS)('admin store on $name', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await dialect.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('stores keys, finds one by id, lists them in creation order, refuses a taken id', async () => {
    await store.insertApiKey(KEY);
    await store.insertApiKey({
      ...KEY,
      id: '000000000000',
      name: 'dashboard',
      scopes: ['read', 'admin'],
      createdAt: T0 + 1,
    });
    expect(await store.apiKey(KEY.id)).toStrictEqual(KEY);
    expect(await store.apiKey('ffffffffffff')).toBeUndefined();
    expect((await store.listApiKeys()).map((k) => [k.id, k.scopes])).toEqual([
      [KEY.id, ['ingest']],
      ['000000000000', ['read', 'admin']],
    ]);
    await expect(store.insertApiKey({ ...KEY, name: 'again' })).rejects.toThrow();
  });

  it('revokes once (the first time stays) and stamps last use only forwards', async () => {
    await store.insertApiKey(KEY);
    expect(await store.revokeApiKey('nope', T0)).toBeUndefined();
    expect((await store.revokeApiKey(KEY.id, T0 + 10))?.revokedAt).toBe(T0 + 10);
    expect((await store.revokeApiKey(KEY.id, T0 + 20))?.revokedAt).toBe(T0 + 10);
    await store.markApiKeyUsed(KEY.id, T0 + 100);
    await store.markApiKeyUsed(KEY.id, T0 + 50);
    expect((await store.apiKey(KEY.id))?.lastUsedAt).toBe(T0 + 100);
  });

  it('replaces a rep override, removes it when empty, and routing reads it inside a transaction', async () => {
    const away = { active: false, pto: [{ from: '2026-12-01', to: '2026-12-03', note: 'offsite' }] };
    await store.saveRepOverride({
      repId: 'priya',
      override: away,
      updatedAt: T0,
      updatedBy: 'key:a1b2c3d4e5f6',
    });
    await store.saveRepOverride({ repId: 'leo', override: { capacity: { maxPerDay: 2 } }, updatedAt: T0 });
    expect(await store.repOverrides()).toStrictEqual([
      { repId: 'leo', override: { capacity: { maxPerDay: 2 } }, updatedAt: T0 },
      { repId: 'priya', override: away, updatedAt: T0, updatedBy: 'key:a1b2c3d4e5f6' },
    ]);
    await store.saveRepOverride({ repId: 'priya', override: { active: true }, updatedAt: T0 + 5 });
    expect(await store.transaction((tx) => tx.repOverrides())).toStrictEqual(
      new Map<string, unknown>([
        ['leo', { capacity: { maxPerDay: 2 } }],
        ['priya', { active: true }],
      ]),
    );
    await store.saveRepOverride({ repId: 'leo', override: {}, updatedAt: T0 + 6 });
    expect((await store.repOverrides()).map((r) => r.repId)).toEqual(['priya']);
  });

  it('audits config activations: who stored each version, one row per change of the active version', async () => {
    await store.saveConfigVersion({ hash: 'aaa', text: 'version: 1', at: T0 });
    await store.saveConfigVersion({ hash: 'aaa', text: 'version: 1', at: T0 + 1 }); // the running one again: no row
    await store.saveConfigVersion({
      hash: 'bbb',
      text: 'version: 2',
      at: T0 + 2,
      by: 'key:k1',
      note: 'raise MQL bar',
    });
    await store.saveConfigVersion({
      hash: 'aaa',
      text: 'version: 1',
      at: T0 + 3,
      by: 'key:k2',
      note: 'roll back',
    });
    expect(await store.configHistory()).toStrictEqual([
      {
        hash: 'bbb',
        at: T0 + 2,
        active: false,
        note: 'raise MQL bar',
        by: 'key:k1',
        activations: [{ at: T0 + 2, by: 'key:k1', note: 'raise MQL bar' }],
      },
      {
        hash: 'aaa',
        at: T0,
        active: true,
        note: 'roll back',
        activations: [{ at: T0 }, { at: T0 + 3, by: 'key:k2', note: 'roll back' }],
      },
    ]);
    expect(await store.configText('bbb')).toBe('version: 2');
    expect(await store.configText('ccc')).toBeUndefined();
    // Activated again with another note: the version keeps its own, the activation records the new one.
    await store.saveConfigVersion({ hash: 'bbb', text: 'version: 2', at: T0 + 4, note: 'forward again' });
    expect((await store.configHistory())[0]).toStrictEqual({
      hash: 'bbb',
      at: T0 + 2,
      active: true,
      note: 'raise MQL bar',
      by: 'key:k1',
      activations: [
        { at: T0 + 2, by: 'key:k1', note: 'raise MQL bar' },
        { at: T0 + 4, note: 'forward again' },
      ],
    });
  });
});
