/**
 * Which rules of a list a lead can match, without trying them all: a thousand territory rules
 * (`company.state == "CA" && company.employees >= 4000`) must not cost a thousand evaluations per
 * lead. A condition's required terms (`CompiledRule.terms`: `variable.field` is one of a few
 * strings) say which leads it can hold for. The list is indexed on one field, the one most rules
 * require a value of (in the usual tree, `company.state`): a rule requiring it is filed under its
 * values, every other rule is a candidate for every lead. A lead's value for that field is then one
 * lookup, whose list (merged with the others once, when the index is built) comes back in list
 * order, so the first match is the one a full walk finds.
 *
 * Each candidate list also carries every rule's first numeric bound (`company.employees >= 4000`)
 * in flat arrays, and the lead's values of the bounded fields are read once per list: most
 * candidates of a long list fail their bound, and are passed over without touching the rule.
 */
import { fieldReader, type FieldReader } from '../fieldReader.ts';
import { IdentityCache } from '../identityCache.ts';
import {
  ruleField,
  type CompiledRule,
  type RuleBound,
  type RuleContext,
  type RuleIndexTerm,
} from '../rule.ts';

/** A rule or a territory: anything tried in list order by its condition. */
export interface Conditional {
  readonly when?: CompiledRule | undefined;
}

/** Below this many rules the list is walked as it is. */
const INDEX_FROM = 4;

/** The ops of a bound, as numbers in `Candidates.op`. */
const OPS = ['>=', '>', '<=', '<'] as const;
const NO_BOUND = -1;

/**
 * Rule positions in list order, each with its first numeric bound: `field[k]` (into the index's
 * bounded fields, −1 for none), `op[k]` (into OPS) and `bound[k]`.
 */
export interface Candidates {
  readonly positions: readonly number[];
  readonly field: Int8Array;
  readonly op: Int8Array;
  readonly bound: Float64Array;
  /** The lead's values of the bounded fields (NaN: not a number), shared by the index's lists. */
  readonly values: Float64Array;
}

interface RuleIndex {
  /** The rules that do not require a value of the indexed field. */
  readonly always: Candidates;
  /** The indexed field; undefined: every rule is in `always`. */
  readonly variable?: string;
  readonly field?: string;
  /** Per value of the field, the rules it can match (`always` merged in), in list order. */
  readonly byValue: ReadonlyMap<string, Candidates>;
  /** Reads the indexed field. */
  readonly readIndexed?: FieldReader;
  /** The fields the candidates' bounds read, and the lead's values of them (NaN: not a number). */
  readonly bounded: readonly {
    readonly variable: string;
    readonly field: string;
    readonly read: FieldReader;
  }[];
  readonly values: Float64Array;
}

/** Each list's index, built on first use; a model's few lists are asked for again by every lead. */
const INDEXES = new IdentityCache((rules: readonly Conditional[]) => build(rules));
const indexOf = (rules: readonly Conditional[]): RuleIndex => INDEXES.get(rules, undefined);

const fieldKey = (term: { readonly variable: string; readonly field: string }): string =>
  `${term.variable}.${term.field}`;

/** The field most rules require a value of; undefined when none requires any (or the list is short). */
function indexedField(rules: readonly Conditional[]): RuleIndexTerm | undefined {
  if (rules.length < INDEX_FROM) return undefined;
  const uses = new Map<string, { term: RuleIndexTerm; rules: number }>();
  for (const rule of rules) {
    const seen = new Set<string>();
    for (const term of rule.when?.terms ?? []) {
      const key = fieldKey(term);
      if (seen.has(key)) continue;
      seen.add(key);
      const use = uses.get(key);
      if (use === undefined) uses.set(key, { term, rules: 1 });
      else use.rules++;
    }
  }
  let top: { term: RuleIndexTerm; rules: number } | undefined;
  for (const use of uses.values()) if (top === undefined || use.rules > top.rules) top = use;
  return top?.term;
}

function build(rules: readonly Conditional[]): RuleIndex {
  const bounded: { variable: string; field: string; read: FieldReader }[] = [];
  const boundedAt = new Map<string, number>();
  const firstBound = rules.map((rule): { field: number; op: number; bound: number } | undefined => {
    const b: RuleBound | undefined = rule.when?.bounds[0];
    if (b === undefined) return undefined;
    const key = fieldKey(b);
    let at = boundedAt.get(key);
    if (at === undefined) {
      at = bounded.push({ variable: b.variable, field: b.field, read: fieldReader(b.variable, b.field) }) - 1;
      boundedAt.set(key, at);
    }
    return { field: at, op: OPS.indexOf(b.op), bound: b.bound };
  });
  const values = new Float64Array(bounded.length);
  // Past 127 bounded fields the rest are checked by withinBounds alone.
  const candidates = (positions: readonly number[]): Candidates => {
    const field = new Int8Array(positions.length).fill(NO_BOUND);
    const op = new Int8Array(positions.length);
    const bound = new Float64Array(positions.length);
    positions.forEach((p, k) => {
      const b = firstBound[p];
      if (b === undefined || b.field > 127 || b.op < 0) return;
      field[k] = b.field;
      op[k] = b.op;
      bound[k] = b.bound;
    });
    return { positions, field, op, bound, values };
  };

  const top = indexedField(rules);
  if (top === undefined) {
    return { always: candidates(rules.map((_, i) => i)), byValue: new Map(), bounded, values };
  }
  const key = fieldKey(top);
  const always: number[] = [];
  const filed = new Map<string, number[]>();
  rules.forEach((rule, i) => {
    const terms = (rule.when?.terms ?? []).filter((t) => fieldKey(t) === key);
    if (terms.length === 0) {
      always.push(i);
      return;
    }
    // Every such term must hold: the values all of them allow.
    let allowed = new Set(terms[0]?.values ?? []);
    for (const t of terms.slice(1)) allowed = new Set(t.values.filter((v) => allowed.has(v)));
    for (const value of allowed) {
      const list = filed.get(value);
      if (list === undefined) filed.set(value, [i]);
      else list.push(i);
    }
  });
  const byValue = new Map<string, Candidates>();
  for (const [value, positions] of filed) byValue.set(value, candidates(merge2(always, positions)));
  return {
    always: candidates(always),
    variable: top.variable,
    field: top.field,
    byValue,
    readIndexed: fieldReader(top.variable, top.field),
    bounded,
    values,
  };
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

/**
 * The rules (or territories) of `rules` that `context` can match, in list order, with their first
 * bounds; pass each to `passesBound` before trying it. The list's bounded values are read from
 * `context` here, so ask again for another context (a nested list has its own).
 */
export function candidatesFor(rules: readonly Conditional[], context: RuleContext): Candidates {
  const index = indexOf(rules);
  const { bounded, values } = index;
  for (let f = 0; f < bounded.length; f++) {
    const b = bounded[f];
    const value = b === undefined ? undefined : b.read(context);
    values[f] = typeof value === 'number' ? value : Number.NaN;
  }
  const { readIndexed } = index;
  if (readIndexed === undefined) return index.always;
  const value = readIndexed(context);
  return (typeof value === 'string' ? index.byValue.get(value) : undefined) ?? index.always;
}

/**
 * False when candidate `k`'s first bound rules it out for the context last given to `candidatesFor`
 * for its list (a missing or non-numeric value, or one out of range); true otherwise — then
 * `otherBoundsAllow` checks the rest before its condition is evaluated.
 */
export function passesBound(candidates: Candidates, k: number): boolean {
  const f = candidates.field[k] ?? NO_BOUND;
  if (f === NO_BOUND) return true;
  const op = OPS[candidates.op[k] ?? 0] ?? '>=';
  return holds(op, candidates.values[f] ?? Number.NaN, candidates.bound[k] ?? 0);
}

/** After `passesBound`: whether the rule's bounds not in the candidate arrays hold on the context. */
export function otherBoundsAllow(
  candidates: Candidates,
  k: number,
  rule: Conditional,
  context: RuleContext,
): boolean {
  return withinBounds(rule, context, (candidates.field[k] ?? NO_BOUND) === NO_BOUND ? 0 : 1);
}

/** `value op bound`; false for NaN. */
function holds(op: RuleBound['op'], value: number, bound: number): boolean {
  return op === '>='
    ? value >= bound
    : op === '>'
      ? value > bound
      : op === '<='
        ? value <= bound
        : value < bound;
}

/**
 * False when the lead's values rule the rule out by one of its numeric bounds from `from` on (a
 * missing or non-numeric value, or one out of range): a check on plain data, cheaper than
 * evaluating.
 */
export function withinBounds(rule: Conditional, context: RuleContext, from = 0): boolean {
  const bounds = rule.when?.bounds;
  if (bounds === undefined) return true;
  for (let i = from; i < bounds.length; i++) {
    const b = bounds[i];
    if (b === undefined) continue;
    const value = ruleField(context, b.variable, b.field);
    if (typeof value !== 'number' || !holds(b.op, value, b.bound)) return false;
  }
  return true;
}

/** Consecutive rules (or territories) the index rules out that an explanation names once, unevaluated. */
export const RULED_OUT_RUN = 8;

/**
 * The runs of rules of one list the index rules out for one lead — not filed under the lead's value
 * of the indexed field, or failing their first numeric bound: rules that cannot match. Asked with
 * ascending rule positions as a walk goes down the list; costs the candidates, not the list.
 */
export class RuledOut {
  private readonly candidates: Candidates;
  private readonly index: RuleIndex;
  /** The first candidate position not before the last position asked about. */
  private k = 0;
  /** Rules before this one are known not to start a run long enough to fold. */
  private plainUntil = 0;

  constructor(
    private readonly rules: readonly Conditional[],
    private readonly context: RuleContext,
  ) {
    this.candidates = candidatesFor(rules, context);
    this.index = indexOf(rules);
  }

  /**
   * The last rule of a run of `RULED_OUT_RUN` or more ruled-out rules starting at `from`, or
   * undefined when none starts there (the rule is tried on its own). Ask with ascending `from`, as a
   * walk goes down the list, and skip the run when there is one.
   */
  foldAt(from: number): number | undefined {
    if (from < this.plainUntil) return undefined;
    const end = this.runEnd(from);
    if (end - from + 1 >= RULED_OUT_RUN) return end;
    this.plainUntil = Math.max(from + 1, end + 1);
    return undefined;
  }

  /**
   * The last rule of the run of ruled-out rules that starts at `from` (`from − 1` when rule `from`
   * may match). Call with ascending `from`, and ask `reason` about a run before asking past it.
   */
  private runEnd(from: number): number {
    const { positions } = this.candidates;
    while (this.k < positions.length && (positions[this.k] ?? 0) < from) this.k++;
    let j = this.k;
    while (j < positions.length && !passesBound(this.candidates, j)) j++;
    return (j < positions.length ? (positions[j] ?? 0) : this.rules.length) - 1;
  }

  /**
   * Why rules `from`..`to` (a run `foldAt` gave) cannot match, in words: how many are filed under
   * other values of the indexed field, with the lead's value of it; how many fail their first bound,
   * with each bounded field and the lead's value — `975 require another company.state (the lead's is
   * "TX"); 20 a numeric bound the lead's value fails (company.employees 182)`.
   */
  reason(from: number, to: number): string {
    const { positions, field, values } = this.candidates;
    const bounds = new Map<string, number>();
    // The run's candidates are those failing their first bound; the rest are filed elsewhere.
    let byBound = 0;
    for (let j = this.k; j < positions.length && (positions[j] ?? 0) <= to; j++) {
      if ((positions[j] ?? 0) < from) continue;
      byBound++;
      const f = field[j] ?? NO_BOUND;
      const b = this.index.bounded[f];
      if (b !== undefined) bounds.set(fieldKey(b), values[f] ?? Number.NaN);
    }
    const byValue = to - from + 1 - byBound;
    const why: string[] = [];
    const { variable, field: indexed } = this.index;
    if (byValue > 0 && variable !== undefined && indexed !== undefined) {
      const value = quoted(ruleField(this.context, variable, indexed));
      why.push(`${byValue} require another ${variable}.${indexed} (the lead's is ${value})`);
    }
    if (byBound > 0) {
      const leads = [...bounds].map(([path, v]) => `${path} ${Number.isNaN(v) ? 'not a number' : v}`);
      why.push(`${byBound} a numeric bound the lead's value fails (${leads.join(', ')})`);
    }
    return why.join('; ');
  }
}

/** A lead's value as an explanation quotes it. */
const quoted = (value: unknown): string =>
  value === undefined ? 'not set' : typeof value === 'string' ? `"${value}"` : `${JSON.stringify(value)}`;
