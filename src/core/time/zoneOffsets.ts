/**
 * UTC offsets of a time zone as constant pieces, from luxon. Asking luxon (Intl) for an offset costs
 * several microseconds, so each UTC year of a zone is scanned once (a sample every few days, then a
 * binary search to the millisecond around each change) and kept in a module-level memo keyed by the
 * zone name. The memo is deterministic: it only ever holds what luxon answers for the same input.
 */
import type { Zone } from 'luxon';
import { DAY_MS, MINUTE_MS } from './localDay.ts';

/** Offsets can change twice in a few days (e.g. around Ramadan in Morocco); sample finer than that. */
const SAMPLE_MS = 2 * DAY_MS;

/** zone name → UTC year → `[from, offsetMs, from, offsetMs, …]`, the first `from` being 1 January 00:00 UTC. */
const years = new Map<string, Map<number, readonly number[]>>();

function scanYear(zone: Zone, year: number): readonly number[] {
  const offsetAt = (t: number): number => zone.offset(t) * MINUTE_MS;
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  let previous = start;
  let offset = offsetAt(start);
  const changes: number[] = [start, offset];
  while (previous < end) {
    const t = Math.min(previous + SAMPLE_MS, end);
    const next = offsetAt(t);
    if (next !== offset) {
      let lo = previous;
      let hi = t;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetAt(mid) === offset) lo = mid;
        else hi = mid;
      }
      if (hi < end) changes.push(hi, next);
      offset = next;
    }
    previous = t;
  }
  return changes;
}

function yearOf(zone: Zone, year: number): readonly number[] {
  let byYear = years.get(zone.name);
  if (byYear === undefined) {
    byYear = new Map();
    years.set(zone.name, byYear);
  }
  let changes = byYear.get(year);
  if (changes === undefined) {
    changes = scanYear(zone, year);
    byYear.set(year, changes);
  }
  return changes;
}

/** Constant-offset pieces covering [from, to): `[pieceFrom, pieceTo, offsetMs, …]`. */
export function offsetPieces(zone: Zone, from: number, to: number): number[] {
  const pieces: number[] = [];
  let pieceFrom = from;
  let pieceOffset: number | undefined;
  const lastYear = new Date(to - 1).getUTCFullYear();
  for (let year = new Date(from).getUTCFullYear(); year <= lastYear; year++) {
    const changes = yearOf(zone, year);
    for (let i = 0; i < changes.length; i += 2) {
      const at = changes[i] ?? 0;
      const offset = changes[i + 1] ?? 0;
      if (at >= to) break;
      if (at <= from) {
        pieceOffset = offset;
      } else if (offset !== pieceOffset) {
        if (pieceOffset !== undefined) pieces.push(pieceFrom, at, pieceOffset);
        pieceFrom = at;
        pieceOffset = offset;
      }
    }
  }
  pieces.push(pieceFrom, to, pieceOffset ?? 0);
  return pieces;
}
