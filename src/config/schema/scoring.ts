/**
 * `scoring`: fit (attribute buckets), engagement (behaviour signals with counts and decay),
 * negative signals, combination, the MQL rule, grades, account roll-up and recalibration.
 */
import { z } from 'zod';
import { EVENT_TYPES } from '../../core/events/catalog.ts';
import { condition, duration, id, percent } from './primitives.ts';

export const SCORING_MODELS = ['weighted', 'additive'] as const;
export const RECALIBRATION = ['monthly', 'quarterly', 'semi-annually'] as const;
export const NEGATIVE_BUILTINS = [
  'competitor_domain',
  'free_mail',
  'student_domain',
  'invalid_phone',
] as const;
export const NEGATIVE_EFFECTS = [
  'none',
  'flag_review',
  'exclude_from_scoring',
  'suppress_everything',
] as const;
export const DECAY_FROM = ['occurrence', 'last_activity'] as const;

/** Attribute paths a range or list bucket may test. */
export const BUCKET_ATTRIBUTE = /^(contact|company|account)\.[a-zA-Z]+$/;

const DECAY_TEXT =
  /^\s*-?\s*(\d+(?:\.\d+)?)\s+(?:points?\s+)?per\s+(\d+\s+)?(minute|hour|day|week|month)s?(\s+inactive)?\s*$/i;
const DECAY_HINT = 'expected a decay like `5 per week`, `5 per 2 weeks`, `5 per month inactive`, or `none`';

const decayObject = z.strictObject({
  points: z.number().positive(),
  every: duration,
  from: z.enum(DECAY_FROM).default('occurrence'),
});

/** Linear step decay: `5 per week` (from the occurrence), `5 per month inactive` (from last activity). */
export const decay = z
  .union([z.literal('none'), z.string().regex(DECAY_TEXT), decayObject], { error: DECAY_HINT })
  .transform((value) => {
    if (value === 'none') return undefined;
    if (typeof value !== 'string') return value;
    const m = DECAY_TEXT.exec(value);
    if (!m) return undefined;
    const [, points, count, unit, inactive] = m;
    const every = decayObject.shape.every.parse(`${count ? count.trim() : '1'} ${unit ?? 'week'}`);
    return {
      points: Number(points),
      every,
      from: inactive ? ('last_activity' as const) : ('occurrence' as const),
    };
  });

const rangeBucket = z.strictObject({
  attribute: z.string().regex(BUCKET_ATTRIBUTE, { error: 'expected an attribute like `company.employees`' }),
  min: z.number().optional().describe('Inclusive lower bound.'),
  max: z.number().optional().describe('Inclusive upper bound.'),
});
const listBucket = z.strictObject({
  attribute: z.string().regex(BUCKET_ATTRIBUTE, { error: 'expected an attribute like `contact.seniority`' }),
  values: z.array(z.string().min(1)).min(1),
});

export const fitBucketSchema = z.strictObject({
  label: z.string().min(1),
  points: z.number(),
  when: condition('attributes').optional().describe('Any CEL condition over contact, company, account.'),
  range: rangeBucket.optional().describe('Shorthand: an attribute between min and max (inclusive).'),
  in: listBucket.optional().describe('Shorthand: an attribute equal to one of the values.'),
});

export const fitGroupSchema = z.strictObject({
  id,
  label: z.string().min(1),
  buckets: z.array(fitBucketSchema).min(1),
});

export const signalSchema = z.strictObject({
  id,
  label: z.string().min(1),
  intent: z.enum(['high', 'medium', 'low', 'product']).default('medium'),
  event: z.string().min(1).describe('The event type that counts (see the event catalog).'),
  when: condition('event')
    .optional()
    .describe('Which of those events count, e.g. `event.properties.category == "pricing"`.'),
  points: z.number(),
  frequency: z
    .enum(['once', 'each'])
    .default('once')
    .describe('`once` per contact, or `each` occurrence (see `max`).'),
  max: z.number().int().positive().optional().describe('For `each`: occurrences counted at most.'),
  count: z
    .strictObject({
      atLeast: z.number().int().min(2),
      within: duration.optional().describe('Occurrences must fall within this window.'),
      distinctDays: z
        .boolean()
        .default(false)
        .describe('Count distinct days, not events ("daily active 5+ days").'),
    })
    .optional()
    .describe('Awarded when this many matching events happened.'),
  decay: decay.prefault('none'),
});

export const negativeRuleSchema = z.strictObject({
  id,
  label: z.string().min(1),
  points: z.number().max(0, { error: 'negative signals take points of 0 or less, like `-20`' }),
  builtin: z.enum(NEGATIVE_BUILTINS).optional().describe('A signal the engine detects itself.'),
  when: condition('attributes').optional().describe('An attribute condition.'),
  event: z.string().optional().describe('A behaviour: this event type (with `on`).'),
  on: condition('event').optional().describe('Which events of `event` count.'),
  inactiveFor: duration
    .optional()
    .describe('No activity for this long (only `event` / `on` activity when those are given).'),
  onlyVisited: z
    .array(z.string())
    .optional()
    .describe('Page categories that, when they are all a contact ever viewed, trigger this.'),
  effect: z.enum(NEGATIVE_EFFECTS).default('none'),
});

const gradeThresholds = z.strictObject({
  A: z.number().min(0).max(100).default(75),
  B: z.number().min(0).max(100).default(50),
  C: z.number().min(0).max(100).default(25),
});
const engagementGrades = z.strictObject({
  '1': z.number().min(0).max(100).default(75),
  '2': z.number().min(0).max(100).default(50),
  '3': z.number().min(0).max(100).default(25),
});

export const scoringSchema = z
  .strictObject({
    model: z.enum(SCORING_MODELS).default('weighted'),
    weights: z
      .strictObject({ fit: percent, engagement: percent })
      .describe('Weighted model: shares that add up to 100%.'),
    threshold: z.number().positive().describe('MQL threshold on the total score.'),
    fitMin: z
      .number()
      .min(0)
      .default(0)
      .describe('Minimum fit (percent of max for weighted, points for additive).'),
    engagementMin: z.number().min(0).default(0).describe('Minimum engagement, on the same scale as fitMin.'),
    fitMax: z
      .number()
      .positive()
      .optional()
      .describe('Overrides the fit maximum (default: sum of each group best bucket).'),
    engagementMax: z
      .number()
      .positive()
      .optional()
      .describe('Overrides the engagement maximum (default: sum of positive signals).'),
    caps: z
      .strictObject({
        fit: z.number().positive().optional(),
        engagement: z.number().positive().optional(),
        negative: z.number().max(0).optional(),
        total: z.number().positive().optional(),
      })
      .prefault({}),
    fastTrack: z
      .array(
        z.strictObject({
          id,
          label: z.string().min(1),
          event: z.string().min(1),
          when: condition('event').optional(),
        }),
      )
      .default([])
      .describe('High-intent actions that make an MQL at once when fit passes fitMin.'),
    fit: z.strictObject({ groups: z.array(fitGroupSchema).min(1) }),
    engagement: z.strictObject({ signals: z.array(signalSchema).min(1) }),
    negative: z.array(negativeRuleSchema).default([]),
    grades: z
      .strictObject({ fit: gradeThresholds.prefault({}), engagement: engagementGrades.prefault({}) })
      .prefault({}),
    account: z
      .strictObject({
        rollup: z.enum(['sum', 'max', 'average']).default('sum'),
        buyingCommittee: z
          .strictObject({
            contacts: z.number().int().min(2).default(3),
            within: duration.prefault('30d'),
            minEngagement: z
              .number()
              .min(0)
              .default(10)
              .describe('Engagement points that make a contact "engaged".'),
          })
          .prefault({}),
      })
      .prefault({}),
    recalibration: z.enum(RECALIBRATION).describe('How often to re-check the threshold against outcomes.'),
  })
  .describe('Lead scoring: fit, engagement with decay, negative signals and the MQL rule.');

export { EVENT_TYPES };
