/**
 * How the dashboard writes times and durations: instants in a time zone (`Mon 9 Nov 2026, 13:00
 * EST`), durations in words (`2 h 5 min`), and dates for the filter form (`2026-11-09`). Pure;
 * nothing here throws (an unknown zone falls back to UTC).
 */
import { DateTime } from 'luxon';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function inZone(at: number, zone: string): DateTime {
  const local = DateTime.fromMillis(at, { zone });
  return local.isValid ? local : DateTime.fromMillis(at, { zone: 'UTC' });
}

/** `Mon 9 Nov 2026, 13:00 EST`; `—` for none. */
export function formatInstant(at: number | null | undefined, zone: string): string {
  if (at === null || at === undefined || !Number.isFinite(at)) return '—';
  return inZone(at, zone).toFormat('ccc d LLL yyyy, HH:mm ZZZZ');
}

/** `Mon 9 Nov 2026`: the local day of `at` in `zone`; `—` for none. */
export function formatDay(at: number, zone: string): string {
  return Number.isFinite(at) ? inZone(at, zone).toFormat('ccc d LLL yyyy') : '—';
}

/** The machine-readable instant for `<time datetime>`. */
export function isoInstant(at: number): string {
  return Number.isFinite(at) ? new Date(at).toISOString() : '';
}

/** `2026-11-09`: the local date of `at` in `zone`. */
export function formatDate(at: number, zone: string): string {
  return inZone(at, zone).toFormat('yyyy-LL-dd');
}

/** `3 d 4 h`, `2 h 5 min`, `12 min`, `< 1 min` for a length of time (the sign is ignored). */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (!Number.isFinite(abs)) return '—';
  if (abs < MINUTE) return '< 1 min';
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}

/** A whole number with thousands separators: `1,705`. */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—';
}
