import { describe, expect, it } from 'vitest';
import { fitLogistic } from './logistic.ts';
import { suggestPoints, type RuleFeature } from './suggestions.ts';

/** Leads built from cells: each cell's hit pattern repeated for `won` won and `lost` lost leads. */
function leads(
  cells: readonly { readonly hit: readonly (0 | 1)[]; readonly won: number; readonly lost: number }[],
) {
  const hits: boolean[][] = [];
  const outcomes: (0 | 1)[] = [];
  for (const cell of cells) {
    for (let k = 0; k < cell.won + cell.lost; k++) {
      hits.push(cell.hit.map((h) => h === 1));
      outcomes.push(k < cell.won ? 1 : 0);
    }
  }
  return { hits, outcomes };
}

function rule(ruleId: string, points: number, dimension: RuleFeature['dimension'] = 'fit'): RuleFeature {
  return { ruleId, label: ruleId.toUpperCase(), dimension, points };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * A tracks wins (hit: 16 won / 4 lost; missed: 4 won / 16 lost). With l2 = 1 and the symmetric
 * table, the intercept is −β/2 and β solves β + 20·(σ(β/2) − 0.8) = 0.
 */
function expectTrackingCoefficient(beta: number, intercept: number) {
  expect(beta + 20 * (sigmoid(beta / 2) - 0.8)).toBeCloseTo(0, 9);
  expect(intercept).toBeCloseTo(-beta / 2, 9);
}

describe('suggestPoints', () => {
  it('raises a rule that tracks wins, removes one hit equally by won and lost, leaves a rare rule alone', () => {
    // Columns A, B, C. B splits every A cell in half with the same win rate, so its coefficient is
    // exactly 0. C hits 3 leads: too few, left out of the fit.
    const { hits, outcomes } = leads([
      { hit: [1, 1, 1], won: 2, lost: 1 },
      { hit: [1, 1, 0], won: 6, lost: 1 },
      { hit: [1, 0, 0], won: 8, lost: 2 },
      { hit: [0, 1, 0], won: 2, lost: 8 },
      { hit: [0, 0, 0], won: 2, lost: 8 },
    ]);
    const result = suggestPoints([rule('a', 10), rule('b', 10, 'engagement'), rule('c', 8)], hits, outcomes);

    const fit = fitLogistic(
      hits.map((row) => [row[0] ? 1 : 0, row[1] ? 1 : 0]),
      outcomes,
    );
    const [betaA, betaB] = fit.coefficients as [number, number];
    expectTrackingCoefficient(betaA, fit.intercept);
    expect(betaB).toBeCloseTo(0, 9);
    expect(result.intercept).toBe(fit.intercept);
    expect(result.converged).toBe(true);
    // The 20 points of A and B go to A alone.
    expect(result.scale).toBe(20 / (betaA + Math.max(betaB, 0)));

    expect(result.suggestions).toEqual([
      {
        ruleId: 'a',
        label: 'A',
        dimension: 'fit',
        current: 10,
        suggested: 20,
        change: 10,
        coefficient: betaA,
        hits: 20,
        winRateHit: 0.8,
        winRateMiss: 0.2,
        advice: 'raise',
        reason: 'won 80% when hit vs 20% when not (hit by 20 of 40 leads)',
      },
      {
        ruleId: 'b',
        label: 'B',
        dimension: 'engagement',
        current: 10,
        suggested: 0,
        change: -10,
        coefficient: betaB,
        hits: 20,
        winRateHit: 0.5,
        winRateMiss: 0.5,
        advice: 'remove',
        reason: 'won 50% when hit vs 50% when not (hit by 20 of 40 leads)',
      },
      {
        ruleId: 'c',
        label: 'C',
        dimension: 'fit',
        current: 8,
        suggested: 8,
        change: 0,
        coefficient: 0,
        hits: 3,
        winRateHit: 2 / 3,
        winRateMiss: 18 / 37,
        advice: 'too_few_leads',
        reason:
          'won 67% when hit vs 49% when not (hit by 3 of 40 leads); too few leads to fit (needs 5 hit and 5 not hit)',
      },
    ]);
  });

  it('makes a positive rule that tracks losses negative, keeping the budget', () => {
    // E is the complement of A: its coefficient is exactly −β_A. Budget 10 + 5 = 15 goes to A.
    const { hits, outcomes } = leads([
      { hit: [1, 0], won: 16, lost: 4 },
      { hit: [0, 1], won: 4, lost: 16 },
    ]);
    const result = suggestPoints([rule('a', 10), rule('e', 5)], hits, outcomes);
    const [betaA, betaE] = result.suggestions.map((s) => s.coefficient).reverse() as [number, number];
    expect(betaE).toBeCloseTo(-betaA, 9);
    expect(
      result.suggestions.map(({ ruleId, current, suggested, change, advice }) => ({
        ruleId,
        current,
        suggested,
        change,
        advice,
      })),
    ).toEqual([
      { ruleId: 'e', current: 5, suggested: -15, change: -20, advice: 'make_negative' },
      { ruleId: 'a', current: 10, suggested: 15, change: 5, advice: 'raise' },
    ]);
    expect(result.suggestions[0]?.reason).toBe('won 20% when hit vs 80% when not (hit by 20 of 40 leads)');
  });

  it('keeps well-calibrated rules and removes a penalty that does not predict losses', () => {
    // A tracks wins (10 points), N is its complement as a penalty (−10), M splits every cell in half.
    const { hits, outcomes } = leads([
      { hit: [1, 0, 1], won: 8, lost: 2 },
      { hit: [1, 0, 0], won: 8, lost: 2 },
      { hit: [0, 1, 1], won: 2, lost: 8 },
      { hit: [0, 1, 0], won: 2, lost: 8 },
    ]);
    const result = suggestPoints(
      [rule('a', 10), rule('n', -10, 'negative'), rule('m', -5, 'negative')],
      hits,
      outcomes,
    );
    const byId = new Map(result.suggestions.map((s) => [s.ruleId, s]));
    const betaA = byId.get('a')!.coefficient;
    const betaN = byId.get('n')!.coefficient;
    // Only s = β_A − β_N is identified; the penalty splits it evenly (β_N = −β_A), so s is penalised
    // by l2/2: s/2 + 20·(σ(s/2) − 0.8) = 0, and intercept + β_N = −s/2.
    expect(betaN).toBeCloseTo(-betaA, 9);
    const s = betaA - betaN;
    expect(s / 2 + 20 * (sigmoid(s / 2) - 0.8)).toBeCloseTo(0, 9);
    expect(result.intercept + betaN).toBeCloseTo(-s / 2, 9);
    expect(byId.get('m')!.coefficient).toBeCloseTo(0, 9);
    expect(
      result.suggestions.map(({ ruleId, suggested, change, advice }) => [ruleId, suggested, change, advice]),
    ).toEqual([
      ['m', 0, 5, 'remove'],
      ['a', 10, 0, 'keep'],
      ['n', -10, 0, 'keep'],
    ]);
  });

  it.each([
    // Two identical columns share the coefficient: 20 points become 10 + 10.
    {
      points: [12, 8],
      expected: [
        ['a', 10, -2, 'keep'],
        ['b', 10, 2, 'keep'],
      ],
    },
    // 14 → 10 is more than max(2, 20% of 14 = 2.8): lower; 6 → 10 is more than 2: raise.
    {
      points: [14, 6],
      expected: [
        ['a', 10, -4, 'lower'],
        ['b', 10, 4, 'raise'],
      ],
    },
    // 30 → 20 is 10, more than 20% of 30 = 6; 10 → 20 is more than 2.
    {
      points: [30, 10],
      expected: [
        ['a', 20, -10, 'lower'],
        ['b', 20, 10, 'raise'],
      ],
    },
    // 25 → 20 is exactly 20% of 25: keep; 15 → 20 is more than 20% of 15 = 3: raise.
    {
      points: [25, 15],
      expected: [
        ['a', 20, -5, 'keep'],
        ['b', 20, 5, 'raise'],
      ],
    },
  ])('keep cut-off for points $points', ({ points, expected }) => {
    const { hits, outcomes } = leads([
      { hit: [1, 1], won: 16, lost: 4 },
      { hit: [0, 0], won: 4, lost: 16 },
    ]);
    const result = suggestPoints([rule('a', points[0]!), rule('b', points[1]!)], hits, outcomes);
    expect(
      result.suggestions.map(({ ruleId, suggested, change, advice }) => [ruleId, suggested, change, advice]),
    ).toEqual(expected);
  });

  it('a rule hit by almost every lead has too few misses; minHits is an option', () => {
    const { hits, outcomes } = leads([
      { hit: [1, 1], won: 16, lost: 4 },
      { hit: [0, 1], won: 2, lost: 15 },
      { hit: [0, 0], won: 1, lost: 2 },
    ]);
    const strict = suggestPoints([rule('a', 10), rule('everyone', 5)], hits, outcomes);
    expect(strict.suggestions[1]).toMatchObject({
      ruleId: 'everyone',
      hits: 37,
      suggested: 5,
      advice: 'too_few_leads',
      reason:
        'won 49% when hit vs 33% when not (hit by 37 of 40 leads); too few leads to fit (needs 5 hit and 5 not hit)',
    });
    const loose = suggestPoints([rule('a', 10), rule('everyone', 5)], hits, outcomes, { minHits: 3 });
    expect(loose.suggestions.find((s) => s.ruleId === 'everyone')?.advice).not.toBe('too_few_leads');
  });

  it('describes rules that never or always hit', () => {
    const { hits, outcomes } = leads([
      { hit: [0, 1], won: 3, lost: 2 },
      { hit: [0, 1], won: 0, lost: 1 },
    ]);
    const result = suggestPoints([rule('never', 5), rule('always', 5)], hits, outcomes);
    expect(
      result.suggestions.map((s) => [s.ruleId, s.advice, s.winRateHit, s.winRateMiss, s.reason]),
    ).toEqual([
      [
        'always',
        'too_few_leads',
        0.5,
        null,
        'won 50% when hit (hit by all 6 leads); too few leads to fit (needs 5 hit and 5 not hit)',
      ],
      [
        'never',
        'too_few_leads',
        null,
        0.5,
        'never hit (0 of 6 leads); too few leads to fit (needs 5 hit and 5 not hit)',
      ],
    ]);
    // Nothing is fitted: the intercept is the log odds of the 3 won and 3 lost leads.
    expect(result.intercept).toBeCloseTo(0, 9);
    expect(result.scale).toBe(0);
  });

  it('throws on inconsistent input', () => {
    expect(() => suggestPoints([rule('a', 1)], [], [])).toThrow('suggestPoints: no leads with an outcome');
    expect(() => suggestPoints([rule('a', 1)], [[true]], [1, 0])).toThrow('1 rows of hits but 2 outcomes');
    expect(() => suggestPoints([rule('a', 1)], [[true, false]], [1])).toThrow(
      'lead 0 has 2 hits for 1 rules',
    );
    expect(() => suggestPoints([rule('a', 1)], [[true]], [1], { minHits: -1 })).toThrow('minHits -1');
  });
});
