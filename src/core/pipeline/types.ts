/**
 * Deals (opportunities) and deal-desk approvals as the engine keeps them. A deal is a pure value:
 * core/pipeline decides what a `deal` event does to it, core/dealdesk what its terms need approved,
 * core/metrics reads deals for the pipeline figures. Times are epoch milliseconds.
 */
import type { ContactKey, JsonValue, Millis } from '../types.ts';

export const DEAL_STATUSES = ['open', 'won', 'lost'] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

/** A field value on a deal: what an event or the API can set (`null` clears it). */
export type DealFieldValue = JsonValue;

/** A contact attached to a deal, with its buying role (`primary`, `champion`, `economic_buyer`, …). */
export interface DealContact {
  readonly contactKey: ContactKey;
  readonly role: string;
}

/** One stage move of a deal (the first row has `from: undefined`: the deal was created there). */
export interface DealStageMove {
  readonly from?: string;
  readonly to: string;
  readonly at: Millis;
  /** The event id (or `api:<actor>`, `timer:<key>`) that caused it. */
  readonly cause: string;
  /** Open stages jumped over by this move, in pipeline order (empty: none). */
  readonly skipped: readonly string[];
}

/** A close-date change that moved the date later. */
export interface CloseDatePush {
  readonly at: Millis;
  /** ISO dates (`2026-12-15`). */
  readonly from: string;
  readonly to: string;
  /** Calendar days the date slipped by. */
  readonly slipDays: number;
  readonly reason: string;
  readonly cause: string;
}

/** A deal over its stage's time limit. */
export interface StaleFlag {
  /** The stage it went stale in; cleared when the deal leaves it. */
  readonly stage: string;
  /** When it went stale (the limit passed). */
  readonly since: Millis;
  /** `limit`: over the stage's `staleAfter`; `average`: over `averageMultiplier` × the observed average. */
  readonly basis: 'limit' | 'average';
  /** The limit that was passed, in milliseconds of time in stage. */
  readonly limitMs: number;
  /** Whether the owner's manager has been alerted too (7 days after the owner by default). */
  readonly managerAlerted: boolean;
}

export interface DealFlags {
  /** Every skip this deal made (a move's `skipped` stages, flattened, in order). */
  readonly skipped: readonly string[];
  readonly stale?: StaleFlag;
  /** Two or more close-date pushes (the pipeline's `forecastReviewAfter`). */
  readonly forecastReview: boolean;
}

export interface DealState {
  readonly id: string;
  readonly pipeline: string;
  readonly stage: string;
  readonly status: DealStatus;
  readonly name?: string;
  /** The account's domain (registrable domain of the company). */
  readonly account?: string;
  /** Rep id of the owner. */
  readonly owner?: string;
  readonly amount?: number;
  readonly currency: string;
  /** ISO date `YYYY-MM-DD`. */
  readonly closeDate?: string;
  readonly source?: string;
  readonly contacts: readonly DealContact[];
  /** Every other field (built-in and custom): `painPoints`, `discountPercent`, `termMonths`, … */
  readonly fields: Readonly<Record<string, DealFieldValue>>;
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
  readonly stageEnteredAt: Millis;
  /** When it was won or lost. */
  readonly closedAt?: Millis;
  readonly history: readonly DealStageMove[];
  readonly pushes: readonly CloseDatePush[];
  readonly flags: DealFlags;
  /** Customer-success owner assigned at closed won. */
  readonly csOwner?: string;
}

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/** Why a deal needs review (the exceptions log counts these). */
export const EXCEPTION_KINDS = [
  'acv_over_threshold',
  'discount',
  'payment_terms',
  'multi_year',
  'custom_terms',
] as const;
export type ExceptionKind = (typeof EXCEPTION_KINDS)[number];

export interface ApprovalException {
  readonly kind: ExceptionKind;
  /** In words, with the figure: `25% discount`, `net-90 payment terms`, `36-month term`. */
  readonly detail: string;
}

/** One approver's answer. */
export interface ApprovalVote {
  /** The approver as configured after resolution (`rep:maria`, `role:finance`). */
  readonly approver: string;
  readonly decision: 'approve' | 'reject';
  readonly comment?: string;
  readonly at: Millis;
  /** Who actually answered (a user or key id), when not the approver itself. */
  readonly by?: string;
}

/** A tier a deal matched, with the approvers it needs. */
export interface ApprovalStep {
  readonly tier: string;
  readonly name: string;
  /** Empty: the tier approves by itself (standard pricing). */
  readonly approvers: readonly string[];
  readonly mode: 'all' | 'any';
  readonly votes: readonly ApprovalVote[];
  readonly status: ApprovalStatus;
}

export interface ApprovalRequest {
  /** `<dealId>:<n>` — the deal's n-th request. */
  readonly id: string;
  readonly dealId: string;
  readonly status: ApprovalStatus;
  readonly requestedAt: Millis;
  readonly requestedBy: string;
  /** The deal terms reviewed (amount, discountPercent, termMonths, paymentTerms, customTerms). */
  readonly terms: Readonly<Record<string, DealFieldValue>>;
  readonly exceptions: readonly ApprovalException[];
  readonly steps: readonly ApprovalStep[];
  /** When it escalates if still undecided (the deal desk's approval SLA in business time). */
  readonly dueAt: Millis;
  /** Escalations so far (recipient and when). */
  readonly escalations: readonly { readonly to: string; readonly at: Millis }[];
  readonly decidedAt?: Millis;
}
