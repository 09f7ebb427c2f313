// Local time for the demo's people and reps: working hours, the next working morning and working
// days ahead, in zones on both sides of a DST change (Europe on 2026-10-25, the US on 2026-11-01).
import { describe, expect, it } from 'vitest';
import { Random } from './random.ts';
import { afterWorkDays, isWorkingTime, localMoment, nextWorkStart } from './time.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('working time', () => {
  it.each([
    ['2026-11-20T14:00:00Z', 'America/New_York', true], // Friday 09:00 EST
    ['2026-11-20T13:59:59Z', 'America/New_York', false], // Friday 08:59
    ['2026-11-20T22:00:00Z', 'America/New_York', false], // Friday 17:00
    ['2026-11-21T15:00:00Z', 'America/New_York', false], // Saturday
    ['2026-10-23T08:00:00Z', 'Europe/London', true], // Friday 09:00 BST
    ['2026-10-26T09:00:00Z', 'Europe/London', true], // Monday 09:00 GMT, after the change
  ])('%s in %s: %s', (when, zone, expected) => {
    expect(isWorkingTime(at(when), zone)).toBe(expected);
  });

  it.each([
    ['2026-11-20T23:30:00Z', 'America/New_York', '2026-11-23T14:00:00.000Z'], // Friday evening -> Monday
    ['2026-11-23T12:00:00Z', 'America/New_York', '2026-11-23T14:00:00.000Z'], // Monday 07:00 -> 09:00
    ['2026-11-23T14:00:00Z', 'America/New_York', '2026-11-24T14:00:00.000Z'], // at 09:00 -> tomorrow
    ['2026-10-30T20:00:00Z', 'America/Chicago', '2026-11-02T15:00:00.000Z'], // across the US change
    ['2026-10-24T12:00:00Z', 'Europe/London', '2026-10-26T09:00:00.000Z'], // across the EU change
  ])('next work start after %s in %s is %s', (when, zone, expected) => {
    expect(iso(nextWorkStart(at(when), zone))).toBe(expected);
  });

  it('counts working days ahead, skipping the weekend, at a working hour', () => {
    const r = new Random(1);
    const later = afterWorkDays(r, at('2026-11-19T16:00:00Z'), 2, 'America/New_York'); // Thursday
    expect(iso(later).slice(0, 10)).toBe('2026-11-23'); // Monday
    expect(isWorkingTime(later, 'America/New_York')).toBe(true);
  });

  it('puts a browsing moment on the asked local day, at a browsing hour', () => {
    const r = new Random(2);
    const start = at('2026-10-20T00:00:00Z');
    for (let day = 0; day < 20; day++) {
      const moment = localMoment(r, start, day, 'Australia/Sydney');
      const local = new Date(moment).toLocaleString('en-CA', { timeZone: 'Australia/Sydney', hour12: false });
      const expectedDay = new Date(at('2026-10-20T00:00:00Z') + day * 86_400_000 + 11 * 3_600_000)
        .toISOString()
        .slice(0, 10);
      expect(local.slice(0, 10)).toBe(expectedDay);
      const hour = Number(local.slice(12, 14));
      expect(hour).toBeGreaterThanOrEqual(7);
      expect(hour).toBeLessThanOrEqual(22);
    }
  });
});
