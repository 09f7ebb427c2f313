/**
 * The explanation a routing decision carries: one step per check or rule tried, in the order they
 * ran, and every team member each team pick looked at (with why they were skipped).
 */
import type { CandidateTrace } from './roundRobin.ts';

export const STEP_OUTCOMES = ['placed', 'no_match', 'nobody_available', 'no_territory', 'error'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/**
 * The checks that run before the decision tree, the fallback after it, and `ruled_out`: a run of
 * rules of a long list the lead cannot match by the rule index, in one step (tree.ts).
 */
export const BUILT_IN_STEPS = [
  'keep_owner',
  'same_account',
  'fuzzy_name_match',
  'fallback',
  'ruled_out',
] as const;
export type BuiltInStep = (typeof BUILT_IN_STEPS)[number];

export interface RuleStep {
  /** The rule id, or a built-in step. */
  readonly rule: string;
  readonly name: string;
  /** Where it sits in the config: `routing.rules[1].rules[0]`, `routing.fallback.queue`, `routing.rules[0..994]` (a `ruled_out` run). */
  readonly path: string;
  /** Whether its condition held (a built-in step: whether it applied). */
  readonly matched: boolean;
  readonly outcome: StepOutcome;
  readonly detail: string;
}

export interface RoutingTrace {
  readonly steps: readonly RuleStep[];
  /** The candidates of every team pick, in the order the teams were tried. */
  readonly candidates: readonly CandidateTrace[];
}
