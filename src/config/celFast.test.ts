import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompiledRule, RuleContext } from '../core/rule.ts';
import { compileRule } from './cel.ts';
import { compileFast, indexTerms, UNSURE } from './celFast.ts';
import { Environment } from '@marcbachmann/cel-js';

function compiled(source: string, fast: boolean): CompiledRule {
  const result = compileRule(source, 'test', 'lead', { fast });
  if (!result.ok) throw new Error(`${source}: ${result.issues.map((i) => i.message).join('; ')}`);
  return result.rule;
}

/** Fields by kind, as declared in celVariables.ts. */
const STRINGS = ['company.state', 'company.industry', 'contact.seniority', 'lead.stage', 'contact.title'];
const INTS = ['company.employees', 'lead.teamMembers', 'account.tier'];
const DOUBLES = ['company.revenue', 'lead.score.fit', 'account.score'];
const BOOLS = ['account.named', 'contact.freeMail', 'lead.recycled', 'lead.score.mql'];
const WORDS = ['CA', 'NY', 'Healthcare', 'vp', 'mql', 'VP Sales', '', 'Sales Intern'];

const stringTerm = fc.oneof(
  fc.constantFrom(...STRINGS),
  fc.constantFrom(...WORDS).map((w) => JSON.stringify(w)),
);
const numberTerm = fc.oneof(
  fc.constantFrom(...INTS, ...DOUBLES),
  fc.integer({ min: -5, max: 6000 }).map(String),
  fc.constantFrom('0.5', '1000.0', '-2.5', '-company.employees'),
);

const { condition: anyCondition } = fc.letrec((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('atom'),
    fc
      .tuple(tie('condition'), fc.constantFrom('&&', '||'), tie('condition'))
      .map(([a, op, b]) => `(${String(a)} ${op} ${String(b)})`),
    tie('condition').map((c) => `!(${String(c)})`),
    fc
      .tuple(tie('condition'), tie('condition'), tie('condition'))
      .map(([c, a, b]) => `(${String(c)} ? ${String(a)} : ${String(b)})`),
  ),
  atom: fc.oneof(
    fc.tuple(stringTerm, fc.constantFrom('==', '!='), stringTerm).map(([a, op, b]) => `${a} ${op} ${b}`),
    fc
      .tuple(numberTerm, fc.constantFrom('==', '!=', '<', '<=', '>', '>='), numberTerm)
      .map(([a, op, b]) => `${a} ${op} ${b}`),
    fc
      .tuple(fc.constantFrom(...BOOLS), fc.constantFrom('== true', '!= false', ''))
      .map(([a, b]) => `${a} ${b}`),
    fc
      .tuple(fc.constantFrom(...STRINGS), fc.subarray(WORDS))
      .map(([f, ws]) => `${f} in ${JSON.stringify(ws)}`),
    fc
      .tuple(fc.constantFrom(...INTS), fc.subarray([1, 2, 500, 1000]))
      .map(([f, ns]) => `${f} in ${JSON.stringify(ns)}`),
    fc.constantFrom(...WORDS).map((w) => `${JSON.stringify(w)} in lead.flags`),
    fc
      .tuple(
        fc.constantFrom('form', 'url', 'count'),
        fc.constantFrom('==', '!='),
        fc.constantFrom('"vp"', '"CA"', '3', 'true'),
      )
      .map(([k, op, v]) => `event.properties.${k} ${op} ${v}`),
    fc
      .tuple(fc.constantFrom('count', 'form'), fc.constantFrom('<', '>='), fc.constantFrom('3', '2.5'))
      .map(([k, op, v]) => `event.properties.${k} ${op} ${v}`),
    fc.constantFrom('form', 'url').map((k) => `event.properties.${k} in ["vp", "CA"]`),
    fc.constantFrom('form', 'url').map((k) => `event.properties.${k}.startsWith("v")`),
    fc.constant('event.type == "page_view"'),
    fc.constantFrom(...STRINGS, ...INTS, 'company.techStack').map((f) => `has(${f})`),
    fc
      .tuple(fc.constantFrom('contains', 'startsWith', 'endsWith'), fc.constantFrom(...WORDS))
      .map(([m, w]) => `contact.title.${m}(${JSON.stringify(w)})`),
    // The templates' tech-stack fit, and macro bodies the fast path leaves to cel-js.
    fc
      .tuple(fc.constantFrom('company.techStack', 'lead.flags'), fc.subarray(WORDS, { minLength: 1 }))
      .map(([list, ws]) => `${list}.exists(t, t in ${JSON.stringify(ws)})`),
    fc
      .tuple(fc.constantFrom('company.techStack', 'lead.flags'), fc.constantFrom(...WORDS), fc.boolean())
      .map(
        ([list, w, flip]) =>
          `${list}.exists(x, ${flip ? `${JSON.stringify(w)} == x` : `x == ${JSON.stringify(w)}`})`,
      ),
    fc.constantFrom(
      'contact.title.matches("\\\\b[Ii]ntern(ship)?\\\\b")',
      'contact.title.matches("^VP")',
      'contact.title.matches("(")',
      'contact.title.matches("")',
      'company.techStack.exists(t, t.startsWith("v"))',
      'company.techStack.all(t, t in ["vp", "mql"])',
      'company.techStack.exists(t, t in [])',
    ),
  ),
}));

const condition = anyCondition as fc.Arbitrary<string>;

/** A field value: usually of the declared type, sometimes missing, null or of a wrong type. */
const anyValue = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.integer({ min: -5, max: 6000 }),
  fc.double({ min: -10, max: 6000, noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant(['vp', 'mql']),
);
const object = (fields: readonly string[]) =>
  fc.record(Object.fromEntries(fields.map((f) => [f, anyValue])), { requiredKeys: [] });
const context: fc.Arbitrary<RuleContext> = fc.record(
  {
    company: object(['state', 'industry', 'employees', 'revenue', 'techStack']),
    contact: object(['seniority', 'title', 'freeMail']),
    account: object(['tier', 'score', 'named']),
    event: fc.record(
      {
        type: fc.constantFrom('page_view', 'form_submit'),
        properties: fc.oneof(object(['form', 'url', 'count']), fc.constant(['x'])),
      },
      { requiredKeys: [] },
    ),
    lead: fc.record(
      {
        stage: anyValue,
        teamMembers: anyValue,
        recycled: anyValue,
        flags: fc.oneof(fc.constant(['vp', 'mql']), anyValue),
        score: fc.oneof(object(['fit', 'mql']), anyValue),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

describe('the fast CEL path', () => {
  it('answers exactly what cel-js answers, on any rule of the subset and any context', () => {
    fc.assert(
      fc.property(condition, fc.array(context, { minLength: 1, maxLength: 8 }), (source, contexts) => {
        const result = compileRule(source, 'p', 'lead');
        if (!result.ok) return; // a generated rule that does not type-check (e.g. `"CA" == 3`)
        const slow = compiled(source, false);
        for (const c of contexts) {
          expect(result.rule.evaluate(c), `${source} on ${JSON.stringify(c)}`).toBe(slow.evaluate(c));
          expect(result.rule.explain(c)).toEqual(slow.explain(c));
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('compiles the templates’ everyday rules, and leaves the rest to cel-js', () => {
    for (const source of [
      'company.employees >= 1000 && company.industry in ["Financial Services", "Insurance", "Healthcare"]',
      'account.named && account.tier <= 2',
      'lead.teamMembers >= 2',
      'has(company.state) && company.state == "CA" || contact.title.contains("VP")',
      'event.properties.form == "demo_request" || event.properties.url.contains("/pricing")',
      'company.techStack.exists(t, t in ["rivalledger", "oldguard-erp"])',
      'contact.seniority == "student" || contact.title.matches("\\\\b[Ii]ntern(ship)?\\\\b")',
    ]) {
      expect(compileFast(compiledAst(source), 'lead'), source).toBeDefined();
    }
    // Timestamps and whole maps are cel-js's; string ordering is left to it at run time.
    for (const source of ['event.at > timestamp("2026-01-01T00:00:00Z")', 'size(event.properties) > 2'])
      expect(compileFast(compiledAst(source), 'lead'), source).toBeUndefined();
    expect(compileFast(compiledAst('company.state < "M"'), 'lead')?.({ company: { state: 'CA' } })).toBe(
      UNSURE,
    );
  });

  it('falls back to cel-js when a value has an unexpected type, and keeps its error text', () => {
    const rule = compiled('company.employees >= 500', true);
    expect(rule.explain({ company: { employees: '800' } })).toEqual({
      value: false,
      error: expect.stringContaining('company.employees'),
    });
    expect(rule.explain({ company: {} })).toEqual({
      value: false,
      error: 'company.employees is not set',
      unset: 'company.employees',
    });
    // An unset field is worded without cel-js, as cel-js words it.
    const stack = compiled('company.techStack.exists(t, t in ["slack"])', true);
    expect(stack.explain({ company: {} })).toEqual({
      value: false,
      error: 'company.techStack is not set',
      unset: 'company.techStack',
    });
    expect(stack.explain({ company: { techStack: ['figma', 'slack'] } })).toEqual({ value: true });
    const nested = compiled('lead.score.fit >= 40.0', true);
    expect(nested.explain({ lead: {} })).toEqual({
      value: false,
      error: 'lead.score is not set',
      unset: 'lead.score',
    });
    expect(rule.evaluate({ company: { employees: 800 } })).toBe(true);
  });

  it('reads the terms of the top-level && chain that an index can use', () => {
    const terms = (source: string) => compiled(source, true).terms;
    expect(terms('company.state == "CA" && company.employees >= 4000')).toEqual([
      { variable: 'company', field: 'state', values: ['CA'] },
    ]);
    expect(terms('company.employees >= 1000 && company.industry in ["Insurance", "Healthcare"]')).toEqual([
      { variable: 'company', field: 'industry', values: ['Insurance', 'Healthcare'] },
    ]);
    expect(terms('"NY" == company.state && contact.seniority == "vp"')).toEqual([
      { variable: 'company', field: 'state', values: ['NY'] },
      { variable: 'contact', field: 'seniority', values: ['vp'] },
    ]);
    // A disjunction, a nested field or a number requires nothing an index can use.
    expect(terms('company.state == "CA" || company.state == "NY"')).toEqual([]);
    expect(terms('lead.score.mql == true && account.tier == 1')).toEqual([]);
    expect(
      compiled('company.state == "CA" && 500 < company.employees && company.revenue <= 2.5', true).bounds,
    ).toEqual([
      { variable: 'company', field: 'employees', op: '>', bound: 500 },
      { variable: 'company', field: 'revenue', op: '<=', bound: 2.5 },
    ]);
    expect(compiled('company.employees >= 10 || account.tier < 2', true).bounds).toEqual([]);
    expect(indexTerms(compiledAst('lead.stage == "mql"'), 'lead')).toEqual([
      { variable: 'lead', field: 'stage', values: ['mql'] },
    ]);
  });
});

describe('variablesRead', () => {
  it('names each variable a rule reads, wherever in it, and no comprehension variable', () => {
    const reads = (source: string) => compiled(source, true).reads;
    expect(reads('company.employees >= 50 && contact.seniority == "vp"')).toEqual(['company', 'contact']);
    expect(reads('company.techStack.exists(t, t in ["salesforce", "hubspot"])')).toEqual(['company']);
    expect(reads('lead.score.total > 50 || (has(account.tier) && account.tier <= 2)')).toEqual([
      'lead',
      'account',
    ]);
    expect(
      reads('!(event.properties.form == "demo") ? contact.freeMail : company.industry == "Retail"'),
    ).toEqual(['event', 'contact', 'company']);
    expect(reads('true')).toEqual([]);
  });
});

function compiledAst(source: string) {
  return new Environment({ unlistedVariablesAreDyn: true }).parse(source).ast;
}
