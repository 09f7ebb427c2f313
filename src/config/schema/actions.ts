/**
 * Actions: what a stage entry, an SLA escalation or an automation makes happen. Each becomes an
 * effect written in the same transaction as the decision. Recipients are written as
 * `owner`, `backup`, `manager`, `rep:<id>`, `team:<id>`, `channel:<id>` or `role:<role>`.
 */
import { z } from 'zod';
import { duration, id } from './primitives.ts';

export const RECIPIENT_PATTERN =
  /^(owner|backup|manager|previous_owner|cs_owner|(rep|team|channel|role|queue):[a-z][a-z0-9_-]*)$/;
export const recipient = z.string().regex(RECIPIENT_PATTERN, {
  error:
    'expected a recipient: `owner`, `backup`, `manager`, `rep:<id>`, `team:<id>`, `channel:<id>` or `role:<role>`',
});

export const SEQUENCE_OPS = ['enroll', 'suppress', 'pause', 'resume', 'stop'] as const;

export const actionSchema = z.discriminatedUnion(
  'do',
  [
    z.strictObject({
      do: z.literal('notify'),
      to: z.union([recipient, z.array(recipient).min(1)]),
      message: z.string().min(1).describe('What the alert says; fields like `{contact.name}` are filled in.'),
      urgent: z.boolean().default(false),
    }),
    z.strictObject({
      do: z.literal('create_task'),
      title: z.string().min(1),
      due: duration,
      assignee: recipient.default('owner'),
    }),
    z.strictObject({
      do: z.literal('assign'),
      via: z
        .enum(['routing', 'reassign'])
        .default('routing')
        .describe('`reassign` excludes the current owner.'),
      team: id.optional().describe('Route within this team only (e.g. the CS team).'),
    }),
    z.strictObject({ do: z.literal('set_stage'), stage: id }),
    z.strictObject({
      do: z.literal('sequence'),
      op: z.enum(SEQUENCE_OPS),
      sequence: z.string().min(1).describe('The nurture or sales sequence name in your outreach tool.'),
    }),
    z.strictObject({ do: z.literal('reset_engagement') }),
    z.strictObject({ do: z.literal('set_flag'), flag: z.string().regex(/^[a-z][a-z0-9_]*$/) }),
    z.strictObject({
      do: z.literal('log_activity'),
      window: duration.prefault('30d').describe('How far back to summarise.'),
    }),
    z.strictObject({ do: z.literal('request_approval') }),
    z.strictObject({ do: z.literal('webhook'), channel: id, payload: z.string().optional() }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' && issue.note === 'No matching discriminator'
        ? 'unknown action: `do` must be one of notify, create_task, assign, set_stage, sequence, reset_engagement, set_flag, log_activity, request_approval, webhook'
        : undefined,
  },
);
