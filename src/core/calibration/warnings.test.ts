import { describe, expect, it } from 'vitest';
import type { Outcome, ScoredLead } from './thresholds.ts';
import { warningSigns, type CalibrationFacts } from './warnings.ts';

/** `count` eligible leads scoring `score` with `outcome`. */
function many(count: number, score: number, outcome?: Outcome): ScoredLead[] {
  return Array.from({ length: count }, () => ({ score, eligible: true, fastTrack: false, outcome }));
}

/** 40 closed leads where qualifying ones win far more often: 16 of 20 above 65, 4 of 20 below. */
const HEALTHY_LEADS = [
  ...many(16, 80, 'won'),
  ...many(4, 70, 'lost'),
  ...many(4, 40, 'won'),
  ...many(16, 30, 'lost'),
];

const STEADY_MONTHS = [
  { month: '2026-01', mqls: 20, won: 3 },
  { month: '2026-02', mqls: 22, won: 4 },
  { month: '2026-03', mqls: 18, won: 2 },
  { month: '2026-04', mqls: 25, won: 3 },
];

function facts(over: Partial<CalibrationFacts> = {}): CalibrationFacts {
  return {
    leads: HEALTHY_LEADS,
    threshold: 65,
    decisions: { accepted: 30, rejected: 10 },
    months: STEADY_MONTHS,
    ...over,
  };
}

const codes = (f: CalibrationFacts) => warningSigns(f).map((w) => w.code);

describe('warningSigns', () => {
  it('a healthy model has none', () => {
    expect(warningSigns(facts())).toEqual([]);
  });

  describe('low_acceptance', () => {
    it('below 30% of at least 10 decisions', () => {
      expect(warningSigns(facts({ decisions: { accepted: 8, rejected: 32 } }))).toEqual([
        {
          code: 'low_acceptance',
          message: 'Sales accepted 8 of 40 MQLs (20%), below 30%.',
          hint: 'Tighten fit criteria or raise the threshold so fewer unready leads reach sales.',
        },
      ]);
    });

    it.each([
      { accepted: 3, rejected: 7 }, // exactly 30%
      { accepted: 2, rejected: 7 }, // only 9 decisions
      { accepted: 0, rejected: 0 },
    ])('not for $accepted accepted, $rejected rejected', (decisions) => {
      expect(codes(facts({ decisions }))).toEqual([]);
    });
  });

  describe('high_scores_not_converting and low_scores_converting', () => {
    it('qualifying leads win no more often than the rest, and most wins did not qualify', () => {
      // Above 65: 2 of 10 won (20%). Below: 5 of 20 won (25%). Wins: 5 of 7 below.
      const leads = [
        ...many(2, 90, 'won'),
        ...many(8, 70, 'lost'),
        ...many(5, 50, 'won'),
        ...many(15, 20, 'lost'),
      ];
      expect(warningSigns(facts({ leads }))).toEqual([
        {
          code: 'high_scores_not_converting',
          message:
            'Leads that qualify at threshold 65 won 20% (2 of 10), no better than 25% (5 of 20) for leads that do not.',
          hint: 'Review which rules add points: lower or remove rules that won and lost deals hit alike, and tighten fit criteria.',
        },
        {
          code: 'low_scores_converting',
          message: '5 of 7 won leads (71%) would not have qualified at threshold 65.',
          hint: 'Lower the threshold or add the signals won deals share.',
        },
      ]);
    });

    it('equal win rates are "not above"', () => {
      const leads = [
        ...many(5, 90, 'won'),
        ...many(5, 70, 'lost'),
        ...many(10, 50, 'won'),
        ...many(10, 20, 'lost'),
      ];
      expect(codes(facts({ leads }))).toEqual(['high_scores_not_converting', 'low_scores_converting']);
    });

    it('needs 5 outcomes on each side', () => {
      // Below 65 only 4 closed leads (all won): no comparison, but 4 of 7 wins did not qualify.
      const leads = [...many(3, 90, 'won'), ...many(23, 70, 'lost'), ...many(4, 50, 'won'), ...many(10, 20)];
      expect(warningSigns(facts({ leads })).map((w) => [w.code, w.message])).toEqual([
        ['low_scores_converting', '4 of 7 won leads (57%) would not have qualified at threshold 65.'],
      ]);
    });

    it('fast-track and ineligible leads count as they qualify', () => {
      const leads = [
        ...HEALTHY_LEADS,
        // 3 fast-track wins scoring 10 qualify; 20 ineligible wins scoring 90 do not.
        ...Array.from({ length: 3 }, () => ({
          score: 10,
          eligible: true,
          fastTrack: true,
          outcome: 'won' as const,
        })),
        ...Array.from({ length: 20 }, () => ({
          score: 90,
          eligible: false,
          fastTrack: false,
          outcome: 'won' as const,
        })),
      ];
      // Above: 19 of 23 won (83%); below: 24 of 40 (60%). Wins below: 24 of 43 (56%).
      expect(warningSigns(facts({ leads })).map((w) => w.message)).toEqual([
        '24 of 43 won leads (56%) would not have qualified at threshold 65.',
      ]);
    });

    it('half the wins below the threshold is not "more than half"', () => {
      const leads = [
        ...many(10, 80, 'won'),
        ...many(5, 70, 'lost'),
        ...many(10, 40, 'won'),
        ...many(20, 30, 'lost'),
      ];
      expect(codes(facts({ leads }))).toEqual([]);
    });

    it('needs 5 won leads', () => {
      const leads = [...many(1, 80, 'won'), ...many(2, 40, 'won'), ...many(27, 30, 'lost')];
      // Above: 1 closed lead only, so no comparison either.
      expect(codes(facts({ leads }))).toEqual([]);
    });
  });

  describe('mql_spike_without_revenue', () => {
    it('a month with 1.5× the median MQLs of the months before and no more won', () => {
      const months = [
        { month: '2026-05', mqls: 45, won: 6 }, // median before 21 → 2.1×, but won 6 > 3: revenue followed
        ...STEADY_MONTHS.slice(0, 3),
        { month: '2026-04', mqls: 40, won: 3 }, // median before 20 → 2×, won 3 ≤ 3
        { month: '2026-06', mqls: 47, won: 3 }, // median before 22 → 2.1×, won 3 ≤ 3 (median of 2, 3, 3, 4, 6)
      ];
      expect(warningSigns(facts({ months }))).toEqual([
        {
          code: 'mql_spike_without_revenue',
          message:
            '2026-04: 40 MQLs against a median of 20 over the 3 months before (2×), but 3 won (median 3).',
          hint: 'Find the source of the extra MQLs (a campaign, form or list import) and tighten or decay the signals it triggers.',
        },
        {
          code: 'mql_spike_without_revenue',
          message:
            '2026-06: 47 MQLs against a median of 22 over the 5 months before (2.1×), but 3 won (median 3).',
          hint: 'Find the source of the extra MQLs (a campaign, form or list import) and tighten or decay the signals it triggers.',
        },
      ]);
    });

    it('exactly 1.5× counts; just under does not', () => {
      const base = STEADY_MONTHS.slice(0, 3); // median 20 MQLs, 3 won
      expect(codes(facts({ months: [...base, { month: '2026-04', mqls: 30, won: 3 }] }))).toEqual([
        'mql_spike_without_revenue',
      ]);
      expect(codes(facts({ months: [...base, { month: '2026-04', mqls: 29, won: 0 }] }))).toEqual([]);
    });

    it('needs 3 months before', () => {
      const months = [
        { month: '2026-01', mqls: 20, won: 3 },
        { month: '2026-02', mqls: 20, won: 3 },
        { month: '2026-03', mqls: 90, won: 0 },
      ];
      expect(codes(facts({ months }))).toEqual([]);
    });

    it('from a median of zero, any MQLs are a spike; none are not', () => {
      const quiet = [
        { month: '2026-01', mqls: 0, won: 0 },
        { month: '2026-02', mqls: 0, won: 0 },
        { month: '2026-03', mqls: 0, won: 0 },
      ];
      expect(
        warningSigns(facts({ months: [...quiet, { month: '2026-04', mqls: 5, won: 0 }] }))[0]?.message,
      ).toBe('2026-04: 5 MQLs against a median of 0 over the 3 months before, but 0 won (median 0).');
      expect(codes(facts({ months: [...quiet, { month: '2026-04', mqls: 0, won: 0 }] }))).toEqual([]);
    });

    it('an even count of months uses the mean of the middle two', () => {
      const months = [...STEADY_MONTHS, { month: '2026-05', mqls: 32, won: 3 }]; // median 21 → 32 ≥ 31.5
      expect(warningSigns(facts({ months })).map((w) => w.message)).toEqual([
        '2026-05: 32 MQLs against a median of 21 over the 4 months before (1.5×), but 3 won (median 3).',
      ]);
    });
  });

  describe('too_few_outcomes', () => {
    it('fewer than 30 leads with an outcome', () => {
      const leads = [...many(4, 80, 'won'), ...many(8, 30, 'lost'), ...many(50, 50)];
      expect(warningSigns(facts({ leads }))).toEqual([
        {
          code: 'too_few_outcomes',
          message: 'Only 12 leads have a won or lost outcome; below 30 the figures are noisy.',
          hint: 'Treat the suggestions as rough: widen the history window or wait for more closed deals before changing points.',
        },
      ]);
      expect(codes(facts({ leads: [] }))).toEqual(['too_few_outcomes']);
    });

    it('not at 30', () => {
      expect(codes(facts({ leads: [...many(15, 80, 'won'), ...many(15, 30, 'lost')] }))).toEqual([]);
    });
  });

  it('lists every sign in code order', () => {
    const leads = [
      ...many(2, 90, 'won'),
      ...many(8, 70, 'lost'),
      ...many(5, 50, 'won'),
      ...many(5, 20, 'lost'),
    ];
    const months = [...STEADY_MONTHS.slice(0, 3), { month: '2026-04', mqls: 60, won: 1 }];
    expect(codes({ leads, threshold: 65, decisions: { accepted: 1, rejected: 19 }, months })).toEqual([
      'low_acceptance',
      'high_scores_not_converting',
      'low_scores_converting',
      'mql_spike_without_revenue',
      'too_few_outcomes',
    ]);
  });
});
