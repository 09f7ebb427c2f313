import { describe, expect, it } from 'vitest';
import type { CompiledRule, RuleContext, RuleScope, RuleValue } from '../core/rule.ts';
import { compileRule, type CelProblem } from './cel.ts';
import { SCOPE_VARIABLES, listCelVariables } from './celVariables.ts';

type Fields = { readonly [key: string]: RuleValue | undefined };

const ctx = (parts: { [variable: string]: Fields }): RuleContext => parts;
const company = (overrides: Fields = {}): Fields => ({
  domain: 'acme.com',
  name: 'Acme',
  employees: 600,
  industry: 'software',
  revenue: 60_000_000,
  techStack: ['salesforce', 'slack'],
  ...overrides,
});
const contact = (overrides: Fields = {}): Fields => ({
  email: 'ann@acme.com',
  title: 'VP Sales',
  seniority: 'vp',
  ...overrides,
});

function compile(source: string, scope: RuleScope = 'attributes'): CompiledRule {
  const result = compileRule(source, 'test.when', scope);
  if (!result.ok) throw new Error(`expected ${source} to compile: ${JSON.stringify(result.issues)}`);
  return result.rule;
}

function problems(source: string, scope: RuleScope = 'attributes'): CelProblem[] {
  const result = compileRule(source, 'test.when', scope);
  if (result.ok) throw new Error(`expected ${source} not to compile`);
  return result.issues;
}

describe('compileRule: rules users write', () => {
  const cases: [RuleScope, string, RuleContext, boolean][] = [
    ['attributes', 'company.employees >= 500', ctx({ company: company() }), true],
    ['attributes', 'company.employees >= 500', ctx({ company: company({ employees: 499 }) }), false],
    ['attributes', 'company.employees >= 500.0', ctx({ company: company() }), true],
    ['attributes', 'company.employees == 600', ctx({ company: company() }), true],
    ['attributes', 'company.employees == 600.0', ctx({ company: company() }), true],
    ['attributes', 'company.revenue >= 50000000', ctx({ company: company() }), true],
    ['attributes', 'company.revenue >= 50000000.0', ctx({ company: company({ revenue: 1_000_000 }) }), false],
    ['attributes', 'company.revenue == 60000000', ctx({ company: company() }), true],
    ['attributes', 'company.revenue / company.employees > 100000', ctx({ company: company() }), false],
    ['attributes', 'contact.seniority in ["vp", "c_level"]', ctx({ contact: contact() }), true],
    [
      'attributes',
      'contact.seniority in ["vp", "c_level"]',
      ctx({ contact: contact({ seniority: 'manager' }) }),
      false,
    ],
    ['attributes', '"salesforce" in company.techStack', ctx({ company: company() }), true],
    ['attributes', '"hubspot" in company.techStack', ctx({ company: company() }), false],
    [
      'attributes',
      'contact.title.contains("VP") && !contact.freeMail',
      ctx({ contact: contact({ freeMail: false }) }),
      true,
    ],
    ['attributes', 'account.tier >= 1 && account.named', ctx({ account: { tier: 2, named: true } }), true],
    [
      'event',
      'event.properties.category == "pricing"',
      ctx({ event: { type: 'page_view', properties: { category: 'pricing' } } }),
      true,
    ],
    [
      'event',
      'event.properties.category == "pricing"',
      ctx({ event: { type: 'page_view', properties: { category: 'blog' } } }),
      false,
    ],
    ['event', 'event.properties.seconds >= 30', ctx({ event: { properties: { seconds: 45 } } }), true],
    [
      'event',
      'event.at > timestamp("2025-01-01T00:00:00Z")',
      ctx({ event: { at: '2025-03-01T12:00:00Z' } }),
      true,
    ],
    [
      'event',
      'event.at > timestamp("2025-01-01T00:00:00Z")',
      ctx({ event: { at: Date.UTC(2024, 0, 1) } }),
      false,
    ],
    [
      'lead',
      'lead.score.fit >= 30',
      ctx({ lead: { score: { fit: 31, engagement: 0, negative: 0, total: 31, mql: false } } }),
      true,
    ],
    ['lead', 'lead.score.fit >= 30', ctx({ lead: { score: { fit: 29.5 } } }), false],
    [
      'lead',
      'lead.score.mql && lead.teamMembers >= 2',
      ctx({ lead: { score: { mql: true }, teamMembers: 2 } }),
      true,
    ],
    ['lead', 'size(lead.bant) >= 3', ctx({ lead: { bant: ['budget', 'need', 'timing'] } }), true],
    [
      'deal',
      'deal.discountPercent > 20 || deal.termMonths > 36',
      ctx({ deal: { discountPercent: 10, termMonths: 48 } }),
      true,
    ],
    ['deal', 'deal.amount * 0.9 >= 9000', ctx({ deal: { amount: 10_000 } }), true],
  ];

  it.each(cases)('[%s] %s', (scope, source, context, expected) => {
    expect(compile(source, scope).explain(context)).toEqual({ value: expected });
  });

  it('returns a frozen rule node carrying id, source and scope', () => {
    const rule = compile('company.employees >= 500');
    expect(rule).toMatchObject({
      kind: 'rule',
      id: 'test.when',
      source: 'company.employees >= 500',
      scope: 'attributes',
    });
    expect(Object.isFrozen(rule)).toBe(true);
  });
});

describe('compileRule: missing and malformed data at run time', () => {
  it('a missing attribute evaluates to false and says why', () => {
    const rule = compile('company.employees >= 500');
    expect(rule.evaluate(ctx({ company: company({ employees: undefined }) }))).toBe(false);
    expect(rule.explain(ctx({ company: { name: 'Acme' } }))).toEqual({
      value: false,
      error: 'company.employees is not set',
      unset: 'company.employees',
    });
    expect(rule.explain(ctx({}))).toEqual({
      value: false,
      error: 'company.employees is not set',
      unset: 'company.employees',
    });
    expect(rule.explain(ctx({ company: { employees: null } }))).toEqual({
      value: false,
      error: 'company.employees is not set',
      unset: 'company.employees',
    });
  });

  it('has() tests for presence, also when the whole variable is absent', () => {
    const rule = compile('has(company.employees) && company.employees >= 500');
    expect(rule.explain(ctx({}))).toEqual({ value: false });
    expect(rule.explain(ctx({ company: {} }))).toEqual({ value: false });
    expect(rule.explain(ctx({ company: company() }))).toEqual({ value: true });
    expect(compile('!has(contact.phone)').evaluate(ctx({ contact: contact() }))).toBe(true);
  });

  it('a missing map key or nested object evaluates to false', () => {
    expect(
      compile('event.properties.category == "pricing"', 'event').explain(ctx({ event: { properties: {} } })),
    ).toEqual({
      value: false,
      error: 'event.properties.category is not set',
      unset: 'event.properties.category',
    });
    expect(compile('lead.score.fit >= 30', 'lead').explain(ctx({ lead: {} }))).toEqual({
      value: false,
      error: 'lead.score is not set',
      unset: 'lead.score',
    });
  });

  it('a value of the wrong type evaluates to false', () => {
    expect(compile('company.employees >= 500').explain(ctx({ company: { employees: '600' } }))).toEqual({
      value: false,
      error: "company.employees has the wrong type: Field 'employees' is not of type 'int', got 'string'",
    });
    expect(compile('company.employees >= 500').explain(ctx({ company: { employees: 600.5 } }))).toEqual({
      value: false,
      error: "company.employees has the wrong type: Field 'employees' is not of type 'int', got 'double'",
    });
  });

  it('a dyn result that is not a bool evaluates to false', () => {
    const rule = compile('event.properties.category', 'event');
    expect(rule.explain(ctx({ event: { properties: { category: 'pricing' } } }))).toEqual({
      value: false,
      error: 'the rule produced the text "pricing", not true or false',
    });
    expect(rule.explain(ctx({ event: { properties: { category: true } } }))).toEqual({ value: true });
  });
});

describe('compileRule: syntax errors', () => {
  it.each([
    ['company.employees >= ', 21],
    ['contact.title == "VP', 17],
    ['(company.employees >= 500', 25],
    ['contact.title = "VP"', 14],
    ['contact.title == "VP" and company.employees > 5', 22],
  ])('%s → offset %i', (source, offset) => {
    const [problem] = problems(source);
    expect(problem?.code).toBe('config.cel_syntax');
    expect(problem?.offset).toBe(offset);
  });

  it('explains an unterminated string', () => {
    expect(problems('contact.title == "VP')).toMatchInlineSnapshot(`
      [
        {
          "code": "config.cel_syntax",
          "hint": "end the text with the same quote it starts with: "VP"",
          "message": "this text is missing its closing quote",
          "offset": 17,
        },
      ]
    `);
  });

  it('rejects an empty rule', () => {
    expect(problems('  ')).toEqual([
      {
        code: 'config.cel_syntax',
        message: 'the rule is empty',
        offset: 0,
        hint: 'write a condition such as company.employees >= 500',
      },
    ]);
  });
});

describe('compileRule: type errors', () => {
  it('an unknown variable lists the variables of the scope', () => {
    expect(problems('contcat.title == "x"')).toMatchInlineSnapshot(`
      [
        {
          "code": "config.cel_type",
          "hint": "did you mean "contact"? attributes rules can use: contact, company, account",
          "message": "unknown variable "contcat"",
          "offset": 0,
        },
      ]
    `);
  });

  it('an unknown field suggests the closest field', () => {
    expect(problems('company.employes >= 500')).toMatchInlineSnapshot(`
      [
        {
          "code": "config.cel_type",
          "hint": "did you mean "employees"? company fields: domain, name, employees, industry, revenue, country, state, techStack, techMaturity",
          "message": "company has no field "employes"",
          "offset": 8,
        },
      ]
    `);
    const [nested] = problems('lead.score.fti >= 30', 'lead');
    expect(nested).toEqual({
      code: 'config.cel_type',
      message: 'lead.score has no field "fti"',
      offset: 11,
      hint: 'did you mean "fit"? lead.score fields: fit, engagement, negative, total, mql',
    });
  });

  it('a bare field name suggests its variable; a bare word suggests quotes', () => {
    expect(problems('employees >= 500')[0]?.hint).toBe(
      'did you mean "company.employees"? attributes rules can use: contact, company, account',
    );
    expect(problems('contact.seniority == vp')[0]).toEqual({
      code: 'config.cel_type',
      message: 'unknown variable "vp"',
      offset: 21,
      hint: 'attributes rules can use: contact, company, account; for the text vp, write "vp" in quotes',
    });
  });

  it('wrong operand types point at the comparison', () => {
    expect(problems('contact.title == "VP" && company.employees >= "500"')).toEqual([
      {
        code: 'config.cel_type',
        message: 'cannot compare an int with a string using >=',
        offset: 25,
        hint: 'numbers are written without quotes (500, not "500"); text goes in quotes ("vp")',
      },
    ]);
  });

  it('a condition must be a bool', () => {
    expect(problems('company.employees + 1')).toEqual([
      {
        code: 'config.cel_type',
        message: 'a condition must be true or false; this expression is an int',
        offset: 0,
        hint: 'compare it with a number, e.g. ... >= 500',
      },
    ]);
    expect(problems('contact.title')[0]?.message).toBe(
      'a condition must be true or false; this expression is a string',
    );
    expect(problems('contact.title == "a" || company.employees')[0]?.message).toBe(
      '&& and || need true or false on both sides; one side is an int',
    );
  });

  it('unknown functions and bad arguments', () => {
    expect(problems('contact.title.startWith("VP")')[0]).toMatchObject({
      message: 'unknown function "startWith"',
      hint: expect.stringContaining('did you mean "startsWith"?') as unknown,
    });
    expect(problems('contact.title.startsWith(1)')[0]?.message).toBe(
      'startsWith() cannot take these arguments: string.startsWith(int)',
    );
  });
});

describe('compileRule: scopes', () => {
  it('event is not visible in attributes rules but is in event rules', () => {
    expect(problems('event.type == "x"', 'attributes')).toEqual([
      {
        code: 'config.cel_type',
        message: '"event" is not available in attributes rules',
        offset: 0,
        hint: 'attributes rules can use: contact, company, account',
      },
    ]);
    expect(compileRule('event.type == "x"', 'r', 'event').ok).toBe(true);
  });

  it.each([
    ['attributes', 'contact.email != "" && company.name != "" && account.owner != ""'],
    ['event', 'event.type == "x" && contact.email != "" && company.name != "" && account.owner != ""'],
    ['lead', 'lead.stage == "mql" && event.type == "x" && contact.email != "" && account.tier > 0'],
    ['deal', 'deal.stage == "won" && account.tier > 0 && company.employees > 0'],
  ] as const)('%s rules see their variables', (scope, source) => {
    expect(compileRule(source, 'r', scope).ok).toBe(true);
  });

  it('deal rules do not see contact or lead', () => {
    expect(problems('contact.email == "x"', 'deal')[0]?.message).toBe(
      '"contact" is not available in deal rules',
    );
    expect(problems('lead.stage == "x"', 'deal')[0]?.message).toBe('"lead" is not available in deal rules');
  });
});

describe('compileRule: volume', () => {
  it('compiles 1,000 distinct rules', () => {
    const rules: CompiledRule[] = [];
    for (let i = 0; i < 1000; i++) {
      const result = compileRule(
        `company.employees >= ${i} && contact.title != "t${i}"`,
        `rules[${i}]`,
        'attributes',
      );
      if (result.ok) rules.push(result.rule);
    }
    expect(rules).toHaveLength(1000);
    const context = ctx({ company: company({ employees: 500 }), contact: contact() });
    expect(rules.filter((r) => r.evaluate(context))).toHaveLength(501);
  });
});

describe('listCelVariables', () => {
  it('lists the variables of each scope with flattened fields', () => {
    expect(listCelVariables('deal').map((v) => v.name)).toEqual(['deal', 'account', 'company']);
    expect(listCelVariables().map((v) => v.name)).toEqual([
      'contact',
      'company',
      'event',
      'lead',
      'account',
      'deal',
    ]);
    const lead = listCelVariables('lead').find((v) => v.name === 'lead');
    expect(lead?.fields.map((f) => f.path)).toContain('lead.score.fit');
    const seniority = listCelVariables('attributes')[0]?.fields.find((f) => f.path === 'contact.seniority');
    expect(seniority?.values).toEqual([
      'c_level',
      'vp',
      'director',
      'manager',
      'individual_contributor',
      'student',
      'other',
    ]);
    expect(SCOPE_VARIABLES.event).toEqual(['contact', 'company', 'account', 'event']);
  });
});
