import { describe, expect, it } from 'vitest';
import type { ApprovalException, ApprovalRequest, ApprovalStatus } from '../pipeline/types.ts';
import { at } from './__fixtures__/builders.ts';
import { discountBucket, exceptionsReport } from './report.ts';

const Q1 = at('2026-01-01T00:00');
const Q2 = at('2026-04-01T00:00');

let n = 0;
function req(
  status: ApprovalStatus,
  exceptions: readonly ApprovalException[],
  options: { discount?: number; requestedAt?: number } = {},
): ApprovalRequest {
  n++;
  return {
    id: `deal-${n}:1`,
    dealId: `deal-${n}`,
    status,
    requestedAt: options.requestedAt ?? at('2026-02-10T10:00'),
    requestedBy: 'rep:sofia',
    terms: options.discount === undefined ? {} : { discountPercent: options.discount },
    exceptions,
    steps: [],
    dueAt: 0,
    escalations: [],
  };
}

const NET90: ApprovalException = { kind: 'payment_terms', detail: 'net-90 payment terms' };
const MULTI: ApprovalException = { kind: 'multi_year', detail: '24-month term' };
const CUSTOM: ApprovalException = { kind: 'custom_terms', detail: 'custom terms' };
const disc = (p: number): ApprovalException => ({ kind: 'discount', detail: `${p}% discount` });

/**
 * Ten Q1 requests (plus two outside the quarter):
 * net-90 on 5 (4 approved, 1 pending): share 50%, approval 100% → make standard;
 * 15% discounts on 4 (2 approved, 2 rejected): share 40%, approval 50% → no;
 * 25% discounts on 2 (2 approved): share 20% → no (rare);
 * multi-year on 3 (2 approved, 1 rejected): share 30%, approval 66.7% → no;
 * custom terms on 1 (pending): share 10%, no decision yet;
 * 2 standard requests without exceptions.
 */
const REQUESTS: ApprovalRequest[] = [
  req('approved', [NET90, disc(15)], { discount: 15 }),
  req('approved', [NET90, MULTI]),
  req('approved', [NET90]),
  req('approved', [NET90, disc(25)], { discount: 25 }),
  req('pending', [NET90, CUSTOM]),
  req('rejected', [disc(15), MULTI], { discount: 15 }),
  req('rejected', [disc(18)]), // bucket from the words: no discount in its terms
  req('approved', [disc(15), MULTI], { discount: 15 }),
  req('approved', [disc(30)], { discount: 30 }),
  req('approved', []),
  req('approved', []),
  req('rejected', [NET90], { requestedAt: Q2 }),
  req('rejected', [NET90], { requestedAt: Q1 - 1 }),
];

describe('exceptionsReport ("if everyone asks for the same exception, it should become standard")', () => {
  it('ranks a quarter’s exceptions by how often they are requested', () => {
    const report = exceptionsReport(REQUESTS, { from: Q1, to: Q2 });
    expect(report.requests).toBe(11);
    expect(report.rows).toEqual([
      {
        kind: 'payment_terms',
        count: 5,
        share: 5 / 11,
        approved: 4,
        rejected: 0,
        pending: 1,
        approvalRate: 1,
        recommendation: 'make_standard',
      },
      {
        kind: 'discount',
        bucket: '10-20%',
        count: 4,
        share: 4 / 11,
        approved: 2,
        rejected: 2,
        pending: 0,
        approvalRate: 0.5,
      },
      {
        kind: 'multi_year',
        count: 3,
        share: 3 / 11,
        approved: 2,
        rejected: 1,
        pending: 0,
        approvalRate: 2 / 3,
      },
      {
        kind: 'discount',
        bucket: '20-40%',
        count: 2,
        share: 2 / 11,
        approved: 2,
        rejected: 0,
        pending: 0,
        approvalRate: 1,
      },
      {
        kind: 'custom_terms',
        count: 1,
        share: 1 / 11,
        approved: 0,
        rejected: 0,
        pending: 1,
        approvalRate: null,
      },
    ]);
  });

  it('the make-standard rule sits at exactly 30% share and 80% approval', () => {
    const ten = (approved: number, rejected: number, carrying: number): ApprovalRequest[] => [
      ...Array.from({ length: approved }, () => req('approved', [NET90])),
      ...Array.from({ length: rejected }, () => req('rejected', [NET90])),
      ...Array.from({ length: 10 - carrying }, () => req('approved', [])),
    ];
    // 3 of 10 requests (30%), all approved → make standard.
    expect(exceptionsReport(ten(3, 0, 3)).rows[0]?.recommendation).toBe('make_standard');
    // 2 of 10 (20%) → not common enough.
    expect(exceptionsReport(ten(2, 0, 2)).rows[0]?.recommendation).toBeUndefined();
    // 5 of 10, 4 approved 1 rejected: 80% → make standard; 3 of 4 (75%) → no.
    expect(exceptionsReport(ten(4, 1, 5)).rows[0]?.recommendation).toBe('make_standard');
    expect(exceptionsReport(ten(3, 1, 4)).rows[0]?.recommendation).toBeUndefined();
  });

  it('counts a 40%+ discount in its own bucket; no requests, no rows', () => {
    expect(exceptionsReport([req('rejected', [disc(45)], { discount: 45 })]).rows).toEqual([
      {
        kind: 'discount',
        bucket: '40%+',
        count: 1,
        share: 1,
        approved: 0,
        rejected: 1,
        pending: 0,
        approvalRate: 0,
      },
    ]);
    expect(exceptionsReport([])).toEqual({ requests: 0, rows: [] });
  });

  it.each([
    [9.99, undefined],
    [10, '10-20%'],
    [19.99, '10-20%'],
    [20, '20-40%'],
    [39.9, '20-40%'],
    [40, '40%+'],
    [100, '40%+'],
  ])('a %s%% discount falls in %s', (percent, bucket) => {
    expect(discountBucket(percent)).toBe(bucket);
  });
});
