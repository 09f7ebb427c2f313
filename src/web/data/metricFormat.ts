/**
 * How the metric views write a figure (`{ value, benchmark?, status, reason? }`, core/metrics) as a
 * KPI card: the value by its kind (a rate as `12.1%`, money as `$24,000`, a duration as `4 min`),
 * the benchmark band as text (`5–15%`, `≥ 90%`, `≤ 5 min`, `3–4×`), and the status as a tone —
 * `ok` good; `low` / `high` bad, or warn when the value is within 20% of the band's edge; `n/a`
 * neutral, with the reason as the note when there is no value. Pure; nothing here throws.
 */
import type { Figure } from '../../core/metrics/index.ts';
import type { Range } from '../../core/metrics/model.ts';
import { formatCount, formatDuration } from '../format.ts';
import type { KpiCard, KpiStatus } from '../view.ts';

export const FIGURE_KINDS = [
  'rate',
  'money',
  'moneyPerDay',
  'multiple',
  'ratio',
  'duration',
  'days',
  'months',
  'count',
] as const;
/**
 * How a number reads: `rate` a fraction (0.121 → 12.1%); `money` in the company currency;
 * `moneyPerDay` money a day; `multiple` a ratio written `3.2×` (coverage); `ratio` written `3.2:1`
 * (LTV:CAC); `duration` milliseconds; `days`, `months`; `count` a whole number.
 */
export type FigureKind = (typeof FIGURE_KINDS)[number];

/** A value outside its band by at most this share of the edge is `warn`, not `bad`. */
export const NEAR_BAND = 0.2;
const SLACK = 1e-9;

/** Up to `places` decimals, trailing zeros dropped: 12.10 → `12.1`, 75.0 → `75`. */
export function trimmed(value: number, places: number): string {
  const text = value.toFixed(places);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A duration in words; under ten minutes to the second (`2 min 30 s`), as speed to lead is read. */
function duration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= 10 * 60_000 || abs < 1000) return formatDuration(ms);
  const minutes = Math.floor(abs / 60_000);
  const seconds = Math.floor((abs % 60_000) / 1000);
  if (minutes === 0) return `${seconds} s`;
  return seconds === 0 ? `${minutes} min` : `${minutes} min ${seconds} s`;
}

/** Writes numbers in one currency (an ISO code; an unknown one falls back to the code before the number). */
export class MetricFormat {
  readonly #whole: Intl.NumberFormat;
  readonly #cents: Intl.NumberFormat;

  constructor(readonly currency: string) {
    const make = (digits: number): Intl.NumberFormat => {
      try {
        return new Intl.NumberFormat('en-US', {
          style: 'currency',
          currency,
          minimumFractionDigits: digits,
          maximumFractionDigits: digits,
        });
      } catch {
        return new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
      }
    };
    this.#whole = make(0);
    this.#cents = make(2);
  }

  /** `$24,000`; cents only below 100 when there are any (`$12.50`). */
  money(value: number): string {
    const cents = Math.abs(value) < 100 && !Number.isInteger(value);
    const text = (cents ? this.#cents : this.#whole).format(value);
    return /\d/.test(text.charAt(0)) || text.startsWith('-') ? `${this.currency} ${text}` : text;
  }

  /** A value of `kind`; `—` for null. */
  value(value: number | null, kind: FigureKind): string {
    if (value === null || !Number.isFinite(value)) return '—';
    switch (kind) {
      case 'rate':
        return `${trimmed(value * 100, 1)}%`;
      case 'money':
        return this.money(value);
      case 'moneyPerDay':
        return `${this.money(value)} a day`;
      case 'multiple':
        return `${trimmed(value, 2)}×`;
      case 'ratio':
        return `${trimmed(value, 2)}:1`;
      case 'duration':
        return duration(value);
      case 'days':
        return `${trimmed(value, 1)} ${value === 1 ? 'day' : 'days'}`;
      case 'months':
        return `${trimmed(value, 1)} ${value === 1 ? 'month' : 'months'}`;
      case 'count':
        return formatCount(value);
    }
  }

  /** One end of a band: rates without the `%` when the other end carries it. */
  #end(value: number, kind: FigureKind, unit: boolean): string {
    if (kind === 'rate') return `${trimmed(value * 100, 1)}${unit ? '%' : ''}`;
    if (kind === 'multiple') return `${trimmed(value, 2)}${unit ? '×' : ''}`;
    return this.value(value, kind);
  }

  /** The band as text: `5–15%`, `≥ 90%`, `≤ 5 min`, `3–4×`, `3:1–5:1`; undefined for none. */
  benchmark(band: Range | undefined, kind: FigureKind): string | undefined {
    if (band === undefined) return undefined;
    const { min, max } = band;
    if (min !== undefined && max !== undefined)
      return `${this.#end(min, kind, false)}–${this.#end(max, kind, true)}`;
    if (min !== undefined) return `≥ ${this.#end(min, kind, true)}`;
    if (max !== undefined) return `≤ ${this.#end(max, kind, true)}`;
    return undefined;
  }

  /** A figure as a KPI card, with `note` under it; without a value, the reason takes the note's place. */
  card(label: string, figure: Figure, kind: FigureKind, note?: string): KpiCard {
    const card: { -readonly [K in keyof KpiCard]: KpiCard[K] } = {
      label,
      value: this.value(figure.value, kind),
      status: figureTone(figure),
    };
    const benchmark = this.benchmark(figure.benchmark, kind);
    if (benchmark !== undefined) card.benchmark = benchmark;
    const line = figure.value === null ? (figure.reason ?? 'no data in this range') : note;
    if (line !== undefined) card.note = line;
    return card;
  }

  /** A plain number as a KPI card (no benchmark). */
  plain(label: string, value: number | null, kind: FigureKind, note?: string, status?: KpiStatus): KpiCard {
    const card: { -readonly [K in keyof KpiCard]: KpiCard[K] } = { label, value: this.value(value, kind) };
    if (note !== undefined) card.note = note;
    if (status !== undefined) card.status = status;
    return card;
  }
}

/**
 * The tone of a figure: `ok` good; `n/a` neutral; `low` warn when at least 80% of the band's
 * minimum, else bad; `high` warn when at most 120% of its maximum, else bad.
 */
export function figureTone(figure: Figure): KpiStatus {
  const { value, benchmark, status } = figure;
  if (status === 'ok') return 'good';
  if (status === 'n/a' || value === null) return 'neutral';
  // The edges themselves are near (a hair of slack for 0.9 × 0.8 ≠ 0.72 in binary).
  if (status === 'low')
    return benchmark?.min !== undefined &&
      benchmark.min > 0 &&
      value >= benchmark.min * (1 - NEAR_BAND) - SLACK
      ? 'warn'
      : 'bad';
  return benchmark?.max !== undefined && value <= benchmark.max * (1 + NEAR_BAND) + SLACK ? 'warn' : 'bad';
}
