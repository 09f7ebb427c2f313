/** `lifecycle`: stages, allowed moves, entry/exit criteria, actions on entry and rejection codes. */
import { z } from 'zod';
import { actionSchema } from './actions.ts';
import { condition, duration, id } from './primitives.ts';

export const LIFECYCLE_STAGES = [
  'subscriber',
  'lead',
  'mql',
  'sql',
  'opportunity',
  'customer',
  'evangelist',
  'recycled',
  'disqualified',
] as const;
export const STAGE_OWNERS = [
  'marketing',
  'sales',
  'sdr',
  'ae',
  'cs',
  'marketing_to_sales',
  'cs_and_marketing',
] as const;
export const RECYCLE_ACTIONS = ['nurture', 'archive', 'recycle'] as const;
export const BANT = ['budget', 'authority', 'need', 'timeline'] as const;

const criterion = z.strictObject({
  description: z.string().min(1).describe('The criterion in plain words, for the documents.'),
  when: condition('lead').optional().describe('When set, the engine checks it automatically.'),
});

export const stageSchema = z.strictObject({
  id,
  name: z.string().min(1),
  owner: z.enum(STAGE_OWNERS),
  entry: z.array(criterion).default([]),
  exit: z.array(criterion).default([]),
  next: z.array(id).default([]).describe('Stages a contact may move to from here.'),
  onEntry: z.array(actionSchema).default([]),
});

export const reasonCodeSchema = z.strictObject({
  code: z.string().regex(/^[A-Z]+-\d{2}$/, { error: 'expected a reason code like `FIT-01`' }),
  reason: z.string().min(1),
  action: z.enum(RECYCLE_ACTIONS),
  after: duration.optional().describe('For `recycle`: when the lead returns to nurture.'),
  note: z.string().optional(),
});

export const lifecycleSchema = z
  .strictObject({
    stages: z.array(stageSchema).min(2),
    initialStage: id
      .default('subscriber')
      .describe('Where a brand-new contact starts before entry criteria move it.'),
    sqlRequires: z
      .strictObject({
        bant: z
          .number()
          .int()
          .min(0)
          .max(4)
          .default(2)
          .describe('How many of budget, authority, need, timeline must be confirmed.'),
      })
      .prefault({}),
    reasonCodes: z.array(reasonCodeSchema).min(1),
    recycling: z
      .strictObject({
        stage: id.default('recycled'),
        resetEngagement: z.boolean().default(true),
        keepFit: z.boolean().default(true),
        flag: z.string().default('recycled_mql'),
        nurtureSequence: z.string().default('recycled-nurture'),
        cadence: z.enum(['weekly', 'bi-weekly', 'monthly']).default('monthly'),
        archiveAfter: duration
          .prefault('6 months')
          .describe('Recycled leads with no engagement this long are archived.'),
        reMqlTriggers: z.array(z.string()).default(['demo_request', 'pricing_revisit']),
      })
      .prefault({}),
    evangelist: z
      .strictObject({
        npsMin: z.number().int().min(0).max(10).default(9),
        referral: z.boolean().default(true),
      })
      .prefault({}),
  })
  .describe('Lifecycle stages with their criteria, moves, actions and the rejection reason codes.');
