/**
 * Which rules of a list a lead can match, without trying them all: a thousand territory rules
 * (`company.state == "CA" && company.employees >= 4000`) must not cost a thousand evaluations per
 * lead. A rule whose condition requires a term (`CompiledRule.terms`: `variable.field` is one of a
 * few strings) is filed under its first term's field and values; a lead's value for that field finds
 * the rules it can match, and rules without a term are always candidates. Candidates come back in
 * list order, so the first match is the one a full walk finds.
 */
import { ruleField, type RuleContext } from '../rule.ts';
import type { RoutingRuleModel } from './model.ts';

/** Below this many rules the list is walked as it is. */
const INDEX_FROM = 8;

interface FieldIndex {
  readonly variable: string;
  readonly field: string;
  /** Rule positions by required value, ascending. */
  readonly byValue: ReadonlyMap<string, readonly number[]>;
}

interface RuleIndex {
  /** Positions of rules without a term, ascending. */
  readonly always: readonly number[];
  readonly fields: readonly FieldIndex[];
  /**
   * With a single indexed field (the usual tree: territories by state), each value's positions
   * already merged with `always`, so a lead's candidates are one lookup and no new list.
   */
  readonly single?: ReadonlyMap<string, readonly number[]>;
}

const ALL = new WeakMap<readonly RoutingRuleModel[], readonly number[]>();
const INDEXES = new WeakMap<readonly RoutingRuleModel[], RuleIndex>();

function build(rules: readonly RoutingRuleModel[]): RuleIndex {
  const always: number[] = [];
  const fields = new Map<string, { variable: string; field: string; byValue: Map<string, number[]> }>();
  rules.forEach((rule, i) => {
    const term = rule.when?.terms[0];
    if (term === undefined) {
      always.push(i);
      return;
    }
    const key = `${term.variable}.${term.field}`;
    let index = fields.get(key);
    if (index === undefined) {
      index = { variable: term.variable, field: term.field, byValue: new Map() };
      fields.set(key, index);
    }
    for (const value of new Set(term.values)) {
      const list = index.byValue.get(value);
      if (list === undefined) index.byValue.set(value, [i]);
      else list.push(i);
    }
  });
  const list = [...fields.values()];
  const only = list.length === 1 ? list[0] : undefined;
  if (only === undefined) return { always, fields: list };
  const single = new Map<string, readonly number[]>();
  for (const [value, positions] of only.byValue) single.set(value, merge2(always, positions));
  return { always, fields: list, single };
}

function valueOf(context: RuleContext, variable: string, field: string): string | undefined {
  const value = ruleField(context, variable, field);
  return typeof value === 'string' ? value : undefined;
}

/** Merges two ascending position lists into one ascending list. */
function merge2(a: readonly number[], b: readonly number[]): readonly number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Array<number>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] ?? 0;
    const y = b[j] ?? 0;
    if (x < y) {
      out[k++] = x;
      i++;
    } else {
      out[k++] = y;
      j++;
    }
  }
  while (i < a.length) out[k++] = a[i++] ?? 0;
  while (j < b.length) out[k++] = b[j++] ?? 0;
  return out;
}

/** Positions, in order, of the rules of `rules` that `context` can match. */
export function candidateRules(rules: readonly RoutingRuleModel[], context: RuleContext): readonly number[] {
  if (rules.length < INDEX_FROM) {
    let all = ALL.get(rules);
    if (all === undefined) {
      all = rules.map((_, i) => i);
      ALL.set(rules, all);
    }
    return all;
  }
  let index = INDEXES.get(rules);
  if (index === undefined) {
    index = build(rules);
    INDEXES.set(rules, index);
  }
  const only = index.fields[0];
  if (index.single !== undefined && only !== undefined) {
    const value = valueOf(context, only.variable, only.field);
    return (value === undefined ? undefined : index.single.get(value)) ?? index.always;
  }
  // Lists are few (one per indexed field the lead has a value for) and short: merge them pairwise.
  let positions = index.always;
  for (const f of index.fields) {
    const value = valueOf(context, f.variable, f.field);
    const hit = value === undefined ? undefined : f.byValue.get(value);
    if (hit !== undefined) positions = merge2(positions, hit);
  }
  return positions;
}

/**
 * False when the lead's values rule the rule out by one of its numeric bounds (a missing or
 * non-numeric value, or one out of range): a check on plain data, cheaper than evaluating.
 */
export function withinBounds(rule: RoutingRuleModel, context: RuleContext): boolean {
  const bounds = rule.when?.bounds;
  if (bounds === undefined) return true;
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i];
    if (b === undefined) continue;
    const value = ruleField(context, b.variable, b.field);
    if (typeof value !== 'number') return false;
    const ok =
      b.op === '>='
        ? value >= b.bound
        : b.op === '>'
          ? value > b.bound
          : b.op === '<='
            ? value <= b.bound
            : value < b.bound;
    if (!ok) return false;
  }
  return true;
}
