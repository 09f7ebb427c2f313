/**
 * A direct JS evaluator for the everyday subset of CEL rules — field reads, literals, comparisons,
 * `in` lists, `has()`, `&&` `||` `!`, `?:`, `contains`/`startsWith`/`endsWith`/`matches` and
 * `list.exists(x, x in [...])` — so that checking a
 * rule costs tens of nanoseconds instead of a cel-js interpretation (~0.5 µs, more with a fresh
 * context). Routing walks hundreds of rules per lead and scoring dozens per event; see
 * docs/decisions/008-no-leading-spread.md for the measurements.
 *
 * It is an accelerator, never a second semantics: on anything it is not sure of (a value of an
 * unexpected type, an int outside the safe range, an operator it does not know) it answers
 * `UNSURE` and the caller runs cel-js. Where it answers, it answers what cel-js would, including
 * CEL's error rules: a missing field is an error, `false && error` is false, `true || error` is true,
 * and any other error makes the rule false. test: src/config/celFast.test.ts compares the two on
 * random contexts.
 *
 * When a rule's only error is a field that is not set, it also says which (`evaluateExplained`), so an
 * explanation does not need cel-js to word it.
 *
 * It also reads off the terms a rule's top-level `&&` chain requires (`company.state == "CA"`,
 * `company.industry in ["A", "B"]`), which lets core/ index rules by attribute value.
 */
import type { ASTNode } from '@marcbachmann/cel-js';
import { NO_VARIABLE, NOT_A_MAP, variableFieldReader } from '../core/fieldReader.ts';
import type { RuleBound, RuleContext, RuleExplanation, RuleIndexTerm, RuleScope } from '../core/rule.ts';
import {
  CEL_OBJECT_TYPES,
  CEL_VARIABLES,
  SCOPE_VARIABLES,
  isCelObjectType,
  type CelFieldType,
  type CelObjectTypeName,
} from './celVariables.ts';

/** The evaluation raised a CEL error (the rule is false unless `&&`/`||` absorbs it). */
export const ERROR: unique symbol = Symbol('cel error');
/** The fast path cannot tell; run cel-js. */
export const UNSURE: unique symbol = Symbol('cel unsure');

/**
 * The reads that found no value during the last evaluation: how many, and the path of the last one
 * as cel-js names it in its error (`lead.teamMembers`). Every ERROR starts at such a read; the
 * operators only pass it on or absorb it. Reset by `evaluateExplained`.
 */
const MISSING = { count: 0, path: '' };

/** ERROR, noting the read of `path` that found nothing. */
function missing(path: string): typeof ERROR {
  MISSING.count++;
  MISSING.path = path;
  return ERROR;
}

/**
 * Runs `rule` on `context` for an explanation: the value when sure; for an error, the text cel-js
 * gives it (`lead.teamMembers is not set`) when it came from one unset field; undefined when cel-js
 * must answer (UNSURE, or an error with more than one cause).
 */
export function evaluateExplained(rule: FastRule, context: RuleContext): RuleExplanation | undefined {
  MISSING.count = 0;
  const value = rule(context);
  if (value === true || value === false) return value ? TRUE : FALSE;
  if (value === ERROR && MISSING.count === 1) {
    return { value: false, error: `${MISSING.path} is not set`, unset: MISSING.path };
  }
  return undefined;
}

const TRUE = Object.freeze({ value: true });
const FALSE = Object.freeze({ value: false });

type Value = string | number | boolean | readonly string[];
type Result = Value | typeof ERROR | typeof UNSURE;
type Evaluator = (context: RuleContext) => Result;

/**
 * A compiled rule: true or false when sure, ERROR for a CEL error, UNSURE (or, for a rule that is
 * not a condition after all, any other value) when cel-js must answer.
 */
export type FastRule = (context: RuleContext) => Result;

const isRecord = (v: unknown): v is { readonly [key: string]: unknown } =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown while compiling a node the fast path does not handle. */
class Unsupported extends Error {}

const unsupported = (): never => {
  throw new Unsupported();
};

/** `dyn`: a value of `event.properties` (a map of any JSON), taken as it comes. */
type FieldKind = 'string' | 'int' | 'double' | 'bool' | 'list<string>' | 'dyn';

function fieldKind(type: CelFieldType): FieldKind | undefined {
  switch (type) {
    case 'string':
    case 'int':
    case 'double':
    case 'bool':
    case 'list<string>':
      return type;
    default:
      return undefined;
  }
}

/** A value as read from the context, checked against the field's declared type. */
function checked(kind: FieldKind, raw: unknown): Result {
  if (raw === undefined) return ERROR; // cel-js: no such key
  // A declared field holding null is dropped (no such key); a map value null stays null in cel-js.
  if (raw === null) return kind === 'dyn' ? UNSURE : ERROR;
  switch (kind) {
    case 'string':
      return typeof raw === 'string' ? raw : UNSURE;
    case 'bool':
      return typeof raw === 'boolean' ? raw : UNSURE;
    case 'int':
      return typeof raw === 'number' && Number.isSafeInteger(raw) ? raw : UNSURE;
    case 'double':
      return typeof raw === 'number' ? raw : UNSURE;
    case 'list<string>':
      return Array.isArray(raw) && raw.every((x) => typeof x === 'string') ? raw : UNSURE;
    case 'dyn':
      // Text, numbers (doubles in CEL) and booleans compare as here; lists and maps are cel-js's.
      return typeof raw === 'string' ||
        typeof raw === 'boolean' ||
        (typeof raw === 'number' && Number.isFinite(raw))
        ? raw
        : UNSURE;
  }
}

type FieldSpec = { readonly type: CelFieldType };
const fieldsOf = (type: CelObjectTypeName): Readonly<Record<string, FieldSpec | undefined>> =>
  CEL_OBJECT_TYPES[type].fields;

/** `variable.a.b…` as a path of declared fields ending in a scalar or list field. */
interface FieldPath {
  readonly variable: string;
  /** Object fields on the way, then the last field. */
  readonly fields: readonly string[];
  readonly kind: FieldKind;
}

function fieldPath(node: ASTNode, scope: RuleScope): FieldPath | undefined {
  const names: string[] = [];
  let at: ASTNode = node;
  while (at.op === '.') {
    const [object, field] = at.args;
    names.unshift(field);
    at = object;
  }
  if (at.op !== 'id' || names.length === 0) return undefined;
  const variable = at.args;
  if (!(SCOPE_VARIABLES[scope] as readonly string[]).includes(variable)) return undefined;
  let type: CelObjectTypeName = CEL_VARIABLES[variable as keyof typeof CEL_VARIABLES];
  for (let i = 0; i < names.length - 1; i++) {
    const spec: FieldSpec | undefined = fieldsOf(type)[names[i] ?? ''];
    // `event.properties.form`: a key of a map of any JSON, the last name of the path.
    if (spec?.type === 'map<string, dyn>' && i === names.length - 2)
      return { variable, fields: names, kind: 'dyn' };
    if (spec === undefined || !isCelObjectType(spec.type)) return undefined;
    type = spec.type;
  }
  const last: FieldSpec | undefined = fieldsOf(type)[names[names.length - 1] ?? ''];
  const kind = last === undefined ? undefined : fieldKind(last.type);
  return kind === undefined ? undefined : { variable, fields: names, kind };
}

/** `variable.field…` up to `fields[count - 1]`, as cel-js names a path in its errors. */
const pathText = (variable: string, fields: readonly string[], count: number): string =>
  [variable, ...fields.slice(0, count)].join('.');

/** Reads a field path: ERROR when absent, UNSURE on an object of the wrong shape. */
function reader(path: FieldPath): Evaluator {
  const { variable, fields, kind } = path;
  const full = pathText(variable, fields, fields.length);
  if (fields.length === 1) {
    // A function of this path's own (core/fieldReader.ts): a shared `context[variable][field]`
    // load costs ~30 ns once it has seen every rule's fields.
    const read = variableFieldReader(variable, fields[0] ?? '');
    return (context) => {
      const raw = read(context);
      if (raw === NO_VARIABLE) return missing(full); // an empty object in cel-js
      if (raw === NOT_A_MAP) return UNSURE;
      const value = checked(kind, raw);
      return value === ERROR ? missing(full) : value;
    };
  }
  // `partial[i]`: the path cel-js names when the read of `fields[i]` finds nothing (a missing
  // variable reads as an empty object, so its first field is the one not set).
  const partial = fields.map((_, i) => pathText(variable, fields, i + 1));
  return (context) => {
    let object: unknown = context[variable];
    if (object === undefined || object === null) return missing(partial[0] ?? full);
    for (let i = 0; i < fields.length - 1; i++) {
      if (!isRecord(object)) return UNSURE;
      object = object[fields[i] ?? ''];
      if (object === undefined || object === null) return missing(partial[i] ?? full);
    }
    if (!isRecord(object)) return UNSURE;
    const value = checked(kind, object[fields[fields.length - 1] ?? '']);
    return value === ERROR ? missing(full) : value;
  };
}

function literal(node: ASTNode): Value {
  const value = node.args as unknown;
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : unsupported();
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return unsupported();
}

function literalList(node: ASTNode): readonly Value[] | undefined {
  if (node.op !== 'list') return undefined;
  const items = node.args.map((item) => (item.op === 'value' ? literal(item) : unsupported()));
  const kinds = new Set(items.map((x) => typeof x));
  return kinds.size <= 1 ? items : unsupported();
}

const sameKind = (a: Value, b: Value): boolean =>
  typeof a === typeof b && typeof a !== 'object' && typeof b !== 'object';

/**
 * Two operands, then `combine`: UNSURE from either wins (cel-js must look), then a CEL error from
 * either (both sides run, as in cel-js), then the combination of two values.
 */
function binary(
  operands: readonly [ASTNode, ASTNode],
  scope: RuleScope,
  combine: (a: Value, b: Value) => Result,
): Evaluator {
  const left = compile(operands[0], scope);
  const right = compile(operands[1], scope);
  return (context) => {
    const a = left(context);
    if (a === UNSURE) return UNSURE;
    const b = right(context);
    if (b === UNSURE) return UNSURE;
    if (a === ERROR || b === ERROR) return ERROR;
    return combine(a, b);
  };
}

function compile(node: ASTNode, scope: RuleScope): Evaluator {
  switch (node.op) {
    case 'value': {
      const value = literal(node);
      return () => value;
    }
    case '.': {
      const path = fieldPath(node, scope);
      return path === undefined ? unsupported() : reader(path);
    }
    case '!_': {
      const inner = compile(node.args, scope);
      return (context) => {
        const v = inner(context);
        return typeof v === 'boolean' ? !v : v === ERROR ? ERROR : UNSURE;
      };
    }
    case '-_': {
      const inner = compile(node.args, scope);
      return (context) => {
        const v = inner(context);
        return typeof v === 'number' ? -v : v === ERROR ? ERROR : UNSURE;
      };
    }
    case '&&':
    case '||': {
      const [l, r] = node.args;
      const left = compile(l, scope);
      const right = compile(r, scope);
      // The value that decides the result on either side (false for &&, true for ||).
      const decisive = node.op === '||';
      return (context) => {
        const a = left(context);
        if (a === decisive) return decisive;
        if (a !== ERROR && typeof a !== 'boolean') return UNSURE;
        const b = right(context);
        if (b === decisive) return decisive;
        if (b !== ERROR && typeof b !== 'boolean') return UNSURE;
        return a === ERROR || b === ERROR ? ERROR : !decisive;
      };
    }
    case '?:': {
      const [c, t, f] = node.args.map((n) => compile(n, scope)) as [Evaluator, Evaluator, Evaluator];
      return (context) => {
        const v = c(context);
        if (v === true) return t(context);
        if (v === false) return f(context);
        return v === ERROR ? ERROR : UNSURE;
      };
    }
    case '==':
    case '!=': {
      const direct = fieldAgainstLiteral(node, scope);
      if (direct !== undefined) return direct;
      const equal = node.op === '==';
      return binary(node.args, scope, (a, b) => (sameKind(a, b) ? (a === b) === equal : UNSURE));
    }
    case '<':
    case '<=':
    case '>':
    case '>=': {
      const direct = fieldAgainstLiteral(node, scope);
      if (direct !== undefined) return direct;
      const compare = COMPARE[node.op];
      // Only numbers: CEL orders strings by code point, JS by UTF-16 unit.
      return binary(node.args, scope, (a, b) =>
        typeof a === 'number' && typeof b === 'number' ? compare(a, b) : UNSURE,
      );
    }
    case 'in': {
      const [l, r] = node.args;
      const item = compile(l, scope);
      const list = literalList(r);
      if (list !== undefined) {
        const set = new Set<Value>(list);
        const kind = list.length > 0 ? typeof list[0] : undefined;
        return (context) => {
          const v = item(context);
          if (v === ERROR || v === UNSURE) return v;
          if (kind === undefined) return typeof v === 'object' ? UNSURE : false;
          return typeof v === kind ? set.has(v) : UNSURE;
        };
      }
      const field = r.op === '.' ? fieldPath(r, scope) : undefined;
      if (field?.kind !== 'list<string>') return unsupported();
      return binary([l, r], scope, (v, values) =>
        typeof v === 'string' && Array.isArray(values) ? values.includes(v) : UNSURE,
      );
    }
    case 'call': {
      const [name, args] = node.args;
      const arg = args[0];
      if (name !== 'has' || args.length !== 1 || arg?.op !== '.') return unsupported();
      const [object, field] = arg.args;
      // One level only: `has(company.employees)`.
      const path = fieldPath(arg, scope);
      if (object.op !== 'id' || path === undefined) return unsupported();
      const variable = object.args;
      return (context) => {
        const value = context[variable];
        if (value === undefined || value === null) return false;
        if (!isRecord(value)) return UNSURE;
        // A value of the wrong type makes cel-js fail, not answer.
        const read = checked(path.kind, value[field]);
        return read === ERROR ? false : read === UNSURE ? UNSURE : true;
      };
    }
    case 'rcall': {
      const [name, target, args] = node.args;
      if (name === 'exists') return exists(target, args, scope);
      if (name === 'matches') return matches(target, args, scope);
      const method = STRING_METHODS[name];
      if (method === undefined || args.length !== 1 || args[0] === undefined) return unsupported();
      return binary([target, args[0]], scope, (s, x) =>
        typeof s === 'string' && typeof x === 'string' ? method(s, x) : UNSURE,
      );
    }
    default:
      return unsupported();
  }
}

/**
 * `list.exists(x, x in ["a", "b"])` or `list.exists(x, x == "a")` over a `list<string>` field, the
 * templates' tech-stack fit: whether any element is one of the strings. The list is read as any field
 * (missing: ERROR; elements not all strings: UNSURE); every other macro body is cel-js's.
 */
function exists(target: ASTNode, args: readonly ASTNode[], scope: RuleScope): Evaluator {
  const [binding, body] = args;
  const path = target.op === '.' ? fieldPath(target, scope) : undefined;
  if (args.length !== 2 || binding?.op !== 'id' || body === undefined || path?.kind !== 'list<string>')
    return unsupported();
  const name = binding.args;
  const isBound = (n: ASTNode): boolean => n.op === 'id' && n.args === name;
  let wanted: readonly Value[];
  if (body.op === 'in' && isBound(body.args[0])) {
    wanted = literalList(body.args[1]) ?? unsupported();
  } else if (body.op === '==' && (isBound(body.args[0]) || isBound(body.args[1]))) {
    const other = isBound(body.args[0]) ? body.args[1] : body.args[0];
    wanted = other.op === 'value' ? [literal(other)] : unsupported();
  } else {
    return unsupported();
  }
  if (wanted.length === 0 || !wanted.every((w) => typeof w === 'string')) return unsupported();
  const set = new Set<Value>(wanted);
  const list = reader(path);
  return (context) => {
    const values = list(context);
    // The reader of a list<string> field gives a list of strings, ERROR or UNSURE.
    if (typeof values !== 'object') return values === ERROR ? ERROR : UNSURE;
    for (let i = 0; i < values.length; i++) if (set.has(values[i] ?? '')) return true;
    return false;
  };
}

/**
 * `text.matches("literal pattern")`, as cel-js runs it (`new RegExp(pattern).test(text)`), with the
 * pattern compiled once; a pattern that is not a literal or does not compile is cel-js's (it raises).
 */
function matches(target: ASTNode, args: readonly ASTNode[], scope: RuleScope): Evaluator {
  const [pattern] = args;
  if (args.length !== 1 || pattern?.op !== 'value' || typeof pattern.args !== 'string') return unsupported();
  let regex: RegExp;
  try {
    regex = new RegExp(pattern.args);
  } catch {
    return unsupported();
  }
  const text = compile(target, scope);
  return (context) => {
    const value = text(context);
    if (typeof value === 'string') return regex.test(value);
    return value === ERROR ? ERROR : UNSURE;
  };
}

const FLIPPED = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as const;

type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/**
 * A comparison of a one-level field with a literal, either way round, as `field op literal` (the
 * operator flipped when the literal came first); undefined for anything else.
 */
function comparison(
  node: ASTNode,
  scope: RuleScope,
): { op: ComparisonOp; variable: string; field: string; kind: FieldKind; literal: ASTNode } | undefined {
  const op = node.op;
  if (op !== '==' && op !== '!=' && op !== '<' && op !== '<=' && op !== '>' && op !== '>=') return undefined;
  const [l, r] = node.args;
  const fieldFirst = r.op === 'value';
  const fieldNode = fieldFirst ? l : r;
  const literalNode = fieldFirst ? r : l;
  if (literalNode.op !== 'value' || fieldNode.op !== '.') return undefined;
  const path = fieldPath(fieldNode, scope);
  if (path === undefined || path.fields.length !== 1) return undefined;
  const flipped = op === '==' || op === '!=' || fieldFirst ? op : FLIPPED[op];
  return {
    op: flipped,
    variable: path.variable,
    field: path.fields[0] ?? '',
    kind: path.kind,
    literal: literalNode,
  };
}

/** The terms of a rule's top-level `&&` chain, left to right. */
function conjuncts(ast: ASTNode): ASTNode[] {
  if (ast.op !== '&&') return [ast];
  const [l, r] = ast.args;
  return [...conjuncts(l), ...conjuncts(r)];
}

/**
 * `company.state == "CA"`, `company.employees >= 500` (either way round) in one closure: the same
 * answers as the general comparison, without its calls — these are most of what rules say.
 */
function fieldAgainstLiteral(node: ASTNode, scope: RuleScope): Evaluator | undefined {
  const c = comparison(node, scope);
  if (c === undefined || c.kind === 'list<string>') return undefined;
  const { op, variable, field, kind } = c;
  const path = `${variable}.${field}`;
  const value = literal(c.literal);
  // Each closure reads the field inline: this is the innermost loop of routing and scoring.
  if (op === '==' || op === '!=') {
    const equal = op === '==';
    const type = typeof value;
    return (context) => {
      const object = context[variable];
      if (object === undefined || object === null) return missing(path);
      if (!isRecord(object)) return UNSURE;
      const a = checked(kind, object[field]);
      if (a === ERROR) return missing(path);
      if (a === UNSURE) return a;
      return typeof a === type ? (a === value) === equal : UNSURE;
    };
  }
  if (typeof value !== 'number') return undefined;
  const bound = value;
  const numeric =
    (compare: (a: number) => boolean): Evaluator =>
    (context) => {
      const object = context[variable];
      if (object === undefined || object === null) return missing(path);
      if (!isRecord(object)) return UNSURE;
      const a = checked(kind, object[field]);
      if (a === ERROR) return missing(path);
      if (a === UNSURE) return a;
      return typeof a === 'number' ? compare(a) : UNSURE;
    };
  switch (op) {
    case '<':
      return numeric((a) => a < bound);
    case '<=':
      return numeric((a) => a <= bound);
    case '>':
      return numeric((a) => a > bound);
    case '>=':
      return numeric((a) => a >= bound);
  }
}

const COMPARE = {
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
} as const;

const STRING_METHODS: Readonly<Record<string, ((s: string, x: string) => boolean) | undefined>> = {
  contains: (s, x) => s.includes(x),
  startsWith: (s, x) => s.startsWith(x),
  endsWith: (s, x) => s.endsWith(x),
};

/** The fast evaluator of a type-checked rule, or undefined when it uses anything outside the subset. */
export function compileFast(ast: ASTNode, scope: RuleScope): FastRule | undefined {
  try {
    return compile(ast, scope);
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}

/**
 * The terms the top-level `&&` chain of a rule requires, each `variable.field` equal to one of a few
 * strings: when a lead's value is not among them, the rule cannot hold (a missing or non-string
 * value makes the term false or an error, and either makes the rule false).
 */
export function indexTerms(ast: ASTNode, scope: RuleScope): RuleIndexTerm[] {
  return conjuncts(ast).flatMap((term): RuleIndexTerm[] => {
    let field: { variable: string; field: string; kind: FieldKind } | undefined;
    let values: readonly unknown[];
    if (term.op === 'in') {
      const [l, r] = term.args;
      const path = l.op === '.' ? fieldPath(l, scope) : undefined;
      if (r.op !== 'list' || path === undefined || path.fields.length !== 1) return [];
      if (!r.args.every((i) => i.op === 'value')) return [];
      field = { variable: path.variable, field: path.fields[0] ?? '', kind: path.kind };
      values = r.args.map((i) => i.args);
    } else {
      const c = comparison(term, scope);
      if (c?.op !== '==') return [];
      field = c;
      values = [c.literal.args];
    }
    if (field.kind !== 'string' || !values.every((v): v is string => typeof v === 'string')) return [];
    return [{ variable: field.variable, field: field.field, values }];
  });
}

/** The numeric bounds the top-level `&&` chain of a rule requires (`company.employees >= 1000`). */
export function indexBounds(ast: ASTNode, scope: RuleScope): RuleBound[] {
  return conjuncts(ast).flatMap((term): RuleBound[] => {
    const c = comparison(term, scope);
    if (c === undefined || c.op === '==' || c.op === '!=' || (c.kind !== 'int' && c.kind !== 'double'))
      return [];
    const raw = c.literal.args as unknown;
    const bound = typeof raw === 'bigint' ? Number(raw) : raw;
    if (typeof bound !== 'number' || !Number.isFinite(bound)) return [];
    return [{ variable: c.variable, field: c.field, op: c.op, bound }];
  });
}

/**
 * The variables of `scope` a rule reads anywhere in it (`contact`, `company`, `account`, …), in the
 * order first met: a caller that caches what a rule says per variable object needs to know which of
 * them the answer depends on. A comprehension's own variable (`t` in `exists(t, …)`) is not one.
 */
export function variablesRead(ast: ASTNode, scope: RuleScope): string[] {
  const variables = SCOPE_VARIABLES[scope] as readonly string[];
  const found = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    const { op, args } = node as { readonly op?: unknown; readonly args?: unknown };
    if (typeof op !== 'string') return;
    if (op === 'id') {
      if (typeof args === 'string' && variables.includes(args)) found.add(args);
      return;
    }
    visit(args);
  };
  visit(ast);
  return [...found];
}
