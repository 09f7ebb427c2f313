/** `automations`: trigger → conditions → actions; the reference's recipes ship as ready ones. */
import { z } from 'zod';
import { actionSchema } from './actions.ts';
import { clockTime, condition, duration, id } from './primitives.ts';
import { WEEKDAYS } from './calendar.ts';

export const triggerSchema = z.discriminatedUnion(
  'on',
  [
    z.strictObject({ on: z.literal('event'), event: z.string().min(1), when: condition('event').optional() }),
    z.strictObject({ on: z.literal('stage_entered'), stage: id }),
    z.strictObject({
      on: z.literal('score_crossed'),
      threshold: z.number().optional().describe('Defaults to the MQL threshold.'),
      direction: z.enum(['up', 'down']).default('up'),
    }),
    z.strictObject({ on: z.literal('sla_breached'), clock: id }),
    z.strictObject({ on: z.literal('deal_stage'), stage: id }),
    z.strictObject({
      on: z.literal('schedule'),
      every: z.enum(['hour', 'day', 'weekday', 'week']),
      at: clockTime.optional(),
      weekday: z.enum(WEEKDAYS).optional(),
    }),
    z.strictObject({ on: z.literal('no_show'), after: duration.prefault('30m') }),
    z.strictObject({ on: z.literal('dormant_returns'), after: duration.prefault('30d') }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' && issue.note === 'No matching discriminator'
        ? 'unknown trigger: `on` must be one of event, stage_entered, score_crossed, sla_breached, deal_stage, schedule, no_show, dormant_returns'
        : undefined,
  },
);

export const automationSchema = z.strictObject({
  id,
  name: z.string().min(1),
  enabled: z.boolean().default(true),
  trigger: triggerSchema,
  when: condition('lead').optional(),
  actions: z.array(actionSchema).min(1, { error: 'an automation needs at least one action' }),
});

export const automationsSchema = z.array(automationSchema).describe('Workflow automations.');
