/**
 * Local time for the demo's people and reps: when someone at a company in Denver is likely to
 * browse, and when a rep in London is at their desk. Working hours are 09:00-17:00, Monday to
 * Friday, in the person's own zone (holidays are ignored: some people work through them).
 */
import { DateTime } from 'luxon';
import type { Millis } from '../core/types.ts';
import type { Random } from './random.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Hours of the day people browse, by weight (office hours, a lunch dip, some evenings). */
const HOUR_WEIGHTS: readonly (readonly [number, number])[] = [
  [7, 2],
  [8, 5],
  [9, 9],
  [10, 11],
  [11, 11],
  [12, 7],
  [13, 9],
  [14, 11],
  [15, 10],
  [16, 8],
  [17, 5],
  [18, 3],
  [19, 3],
  [20, 3],
  [21, 2],
  [22, 1],
];

/** UTC offsets by (zone, hour): luxon answers once per hour of the window, the rest is arithmetic. */
const OFFSETS = new Map<string, number>();

/** The zone's UTC offset at `at`, in milliseconds. */
function offsetAt(at: Millis, zone: string): number {
  const key = `${zone}|${Math.floor(at / HOUR)}`;
  let offset = OFFSETS.get(key);
  if (offset === undefined) {
    offset = DateTime.fromMillis(at, { zone }).offset * MINUTE;
    OFFSETS.set(key, offset);
  }
  return offset;
}

/** Local wall time at `at` in `zone`: weekday (1 = Monday … 7 = Sunday), hour, and the local day's start. */
function local(at: Millis, zone: string): { weekday: number; hour: number; dayStart: Millis } {
  const wall = at + offsetAt(at, zone);
  const day = Math.floor(wall / DAY);
  const weekday = ((((day + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
  return { weekday, hour: Math.floor((wall - day * DAY) / HOUR), dayStart: day * DAY };
}

/** The instant the local wall clock in `zone` reads `wall` (a day start plus hours and minutes). */
function fromWall(wall: Millis, zone: string): Millis {
  const guess = wall - offsetAt(wall, zone);
  return wall - offsetAt(guess, zone);
}

/** A browsing instant on local day `day` (0 = the window's first day) in `zone`. */
export function localMoment(r: Random, start: Millis, day: number, zone: string): Millis {
  const first = local(start, zone).dayStart;
  const wall =
    first + day * DAY + r.weighted(HOUR_WEIGHTS) * HOUR + r.int(0, 59) * MINUTE + r.int(0, 59) * 1000;
  return fromWall(wall, zone);
}

export function isWeekend(at: Millis, zone: string): boolean {
  return local(at, zone).weekday >= 6;
}

/**
 * When a new person first shows up: a day of the window (weekdays about three times as likely as
 * weekend days, a little more traffic each week), at a browsing hour of their zone.
 */
export function arrivalTime(r: Random, start: Millis, days: number, zone: string): Millis {
  for (;;) {
    // Growth: the density rises linearly by a third from the first day to the last (inverse CDF).
    const g = 1 / 3;
    const x = (Math.sqrt(1 + 2 * g * r.next() * (1 + g / 2)) - 1) / g;
    const day = Math.min(days - 1, Math.floor(x * days));
    const at = localMoment(r, start, day, zone);
    if (isWeekend(at, zone) && !r.chance(0.33)) continue;
    if (at >= start && at < start + days * DAY) return at;
  }
}

/** Whether `at` is within 09:00-17:00 on a weekday in `zone`. */
export function isWorkingTime(at: Millis, zone: string): boolean {
  const t = local(at, zone);
  return t.weekday <= 5 && t.hour >= 9 && t.hour < 17;
}

/** The next 09:00 on a weekday in `zone` after `at` (today's if it is still to come). */
export function nextWorkStart(at: Millis, zone: string): Millis {
  const t = local(at, zone);
  let day = t.dayStart;
  let weekday = t.weekday;
  if (fromWall(day + 9 * HOUR, zone) <= at) {
    day += DAY;
    weekday = (weekday % 7) + 1;
  }
  while (weekday >= 6) {
    day += DAY;
    weekday = (weekday % 7) + 1;
  }
  return fromWall(day + 9 * HOUR, zone);
}

/** `at` if it falls in working time, else the next work start plus up to `spread` minutes. */
export function duringWork(r: Random, at: Millis, zone: string, spread = 90): Millis {
  return isWorkingTime(at, zone) ? at : nextWorkStart(at, zone) + r.int(3, spread) * MINUTE;
}

/** `days` working days after `at` in `zone`, at a working hour drawn from `r`. */
export function afterWorkDays(r: Random, at: Millis, days: number, zone: string): Millis {
  const t = local(at, zone);
  let day = t.dayStart;
  let weekday = t.weekday;
  let left = days;
  while (left > 0) {
    day += DAY;
    weekday = (weekday % 7) + 1;
    if (weekday <= 5) left--;
  }
  return fromWall(day + r.int(9, 16) * HOUR + r.int(0, 59) * MINUTE, zone);
}
