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

/** ISO weeks of the local dates seen lately: every weekly pick asks again. */
const WEEKS = new Map<string, string>();

/**
 * The period `now` falls in, by the company calendar's local date: daily `2026-11-27`, weekly
 * `2026-W48`, monthly `2026-11`, never `all`. Throws `RangeError` only for a non-finite `now`.
 */
export function periodKey(reset: ResetPeriod, calendar: BusinessCalendar, now: number): string {
  if (reset === 'never') return ALL_TIME;
  const date = calendar.localDate(now);
  switch (reset) {
    case 'daily':
      return date;
    case 'weekly': {
      let week = WEEKS.get(date);
      if (week === undefined) {
        week = isoWeek(date);
        if (WEEKS.size >= 20_000) WEEKS.clear();
        WEEKS.set(date, week);
      }
      return week;
    }
    case 'monthly':
      return date.slice(0, 7);
  }
}
