/**
 * Close-date discipline: a later close date is a push — it needs a reason (unless the pipeline
 * says otherwise), its slip in calendar days is recorded, and the `forecastReviewAfter`-th push
 * flags the deal for forecast review. An earlier date is a pull-in: recorded as a change only. Pure.
 */
import type { Millis } from '../types.ts';
import type { PipelineDefModel } from './model.ts';
import type { CloseDatePush, DealState } from './types.ts';

const DAY = 86_400_000;

/** Calendar days from one ISO date to another (positive: later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
}

export type CloseDateOutcome =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'pull_in' }
  | { readonly kind: 'push'; readonly push: CloseDatePush; readonly forecastReview: boolean }
  | {
      readonly kind: 'reason_required';
      readonly from: string;
      readonly to: string;
      readonly slipDays: number;
    };

/** What moving the close date from the deal's to `to` is; `reviewNow` is true at the crossing only. */
export function closeDateChange(
  deal: DealState,
  to: string,
  reason: string | undefined,
  pipeline: PipelineDefModel,
  at: Millis,
  cause: string,
): CloseDateOutcome {
  const from = deal.closeDate;
  if (from === undefined || from === to) return { kind: 'unchanged' };
  const slipDays = daysBetween(from, to);
  if (slipDays < 0) return { kind: 'pull_in' };
  if (reason === undefined && pipeline.closeDate.pushReasonRequired)
    return { kind: 'reason_required', from, to, slipDays };
  const push: CloseDatePush = { at, from, to, slipDays, reason: reason ?? '(no reason given)', cause };
  const count = deal.pushes.length + 1;
  return { kind: 'push', push, forecastReview: count === pipeline.closeDate.forecastReviewAfter };
}
