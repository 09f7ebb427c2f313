/**
 * Deal desk: approval requests raised in [from, to) for deals that pass the filters — how many,
 * how they ended, how long a decision took, and which exceptions triggered them.
 */
import type { ApprovalRequest, DealState, ExceptionKind } from '../pipeline/types.ts';
import type { Context } from './context.ts';
import { median, ms } from './figures.ts';

export interface DealDeskMetrics {
  readonly requested: number;
  readonly approved: number;
  readonly rejected: number;
  readonly pending: number;
  /** Median time from request to decision of the decided ones, wall milliseconds. */
  readonly medianDecisionMs: number | null;
  /** Requests that escalated at least once. */
  readonly escalated: number;
  /** Requests per exception kind (a request may have several), most first. */
  readonly byException: readonly { readonly kind: ExceptionKind; readonly requests: number }[];
}

export function dealDeskMetrics(
  ctx: Context,
  approvals: readonly ApprovalRequest[],
  deals: ReadonlyMap<string, DealState>,
): DealDeskMetrics {
  const mine = approvals.filter((a) => {
    const deal = deals.get(a.dealId);
    return (
      ctx.inWindow(a.requestedAt) &&
      (deal === undefined ? ctx.query.team === undefined && ctx.query.source === undefined : ctx.dealIn(deal))
    );
  });
  const kinds = new Map<ExceptionKind, number>();
  for (const a of mine)
    for (const kind of new Set(a.exceptions.map((e) => e.kind))) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  const decided = mine.flatMap((a) => (a.decidedAt === undefined ? [] : [a.decidedAt - a.requestedAt]));
  return {
    requested: mine.length,
    approved: mine.filter((a) => a.status === 'approved').length,
    rejected: mine.filter((a) => a.status === 'rejected').length,
    pending: mine.filter((a) => a.status === 'pending').length,
    medianDecisionMs: ms(median(decided)),
    escalated: mine.filter((a) => a.escalations.length > 0).length,
    byException: [...kinds.entries()]
      .map(([kind, requests]) => ({ kind, requests }))
      .sort((a, b) => b.requests - a.requests || a.kind.localeCompare(b.kind)),
  };
}
