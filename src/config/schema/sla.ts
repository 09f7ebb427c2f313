/** `sla`: handoff clocks in business or wall time, what stops them, and their escalation ladders. */
import { z } from 'zod';
import { actionSchema } from './actions.ts';
import { condition, duration, id } from './primitives.ts';
import { SLA_ESCALATION_ACTIONS, SLA_STOP_SIGNALS } from '../../core/sla/model.ts';

/** The stop signals and escalation actions core/sla runs (one list, there). */
export const STOP_SIGNALS = SLA_STOP_SIGNALS;
export const ESCALATION_ACTIONS = SLA_ESCALATION_ACTIONS;

const startSchema = z.union(
  [
    z.strictObject({ stage: id }),
    z.strictObject({ event: z.string().min(1), when: condition('event').optional() }),
    z.strictObject({ assigned: z.literal(true) }),
    z.strictObject({ dealStage: id }),
  ],
  {
    error:
      'expected a start: `{ stage: mql }`, `{ event: meeting, when: ... }`, `{ assigned: true }` or `{ dealStage: demo }`',
  },
);

const stopSchema = z.union(
  [
    z.enum(STOP_SIGNALS),
    z.strictObject({ stage: id }),
    z.strictObject({ dealStage: id }),
    z.strictObject({ event: z.string().min(1), when: condition('event').optional() }),
  ],
  {
    error: `expected a stop: one of ${STOP_SIGNALS.join(', ')}, or \`{ stage: sql }\`, \`{ dealStage: proposal }\`, \`{ event: ... }\``,
  },
);

export const escalationStepSchema = z.strictObject({
  after: duration.describe('Measured from the clock start.'),
  action: z.enum(ESCALATION_ACTIONS),
  channel: id.optional().describe('For notify_channel.'),
  flag: z.string().optional().describe('For flag: the flag to raise (e.g. `pipeline_review`).'),
  message: z.string().optional(),
});

export const clockSchema = z.strictObject({
  id,
  name: z.string().min(1),
  start: startSchema,
  stop: z.array(stopSchema).min(1, { error: 'a clock needs at least one stop signal (usually `touch`)' }),
  target: duration,
  calendar: z.enum(['company', 'owner']).default('company').describe('Whose business hours count.'),
  escalation: z.array(escalationStepSchema).default([]),
  onBreach: z.array(actionSchema).default([]),
});

export const slaSchema = z
  .strictObject({ clocks: z.array(clockSchema).default([]) })
  .describe('SLA clocks per handoff with escalation ladders.');
