// The memo of account JSON: a value is reused only for the very text (or object) it was made from,
// so a row changed by another writer is parsed again — shown with two stores on one database.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import type { Store } from '../core/ports.ts';
import type { AccountState } from '../core/types.ts';
import { JsonMemo } from './jsonMemo.ts';

describe('JsonMemo', () => {
  it('gives the kept value for the same text, parses a different one', () => {
    const memo = new JsonMemo(10);
    const first = memo.parse<{ a: number }>('k', '{"a":1}');
    expect(first).toEqual({ a: 1 });
    expect(memo.parse('k', '{"a":1}')).toBe(first);
    const changed = memo.parse<{ a: number }>('k', '{"a":2}');
    expect(changed).toEqual({ a: 2 });
    expect(changed).not.toBe(first);
    // Another key never shares a value, whatever its text.
    expect(memo.parse('other', '{"a":2}')).not.toBe(changed);
  });

  it('reuses the text of the same object, and freezes what it parsed', () => {
    const memo = new JsonMemo(10);
    const value = { members: { x: { total: 3 } } };
    expect(memo.stringify('k', value)).toBe('{"members":{"x":{"total":3}}}');
    expect(Object.isFrozen(memo.parse('other', '{"members":{"x":{"total":3}}}'))).toBe(true);
    expect(memo.stringify('k', value)).toBe('{"members":{"x":{"total":3}}}');
    // The text written is the text read back: the same object, not parsed again.
    expect(memo.parse('k', '{"members":{"x":{"total":3}}}')).toBe(value);
    expect(memo.stringify('k', { members: { x: { total: 4 } } })).toBe('{"members":{"x":{"total":4}}}');
  });

  it('writes a record of members as JSON.stringify does, whatever changed since', () => {
    const member = fc.record(
      { total: fc.integer({ min: -50, max: 200 }), engagement: fc.double({ noNaN: true }), at: fc.nat() },
      { requiredKeys: ['total', 'at'] },
    );
    // Integer-like keys ("2", "10") come first in both orders, then the others as inserted.
    const key = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.nat({ max: 30 }).map(String),
      fc.constant('__proto__'),
    );
    const record = fc.dictionary(key, member, { maxKeys: 12 });
    const steps = fc.array(fc.tuple(key, fc.option(member, { nil: undefined })), { maxLength: 8 });
    fc.assert(
      fc.property(record, steps, (start, changes) => {
        const memo = new JsonMemo(4);
        let current: Record<string, unknown> = start;
        expect(memo.stringifyRecord('k', current)).toBe(JSON.stringify(current));
        for (const [name, value] of changes) {
          // A new record as the engine builds one: untouched members keep their objects.
          current = Object.assign({}, current);
          if (value === undefined) delete current[name];
          else
            Object.defineProperty(current, name, {
              value,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          expect(memo.stringifyRecord('k', current)).toBe(JSON.stringify(current));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves out what JSON leaves out and honours toJSON', () => {
    const memo = new JsonMemo(4);
    const at = new Date(Date.UTC(2026, 10, 29));
    const record = { a: undefined, b: { at }, c: at, d: null, e: 1 };
    expect(memo.stringifyRecord('k', record)).toBe(JSON.stringify(record));
    expect(memo.stringifyRecord('k', {})).toBe('{}');
  });

  it('keeps at most `limit` keys, dropping the oldest', () => {
    const memo = new JsonMemo(2);
    const a = memo.parse('a', '[1]');
    memo.parse('b', '[2]');
    expect(memo.parse('a', '[1]')).toBe(a);
    memo.parse('c', '[3]');
    // `b` was the oldest used: gone; `a` stays.
    expect(memo.parse('a', '[1]')).toBe(a);
    const b = memo.parse('b', '[2]');
    expect(memo.parse('b', '[2]')).toBe(b);
  });
});

const account = (members: number): AccountState => ({
  domain: 'acme.com',
  attributes: { industry: { value: 'software', at: 1, eventId: 'e1', source: 'api' } },
  contactCount: members,
  createdAt: 1,
  updatedAt: 1 + members,
  members: Object.fromEntries(
    Array.from({ length: members }, (_, i) => [`email:p${i}@acme.com`, { total: i, engagement: i, at: 1 }]),
  ),
});

describe.each(DIALECTS)('accounts read through the memo on $name', (dialect) => {
  let pair: Awaited<ReturnType<typeof dialect.openPair>>;
  let one: Store;
  let two: Store;
  beforeAll(async () => {
    pair = await dialect.openPair();
    [one, two] = pair.stores;
  });
  afterAll(() => pair.close());

  it('read what another store wrote since, not what this one kept', async () => {
    await one.transaction((tx) => tx.upsertAccounts([account(2)]));
    const read = async (store: Store) => store.transaction((tx) => tx.findAccounts(['acme.com']));
    expect(await read(one)).toEqual([account(2)]);
    await two.transaction((tx) => tx.upsertAccounts([account(3)]));
    expect(await read(one)).toEqual([account(3)]);
    // A write this store's transaction rolled back leaves the stored row as it was.
    await expect(
      one.transaction(async (tx) => {
        await tx.upsertAccounts([account(5)]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await read(one)).toEqual([account(3)]);
    expect(await read(two)).toEqual([account(3)]);
  });
});
