/** `POST /v1/routing/preview`: the lead to route (as `revops route explain` reads it) and the decision. */
import { z } from 'zod';
import type { RoutePreview } from '../../engine/routePreview.ts';
import { AttributeValueSchema, IsoTime, IsoTimeQuery, iso } from './common.ts';

export const PreviewRequestSchema = z
  .object({
    contact: z
      .record(z.string(), AttributeValueSchema)
      .describe('Contact attributes as events carry them; needs `email` or `id`'),
    company: z.record(z.string(), AttributeValueSchema).optional().describe('Company attributes'),
    owner: z.string().optional().describe('The lead’s current owner (kept when a rule keeps owners)'),
    account: z
      .strictObject({ owner: z.string().optional() })
      .optional()
      .describe('`owner`: the account’s owner (sameAccountSameOwner); needs an account'),
    score: z
      .strictObject({
        fit: z.number().optional(),
        engagement: z.number().optional(),
        negative: z.number().optional(),
        total: z.number().optional(),
        mql: z.boolean().optional(),
      })
      .optional()
      .describe('Overrides of lead.score for rules that read it'),
    at: IsoTimeQuery.optional().describe('Route at this instant: PTO, working hours, period (default: now)'),
    everyRule: z
      .boolean()
      .optional()
      .describe(
        'A step for every rule tried and every territory checked, also where a long list would name a run the lead cannot match once (`ruled_out`); default false',
      ),
  })
  .strict()
  .meta({ id: 'RoutingPreviewRequest' });

const StepSchema = z.object({
  rule: z.string(),
  name: z.string(),
  path: z
    .string()
    .describe('Where it sits in the config: `routing.rules[1]`; a `ruled_out` run: `routing.rules[0..994]`'),
  matched: z.boolean(),
  outcome: z.string(),
  detail: z.string(),
});

const CandidateSchema = z.object({
  rep: z.string(),
  team: z.string(),
  status: z.enum(['chosen', 'eligible', 'skipped']),
  reason: z.string().nullable().describe('Why it was skipped (pto, inactive, capacity, hours, …)'),
  detail: z.string().nullable(),
  count: z.number(),
  weight: z.number(),
  target: z.number(),
  deficit: z.number(),
  due: z.number(),
  openLeads: z.number(),
});

export const PreviewResponseSchema = z
  .object({
    lead: z.object({
      contact: z.string(),
      account: z.string().nullable(),
      named: z.object({ owner: z.string(), tier: z.number() }).nullable(),
      stage: z.string().describe('Routed as on entering this stage'),
      owner: z.string().nullable(),
      accountOwner: z.string().nullable(),
    }),
    at: IsoTime,
    load: z.literal('none').describe('A what-if: every rep at 0 open leads and 0 today, fresh counts'),
    decision: z.object({
      kind: z.enum(['assigned', 'kept', 'queued', 'review']),
      rule: z.string(),
      owner: z.string().nullable(),
      team: z.string().nullable(),
      queue: z.string().nullable(),
      tier: z
        .object({
          tier: z.number(),
          name: z.string(),
          alert: z.enum(['instant', 'standard']),
          sla: z.string(),
        })
        .nullable(),
      pickupSla: z.string().nullable().describe('A queued lead’s pickup SLA'),
      matches: z
        .array(z.object({ domain: z.string(), name: z.string(), score: z.number() }))
        .describe('Held for review: the accounts whose names are close'),
      trace: z.object({ steps: z.array(StepSchema), candidates: z.array(CandidateSchema) }),
    }),
  })
  .meta({ id: 'RoutingPreview' });

export type PreviewResponseView = z.infer<typeof PreviewResponseSchema>;

/** The preview as the API answers it. Does not throw. */
export function previewView(p: RoutePreview, at: number): PreviewResponseView {
  const d = p.decision;
  return {
    lead: {
      contact: p.contact,
      account: p.account ?? null,
      named: p.named === undefined ? null : { owner: p.named.owner, tier: p.named.tier },
      stage: p.stage,
      owner: p.owner ?? null,
      accountOwner: p.accountOwner ?? null,
    },
    at: iso(at),
    load: 'none',
    decision: {
      kind: d.kind,
      rule: d.rule,
      owner: d.kind === 'assigned' || d.kind === 'kept' ? d.owner : null,
      team: d.kind === 'assigned' ? (d.team ?? null) : null,
      queue: d.kind === 'queued' ? d.queue : null,
      tier:
        d.kind === 'assigned' && d.tier !== undefined
          ? { tier: d.tier.tier, name: d.tier.name, alert: d.tier.alert, sla: d.tier.sla.source }
          : null,
      pickupSla: d.kind === 'queued' && d.sla !== undefined ? d.sla.source : null,
      matches:
        d.kind === 'review' ? d.matches.map((m) => ({ domain: m.domain, name: m.name, score: m.score })) : [],
      trace: {
        steps: d.trace.steps.map((s) => ({
          rule: s.rule,
          name: s.name,
          path: s.path,
          matched: s.matched,
          outcome: s.outcome,
          detail: s.detail,
        })),
        candidates: d.trace.candidates.map((c) => ({
          rep: c.rep,
          team: c.team,
          status: c.status,
          reason: c.reason ?? null,
          detail: c.detail ?? null,
          count: c.count,
          weight: c.weight,
          target: c.target,
          deficit: c.deficit,
          due: c.due,
          openLeads: c.openLeads,
        })),
      },
    },
  };
}
