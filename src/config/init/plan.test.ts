import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeLoadConfigText } from '../loader.ts';
import type { RevopsConfig } from '../schema/index.ts';
import { TEMPLATE_NAMES, readTemplate, type TemplateName } from '../templates/index.ts';
import type { InitAnswers } from './answers.ts';
import { planInit, type InitPlan, type PlanInput } from './plan.ts';
import { parseProductMarketingDoc, type ProductMarketingFacts } from './productMarketing.ts';
import { templateFor } from './rules.ts';

const FACTS = parseProductMarketingDoc(
  readFileSync(new URL('./__fixtures__/product-marketing.md', import.meta.url), 'utf8'),
);

function load(plan: InitPlan): RevopsConfig {
  const result = safeLoadConfigText(plan.yaml, 'revops.yaml');
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (!result.ok || errors.length > 0)
    throw new Error(`plan does not load:\n${JSON.stringify(result.issues, null, 2)}`);
  return result.config;
}

const group = (config: RevopsConfig, id: string) => {
  const found = config.scoring.fit.groups.find((g) => g.id === id);
  if (!found) throw new Error(`no fit group ${id}`);
  return found;
};

/** Removes the header init writes, so the rest can be compared with the template. */
const body = (yaml: string) => yaml.slice(yaml.indexOf('\n\n') + 2);

describe('planInit with the product-marketing fixture and no answers', () => {
  const plan = planInit({ answers: {}, facts: FACTS });
  const config = load(plan);

  it('takes motion and ACV from the document to pick the template', () => {
    expect(plan.template).toBe('mid-market');
    expect(plan.choices[0]).toEqual({
      what: 'template',
      value: 'mid-market',
      why: 'a hybrid motion at an ACV of $18,000 starts from the mid-market template',
      source: 'product-marketing',
    });
  });

  it('reports every value the document filled, with source product-marketing', () => {
    expect(
      plan.choices.filter((c) => c.source === 'product-marketing').map((c) => [c.what, c.value]),
    ).toEqual([
      ['template', 'mid-market'],
      ['company.name', 'Ledgerline'],
      ['company.gtm', 'hybrid'],
      ['company.acv', '$18,000'],
      ['company.salesCycleDays', '60'],
      [
        'company.currentState',
        'Current metrics: 1,800 trials a quarter, 9% trial-to-paid, 60-day sales cycle',
      ],
      ['company.goals', 'Reach $10M ARR by the end of 2027; Double the number of multi-entity customers'],
      [
        'metrics.goals',
        'Reach $10M ARR by the end of 2027; Double the number of multi-entity customers; Conversion action: Book a demo; Speed to lead under 5 minutes; 90% of MQLs contacted within the SLA; MQL-to-SQL conversion of 30-50%; Pipeline coverage of 3-4x quota',
      ],
      ['scoring.weights', '50% fit / 50% engagement'],
      ['dealDesk.threshold', '$36,000'],
      ['metrics.economics.arpa', '$1,500'],
      ['automations[6].when', 'lead.daysInStage > 120'],
      ['company.industries.primary', 'Fintech, Healthcare, E-commerce'],
      ['company.industries.secondary', '(none)'],
      ['scoring.fit.groups[1].buckets[0].in.values', 'Fintech, Healthcare, E-commerce'],
      ['routing.rules[1].when', '["Fintech", "Healthcare", "E-commerce"]'],
      ['scoring.fit.groups[2].buckets[0].in.values', 'c_level, vp, director'],
      ['scoring.fit.groups[0].buckets[0].range', '200-2,000 employees'],
      ['company.competitors', 'floqast.com, blackline.com, numeric.com'],
      ['company.competitorTools', 'floqast, blackline, numeric'],
    ]);
    expect(plan.choices.find((c) => c.what === 'company.competitors')?.why).toBe(
      'email domains of the direct competitors in the product-marketing document (Competitive Landscape › Direct); floqast.com, numeric.com were guessed from the name as name.com: check them',
    );
    expect(plan.choices.find((c) => c.what === 'company.industries.primary')?.why).toBe(
      'target industries from the product-marketing document (Target Audience › Target companies)',
    );
  });

  it('only the CRM is still missing', () => {
    expect(plan.missing).toEqual(['crm']);
  });

  it('writes the values into a config that loads', () => {
    expect(config.company).toMatchObject({
      name: 'Ledgerline',
      gtm: 'hybrid',
      acv: 18_000,
      salesCycleDays: 60,
      crm: 'none',
      currentState: 'Current metrics: 1,800 trials a quarter, 9% trial-to-paid, 60-day sales cycle',
      goals: ['Reach $10M ARR by the end of 2027', 'Double the number of multi-entity customers'],
      industries: { primary: ['Fintech', 'Healthcare', 'E-commerce'], secondary: [] },
      competitors: ['floqast.com', 'blackline.com', 'numeric.com'],
      competitorTools: ['floqast', 'blackline', 'numeric'],
    });
    expect(config.metrics.goals).toEqual([
      'Reach $10M ARR by the end of 2027',
      'Double the number of multi-entity customers',
      'Conversion action: Book a demo',
      'Speed to lead under 5 minutes',
      '90% of MQLs contacted within the SLA',
      'MQL-to-SQL conversion of 30-50%',
      'Pipeline coverage of 3-4x quota',
    ]);
    expect(config.metrics.economics.arpa).toBe(1_500);
    expect(config.dealDesk.threshold).toBe(36_000);
    expect(config.scoring.weights).toEqual({ fit: 0.5, engagement: 0.5 });
    expect(config.scoring.threshold).toBe(65);
    expect(group(config, 'company-size').buckets).toEqual([
      {
        label: '200-2,000 employees',
        points: 15,
        range: { attribute: 'company.employees', min: 200, max: 2000 },
      },
    ]);
    expect(group(config, 'industry').buckets[0]?.in).toEqual({
      attribute: 'company.industry',
      values: ['Fintech', 'Healthcare', 'E-commerce'],
    });
    expect(group(config, 'title').buckets[0]).toEqual({
      label: 'Decision-maker level (C-level, VP, Director)',
      points: 15,
      in: { attribute: 'contact.seniority', values: ['c_level', 'vp', 'director'] },
    });
    expect(config.routing.rules.find((r) => r.id === 'enterprise')?.when?.source).toBe(
      'company.employees > 1000 && company.industry in ["Fintech", "Healthcare", "E-commerce"]',
    );
    expect(config.automations.find((a) => a.id === 'stale-opportunity')?.when?.source).toBe(
      'lead.stage == "opportunity" && lead.daysInStage > 120',
    );
  });

  it('keeps the template comments and explains its own edits', () => {
    expect(plan.yaml).toContain('  # twice the sales cycle (2 x 60 days).\n');
    expect(plan.yaml).toContain(
      "message: 'The {company.name} opportunity has been open more than 120 days: update it or close it.'",
    );
    expect(plan.yaml).toContain('    arpa: 1500 # $18,000 ACV / 12 months\n');
    expect(plan.yaml).toContain(
      "  # init: deals above twice the average contract go to review, never less than the reference's\n  # $25K, rounded to two significant figures: $36,000.\n  threshold: 36000\n",
    );
    expect(plan.yaml).toContain(
      '    # Speed to lead: the escalation chain from the reference (rep at 5 minutes,\n',
    );
    expect(plan.yaml.startsWith('# Written by `revops init` from the mid-market template.')).toBe(true);
  });
});

describe('planInit: precedence', () => {
  it('flags and answers win over the document; the document fills the rest', () => {
    const answers: InitAnswers = {
      companyName: 'Acme Ledger',
      gtm: 'sales-led',
      acv: 90_000,
      cycleDays: 30,
      crm: 'salesforce',
      currentState: 'Leads sit in a shared inbox.',
      goals: ['Fix handoff leaks'],
    };
    const plan = planInit({ answers, facts: FACTS, flags: ['gtm', 'acv'] });
    const config = load(plan);
    const source = (what: string) => plan.choices.find((c) => c.what === what)?.source;
    expect(plan.template).toBe('sales-led');
    expect([
      source('template'),
      source('company.gtm'),
      source('company.acv'),
      source('company.name'),
      source('company.goals'),
    ]).toEqual(['flag', 'flag', 'flag', 'answer', 'answer']);
    expect(source('company.industries.primary')).toBe('product-marketing');
    expect(config.company).toMatchObject({
      name: 'Acme Ledger',
      gtm: 'sales-led',
      acv: 90_000,
      salesCycleDays: 30,
      crm: 'salesforce',
      currentState: 'Leads sit in a shared inbox.',
      goals: ['Fix handoff leaks'],
      industries: { primary: ['Fintech', 'Healthcare', 'E-commerce'], secondary: [] },
    });
    expect(config.metrics.goals.slice(0, 2)).toEqual(['Fix handoff leaks', 'Conversion action: Book a demo']);
    expect(config.scoring.weights).toEqual({ fit: 0.6, engagement: 0.4 });
    expect(config.dealDesk.threshold).toBe(180_000);
    expect(group(config, 'company-size').buckets[0]?.range).toEqual({
      attribute: 'company.employees',
      min: 200,
      max: 2000,
    });
    expect(plan.missing).toEqual([]);
  });

  it('an explicit template wins over motion and ACV', () => {
    const plan = planInit({
      answers: { template: 'plg', gtm: 'sales-led', acv: 200_000 },
      flags: ['template'],
    });
    expect(plan.template).toBe('plg');
    expect(plan.choices[0]).toEqual({
      what: 'template',
      value: 'plg',
      why: 'the plg template was asked for explicitly',
      source: 'flag',
    });
    const config = load(plan);
    expect(config.scoring.weights).toEqual({ fit: 0.6, engagement: 0.4 });
    expect(config.scoring.threshold).toBe(60);
  });

  it('with nothing known: mid-market, a placeholder name, the example state removed, everything missing', () => {
    const plan = planInit({ answers: {} });
    expect(plan.template).toBe('mid-market');
    expect(plan.missing).toEqual(['companyName', 'gtm', 'acv', 'cycleDays', 'crm', 'currentState', 'goals']);
    expect(plan.choices.every((c) => c.source === 'default')).toBe(true);
    const expected = readTemplate('mid-market')
      .replace('name: Acme Insights (example)', 'name: Your company')
      .replace(/ {2}currentState: >-\n( {4}.*\n)+/, '');
    expect(body(plan.yaml)).toBe(expected);
  });
});

describe('planInit: template choice follows the rules table', () => {
  const gtms = ['plg', 'sales-led', 'hybrid', undefined] as const;
  const acvs = [undefined, 1_000, 4_999, 5_000, 12_000, 24_999, 25_000, 49_999, 50_000, 250_000];
  for (const gtm of gtms) {
    for (const acv of acvs) {
      it(`${gtm ?? 'no motion'} at ${acv ?? 'no ACV'}`, () => {
        const answers: InitAnswers = { ...(gtm ? { gtm } : {}), ...(acv !== undefined ? { acv } : {}) };
        const plan = planInit({ answers });
        expect(plan.template).toBe(templateFor(gtm, acv).value);
        expect(plan.choices[0]?.why).toBe(templateFor(gtm, acv).why);
        const config = load(plan);
        if (acv !== undefined) expect(config.company.acv).toBe(acv);
      });
    }
  }
});

describe('planInit: fit groups with several buckets', () => {
  const MID = readTemplate('mid-market');
  const SIZE = `          - label: 50-1,000 employees
            points: 15
            range: { attribute: company.employees, min: 50, max: 1000 }
`;
  const SENIORITY = `          - label: Manager to VP
            points: 15
            in: { attribute: contact.seniority, values: [manager, director, vp] }
`;
  const custom = MID.replace(
    SIZE,
    `          - label: 1-49 employees
            points: 5
            range: { attribute: company.employees, min: 1, max: 49 }
${SIZE}          - label: 1,001+ employees
            points: 10
            range: { attribute: company.employees, min: 1001 }
`,
  ).replace(
    SENIORITY,
    `          - label: Executives
            points: 15
            in: { attribute: contact.seniority, values: [c_level, vp] }
          - label: Middle management
            points: 8
            in: { attribute: contact.seniority, values: [director, manager] }
          - label: Others
            points: 2
            in: { attribute: contact.seniority, values: [director] }
`,
  );
  const withFacts = (facts: Partial<ProductMarketingFacts>): PlanInput => ({
    answers: {},
    facts: { ...parseProductMarketingDoc(''), ...facts },
    templateText: () => custom,
  });
  const field = 'Target Audience › Target companies';

  it('the custom template itself loads', () => {
    expect(custom).not.toBe(MID);
    expect(
      load(planInit({ answers: {}, templateText: () => custom })).scoring.fit.groups[0]?.buckets,
    ).toHaveLength(3);
  });

  it('clips neighbouring size ranges so they stay disjoint', () => {
    const wide = load(planInit(withFacts({ companySize: { value: { min: 200, max: 2000 }, field } })));
    expect(
      group(wide, 'company-size').buckets.map((b) => [b.label, b.points, b.range?.min, b.range?.max]),
    ).toEqual([
      ['1-49 employees', 5, 1, 49],
      ['200-2,000 employees', 15, 200, 2000],
      ['2,001+ employees', 10, 2001, undefined],
    ]);
    const small = load(planInit(withFacts({ companySize: { value: { min: 20, max: 100 }, field } })));
    expect(
      group(small, 'company-size').buckets.map((b) => [b.label, b.points, b.range?.min, b.range?.max]),
    ).toEqual([
      ['1-19 employees', 5, 1, 19],
      ['20-100 employees', 15, 20, 100],
      ['1,001+ employees', 10, 1001, undefined],
    ]);
    const open = load(
      planInit(withFacts({ companySize: { value: { min: 10, segment: 'enterprise' }, field } })),
    );
    expect(group(open, 'company-size').buckets.map((b) => [b.label, b.range?.min, b.range?.max])).toEqual([
      ['1-9 employees', 1, 9],
      ['10+ employees', 10, undefined],
    ]);
  });

  it('gives the decision-makers the best seniority bucket and takes their levels out of the others', () => {
    const deciders = 'Target Audience › Decision-makers';
    const config = load(
      planInit(
        withFacts({
          seniorities: [
            { value: 'director', field: deciders },
            { value: 'vp', field: deciders },
            { value: 'individual_contributor', field: deciders },
          ],
        }),
      ),
    );
    expect(group(config, 'title').buckets.map((b) => [b.label, b.points, b.in?.values])).toEqual([
      ['Decision-maker level (VP, Director)', 15, ['vp', 'director']],
      ['Middle management', 8, ['manager']],
    ]);
  });
});

describe('planInit: every plan loads without errors', () => {
  const answers = fc.record(
    {
      gtm: fc.constantFrom('plg', 'sales-led', 'hybrid'),
      acv: fc.integer({ min: 0, max: 5_000_000 }),
      cycleDays: fc.integer({ min: 1, max: 1_095 }),
      crm: fc.constantFrom('hubspot', 'salesforce', 'none'),
      currentState: fc.string({ maxLength: 80 }),
      goals: fc.array(fc.string({ maxLength: 40 }), { maxLength: 4 }),
      template: fc.constantFrom(...TEMPLATE_NAMES),
      companyName: fc.string({ maxLength: 30 }),
    },
    { requiredKeys: [] },
  );
  const facts = fc.option(
    fc.constantFrom(
      FACTS,
      parseProductMarketingDoc(
        '## Target Audience\n**Target companies:** SMBs under 50 employees in "legal" & accounting\n**Decision-makers:** Owners, office managers\n## Competitive Landscape\n**Direct:** Clio — pricey\n',
      ),
      parseProductMarketingDoc(
        '## Target Audience\n**Target companies:** Enterprises with 5,000+ employees\n**Decision-makers:** CIO and CISO',
      ),
    ),
    { nil: undefined },
  );

  it('for random answers, with or without a document', () => {
    fc.assert(
      fc.property(answers, facts, (a, f) => {
        const plan = planInit({ answers: a, ...(f ? { facts: f } : {}) });
        const config = load(plan);
        if (a.template !== undefined) expect(plan.template).toBe(a.template);
        if (a.acv !== undefined) expect(config.company.acv).toBe(a.acv);
        if (a.cycleDays !== undefined) expect(config.company.salesCycleDays).toBe(a.cycleDays);
        if (a.crm !== undefined) expect(config.company.crm).toBe(a.crm);
        if (a.companyName !== undefined && a.companyName.trim() !== '')
          expect(config.company.name).toBe(a.companyName.trim());
        expect(plan.missing).not.toContain('template');
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('for every template and motion with the fixture', () => {
    for (const template of TEMPLATE_NAMES as readonly TemplateName[]) {
      for (const gtm of ['plg', 'sales-led', 'hybrid'] as const) {
        const config = load(planInit({ answers: { template, gtm }, facts: FACTS }));
        expect(config.company.competitors).toEqual(['floqast.com', 'blackline.com', 'numeric.com']);
        expect(config.company.industries.primary).toEqual(['Fintech', 'Healthcare', 'E-commerce']);
      }
    }
  });
});
