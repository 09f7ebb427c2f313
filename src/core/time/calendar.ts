/**
 * Business calendars: a time zone, opening hours per weekday and closed dates (public holidays of a
 * country or region, extra dates, ignored holidays). Every business-time SLA is computed here.
 *
 * Semantics (instants are epoch milliseconds; "open" intervals are half-open, so 17:00 is closed
 * in `09:00-17:00`):
 * - `N business minutes/hours`: the earliest instant by which N of open time has elapsed since the
 *   start. Time before the opening does not count, and a deadline that uses up an interval lands on
 *   its close (Friday 13:00 + 4 business hours = Friday 17:00, not Monday 09:00).
 * - `N business days`: the same local clock time N open dates later. A start outside the hours
 *   counts from the next opening (Saturday 10:00 + 1 business day = Tuesday 09:00; Monday 15:00
 *   + 3 business days = Thursday 15:00). On the target date the result is the first open instant at
 *   or after that clock time; when the date closes earlier, its close (Monday 16:30 + 1 business day
 *   with Tuesday `09:00-12:00` = Tuesday 12:00). An open date is one with any open time. A fraction
 *   of a day adds that fraction of the average open day as business time (0.5 × 8h = 4 business hours).
 * - `N business weeks/months`: the same local clock time 7N or 30N calendar days after the opening
 *   the start counts from; when that instant is closed, the next opening.
 * - `same business day`/`end of business day`: the last close of the start's date when the start is
 *   before it (before the opening and during a lunch break included); otherwise the last close of the
 *   next open date.
 * - Wall-clock durations (not business) add elapsed time: `48h` is 48 real hours even when the local
 *   clock moves by 47 or 49, a day is 24 hours and a month 30 days (as `wallMinutes`).
 * - DST: openness follows the local clock. A range over a spring-forward gap keeps only its real
 *   minutes (01:00-03:00 is one hour that night); over a fall-back it is open during both passes of
 *   the repeated hour (three hours).
 */
import { IANAZone } from 'luxon';
import { RevopsError } from '../errors.ts';
import {
  createDayTable,
  instantAtWall,
  offsetIn,
  pieceAt,
  type DayRecord,
  type DayTable,
} from './dayTable.ts';
import { wallMinutes, type Duration } from './duration.ts';
import { createHolidayDates, type HolidayDates, type HolidaySpec } from './holidays.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, WEEKDAYS, isoFromDay, weekdayIndex, type Weekday } from './localDay.ts';
import { parseWeeklyHours, type DayHoursText, type WeeklyHoursText } from './openingHours.ts';

export { WEEKDAYS, type Weekday } from './localDay.ts';
export type { DayHoursText, WeeklyHoursText } from './openingHours.ts';
export type { HolidaySpec } from './holidays.ts';

export interface CalendarSpec {
  /** IANA time zone, e.g. `America/New_York`. */
  readonly timezone: string;
  readonly hours: WeeklyHoursText;
  readonly holidays: HolidaySpec;
}

/** What a rep or team changes: their own zone and some weekdays' hours. */
export interface CalendarOverrides {
  readonly timezone?: string | undefined;
  readonly hours?: Readonly<Partial<Record<Weekday, DayHoursText | undefined>>> | undefined;
}

/** An instant as calendar rules see it, in the calendar's zone. */
export interface CalendarDigest {
  readonly weekday: Weekday;
  /** Minutes since local midnight, 0–1439. */
  readonly minuteOfDay: number;
  /** A public holiday (not ignored) or an extra closed date. */
  readonly isHoliday: boolean;
  /** Local date `YYYY-MM-DD`. */
  readonly date: string;
}

export interface BusinessCalendar {
  readonly spec: CalendarSpec;
  /** The deadline `duration` after `start` (see the module comment). Throws when the calendar never opens. */
  addBusinessTime(start: number, duration: Duration): number;
  /** `start` plus `ms` of open time (negative: counts back). Throws when the calendar never opens. */
  addBusinessMs(start: number, ms: number): number;
  /** Open milliseconds in [a, b); negative when b < a. Throws only for a non-finite instant. */
  businessTimeBetween(a: number, b: number): number;
  /** Whether `at` lies in an open interval (a close itself is closed). */
  isOpen(at: number): boolean;
  /** `at` when open, else the next opening. Throws when the calendar never opens. */
  nextOpening(at: number): number;
  /** The close that ends the business day of `at` (see `same business day`). Throws when never open. */
  endOfBusinessDay(at: number): number;
  /** Weekday, minute of day, holiday flag and date of `at` in the calendar's zone. */
  digest(at: number): CalendarDigest;
  /** The local date of `at` in the calendar's zone, `YYYY-MM-DD` (the cheap part of `digest`). */
  localDate(at: number): string;
}

/** Local dates a calendar remembers (a power of two). */
const DATE_SLOTS = 8;

/** More closed dates in a row than this means the calendar never opens (ten years). */
const MAX_CLOSED_DAYS = 3660;

function neverOpens(spec: CalendarSpec): RevopsError {
  return new RevopsError('config.inconsistent', `the calendar in ${spec.timezone} has no opening hours`, {
    hint: 'give at least one weekday opening hours such as `09:00-17:00`',
  });
}

function validZone(timezone: string): IANAZone {
  const zone = IANAZone.create(timezone);
  if (!zone.isValid) {
    throw new RevopsError('config.invalid_value', `unknown time zone \`${timezone}\``, {
      hint: 'use an IANA name like `America/New_York` or `Europe/Berlin`',
    });
  }
  return zone;
}

function build(spec: CalendarSpec, holidays: HolidayDates): BusinessCalendar {
  const zone = validZone(spec.timezone);
  const weekly = parseWeeklyHours(spec.hours);
  const table: DayTable = createDayTable(zone, weekly, holidays);
  // The local dates asked for lately, a few slots picked by the (approximate) local day number: a
  // replay or an import asks about the same few dates over and over, not always in order.
  const dateFrom = new Float64Array(DATE_SLOTS);
  const dateTo = new Float64Array(DATE_SLOTS);
  const dateIso: string[] = new Array<string>(DATE_SLOTS).fill('');
  let dateOffset = 0;
  let weekOpenMinutes = 0;
  let openWeekdays = 0;
  for (const minutes of weekly) {
    let sum = 0;
    for (let i = 0; i < minutes.length; i += 2) sum += (minutes[i + 1] ?? 0) - (minutes[i] ?? 0);
    weekOpenMinutes += sum;
    if (sum > 0) openWeekdays++;
  }
  const averageOpenDayMs = openWeekdays === 0 ? 0 : (weekOpenMinutes * MINUTE_MS) / openWeekdays;

  function nextOpenDay(day: number): DayRecord {
    if (openWeekdays === 0) throw neverOpens(spec);
    for (let d = day + 1; d <= day + MAX_CLOSED_DAYS; d++) {
      const record = table.get(d);
      if (record.open.length > 0) return record;
    }
    throw neverOpens(spec);
  }

  function lastClose(record: DayRecord): number {
    return record.open[record.open.length - 1] ?? record.end;
  }

  function forward(start: number, ms: number): number {
    let record = table.at(start);
    let t = start;
    let remaining = ms;
    for (let idle = 0; ;) {
      const open = record.open;
      if (record.start >= t && record.openMs < remaining) {
        remaining -= record.openMs;
      } else {
        for (let i = 0; i < open.length; i += 2) {
          const to = open[i + 1] ?? 0;
          if (to <= t) continue;
          const from = Math.max(open[i] ?? 0, t);
          const available = to - from;
          if (remaining <= available) return from + remaining;
          remaining -= available;
          t = to;
        }
      }
      idle = open.length === 0 ? idle + 1 : 0;
      if (idle > MAX_CLOSED_DAYS || openWeekdays === 0) throw neverOpens(spec);
      record = table.get(record.day + 1);
    }
  }

  function backward(start: number, ms: number): number {
    let record = table.at(start);
    let t = start;
    let remaining = ms;
    for (let idle = 0; ;) {
      const open = record.open;
      for (let i = open.length - 2; i >= 0; i -= 2) {
        const from = open[i] ?? 0;
        if (from >= t) continue;
        const to = Math.min(open[i + 1] ?? 0, t);
        const available = to - from;
        if (remaining <= available) return to - remaining;
        remaining -= available;
        t = from;
      }
      idle = open.length === 0 ? idle + 1 : 0;
      if (idle > MAX_CLOSED_DAYS || openWeekdays === 0) throw neverOpens(spec);
      record = table.get(record.day - 1);
    }
  }

  function addBusinessMs(start: number, ms: number): number {
    if (!Number.isFinite(start) || !Number.isFinite(ms)) {
      throw new RangeError(`addBusinessMs needs finite numbers, got ${start} and ${ms}`);
    }
    if (ms > 0) return forward(start, ms);
    if (ms < 0) return backward(start, -ms);
    return start;
  }

  function nextOpening(at: number): number {
    const record = table.at(at);
    const open = record.open;
    for (let i = 0; i < open.length; i += 2) {
      if ((open[i + 1] ?? 0) > at) return Math.max(open[i] ?? 0, at);
    }
    return nextOpenDay(record.day).open[0] ?? at;
  }

  /** The first open instant of `record` at or after its local clock time `clock`, else its last close. */
  function atClock(record: DayRecord, clock: number): number {
    const wall = record.day * DAY_MS + clock;
    const open = record.open;
    for (let i = 0; i < open.length; i += 2) {
      const offset = record.openOffsets[i / 2] ?? 0;
      if ((open[i + 1] ?? 0) + offset > wall) return Math.max(open[i] ?? 0, wall - offset);
    }
    return lastClose(record);
  }

  function addBusinessDays(start: number, days: number): number {
    const anchor = nextOpening(start);
    let record = table.at(anchor);
    const wall = anchor + offsetIn(record, anchor);
    const clock = wall - Math.floor(wall / DAY_MS) * DAY_MS;
    const whole = Math.floor(days);
    for (let n = 0; n < whole; n++) record = nextOpenDay(record.day);
    const target = whole === 0 ? anchor : atClock(record, clock);
    const fraction = days - whole;
    return fraction > 0 ? forward(target, Math.round(fraction * averageOpenDayMs)) : target;
  }

  function addCalendarDays(start: number, days: number): number {
    const anchor = nextOpening(start);
    const wall = anchor + offsetIn(table.at(anchor), anchor);
    return nextOpening(instantAtWall(table, wall + Math.round(days * DAY_MS)));
  }

  function businessTimeBetween(a: number, b: number): number {
    if (b < a) return -businessTimeBetween(b, a);
    let total = 0;
    if (!(b > a)) return total;
    for (let record = table.at(a); ; record = table.get(record.day + 1)) {
      if (record.start >= a && record.end <= b) {
        total += record.openMs;
      } else {
        const open = record.open;
        for (let i = 0; i < open.length; i += 2) {
          const from = Math.max(open[i] ?? 0, a);
          const to = Math.min(open[i + 1] ?? 0, b);
          if (from < to) total += to - from;
        }
      }
      if (record.end >= b) return total;
    }
  }

  function endOfBusinessDay(at: number): number {
    const record = table.at(at);
    const close = record.open[record.open.length - 1];
    if (close !== undefined && at < close) return close;
    return lastClose(nextOpenDay(record.day));
  }

  return {
    spec,
    businessTimeBetween,
    endOfBusinessDay,
    addBusinessMs,
    nextOpening,

    addBusinessTime(start, duration) {
      if (duration.kind === 'endOfBusinessDay') return endOfBusinessDay(start);
      if (!duration.business) return start + wallMinutes(duration) * MINUTE_MS;
      switch (duration.unit) {
        case 'minute':
          return addBusinessMs(start, Math.round(duration.amount * MINUTE_MS));
        case 'hour':
          return addBusinessMs(start, Math.round(duration.amount * HOUR_MS));
        case 'day':
          return addBusinessDays(start, duration.amount);
        case 'week':
          return addCalendarDays(start, duration.amount * 7);
        case 'month':
          return addCalendarDays(start, duration.amount * 30);
      }
    },

    isOpen(at) {
      const open = table.at(at).open;
      for (let i = 0; i < open.length; i += 2) {
        if (at < (open[i] ?? 0)) return false;
        if (at < (open[i + 1] ?? 0)) return true;
      }
      return false;
    },

    localDate(at) {
      const slot = Math.floor((at + dateOffset) / DAY_MS) & (DATE_SLOTS - 1);
      if (at >= (dateFrom[slot] ?? 0) && at < (dateTo[slot] ?? 0)) return dateIso[slot] ?? '';
      const record = table.at(at);
      const piece = pieceAt(record, at);
      const offset = record.pieces[piece + 2] ?? 0;
      const day = Math.floor((at + offset) / DAY_MS);
      // The same date holds while both the offset and the wall-clock day stay as they are.
      const from = Math.max(record.pieces[piece] ?? at, day * DAY_MS - offset);
      const to = Math.min(record.pieces[piece + 1] ?? at, (day + 1) * DAY_MS - offset);
      const iso = isoFromDay(day);
      dateOffset = offset;
      const home = Math.floor((at + offset) / DAY_MS) & (DATE_SLOTS - 1);
      dateFrom[home] = from;
      dateTo[home] = to;
      dateIso[home] = iso;
      return iso;
    },
    digest(at) {
      const wall = at + offsetIn(table.at(at), at);
      const day = Math.floor(wall / DAY_MS);
      return {
        weekday: WEEKDAYS[weekdayIndex(day)] ?? 'mon',
        minuteOfDay: Math.floor((wall - day * DAY_MS) / MINUTE_MS),
        isHoliday: holidays.isClosed(day),
        date: isoFromDay(day),
      };
    },
  };
}

interface Internals {
  readonly holidays: HolidayDates;
  readonly derived: Map<string, BusinessCalendar>;
}
const internals = new WeakMap<BusinessCalendar, Internals>();

function freezeSpec(spec: CalendarSpec): CalendarSpec {
  const hours = Object.freeze(
    Object.fromEntries(
      WEEKDAYS.map((d) => {
        const value = spec.hours[d];
        return [d, typeof value === 'string' ? value : Object.freeze([...value])];
      }),
    ) as Record<Weekday, DayHoursText>,
  );
  const { country, region } = spec.holidays;
  return Object.freeze({
    timezone: spec.timezone,
    hours,
    holidays: Object.freeze(
      Object.assign({}, country === undefined ? {} : { country }, region === undefined ? {} : { region }, {
        extra: Object.freeze([...spec.holidays.extra]),
        ignore: Object.freeze([...spec.holidays.ignore]),
      }),
    ),
  });
}

function register(spec: CalendarSpec, holidays: HolidayDates): BusinessCalendar {
  const calendar = build(spec, holidays);
  internals.set(calendar, { holidays, derived: new Map() });
  return calendar;
}

/**
 * A business calendar from its spec. Public holidays (per year) and per-date open intervals are
 * computed on first use and cached for the calendar's life (a few hundred bytes per date used).
 * Every method throws `RangeError` for an instant that is not a finite number. Throws `RevopsError` (`config.invalid_value`) for an unknown time zone,
 * country or region, or malformed hours or dates.
 */
export function createBusinessCalendar(spec: CalendarSpec): BusinessCalendar {
  const frozen = freezeSpec(spec);
  return register(frozen, createHolidayDates(frozen.holidays));
}

/**
 * The calendar of a rep or team: `base` with their own time zone and/or some weekdays' hours.
 * Holidays stay the base's (as local dates in the derived zone). Returns `base` itself when nothing
 * changes and the same derived calendar (with its warm caches) for the same overrides.
 * Throws like `createBusinessCalendar`.
 */
export function calendarFor(base: BusinessCalendar, overrides: CalendarOverrides): BusinessCalendar {
  const hours: Record<Weekday, DayHoursText> = { ...base.spec.hours };
  for (const day of WEEKDAYS) {
    const value = overrides.hours?.[day];
    if (value !== undefined) hours[day] = value;
  }
  const timezone = overrides.timezone ?? base.spec.timezone;
  const key = JSON.stringify([timezone, WEEKDAYS.map((d) => hours[d])]);
  if (key === JSON.stringify([base.spec.timezone, WEEKDAYS.map((d) => base.spec.hours[d])])) return base;
  let state = internals.get(base);
  if (state === undefined) {
    state = { holidays: createHolidayDates(base.spec.holidays), derived: new Map() };
    internals.set(base, state);
  }
  const cached = state.derived.get(key);
  if (cached !== undefined) return cached;
  const derived = register(freezeSpec({ timezone, hours, holidays: base.spec.holidays }), state.holidays);
  state.derived.set(key, derived);
  return derived;
}
