import { describe, expect, it } from 'vitest';
import { fitLogistic } from './logistic.ts';
import { suggestPoints, type PointSuggestion, type RuleFeature } from './suggestions.ts';

type Cell = { readonly hit: readonly (0 | 1)[]; readonly won: number; readonly lost: number };

/** Leads built from cells: each cell's hit pattern repeated for `won` won and `lost` lost leads. */
function leads(cells: readonly Cell[]) {
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

/** `cells` with every count multiplied by `m`. */
function times(m: number, cells: readonly Cell[]): Cell[] {
  return cells.map((c) => ({ hit: c.hit, won: m * c.won, lost: m * c.lost }));
}

/**
 * Standard errors of the first two columns from first principles: the square roots of the diagonal
 * of the inverse of the penalised information Σ n·p(1 − p)·x xᵀ + l2 (coefficients only), with
 * x = [1, hit₀, hit₁] and p the win probability the parameters give the cell. The 3×3 inverse is
 * taken by cofactors, independently of the solver under test.
 */
function expectedErrors(
  cells: readonly Cell[],
  intercept: number,
  [b0, b1]: readonly [number, number],
  l2: number,
): [number, number] {
  type Row = [number, number, number];
  const m: [Row, Row, Row] = [
    [0, 0, 0],
    [0, l2, 0],
    [0, 0, l2],
  ];
  for (const { hit, won, lost } of cells) {
    const x = [1, hit[0]!, hit[1]!];
    const p = sigmoid(intercept + b0 * x[1]! + b1 * x[2]!);
    x.forEach((xa, a) => x.forEach((xb, b) => (m[a]![b]! += (won + lost) * p * (1 - p) * xa * xb)));
  }
  const [[m00, m01, m02], [, m11, m12], [, , m22]] = m;
  const det = m00 * (m11 * m22 - m12 * m12) - m01 * (m01 * m22 - m12 * m02) + m02 * (m01 * m12 - m11 * m02);
  return [Math.sqrt((m00 * m22 - m02 * m02) / det), Math.sqrt((m00 * m11 - m01 * m01) / det)];
}

/** The points the data supports: round((β ± 1.96·SE)·scale). */
function supported(beta: number, se: number, scale: number) {
  return {
    low: Math.round((beta - 1.96 * se) * scale) + 0,
    high: Math.round((beta + 1.96 * se) * scale) + 0,
  };
}

/**
 * A fitted suggestion against its closed form: coefficient, standard error (to 1e-6), and the range
 * those give on the point scale.
 */
function expectFitted(s: PointSuggestion | undefined, beta: number, se: number, scale: number) {
  expect(s).toBeDefined();
  expect(Math.abs(s!.coefficient - beta)).toBeLessThan(1e-8);
  expect(Math.abs(s!.standardError - se)).toBeLessThan(1e-6);
  expect(s!.range).toEqual(supported(beta, se, scale));
}

/** The advice in short: [ruleId, current, suggested, change, advice, low, high]. */
function advice(suggestions: readonly PointSuggestion[]) {
  return suggestions.map((s) => [
    s.ruleId,
    s.current,
    s.suggested,
    s.change,
    s.advice,
    s.range.low,
    s.range.high,
  ]);
}

/**
 * A tracks wins (hit: 16 won / 4 lost; missed: 4 won / 16 lost). With l2 = 1 and the symmetric
 * table, the intercept is −β/2 and β solves β + 20·(σ(β/2) − 0.8) = 0.
 */
function expectTrackingCoefficient(beta: number, intercept: number) {
  expect(beta + 20 * (sigmoid(beta / 2) - 0.8)).toBeCloseTo(0, 9);
  expect(intercept).toBeCloseTo(-beta / 2, 9);
}

describe('suggestPoints', () => {
  it("with 40 leads the ranges are wide: keeps today's points although the estimates say 24 and 0", () => {
    // Columns A, B, C. B splits every A cell in half with the same win rate, so its coefficient is
    // exactly 0. C hits 3 leads: too few, left out of the fit. Default l2 = 1.
    const cells: Cell[] = [
      { hit: [1, 1, 1], won: 2, lost: 1 },
      { hit: [1, 1, 0], won: 6, lost: 1 },
      { hit: [1, 0, 0], won: 8, lost: 2 },
      { hit: [0, 1, 0], won: 2, lost: 8 },
      { hit: [0, 0, 0], won: 2, lost: 8 },
    ];
    const { hits, outcomes } = leads(cells);
    const result = suggestPoints([rule('a', 14), rule('b', 10, 'engagement'), rule('c', 8)], hits, outcomes);

    const fit = fitLogistic(
      hits.map((row) => [row[0] ? 1 : 0, row[1] ? 1 : 0]),
      outcomes,
    );
    const [betaA, betaB] = fit.coefficients as [number, number];
    expectTrackingCoefficient(betaA, fit.intercept);
    expect(betaB).toBeCloseTo(0, 9);
    expect(result.intercept).toBe(fit.intercept);
    expect(result.converged).toBe(true);
    // The 24 points of A and B go to A alone.
    const scale = 24 / betaA;
    expect(result.scale).toBe(24 / (betaA + Math.max(betaB, 0)));
    expect(Math.round(betaA * scale)).toBe(24);
    expect(Math.round(betaB * scale) + 0).toBe(0);
    // Every lead has p(1 − p) = σ(β/2)·σ(−β/2) = q and each (A, B) cell holds 10 leads: with the
    // intercept profiled out the information of (A, B) is diag(10q + l2, 10q + l2), l2 = 1.
    const q = sigmoid(betaA / 2) * sigmoid(-betaA / 2);
    const se = 1 / Math.sqrt(10 * q + 1);
    expect(expectedErrors(cells, fit.intercept, [betaA, betaB], 1)).toEqual([
      expect.closeTo(se, 12),
      expect.closeTo(se, 12),
    ]);
    expect(fit.standardErrors).toEqual([expect.closeTo(se, 6), expect.closeTo(se, 6)]);

    expect(result.suggestions).toEqual([
      {
        ruleId: 'a',
        label: 'A',
        dimension: 'fit',
        current: 14,
        suggested: 14,
        change: 0,
        coefficient: betaA,
        standardError: fit.standardErrors[0],
        range: { low: 9, high: 39 },
        hits: 20,
        winRateHit: 0.8,
        winRateMiss: 0.2,
        advice: 'keep',
        reason: 'won 80% when hit vs 20% when not (hit by 20 of 40 leads); the data supports 9 to 39 points',
      },
      {
        ruleId: 'b',
        label: 'B',
        dimension: 'engagement',
        current: 10,
        suggested: 10,
        change: 0,
        coefficient: betaB,
        standardError: fit.standardErrors[1],
        range: { low: -15, high: 15 },
        hits: 20,
        winRateHit: 0.5,
        winRateMiss: 0.5,
        advice: 'keep',
        reason:
          'won 50% when hit vs 50% when not (hit by 20 of 40 leads); the data supports -15 to 15 points',
      },
      {
        ruleId: 'c',
        label: 'C',
        dimension: 'fit',
        current: 8,
        suggested: 8,
        change: 0,
        coefficient: 0,
        standardError: Infinity,
        range: { low: 8, high: 8 },
        hits: 3,
        winRateHit: 2 / 3,
        winRateMiss: 18 / 37,
        advice: 'too_few_leads',
        reason:
          'won 67% when hit vs 49% when not (hit by 3 of 40 leads); too few leads to fit (needs 5 hit and 5 not hit)',
      },
    ]);
    expectFitted(result.suggestions[0], betaA, se, scale);
    expectFitted(result.suggestions[1], betaB, se, scale);
  });

  it('raises a rule that tracks wins and removes one hit as often by won as by lost leads (480 leads)', () => {
    // A multiplies the odds of a win by 9 (1/3 → 3); Z splits every A cell in half.
    const cells = times(3, [
      { hit: [0, 0], won: 10, lost: 30 },
      { hit: [0, 1], won: 10, lost: 30 },
      { hit: [1, 0], won: 30, lost: 10 },
      { hit: [1, 1], won: 30, lost: 10 },
    ]);
    const { hits, outcomes } = leads(cells);
    const result = suggestPoints([rule('a', 10), rule('z', 10, 'engagement')], hits, outcomes, { l2: 1e-9 });

    // With l2 ≈ 0 the fit reproduces the cells: β_A = log 9, β_Z = 0. Every lead has p(1 − p) = 3/16,
    // so each cell weighs 22.5 and both errors are 1/sqrt(22.5).
    const [seA, seZ] = expectedErrors(cells, Math.log(1 / 3), [Math.log(9), 0], 1e-9);
    expect(seA).toBeCloseTo(1 / Math.sqrt(22.5), 6);
    expect(seZ).toBeCloseTo(1 / Math.sqrt(22.5), 6);
    const scale = 20 / Math.log(9);
    expect(result.scale).toBeCloseTo(scale, 6);
    expect(result.converged).toBe(true);
    expectFitted(result.suggestions[0], Math.log(9), seA, scale);
    expectFitted(result.suggestions[1], 0, seZ, scale);

    expect(result.suggestions).toEqual([
      expect.objectContaining({
        ruleId: 'a',
        current: 10,
        suggested: 20,
        change: 10,
        range: { low: 16, high: 24 },
        advice: 'raise',
        reason:
          'won 75% when hit vs 25% when not (hit by 240 of 480 leads); the data supports 16 to 24 points',
      }),
      // The estimate rounds to 0 and the range, which includes 0, leaves out today's 10 points.
      expect.objectContaining({
        ruleId: 'z',
        current: 10,
        suggested: 0,
        change: -10,
        range: { low: -4, high: 4 },
        advice: 'remove',
        reason:
          'won 50% when hit vs 50% when not (hit by 240 of 480 leads); the data supports -4 to 4 points',
      }),
    ]);
  });

  it.each([
    // 40 leads: E's range reaches above 0, so its sign is not known: remove, not make negative.
    // A's range still holds today's 6 points.
    {
      m: 1,
      points: [6, 6],
      expected: [
        ['e', 6, 0, -6, 'remove', -15, 3],
        ['a', 6, 6, 0, 'keep', 4, 20],
      ],
    },
    // 80 leads: E's range ends at 0 (0.09 rounded), which still includes 0: remove. A's range
    // starts at today's 6 points (6.17 rounded): keep, the bounds count as inside.
    {
      m: 2,
      points: [6, 6],
      expected: [
        ['e', 6, 0, -6, 'remove', -12, 0],
        ['a', 6, 6, 0, 'keep', 6, 18],
      ],
    },
    // 400 leads, the same win rates: E's whole range is below 0.
    {
      m: 10,
      points: [6, 6],
      expected: [
        ['e', 6, -6, -12, 'make_negative', -9, -3],
        ['a', 6, 12, 6, 'raise', 9, 15],
      ],
    },
    // A rule that gives 0 points is made negative too; the budget is A's 6 points alone.
    {
      m: 10,
      points: [6, 0],
      expected: [
        ['e', 0, -3, -3, 'make_negative', -4, -2],
        ['a', 6, 6, 0, 'keep', 5, 7],
      ],
    },
  ])('a rule whose hits lose more often, $m× 40 leads, points $points', ({ m, points, expected }) => {
    // A multiplies the odds of a win by 9, E divides them by 3, independently (odds 1/3, 3, 1/9, 1).
    const cells = times(m, [
      { hit: [0, 0], won: 3, lost: 9 },
      { hit: [1, 0], won: 9, lost: 3 },
      { hit: [0, 1], won: 1, lost: 9 },
      { hit: [1, 1], won: 3, lost: 3 },
    ]);
    const { hits, outcomes } = leads(cells);
    const result = suggestPoints([rule('a', points[0]!), rule('e', points[1]!)], hits, outcomes, {
      l2: 1e-9,
    });

    // E's coefficient is negative, so the whole budget goes to A; E's estimate is
    // budget·(−log 3)/log 9 = −budget/2.
    const betas = [Math.log(9), -Math.log(3)] as const;
    const [seA, seE] = expectedErrors(cells, Math.log(1 / 3), betas, 1e-9);
    const scale = (points[0]! + points[1]!) / Math.log(9);
    expect(result.scale).toBeCloseTo(scale, 6);
    const byId = new Map(result.suggestions.map((s) => [s.ruleId, s]));
    expectFitted(byId.get('a'), betas[0], seA, scale);
    expectFitted(byId.get('e'), betas[1], seE, scale);
    expect(advice(result.suggestions)).toEqual(expected);
  });

  it('lowers a rule whose range includes 0 when the estimate keeps its sign (81 leads)', () => {
    // A multiplies the odds of a win by 9, B by 2 (odds 1/3, 2/3, 3, 6).
    const cells: Cell[] = [
      { hit: [0, 0], won: 5, lost: 15 },
      { hit: [0, 1], won: 8, lost: 12 },
      { hit: [1, 0], won: 15, lost: 5 },
      { hit: [1, 1], won: 18, lost: 3 },
    ];
    const { hits, outcomes } = leads(cells);
    const result = suggestPoints([rule('a', 5), rule('b', 25)], hits, outcomes, { l2: 1e-9 });

    const betas = [Math.log(9), Math.log(2)] as const;
    const [seA, seB] = expectedErrors(cells, Math.log(1 / 3), betas, 1e-9);
    const scale = 30 / Math.log(18);
    expect(result.scale).toBeCloseTo(scale, 6);
    expectFitted(result.suggestions[0], betas[0], seA, scale);
    expectFitted(result.suggestions[1], betas[1], seB, scale);
    // Estimates 30·log 9/log 18 = 22.8 and 30·log 2/log 18 = 7.2. B's range (−3 to 18) includes 0
    // but the estimate is positive like today's points: lower to it rather than remove.
    expect(advice(result.suggestions)).toEqual([
      ['a', 5, 23, 18, 'raise', 12, 34],
      ['b', 25, 7, -18, 'lower', -3, 18],
    ]);
    expect(result.suggestions[1]?.reason).toBe(
      'won 63% when hit vs 50% when not (hit by 41 of 81 leads); the data supports -3 to 18 points',
    );
  });

  /** A multiplies the odds of a win by 9 and the second rule by 3 (odds 1/9, 1, 1/3, 3); 80 leads. */
  const helpsFew: Cell[] = [
    { hit: [0, 0], won: 2, lost: 18 },
    { hit: [1, 0], won: 10, lost: 10 },
    { hit: [0, 1], won: 5, lost: 15 },
    { hit: [1, 1], won: 15, lost: 5 },
  ];
  /** The same, 1,600 leads. */
  const helps = times(20, helpsFew);
  /** A multiplies the odds of a win by 9 and N divides them by 3 (odds 1/3, 3, 1/9, 1); 400 leads. */
  const hurts = times(10, [
    { hit: [0, 0], won: 3, lost: 9 },
    { hit: [1, 0], won: 9, lost: 3 },
    { hit: [0, 1], won: 1, lost: 9 },
    { hit: [1, 1], won: 3, lost: 3 },
  ]);

  it.each([
    // The penalty's hits win more often, and the data is sure of it (4 to 6 points, not including
    // 0): a penalty is never turned into a reward, so remove it.
    {
      name: 'removes a penalty whose hits win more often',
      cells: helps,
      penalty: -10,
      intercept: Math.log(1 / 9),
      betaN: Math.log(3),
      expected: [
        ['n', -10, 0, 10, 'remove', 4, 6],
        ['a', 10, 10, 0, 'keep', 9, 11],
      ],
    },
    {
      name: 'keeps a penalty within the range',
      cells: hurts,
      penalty: -6,
      intercept: Math.log(1 / 3),
      betaN: -Math.log(3),
      expected: [
        ['a', 10, 10, 0, 'keep', 8, 12],
        ['n', -6, -6, 0, 'keep', -7, -3],
      ],
    },
    // −3 is the mild end of the range (−2.73 rounded): the bounds count as inside.
    {
      name: 'keeps a penalty at the end of the range',
      cells: hurts,
      penalty: -3,
      intercept: Math.log(1 / 3),
      betaN: -Math.log(3),
      expected: [
        ['a', 10, 10, 0, 'keep', 8, 12],
        ['n', -3, -3, 0, 'keep', -7, -3],
      ],
    },
    {
      name: 'raises a penalty harsher than the data supports to the estimate',
      cells: hurts,
      penalty: -15,
      intercept: Math.log(1 / 3),
      betaN: -Math.log(3),
      expected: [
        ['n', -15, -5, 10, 'raise', -7, -3],
        ['a', 10, 10, 0, 'keep', 8, 12],
      ],
    },
  ])('$name', ({ cells, penalty, intercept, betaN, expected }) => {
    const { hits, outcomes } = leads(cells);
    const result = suggestPoints([rule('a', 10), rule('n', penalty, 'negative')], hits, outcomes, {
      l2: 1e-9,
    });
    // Only A's 10 points set the scale; the penalty's estimate is 10·β_N/log 9 = ±5.
    const betas = [Math.log(9), betaN] as const;
    const [seA, seN] = expectedErrors(cells, intercept, betas, 1e-9);
    const scale = 10 / Math.log(9);
    expect(result.scale).toBeCloseTo(scale, 6);
    const byId = new Map(result.suggestions.map((s) => [s.ruleId, s]));
    expectFitted(byId.get('a'), betas[0], seA, scale);
    expectFitted(byId.get('n'), betas[1], seN, scale);
    expect(advice(result.suggestions)).toEqual(expected);
  });

  it('keeps points at either end of the range: 80 leads with the win rates of the table below', () => {
    // The estimates are 20 and 10 as below, but with 80 leads A's range starts at today's 10
    // (10.02 rounded) and B's ends at today's 20 (19.73 rounded): keep both.
    const cells = helpsFew;
    const { hits, outcomes } = leads(cells);
    const result = suggestPoints([rule('a', 10), rule('b', 20)], hits, outcomes, { l2: 1e-9 });
    const betas = [Math.log(9), Math.log(3)] as const;
    const [seA, seB] = expectedErrors(cells, Math.log(1 / 9), betas, 1e-9);
    const scale = 30 / Math.log(27);
    expect(result.scale).toBeCloseTo(scale, 6);
    expectFitted(result.suggestions[0], betas[0], seA, scale);
    expectFitted(result.suggestions[1], betas[1], seB, scale);
    expect(Math.round(betas[0] * scale)).toBe(20);
    expect(Math.round(betas[1] * scale)).toBe(10);
    expect(advice(result.suggestions)).toEqual([
      ['a', 10, 10, 0, 'keep', 10, 30],
      ['b', 20, 20, 0, 'keep', 0, 20],
    ]);
  });

  it.each([
    // Budget 30: estimates 20 and 10, ranges 18 to 22 and 8 to 12.
    // Far off both ways: raise and lower to the estimates.
    {
      points: [10, 20],
      expected: [
        ['a', 10, 20, 10, 'raise', 18, 22],
        ['b', 20, 10, -10, 'lower', 8, 12],
      ],
    },
    // 25 → 20 is exactly 20% of 25: keep; 5 → 10 is more than max(2, 20% of 5): raise.
    {
      points: [25, 5],
      expected: [
        ['b', 5, 10, 5, 'raise', 8, 12],
        ['a', 25, 25, 0, 'keep', 18, 22],
      ],
    },
    // 26 → 20 is more than 20% of 26 = 5.2: lower; 4 → 10: raise.
    {
      points: [26, 4],
      expected: [
        ['a', 26, 20, -6, 'lower', 18, 22],
        ['b', 4, 10, 6, 'raise', 8, 12],
      ],
    },
    // Budget 15: estimates 10 and 5, ranges 9 to 11 and 4 to 6.
    // 8 → 10 and 7 → 5 are 2 points, more than 20% of 8 or 7 but within the 2-point floor: keep.
    {
      points: [8, 7],
      expected: [
        ['a', 8, 8, 0, 'keep', 9, 11],
        ['b', 7, 7, 0, 'keep', 4, 6],
      ],
    },
    // 7 → 10 and 8 → 5 are 3 points: raise and lower.
    {
      points: [7, 8],
      expected: [
        ['a', 7, 10, 3, 'raise', 9, 11],
        ['b', 8, 5, -3, 'lower', 4, 6],
      ],
    },
  ])(
    'keep cut-off for points $points when the range leaves them out (1,600 leads)',
    ({ points, expected }) => {
      // A multiplies the odds of a win by 9 and B by 3: A gets 2/3 of the budget, B 1/3.
      const { hits, outcomes } = leads(helps);
      const result = suggestPoints([rule('a', points[0]!), rule('b', points[1]!)], hits, outcomes, {
        l2: 1e-9,
      });
      const betas = [Math.log(9), Math.log(3)] as const;
      const [seA, seB] = expectedErrors(helps, Math.log(1 / 9), betas, 1e-9);
      const scale = (points[0]! + points[1]!) / Math.log(27);
      expect(result.scale).toBeCloseTo(scale, 6);
      const byId = new Map(result.suggestions.map((s) => [s.ruleId, s]));
      expectFitted(byId.get('a'), betas[0], seA, scale);
      expectFitted(byId.get('b'), betas[1], seB, scale);
      // Today's points lie outside the range every time: what is kept is kept by the cut-off.
      for (const s of result.suggestions)
        expect(s.current < s.range.low || s.current > s.range.high).toBe(true);
      expect(advice(result.suggestions)).toEqual(expected);
    },
  );

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
