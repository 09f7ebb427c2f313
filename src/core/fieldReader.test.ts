/**
 * A generated reader answers what the shared `ruleField` read answers, for any names (quotes,
 * backslashes, line separators, `__proto__`, words of JS) and any values on the way.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldReader, NO_VARIABLE, NOT_A_MAP, variableFieldReader } from './fieldReader.ts';
import { ruleField, type RuleContext, type RuleValue } from './rule.ts';

/** Names a config can hold, the awkward ones often. */
const NAME = fc.oneof(
  fc.constantFrom(
    'company',
    'state',
    '__proto__',
    'constructor',
    'return',
    '"); process.exit(1); ("',
    'a\\b',
    'line\u2028sep',
    "it's",
    '0',
    '',
  ),
  fc.string({ maxLength: 6 }),
);

/** What a level of a context can hold: nothing, null, scalars, arrays and maps. */
const VALUE: fc.Arbitrary<RuleValue | undefined> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(undefined),
    fc.constant(null),
    fc.string({ maxLength: 4 }),
    fc.integer(),
    fc.boolean(),
    fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
    fc.dictionary(NAME, tie('value'), { maxKeys: 3 }),
  ),
})).value as fc.Arbitrary<RuleValue | undefined>;

/** A context holding `variable.field` (often), with values of every kind around it. */
const CASE = fc
  .record({
    variable: NAME,
    field: NAME,
    value: VALUE,
    holder: fc.constantFrom('map', 'missing', 'null', 'array', 'scalar'),
    others: fc.dictionary(NAME, VALUE, { maxKeys: 3 }),
  })
  .map(({ variable, field, value, holder, others }) => {
    const context: Record<string, RuleValue | undefined> = { ...others };
    if (holder === 'map') context[variable] = { [field]: value };
    else if (holder === 'null') context[variable] = null;
    else if (holder === 'array') context[variable] = [field];
    else if (holder === 'scalar') context[variable] = field;
    else delete context[variable];
    return { variable, field, context: context };
  });

describe('fieldReader', () => {
  it('reads what ruleField reads, for any names and values', () => {
    fc.assert(
      fc.property(CASE, ({ variable, field, context }) => {
        expect(fieldReader(variable, field)(context)).toBe(ruleField(context, variable, field));
      }),
      { numRuns: 2000 },
    );
  });

  it('tells a missing variable from one that is not a map', () => {
    fc.assert(
      fc.property(CASE, ({ variable, field, context }) => {
        const holder = Object.prototype.hasOwnProperty.call(context, variable)
          ? context[variable]
          : undefined;
        const expected =
          holder === undefined || holder === null
            ? NO_VARIABLE
            : typeof holder !== 'object' || Array.isArray(holder)
              ? NOT_A_MAP
              : ruleField(context, variable, field);
        // A variable named like a prototype member reads through the prototype, as `ruleField` does.
        if (holder === undefined && variable in context) return;
        expect(variableFieldReader(variable, field)(context)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a path level by level and stops at the first level that is not a map', () => {
    const read = fieldReader('lead', 'score', 'fit');
    expect(read({ lead: { score: { fit: 35 } } })).toBe(35);
    expect(read({ lead: { score: null } })).toBeUndefined();
    expect(read({ lead: { score: [1] } })).toBeUndefined();
    expect(read({ lead: 'sql' })).toBeUndefined();
    expect(read({})).toBeUndefined();
  });

  it('makes one function per path, and another for another path', () => {
    expect(fieldReader('company', 'state')).toBe(fieldReader('company', 'state'));
    expect(fieldReader('company', 'state')).not.toBe(fieldReader('company', 'country'));
    expect(fieldReader('company', 'state')).not.toBe(fieldReader('contact', 'state'));
    // The key keeps names apart however they are written: "a.b" + "c" is not "a" + "b.c".
    expect(fieldReader('a.b', 'c')).not.toBe(fieldReader('a', 'b.c'));
  });

  it('never runs a name as code', () => {
    const name = '"]; throw new Error("ran"); //';
    const context: RuleContext = { [name]: { [name]: 'kept' } };
    expect(fieldReader(name, name)(context)).toBe('kept');
    expect(variableFieldReader(name, name)(context)).toBe('kept');
  });
});
