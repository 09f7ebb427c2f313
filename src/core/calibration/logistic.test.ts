import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../test/support/prng.ts';
import { fitLogistic, predictProbability, solve, type LogisticFit } from './logistic.ts';

/** `won` rows with outcome 1 and `lost` rows with outcome 0, all equal to `row`. */
function block(row: readonly number[], won: number, lost: number) {
  return {
    rows: Array.from({ length: won + lost }, () => [...row]),
    outcomes: [
      ...Array.from({ length: won }, () => 1 as const),
      ...Array.from({ length: lost }, () => 0 as const),
    ],
  };
}

function concat(...blocks: ReturnType<typeof block>[]) {
  return { rows: blocks.flatMap((b) => b.rows), outcomes: blocks.flatMap((b) => b.outcomes) };
}

/** The gradient of −loglik + (l2/2)·‖β‖² (intercept first), computed independently of the fit. */
function gradient(
  rows: readonly (readonly number[])[],
  outcomes: readonly (0 | 1)[],
  fit: LogisticFit,
  l2: number,
): number[] {
  const g = new Array<number>(fit.coefficients.length + 1).fill(0);
  rows.forEach((row, i) => {
    const z = row.reduce((sum, x, j) => sum + x * fit.coefficients[j]!, fit.intercept);
    const r = 1 / (1 + Math.exp(-z)) - outcomes[i]!;
    g[0]! += r;
    row.forEach((x, j) => (g[j + 1]! += r * x));
  });
  fit.coefficients.forEach((b, j) => (g[j + 1]! += l2 * b));
  return g;
}

/**
 * The Hessian of −loglik + (l2/2)·‖β‖² (intercept first) at the fit, computed independently of it:
 * Σ p(1 − p)·x xᵀ with x = [1, ...row], plus l2 on the diagonal of the coefficients.
 */
function hessian(rows: readonly (readonly number[])[], fit: LogisticFit, l2: number): number[][] {
  const k = fit.coefficients.length + 1;
  const h = Array.from({ length: k }, (_, a) =>
    Array.from({ length: k }, (__, b) => (a === b && a > 0 ? l2 : 0)),
  );
  for (const row of rows) {
    const p = predictProbability(fit, row);
    const x = [1, ...row];
    x.forEach((xa, a) => x.forEach((xb, b) => (h[a]![b]! += p * (1 - p) * xa * xb)));
  }
  return h;
}

/** n rows of p columns (binary, uniform, and a shifted normal-ish), outcomes from a true model. */
function randomData(seed: number, n: number) {
  const rng = mulberry32(seed);
  const rows: number[][] = [];
  const outcomes: (0 | 1)[] = [];
  for (let i = 0; i < n; i++) {
    const row = [rng() < 0.3 ? 1 : 0, rng() * 10, rng() + rng() + rng() - 1.5, rng() < 0.5 ? 1 : 0];
    const z = -1 + 1.5 * row[0]! + 0.2 * row[1]! - 0.8 * row[2]! + 0 * row[3]!;
    rows.push(row);
    outcomes.push(rng() < 1 / (1 + Math.exp(-z)) ? 1 : 0);
  }
  return { rows, outcomes };
}

describe('fitLogistic', () => {
  it.each([
    { seed: 1, n: 50, l2: 1 },
    { seed: 2, n: 200, l2: 1 },
    { seed: 3, n: 500, l2: 0.1 },
    { seed: 4, n: 80, l2: 10 },
    { seed: 5, n: 30, l2: 1e-6 },
  ])('zeroes the gradient of the penalised objective (seed $seed, n $n, l2 $l2)', ({ seed, n, l2 }) => {
    const { rows, outcomes } = randomData(seed, n);
    const fit = fitLogistic(rows, outcomes, { l2 });
    expect(fit.converged).toBe(true);
    expect(fit.coefficients).toHaveLength(4);
    for (const g of gradient(rows, outcomes, fit, l2)) expect(Math.abs(g)).toBeLessThan(1e-6);
  });

  it.each([
    { won: 30, lost: 10 },
    { won: 7, lost: 13 },
    { won: 1, lost: 99 },
  ])('without features the intercept is log(won/lost) ($won/$lost)', ({ won, lost }) => {
    const { rows, outcomes } = block([], won, lost);
    const fit = fitLogistic(rows, outcomes);
    expect(fit.converged).toBe(true);
    expect(fit.coefficients).toEqual([]);
    expect(fit.standardErrors).toEqual([]);
    expect(fit.intercept).toBeCloseTo(Math.log(won / lost), 9);
  });

  it('one binary feature with l2≈0: the coefficient is the log odds ratio of the 2×2 table', () => {
    // Hit: 30 won / 10 lost (odds 3). Not hit: 10 won / 30 lost (odds 1/3). Odds ratio 9.
    const { rows, outcomes } = concat(block([1], 30, 10), block([0], 10, 30));
    const fit = fitLogistic(rows, outcomes, { l2: 1e-9 });
    expect(fit.converged).toBe(true);
    expect(Math.abs(fit.coefficients[0]! - Math.log(9))).toBeLessThan(1e-8);
    expect(Math.abs(fit.intercept - Math.log(1 / 3))).toBeLessThan(1e-8);
  });

  it('an uneven 2×2 table with l2≈0', () => {
    // Hit: 12 won / 3 lost (odds 4). Not hit: 5 won / 20 lost (odds 1/4). Odds ratio 16.
    const { rows, outcomes } = concat(block([1], 12, 3), block([0], 5, 20));
    const fit = fitLogistic(rows, outcomes, { l2: 1e-9 });
    expect(Math.abs(fit.coefficients[0]! - Math.log(16))).toBeLessThan(1e-8);
    expect(Math.abs(fit.intercept - Math.log(5 / 20))).toBeLessThan(1e-8);
  });

  it.each([
    { a: 30, b: 10, c: 10, d: 30 },
    { a: 12, b: 3, c: 5, d: 20 },
    { a: 200, b: 50, c: 40, d: 160 },
    { a: 1, b: 1, c: 1, d: 1 },
  ])(
    'one binary feature with l2≈0: the standard error is that of a log odds ratio ($a/$b vs $c/$d)',
    ({ a, b, c, d }) => {
      // Hit: a won / b lost; not hit: c won / d lost. SE(log OR) = sqrt(1/a + 1/b + 1/c + 1/d).
      const { rows, outcomes } = concat(block([1], a, b), block([0], c, d));
      const fit = fitLogistic(rows, outcomes, { l2: 1e-9 });
      expect(fit.converged).toBe(true);
      expect(fit.standardErrors).toHaveLength(1);
      expect(Math.abs(fit.standardErrors[0]! - Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d))).toBeLessThan(1e-6);
    },
  );

  it('a larger l2 gives a smaller standard error: 1/sqrt(W₀W₁/(W₀ + W₁) + l2) for one binary feature', () => {
    // With W₁ = Σ p(1 − p) over the hit rows and W₀ over the others, the inverse of
    // [[W₀ + W₁, W₁], [W₁, W₁ + l2]] has W₀W₁/(W₀ + W₁) + l2 as the reciprocal of its coefficient entry.
    const { rows, outcomes } = concat(block([1], 30, 10), block([0], 10, 30));
    const errors = [0.1, 1, 10, 100].map((l2) => {
      const fit = fitLogistic(rows, outcomes, { l2 });
      const p1 = predictProbability(fit, [1]);
      const p0 = predictProbability(fit, [0]);
      const w1 = 40 * p1 * (1 - p1);
      const w0 = 40 * p0 * (1 - p0);
      const se = fit.standardErrors[0]!;
      expect(se).toBeCloseTo(1 / Math.sqrt((w0 * w1) / (w0 + w1) + l2), 9);
      // The penalty alone bounds the variance: never above 1/l2.
      expect(se).toBeLessThan(1 / Math.sqrt(l2));
      return se;
    });
    for (let i = 1; i < errors.length; i++) expect(errors[i]!).toBeLessThan(errors[i - 1]!);
  });

  it.each([
    { seed: 1, n: 50, l2: 1 },
    { seed: 3, n: 500, l2: 0.1 },
    { seed: 4, n: 80, l2: 10 },
  ])(
    'the standard errors are the diagonal of the inverse penalised Hessian (seed $seed, n $n, l2 $l2)',
    ({ seed, n, l2 }) => {
      const { rows, outcomes } = randomData(seed, n);
      const fit = fitLogistic(rows, outcomes, { l2 });
      const h = hessian(rows, fit, l2);
      expect(fit.standardErrors).toHaveLength(4);
      fit.standardErrors.forEach((se, j) => {
        const column = solve(
          h,
          h.map((_, k) => (k === j + 1 ? 1 : 0)),
        )!;
        expect(se).toBeCloseTo(Math.sqrt(column[j + 1]!), 9);
        expect(se).toBeGreaterThan(0);
        expect(se).toBeLessThan(1 / Math.sqrt(l2));
      });
    },
  );

  it('separable data stays finite, and a larger l2 shrinks the coefficient', () => {
    // x = 1: 10 won, x = 0: 10 lost. By symmetry intercept = −β/2 and l2·β = 10·σ(−β/2).
    const { rows, outcomes } = concat(block([1], 10, 0), block([0], 0, 10));
    const betas = [0.1, 1, 10].map((l2) => {
      const fit = fitLogistic(rows, outcomes, { l2 });
      const beta = fit.coefficients[0]!;
      expect(fit.converged).toBe(true);
      expect(Number.isFinite(beta)).toBe(true);
      expect(fit.intercept).toBeCloseTo(-beta / 2, 9);
      expect(l2 * beta).toBeCloseTo(10 / (1 + Math.exp(beta / 2)), 9);
      return beta;
    });
    expect(betas[0]!).toBeGreaterThan(betas[1]!);
    expect(betas[1]!).toBeGreaterThan(betas[2]!);
    expect(betas[2]!).toBeGreaterThan(0);
  });

  it('a constant zero column gets exactly 0; a constant one column gets 0 and leaves the intercept', () => {
    const data = concat(block([0, 1, 1], 30, 10), block([0, 1, 0], 10, 30));
    const fit = fitLogistic(data.rows, data.outcomes);
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBe(0);
    // Only a + β₁ is identified; the penalty puts it all in the unpenalised intercept.
    expect(fit.coefficients[1]).toBeCloseTo(0, 9);

    const alone = block([1], 30, 10);
    const one = fitLogistic(alone.rows, alone.outcomes);
    expect(one.coefficients[0]).toBeCloseTo(0, 9);
    expect(one.intercept).toBeCloseTo(Math.log(3), 9);
  });

  it.each([1, 4, 0.25])('a constant zero column has standard error exactly 1/sqrt(l2) (l2 %s)', (l2) => {
    // No row touches the column: its Hessian entry is just l2, with nothing off the diagonal.
    const data = concat(block([0, 1], 30, 10), block([0, 0], 10, 30));
    const fit = fitLogistic(data.rows, data.outcomes, { l2 });
    expect(fit.converged).toBe(true);
    expect(fit.standardErrors[0]).toBe(1 / Math.sqrt(l2));
    // The Hessian is block-diagonal, so the other column's error is as if the zero column were absent.
    const without = fitLogistic(
      data.rows.map((row) => row.slice(1)),
      data.outcomes,
      { l2 },
    );
    expect(fit.standardErrors[1]).toBeCloseTo(without.standardErrors[0]!, 12);
  });

  it('a constant one column also has standard error 1/sqrt(l2): only the penalty tells it from the intercept', () => {
    // Hessian [[W, W], [W, W + l2]]: the coefficient entry of its inverse is W/(W·l2) = 1/l2.
    const { rows, outcomes } = block([1], 30, 10);
    for (const l2 of [1, 4]) {
      expect(fitLogistic(rows, outcomes, { l2 }).standardErrors[0]).toBeCloseTo(1 / Math.sqrt(l2), 9);
    }
  });

  it('l2 = 0 with a constant column is singular: no step, and every standard error is Infinity', () => {
    const data = concat(block([0, 1], 30, 10), block([0, 0], 10, 30));
    const fit = fitLogistic(data.rows, data.outcomes, { l2: 0 });
    expect(fit).toEqual({
      intercept: 0,
      coefficients: [0, 0],
      iterations: 0,
      converged: false,
      standardErrors: [Infinity, Infinity],
    });
  });

  it('all outcomes equal: stays finite and reports no convergence', () => {
    const { rows, outcomes } = block([1], 20, 0);
    const fit = fitLogistic(rows, outcomes);
    expect(fit.converged).toBe(false);
    expect(Number.isFinite(fit.intercept)).toBe(true);
    expect(fit.intercept).toBeGreaterThan(20);
    // The iteration stops once the intercept's Hessian entry Σ p(1 − p) is negligible next to l2:
    // the system counts as singular, so there is no standard error.
    expect(fit.standardErrors).toEqual([Infinity]);
  });

  it('stops at maxIterations without converging', () => {
    const { rows, outcomes } = randomData(9, 100);
    const fit = fitLogistic(rows, outcomes, { maxIterations: 1 });
    expect(fit).toMatchObject({ iterations: 1, converged: false });
  });

  it.each([
    { name: 'no rows', rows: [], outcomes: [], message: 'fitLogistic: no rows to fit' },
    {
      name: 'ragged rows',
      rows: [[1, 2], [3]],
      outcomes: [1, 0],
      message: 'row 1 has 1 columns, row 0 has 2',
    },
    { name: 'missing outcomes', rows: [[1], [2]], outcomes: [1], message: '2 rows but 1 outcomes' },
    {
      name: 'NaN',
      rows: [[1], [Number.NaN]],
      outcomes: [1, 0],
      message: 'row 1 column 0 is not a finite number',
    },
  ] as const)('throws on $name', ({ rows, outcomes, message }) => {
    expect(() => fitLogistic(rows, outcomes)).toThrow(message);
  });

  it('throws on invalid options', () => {
    const { rows, outcomes } = block([1], 2, 2);
    expect(() => fitLogistic(rows, outcomes, { l2: -1 })).toThrow('l2 must be finite and ≥ 0');
    expect(() => fitLogistic(rows, outcomes, { maxIterations: 0 })).toThrow('maxIterations');
    expect(() => fitLogistic(rows, outcomes, { tolerance: 0 })).toThrow('tolerance');
  });
});

describe('predictProbability', () => {
  it('is the fitted win rate for a table', () => {
    const { rows, outcomes } = concat(block([1], 30, 10), block([0], 10, 30));
    const fit = fitLogistic(rows, outcomes, { l2: 1e-9 });
    expect(predictProbability(fit, [1])).toBeCloseTo(0.75, 9);
    expect(predictProbability(fit, [0])).toBeCloseTo(0.25, 9);
  });
});

describe('solve', () => {
  it('needs a row swap when the first pivot is zero', () => {
    // x = [1, 2, 3]
    expect(
      solve(
        [
          [0, 2, 1],
          [1, 1, 1],
          [2, 1, 0],
        ],
        [7, 6, 4],
      ),
    ).toEqual([1, 2, 3]);
  });

  it('is undefined for a singular system', () => {
    expect(
      solve(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toBeUndefined();
    expect(solve([[0]], [1])).toBeUndefined();
  });
});
