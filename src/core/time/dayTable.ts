/**
 * The open intervals of each local date as epoch milliseconds, exact across DST changes, computed
 * once per date and cached. Everything in the business-time hot loop reads these plain arrays; UTC offsets
 * come from the per-zone memo of `zoneOffsets.ts`.
 *
 * A local date's span is [first instant whose wall-clock time reaches its 00:00, same for the next
 * date). Inside the span the UTC offset is piecewise constant; each piece maps the weekly hours of
 * the wall dates it shows onto instants, so a range over a spring-forward gap keeps only its real
 * minutes and a range over a fall-back hour is open during both passes of that hour.
 */
import type { Zone } from 'luxon';
import type { HolidayDates } from './holidays.ts';
import { DAY_MS, HOUR_MS, MINUTE_MS, weekdayIndex } from './localDay.ts';
import { offsetPieces } from './zoneOffsets.ts';
import type { WeeklyMinutes } from './openingHours.ts';

export interface DayRecord {
  /** Day number of the local date. */
  readonly day: number;
  /** First instant of the date (epoch ms). */
  readonly start: number;
  /** First instant of the next date. */
  readonly end: number;
  /** Open intervals `[from, to, from, to, …]`, sorted, disjoint, half-open, within [start, end). */
  readonly open: readonly number[];
  /** The UTC offset in ms during each open interval (one entry per interval). */
  readonly openOffsets: readonly number[];
  /** Constant-offset pieces `[from, to, offsetMs, …]` covering [start, end). */
  readonly pieces: readonly number[];
  /** Sum of the open intervals, ms. */
  readonly openMs: number;
}

export interface DayTable {
  /** The record of a local date, computed on first use. */
  get(day: number): DayRecord;
  /** The record of the local date containing the instant. */
  at(instant: number): DayRecord;
}

// UTC offsets lie within −12h … +14h; a date's span and its neighbours fit in this margin.
const MARGIN_MS = 15 * HOUR_MS;

/** The first instant whose wall-clock time (ms since 1970-01-01 local) reaches `wall`. */
function firstInstantAtWall(pieces: readonly number[], wall: number): number {
  for (let i = 0; i < pieces.length; i += 3) {
    const candidate = wall - (pieces[i + 2] ?? 0);
    const to = pieces[i + 1] ?? 0;
    if (candidate < to) return Math.max(pieces[i] ?? 0, candidate);
  }
  return pieces[pieces.length - 2] ?? wall;
}

/** Builds the lazily filled table of a zone, weekly hours and closed dates. */
export function createDayTable(zone: Zone, weekly: WeeklyMinutes, closed: HolidayDates): DayTable {
  const cache = new Map<number, DayRecord>();
  let offsetGuess = 0;

  function compute(day: number): DayRecord {
    const midnight = day * DAY_MS;
    const window = offsetPieces(zone, midnight - MARGIN_MS, midnight + DAY_MS + MARGIN_MS);
    const start = firstInstantAtWall(window, midnight);
    const end = firstInstantAtWall(window, midnight + DAY_MS);
    const pieces: number[] = [];
    const open: number[] = [];
    const openOffsets: number[] = [];
    let openMs = 0;
    for (let p = 0; p < window.length; p += 3) {
      const from = Math.max(window[p] ?? 0, start);
      const to = Math.min(window[p + 1] ?? 0, end);
      const offset = window[p + 2] ?? 0;
      if (from >= to) continue;
      pieces.push(from, to, offset);
      // Ranges of every wall date this piece shows, including overnight ranges of the date before.
      const ranges: [number, number][] = [];
      const lastWallDay = Math.floor((to - 1 + offset) / DAY_MS);
      for (let wallDay = Math.floor((from + offset) / DAY_MS) - 1; wallDay <= lastWallDay; wallDay++) {
        if (closed.isClosed(wallDay)) continue;
        const minutes = weekly[weekdayIndex(wallDay)] ?? [];
        const base = wallDay * DAY_MS - offset;
        for (let r = 0; r < minutes.length; r += 2) {
          const a = Math.max(base + (minutes[r] ?? 0) * MINUTE_MS, from);
          const b = Math.min(base + (minutes[r + 1] ?? 0) * MINUTE_MS, to);
          if (a < b) ranges.push([a, b]);
        }
      }
      ranges.sort((x, y) => x[0] - y[0]);
      const firstOfPiece = open.length;
      for (const [a, b] of ranges) {
        const last = open.length - 1;
        if (open.length > firstOfPiece && a <= (open[last] ?? 0)) {
          open[last] = Math.max(open[last] ?? 0, b);
        } else {
          open.push(a, b);
          openOffsets.push(offset);
        }
      }
    }
    for (let i = 0; i < open.length; i += 2) openMs += (open[i + 1] ?? 0) - (open[i] ?? 0);
    return { day, start, end, open, openOffsets, pieces, openMs };
  }

  function get(day: number): DayRecord {
    let record = cache.get(day);
    if (record === undefined) {
      record = compute(day);
      cache.set(day, record);
    }
    return record;
  }

  return {
    get,
    at(instant) {
      if (!Number.isFinite(instant)) throw new RangeError(`not an instant: ${instant}`);
      let record = get(Math.floor((instant + offsetGuess) / DAY_MS));
      while (instant < record.start) record = get(record.day - 1);
      while (instant >= record.end) record = get(record.day + 1);
      offsetGuess = record.day * DAY_MS - record.start;
      return record;
    },
  };
}

/** The instant a wall-clock time (ms since 1970-01-01 local) first shows on its date; see `firstInstantAtWall`. */
export function instantAtWall(table: DayTable, wall: number): number {
  const record = table.get(Math.floor(wall / DAY_MS));
  const pieces = record.pieces;
  for (let i = 0; i < pieces.length; i += 3) {
    const candidate = wall - (pieces[i + 2] ?? 0);
    if (candidate < (pieces[i + 1] ?? 0)) return Math.max(pieces[i] ?? 0, candidate);
  }
  return record.end;
}

/** Where the constant-offset piece holding an instant of the record's span starts in `pieces` (a multiple of 3). */
export function pieceAt(record: DayRecord, instant: number): number {
  const pieces = record.pieces;
  for (let i = 0; i < pieces.length; i += 3) {
    if (instant < (pieces[i + 1] ?? 0)) return i;
  }
  return pieces.length - 3;
}

/** The UTC offset (ms) at an instant of the record's span. */
export function offsetIn(record: DayRecord, instant: number): number {
  return record.pieces[pieceAt(record, instant) + 2] ?? 0;
}
