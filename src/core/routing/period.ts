/**
 * Round-robin periods: counts are kept per period and start again at zero in the next one. The
 * period is read from the company calendar's local date, so a week turns at local midnight on Monday
 * in the company zone, not at UTC midnight.
 */
import type { BusinessCalendar } from '../time/calendar.ts';
import { dayFromIso, DAY_MS, weekdayIndex, yearOfDay } from '../time/localDay.ts';
import type { ResetPeriod } from './model.ts';

/** The key of the single period a `never`-resetting team counts in. */
export const ALL_TIME = 'all';

/** The ISO week of a local date `YYYY-MM-DD`: `2026-W48` (weeks start on Monday; week-years as ISO 8601). */
export function isoWeek(date: string): string {
  const day = dayFromIso(date);
  if (day === undefined) throw new RangeError(`isoWeek needs a date YYYY-MM-DD, got ${date}`);
  // The ISO week belongs to the year of its Thursday, and week 1 holds that year's first Thursday.
  const thursday = day - weekdayIndex(day) + 3;
  const year = yearOfDay(thursday);
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/**
 * The period `now` falls in, by the company calendar's local date: daily `2026-11-27`, weekly
 * `2026-W48`, monthly `2026-11`, never `all`. Throws `RangeError` only for a non-finite `now`.
 */
export function periodKey(reset: ResetPeriod, calendar: BusinessCalendar, now: number): string {
  if (reset === 'never') return ALL_TIME;
  const date = calendar.digest(now).date;
  switch (reset) {
    case 'daily':
      return date;
    case 'weekly':
      return isoWeek(date);
    case 'monthly':
      return date.slice(0, 7);
  }
}
