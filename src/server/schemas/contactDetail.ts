/**
 * One contact in full (`GET /v1/contacts/{ref}`): the list item plus where each attribute came
 * from, its account, the score now with its explanation ledger, stage history, routing decisions,
 * running SLA clocks and tasks.
 */
import { z } from 'zod';
import type { AssignmentRow } from '../../core/ports.ts';
import type { ScoreResult } from '../../core/scoring/score.ts';
import type { Attributes, Millis, StageChange } from '../../core/types.ts';
import { AccountSchema } from './accounts.ts';
import { AttributeSourceSchema, IsoTime, iso, isoOrNull, JsonSchema } from './common.ts';
import { ContactSchema } from './contacts.ts';
import { SlaClockSchema } from './sla.ts';
import { TaskSchema } from './tasks.ts';

const LedgerEntrySchema = z.object({
  ruleId: z.string(),
  label: z.string(),
  dimension: z.enum(['fit', 'engagement', 'negative', 'fast_track']),
  points: z.number(),
  decayApplied: z.number(),
  reason: z.string(),
});

export const ScoreExplanationSchema = z
  .object({
    asOf: IsoTime,
    fit: z.number(),
    engagement: z.number(),
    negative: z.number(),
    total: z.number(),
    fitPercent: z.number(),
    engagementPercent: z.number(),
    mql: z.boolean(),
    mqlReason: z.string(),
    dimensionsMet: z.boolean(),
    fastTrack: z.string().nullable(),
    excluded: z.string().nullable(),
    grades: z.object({ fit: z.string(), engagement: z.number() }),
    nextChangeAt: IsoTime.nullable(),
    ledger: z.array(LedgerEntrySchema).describe('Every rule that gave or took points'),
  })
  .meta({ id: 'ScoreExplanation' });

const StageChangeSchema = z.object({
  from: z.string().nullable(),
  to: z.string(),
  at: IsoTime,
  cause: z.string().describe('An event id, `timer:<key>` or `manual:<who>`'),
  reason: z.string(),
});

const AssignmentSchema = z.object({
  kind: z.enum(['assigned', 'kept', 'queued', 'review']),
  owner: z.string().nullable(),
  queue: z.string().nullable(),
  team: z.string().nullable(),
  rule: z.string(),
  at: IsoTime,
  trace: JsonSchema.describe('The path through the rules and every candidate rep'),
});

export const ContactDetailSchema = ContactSchema.extend({
  attributeSources: z.record(z.string(), AttributeSourceSchema).describe('Where each attribute came from'),
  accountRecord: AccountSchema.nullable(),
  explanation: ScoreExplanationSchema.nullable().describe('The score now, itemised; null without scoring'),
  stageHistory: z.array(StageChangeSchema),
  assignments: z.array(AssignmentSchema).describe('Routing decisions, oldest first'),
  slaClocks: z.array(SlaClockSchema).describe('Running SLA clocks (open, or breached and not stopped)'),
  tasks: z.array(TaskSchema),
}).meta({ id: 'ContactDetail' });

export type ContactDetailView = z.infer<typeof ContactDetailSchema>;

/** Where each attribute's value came from. Does not throw. */
export function attributeSources(
  attributes: Attributes,
): Record<string, z.infer<typeof AttributeSourceSchema>> {
  const out: Record<string, z.infer<typeof AttributeSourceSchema>> = {};
  for (const [name, a] of Object.entries(attributes))
    out[name] = { at: iso(a.at), eventId: a.eventId, source: a.source };
  return out;
}

/** The score as of `at` with its ledger. Does not throw. */
export function explanationView(r: ScoreResult, at: Millis): z.infer<typeof ScoreExplanationSchema> {
  return {
    asOf: iso(at),
    fit: r.fit,
    engagement: r.engagement,
    negative: r.negative,
    total: r.total,
    fitPercent: r.fitPercent,
    engagementPercent: r.engagementPercent,
    mql: r.mql,
    mqlReason: r.mqlReason,
    dimensionsMet: r.dimensionsMet,
    fastTrack: r.fastTrack ?? null,
    excluded: r.excluded ?? null,
    grades: { fit: r.grades.fit, engagement: r.grades.engagement },
    nextChangeAt: isoOrNull(r.nextDecayAt),
    ledger: r.ledger.map((e) => ({
      ruleId: e.ruleId,
      label: e.label,
      dimension: e.dimension,
      points: e.points,
      decayApplied: e.decayApplied,
      reason: e.reason,
    })),
  };
}

/** One stage move. Does not throw. */
export function stageChangeView(s: StageChange): z.infer<typeof StageChangeSchema> {
  return { from: s.from ?? null, to: s.to, at: iso(s.at), cause: s.cause, reason: s.reason };
}

/** One routing decision with its trace. Does not throw. */
export function assignmentView(a: AssignmentRow): z.infer<typeof AssignmentSchema> {
  return {
    kind: a.kind,
    owner: a.owner ?? null,
    queue: a.queue ?? null,
    team: a.team ?? null,
    rule: a.rule,
    at: iso(a.at),
    trace: a.trace,
  };
}
