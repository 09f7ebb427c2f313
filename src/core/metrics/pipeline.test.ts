import { describe, expect, it } from 'vitest';
import type { ApprovalRequest, CloseDatePush } from '../pipeline/types.ts';
import { DAY_MS, deal, HOUR_MS, input, JAN, model, MON } from './__fixtures__/builders.ts';
import { pipelineMetrics } from './pipeline.ts';

const d = (n: number) => MON + n * DAY_MS;
const NOW = d(20); // 25 January 2026: quarter 2026-Q1
const push = (at: number, from: string, to: string, slipDays: number): CloseDatePush => ({
  at,
  from,
  to,
  slipDays,
  reason: 'customer asked',
  cause: 'e',
});
const STALE = {
  stage: 'proposal',
  since: d(-10),
  basis: 'limit' as const,
  limitMs: 10 * DAY_MS,
  managerAlerted: false,
};

/** Two won and two lost in January, three open. */
function deals() {
  return [
    deal({
      id: 'W1',
      owner: 'ana',
      source: 'webinar',
      amount: 30_000,
      closeDate: '2026-01-15',
      status: 'won',
      closedAt: d(10),
      moves: [
        ['qualified', d(-30)],
        ['demo', d(-16)],
        ['won', d(10)],
      ],
    }),
    deal({
      id: 'W2',
      owner: 'cy',
      source: 'paid',
      amount: 50_000,
      closeDate: '2026-01-20',
      status: 'won',
      closedAt: d(10),
      moves: [
        ['qualified', d(-10)],
        ['won', d(10)],
      ],
    }),
    deal({
      id: 'L1',
      owner: 'cy',
      source: 'paid',
      amount: 20_000,
      closeDate: '2026-01-10',
      status: 'lost',
      closedAt: d(5),
      moves: [
        ['qualified', d(-20)],
        ['lost', d(5)],
      ],
    }),
    deal({
      id: 'L2',
      owner: 'di',
      source: 'webinar',
      amount: 10_000,
      status: 'lost',
      closedAt: d(6),
      moves: [
        ['qualified', d(1)],
        ['discovery', d(3)],
        ['lost', d(6)],
      ],
    }),
    deal({
      id: 'O1',
      owner: 'ana',
      amount: 100_000,
      closeDate: '2026-01-30',
      moves: [
        ['qualified', d(2)],
        ['negotiation', d(5)],
      ],
    }),
    deal({
      id: 'O2',
      owner: 'cy',
      amount: 60_000,
      closeDate: '2026-02-20',
      moves: [
        ['qualified', d(-40)],
        ['proposal', d(-30)],
      ],
      pushes: [push(d(-5), '2026-01-20', '2026-01-28', 8), push(d(4), '2026-01-28', '2026-02-20', 23)],
      flags: { skipped: [], forecastReview: false, stale: STALE },
    }),
    deal({
      id: 'O3',
      owner: 'di',
      amount: 40_000,
      closeDate: '2026-03-01',
      moves: [['discovery', d(1)]],
      pushes: [push(d(3), '2026-02-01', '2026-02-15', 14), push(d(8), '2026-02-15', '2026-03-01', 7)],
      flags: { skipped: [], forecastReview: true },
    }),
  ];
}

const approval = (id: string, dealId: string, at: number, more: Partial<ApprovalRequest>): ApprovalRequest =>
  Object.assign(
    {
      id,
      dealId,
      status: 'pending' as const,
      requestedAt: at,
      requestedBy: 'ana',
      terms: {},
      exceptions: [{ kind: 'discount' as const, detail: '25% discount' }],
      steps: [],
      dueAt: at + DAY_MS,
      escalations: [],
    },
    more,
  );

describe('pipeline', () => {
  const p = pipelineMetrics(input({ deals: deals() }), model(), JAN, NOW);

  it('gives win rate, average won amount, cycle and velocity per day', () => {
    expect(p.open).toEqual({ deals: 3, amount: 200_000 });
    expect(p.closed).toEqual({ won: 2, lost: 2, wonAmount: 80_000 });
    expect(p.winRate).toEqual({ value: 0.5, benchmark: { min: 0.2, max: 0.3 }, status: 'high' });
    expect(p.winRateBySource).toEqual([
      { source: 'paid', won: 1, lost: 1, winRate: 0.5 },
      { source: 'webinar', won: 1, lost: 1, winRate: 0.5 },
    ]);
    expect([p.averageWonAmount, p.averageCycleDays]).toEqual([40_000, 30]);
    // 3 open deals × $40,000 × 0.5 ÷ 30 days
    expect(p.velocityPerDay).toEqual({ value: 2_000, status: 'n/a' });
  });

  it('gives coverage as open pipeline over the quota left in the current period', () => {
    // $200,000 open ÷ ($300,000 − $80,000 won in 2026-Q1)
    expect(p.coverage).toEqual({ value: 0.91, benchmark: { min: 3, max: 4 }, status: 'low' });
    expect(p.quota).toEqual({
      period: '2026-Q1',
      from: Date.UTC(2026, 0, 1),
      to: Date.UTC(2026, 3, 1),
      quota: 300_000,
      won: 80_000,
      remaining: 220_000,
    });
    const east = pipelineMetrics(
      input({ deals: deals() }),
      model(),
      Object.assign({ team: 'east' }, JAN),
      NOW,
    );
    // O1 $100,000 open ÷ ($100,000 − $30,000 won by ana)
    expect(east.coverage.value).toBe(1.43);
    const met = pipelineMetrics(input({ deals: deals() }), model({ totalQuota: 80_000 }), JAN, NOW);
    expect(met.coverage).toMatchObject({ value: null, reason: 'the 2026-Q1 quota is already met' });
  });

  it('converts deal stages and times them', () => {
    expect(p.stages.map((s) => [s.stage, s.entered, s.advanced, s.conversion, s.stillIn])).toEqual([
      ['qualified', 2, 2, 1, 0],
      ['discovery', 2, 0, 0, 1],
      ['demo', 0, 0, null, 0],
      ['proposal', 0, 0, null, 0],
      ['negotiation', 1, 0, 0, 1],
    ]);
    expect(p.stages.map((s) => [s.stage, s.stays, s.averageDays, s.medianDays])).toEqual([
      ['qualified', 4, 12.5, 11.5],
      ['discovery', 1, 3, 3],
      ['demo', 1, 26, 26],
      ['proposal', 0, null, null],
      ['negotiation', 0, null, null],
    ]);
  });

  it('counts slips, stale deals and forecast categories', () => {
    expect(p.slip).toEqual({ deals: 7, slipped: 2, slipRate: 0.2857, pushes: 3, averageSlipDays: 14.67 });
    expect([p.stale, p.forecastReview]).toEqual([1, 1]);
    expect(p.forecast.categories).toEqual([
      { category: 'commit', deals: 1, amount: 100_000, weighted: 80_000 },
      { category: 'best_case', deals: 0, amount: 0, weighted: 0 },
      { category: 'pipeline', deals: 1, amount: 60_000, weighted: 36_000 }, // stale proposal
      { category: 'omitted', deals: 1, amount: 40_000, weighted: 8_000 }, // pushed twice
    ]);
  });

  it('compares the forecast at the start of the range with what was won', () => {
    // W1 (demo, 40%), W2 and L1 (qualified, 10%), O2 (proposal, 60%; due 28 January before its push)
    expect(p.forecast.vsActual).toEqual({
      forecast: { deals: 4, amount: 160_000, weighted: 55_000, commit: 0 },
      actual: { won: 2, wonAmount: 80_000, forecastWonAmount: 80_000 },
      accuracy: { value: 1.4545, status: 'n/a' },
    });
  });

  it('summarises deal-desk approvals when given', () => {
    const approvals = [
      approval('O1:1', 'O1', d(5), { status: 'approved', decidedAt: d(5) + 2 * HOUR_MS }),
      approval('O2:1', 'O2', d(6), {
        exceptions: [
          { kind: 'discount', detail: '30% discount' },
          { kind: 'payment_terms', detail: 'net-90 payment terms' },
        ],
        escalations: [{ to: 'rep:maria', at: d(7) }],
      }),
    ];
    const withDesk = pipelineMetrics(
      Object.assign(input({ deals: deals() }), { approvals }),
      model(),
      JAN,
      NOW,
    );
    expect(withDesk.dealDesk).toEqual({
      requested: 2,
      approved: 1,
      rejected: 0,
      pending: 1,
      medianDecisionMs: 2 * HOUR_MS,
      escalated: 1,
      byException: [
        { kind: 'discount', requests: 2 },
        { kind: 'payment_terms', requests: 1 },
      ],
    });
    expect(p.dealDesk).toBeUndefined();
  });

  it('explains a missing velocity', () => {
    const none = pipelineMetrics(input({}), model(), JAN, NOW);
    expect(none.velocityPerDay).toEqual({
      value: null,
      status: 'n/a',
      reason: 'no deal was won or lost in the range',
    });
    expect(none.winRate.status).toBe('n/a');
  });
});
