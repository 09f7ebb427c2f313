/**
 * Quota and spend periods (`2026-Q3`, `2026-10`, `2026`) and weeks, in the company's local time:
 * ids come from local dates, bounds from `model.startOfDate` (the instant a local date begins).
 */
import { DAY_MS, dayFromIso, isoFromDay, WEEKDAYS } from '../time/localDay.ts';
import type { Millis } from '../types.ts';
import type { MetricsModel, QuotaPeriod } from './model.ts';

export interface Period {
  readonly id: string;
  readonly from: Millis;
  readonly to: Millis;
}

const PERIOD_ID = /^(\d{4})(?:-Q([1-4])|-(\d{2}))?$/;

/** The id of the period of `kind` holding local date `date` (`YYYY-MM-DD`). */
export function periodIdOf(date: string, kind: QuotaPeriod): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  if (kind === 'year') return year;
  if (kind === 'month') return date.slice(0, 7);
  return `${year}-Q${Math.ceil(month / 3)}`;
}

/** First local date of a period and of the one after it; undefined for a malformed id. */
export function periodDates(id: string): { first: string; next: string } | undefined {
  const match = PERIOD_ID.exec(id);
  if (!match) return undefined;
  const year = Number(match[1]);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const date = (y: number, m: number): string =>
    m > 12 ? `${y + 1}-${pad(m - 12)}-01` : `${y}-${pad(m)}-01`;
  if (match[2] !== undefined) {
    const first = (Number(match[2]) - 1) * 3 + 1;
    return { first: date(year, first), next: date(year, first + 3) };
  }
  if (match[3] !== undefined) {
    const month = Number(match[3]);
    if (month < 1 || month > 12) return undefined;
    return { first: date(year, month), next: date(year, month + 1) };
  }
  return { first: `${year}-01-01`, next: `${year + 1}-01-01` };
}

/** The period `id` as instants; undefined for a malformed id. */
export function periodBounds(id: string, model: MetricsModel): Period | undefined {
  const dates = periodDates(id);
  if (dates === undefined) return undefined;
  return { id, from: model.startOfDate(dates.first), to: model.startOfDate(dates.next) };
}

/** The quota period holding `at`. */
export function quotaPeriodAt(at: Millis, model: MetricsModel): Period {
  const id = periodIdOf(model.localTime(at).date, model.quotaPeriod);
  return periodBounds(id, model) as Period;
}

/** The Monday (`YYYY-MM-DD`) of the local week holding `at`. */
export function weekOf(at: Millis, model: MetricsModel): string {
  const local = model.localTime(at);
  const day = dayFromIso(local.date) as number;
  return isoFromDay(day - WEEKDAYS.indexOf(local.weekday));
}

/** `date` plus `days` (`YYYY-MM-DD`). */
export function addDays(date: string, days: number): string {
  return isoFromDay((dayFromIso(date) as number) + days);
}

/**
 * The first instant (whole millisecond) of the local week of Monday `monday` (`YYYY-MM-DD`): the
 * instant `weekOf` turns to `monday` from the week before. Found by bisection on `model.localTime`
 * (the function `weekOf` reads), not from `model.startOfDate`, so that counting `at` in
 * [weekStart(M), weekStart(M + 7)) picks exactly the instants `weekOf` puts in week M, whatever
 * the zone's offset (half and quarter hours), its DST changes (a week of 167 or 169 hours) or a
 * skipped local midnight. Assumes only that the local date never runs backwards: zones that set
 * their clocks back at midnight do it at the new day's first instant, back into the day before, so
 * no day begins twice. 29 steps over the four days around the Monday's UTC midnight, which hold
 * its start in every zone (offsets lie within ±14 hours).
 */
export function weekStart(monday: string, model: MetricsModel): Millis {
  const midnight = (dayFromIso(monday) as number) * DAY_MS;
  // weekOf(before) < monday <= weekOf(after), kept at every step.
  let before = midnight - 2 * DAY_MS;
  let after = midnight + 2 * DAY_MS;
  while (after - before > 1) {
    const mid = Math.floor((before + after) / 2);
    if (weekOf(mid, model) >= monday) after = mid;
    else before = mid;
  }
  return after;
}
