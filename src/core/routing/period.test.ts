import { describe, expect, it } from 'vitest';
import { at, COMPANY, FRI_1000_NY, MON_1000_NY } from './__fixtures__/builders.ts';
import { isoWeek, periodKey } from './period.ts';

describe('periodKey', () => {
  it.each([
    ['daily', '2026-11-27'],
    ['weekly', '2026-W48'],
    ['monthly', '2026-11'],
    ['never', 'all'],
  ] as const)('%s on Friday 27 November 2026 → %s', (reset, key) => {
    expect(periodKey(reset, COMPANY, FRI_1000_NY)).toBe(key);
  });

  it('turns the week at local midnight on Monday in the company zone, not at UTC midnight', () => {
    const sun2330 = at('2026-11-29T23:30'); // already Monday 04:30 UTC
    expect(new Date(sun2330).toISOString()).toBe('2026-11-30T04:30:00.000Z');
    expect(periodKey('weekly', COMPANY, sun2330)).toBe('2026-W48');
    expect(periodKey('weekly', COMPANY, at('2026-11-30T00:00'))).toBe('2026-W49');
    expect(periodKey('weekly', COMPANY, MON_1000_NY)).toBe('2026-W49');
  });

  it('turns the month and the day in the company zone', () => {
    const lastEvening = at('2026-11-30T21:00'); // 1 December 02:00 UTC
    expect(periodKey('monthly', COMPANY, lastEvening)).toBe('2026-11');
    expect(periodKey('daily', COMPANY, lastEvening)).toBe('2026-11-30');
  });
});

describe('isoWeek', () => {
  it.each([
    ['2025-12-29', '2026-W01'], // Monday of the week holding 1 January 2026 (a Thursday)
    ['2026-01-04', '2026-W01'],
    ['2026-01-05', '2026-W02'],
    ['2026-12-31', '2026-W53'], // 2026 starts on a Thursday: 53 ISO weeks
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeek(date)).toBe(week);
  });

  it('rejects text that is not a date', () => {
    expect(() => isoWeek('2026-13-01')).toThrow(RangeError);
  });
});
