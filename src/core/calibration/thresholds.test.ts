import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../test/support/prng.ts';
import {
  candidateThresholds,
  eightyPercentThreshold,
  qualifies,
  thresholdTable,
  type Outcome,
  type ScoredLead,
} from './thresholds.ts';

function lead(score: number, outcome?: Outcome, over: Partial<ScoredLead> = {}): ScoredLead {
  return { score, eligible: true, fastTrack: false, outcome, ...over };
}

describe('qualifies', () => {
  it.each([
    { name: 'at the threshold', l: lead(65), t: 65, expected: true },
    { name: 'below the threshold', l: lead(64), t: 65, expected: false },
    {
      name: 'ineligible above the threshold',
      l: lead(90, undefined, { eligible: false }),
      t: 65,
      expected: false,
    },
    { name: 'fast track below', l: lead(10, undefined, { fastTrack: true }), t: 65, expected: true },
    {
      name: 'fast track ineligible',
      l: lead(10, undefined, { fastTrack: true, eligible: false }),
      t: 65,
      expected: true,
    },
  ])('$name', ({ l, t, expected }) => {
    expect(qualifies(l, t)).toBe(expected);
  });
});

describe('thresholdTable', () => {
  const leads: ScoredLead[] = [
    lead(90, 'won'),
    lead(80, 'won'),
    lead(70, 'lost'),
    lead(60, 'won'),
    lead(55, 'lost'),
    lead(50), // no outcome yet
    lead(40, 'lost'),
    lead(20, 'won', { fastTrack: true }),
    lead(85, 'won', { eligible: false }),
  ];

  it('counts MQLs, wins, losses, precision and recall per threshold, in the given order', () => {
    expect(thresholdTable(leads, [80, 50, 100])).toEqual([
      // 90 won, 80 won, fast track won
      {
        threshold: 80,
        mqls: 3,
        won: 3,
        lost: 0,
        precision: 1,
        recall: 3 / 5,
        falsePositives: 0,
        falseNegatives: 2,
      },
      // 90, 80, 70 lost, 60, 55 lost, 50 open, fast track
      {
        threshold: 50,
        mqls: 7,
        won: 4,
        lost: 2,
        precision: 4 / 6,
        recall: 4 / 5,
        falsePositives: 2,
        falseNegatives: 1,
      },
      // only the fast track lead
      {
        threshold: 100,
        mqls: 1,
        won: 1,
        lost: 0,
        precision: 1,
        recall: 1 / 5,
        falsePositives: 0,
        falseNegatives: 4,
      },
    ]);
  });

  it('precision is null without qualifying outcomes, recall null without wins', () => {
    expect(thresholdTable([lead(70), lead(30, 'lost')], [50])).toEqual([
      {
        threshold: 50,
        mqls: 1,
        won: 0,
        lost: 0,
        precision: null,
        recall: null,
        falsePositives: 0,
        falseNegatives: 0,
      },
    ]);
    expect(thresholdTable([], [])).toEqual([]);
  });
});

describe('eightyPercentThreshold', () => {
  it('is undefined without won leads', () => {
    expect(eightyPercentThreshold([lead(50, 'lost'), lead(70)])).toBeUndefined();
  });

  it('is the 8th highest won score of ten, rounded down', () => {
    const won = [95, 90, 88, 80, 77, 72, 70, 66.5, 40, 10].map((s) => lead(s, 'won'));
    // At 66: 8 of 10 qualify (80%); at 67: 7 of 10.
    expect(eightyPercentThreshold([...won, lead(99, 'lost')])).toBe(66);
    // 90%: 9 of 10 → the 9th highest, 40. 100% → 10.
    expect(eightyPercentThreshold(won, 0.9)).toBe(40);
    expect(eightyPercentThreshold(won, 1)).toBe(10);
  });

  it('reaches the share exactly with 12 of 15', () => {
    const won = Array.from({ length: 15 }, (_, i) => lead(100 - 5 * i, 'won')); // 100, 95, …, 30
    expect(eightyPercentThreshold(won)).toBe(45); // the 12th highest
  });

  it('fast-track wins qualify at any threshold', () => {
    const won = [
      lead(5, 'won', { fastTrack: true }),
      lead(5, 'won', { fastTrack: true }),
      lead(5, 'won', { fastTrack: true }),
      lead(60, 'won'),
      lead(30, 'won'),
    ];
    // 4 of 5 needed: 3 fast track + the 60.
    expect(eightyPercentThreshold(won)).toBe(60);
    // 3 of 5 (60%): fast track alone is enough from the top won score down.
    expect(eightyPercentThreshold(won, 0.6)).toBe(60);
  });

  it('returns 0 when ineligible wins keep the share out of reach', () => {
    const won = [lead(90, 'won'), lead(80, 'won', { eligible: false }), lead(70, 'won', { eligible: false })];
    expect(eightyPercentThreshold(won)).toBe(0);
    expect(eightyPercentThreshold(won, 1 / 3)).toBe(90);
  });

  it('agrees with the literal search from the top won score down to 0', () => {
    const rng = mulberry32(7);
    for (let round = 0; round < 50; round++) {
      const leads = Array.from({ length: 1 + Math.floor(rng() * 30) }, () =>
        lead(Math.round(rng() * 1000) / 10, rng() < 0.6 ? 'won' : 'lost', {
          eligible: rng() < 0.85,
          fastTrack: rng() < 0.1,
        }),
      );
      const share = [0.5, 0.8, 0.95][round % 3]!;
      const won = leads.filter((l) => l.outcome === 'won');
      let expected: number | undefined;
      if (won.length > 0) {
        expected = 0;
        for (let t = Math.floor(Math.max(...won.map((l) => l.score))); t >= 0; t--) {
          if (won.filter((l) => qualifies(l, t)).length / won.length >= share) {
            expected = t;
            break;
          }
        }
      }
      expect(eightyPercentThreshold(leads, share)).toBe(expected);
    }
  });

  it('throws on a share outside (0, 1]', () => {
    expect(() => eightyPercentThreshold([], 0)).toThrow('share 0 is not in (0, 1]');
    expect(() => eightyPercentThreshold([], 1.5)).toThrow('share 1.5 is not in (0, 1]');
  });
});

describe('candidateThresholds', () => {
  it.each([
    {
      options: { max: 100, current: 65 },
      expected: [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95, 100],
    },
    {
      options: { max: 100, current: 62, suggested: 47, step: 10 },
      expected: [10, 20, 30, 40, 47, 50, 60, 62, 70, 80, 90, 100],
    },
    { options: { max: 23, current: 30, suggested: 30 }, expected: [5, 10, 15, 20, 30] },
    { options: { max: 0, current: 0, suggested: undefined }, expected: [0] },
  ])('$options', ({ options, expected }) => {
    expect(candidateThresholds(options)).toEqual(expected);
  });

  it('throws on a step that is not positive', () => {
    expect(() => candidateThresholds({ max: 100, current: 50, step: 0 })).toThrow('step 0 is not positive');
  });
});
