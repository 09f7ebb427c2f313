/**
 * Reading a dashboard page's query string: each parameter at most once, trimmed, within bounds;
 * dates as `YYYY-MM-DD` in the company's time zone. Problems are collected (every one, not the
 * first) with what to change, so a bad link gets a 400 page that says how to fix it. Pure; nothing
 * here throws.
 */
import { DateTime } from 'luxon';

/** One problem with a query parameter, in words a person can act on. */
export interface QueryIssue {
  readonly field: string;
  readonly message: string;
  readonly fix: string;
}

/** The date range and source every page's filter form carries. */
export interface RangeFilters {
  /** As typed (`2026-11-01`), for the form. */
  readonly from?: string;
  readonly to?: string;
  readonly source?: string;
  /** The range as instants: [fromMs, toMs), either end open. */
  readonly fromMs?: number;
  readonly toMs?: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Collects a page's parameters and the problems with them. */
export class QueryReader {
  readonly issues: QueryIssue[] = [];
  readonly #query: Readonly<Record<string, unknown>>;

  constructor(query: unknown) {
    this.#query = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  }

  /** A text parameter: trimmed, empty as absent, at most `max` characters. */
  text(name: string, max = 200): string | undefined {
    const value = this.#query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      this.issues.push({
        field: name,
        message: `\`${name}\` is given more than once`,
        fix: `give \`${name}\` once`,
      });
      return undefined;
    }
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    if (trimmed.length > max) {
      this.issues.push({
        field: name,
        message: `\`${name}\` is ${trimmed.length} characters long`,
        fix: `shorten it to at most ${max} characters`,
      });
      return undefined;
    }
    return trimmed;
  }

  /** A whole number in [min, max]; `fallback` when absent. */
  int(name: string, min: number, max: number, fallback: number): number {
    const text = this.text(name, 20);
    if (text === undefined) return fallback;
    const n = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      this.issues.push({
        field: name,
        message: `\`${name}\` is \`${text}\`, not a whole number from ${min} to ${max}`,
        fix: `give a number from ${min} to ${max}, e.g. ${fallback}`,
      });
      return fallback;
    }
    return n;
  }

  /** One of `values`; undefined when absent. */
  oneOf<T extends string>(name: string, values: readonly T[]): T | undefined {
    const text = this.text(name, 100);
    if (text === undefined) return undefined;
    if ((values as readonly string[]).includes(text)) return text as T;
    this.issues.push({
      field: name,
      message: `\`${name}\` is \`${text}\`, which is not one of the choices`,
      fix: `use one of ${values.join(', ')}`,
    });
    return undefined;
  }

  /** A `YYYY-MM-DD` date in `zone`: its start (`end` false) or the start of the next day (`end` true). */
  date(name: string, zone: string, end: boolean): { readonly text: string; readonly ms: number } | undefined {
    const text = this.text(name, 40);
    if (text === undefined) return undefined;
    const day = DATE.test(text) ? DateTime.fromISO(text, { zone }) : undefined;
    if (day === undefined || !day.isValid) {
      this.issues.push({
        field: name,
        message: `\`${name}\` is \`${text}\`, which is not a date`,
        fix: 'give the date as YYYY-MM-DD, e.g. 2026-11-01',
      });
      return undefined;
    }
    return { text, ms: (end ? day.plus({ days: 1 }) : day).startOf('day').toMillis() };
  }

  /** `from`, `to` (both days included) and `source`. */
  range(zone: string): RangeFilters {
    const from = this.date('from', zone, false);
    const to = this.date('to', zone, true);
    const source = this.text('source', 100);
    if (from !== undefined && to !== undefined && from.ms >= to.ms) {
      this.issues.push({
        field: 'from',
        message: `the range starts (${from.text}) after it ends (${to.text})`,
        fix: 'give a `from` on or before `to`',
      });
    }
    return Object.assign(
      {},
      from === undefined ? {} : { from: from.text, fromMs: from.ms },
      to === undefined ? {} : { to: to.text, toMs: to.ms },
      source === undefined ? {} : { source },
    );
  }
}

/** Whether `at` lies in the range. */
export function inRange(at: number, range: RangeFilters): boolean {
  return (range.fromMs === undefined || at >= range.fromMs) && (range.toMs === undefined || at < range.toMs);
}

/** The query string of a page link (empty values left out): `?from=2026-11-01&rep=priya`. */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(name, String(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}
