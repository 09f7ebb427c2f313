import { fc, test as fcTest } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  clock,
  DAY_MS,
  deal,
  input,
  JAN,
  lead,
  MINUTE_MS,
  model,
  MON,
  MON_0900,
  touch,
} from './__fixtures__/builders.ts';
import {
  computeArea,
  computeView,
  funnel,
  isMetricsArea,
  isMetricsView,
  METRICS_AREAS,
  METRICS_VIEWS,
  type MetricsInput,
} from './index.ts';
import type { DealStatus } from '../pipeline/types.ts';
import { RESPONSE_BUCKETS } from './speedToLead.ts';

const NOW = MON + 20 * DAY_MS;

function company(): MetricsInput {
  return input({
    leads: [
      lead({ key: 'a', source: 'paid', owner: 'ana', path: ['lead', 'mql', 'sql', 'opportunity'] }),
      ...Array.from({ length: 9 }, (_, i) => lead({ key: `l${i}`, source: i < 4 ? 'paid' : 'seo' })),
    ],
    touches: [touch('a', MON_0900 + 60 * MINUTE_MS + 3 * MINUTE_MS)],
    clocks: [clock({ contactKey: 'a', startedAt: MON_0900 + 60 * MINUTE_MS, owner: 'ana', status: 'met' })],
    deals: [
      deal({
        id: 'W',
        owner: 'ana',
        source: 'paid',
        amount: 80_000,
        status: 'won',
        closedAt: MON + 10 * DAY_MS,
        moves: [
          ['qualified', MON - 20 * DAY_MS],
          ['won', MON + 10 * DAY_MS],
        ],
      }),
      deal({ id: 'O', owner: 'ana', amount: 110_000, moves: [['proposal', MON + DAY_MS]] }),
    ],
  });
}

describe('areas and views', () => {
  it('computes each area as plain JSON', () => {
    for (const area of METRICS_AREAS) {
      const out = computeArea(area, company(), model(), JAN, NOW);
      expect(JSON.parse(JSON.stringify(out))).toStrictEqual(out);
    }
    expect(computeArea('funnel', company(), model(), JAN, NOW)).toEqual(funnel(company(), model(), JAN, NOW));
    expect(isMetricsArea('speedToLead') && !isMetricsArea('revenue')).toBe(true);
    expect(isMetricsView('executive') && !isMetricsView('finance')).toBe(true);
  });

  it('builds the marketing view: volume, MQL rate, sources', () => {
    const v = computeView('marketing', company(), model(), JAN, NOW);
    if (v.view !== 'marketing') throw new Error(v.view);
    expect(v.volume).toEqual({ contacts: 10, leads: 10, mqls: 1, sqls: 1, opportunities: 1, customers: 0 });
    expect(v.mqlRate).toEqual({ value: 0.1, benchmark: { min: 0.05, max: 0.15 }, status: 'ok' });
    expect(v.sources.map((s) => [s.source, s.leads, s.leadToMql])).toEqual([
      ['paid', 5, 0.2], // equal volume: by name
      ['seo', 5, 0],
    ]);
    expect(v.filters).toEqual({ source: null, team: null });
  });

  it('builds the sales view: pipeline value, velocity, speed to lead', () => {
    const v = computeView('sales', company(), model(), JAN, NOW);
    if (v.view !== 'sales') throw new Error(v.view);
    expect(v.pipelineValue).toEqual({ deals: 1, amount: 110_000 });
    // 1 open × $80,000 × 100% ÷ 30 days
    expect(v.velocityPerDay.value).toBe(2_666.67);
    expect(v.speedToLead.medianMs).toEqual({
      value: 3 * MINUTE_MS,
      benchmark: { max: 5 * MINUTE_MS },
      status: 'ok',
    });
    expect(v.slaCompliance.value).toBe(1);
  });

  it('builds the executive view: revenue against the quota, coverage', () => {
    const v = computeView('executive', company(), model(), JAN, NOW);
    if (v.view !== 'executive') throw new Error(v.view);
    expect(v.revenue).toMatchObject({
      period: '2026-Q1',
      quota: 300_000,
      won: 80_000,
      remaining: 220_000,
      wonInRange: 80_000,
    });
    expect(v.revenue.attainment).toEqual({ value: 0.2667, status: 'n/a' });
    expect(v.coverage).toEqual({ value: 0.5, benchmark: { min: 3, max: 4 }, status: 'low' });
    expect(v.cac.reason).toMatch(/^no spend for a period inside the range/);
    expect(METRICS_VIEWS).toEqual(['marketing', 'sales', 'executive']);
  });
});

const STAGES = ['qualified', 'discovery', 'demo', 'proposal', 'negotiation', 'won', 'lost'] as const;
const arbitraryDeal = fc.record({
  start: fc.integer({ min: -20, max: 30 }),
  stages: fc.array(fc.constantFrom(...STAGES), { minLength: 1, maxLength: 5 }),
  gap: fc.integer({ min: 0, max: 5 }),
  amount: fc.integer({ min: 0, max: 100_000 }),
  pushes: fc.integer({ min: 0, max: 3 }),
});

describe('invariants', () => {
  fcTest.prop([fc.array(arbitraryDeal, { maxLength: 25 })])(
    'pipeline conversions, win and slip rates lie in [0, 1]; advanced never exceeds entered',
    (specs) => {
      const deals = specs.map((s, i) => {
        const moves = s.stages.map((stage, j) => [stage, MON + (s.start + j * s.gap) * DAY_MS] as const);
        const last = moves[moves.length - 1] as readonly [string, number];
        const closed = last[0] === 'won' || last[0] === 'lost';
        const status: DealStatus = closed ? last[0] : 'open';
        return deal(
          Object.assign(
            {
              id: `d${i}`,
              amount: s.amount,
              moves,
              status,
            },
            closed ? { closedAt: last[1] } : {},
            {
              pushes: Array.from({ length: s.pushes }, (_, k) => ({
                at: MON + (s.start + k) * DAY_MS,
                from: '2026-02-01',
                to: '2026-02-10',
                slipDays: 9,
                reason: 'r',
                cause: 'c',
              })),
            },
          ),
        );
      });
      const p = computeArea('pipeline', input({ deals }), model(), JAN, NOW);
      for (const s of p.stages) {
        expect(s.advanced).toBeLessThanOrEqual(s.entered);
        if (s.conversion !== null) expect(s.conversion >= 0 && s.conversion <= 1).toBe(true);
      }
      for (const r of [p.winRate.value, p.slip.slipRate, ...p.winRateBySource.map((w) => w.winRate)])
        if (r !== null) expect(r >= 0 && r <= 1).toBe(true);
      if (p.coverage.value !== null) expect(p.coverage.value).toBeGreaterThanOrEqual(0);
      expect(p.forecast.categories.reduce((n, c) => n + c.deals, 0)).toBe(p.open.deals);
    },
  );

  fcTest.prop([
    fc.array(
      fc.record({
        at: fc.integer({ min: 0, max: 30 * 24 * 60 }),
        reply: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 })),
      }),
      { maxLength: 30 },
    ),
  ])('speed to lead: buckets add up to the contacted, verdicts to the MQLs', (specs) => {
    const leads = specs.map((s, i) => lead({ key: `m${i}`, at: MON + s.at * MINUTE_MS, path: ['mql'] }));
    const touches = specs.flatMap((s, i) =>
      s.reply === null ? [] : [touch(`m${i}`, MON + (s.at + s.reply) * MINUTE_MS)],
    );
    const s = computeArea('speedToLead', input({ leads, touches }), model(), JAN, NOW);
    expect(s.byResponse.reduce((n, b) => n + b.leads, 0)).toBe(s.contacted);
    expect(s.byResponse).toHaveLength(RESPONSE_BUCKETS.length);
    expect(s.judged.within + s.judged.missed + s.pending).toBe(s.mqls);
    expect(s.byHour.reduce((n, h) => n + h.mqls, 0)).toBe(s.mqls);
    if (s.withinSla.value !== null) expect(s.withinSla.value >= 0 && s.withinSla.value <= 1).toBe(true);
  });
});
