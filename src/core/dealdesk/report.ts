/**
 * The exceptions log as a report (revops-SKILL.md "Non-Standard Terms Handling": document every
 * exception, track which get requested most, review quarterly). Each approval request counts once
 * for each kind of exception it carries; discounts are split into the reference's tiers
 * (`10-20%`, `20-40%`, `40%+`). Rows are ranked by how many requests carry them (ties: the order of
 * `EXCEPTION_KINDS`, then the buckets in order).
 *
 * Per row: `share` = requests carrying it / all requests in the range (standard ones too);
 * `approvalRate` = approved / (approved + rejected), null while none is decided.
 *
 * The rule ("if everyone asks for the same exception, it should become standard"): a row gets
 * `recommendation: 'make_standard'` when `share ≥ MAKE_STANDARD_SHARE` (30%) and
 * `approvalRate ≥ MAKE_STANDARD_APPROVAL_RATE` (80%): it is both common and nearly always granted,
 * so reviewing it one deal at a time only slows deals down. Others get no recommendation.
 */
import type { Building } from '../building.ts';
import { EXCEPTION_KINDS, type ApprovalRequest, type ExceptionKind } from '../pipeline/types.ts';
import type { Millis } from '../types.ts';

export const MAKE_STANDARD_SHARE = 0.3;
export const MAKE_STANDARD_APPROVAL_RATE = 0.8;

export const DISCOUNT_BUCKETS = ['10-20%', '20-40%', '40%+'] as const;
export type DiscountBucket = (typeof DISCOUNT_BUCKETS)[number];

export interface ExceptionsReportRow {
  readonly kind: ExceptionKind;
  /** Discount rows only: the tier the discount falls in. */
  readonly bucket?: DiscountBucket;
  readonly count: number;
  /** count / requests in the range, 0–1. */
  readonly share: number;
  readonly approved: number;
  readonly rejected: number;
  readonly pending: number;
  /** approved / (approved + rejected), 0–1; null when none is decided yet. */
  readonly approvalRate: number | null;
  readonly recommendation?: 'make_standard';
}

export interface ExceptionsReport {
  /** Requests in the range (`from` ≤ requestedAt < `to`), with or without exceptions. */
  readonly requests: number;
  readonly rows: ExceptionsReportRow[];
}

/** The discount tier of a percentage; undefined under 10% (standard pricing). */
export function discountBucket(percent: number): DiscountBucket | undefined {
  if (percent >= 40) return '40%+';
  if (percent >= 20) return '20-40%';
  if (percent >= 10) return '10-20%';
  return undefined;
}

/** The request's discount: from its terms, else the figure in the exception's words (`25% discount`). */
function discountOf(request: ApprovalRequest, detail: string): number | undefined {
  const value = request.terms['discountPercent'];
  if (typeof value === 'number') return value;
  const match = /(\d+(?:\.\d+)?)\s*%/.exec(detail);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

interface Tally {
  kind: ExceptionKind;
  bucket?: DiscountBucket;
  order: number;
  count: number;
  approved: number;
  rejected: number;
  pending: number;
}

/** Ranks the exceptions of `requests` made in [`from`, `to`). Never throws. */
export function exceptionsReport(
  requests: readonly ApprovalRequest[],
  options: { readonly from?: Millis; readonly to?: Millis } = {},
): ExceptionsReport {
  const inRange = requests.filter(
    (r) =>
      (options.from === undefined || r.requestedAt >= options.from) &&
      (options.to === undefined || r.requestedAt < options.to),
  );
  const tallies = new Map<string, Tally>();
  for (const request of inRange) {
    const seen = new Set<string>();
    for (const exception of request.exceptions) {
      const bucket =
        exception.kind === 'discount'
          ? discountBucket(discountOf(request, exception.detail) ?? 0)
          : undefined;
      const key = bucket === undefined ? exception.kind : `${exception.kind}:${bucket}`;
      if (seen.has(key)) continue;
      seen.add(key);
      let tally = tallies.get(key);
      if (tally === undefined) {
        const order =
          EXCEPTION_KINDS.indexOf(exception.kind) * 10 +
          (bucket === undefined ? 0 : 1 + DISCOUNT_BUCKETS.indexOf(bucket));
        tally = { kind: exception.kind, order, count: 0, approved: 0, rejected: 0, pending: 0 };
        if (bucket !== undefined) tally.bucket = bucket;
        tallies.set(key, tally);
      }
      tally.count++;
      tally[request.status]++;
    }
  }
  const rows = [...tallies.values()]
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .map((t): ExceptionsReportRow => {
      const decided = t.approved + t.rejected;
      const share = t.count / inRange.length;
      const approvalRate = decided === 0 ? null : t.approved / decided;
      const standard =
        share >= MAKE_STANDARD_SHARE && approvalRate !== null && approvalRate >= MAKE_STANDARD_APPROVAL_RATE;
      const row: Building<ExceptionsReportRow> = { kind: t.kind };
      if (t.bucket !== undefined) row.bucket = t.bucket;
      row.count = t.count;
      row.share = share;
      row.approved = t.approved;
      row.rejected = t.rejected;
      row.pending = t.pending;
      row.approvalRate = approvalRate;
      if (standard) row.recommendation = 'make_standard';
      return row as ExceptionsReportRow;
    });
  return { requests: inRange.length, rows };
}
