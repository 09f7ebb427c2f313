import { describe, expect, it } from 'vitest';
import { DAY_MS, deal, HOUR_MS, input, JAN, lead, model, MON_0900 } from './__fixtures__/builders.ts';
import { scoringHealth } from './scoringHealth.ts';

const WEEK = 7 * DAY_MS;
const REJECT = 'sales_decision reject FIT-01 (Company too small): nurture';

function mql(key: string, at: number, outcome: 'accept' | 'reject' | 'pending') {
  if (outcome === 'pending') return lead({ key, at, path: ['mql'] });
  if (outcome === 'accept') return lead({ key, at, path: ['mql', 'sql'] });
  return lead({ key, at, path: ['mql', 'recycled'], reasons: { recycled: REJECT } });
}

/** Two MQLs a week in December, then 2, 6, 2 and 1 in the four weeks from 5 January. */
function weeks(dealsInSpikeWeek = 1) {
  const december = Array.from({ length: 8 }, (_, i) =>
    mql(`dec${i}`, MON_0900 - (4 - Math.floor(i / 2)) * WEEK, 'accept'),
  );
  const jan = (week: number, outcomes: readonly ('accept' | 'reject' | 'pending')[]) =>
    outcomes.map((o, i) => mql(`w${week}-${i}`, MON_0900 + week * WEEK + i * HOUR_MS, o));
  const deals = [
    ...[-4, -3, -2, -1, 0].map((w) => deal({ id: `d${w}`, moves: [['qualified', MON_0900 + w * WEEK]] })),
    ...Array.from({ length: dealsInSpikeWeek }, (_, i) =>
      deal({ id: `s${i}`, moves: [['qualified', MON_0900 + WEEK + i * HOUR_MS]] }),
    ),
  ];
  return input({
    leads: [
      ...december,
      ...jan(0, ['accept', 'reject']),
      ...jan(1, ['reject', 'reject', 'reject', 'reject', 'reject', 'reject']),
      ...jan(2, ['accept', 'pending']),
      ...jan(3, ['reject']),
    ],
    deals,
  });
}

describe('scoring health', () => {
  it('trends MQLs per week against the 4 weeks before and flags a spike without new deals', () => {
    const h = scoringHealth(weeks(), model(), JAN, JAN.to);
    expect(h.weeks).toEqual([
      {
        week: '2026-01-05',
        mqls: 2,
        trailingAverage: 2,
        dealsCreated: 1,
        dealsTrailingAverage: 1,
        spike: false,
      },
      {
        week: '2026-01-12',
        mqls: 6,
        trailingAverage: 2,
        dealsCreated: 1,
        dealsTrailingAverage: 1,
        spike: true,
      },
      {
        week: '2026-01-19',
        mqls: 2,
        trailingAverage: 3,
        dealsCreated: 0,
        dealsTrailingAverage: 1,
        spike: false,
      },
      {
        week: '2026-01-26',
        mqls: 1,
        trailingAverage: 3,
        dealsCreated: 0,
        dealsTrailingAverage: 0.75,
        spike: false,
      },
    ]);
    expect(h.warnings.map((w) => [w.code, w.week])).toEqual([
      ['low_acceptance', undefined],
      ['mql_spike_without_pipeline', '2026-01-12'],
    ]);
  });

  it('computes acceptance over decided MQLs and recommends recalibration below 30%', () => {
    const h = scoringHealth(weeks(), model(), JAN, JAN.to);
    expect(h.decisions).toEqual({ accepted: 2, rejected: 8, pending: 1 });
    expect(h.acceptance).toEqual({ value: 0.2, benchmark: { min: 0.3 }, status: 'low' });
    expect(h.warnings[0]).toEqual({
      code: 'low_acceptance',
      message: 'Sales accepted 2 of 10 MQLs (20%), below 30%.',
      hint: 'Recalibrate scoring (`revops calibrate`): tighten fit criteria or raise the MQL threshold.',
    });
  });

  it('does not warn about a spike the pipeline grew with', () => {
    const h = scoringHealth(weeks(3), model(), JAN, JAN.to);
    expect(h.weeks[1]).toMatchObject({ spike: true, dealsCreated: 3 });
    expect(h.warnings.map((w) => w.code)).toEqual(['low_acceptance']);
  });
});
