/**
 * The value types revops.yaml is written in: ids, durations, money, percentages, clock times,
 * dates, time zones and CEL conditions. Each reads the friendly text form and outputs a typed value.
 */
import { z } from 'zod';
import { DURATION_HINT, DURATION_PATTERN, parseDuration, type Duration } from '../../core/time/duration.ts';
import type { CompiledRule, RuleScope } from '../../core/rule.ts';
import { compileRule } from '../cel.ts';

/** An identifier used for cross references: lower-case letters, digits, `-` and `_`. */
export const id = z
  .string()
  .regex(/^[a-z][a-z0-9_-]*$/, {
    error:
      'expected an id of lower-case letters, digits, `-` or `_`, starting with a letter (like `mid-market`)',
  })
  .meta({ description: 'An id: lower-case letters, digits, `-` and `_`.' });

export const duration = z
  .string({ error: DURATION_HINT })
  .regex(new RegExp(DURATION_PATTERN, 'i'), { error: DURATION_HINT })
  .transform((text): Duration => parseDuration(text) as Duration)
  .meta({
    description: 'A duration: `5m`, `4h`, `48 hours`, `4 business hours`, `3 business days`, `2 weeks`.',
  });

const MONEY_PATTERN = '^\\s*\\$?\\s*\\d[\\d,]*(?:\\.\\d+)?\\s*[kKmM]?\\s*$';
const MONEY_HINT = 'expected an amount like `25000`, `"$25,000"`, `25k` or `1.2M`';

/** Parses `$25,000`, `25k`, `1.2M` into a number of currency units. */
export function parseMoney(value: number | string): number {
  if (typeof value === 'number') return value;
  const text = value.replace(/[\s$,]/g, '');
  const suffix = text.slice(-1).toLowerCase();
  const factor = suffix === 'k' ? 1_000 : suffix === 'm' ? 1_000_000 : 1;
  return Number(factor === 1 ? text : text.slice(0, -1)) * factor;
}

export const money = z
  .union([z.number().nonnegative(), z.string().regex(new RegExp(MONEY_PATTERN))], { error: MONEY_HINT })
  .transform(parseMoney)
  .meta({ description: 'An amount in the company currency: `25000`, `"$25,000"`, `25k`, `1.2M`.' });

const PERCENT_HINT = 'expected a percentage like `30%` or `30` (0 to 100)';

/** A percentage, written `30%` or `30`; the value is the fraction (0.3). */
export const percent = z
  .union([z.number().min(0).max(100), z.string().regex(/^\s*\d+(?:\.\d+)?\s*%\s*$/)], { error: PERCENT_HINT })
  .transform((value, ctx) => {
    const n = typeof value === 'number' ? value : Number(value.replace('%', '').trim());
    if (n > 100) {
      ctx.issues.push({
        code: 'custom',
        message: `${n}% is above 100%`,
        input: value,
        params: { code: 'config.out_of_range' },
      });
      return z.NEVER;
    }
    return n / 100;
  })
  .meta({ description: 'A percentage: `30%` or `30`.' });

/** A calendar date `YYYY-MM-DD`. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date like `2026-12-24` (YYYY-MM-DD)' })
  .refine(
    (s) =>
      !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      error: 'not a real calendar date',
    },
  );

/** A wall-clock time `HH:MM`. */
export const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a time like `09:00` (24-hour HH:MM)' });

/** Opening hours for a day: `09:00-17:00`, several ranges, or `closed`. */
export const dayHours = z.union(
  [
    z.literal('closed'),
    z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/),
    z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-4]):[0-5]\d$/)),
  ],
  { error: 'expected opening hours like `09:00-17:00`, a list of such ranges, or `closed`' },
);

const knownZones = new Set(Intl.supportedValuesOf('timeZone'));
knownZones.add('UTC');

/** An IANA time zone such as `America/New_York`. */
export const timeZone = z.string().refine((zone) => knownZones.has(zone), {
  error: (issue) =>
    `unknown time zone \`${String(issue.input)}\`: use an IANA name like \`America/New_York\` or \`Europe/Berlin\``,
});

/**
 * A CEL condition, compiled and type-checked while the config is parsed. Errors carry the CEL
 * offset so the loader can point at the exact column inside the YAML string.
 */
export function condition(scope: RuleScope) {
  return z
    .string({ error: 'expected a condition: a CEL expression in quotes, like `company.employees >= 500`' })
    .min(1, { error: 'a condition cannot be empty' })
    .transform((source, ctx): CompiledRule => {
      const result = compileRule(source, '', scope);
      if (result.ok) return result.rule;
      for (const problem of result.issues) {
        ctx.issues.push({
          code: 'custom',
          message: problem.message,
          input: source,
          params: { code: problem.code, celOffset: problem.offset, hint: problem.hint },
        });
      }
      return z.NEVER;
    })
    .meta({ description: `A CEL condition (scope: ${scope}).` });
}

/** Marks an issue raised by a refinement with our stable code and a hint. */
export function custom(code: string, message: string, hint?: string) {
  return { code: 'custom' as const, message, params: { code, hint } };
}
