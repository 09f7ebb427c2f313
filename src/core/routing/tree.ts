/**
 * The decision tree walk, most specific rule first. A rule matches when it has no `when` or its
 * `when` holds (an evaluation error counts as false and is traced). A matching rule tries its nested
 * rules in order, then its own `to`; still unplaced, the walk moves on to its next sibling.
 *
 * Deciding and explaining walk the same tree (habit 2): explaining records a step for every rule;
 * deciding records nothing and, in a long list, tries only the rules the lead can match at all —
 * the rule index (ruleIndex.ts) drops rules whose required `company.state == "…"`-style terms the
 * lead's values rule out. Both pick the same rule: a dropped rule would not have matched.
 *
 * Explaining a long list, a run of `RULED_OUT_RUN` or more consecutive rules the index rules out is
 * one `ruled_out` step that says why, not a step per rule: a 1,000-rule territory table would
 * otherwise evaluate every rule and store ~1,000 steps with each assignment. `everyRule` explains
 * each rule on its own, as a short list always is.
 */
import { IdentityCache } from '../identityCache.ts';
import type { RuleContext } from '../rule.ts';
import type { RoutingRuleModel } from './model.ts';
import { candidatesFor, otherBoundsAllow, passesBound, RULED_OUT_RUN, RuledOut } from './ruleIndex.ts';
import { targetText, tryTarget, type Placement, type RouteScope } from './targets.ts';
import type { RuleStep, StepOutcome } from './trace.ts';

export interface Placed {
  readonly placement: Placement;
  /** The id of the rule whose `to` placed the lead. */
  readonly rule: string;
}

function step(
  rule: RoutingRuleModel,
  path: string,
  matched: boolean,
  outcome: StepOutcome,
  detail: string,
): RuleStep {
  return { rule: rule.id, name: rule.name, path, matched, outcome, detail };
}

/** Walks `rules` without explaining: the placement only. */
function decideRules(scope: RouteScope, rules: readonly RoutingRuleModel[]): Placed | undefined {
  const context = scope.input.context;
  const candidates = candidatesFor(rules, context);
  const { positions } = candidates;
  for (let k = 0; k < positions.length; k++) {
    if (!passesBound(candidates, k)) continue;
    const rule = rules[positions[k] ?? 0];
    if (rule === undefined) continue;
    if (
      rule.when !== undefined &&
      !(otherBoundsAllow(candidates, k, rule, context) && rule.when.evaluate(context))
    )
      continue;
    const nested = rule.rules.length > 0 ? decideRules(scope, rule.rules) : undefined;
    if (nested !== undefined) return nested;
    if (rule.to === undefined) continue;
    const result = tryTarget(scope, rule.to, rule.skills);
    if (result.placed !== undefined) return { placement: result.placed, rule: rule.id };
  }
  return undefined;
}

/** The one step standing for rules `from`..`to` of `rules` (at `path`), all ruled out by the index. */
function ruledOutStep(
  rules: readonly RoutingRuleModel[],
  path: string,
  from: number,
  to: number,
  ruled: RuledOut,
): RuleStep {
  return {
    rule: 'ruled_out',
    name: `${to - from + 1} rules the lead cannot match`,
    path: `${path}[${from}..${to}]`,
    matched: false,
    outcome: 'no_match',
    detail: `${rules[from]?.id ?? ''} … ${rules[to]?.id ?? ''}, not evaluated: ${ruled.reason(from, to)}`,
  };
}

/**
 * Walks `rules` (at config path `path`), appending one step per rule tried — or, unless
 * `scope.everyRule`, one per run of `RULED_OUT_RUN` or more rules the index rules out.
 */
function explainRules(
  scope: RouteScope,
  rules: readonly RoutingRuleModel[],
  path: string,
  steps: RuleStep[],
): Placed | undefined {
  const context = scope.input.context;
  const ruled =
    scope.everyRule === true || rules.length < RULED_OUT_RUN ? undefined : new RuledOut(rules, context);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule === undefined) continue;
    const end = ruled?.foldAt(i);
    if (end !== undefined && ruled !== undefined) {
      steps.push(ruledOutStep(rules, path, i, end, ruled));
      i = end;
      continue;
    }
    const at = `${path}[${i}]`;
    if (rule.when !== undefined) {
      const { value, error, unset } = rule.when.explain(context);
      // An attribute the lead does not have is why the rule does not apply, not an error.
      if (unset !== undefined) {
        steps.push(
          step(rule, at, false, 'no_match', `when \`${rule.when.source}\` is false: ${error ?? ''}`),
        );
        continue;
      }
      if (error !== undefined) {
        const detail = `when \`${rule.when.source}\` failed, treated as false: ${error}`;
        steps.push(step(rule, at, false, 'error', detail));
        continue;
      }
      if (!value) {
        steps.push(step(rule, at, false, 'no_match', `when \`${rule.when.source}\` is false`));
        continue;
      }
    }
    const index = steps.push(step(rule, at, true, 'no_match', '')) - 1;
    const nested = rule.rules.length > 0 ? explainRules(scope, rule.rules, `${at}.rules`, steps) : undefined;
    if (nested !== undefined) {
      steps[index] = step(rule, at, true, 'placed', `placed by nested rule ${nested.rule}`);
      return nested;
    }
    const tried = rule.rules.length > 0 ? 'no nested rule placed the lead; ' : '';
    if (rule.to === undefined) {
      steps[index] = step(rule, at, true, 'no_match', `${tried}no \`to\``);
      continue;
    }
    const result = tryTarget(scope, rule.to, rule.skills);
    const detail = `${tried}${targetText(rule.to)}: ${result.detail}`;
    if (result.placed !== undefined) {
      steps[index] = step(rule, at, true, 'placed', detail);
      return { placement: result.placed, rule: rule.id };
    }
    steps[index] = step(rule, at, true, result.outcome, detail);
  }
  return undefined;
}

/** Walks the tree; with `scope.steps`, appends one step per rule tried (the explanation). */
export function walkRules(scope: RouteScope, rules: readonly RoutingRuleModel[]): Placed | undefined {
  return scope.steps === undefined
    ? decideRules(scope, rules)
    : explainRules(scope, rules, 'routing.rules', scope.steps);
}

/** Whether a rule, or a rule nested under it, sets `keepOwner`. */
const setsKeepOwner = (rule: RoutingRuleModel): boolean =>
  rule.keepOwner !== undefined || rule.rules.some(setsKeepOwner);

/** Per rule list, which of its rules can give a `keepOwner` setting (`setsKeepOwner`). */
const KEEP_OWNER_RULES = new IdentityCache((rules: readonly RoutingRuleModel[]) => rules.map(setsKeepOwner));

/**
 * The `keepOwner` of the first matching rule, in walk order, that sets it — a matching nested rule's
 * setting before its parent's, being more specific; undefined when none does. Errors count as false.
 * Rules with no setting in them or under them are not evaluated: they cannot give one (a tree that
 * sets none, like the templates', answers without evaluating anything for every lead with an owner).
 */
export function keepOwnerSetting(
  rules: readonly RoutingRuleModel[],
  context: RuleContext,
  path = 'routing.rules',
): { readonly keep: boolean; readonly path: string } | undefined {
  const setting = KEEP_OWNER_RULES.get(rules, undefined);
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i];
    if (rule === undefined || setting[i] !== true) continue;
    if (rule.when !== undefined && !rule.when.evaluate(context)) continue;
    const at = `${path}[${i}]`;
    const nested = keepOwnerSetting(rule.rules, context, `${at}.rules`);
    if (nested !== undefined) return nested;
    if (rule.keepOwner !== undefined) return { keep: rule.keepOwner, path: `${at}.keepOwner` };
  }
  return undefined;
}
