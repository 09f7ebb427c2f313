import { describe, expect, it } from 'vitest';
import { DAY_MS, deal, input, lead, model, MON } from './__fixtures__/builders.ts';
import { economicsMetrics } from './economics.ts';
import type { EconomicsInputs } from './model.ts';

const Q1 = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) };
const NOW = Q1.to;
const won = (id: string, closedAt: number, account?: string) =>
  deal(
    Object.assign(
      {
        id,
        status: 'won' as const,
        closedAt,
        amount: 12_000,
        moves: [['qualified', closedAt - 30 * DAY_MS] as const],
      },
      account === undefined ? {} : { account },
    ),
  );

const economicsModel = (economics: EconomicsInputs = { arpa: 1000, grossMargin: 0.8, monthlyChurn: 0.015 }) =>
  model({
    spend: [
      { period: '2026-Q1', sales: 90_000, marketing: 60_000, bySource: { paid: 30_000, webinar: 10_000 } },
      { period: '2025-Q4', sales: 1, marketing: 1 },
      { period: '2026-04', sales: 1, marketing: 1 }, // outside the range
    ],
    economics,
  });

function quarter() {
  const mql = (key: string, source: string, at = MON) => lead({ key, source, at, path: ['lead', 'mql'] });
  return input({
    deals: [
      won('A', MON, 'a.com'),
      won('A2', MON + 20 * DAY_MS, 'a.com'), // a.com's second win: not a new customer
      won('B0', Date.UTC(2025, 10, 1), 'b.com'),
      won('B', MON, 'b.com'), // b.com was a customer in 2025
      won('C', MON + DAY_MS), // no account: counts alone
      won('E', MON + 2 * DAY_MS, 'e.com'),
      deal({ id: 'L', status: 'lost', closedAt: MON, account: 'l.com' }),
    ],
    leads: [
      mql('p1', 'paid'),
      mql('p2', 'paid'),
      mql('p3', 'paid'),
      lead({
        key: 'p4',
        source: 'paid',
        at: Date.UTC(2025, 11, 1),
        path: ['mql', 'recycled', 'mql'],
        step: 40 * DAY_MS,
      }),
      mql('s1', 'seo'),
      mql('s2', 'seo'),
    ],
  });
}

describe('unit economics', () => {
  it('gives CAC, LTV (1000 × 0.8 ÷ 0.015), LTV:CAC and payback', () => {
    const e = economicsMetrics(quarter(), economicsModel(), Q1, NOW);
    expect(e.spend).toEqual({ periods: ['2026-Q1'], sales: 90_000, marketing: 60_000, total: 150_000 });
    expect(e.newCustomers).toBe(3); // a.com, deal C, e.com
    expect(e.cac).toEqual({ value: 50_000, status: 'n/a' });
    expect(e.ltv).toEqual({ value: 53_333.33, status: 'n/a' });
    expect(e.ltvToCac).toEqual({ value: 1.07, benchmark: { min: 3, max: 5 }, status: 'low' });
    expect(e.paybackMonths).toEqual({ value: 62.5, status: 'n/a' }); // 50,000 ÷ (1000 × 0.8)
  });

  it('gives the cost per MQL by source from the spend by source', () => {
    const e = economicsMetrics(quarter(), economicsModel(), Q1, NOW);
    expect(e.costPerMql).toEqual({
      total: { value: 12_000, status: 'n/a' }, // $60,000 ÷ 5 MQLs (p4 first became an MQL in December)
      bySource: [
        { source: 'paid', spend: 30_000, mqls: 3, costPerMql: 10_000 },
        { source: 'webinar', spend: 10_000, mqls: 0, costPerMql: null },
      ],
    });
    const paid = economicsMetrics(quarter(), economicsModel(), Object.assign({ source: 'paid' }, Q1), NOW);
    expect(paid.costPerMql.bySource.map((s) => s.source)).toEqual(['paid']);
  });

  it('is null with a reason when an input is missing', () => {
    const noLtv = economicsMetrics(quarter(), economicsModel({ grossMargin: 0.8 }), Q1, NOW);
    expect(noLtv.ltv).toEqual({
      value: null,
      status: 'n/a',
      reason: 'set metrics.economics.arpa (average revenue per account per month)',
    });
    expect(noLtv.ltvToCac).toMatchObject({ value: null, status: 'n/a', reason: noLtv.ltv.reason });
    const january = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 1, 1) };
    const noSpend = economicsMetrics(quarter(), economicsModel(), january, NOW);
    expect(noSpend.cac.reason).toMatch(/^no spend for a period inside the range: add a `metrics.spend` row/);
    expect(noSpend.spend.periods).toEqual([]);
    const noCustomers = economicsMetrics(input({}), economicsModel(), Q1, NOW);
    expect(noCustomers.cac).toEqual({ value: null, status: 'n/a', reason: 'no new customer in 2026-Q1' });
    expect(noCustomers.paybackMonths.reason).toBe('no new customer in 2026-Q1');
  });
});
