/**
 * Suggested point changes for scoring rules, from a logistic regression of closed outcomes on which
 * rules hit. Coefficients (log-odds per hit) become points on the model's own scale: the points
 * the positive rules give today are shared out in proportion to their positive coefficients, so the
 * point budget (and with it the meaning of the threshold) stays where it is.
 *
 * Advice, per rule that has enough leads. The estimate is round(coefficient × scale) and the range
 * the data supports is the coefficient ± 1.96 standard errors on the same scale; a change is only
 * suggested where the data contradicts today's points. In this order:
 * - `too_few_leads`: hit by fewer than `minHits` leads or missed by fewer than `minHits`; left out
 *   of the fit, suggested = current.
 * - `keep`: today's points lie within the range (the data does not contradict them); suggested =
 *   current. A singular fit's range is unbounded, so it keeps too.
 * - `remove`: suggested 0 — the range includes 0 and the estimate has the other sign than today's
 *   points (no evidence either way), or a penalty whose estimate is positive (a penalty is never
 *   turned into a reward).
 * - `make_negative`: a rule that gives 0 or more points whose whole range lies below 0.
 * - `keep` again when the estimate is within max(2, 20% of |current|) of today's points (the noise
 *   of a point scale); otherwise `raise` / `lower` to the estimate.
 */
import { fitLogistic } from './logistic.ts';

export const ADVICE = ['keep', 'raise', 'lower', 'remove', 'make_negative', 'too_few_leads'] as const;
export type Advice = (typeof ADVICE)[number];

/** Standard errors either side of a coefficient for the range the data supports (95%). */
export const Z = 1.96;
/** Changes up to this many points are kept whatever the current points. */
export const KEEP_POINTS = 2;
/** Changes up to this share of the current points are kept. */
export const KEEP_SHARE = 0.2;

export interface RuleFeature {
  readonly ruleId: string;
  readonly label: string;
  readonly dimension: 'fit' | 'engagement' | 'negative';
  /** The points the rule gives today when it hits (negative for a penalty). */
  readonly points: number;
}

export interface PointSuggestion {
  readonly ruleId: string;
  readonly label: string;
  readonly dimension: RuleFeature['dimension'];
  readonly current: number;
  readonly suggested: number;
  /** suggested − current. */
  readonly change: number;
  /** Regression coefficient (log-odds per hit); 0 for a rule left out of the fit. */
  readonly coefficient: number;
  /** Its standard error (Infinity for a rule left out of the fit). */
  readonly standardError: number;
  /** The points the data supports: the coefficient ± 1.96 standard errors, on the point scale. */
  readonly range: { readonly low: number; readonly high: number };
  /** Leads (with an outcome) where the rule hit. */
  readonly hits: number;
  /** Won share among leads where the rule hit; null when it never hit. */
  readonly winRateHit: number | null;
  /** Won share among leads where it did not hit; null when it always hit. */
  readonly winRateMiss: number | null;
  readonly advice: Advice;
  /** One sentence with the figures: "won 80% when hit vs 20% when not (hit by 20 of 40 leads)". */
  readonly reason: string;
}

export interface PointSuggestions {
  /** Log-odds of a win for a lead that hits no fitted rule. */
  readonly intercept: number;
  /** Points per unit of log-odds used to turn coefficients into points (0 when nothing predicts). */
  readonly scale: number;
  /** Whether the regression converged (not when every outcome is the same). */
  readonly converged: boolean;
  /** Sorted by |change| descending, then ruleId. */
  readonly suggestions: readonly PointSuggestion[];
}

/**
 * `hits[i][j]`: whether rule `features[j]` hit lead `i`; `outcomes[i]`: 1 when lead `i` was won.
 * Throws an Error without leads, when the lengths disagree, or on an invalid option.
 */
export function suggestPoints(
  features: readonly RuleFeature[],
  hits: readonly (readonly boolean[])[],
  outcomes: readonly (0 | 1)[],
  options: { readonly l2?: number; readonly minHits?: number } = {},
): PointSuggestions {
  const minHits = options.minHits ?? 5;
  validate(features, hits, outcomes, minHits);
  const n = outcomes.length;
  const stats = features.map((_, j) => ruleStats(hits, outcomes, j));
  const fitted = features.flatMap((_, j) => {
    const count = stats[j]?.hits ?? 0;
    return count >= minHits && count <= n - minHits ? [j] : [];
  });

  const fit = fitLogistic(
    hits.map((row) => fitted.map((j) => (row[j] === true ? 1 : 0))),
    outcomes,
    options.l2 === undefined ? {} : { l2: options.l2 },
  );
  const beta = new Map(fitted.map((j, k) => [j, fit.coefficients[k] ?? 0]));
  const standardErrors = new Map(fitted.map((j, k) => [j, fit.standardErrors[k] ?? Infinity]));
  const scale = pointScale(
    fitted.map((j) => ({ points: features[j]?.points ?? 0, coefficient: beta.get(j) ?? 0 })),
  );

  const suggestions = features.map((feature, j): PointSuggestion => {
    const s = stats[j] ?? { hits: 0, winRateHit: null, winRateMiss: null };
    const figures = figuresOf(s, n);
    const coefficient = beta.get(j);
    const current = feature.points;
    if (coefficient === undefined) {
      const reason = `${figures}; too few leads to fit (needs ${minHits} hit and ${minHits} not hit)`;
      return {
        ruleId: feature.ruleId,
        label: feature.label,
        dimension: feature.dimension,
        current,
        suggested: current,
        change: 0,
        coefficient: 0,
        standardError: Infinity,
        range: { low: current, high: current },
        hits: s.hits,
        winRateHit: s.winRateHit,
        winRateMiss: s.winRateMiss,
        advice: 'too_few_leads',
        reason,
      };
    }
    const error = standardErrors.get(j) ?? Infinity;
    const low = Math.round((coefficient - Z * error) * scale) + 0;
    const high = Math.round((coefficient + Z * error) * scale) + 0;
    // No scale or no error estimate (a singular fit): the data supports anything.
    const range =
      Number.isNaN(low) || Number.isNaN(high) ? { low: -Infinity, high: Infinity } : { low, high };
    const { suggested, advice } = advise(current, coefficient * scale, range);
    return {
      ruleId: feature.ruleId,
      label: feature.label,
      dimension: feature.dimension,
      current,
      suggested,
      change: suggested - current,
      coefficient,
      standardError: error,
      range,
      hits: s.hits,
      winRateHit: s.winRateHit,
      winRateMiss: s.winRateMiss,
      advice,
      reason: `${figures}; the data supports ${range.low} to ${range.high} points`,
    };
  });
  suggestions.sort(
    (a, b) =>
      Math.abs(b.change) - Math.abs(a.change) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
  );
  return { intercept: fit.intercept, scale, converged: fit.converged, suggestions };
}

/**
 * Points per log-odds: the points of the positive rules over their positive coefficients; when no
 * positive rule has a positive coefficient, all points over all coefficients (in absolute value);
 * 0 when there is still nothing to divide.
 */
function pointScale(rules: readonly { readonly points: number; readonly coefficient: number }[]): number {
  const positive = rules.filter((r) => r.points > 0);
  const budget = sum(positive.map((r) => r.points));
  const mass = sum(positive.map((r) => Math.max(r.coefficient, 0)));
  if (budget > 0 && mass > 0) return budget / mass;
  const allPoints = sum(rules.map((r) => Math.abs(r.points)));
  const allMass = sum(rules.map((r) => Math.abs(r.coefficient)));
  return allPoints > 0 && allMass > 0 ? allPoints / allMass : 0;
}

function advise(
  current: number,
  raw: number,
  range: { readonly low: number; readonly high: number },
): { readonly suggested: number; readonly advice: Advice } {
  // The data does not contradict today's points: leave them.
  if (range.low <= current && current <= range.high) return { suggested: current, advice: 'keep' };
  const estimate = Math.round(raw) + 0; // + 0 turns −0 into 0
  const uncertainSign = range.low <= 0 && 0 <= range.high;
  let suggested = estimate;
  if (current < 0 && estimate > 0)
    suggested = 0; // a penalty is never turned into a reward
  else if (uncertainSign && Math.sign(estimate) !== Math.sign(current)) suggested = 0;
  if (suggested === 0 && current !== 0) return { suggested: 0, advice: 'remove' };
  if (current >= 0 && suggested < 0) return { suggested, advice: 'make_negative' };
  const change = suggested - current;
  if (Math.abs(change) <= Math.max(KEEP_POINTS, KEEP_SHARE * Math.abs(current)))
    return { suggested: current, advice: 'keep' };
  return { suggested, advice: change > 0 ? 'raise' : 'lower' };
}

interface RuleStats {
  readonly hits: number;
  readonly winRateHit: number | null;
  readonly winRateMiss: number | null;
}

function ruleStats(
  hits: readonly (readonly boolean[])[],
  outcomes: readonly (0 | 1)[],
  j: number,
): RuleStats {
  let hit = 0;
  let wonHit = 0;
  let wonMiss = 0;
  hits.forEach((row, i) => {
    const won = outcomes[i] === 1 ? 1 : 0;
    if (row[j] === true) {
      hit++;
      wonHit += won;
    } else {
      wonMiss += won;
    }
  });
  const miss = outcomes.length - hit;
  return {
    hits: hit,
    winRateHit: hit === 0 ? null : wonHit / hit,
    winRateMiss: miss === 0 ? null : wonMiss / miss,
  };
}

function figuresOf(s: RuleStats, n: number): string {
  if (s.winRateHit === null) return `never hit (0 of ${n} leads)`;
  if (s.winRateMiss === null) return `won ${percent(s.winRateHit)} when hit (hit by all ${n} leads)`;
  return `won ${percent(s.winRateHit)} when hit vs ${percent(s.winRateMiss)} when not (hit by ${s.hits} of ${n} leads)`;
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function validate(
  features: readonly RuleFeature[],
  hits: readonly (readonly boolean[])[],
  outcomes: readonly (0 | 1)[],
  minHits: number,
): void {
  if (outcomes.length === 0) throw new Error('suggestPoints: no leads with an outcome');
  if (hits.length !== outcomes.length) {
    throw new Error(`suggestPoints: ${hits.length} rows of hits but ${outcomes.length} outcomes`);
  }
  hits.forEach((row, i) => {
    if (row.length !== features.length) {
      throw new Error(`suggestPoints: lead ${i} has ${row.length} hits for ${features.length} rules`);
    }
  });
  if (!(Number.isInteger(minHits) && minHits >= 0)) {
    throw new Error(`suggestPoints: minHits ${minHits} is not a whole number ≥ 0`);
  }
}
