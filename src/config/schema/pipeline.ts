/** `pipeline`: deal stages, required fields, skips, staleness, close-date discipline, CS handoff. */
import { z } from 'zod';
import { actionSchema } from './actions.ts';
import { duration, id, percent } from './primitives.ts';

export const FIELD_TYPES = [
  'text',
  'number',
  'money',
  'percent',
  'date',
  'boolean',
  'list',
  'contact',
  'rep',
] as const;
/** Deal fields every pipeline knows without declaring them. */
export const BUILTIN_DEAL_FIELDS = [
  'name',
  'account',
  'owner',
  'amount',
  'currency',
  'closeDate',
  'source',
  'contacts',
  'fitScore',
  'lossReason',
  'competitor',
  'signedContract',
  'paymentTerms',
  'discountPercent',
  'termMonths',
] as const;

export const dealStageSchema = z.strictObject({
  id,
  name: z.string().min(1),
  kind: z.enum(['open', 'won', 'lost']).default('open'),
  probability: percent.optional().describe('Forecast probability of deals in this stage.'),
  required: z.array(z.string().min(1)).default([]).describe('Fields that must be filled to enter the stage.'),
  exit: z.string().optional().describe('Exit criterion in plain words.'),
  staleAfter: duration.optional().describe('Time in stage after which the deal is stale.'),
  onEntry: z.array(actionSchema).default([]),
});

export const pipelineDefSchema = z.strictObject({
  id,
  name: z.string().min(1),
  stages: z.array(dealStageSchema).min(2),
  skips: z
    .enum(['flag', 'block'])
    .default('flag')
    .describe('Jumping over a stage: flag it, or refuse the move.'),
  stale: z
    .strictObject({
      averageMultiplier: z
        .number()
        .min(1)
        .default(2)
        .describe('Also stale beyond this multiple of the stage average.'),
      alertTask: z
        .strictObject({ title: z.string().min(1), due: duration })
        .prefault({ title: 'Update or close the deal', due: '3 business days' }),
      managerAfter: duration
        .prefault('7d')
        .describe('Manager alert when still stale this long after the owner alert.'),
    })
    .prefault({}),
  closeDate: z
    .strictObject({
      pushReasonRequired: z.boolean().default(true),
      forecastReviewAfter: z
        .number()
        .int()
        .min(1)
        .default(2)
        .describe('Pushes that flag the deal for forecast review.'),
    })
    .prefault({}),
  closedWon: z
    .strictObject({
      contactsBecome: id.default('customer'),
      csTeam: id.optional().describe('Team that receives the handoff through routing.'),
      kickoff: z
        .strictObject({ title: z.string().min(1), due: duration })
        .prefault({ title: 'Schedule kickoff call', due: '2 business days' }),
      stopSequences: z.boolean().default(true),
    })
    .prefault({}),
});

export const pipelineSchema = z
  .strictObject({
    fields: z
      .array(
        z.strictObject({
          id: z
            .string()
            .regex(/^[a-z][a-zA-Z0-9]*$/, { error: 'expected a camelCase field id like `painPoints`' }),
          label: z.string().min(1),
          type: z.enum(FIELD_TYPES),
          options: z.array(z.string()).optional(),
        }),
      )
      .default([]),
    pipelines: z.array(pipelineDefSchema).min(1),
  })
  .describe('Deal pipelines with required fields and hygiene rules.');
