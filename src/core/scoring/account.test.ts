import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../config/loader.ts';
import { templatePath } from '../../config/templates/index.ts';
import { DAY, MON_0900_UTC as T } from './__fixtures__/builders.ts';
import { accountScore, buyingCommittee, engagedContacts } from './account.ts';

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
