/**
 * Local dates as integers: the day number of a wall-clock date is the number of days between
 * 1970-01-01 and that date, whatever the time zone. Cheap to hash, compare and step.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of `YYYY-MM-DD`; `undefined` when the text is not a real calendar date. */
export function dayFromIso(text: string): number | undefined {
  const match = ISO_DATE.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const date = Number(match[3]);
  const ms = Date.UTC(year, month - 1, date);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) {
    return undefined;
  }
  return ms / DAY_MS;
}

/** `YYYY-MM-DD` of a day number. */
export function isoFromDay(day: number): string {
  let iso = ISO_DAYS.get(day);
  if (iso === undefined) {
    iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
    // A few years of days in use at a time; start again rather than grow without end.
    if (ISO_DAYS.size >= 20_000) ISO_DAYS.clear();
    ISO_DAYS.set(day, iso);
  }
  return iso;
}

/** Formatted days: routing and SLA clocks ask for the same few days again and again. */
const ISO_DAYS = new Map<number, string>();

/** The calendar year of a day number. */
export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** 0 for Monday … 6 for Sunday (1970-01-01, day 0, was a Thursday). */
export function weekdayIndex(day: number): number {
  return (((day + 3) % 7) + 7) % 7;
}
