/**
 * Penalised logistic regression by Newton's method (IRLS): minimise
 * −loglik + (l2/2)·‖β‖², where the intercept is not penalised. The (p+1)×(p+1) Newton system is
 * solved by Gaussian elimination with partial pivoting; each step is halved until the objective
 * does not increase, so the iteration cannot diverge. With l2 > 0 and both outcomes present the
 * objective is strictly convex and coercive: constant columns and perfectly separable data still
 * give one finite solution.
 */

export interface LogisticFit {
  readonly intercept: number;
  /** One per column of the rows, in column order (log-odds per unit of the column). */
  readonly coefficients: readonly number[];
  /** Newton steps taken. */
  readonly iterations: number;
  /**
   * False when the iteration limit was reached or the Newton system became singular (all outcomes
   * equal, whose maximum lies at an infinite intercept; or l2 = 0 with a constant column).
   */
  readonly converged: boolean;
  /**
   * One per coefficient: the square root of the diagonal of the inverse penalised Hessian at the
   * solution (the usual large-sample approximation); Infinity where the system is singular.
   */
  readonly standardErrors: readonly number[];
}

export interface LogisticOptions {
  /** Ridge penalty on the coefficients (not the intercept); finite, at least 0. Default 1. */
  readonly l2?: number;
  /** Default 100. */
  readonly maxIterations?: number;
  /** Stop when no parameter moves by more than this in one step. Default 1e-9. */
  readonly tolerance?: number;
}

/** Relative size below which a pivot counts as zero. */
const SINGULAR = 1e-12;
/** Relative increase of the objective still taken as "not worse" (rounding noise). */
const NOISE = 1e-12;
/** Step halvings tried before giving up on a step. */
const MAX_HALVINGS = 50;

/**
 * Fits `outcomes` (1 = won) on `rows` (one number per column, all rows the same length).
 * Throws an Error without rows, when the lengths disagree, on a non-finite value, or on an
 * invalid option.
 */
export function fitLogistic(
  rows: readonly (readonly number[])[],
  outcomes: readonly (0 | 1)[],
  options: LogisticOptions = {},
): LogisticFit {
  const l2 = options.l2 ?? 1;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  const p = validate(rows, outcomes, l2, maxIterations, tolerance);

  // beta[0] is the intercept; design row i is [1, ...rows[i]].
  let beta = new Array<number>(p + 1).fill(0);
  let value = objective(rows, outcomes, beta, l2);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    const { gradient, hessian } = derivatives(rows, outcomes, beta, l2);
    const step = solve(hessian, gradient);
    if (step === undefined) return result(rows, outcomes, beta, l2, iteration - 1, false);

    const size = Math.max(...step.map(Math.abs));
    if (size <= tolerance) {
      // Close enough that the objective can no longer tell the steps apart: take it and stop.
      return result(
        rows,
        outcomes,
        beta.map((b, j) => b - (step[j] ?? 0)),
        l2,
        iteration,
        true,
      );
    }
    // Rounding noise in the objective must not reject a good step near the optimum.
    const ceiling = value + NOISE * (1 + Math.abs(value));
    let t = 1;
    let next = beta.map((b, j) => b - (step[j] ?? 0));
    let nextValue = objective(rows, outcomes, next, l2);
    for (let h = 0; h < MAX_HALVINGS && !(nextValue <= ceiling); h++) {
      t /= 2;
      next = beta.map((b, j) => b - t * (step[j] ?? 0));
      nextValue = objective(rows, outcomes, next, l2);
    }
    if (!(nextValue <= ceiling)) return result(rows, outcomes, beta, l2, iteration - 1, false);
    beta = next;
    value = nextValue;
  }
  return result(rows, outcomes, beta, l2, maxIterations, false);
}

/** The fitted probability of a win for one row. */
export function predictProbability(fit: LogisticFit, row: readonly number[]): number {
  return sigmoid(linear([fit.intercept, ...fit.coefficients], row));
}

function validate(
  rows: readonly (readonly number[])[],
  outcomes: readonly (0 | 1)[],
  l2: number,
  maxIterations: number,
  tolerance: number,
): number {
  const first = rows[0];
  if (first === undefined) throw new Error('fitLogistic: no rows to fit');
  if (outcomes.length !== rows.length) {
    throw new Error(`fitLogistic: ${rows.length} rows but ${outcomes.length} outcomes`);
  }
  rows.forEach((row, i) => {
    if (row.length !== first.length) {
      throw new Error(`fitLogistic: row ${i} has ${row.length} columns, row 0 has ${first.length}`);
    }
    const bad = row.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) throw new Error(`fitLogistic: row ${i} column ${bad} is not a finite number`);
  });
  outcomes.forEach((y, i) => {
    if (y !== 0 && y !== 1) throw new Error(`fitLogistic: outcome ${i} is not 0 or 1`);
  });
  if (!(Number.isFinite(l2) && l2 >= 0)) throw new Error(`fitLogistic: l2 must be finite and ≥ 0`);
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new Error('fitLogistic: maxIterations must be a positive integer');
  }
  if (!(tolerance > 0)) throw new Error('fitLogistic: tolerance must be positive');
  return first.length;
}

function result(
  rows: readonly (readonly number[])[],
  outcomes: readonly (0 | 1)[],
  beta: readonly number[],
  l2: number,
  iterations: number,
  converged: boolean,
): LogisticFit {
  const { hessian } = derivatives(rows, outcomes, beta, l2);
  const standardErrors = beta.slice(1).map((_, j) => {
    const unit = beta.map((__, k) => (k === j + 1 ? 1 : 0));
    const column = solve(hessian, unit);
    const variance = column?.[j + 1];
    return variance !== undefined && variance > 0 ? Math.sqrt(variance) : Infinity;
  });
  return { intercept: beta[0] ?? 0, coefficients: beta.slice(1), iterations, converged, standardErrors };
}

function linear(beta: readonly number[], row: readonly number[]): number {
  let z = beta[0] ?? 0;
  for (let j = 0; j < row.length; j++) z += (beta[j + 1] ?? 0) * (row[j] ?? 0);
  return z;
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

function objective(
  rows: readonly (readonly number[])[],
  outcomes: readonly (0 | 1)[],
  beta: readonly number[],
  l2: number,
): number {
  let total = 0;
  rows.forEach((row, i) => {
    const z = linear(beta, row);
    // −log p = softplus(−z) for a win; −log(1 − p) = softplus(z) for a loss.
    total += outcomes[i] === 1 ? softplus(-z) : softplus(z);
  });
  for (let j = 1; j < beta.length; j++) total += (l2 / 2) * (beta[j] ?? 0) ** 2;
  return total;
}

function derivatives(
  rows: readonly (readonly number[])[],
  outcomes: readonly (0 | 1)[],
  beta: readonly number[],
  l2: number,
): { readonly gradient: number[]; readonly hessian: number[][] } {
  const k = beta.length;
  const gradient = new Array<number>(k).fill(0);
  const hessian = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  rows.forEach((row, i) => {
    const z = linear(beta, row);
    const prob = sigmoid(z);
    // p(1 − p) from both tails, so it stays positive far from zero.
    const weight = prob * sigmoid(-z);
    const residual = prob - (outcomes[i] ?? 0);
    const x = [1, ...row];
    for (let a = 0; a < k; a++) {
      const xa = x[a] ?? 0;
      gradient[a] = (gradient[a] ?? 0) + residual * xa;
      const line = hessian[a] ?? [];
      for (let b = 0; b <= a; b++) line[b] = (line[b] ?? 0) + weight * xa * (x[b] ?? 0);
    }
  });
  for (let a = 0; a < k; a++) {
    const line = hessian[a] ?? [];
    if (a > 0) {
      gradient[a] = (gradient[a] ?? 0) + l2 * (beta[a] ?? 0);
      line[a] = (line[a] ?? 0) + l2;
    }
    for (let b = 0; b < a; b++) (hessian[b] ?? [])[a] = line[b] ?? 0;
  }
  return { gradient, hessian };
}

/**
 * Solves `matrix · x = vector` by Gaussian elimination with partial pivoting; undefined when a
 * pivot is negligible next to the largest entry (a singular system).
 */
export function solve(
  matrix: readonly (readonly number[])[],
  vector: readonly number[],
): number[] | undefined {
  const n = vector.length;
  const m = matrix.map((line, i) => [...line.slice(0, n), vector[i] ?? 0]);
  const scale = Math.max(0, ...matrix.flatMap((line) => line.map(Math.abs)));
  if (!(scale > 0) || !Number.isFinite(scale)) return undefined;

  for (let col = 0; col < n; col++) {
    let pivotRow = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.abs(m[r]?.[col] ?? 0) > Math.abs(m[pivotRow]?.[col] ?? 0)) pivotRow = r;
    }
    const pivotLine = m[pivotRow] ?? [];
    const pivot = pivotLine[col] ?? 0;
    if (!(Math.abs(pivot) > SINGULAR * scale)) return undefined;
    m[pivotRow] = m[col] ?? [];
    m[col] = pivotLine;
    for (let r = col + 1; r < n; r++) {
      const line = m[r] ?? [];
      const factor = (line[col] ?? 0) / pivot;
      if (factor === 0) continue;
      for (let c = col; c <= n; c++) line[c] = (line[c] ?? 0) - factor * (pivotLine[c] ?? 0);
    }
  }

  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const line = m[r] ?? [];
    let sum = line[n] ?? 0;
    for (let c = r + 1; c < n; c++) sum -= (line[c] ?? 0) * (x[c] ?? 0);
    x[r] = sum / (line[r] ?? 1);
  }
  return x.every(Number.isFinite) ? x : undefined;
}
