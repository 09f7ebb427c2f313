/**
 * Durations as RevOps teams write them: wall-clock (`5m`, `48h`, `2 weeks`) or business time
 * (`4 business hours`, `3 business days`), plus `end of business day` for "same business day" SLAs.
 */

export const DURATION_UNITS = ['minute', 'hour', 'day', 'week', 'month'] as const;
export type DurationUnit = (typeof DURATION_UNITS)[number];

export type Duration =
  | {
      readonly kind: 'duration';
      /** Counted in business time (calendar hours, weekdays, holidays) rather than wall-clock time. */
      readonly business: boolean;
      readonly amount: number;
      readonly unit: DurationUnit;
      /** The text as written, for explanations. */
      readonly source: string;
    }
  | { readonly kind: 'endOfBusinessDay'; readonly business: true; readonly source: string };

const UNIT_WORDS: Readonly<Record<string, DurationUnit>> = {
  m: 'minute',
  min: 'minute',
  mins: 'minute',
  minute: 'minute',
  minutes: 'minute',
  h: 'hour',
  hr: 'hour',
  hrs: 'hour',
  hour: 'hour',
  hours: 'hour',
  d: 'day',
  day: 'day',
  days: 'day',
  w: 'week',
  wk: 'week',
  wks: 'week',
  week: 'week',
  weeks: 'week',
  mo: 'month',
  month: 'month',
  months: 'month',
};

/** The accepted shapes, also used as the JSON Schema `pattern` for editors. */
export const DURATION_PATTERN =
  '^\\s*(?:(?:end of|same) business day|(\\d+(?:\\.\\d+)?)\\s*(business\\s+)?(m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?|mo|months?))\\s*$';
const DURATION_RE = new RegExp(DURATION_PATTERN, 'i');

export const DURATION_HINT =
  'expected a duration like `5m`, `4h`, `48 hours`, `4 business hours`, `3 business days`, `2 weeks` or `same business day`';

/** Parses a duration; returns `undefined` when the text is not one. */
export function parseDuration(text: string): Duration | undefined {
  const match = DURATION_RE.exec(text);
  if (!match) return undefined;
  const source = text.trim();
  const [, amountText, businessWord, unitWord] = match;
  if (amountText === undefined || unitWord === undefined) {
    return { kind: 'endOfBusinessDay', business: true, source };
  }
  const unit = UNIT_WORDS[unitWord.toLowerCase()];
  const amount = Number(amountText);
  if (unit === undefined || !Number.isFinite(amount)) return undefined;
  return { kind: 'duration', business: businessWord !== undefined, amount, unit, source };
}

const WALL_MINUTES: Readonly<Record<DurationUnit, number>> = {
  minute: 1,
  hour: 60,
  day: 1440,
  week: 10080,
  month: 43200, // 30 days: months in decay and recycling windows are "30-day months"
};

/** Wall-clock minutes of a non-business duration (a month counts 30 days). */
export function wallMinutes(duration: Duration): number {
  if (duration.kind !== 'duration') return 0;
  return duration.amount * WALL_MINUTES[duration.unit];
}
