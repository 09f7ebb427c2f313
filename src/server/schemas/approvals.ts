/**
 * Deal-desk approval requests as the API shows them, the list's query, the decision body and the
 * exceptions report. Each `*View` function builds exactly its schema's type.
 */
import { z } from 'zod';
import {
  DISCOUNT_BUCKETS,
  MAKE_STANDARD_APPROVAL_RATE,
  MAKE_STANDARD_SHARE,
  type ExceptionsReport,
} from '../../core/dealdesk/report.ts';
import { waitingOn } from '../../core/dealdesk/approval.ts';
import { APPROVAL_STATUSES, EXCEPTION_KINDS, type ApprovalRequest } from '../../core/pipeline/types.ts';
import type { Millis } from '../../core/types.ts';
import { CursorQuery, IsoTime, iso, isoOrNull, JsonSchema, LimitQuery, pageOf } from './common.ts';

const ApprovalVoteSchema = z.object({
  approver: z.string().describe('The approver the vote counts for: `rep:dan`, `role:finance`'),
  decision: z.enum(['approve', 'reject']),
  comment: z.string().nullable(),
  at: IsoTime,
  by: z.string().nullable().describe('Who actually answered (`key:<id>`, `cli`), when recorded'),
});

const ApprovalStepSchema = z.object({
  tier: z.string().describe('The tier id (`dealDesk.tiers[].id`)'),
  name: z.string(),
  approvers: z.array(z.string()).describe('Resolved: `manager` of the owner is `rep:<id>`; empty: auto'),
  mode: z.enum(['all', 'any']).describe('`all`: every approver must approve; `any`: one is enough'),
  status: z.enum(APPROVAL_STATUSES),
  votes: z.array(ApprovalVoteSchema),
});

export const ApprovalSchema = z
  .object({
    id: z.string().describe('`<dealId>:<n>`: the deal’s n-th request'),
    deal: z.string().describe('The deal id'),
    status: z.enum(APPROVAL_STATUSES),
    requestedAt: IsoTime,
    requestedBy: z.string(),
    terms: JsonSchema.describe('The terms reviewed: amount, discountPercent, termMonths, paymentTerms, …'),
    exceptions: z
      .array(z.object({ kind: z.enum(EXCEPTION_KINDS), detail: z.string() }))
      .describe('Why the deal is non-standard, in words with the figure'),
    steps: z.array(ApprovalStepSchema).describe('One per tier the terms matched, in config order'),
    waitingOn: z.array(z.string()).describe('Approvers whose vote is still needed (empty once decided)'),
    dueAt: IsoTime.describe('When it escalates if still pending (the deal desk’s approval SLA)'),
    overdue: z.boolean().describe('Pending and past its due time, as of the request'),
    escalations: z.array(z.object({ to: z.string(), at: IsoTime })),
    decidedAt: IsoTime.nullable(),
  })
  .meta({ id: 'Approval' });

export const ApprovalPageSchema = pageOf(ApprovalSchema).meta({ id: 'ApprovalPage' });

export const ApprovalListQuery = z.object({
  status: z
    .enum([...APPROVAL_STATUSES, 'all'])
    .default('all')
    .describe('Only requests in this status (default: all)'),
  deal: z.string().min(1).max(200).optional().describe('Only this deal’s requests'),
  limit: LimitQuery,
  cursor: CursorQuery,
});

export const ApprovalParams = z.object({
  id: z.string().min(1).max(210).describe('The request id, `<dealId>:<n>` (URL-encode it)'),
});

export const ApprovalDecisionBody = z
  .strictObject({
    approver: z
      .string()
      .min(1)
      .max(200)
      .describe('Who the vote is for, as the request names it: `role:vp_sales`, `rep:dan`'),
    decision: z.enum(['approve', 'reject']),
    comment: z.string().max(2000).optional().describe('Why; required for a rejection'),
  })
  .meta({ id: 'ApprovalDecision' });

/** A day (`2026-10-01`, midnight UTC) or an instant with a zone, as epoch milliseconds. */
const DayOrTime = z
  .string()
  .refine((t) => /^\d{4}-\d{2}-\d{2}$/.test(t) || /^\d{4}-\d{2}-\d{2}T.+(Z|[+-]\d{2}:?\d{2})$/.test(t), {
    error: 'a date (2026-10-01) or an ISO instant with a zone (2026-10-01T00:00:00Z)',
  })
  .transform((t) => Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(t) ? `${t}T00:00:00Z` : t))
  .refine((ms) => !Number.isNaN(ms), { error: 'not a real date' });

export const ExceptionsQuery = z.object({
  from: DayOrTime.optional().describe(
    'Requests made at or after this (a date is midnight UTC); default: the first',
  ),
  to: DayOrTime.optional().describe('Requests made before this; default: no end'),
});

export const ExceptionsReportSchema = z
  .object({
    from: IsoTime.nullable().describe('The range’s start; null: from the first request'),
    to: IsoTime.nullable().describe('The range’s end (excluded); null: up to the last request'),
    requests: z.number().int().describe('Approval requests made in the range, standard ones too'),
    makeStandardWhen: z
      .object({ share: z.number(), approvalRate: z.number() })
      .describe('The rule: a row at least this common and this often approved should become standard'),
    rows: z.array(
      z.object({
        kind: z.enum(EXCEPTION_KINDS),
        bucket: z.enum(DISCOUNT_BUCKETS).nullable().describe('Discount rows: the tier of the discount'),
        count: z.number().int().describe('Requests carrying this exception'),
        share: z.number().describe('count / requests, 0 to 1'),
        approved: z.number().int(),
        rejected: z.number().int(),
        pending: z.number().int(),
        approvalRate: z.number().nullable().describe('approved / decided, 0 to 1; null while none decided'),
        recommendation: z
          .enum(['make_standard'])
          .nullable()
          .describe('`make_standard`: so common and so often granted it should be standard terms'),
      }),
    ),
  })
  .meta({ id: 'ExceptionsReport' });

export type ApprovalView = z.infer<typeof ApprovalSchema>;
export type ExceptionsReportView = z.infer<typeof ExceptionsReportSchema>;

/** An approval request as the API shows it, `overdue` as of `now`. Does not throw. */
export function approvalView(a: ApprovalRequest, now: Millis): ApprovalView {
  return {
    id: a.id,
    deal: a.dealId,
    status: a.status,
    requestedAt: iso(a.requestedAt),
    requestedBy: a.requestedBy,
    terms: Object.assign({}, a.terms),
    exceptions: a.exceptions.map((e) => ({ kind: e.kind, detail: e.detail })),
    steps: a.steps.map((s) => ({
      tier: s.tier,
      name: s.name,
      approvers: [...s.approvers],
      mode: s.mode,
      status: s.status,
      votes: s.votes.map((v) => ({
        approver: v.approver,
        decision: v.decision,
        comment: v.comment ?? null,
        at: iso(v.at),
        by: v.by ?? null,
      })),
    })),
    waitingOn: a.status === 'pending' ? waitingOn(a) : [],
    dueAt: iso(a.dueAt),
    overdue: a.status === 'pending' && a.dueAt <= now,
    escalations: a.escalations.map((e) => ({ to: e.to, at: iso(e.at) })),
    decidedAt: isoOrNull(a.decidedAt),
  };
}

/** The exceptions report as the API shows it. Does not throw. */
export function exceptionsReportView(
  report: ExceptionsReport,
  from: Millis | undefined,
  to: Millis | undefined,
): ExceptionsReportView {
  return {
    from: isoOrNull(from),
    to: isoOrNull(to),
    requests: report.requests,
    makeStandardWhen: { share: MAKE_STANDARD_SHARE, approvalRate: MAKE_STANDARD_APPROVAL_RATE },
    rows: report.rows.map((r) => ({
      kind: r.kind,
      bucket: r.bucket ?? null,
      count: r.count,
      share: r.share,
      approved: r.approved,
      rejected: r.rejected,
      pending: r.pending,
      approvalRate: r.approvalRate,
      recommendation: r.recommendation ?? null,
    })),
  };
}
