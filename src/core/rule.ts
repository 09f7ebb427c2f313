/**
 * A condition from revops.yaml, compiled once at load. core/ only evaluates rules; it never
 * parses or compiles them (config/ does), so the evaluation contract is all core/ needs to know.
 */

/** The scalar and structured values a rule reads: what a CEL expression can see. */
export type RuleValue =
  string | number | boolean | null | readonly RuleValue[] | { readonly [key: string]: RuleValue | undefined };

/** The variables a rule is evaluated against (`contact`, `company`, `event`, `lead`, `account`). */
export type RuleContext = { readonly [variable: string]: RuleValue | undefined };

/** `context.variable.field`, or undefined when the variable is absent or not an object. */
export function ruleField(context: RuleContext, variable: string, field: string): RuleValue | undefined {
  const object = context[variable];
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return undefined;
  return (object as { readonly [key: string]: RuleValue | undefined })[field];
}

/** Which declared variables a rule may read; decided by where the rule sits in the config. */
export const RULE_SCOPES = ['attributes', 'event', 'lead', 'deal'] as const;
export type RuleScope = (typeof RULE_SCOPES)[number];

/**
 * A term a rule cannot hold without: `variable.field` is one of `values` (from a top-level
 * `company.state == "CA" && …` or `company.industry in ["A", "B"] && …`). Lets a caller index
 * many rules by attribute value and try only those a lead can match.
 */
export interface RuleIndexTerm {
  readonly variable: string;
  readonly field: string;
  readonly values: readonly string[];
}

/**
 * A numeric term a rule cannot hold without: `variable.field` is a number `op` `bound` (from a
 * top-level `company.employees >= 1000 && …`). A lead whose value is missing or out of range cannot
 * match, so a caller can skip the rule without evaluating it.
 */
export interface RuleBound {
  readonly variable: string;
  readonly field: string;
  readonly op: '<' | '<=' | '>' | '>=';
  readonly bound: number;
}

/** What a rule gave, and why it was false when it could not be evaluated (see `CompiledRule.explain`). */
export interface RuleExplanation {
  readonly value: boolean;
  readonly error?: string;
  /** The attribute path whose absence alone made the rule false. */
  readonly unset?: string;
}

/** A compiled, type-checked boolean condition. */
export interface CompiledRule {
  readonly kind: 'rule';
  /** Stable id: the config path of the rule (`routing.rules[2].when`). */
  readonly id: string;
  /** The CEL source as written. */
  readonly source: string;
  readonly scope: RuleScope;
  /**
   * Evaluates the rule. Never throws: a runtime error (missing attribute, wrong type at run time)
   * evaluates to `false`, and `explain` says why.
   */
  readonly evaluate: (context: RuleContext) => boolean;
  /**
   * Like `evaluate`, with the runtime error that made it false, if any. When that error is only an
   * attribute the context does not have (CEL's "no such key"), `unset` names it (`lead.teamMembers`)
   * and `error` says it in words (`lead.teamMembers is not set`): an ordinary state of a sparse
   * record, which an explanation should not call an error.
   */
  readonly explain: (context: RuleContext) => RuleExplanation;
  /** Terms the rule requires (possibly none); the rule is false whenever one does not hold. */
  readonly terms: readonly RuleIndexTerm[];
  /** Numeric bounds the rule requires (possibly none), likewise. */
  readonly bounds: readonly RuleBound[];
  /**
   * The context variables the rule reads (`contact`, `company`, …); undefined when not known, which
   * a caller must take as all of them.
   */
  readonly reads?: readonly string[] | undefined;
}
