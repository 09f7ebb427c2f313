/** `routing`: the ordered decision tree, named accounts, ABM tiers and the fallback queue. */
import { z } from 'zod';
import { condition, duration, id } from './primitives.ts';

export const TARGET_PATTERN = /^(account_owner|territory|(rep|team|queue):[a-z][a-z0-9_-]*)$/;
export const target = z.string().regex(TARGET_PATTERN, {
  error: 'expected a target: `account_owner`, `territory`, `rep:<id>`, `team:<id>` or `queue:<id>`',
});

export interface RoutingRuleInput {
  id: string;
  name: string;
  when?: string | undefined;
  to?: string | undefined;
  rules?: RoutingRuleInput[] | undefined;
  keepOwner?: boolean | undefined;
  skills?: string[] | undefined;
}

export const routingRuleSchema = z.strictObject({
  id,
  name: z.string().min(1),
  when: condition('lead')
    .optional()
    .describe(
      'No `when` matches every lead (a catch-all); with `to: territory` it matches leads inside any territory.',
    ),
  to: target.optional().describe('Where matching leads go; omit when nested rules decide.'),
  keepOwner: z.boolean().optional().describe('Keep an existing owner (default: routing.keepExistingOwner).'),
  skills: z
    .array(z.string().min(1))
    .optional()
    .describe(
      'Only reps with all these skills (team.reps[].skills) take the lead; nested rules add their own to the ones they inherit.',
    ),
  get rules() {
    return z
      .array(routingRuleSchema)
      .optional()
      .describe('Nested rules, tried in order when this one matches.');
  },
});

export const routingSchema = z
  .strictObject({
    on: z.array(id).default(['mql']).describe('Lifecycle stages whose entry routes the lead.'),
    keepExistingOwner: z.boolean().default(true),
    sameAccountSameOwner: z.boolean().default(true),
    namedAccounts: z
      .array(
        z.strictObject({
          domain: z
            .string()
            .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, { error: 'expected a domain like `acme.com`' }),
          name: z.string().optional(),
          owner: id,
          tier: z.number().int().min(1).max(3).default(2),
        }),
      )
      .default([]),
    fuzzyNameMatch: z
      .strictObject({
        enabled: z.boolean().default(true),
        threshold: z.number().min(0.5).max(1).default(0.92),
      })
      .prefault({})
      .describe('A company-name match to a named account goes to review, never silently routed.'),
    tiers: z
      .array(
        z.strictObject({
          tier: z.number().int().min(1).max(3),
          name: z.string().min(1),
          alert: z.enum(['instant', 'standard']).default('standard'),
          sla: duration,
        }),
      )
      .default([]),
    rules: z.array(routingRuleSchema).min(1, { error: 'routing needs at least one rule' }),
    fallback: z.strictObject({ queue: id }).describe('Where a lead goes when no rep is available.'),
  })
  .describe('Lead routing: an ordered decision tree, most specific first.');
