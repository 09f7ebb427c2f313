/**
 * The decision tree walk, most specific rule first. A rule matches when it has no `when` or its
 * `when` holds (an evaluation error counts as false and is traced). A matching rule tries its nested
 * rules in order, then its own `to`; still unplaced, the walk moves on to its next sibling.
 */
import type { RuleContext } from '../rule.ts';
import type { RoutingRuleModel } from './model.ts';
import { targetText, tryTarget, type Placement, type RouteScope } from './targets.ts';
import type { RuleStep } from './trace.ts';

type Condition =
  | { readonly matched: true }
  | { readonly matched: false; readonly step: Omit<RuleStep, 'rule' | 'name' | 'path'> };

function condition(rule: RoutingRuleModel, context: RuleContext): Condition {
  if (rule.when === undefined) return { matched: true };
  const { value, error } = rule.when.explain(context);
  if (error !== undefined) {
    const detail = `when \`${rule.when.source}\` failed, treated as false: ${error}`;
    return { matched: false, step: { matched: false, outcome: 'error', detail } };
  }
  if (value) return { matched: true };
  return {
    matched: false,
    step: { matched: false, outcome: 'no_match', detail: `when \`${rule.when.source}\` is false` },
  };
}

export interface Placed {
  readonly placement: Placement;
  /** The id of the rule whose `to` placed the lead. */
  readonly rule: string;
}

/** Walks `rules` (at config path `path`), appending one step per rule tried. */
export function walkRules(
  scope: RouteScope,
  rules: readonly RoutingRuleModel[],
  path: string,
  steps: RuleStep[],
): Placed | undefined {
  for (const [i, rule] of rules.entries()) {
    const at = `${path}[${i}]`;
    const head = { rule: rule.id, name: rule.name, path: at };
    const check = condition(rule, scope.input.context);
    if (!check.matched) {
      steps.push({ ...head, ...check.step });
      continue;
    }
    const index = steps.push({ ...head, matched: true, outcome: 'no_match', detail: '' }) - 1;
    const nested = rule.rules.length > 0 ? walkRules(scope, rule.rules, `${at}.rules`, steps) : undefined;
    if (nested !== undefined) {
      steps[index] = {
        ...head,
        matched: true,
        outcome: 'placed',
        detail: `placed by nested rule ${nested.rule}`,
      };
      return nested;
    }
    const tried = rule.rules.length > 0 ? 'no nested rule placed the lead; ' : '';
    if (rule.to === undefined) {
      steps[index] = { ...head, matched: true, outcome: 'no_match', detail: `${tried}no \`to\`` };
      continue;
    }
    const result = tryTarget(scope, rule.to);
    const detail = `${tried}${targetText(rule.to)}: ${result.detail}`;
    if (result.placed !== undefined) {
      steps[index] = { ...head, matched: true, outcome: 'placed', detail };
      return { placement: result.placed, rule: rule.id };
    }
    steps[index] = { ...head, matched: true, outcome: result.outcome, detail };
  }
  return undefined;
}

/**
 * The `keepOwner` of the first matching rule, in walk order, that sets it — a matching nested rule's
 * setting before its parent's, being more specific; undefined when none does. Errors count as false.
 */
export function keepOwnerSetting(
  rules: readonly RoutingRuleModel[],
  context: RuleContext,
  path = 'routing.rules',
): { readonly keep: boolean; readonly path: string } | undefined {
  for (const [i, rule] of rules.entries()) {
    if (!condition(rule, context).matched) continue;
    const at = `${path}[${i}]`;
    const nested = keepOwnerSetting(rule.rules, context, `${at}.rules`);
    if (nested !== undefined) return nested;
    if (rule.keepOwner !== undefined) return { keep: rule.keepOwner, path: `${at}.keepOwner` };
  }
  return undefined;
}
