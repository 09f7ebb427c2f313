import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../config/loader.ts';
import { templatePath } from '../../config/templates/index.ts';
import { DAY, MON_0900_UTC as T } from './__fixtures__/builders.ts';
import type { AccountState } from '../types.ts';
import { accountScore, buyingCommittee, engagedContacts, rollUpAccount } from './account.ts';

const rule = loadConfigFile(templatePath('mid-market')).scoring.account.buyingCommittee; // 3 within 30d, ≥ 10

describe('accountScore', () => {
  it.each([
    { rollup: 'sum' as const, expected: 122 },
    { rollup: 'max' as const, expected: 72 },
    { rollup: 'average' as const, expected: 122 / 3 },
  ])('$rollup of 72, 40, 10 is $expected', ({ rollup, expected }) => {
    expect(accountScore([72, 40, 10], rollup)).toBe(expected);
  });

  it('sums by default and is 0 without contacts', () => {
    expect(accountScore([5, 6])).toBe(11);
    expect(accountScore([], 'average')).toBe(0);
    expect(accountScore([], 'max')).toBe(0);
  });
});

describe('buyingCommittee (3 engaged contacts within 30 days)', () => {
  const engaged = (engagement: number, daysAgo?: number) => ({
    engagement,
    ...(daysAgo === undefined ? {} : { lastActivityAt: T - daysAgo * DAY }),
  });

  it('needs three contacts at or above the minimum engagement, active within the window', () => {
    expect(buyingCommittee([engaged(10, 0), engaged(25, 12), engaged(40, 30)], rule, T)).toBe(true);
    // One of them last active 30 days and 1 ms ago: outside the window.
    const stale = { engagement: 40, lastActivityAt: T - 30 * DAY - 1 };
    expect(buyingCommittee([engaged(10, 0), engaged(25, 12), stale], rule, T)).toBe(false);
    // Engagement 9 is below the minimum of 10; no activity at all never counts.
    expect(engagedContacts([engaged(9, 0), engaged(50), engaged(10, 1), engaged(10, 2)], rule, T)).toBe(2);
  });
});

describe('rollUpAccount', () => {
  const committee = { contacts: 2, minEngagement: 10, within: rule.within };
  const memberArb = fc.record(
    {
      total: fc.double({ min: -50, max: 200, noNaN: true }),
      engagement: fc.integer({ min: 0, max: 60 }),
      lastActivityAt: fc.integer({ min: T - 40 * DAY, max: T + DAY }),
      at: fc.constant(T),
    },
    { requiredKeys: ['total', 'engagement', 'at'] },
  );
  const keyArb = fc.constantFrom('a@x.io', 'b@x.io', 'c@x.io', 'd@x.io', 'ext:7', '10', 'e@x.io');

  it('replaces the member in its place and rolls up like accountScore and engagedContacts over the new list', () => {
    fc.assert(
      fc.property(
        fc.dictionary(keyArb, memberArb),
        keyArb,
        memberArb,
        fc.constantFrom('sum' as const, 'max' as const, 'average' as const),
        (members, key, update, rollup) => {
          const account: AccountState = {
            domain: 'x.io',
            attributes: {},
            contactCount: Object.keys(members).length,
            createdAt: T,
            updatedAt: T,
            members,
          };
          const score = {
            fit: 0,
            engagement: update.engagement,
            negative: 0,
            total: update.total,
            mql: false,
            at: T,
          };
          const { account: next } = rollUpAccount(
            account,
            { key, score, lastActivityAt: update.lastActivityAt },
            { account: { rollup, buyingCommittee: committee } },
            T,
          );
          // The reference: the record copied with the contact's entry set, then the list functions.
          const expected = Object.assign({}, members, {
            [key]:
              update.lastActivityAt === undefined
                ? { total: update.total, engagement: update.engagement, at: T }
                : {
                    total: update.total,
                    engagement: update.engagement,
                    lastActivityAt: update.lastActivityAt,
                    at: T,
                  },
          });
          const list = Object.values(expected);
          expect(JSON.stringify(next.members)).toBe(JSON.stringify(expected));
          expect(next.score?.total).toBe(
            accountScore(
              list.map((m) => m.total),
              rollup,
            ),
          );
          expect(next.score?.engagedContacts).toBe(engagedContacts(list, committee, T));
          expect(next.score?.buyingCommittee).toBe(engagedContacts(list, committee, T) >= 2);
        },
      ),
      { numRuns: 500 },
    );
  });
});
