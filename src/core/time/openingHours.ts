/**
 * Opening hours as written in revops.yaml (`09:00-17:00`, a list of ranges, or `closed`) turned
 * into minute ranges per weekday. A range whose end is not after its start runs past midnight
 * (`22:00-06:00` is 22:00 to 06:00 the next morning); `24:00` is allowed as an end.
 */
import { RevopsError } from '../errors.ts';
import { WEEKDAYS, type Weekday } from './localDay.ts';

/** One weekday's hours: `'09:00-17:00'`, `['09:00-12:00', '13:00-17:00']` or `'closed'`. */
export type DayHoursText = string | readonly string[];

export type WeeklyHoursText = Readonly<Record<Weekday, DayHoursText>>;

/** Monday to Friday, 09:00 to 17:00: the default business week. */
export const OFFICE_HOURS = {
  mon: '09:00-17:00',
  tue: '09:00-17:00',
  wed: '09:00-17:00',
  thu: '09:00-17:00',
  fri: '09:00-17:00',
  sat: 'closed',
  sun: 'closed',
} as const satisfies WeeklyHoursText;

/**
 * Minute ranges per weekday, index 0 = Monday: a flat list `[start, end, start, end, …]` of minutes
 * after that day's local midnight, sorted and disjoint. Ends may exceed 1440 (overnight ranges).
 */
export type WeeklyMinutes = readonly (readonly number[])[];

const RANGE = /^\s*([01]\d|2[0-4]):([0-5]\d)\s*-\s*([01]\d|2[0-4]):([0-5]\d)\s*$/;

function minutesOf(hours: string, minutes: string): number {
  return Number(hours) * 60 + Number(minutes);
}

function parseRange(text: string, weekday: Weekday): [number, number] {
  const match = RANGE.exec(text);
  const [, h1, m1, h2, m2] = match ?? [];
  if (h1 === undefined || m1 === undefined || h2 === undefined || m2 === undefined) {
    throw new RevopsError(
      'config.invalid_value',
      `calendar.hours.${weekday}: \`${text}\` is not a time range`,
      {
        hint: 'write opening hours like `09:00-17:00`, a list of such ranges, or `closed`',
      },
    );
  }
  const start = minutesOf(h1, m1);
  const end = minutesOf(h2, m2);
  if (start >= 1440 || end > 1440) {
    throw new RevopsError('config.invalid_value', `calendar.hours.${weekday}: \`${text}\` is past 24:00`, {
      hint: 'a range starts at 00:00–23:59 and ends at 24:00 at the latest',
    });
  }
  return [start, end > start ? end : end + 1440];
}

/** Sorted, merged minute ranges of one weekday. Throws `RevopsError` on a malformed range. */
export function parseDayHours(text: DayHoursText, weekday: Weekday): number[] {
  const list = typeof text === 'string' ? (text.trim() === 'closed' ? [] : [text]) : text;
  const ranges = list.map((item) => parseRange(item, weekday)).sort((a, b) => a[0] - b[0]);
  const flat: number[] = [];
  for (const [start, end] of ranges) {
    const last = flat.length - 1;
    if (last > 0 && start <= (flat[last] ?? 0)) flat[last] = Math.max(flat[last] ?? 0, end);
    else flat.push(start, end);
  }
  return flat;
}

/** Parses all seven days. Throws `RevopsError` (`config.invalid_value`) on a malformed range. */
export function parseWeeklyHours(hours: WeeklyHoursText): WeeklyMinutes {
  return WEEKDAYS.map((weekday) => parseDayHours(hours[weekday], weekday));
}
