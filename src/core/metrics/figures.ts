/**
 * Headline figures with their benchmark, rounding, and the few statistics the areas share.
 *
 * Rounding (applied once, on output): rates and shares are fractions rounded to 4 places (0.2);
 * ratios (coverage, LTV:CAC) and days to 2 places; money to 2 places (cents); durations are whole
 * milliseconds. Statistics are computed on raw values, then rounded.
 */
import type { Range } from './model.ts';

export const FIGURE_STATUSES = ['ok', 'low', 'high', 'n/a'] as const;
export type FigureStatus = (typeof FIGURE_STATUSES)[number];

/**
 * A headline figure: its value, the benchmark band it is compared with, and where it falls
 * (`n/a` when there is no value or no benchmark). `reason` says why `value` is null.
 */
export interface Figure {
  readonly value: number | null;
  readonly benchmark?: Range;
  readonly status: FigureStatus;
  readonly reason?: string;
}

/** The figure of `value` against `benchmark` (inside the band, ends included: `ok`). */
export function figure(value: number | null, benchmark?: Range, reason?: string): Figure {
  const base: { value: number | null; benchmark?: Range; status: FigureStatus; reason?: string } = {
    value,
    status: 'n/a',
  };
  if (benchmark !== undefined) base.benchmark = benchmark;
  if (value === null) {
    if (reason !== undefined) base.reason = reason;
    return base;
  }
  if (benchmark === undefined || (benchmark.min === undefined && benchmark.max === undefined)) return base;
  if (benchmark.min !== undefined && value < benchmark.min) base.status = 'low';
  else if (benchmark.max !== undefined && value > benchmark.max) base.status = 'high';
  else base.status = 'ok';
  return base;
}

export function round(value: number, places: number): number {
  const factor = 10 ** places;
  const rounded = Math.round(value * factor + (value >= 0 ? 1e-9 : -1e-9)) / factor;
  return Object.is(rounded, -0) ? 0 : rounded;
}

/** A fraction to 4 places. */
export const rate = (value: number): number => round(value, 4);
/** Money to cents. */
export const money = (value: number): number => round(value, 2);
/** A ratio (or days) to 2 places. */
export const ratio = (value: number): number => round(value, 2);

/** `part / whole` as a rounded fraction; null when `whole` is 0. */
export function share(part: number, whole: number): number | null {
  return whole === 0 ? null : rate(part / whole);
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** The arithmetic mean; null for none. */
export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : sum(values) / values.length;
}

/** The median (the mean of the two middle values for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  // A typed array sorts numbers natively, without a comparator call per comparison (~5× faster).
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The nearest-rank percentile (`p` in (0, 1]): the smallest value with at least p of values at or below. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[rank - 1] as number;
}

/** Whole milliseconds, or null. */
export const ms = (value: number | null): number | null => (value === null ? null : Math.round(value));

/** Duration summary in whole milliseconds. */
export interface DurationStats {
  readonly count: number;
  readonly averageMs: number | null;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
}

export function durationStats(values: readonly number[]): DurationStats {
  return {
    count: values.length,
    averageMs: ms(mean(values)),
    medianMs: ms(median(values)),
    p90Ms: ms(percentile(values, 0.9)),
  };
}
