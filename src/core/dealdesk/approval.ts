/**
 * Approval requests (revops-SKILL.md "Approval Workflow Tiers"): which tiers a deal's terms match,
 * who must approve, votes, and escalation when approvers sit on a request past the approval SLA.
 *
 * - `requestApproval`: the matching tiers in config order (every one under `match: all`, the first
 *   under `match: first`) become the request's steps. A tier without approvers is approved at once.
 *   A request whose steps are all approved (a standard deal, or a deal no tier matched) is approved
 *   at once and returns **no effects**: the request itself (status `approved`, `decidedAt` and
 *   `dueAt` = the request time) is the record, and the exceptions, if any, stay logged on it for
 *   the report. Otherwise it is pending: every approver of a pending step gets one
 *   `approval_requested` message, and an `approval-due:<id>` timer fires at `dueAt`.
 * - `decideApproval`: a vote applies to every pending step that names the approver. `all` steps
 *   need every approver, `any` steps one; a rejection (which must give a reason) rejects the step
 *   and the whole request. When the request is decided the owner hears (`approval_decided`) and the
 *   due timer is cancelled.
 * - `escalateApproval`: the fired due timer. A request still pending is escalated to `escalateTo`
 *   (`approval_escalated`) and given one more SLA; after `MAX_ESCALATIONS` notices the next firing
 *   is only recorded, with no message and no further timer.
 *
 * Effect keys derive from the request id (`<dealId>:<n>`), so the same decision twice writes the
 * same rows.
 */
import type { Building } from '../building.ts';
import type { Effect, FiredTimer, OutboxEffect } from '../effects.ts';
import { RevopsError } from '../errors.ts';
import type {
  ApprovalException,
  ApprovalRequest,
  ApprovalStatus,
  ApprovalStep,
  ApprovalVote,
  DealState,
} from '../pipeline/types.ts';
import type { Duration } from '../time/duration.ts';
import type { AttributeValue, ContactKey, JsonObject, JsonValue, Millis } from '../types.ts';
import { reviewExceptions } from './exceptions.ts';
import type { ApprovalTierModel, DealDeskModel } from './model.ts';
import { dealRuleContext, dealTerms } from './terms.ts';

/** Overdue notices per request; a later firing is recorded without a message or a new timer. */
export const MAX_ESCALATIONS = 3;

/** What a decision returns: the request as it now stands and what to write with it. */
export interface ApprovalOutcome {
  readonly request: ApprovalRequest;
  readonly effects: Effect[];
}

export interface RequestApprovalContext {
  readonly at: Millis;
  /** Who asked (a rep id, `api:<key>`, `automation:<id>`). */
  readonly requestedBy: string;
  /** The n-th request of this deal (1-based): the request id is `<dealId>:<n>`. */
  readonly sequence: number;
  /** `manager`/`owner`/`backup` → `rep:<id>` for this deal's owner; `role:x`, `rep:x` unchanged. */
  readonly resolve: (recipient: string) => string;
  /** `start` plus a duration in the deal desk's calendar (business time for `2 business days`). */
  readonly addTime: (start: Millis, duration: Duration) => Millis;
  /** The account's company attributes, for tiers that read `company.*`. */
  readonly company?: Readonly<Record<string, AttributeValue>>;
}

export interface ApprovalVoteInput {
  /** The approver as the request names it (`rep:maria`, `role:finance`). */
  readonly approver: string;
  readonly decision: 'approve' | 'reject';
  /** Required for a rejection: the rep needs the reason. */
  readonly comment?: string;
  readonly at: Millis;
  /** Who actually answered (a user or key id), when not the approver itself. */
  readonly by?: string;
}

export interface EscalationContext {
  readonly resolve: (recipient: string) => string;
  readonly addTime: (start: Millis, duration: Duration) => Millis;
  /** `dealDesk.escalateTo` (unresolved). */
  readonly escalateTo: string;
  /** `dealDesk.approvalSla`: the time the escalation gives before the next one. */
  readonly approvalSla: Duration;
  /** The deal's first contact, to file the effects under. */
  readonly contactKey?: ContactKey;
}

/** One tier as the deal met it, for explanations. */
export interface TierTrace {
  readonly tier: string;
  readonly matched: boolean;
  /** Why the rule was false at run time (a missing field), when it was. */
  readonly error?: string;
}

/** The timer key of a request's approval SLA. */
export function approvalTimerKey(requestId: string): string {
  return `approval-due:${requestId}`;
}

/** The request id a fired `approval_due` timer names, or undefined for another timer. */
export function approvalTimerRef(timer: Pick<FiredTimer, 'payload'>): string | undefined {
  const approval = timer.payload['approval'];
  return timer.payload['kind'] === 'approval_due' && typeof approval === 'string' ? approval : undefined;
}

/** The tiers a deal matches (config order; only the first under `match: first`) and a per-tier trace. */
export function matchTiers(
  deal: DealState,
  model: DealDeskModel,
  company?: Readonly<Record<string, AttributeValue>>,
): { readonly tiers: ApprovalTierModel[]; readonly trace: TierTrace[] } {
  const context = dealRuleContext(deal, company);
  const tiers: ApprovalTierModel[] = [];
  const trace: TierTrace[] = [];
  for (const tier of model.tiers) {
    const { value, error } = tier.when.explain(context);
    trace.push(
      error === undefined ? { tier: tier.id, matched: value } : { tier: tier.id, matched: value, error },
    );
    if (value && (model.match === 'all' || tiers.length === 0)) tiers.push(tier);
  }
  return { tiers, trace };
}

/** Approvers of pending steps who have not voted there, each once, in step order. */
export function waitingOn(request: ApprovalRequest): string[] {
  const out: string[] = [];
  for (const step of request.steps) {
    if (step.status !== 'pending') continue;
    for (const approver of step.approvers) {
      if (!out.includes(approver) && !step.votes.some((v) => v.approver === approver)) out.push(approver);
    }
  }
  return out;
}

function iso(at: Millis): string {
  return new Date(at).toISOString();
}

function firstContact(deal: DealState): ContactKey | undefined {
  return deal.contacts[0]?.contactKey;
}

function outbox(
  key: string,
  type: string,
  at: Millis,
  payload: JsonObject,
  contactKey: ContactKey | undefined,
): OutboxEffect {
  return contactKey === undefined
    ? { kind: 'outbox', key, type, at, payload }
    : { kind: 'outbox', key, type, contactKey, at, payload };
}

function exceptionsJson(exceptions: readonly ApprovalException[]): JsonValue[] {
  return exceptions.map((e) => ({ kind: e.kind, detail: e.detail }));
}

/** The deal as messages name it. */
function dealJson(deal: DealState, amount: number | undefined): JsonObject {
  const out: { [key: string]: JsonValue } = { id: deal.id };
  if (deal.name !== undefined) out['name'] = deal.name;
  if (amount !== undefined) out['amount'] = amount;
  out['currency'] = deal.currency;
  if (deal.owner !== undefined) out['owner'] = deal.owner;
  return out;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/**
 * Opens the deal's `ctx.sequence`-th approval request against the deal desk tiers. Throws
 * `RangeError` for a sequence that is not a positive integer (a caller bug).
 */
export function requestApproval(
  deal: DealState,
  model: DealDeskModel,
  ctx: RequestApprovalContext,
): ApprovalOutcome {
  if (!Number.isInteger(ctx.sequence) || ctx.sequence < 1) {
    throw new RangeError(`approval sequence must be a positive integer, got ${ctx.sequence}`);
  }
  const id = `${deal.id}:${ctx.sequence}`;
  const terms = dealTerms(deal);
  const exceptions = reviewExceptions(deal, model);
  const steps: ApprovalStep[] = matchTiers(deal, model, ctx.company).tiers.map((tier) => {
    const approvers = unique(tier.approvers.map((a) => ctx.resolve(a)));
    return {
      tier: tier.id,
      name: tier.name,
      approvers,
      mode: tier.mode,
      votes: [],
      status: approvers.length === 0 ? 'approved' : 'pending',
    };
  });
  const base = {
    id,
    dealId: deal.id,
    requestedAt: ctx.at,
    requestedBy: ctx.requestedBy,
    terms,
    exceptions,
    steps,
    escalations: [],
  };
  if (steps.every((s) => s.status === 'approved')) {
    return {
      request: Object.assign(base, { status: 'approved' as const, dueAt: ctx.at, decidedAt: ctx.at }),
      effects: [],
    };
  }
  const dueAt = ctx.addTime(ctx.at, model.approvalSla);
  const request: ApprovalRequest = Object.assign(base, { status: 'pending' as const, dueAt });
  const contactKey = firstContact(deal);
  const effects: Effect[] = [];
  for (const approver of waitingOn(request)) {
    const mine = steps.filter((s) => s.status === 'pending' && s.approvers.includes(approver));
    effects.push(
      outbox(
        `approval-requested:${id}:${approver}`,
        'approval_requested',
        ctx.at,
        {
          to: approver,
          approval: id,
          deal: dealJson(deal, terms.amount),
          tier: mine[0]?.tier ?? '',
          tiers: mine.map((s) => ({ id: s.tier, name: s.name, mode: s.mode, approvers: [...s.approvers] })),
          exceptions: exceptionsJson(exceptions),
          requestedBy: ctx.requestedBy,
          dueAt: iso(dueAt),
        },
        contactKey,
      ),
    );
  }
  effects.push(
    contactKey === undefined
      ? { kind: 'timer', key: approvalTimerKey(id), dueAt, payload: { kind: 'approval_due', approval: id } }
      : {
          kind: 'timer',
          key: approvalTimerKey(id),
          dueAt,
          contactKey,
          payload: { kind: 'approval_due', approval: id },
        },
  );
  return { request, effects };
}

function stepAfter(step: ApprovalStep, vote: ApprovalVote): ApprovalStep {
  const votes = [...step.votes, vote];
  let status: ApprovalStatus;
  if (vote.decision === 'reject') status = 'rejected';
  else if (step.mode === 'any') status = 'approved';
  else {
    const approved = step.approvers.every((a) =>
      votes.some((v) => v.approver === a && v.decision === 'approve'),
    );
    status = approved ? 'approved' : 'pending';
  }
  return { tier: step.tier, name: step.name, approvers: step.approvers, mode: step.mode, votes, status };
}

function requestStatus(steps: readonly ApprovalStep[]): ApprovalStatus {
  if (steps.some((s) => s.status === 'rejected')) return 'rejected';
  return steps.every((s) => s.status === 'approved') ? 'approved' : 'pending';
}

/**
 * Records one approver's vote on a pending request. Throws `RevopsError`:
 * `approval.not_pending` when the request is already decided; `approval.not_an_approver` when the
 * approver is on no pending step (the message lists who can decide); `approval.invalid_request`
 * for a second vote by the same approver, a rejection without a comment, or a deal that is not the
 * request's.
 */
export function decideApproval(
  request: ApprovalRequest,
  vote: ApprovalVoteInput,
  deal: DealState,
): ApprovalOutcome {
  if (request.status !== 'pending') {
    throw new RevopsError('approval.not_pending', `approval ${request.id} is already ${request.status}`, {
      hint: 'request a new approval if the deal’s terms have changed',
    });
  }
  if (deal.id !== request.dealId) {
    throw new RevopsError(
      'approval.invalid_request',
      `approval ${request.id} belongs to deal ${request.dealId}, not ${deal.id}`,
      { hint: `decide it with deal ${request.dealId}` },
    );
  }
  const open = (s: ApprovalStep): boolean =>
    s.status === 'pending' &&
    s.approvers.includes(vote.approver) &&
    !s.votes.some((v) => v.approver === vote.approver);
  if (!request.steps.some(open)) {
    const waiting = waitingOn(request);
    if (request.steps.some((s) => s.votes.some((v) => v.approver === vote.approver))) {
      throw new RevopsError(
        'approval.invalid_request',
        `${vote.approver} has already voted on approval ${request.id}`,
        {
          hint: `each approver votes once; still waiting on ${waiting.join(', ')}`,
        },
      );
    }
    throw new RevopsError(
      'approval.not_an_approver',
      `${vote.approver} is not an approver of approval ${request.id}; it waits on ${waiting.join(', ')}`,
      { hint: `vote as one of: ${waiting.join(', ')}` },
    );
  }
  const comment = vote.comment?.trim();
  if (vote.decision === 'reject' && (comment === undefined || comment === '')) {
    throw new RevopsError(
      'approval.invalid_request',
      `a rejection of approval ${request.id} needs a comment`,
      {
        hint: 'say why, so the rep knows what terms would pass',
      },
    );
  }
  const building: Building<ApprovalVote> = { approver: vote.approver, decision: vote.decision, at: vote.at };
  if (comment !== undefined && comment !== '') building.comment = comment;
  if (vote.by !== undefined) building.by = vote.by;
  const recorded = building as ApprovalVote;
  const steps = request.steps.map((s) => (open(s) ? stepAfter(s, recorded) : s));
  const status = requestStatus(steps);
  if (status === 'pending') {
    return { request: Object.assign({}, request, { steps }), effects: [] };
  }
  const decided: ApprovalRequest = Object.assign({}, request, { steps, status, decidedAt: vote.at });
  const owner = deal.owner === undefined ? 'unassigned' : `rep:${deal.owner}`;
  const payload: { [key: string]: JsonValue } = {
    to: owner,
    approval: request.id,
    deal: dealJson(deal, dealTerms(deal).amount),
    status,
    decidedBy: vote.approver,
    decidedAt: iso(vote.at),
    exceptions: exceptionsJson(request.exceptions),
  };
  if (vote.by !== undefined) payload['by'] = vote.by;
  if (recorded.comment !== undefined) payload['comment'] = recorded.comment;
  return {
    request: decided,
    effects: [
      outbox(`approval-decided:${request.id}`, 'approval_decided', vote.at, payload, firstContact(deal)),
      { kind: 'cancelTimer', key: approvalTimerKey(request.id) },
    ],
  };
}

/**
 * The fired `approval-due` timer. A decided request, or a firing before the request's `dueAt` (a
 * stale timer), changes nothing. Otherwise the escalation is recorded; the first `MAX_ESCALATIONS`
 * also notify `escalateTo` and move `dueAt` one SLA past `at` with a new timer. Never throws
 * (except as `addTime` does).
 */
export function escalateApproval(
  request: ApprovalRequest,
  at: Millis,
  ctx: EscalationContext,
): ApprovalOutcome {
  if (request.status !== 'pending' || at < request.dueAt) return { request, effects: [] };
  const to = ctx.resolve(ctx.escalateTo);
  const escalations = [...request.escalations, { to, at }];
  const n = escalations.length;
  if (n > MAX_ESCALATIONS) {
    return { request: Object.assign({}, request, { escalations }), effects: [] };
  }
  const dueAt = ctx.addTime(at, ctx.approvalSla);
  const key = approvalTimerKey(request.id);
  const payload: JsonObject = {
    to,
    recipient: ctx.escalateTo,
    approval: request.id,
    deal: request.dealId,
    escalation: n,
    waitingOn: waitingOn(request),
    requestedAt: iso(request.requestedAt),
    overdueSince: iso(request.dueAt),
    exceptions: exceptionsJson(request.exceptions),
    dueAt: iso(dueAt),
  };
  const timerPayload = { kind: 'approval_due', approval: request.id };
  return {
    request: Object.assign({}, request, { escalations, dueAt }),
    effects: [
      outbox(`approval-escalated:${request.id}:${n}`, 'approval_escalated', at, payload, ctx.contactKey),
      ctx.contactKey === undefined
        ? { kind: 'timer', key, dueAt, payload: timerPayload }
        : { kind: 'timer', key, dueAt, contactKey: ctx.contactKey, payload: timerPayload },
    ],
  };
}
