/**
 * The outbox delivery ports on every dialect: claim with a lease, settle only the current claim,
 * list / find / count, and revive the dead.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxEffect } from '../core/effects.ts';
import type { Store } from '../core/ports.ts';
import { DIALECTS } from '../../test/support/dialects.ts';

const T = Date.parse('2026-11-24T15:00:00Z');
const LEASE = 60_000;

const effect = (n: number, over: Partial<OutboxEffect> = {}): OutboxEffect =>
  Object.assign(
    {
      kind: 'outbox' as const,
      key: `assigned:email:lead${n}@acme.com:${T + n}`,
      type: 'assigned',
      contactKey: `email:lead${n}@acme.com`,
      at: T + n,
      payload: { to: 'rep:priya', rule: 'demo-requests' },
    },
    over,
  );

describe.each(DIALECTS)('outbox delivery ports on $name', (dialect) => {
  let store: Store;
  beforeEach(async () => {
    store = await dialect.open();
  });
  afterEach(async () => {
    await store.close();
  });

  const insert = (...effects: OutboxEffect[]) => store.transaction((tx) => tx.insertOutbox(effects));

  it('claims due pending rows once per lease, counting attempts, in id order', async () => {
    await insert(effect(2), effect(1), effect(3, { at: T + 60_000 }));
    const first = await store.claimDueOutbox(T + 10, 10, LEASE, 'w1');
    expect(first.map((r) => [r.id, r.key, r.attempts, r.nextAttemptAt, r.leaseOwner, r.status])).toEqual([
      [1, effect(2).key, 1, T + 10 + LEASE, 'w1', 'pending'],
      [2, effect(1).key, 1, T + 10 + LEASE, 'w1', 'pending'],
    ]);
    expect(first[0]).toMatchObject({ payload: { to: 'rep:priya', rule: 'demo-requests' }, deliveredTo: [] });
    expect(await store.claimDueOutbox(T + 10, 10, LEASE, 'w2')).toEqual([]);
    // The lease ran out (the claimer died): the rows, and the third now due, go to the next claim.
    const again = await store.claimDueOutbox(T + 10 + LEASE, 2, LEASE, 'w2');
    expect(again.map((r) => [r.id, r.attempts, r.leaseOwner])).toEqual([
      [1, 2, 'w2'],
      [3, 1, 'w2'],
    ]);
    expect(await store.claimDueOutbox(T, 0, LEASE, 'w3')).toEqual([]);
  });

  it('settles only the current claim, and keeps what each outcome says', async () => {
    await insert(effect(1), effect(2), effect(3));
    const [a, b, c] = await store.claimDueOutbox(T + 10, 10, LEASE, 'w1');
    expect(
      await store.settleOutbox(a!.id, a!.attempts + 1, {
        status: 'delivered',
        at: T + 20,
        deliveredTo: ['x'],
      }),
    ).toBe(false);
    expect(
      await store.settleOutbox(a!.id, a!.attempts, {
        status: 'pending',
        nextAttemptAt: T + 9_000,
        error: 'webhook:crm: HTTP 500: oops',
        deliveredTo: ['slack:floor'],
      }),
    ).toBe(true);
    expect(
      await store.settleOutbox(b!.id, b!.attempts, {
        status: 'delivered',
        at: T + 20,
        deliveredTo: ['webhook:crm'],
      }),
    ).toBe(true);
    expect(
      await store.settleOutbox(b!.id, b!.attempts, { status: 'skipped', at: T + 30, error: 'late' }),
    ).toBe(false);
    expect(
      await store.settleOutbox(c!.id, c!.attempts, {
        status: 'skipped',
        at: T + 20,
        error: 'no destination',
      }),
    ).toBe(true);
    const items = await store.listOutboxItems();
    expect(
      items.map((i) => [
        i.id,
        i.status,
        i.attempts,
        i.nextAttemptAt,
        i.lastError,
        i.deliveredTo,
        i.settledAt,
      ]),
    ).toEqual([
      [1, 'pending', 1, T + 9_000, 'webhook:crm: HTTP 500: oops', ['slack:floor'], undefined],
      [2, 'delivered', 1, T + 10 + LEASE, undefined, ['webhook:crm'], T + 20],
      [3, 'skipped', 1, T + 10 + LEASE, 'no destination', [], T + 20],
    ]);
    expect((await store.listOutbox()).map((r) => r.status)).toEqual(['pending', 'delivered', 'skipped']);
    expect(await store.claimDueOutbox(T + 9_000, 10, LEASE, 'w1')).toMatchObject([
      { id: 1, attempts: 2, deliveredTo: ['slack:floor'], lastError: 'webhook:crm: HTTP 500: oops' },
    ]);
  });

  it('lists by status and page, finds by id or key, counts per status', async () => {
    await insert(effect(1), effect(2), effect(3), effect(4));
    const claimed = await store.claimDueOutbox(T + 10, 3, LEASE, 'w1');
    for (const row of claimed.slice(0, 2))
      await store.settleOutbox(row.id, row.attempts, {
        status: 'dead',
        at: T + 20,
        error: 'HTTP 400',
        deliveredTo: [],
      });
    expect((await store.listOutboxItems({ status: 'dead' })).map((i) => i.id)).toEqual([1, 2]);
    expect((await store.listOutboxItems({ status: 'pending' })).map((i) => i.id)).toEqual([3, 4]);
    expect((await store.listOutboxItems({ afterId: 1, limit: 2 })).map((i) => i.id)).toEqual([2, 3]);
    expect(await store.countOutbox()).toEqual({ pending: 2, delivered: 0, dead: 2, skipped: 0 });
    expect((await store.findOutboxItem(2))?.key).toBe(effect(2).key);
    expect((await store.findOutboxItem(effect(4).key))?.id).toBe(4);
    expect(await store.findOutboxItem(99)).toBeUndefined();
    expect(await store.findOutboxItem('nope')).toBeUndefined();
  });

  it('revives dead rows only: pending now, attempts reset, destinations done kept', async () => {
    await insert(effect(1), effect(2), effect(3));
    const [a, b] = await store.claimDueOutbox(T + 10, 2, LEASE, 'w1');
    await store.settleOutbox(a!.id, a!.attempts, {
      status: 'dead',
      at: T + 20,
      error: 'gave up after 10 attempts',
      deliveredTo: ['slack:floor'],
    });
    await store.settleOutbox(b!.id, b!.attempts, {
      status: 'dead',
      at: T + 20,
      error: 'HTTP 404',
      deliveredTo: [],
    });
    expect(await store.reviveOutbox([a!.id, 3, 42, a!.id], T + 100)).toEqual([a!.id]);
    expect(await store.findOutboxItem(a!.id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      nextAttemptAt: T + 100,
      deliveredTo: ['slack:floor'],
      lastError: 'gave up after 10 attempts',
    });
    expect((await store.findOutboxItem(a!.id))?.settledAt).toBeUndefined();
    expect(await store.reviveOutbox('all-dead', T + 200)).toEqual([b!.id]);
    expect(await store.reviveOutbox('all-dead', T + 300)).toEqual([]);
    expect(await store.countOutbox()).toEqual({ pending: 3, delivered: 0, dead: 0, skipped: 0 });
  });

  it('gives two claimers on one database disjoint rows', async () => {
    const pair = await dialect.openPair();
    try {
      const [one, two] = pair.stores;
      await one.transaction((tx) => tx.insertOutbox(Array.from({ length: 40 }, (_, i) => effect(i))));
      const [x, y] = await Promise.all([
        one.claimDueOutbox(T + 100, 25, LEASE, 'one'),
        two.claimDueOutbox(T + 100, 25, LEASE, 'two'),
      ]);
      const ids = [...x, ...y].map((r) => r.id).sort((p, q) => p - q);
      expect(ids).toEqual([...new Set(ids)]);
      expect(ids).toHaveLength(40);
      expect((await one.listOutboxItems()).every((r) => r.attempts === 1)).toBe(true);
    } finally {
      await pair.close();
    }
  });
});
