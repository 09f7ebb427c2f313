/**
 * How values from the config read in the documents: money in the company currency, fractions as
 * percentages, durations in words, points with their sign, decay steps and benchmark ranges.
 * Pure and locale-fixed (en-US), so the documents are the same on every machine.
 */
import type { Duration, DurationUnit } from '../../core/time/duration.ts';

/** `$25,000`; cents only when the amount has them. */
export function formatMoney(amount: number, currency: string): string {
  const whole = Number.isInteger(amount);
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency,
    minimumFractionDigits: whole ? 0 : 2,
    maximumFractionDigits: whole ? 0 : 2,
  }).format(amount);
}

/** A plain number with thousands separators and at most two decimals. */
export function formatNumber(value: number): string {
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }).format(value);
}

/** 0.3 → `30%`, 0.125 → `12.5%`. */
export function formatPercent(fraction: number): string {
  return `${formatNumber(Math.round(fraction * 10_000) / 100)}%`;
}

/** 3 → `3:1`. */
export function formatRatio(value: number): string {
  return `${formatNumber(value)}:1`;
}

const MINUS = '\u2212';

/** `+15`, `−10`, `0`. */
export function formatPoints(points: number): string {
  if (points > 0) return `+${formatNumber(points)}`;
  if (points < 0) return `${MINUS}${formatNumber(-points)}`;
  return '0';
}

const UNIT_WORD: Readonly<Record<DurationUnit, string>> = {
  minute: 'minute',
  hour: 'hour',
  day: 'day',
  week: 'week',
  month: 'month',
};

/** A duration in words: `5m` → `5 minutes`, `4 business hours`, `end of the business day`. */
export function formatDuration(duration: Duration): string {
  if (duration.kind === 'endOfBusinessDay') return 'the end of the business day';
  const unit = UNIT_WORD[duration.unit];
  const word = duration.amount === 1 ? unit : `${unit}s`;
  return `${formatNumber(duration.amount)} ${duration.business ? 'business ' : ''}${word}`;
}

/** `within 5 minutes` / `by the end of the business day`. */
export function formatWithin(duration: Duration): string {
  return duration.kind === 'endOfBusinessDay'
    ? 'by the end of the business day'
    : `within ${formatDuration(duration)}`;
}

/** `per week`, `per 2 weeks`. */
export function formatEvery(duration: Duration): string {
  if (duration.kind === 'endOfBusinessDay') return 'per business day';
  if (duration.amount === 1) return `per ${duration.business ? 'business ' : ''}${UNIT_WORD[duration.unit]}`;
  return `per ${formatDuration(duration)}`;
}

export interface DecayStep {
  readonly points: number;
  readonly every: Duration;
  readonly from: 'occurrence' | 'last_activity';
}

/** `−5 per week since occurrence`, `−10 per 2 weeks since last activity`, or `none`. */
export function formatDecay(decay: DecayStep | undefined): string {
  if (decay === undefined) return 'none';
  const since = decay.from === 'occurrence' ? 'since occurrence' : 'since last activity';
  return `${formatPoints(-decay.points)} ${formatEvery(decay.every)} ${since}`;
}

/** A min–max range of fractions: `5%–15%`, `at least 90%`, `at most 10%`. */
export function formatPercentRange(range: {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}): string {
  return formatRange(range, formatPercent);
}

/** A min–max range of ratios: `3:1–5:1`. */
export function formatRatioRange(range: {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}): string {
  return formatRange(range, formatRatio);
}

function formatRange(
  range: { readonly min?: number | undefined; readonly max?: number | undefined },
  show: (value: number) => string,
): string {
  if (range.min !== undefined && range.max !== undefined) return `${show(range.min)}–${show(range.max)}`;
  if (range.min !== undefined) return `at least ${show(range.min)}`;
  if (range.max !== undefined) return `at most ${show(range.max)}`;
  return 'no benchmark';
}

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: readonly string[], word = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1] ?? ''}`;
}

/** `1 rep`, `3 reps`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatNumber(count)} ${count === 1 ? singular : pluralForm}`;
}

/** Upper-cases the first letter. */
export function capitalize(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}
