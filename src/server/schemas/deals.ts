/**
 * Deals as the API shows them (`Deal` in lists, `DealDetail` with history, pushes and approval
 * requests), the list's query and the bodies that create, change and push a deal. Each `*View`
 * function builds exactly its schema's type.
 */
import { z } from 'zod';
import { DEAL_STATUSES, type DealState, type StaleFlag } from '../../core/pipeline/types.ts';
import type { ApprovalRequest } from '../../core/pipeline/types.ts';
import type { Millis } from '../../core/types.ts';
import { ApprovalSchema, approvalView } from './approvals.ts';
import { CursorQuery, IsoTime, iso, isoOrNull, JsonSchema, LimitQuery, pageOf } from './common.ts';

const DAY_MS = 86_400_000;

const StaleFlagSchema = z
  .object({
    stage: z.string().describe('The stage it went stale in'),
    since: IsoTime.describe('When its time in the stage passed the limit'),
    basis: z
      .enum(['limit', 'average'])
      .describe('`limit`: the stage’s `staleAfter`; `average`: the multiplier × the observed average'),
    limitDays: z.number().describe('The limit that was passed, in days in the stage'),
    managerAlerted: z.boolean(),
  })
  .meta({ id: 'StaleFlag' });

export const DealSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    pipeline: z.string(),
    stage: z.string(),
    status: z.enum(DEAL_STATUSES),
    account: z.string().nullable().describe('The account’s domain'),
    owner: z.string().nullable().describe('The rep id of the sales owner'),
    csOwner: z.string().nullable().describe('The customer-success owner, assigned at closed won'),
    amount: z.number().nullable(),
    currency: z.string(),
    closeDate: z.string().nullable().describe('`YYYY-MM-DD`'),
    source: z.string().nullable(),
    contacts: z.array(
      z.object({
        contact: z.string().describe('The contact key (`email:…`, `id:…`)'),
        role: z.string().describe('`primary`, `champion`, `economic_buyer`, …'),
      }),
    ),
    fields: JsonSchema.describe('Every other field: painPoints, discountPercent, termMonths, …'),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    stageEnteredAt: IsoTime,
    closedAt: IsoTime.nullable(),
    daysInStage: z.number().int().describe('Whole days since it entered its stage, as of the request'),
    stale: z.boolean().describe('Open and over its stage’s time limit, as of the request'),
    flags: z.object({
      stale: StaleFlagSchema.nullable().describe('Why it is stale, when it is'),
      skipped: z.array(z.string()).describe('Every stage it skipped, in order'),
      forecastReview: z.boolean().describe('Its close date was pushed twice or more'),
    }),
  })
  .meta({ id: 'Deal' });

export const DealPageSchema = pageOf(DealSchema).meta({ id: 'DealPage' });

export const DealDetailSchema = DealSchema.extend({
  history: z.array(
    z.object({
      from: z.string().nullable().describe('null on the first row: the deal was created there'),
      stage: z.string(),
      at: IsoTime,
      cause: z.string().describe('The event id that moved it (API and CLI changes: `cmd-<uuid>`)'),
      skipped: z.array(z.string()),
    }),
  ),
  pushes: z
    .array(
      z.object({
        at: IsoTime,
        from: z.string(),
        to: z.string(),
        slipDays: z.number().int(),
        reason: z.string(),
      }),
    )
    .describe('Every close-date change that moved the date later'),
  approvals: z.array(ApprovalSchema).describe('Its deal-desk approval requests, newest first'),
}).meta({ id: 'DealDetail' });

export const DealListQuery = z.object({
  status: z
    .enum([...DEAL_STATUSES, 'all'])
    .default('all')
    .describe('Only open, won or lost deals'),
  stage: z.string().min(1).optional().describe('Only deals in this stage'),
  owner: z.string().min(1).optional().describe('Only this rep’s deals: `priya` (or `rep:priya`)'),
  pipeline: z.string().min(1).optional().describe('Only this pipeline’s deals'),
  account: z.string().min(1).optional().describe('Only this account’s deals (its domain)'),
  stale: z
    .enum(['true', 'false'])
    .optional()
    .describe('Only stale deals (true) or only deals that are not (false), as of the request'),
  limit: LimitQuery,
  cursor: CursorQuery,
});

export const DealParams = z.object({ id: z.string().min(1).max(200).describe('The deal id') });

const FieldValues = z
  .record(z.string(), z.unknown())
  .describe('Other fields by id (`painPoints`, `discountPercent`, `termMonths`, custom ones); null clears');

/** The fields kept at the top of a deal, settable by name in a body. */
const TopFields = {
  name: z.string().max(500).nullable().optional(),
  amount: z.number().min(0).nullable().optional(),
  currency: z.string().length(3).nullable().optional().describe('ISO code, default USD'),
  closeDate: z.string().nullable().optional().describe('`YYYY-MM-DD`'),
  owner: z.string().max(200).nullable().optional().describe('The sales owner’s rep id'),
  source: z.string().max(200).nullable().optional(),
  account: z.string().max(253).optional().describe('The account’s domain (default: the contact’s)'),
};

export const DealCreateBody = z
  .strictObject(
    Object.assign(
      {
        id: z.string().min(1).max(200).describe('Your id for the deal (the CRM’s opportunity id)'),
        contact: z.email().max(254).describe('The email of the person the deal is with'),
        stage: z.string().min(1).optional().describe('Where it starts (default: the first stage)'),
        pipeline: z.string().min(1).optional().describe('Which pipeline (default: the first)'),
        fields: FieldValues.optional(),
      },
      TopFields,
    ),
  )
  .meta({ id: 'DealCreate' });

export const DealPatchBody = z
  .strictObject(
    Object.assign(
      {
        stage: z
          .string()
          .min(1)
          .optional()
          .describe('Move it to this stage (the won or lost stage closes it)'),
        status: z
          .enum(['won', 'lost'])
          .optional()
          .describe('Close it: the same as moving it to the pipeline’s won or lost stage'),
        reason: z.string().max(2000).optional().describe('Why the close date moved, when it moves later'),
        fields: FieldValues.optional(),
      },
      TopFields,
    ),
  )
  .meta({ id: 'DealPatch' });

export const CloseDateBody = z
  .strictObject({
    closeDate: z.string().describe('The new close date, `YYYY-MM-DD`'),
    reason: z.string().max(2000).optional().describe('Why it slipped: required when the date moves later'),
  })
  .meta({ id: 'CloseDateChange' });

export type DealView = z.infer<typeof DealSchema>;
export type DealDetailView = z.infer<typeof DealDetailSchema>;

/** A deal as listed, with its staleness (`staleness()` at `now`) and days in stage. Does not throw. */
export function dealView(d: DealState, now: Millis, stale: StaleFlag | undefined): DealView {
  return {
    id: d.id,
    name: d.name ?? null,
    pipeline: d.pipeline,
    stage: d.stage,
    status: d.status,
    account: d.account ?? null,
    owner: d.owner ?? null,
    csOwner: d.csOwner ?? null,
    amount: d.amount ?? null,
    currency: d.currency,
    closeDate: d.closeDate ?? null,
    source: d.source ?? null,
    contacts: d.contacts.map((c) => ({ contact: c.contactKey, role: c.role })),
    fields: Object.assign({}, d.fields),
    createdAt: iso(d.createdAt),
    updatedAt: iso(d.updatedAt),
    stageEnteredAt: iso(d.stageEnteredAt),
    closedAt: isoOrNull(d.closedAt),
    daysInStage: Math.max(0, Math.floor((now - d.stageEnteredAt) / DAY_MS)),
    stale: stale !== undefined,
    flags: {
      stale:
        stale === undefined
          ? null
          : {
              stage: stale.stage,
              since: iso(stale.since),
              basis: stale.basis,
              limitDays: stale.limitMs / DAY_MS,
              managerAlerted: stale.managerAlerted,
            },
      skipped: [...d.flags.skipped],
      forecastReview: d.flags.forecastReview,
    },
  };
}

/** A deal in full: the list view with history, pushes and its approval requests. Does not throw. */
export function dealDetailView(
  d: DealState,
  now: Millis,
  stale: StaleFlag | undefined,
  approvals: readonly ApprovalRequest[],
): DealDetailView {
  return Object.assign(dealView(d, now, stale), {
    history: d.history.map((m) => ({
      from: m.from ?? null,
      stage: m.to,
      at: iso(m.at),
      cause: m.cause,
      skipped: [...m.skipped],
    })),
    pushes: d.pushes.map((p) => ({
      at: iso(p.at),
      from: p.from,
      to: p.to,
      slipDays: p.slipDays,
      reason: p.reason,
    })),
    approvals: approvals.map((a) => approvalView(a, now)),
  });
}
