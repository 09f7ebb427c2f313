/**
 * Compiles the CEL conditions of revops.yaml into `CompiledRule`s: parse, type-check against the
 * variables of the rule's scope (celVariables.ts), and wrap evaluation so it never throws.
 *
 * Numbers. cel-js 8 keeps CEL `int` as BigInt and treats every JS number as `double`; an `int`
 * field holding a JS number fails at run time ("not of type 'int', got 'double'"). We keep the
 * declared types (counts are `int`, money and scores are `double`), so type-checking still catches
 * `company.employees >= "500"` and `company.employees + 1` is an int, and:
 *   - before evaluation, plain JS whole numbers in `int` fields become BigInt (`toCelContext`);
 *   - ordering across int and double is built into cel-js (`employees >= 500.0`, `revenue >= 5`);
 *   - we add `int == double` (and `!=`) and mixed `+ - * /` (giving double), so
 *     `company.revenue == 0` and `deal.amount * 0.9 > 1000` type-check as users expect.
 * Values inside `event.properties` (map<string, dyn>) stay JS numbers, i.e. doubles.
 *
 * Timestamps are declared as `google.protobuf.Timestamp`: cel-js 8 resolves the alias `timestamp`
 * in a declaration to a type that does not match what `timestamp("...")` returns.
 */
import { Environment, EvaluationError, ParseError, TypeError as CelTypeError } from '@marcbachmann/cel-js';
import type { ASTNode, ParseResult } from '@marcbachmann/cel-js';
import { distance } from 'fastest-levenshtein';
import { compileFast, ERROR, evaluateExplained, indexBounds, indexTerms, variablesRead } from './celFast.ts';
import type { CompiledRule, RuleContext, RuleExplanation, RuleScope } from '../core/rule.ts';
import {
  CEL_OBJECT_TYPES,
  CEL_VARIABLES,
  SCOPE_VARIABLES,
  isCelObjectType,
  type CelFieldSpec,
  type CelFieldType,
  type CelObjectTypeName,
  type CelVariableName,
} from './celVariables.ts';

export interface CelProblem {
  code: 'config.cel_syntax' | 'config.cel_type';
  message: string;
  /** 0-based character offset in the rule source. */
  offset: number;
  hint?: string;
}

export type CompileResult = { ok: true; rule: CompiledRule } | { ok: false; issues: CelProblem[] };

/** Parses and type-checks `source` for `scope`. Never throws; problems come back as issues. */
export function compileRule(
  source: string,
  id: string,
  scope: RuleScope,
  options: { readonly fast?: boolean } = {},
): CompileResult {
  if (source.trim() === '') {
    return fail({
      code: 'config.cel_syntax',
      message: 'the rule is empty',
      offset: 0,
      hint: 'write a condition such as company.employees >= 500',
    });
  }
  const env = scopeEnvironment(scope);
  let program: ParseResult;
  try {
    program = env.parse(source);
  } catch (error) {
    return fail(syntaxProblem(error, source));
  }
  const checked = program.check();
  if (!checked.valid) {
    return fail(
      checked.error instanceof ParseError
        ? syntaxProblem(checked.error, source)
        : typeProblem(checked.error, scope),
    );
  }
  const type = checked.type ?? 'dyn';
  if (type !== 'bool' && type !== 'dyn' && type !== 'dyn<bool>') {
    return fail({
      code: 'config.cel_type',
      message: `a condition must be true or false; this expression is ${article(typeLabel(type))}`,
      offset: 0,
      hint: nonBoolHint(type),
    });
  }
  const slow = (context: RuleContext): RuleExplanation => run(program, scope, context);
  const fast = options.fast === false ? undefined : compileFast(program.ast, scope);
  // The fast path answers most evaluations; cel-js runs when it is unsure, and for the error text.
  const explain =
    fast === undefined
      ? slow
      : (context: RuleContext): RuleExplanation => evaluateExplained(fast, context) ?? slow(context);
  const evaluate =
    fast === undefined
      ? (context: RuleContext) => slow(context).value
      : (context: RuleContext) => {
          const value = fast(context);
          if (value === true || value === false) return value;
          return value === ERROR ? false : slow(context).value;
        };
  const rule: CompiledRule = Object.freeze({
    kind: 'rule',
    id,
    source,
    scope,
    evaluate,
    explain,
    terms: Object.freeze(indexTerms(program.ast, scope)),
    bounds: Object.freeze(indexBounds(program.ast, scope)),
    reads: Object.freeze(variablesRead(program.ast, scope)),
  });
  return { ok: true, rule };
}

// ---------------------------------------------------------------- environments

type CelClass = new () => object;
const CLASSES = new Map<CelObjectTypeName, CelClass>();
const ENVIRONMENTS = new Map<RuleScope, Environment>();
let baseEnvironment: Environment | undefined;

function classOf(name: CelObjectTypeName): CelClass {
  let cls = CLASSES.get(name);
  if (cls === undefined) {
    cls = class {};
    Object.defineProperty(cls, 'name', { value: name });
    CLASSES.set(name, cls);
  }
  return cls;
}

const fieldsOf = (type: CelObjectTypeName): Readonly<Record<string, CelFieldSpec>> =>
  CEL_OBJECT_TYPES[type].fields;

const celTypeName = (type: CelFieldType): string =>
  type === 'timestamp' ? 'google.protobuf.Timestamp' : type;

function base(): Environment {
  if (baseEnvironment) return baseEnvironment;
  const env = new Environment();
  for (const name of Object.keys(CEL_OBJECT_TYPES) as CelObjectTypeName[]) {
    const fields: Record<string, string> = {};
    for (const [field, spec] of Object.entries(fieldsOf(name))) fields[field] = celTypeName(spec.type);
    env.registerType(name, { ctor: classOf(name), fields });
  }
  const toNumber = (v: unknown): number => (typeof v === 'bigint' ? Number(v) : (v as number));
  env.registerOperator('int == double', (a: unknown, b: unknown) => toNumber(a) === toNumber(b));
  const arithmetic = {
    '+': (a: number, b: number) => a + b,
    '-': (a: number, b: number) => a - b,
    '*': (a: number, b: number) => a * b,
    '/': (a: number, b: number) => a / b,
  };
  for (const [op, fn] of Object.entries(arithmetic)) {
    const handler = (a: unknown, b: unknown): number => fn(toNumber(a), toNumber(b));
    env.registerOperator(`int ${op} double: double`, handler);
    env.registerOperator(`double ${op} int: double`, handler);
  }
  return (baseEnvironment = env);
}

function scopeEnvironment(scope: RuleScope): Environment {
  let env = ENVIRONMENTS.get(scope);
  if (env === undefined) {
    env = base().clone();
    for (const name of SCOPE_VARIABLES[scope]) {
      const type = CEL_VARIABLES[name];
      env.registerVariable(name, type, { description: CEL_OBJECT_TYPES[type].description });
    }
    ENVIRONMENTS.set(scope, env);
  }
  return env;
}

// ---------------------------------------------------------------- evaluation

function run(program: ParseResult, scope: RuleScope, context: RuleContext): RuleExplanation {
  let result: unknown;
  // A missing attribute is an evaluation error in CEL, and such errors are common (most leads
  // lack some attribute). Their stack traces are never read, and capturing them dominated the
  // cost of scoring, so none is captured while a program runs (evaluation is synchronous).
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    result = program(toCelContext(scope, context)) as unknown;
  } catch (error) {
    const unset = unsetPath(error);
    return unset === undefined
      ? { value: false, error: runtimeErrorText(error) }
      : { value: false, error: `${unset} is not set`, unset };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  if (typeof result === 'boolean') return { value: result };
  return { value: false, error: `the rule produced ${describeValue(result)}, not true or false` };
}

const isRecord = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' &&
  v !== null &&
  (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/** Converted contexts, per scope: several rules evaluated against one context convert it once. */
const CONVERTED = new WeakMap<RuleContext, Map<RuleScope, Record<string, unknown>>>();

/** Converts the plain context into what cel-js expects: typed objects, BigInt ints, Dates. */
function toCelContext(scope: RuleScope, context: RuleContext): Record<string, unknown> {
  let byScope = CONVERTED.get(context);
  const cached = byScope?.get(scope);
  if (cached !== undefined) return cached;
  const converted = convertContext(scope, context);
  if (byScope === undefined) {
    byScope = new Map();
    CONVERTED.set(context, byScope);
  }
  byScope.set(scope, converted);
  return converted;
}

/**
 * Converted variables by their plain object: contexts built for one contact share their `contact`
 * and `company` values (core/contact/ruleContext.ts), so each is converted once, not once per
 * context. Like whole contexts, a variable's object is not changed once a rule has read it.
 */
const CONVERTED_VARIABLES = new WeakMap<
  object,
  { readonly type: CelObjectTypeName; readonly value: unknown }
>();

function convertVariable(type: CelObjectTypeName, raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null) return toCelObject(type, raw);
  const cached = CONVERTED_VARIABLES.get(raw);
  if (cached !== undefined && cached.type === type) return cached.value;
  const value = toCelObject(type, raw);
  CONVERTED_VARIABLES.set(raw, { type, value });
  return value;
}

function convertContext(scope: RuleScope, context: RuleContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of SCOPE_VARIABLES[scope]) {
    const raw = context[name];
    // An absent variable is an empty object, so `has(company.employees)` is false, not an error.
    out[name] =
      raw === undefined || raw === null
        ? new (classOf(CEL_VARIABLES[name]))()
        : convertVariable(CEL_VARIABLES[name], raw);
  }
  return out;
}

const FIELD_LISTS = new Map<CelObjectTypeName, readonly (readonly [string, CelFieldType])[]>();

/** The declared fields of a type as a list, computed once. */
function fieldList(type: CelObjectTypeName): readonly (readonly [string, CelFieldType])[] {
  let list = FIELD_LISTS.get(type);
  if (list === undefined) {
    list = Object.entries(fieldsOf(type)).map(([field, spec]) => [field, spec.type] as const);
    FIELD_LISTS.set(type, list);
  }
  return list;
}

function toCelObject(type: CelObjectTypeName, raw: unknown): unknown {
  if (!isRecord(raw)) return raw; // cel-js reports the mismatch at run time
  const out = new (classOf(type))() as Record<string, unknown>;
  for (const [field, fieldType] of fieldList(type)) {
    const value = raw[field];
    if (value !== undefined && value !== null) out[field] = toCelValue(fieldType, value);
  }
  return out;
}

function toCelValue(type: CelFieldType, value: unknown): unknown {
  if (isCelObjectType(type)) return toCelObject(type, value);
  switch (type) {
    case 'int':
      return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : value;
    case 'double':
      return typeof value === 'bigint' ? Number(value) : value;
    case 'timestamp': {
      if (typeof value !== 'string' && typeof value !== 'number') return value;
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : date;
    }
    default:
      return value;
  }
}

/** The attribute path a "no such key" error is about; undefined for any other error. */
function unsetPath(error: unknown): string | undefined {
  if (!(error instanceof EvaluationError) || error.code !== 'no_such_key' || !error.node) return undefined;
  return accessPath(error.node);
}

function runtimeErrorText(error: unknown): string {
  if (error instanceof EvaluationError) {
    const path = error.node ? accessPath(error.node) : undefined;
    if (error.code === 'field_type_mismatch' && path !== undefined)
      return `${path} has the wrong type: ${error.summary}`;
    return error.summary;
  }
  return error instanceof Error ? error.message : String(error);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'bigint' || typeof value === 'number') return `the number ${String(value)}`;
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

// ---------------------------------------------------------------- compile problems

const fail = (problem: CelProblem): CompileResult => ({ ok: false, issues: [problem] });

const TOKENS: Readonly<Record<string, string>> = {
  RPAREN: ')',
  LPAREN: '(',
  RBRACKET: ']',
  LBRACKET: '[',
  RBRACE: '}',
  LBRACE: '{',
  COMMA: ',',
  COLON: ':',
  IDENTIFIER: 'a name',
  EOF: 'the end of the rule',
};
const token = (name: string): string => TOKENS[name] ?? name.toLowerCase();

function syntaxProblem(error: unknown, source: string): CelProblem {
  const offset = error instanceof ParseError ? (error.range?.start ?? 0) : 0;
  const summary =
    error instanceof ParseError ? error.summary : error instanceof Error ? error.message : String(error);
  const code = error instanceof ParseError ? error.code : 'parse_error';
  const problem = (message: string, hint?: string): CelProblem =>
    hint === undefined
      ? { code: 'config.cel_syntax', message, offset }
      : { code: 'config.cel_syntax', message, offset, hint };
  const rest = source.slice(offset);
  if (code === 'unterminated_string' || code === 'unterminated_triple_quoted_string') {
    return problem(
      'this text is missing its closing quote',
      'end the text with the same quote it starts with: "VP"',
    );
  }
  if (code === 'unexpected_token' && summary.endsWith('EOF')) {
    return problem(
      'the rule ends too early: something is missing at the end',
      'complete the last comparison, e.g. company.employees >= 500',
    );
  }
  const expected = /^Expected (\w+), got (\w+)/.exec(summary);
  if (code === 'expected_token' && expected) {
    return problem(
      `expected "${token(expected[1] ?? '')}" but found ${token(expected[2] ?? '')}`,
      'check that every ( [ { is closed',
    );
  }
  if (/^(and|or|not)\b/i.test(rest))
    return problem(
      `unexpected word "${/^\w+/.exec(rest)?.[0] ?? ''}"`,
      'write && for and, || for or, ! for not',
    );
  if (rest.startsWith('=>') || rest.startsWith('=<'))
    return problem(`unexpected "${rest.slice(0, 2)}"`, 'write >= and <=');
  if (rest.startsWith('=')) return problem('unexpected "="', 'compare with ==, not =');
  return problem(`syntax error: ${summary}`);
}

function typeProblem(error: ParseError | CelTypeError | undefined, scope: RuleScope): CelProblem {
  const offset = error?.range?.start ?? 0;
  const summary = error?.summary ?? 'unknown type error';
  const problem = (message: string, hint?: string): CelProblem =>
    hint === undefined
      ? { code: 'config.cel_type', message, offset }
      : { code: 'config.cel_type', message, offset, hint };
  const node = error instanceof CelTypeError ? error.node : undefined;
  const code = error?.code;

  if (code === 'unknown_variable' && node?.op === 'id') return unknownVariable(node.args, scope, problem);
  if (code === 'no_such_key' && node && (node.op === '.' || node.op === '[]')) {
    const objectPath = accessPath(node.args[0]);
    const objectType = objectTypeOf(node.args[0], scope);
    const field =
      node.op === '.' ? node.args[1] : node.args[1].op === 'value' ? String(node.args[1].args) : undefined;
    if (objectPath !== undefined && objectType !== undefined && field !== undefined) {
      const fields = Object.keys(CEL_OBJECT_TYPES[objectType].fields);
      return problem(
        `${objectPath} has no field "${field}"`,
        withSuggestion(field, fields, `${objectPath} fields: ${fields.join(', ')}`),
      );
    }
  }
  if (code === 'cannot_index_type' && node && (node.op === '.' || node.op === '[]')) {
    const path = accessPath(node.args[0]);
    const type = /'(.+)'/.exec(summary)?.[1];
    if (path !== undefined && type !== undefined)
      return problem(`${path} is ${article(typeLabel(type))} and has no fields`);
  }
  if (code === 'no_such_overload' && node) return overloadProblem(node.op, summary, problem);
  if (code === 'no_matching_overload' && node && (node.op === 'call' || node.op === 'rcall')) {
    const name = node.args[0];
    const known = functionNames(scope);
    if (!known.includes(name))
      return problem(`unknown function "${name}"`, withSuggestion(name, known, COMMON_FUNCTIONS));
    const call = /'(.+)'/.exec(summary)?.[1] ?? summary;
    return problem(`${name}() cannot take these arguments: ${call}`);
  }
  if (code === 'invalid_logical_operand') {
    const type = /got '(.+)'/.exec(summary)?.[1] ?? 'value';
    return problem(`&& and || need true or false on both sides; one side is ${article(typeLabel(type))}`);
  }
  return problem(`this rule does not type-check: ${summary}`);
}

function unknownVariable(
  name: string,
  scope: RuleScope,
  problem: (m: string, h?: string) => CelProblem,
): CelProblem {
  const allowed: readonly string[] = SCOPE_VARIABLES[scope];
  const list = `${scope} rules can use: ${allowed.join(', ')}`;
  if (Object.hasOwn(CEL_VARIABLES, name))
    return problem(`"${name}" is not available in ${scope} rules`, list);
  const fieldMatch = allowed.find((v) => Object.hasOwn(fieldsOf(CEL_VARIABLES[v as CelVariableName]), name));
  if (fieldMatch !== undefined)
    return problem(`unknown variable "${name}"`, `did you mean "${fieldMatch}.${name}"? ${list}`);
  const hint = withSuggestion(name, allowed, undefined);
  return problem(
    `unknown variable "${name}"`,
    hint !== undefined ? `${hint} ${list}` : `${list}; for the text ${name}, write "${name}" in quotes`,
  );
}

const COMMON_FUNCTIONS =
  'common functions: has, size, startsWith, endsWith, contains, matches, lowerAscii, exists, all, timestamp';

const COMPARISONS = new Set(['<', '<=', '>', '>=', '==', '!=']);

function overloadProblem(
  op: string,
  summary: string,
  problem: (m: string, h?: string) => CelProblem,
): CelProblem {
  const body = summary.replace(/^no such overload: /, '');
  const at = body.indexOf(` ${op} `);
  if (at < 0) return problem(`cannot apply ${op.replace('_', '')} to ${article(typeLabel(body.slice(1)))}`);
  const left = typeLabel(body.slice(0, at));
  const right = typeLabel(body.slice(at + op.length + 2));
  const numbers = new Set(['int', 'double']);
  const hint =
    (left === 'string' && numbers.has(right)) || (right === 'string' && numbers.has(left))
      ? 'numbers are written without quotes (500, not "500"); text goes in quotes ("vp")'
      : left === 'timestamp' || right === 'timestamp'
        ? 'write times as timestamp("2025-01-01T00:00:00Z")'
        : undefined;
  const message = COMPARISONS.has(op)
    ? `cannot compare ${article(left)} with ${article(right)} using ${op}`
    : op === 'in'
      ? `cannot look for ${article(left)} in ${article(right)}`
      : `cannot apply ${op} to ${article(left)} and ${article(right)}`;
  return problem(message, hint);
}

function nonBoolHint(type: string): string {
  if (type === 'int' || type === 'double') return 'compare it with a number, e.g. ... >= 500';
  if (type === 'string') return 'compare it with a value, e.g. ... == "vp"';
  if (type.startsWith('list')) return 'test membership, e.g. "salesforce" in ...';
  if (isCelObjectType(type))
    return `read one of its fields: ${Object.keys(CEL_OBJECT_TYPES[type].fields).join(', ')}`;
  return 'compare it with a value using ==, <, >, or in';
}

// ---------------------------------------------------------------- helpers

/** `company.employees` for a field-access chain; undefined for anything else. */
function accessPath(node: ASTNode): string | undefined {
  switch (node.op) {
    case 'id':
      return node.args;
    case '.':
    case '.?': {
      const parent = accessPath(node.args[0]);
      return parent === undefined ? undefined : `${parent}.${node.args[1]}`;
    }
    case '[]': {
      const parent = accessPath(node.args[0]);
      const key = node.args[1];
      return parent === undefined || key.op !== 'value'
        ? undefined
        : `${parent}[${JSON.stringify(key.args)}]`;
    }
    default:
      return undefined;
  }
}

/** The declared object type of a field-access chain, from celVariables.ts. */
function objectTypeOf(node: ASTNode, scope: RuleScope): CelObjectTypeName | undefined {
  if (node.op === 'id') {
    const allowed: readonly string[] = SCOPE_VARIABLES[scope];
    return allowed.includes(node.args) ? CEL_VARIABLES[node.args as CelVariableName] : undefined;
  }
  if (node.op !== '.') return undefined;
  const parent = objectTypeOf(node.args[0], scope);
  if (parent === undefined) return undefined;
  const spec = fieldsOf(parent)[node.args[1]];
  return spec !== undefined && isCelObjectType(spec.type) ? spec.type : undefined;
}

const FUNCTION_NAMES = new Map<RuleScope, string[]>();
function functionNames(scope: RuleScope): string[] {
  let names = FUNCTION_NAMES.get(scope);
  if (names === undefined) {
    names = [
      ...new Set(
        scopeEnvironment(scope)
          .getDefinitions()
          .functions.map((f) => f.name),
      ),
    ];
    FUNCTION_NAMES.set(scope, names);
  }
  return names;
}

/**
 * `did you mean "x"? <rest>` when a candidate is close: case-insensitive edit distance, a swap of
 * two neighbouring letters counting as one edit, within a third of the name's length.
 */
function withSuggestion(
  name: string,
  candidates: readonly string[],
  rest: string | undefined,
): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const d = isSwap(lower, other) ? 1 : distance(lower, other);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  const text = [best === undefined ? undefined : `did you mean "${best}"?`, rest]
    .filter((s) => s !== undefined)
    .join(' ');
  return text === '' ? undefined : text;
}

function isSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diff: number[] = [];
  for (let i = 0; i < a.length && diff.length <= 2; i++) if (a[i] !== b[i]) diff.push(i);
  const [i, j] = diff;
  return diff.length === 2 && i !== undefined && j === i + 1 && a[i] === b[j] && a[j] === b[i];
}

function typeLabel(type: string): string {
  if (type === 'google.protobuf.Timestamp') return 'timestamp';
  if (type.startsWith('dyn<')) return type.slice(4, -1);
  return type;
}

const article = (label: string): string => `${/^[aeiou]/i.test(label) ? 'an' : 'a'} ${label}`;
