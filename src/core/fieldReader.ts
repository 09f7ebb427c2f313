/**
 * Reading `context.variable.field` at the speed of a plain property access. One shared function
 * that reads `context[variable][field]` for every rule (like `ruleField`) sees every variable, field
 * and object shape of the whole config at one property load, which V8 then handles generically:
 * ~30 ns a read, measured, against ~4 ns for a load that always reads the same field. Every path
 * here gets a function of its own, generated once from its names, whose loads V8 caches for the
 * few object shapes that path meets. See docs/decisions/026-field-readers.md.
 *
 * The names go into the generated source only as JSON string literals (`o["state"]`), so no config
 * text is ever code; the functions are cached per path for the life of the process.
 */
import type { RuleContext, RuleValue } from './rule.ts';

/** Reads one path of a rule context: the value, or undefined when a level is missing or not an object. */
export type FieldReader = (context: RuleContext) => RuleValue | undefined;

/** What `variableFieldReader` gives for a variable that is undefined or null. */
export const NO_VARIABLE: unique symbol = Symbol('no variable');
/** What `variableFieldReader` gives for a variable that is not a map (a scalar or an array). */
export const NOT_A_MAP: unique symbol = Symbol('not a map');

/** Reads `context.variable.field`, saying why there is no field to read. */
export type VariableFieldReader = (
  context: RuleContext,
) => RuleValue | undefined | typeof NO_VARIABLE | typeof NOT_A_MAP;

const GENERATED = new Map<string, unknown>();

/** A JS string literal of `name`: JSON's quoting is valid JS (ES2019) and escapes the rest. */
const literal = (name: string): string => JSON.stringify(name);

/** The function of `lines` (its parameter `c`, the symbols in scope), made once per `key`. */
function generated<F>(key: string, lines: readonly string[]): F {
  let made = GENERATED.get(key);
  if (made === undefined) {
    const source = `return function read(c) {\n${lines.join('\n')}\n};`;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point: a function per path (see above)
    const factory = new Function('NO_VARIABLE', 'NOT_A_MAP', source) as (a: symbol, b: symbol) => unknown;
    made = factory(NO_VARIABLE, NOT_A_MAP);
    GENERATED.set(key, made);
  }
  return made as F;
}

const notAnObject = (o: string): string =>
  `if (typeof ${o} !== "object" || ${o} === null || Array.isArray(${o})) return undefined;`;

/**
 * The reader of `context.variable.fields[0].fields[1]…`: undefined when the variable or an object
 * on the way is absent, null, an array or not an object — for one field, what `ruleField` answers.
 */
export function fieldReader(variable: string, ...fields: readonly string[]): FieldReader {
  const lines = [`let o = c[${literal(variable)}];`];
  for (const field of fields) lines.push(notAnObject('o'), `o = o[${literal(field)}];`);
  lines.push('return o;');
  return generated<FieldReader>(JSON.stringify(['field', variable, ...fields]), lines);
}

/**
 * The reader of `context.variable.field` for an evaluator that must tell a missing variable
 * (`NO_VARIABLE`) from one that is not a map (`NOT_A_MAP`); otherwise the field's value, undefined
 * when not set.
 */
export function variableFieldReader(variable: string, field: string): VariableFieldReader {
  return generated<VariableFieldReader>(JSON.stringify(['variable', variable, field]), [
    `const o = c[${literal(variable)}];`,
    'if (o === undefined || o === null) return NO_VARIABLE;',
    'if (typeof o !== "object" || Array.isArray(o)) return NOT_A_MAP;',
    `return o[${literal(field)}];`,
  ]);
}
