import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PRODUCT_MARKETING_PATHS,
  findProductMarketingDoc,
  parseProductMarketingDoc,
  readProductMarketingDoc,
  type ProductMarketingFacts,
} from './productMarketing.ts';

const FIXTURE = readFileSync(new URL('./__fixtures__/product-marketing.md', import.meta.url), 'utf8');

/** The template's headings and labels with nothing filled in (placeholders as the template has them). */
const BLANK = `\`\`\`markdown
# Product Marketing Context

**Document version:** v1
**Last updated:** [date]

## Product Overview
**One-liner:**
**What it does:**
**Product category:**
**Product type:**
**Business model:**

## Target Audience
**Target companies:**
**Decision-makers:**
**Jobs to be done:**
-
**Use cases:**
-

## Personas
| Persona | Cares about | Challenge | Value we promise |
|---------|-------------|-----------|------------------|
| | | | |

## Competitive Landscape
**Direct:** [Competitor] — falls short because...
**Secondary:** [Approach] — falls short because...
**Indirect:** [Alternative] — falls short because...

## Customer Language
**How they describe us:**
- "[verbatim]"
**Glossary:**
| Term | Meaning |
|------|---------|
| | |

## Proof Points
**Testimonials:**
> "[quote]" — [who]

## Goals
**Business goal:**
**Conversion action:**
**Current metrics:**

## Changelog
- v1 ([date]) — first version.
\`\`\`
`;

const EMPTY: ProductMarketingFacts = {
  industries: [],
  decisionMakers: [],
  seniorities: [],
  departments: [],
  competitors: [],
  gtmHints: [],
};

const doc = (fields: Record<string, string>, section = 'Target Audience'): string =>
  `# Product Marketing Context\n\n## ${section}\n${Object.entries(fields)
    .map(([label, value]) => `**${label}:** ${value}`)
    .join('\n')}\n`;

describe('parseProductMarketingDoc: the filled fixture', () => {
  it('extracts every fact with the field it came from', () => {
    const TARGET = 'Target Audience › Target companies';
    const DECIDERS = 'Target Audience › Decision-makers';
    const DIRECT = 'Competitive Landscape › Direct';
    const SECONDARY = 'Competitive Landscape › Secondary';
    expect(parseProductMarketingDoc(FIXTURE)).toEqual({
      name: { value: 'Ledgerline', field: 'Product Overview › One-liner' },
      industries: [
        { value: 'fintech', field: TARGET },
        { value: 'healthcare', field: TARGET },
        { value: 'e-commerce', field: TARGET },
      ],
      companySize: { value: { min: 200, max: 2000 }, field: TARGET },
      decisionMakers: [
        { value: { title: 'CFO', seniority: 'c_level', department: 'finance' }, field: DECIDERS },
        { value: { title: 'VP of Finance', seniority: 'vp', department: 'finance' }, field: DECIDERS },
        { value: { title: 'Head of IT', seniority: 'director', department: 'it' }, field: DECIDERS },
      ],
      seniorities: [
        { value: 'c_level', field: DECIDERS },
        { value: 'vp', field: DECIDERS },
        { value: 'director', field: DECIDERS },
      ],
      departments: [
        { value: 'finance', field: DECIDERS },
        { value: 'it', field: DECIDERS },
      ],
      competitors: [
        {
          value: { name: 'FloQast', kind: 'direct', domain: 'floqast.com', domainDerived: true },
          field: DIRECT,
        },
        {
          value: { name: 'BlackLine', kind: 'direct', domain: 'blackline.com', domainDerived: false },
          field: DIRECT,
        },
        {
          value: { name: 'Numeric', kind: 'direct', domain: 'numeric.com', domainDerived: true },
          field: DIRECT,
        },
        { value: { name: 'Spreadsheets', kind: 'secondary' }, field: SECONDARY },
        { value: { name: 'outsourced bookkeeper', kind: 'secondary' }, field: SECONDARY },
      ],
      businessGoal: {
        value: 'Reach $10M ARR by the end of 2027; double the number of multi-entity customers',
        field: 'Goals › Business goal',
      },
      conversionAction: { value: 'Book a demo', field: 'Goals › Conversion action' },
      currentMetrics: {
        value: '1,800 trials a quarter, 9% trial-to-paid, 60-day sales cycle',
        field: 'Goals › Current metrics',
      },
      gtmHints: [
        { value: { motion: 'plg', keyword: 'free trial' }, field: 'Product Overview › Product type' },
        { value: { motion: 'sales-led', keyword: 'demo' }, field: 'Product Overview › Product type' },
        { value: { motion: 'sales-led', keyword: 'enterprise' }, field: 'Product Overview › Business model' },
      ],
      gtm: { value: 'hybrid', field: 'Product Overview › Product type, Product Overview › Business model' },
      acv: { value: 18_000, field: 'Product Overview › Business model' },
      salesCycleDays: { value: 60, field: 'Goals › Current metrics' },
    });
  });

  it('yields nothing from the unfilled template, placeholders and all', () => {
    expect(parseProductMarketingDoc(BLANK)).toEqual(EMPTY);
    expect(parseProductMarketingDoc('')).toEqual(EMPTY);
    expect(parseProductMarketingDoc('just some notes\n- and a list')).toEqual(EMPTY);
  });
});

describe('Target companies → industries and size', () => {
  const cases: [string, string[], object | undefined][] = [
    [
      'B2B SaaS companies with 50-500 employees in fintech and healthcare',
      ['fintech', 'healthcare'],
      { min: 50, max: 500 },
    ],
    ['mid-market (200–2,000 employees)', [], { min: 200, max: 2000 }],
    ['Software companies between 20 and 200 employees', ['Software'], { min: 20, max: 200 }],
    ['Enterprises with 1,000+ employees in the US', [], { min: 1000 }],
    ['SMBs under 50 employees', [], { max: 49 }],
    ['Agencies with up to 25 staff', ['Agencies'], { max: 25 }],
    [
      'Fintech and insurance firms in North America with more than 500 staff',
      ['Fintech', 'insurance'],
      { min: 501 },
    ],
    ['Logistics companies with 1.5k-10k employees', ['Logistics'], { min: 1500, max: 10_000 }],
    ['Mid-market and enterprise banks', ['banks'], { min: 100, segment: 'mid-market+enterprise' }],
    [
      'Mid-market retailers in the manufacturing and retail industries',
      ['manufacturing', 'retail'],
      { min: 100, max: 999, segment: 'mid-market' },
    ],
    ['Anyone who sells', [], undefined],
  ];
  it.each(cases)('%j', (text, industries, size) => {
    const facts = parseProductMarketingDoc(doc({ 'Target companies': text }));
    expect(facts.industries.map((f) => f.value)).toEqual(industries);
    expect(facts.companySize?.value).toEqual(size);
    if (size) expect(facts.companySize?.field).toBe('Target Audience › Target companies');
  });
});

describe('Decision-makers → titles, seniority, departments', () => {
  const cases: [string, [string, string | undefined, string | undefined][], string[], string[]][] = [
    [
      'VP of Sales and Head of Revenue Operations; the CFO signs off',
      [
        ['VP of Sales', 'vp', 'sales'],
        ['Head of Revenue Operations', 'director', 'revops'],
        ['CFO', 'c_level', 'finance'],
      ],
      ['vp', 'director', 'c_level'],
      ['sales', 'revops', 'finance'],
    ],
    [
      'Founders and CEOs at seed-stage startups',
      [
        ['Founders', 'c_level', undefined],
        ['CEOs', 'c_level', undefined],
      ],
      ['c_level'],
      [],
    ],
    [
      'Chief Marketing Officer, Director of Demand Generation, Marketing Ops Manager',
      [
        ['Chief Marketing Officer', 'c_level', 'marketing'],
        ['Director of Demand Generation', 'director', 'marketing'],
        ['Marketing Ops Manager', 'manager', 'revops'],
      ],
      ['c_level', 'director', 'manager'],
      ['marketing', 'revops'],
    ],
    [
      'Head of IT / CIO',
      [
        ['Head of IT', 'director', 'it'],
        ['CIO', 'c_level', 'it'],
      ],
      ['director', 'c_level'],
      ['it'],
    ],
    [
      'Sales managers and RevOps leaders',
      [['Sales managers', 'manager', 'sales']],
      ['manager'],
      ['sales', 'revops'],
    ],
    [
      'Account Executives',
      [['Account Executives', 'individual_contributor', 'sales']],
      ['individual_contributor'],
      ['sales'],
    ],
  ];
  it.each(cases)('%j', (text, people, seniorities, departments) => {
    const facts = parseProductMarketingDoc(doc({ 'Decision-makers': text }));
    expect(facts.decisionMakers.map((d) => [d.value.title, d.value.seniority, d.value.department])).toEqual(
      people,
    );
    expect(facts.seniorities.map((s) => s.value)).toEqual(seniorities);
    expect(facts.departments.map((s) => s.value)).toEqual(departments);
    expect(new Set(facts.decisionMakers.map((d) => d.field))).toEqual(
      new Set(people.length > 0 ? ['Target Audience › Decision-makers'] : []),
    );
  });
});

describe('Competitive Landscape → competitors', () => {
  it('reads names, written domains and guessed ones, on the line or in a list under it', () => {
    const markdown = `## Competitive Landscape
**Direct:**
- Chili Piper — routes meetings, not leads
- LeanData (leandata.com) — Salesforce only
- Monday.com: too generic
- [Distrib](https://distrib.io) — young
**Secondary:** The CRM's own round-robin / spreadsheets falls short because nobody owns it
`;
    expect(parseProductMarketingDoc(markdown).competitors.map((c) => c.value)).toEqual([
      { name: 'Chili Piper', kind: 'direct' },
      { name: 'LeanData', kind: 'direct', domain: 'leandata.com', domainDerived: false },
      { name: 'Monday.com', kind: 'direct', domain: 'monday.com', domainDerived: false },
      { name: 'Distrib', kind: 'direct', domain: 'distrib.io', domainDerived: false },
      { name: "CRM's own round-robin", kind: 'secondary' },
      { name: 'spreadsheets', kind: 'secondary' },
    ]);
  });
});

describe('Business model and Product type → motion and ACV', () => {
  const cases: [string, string, string | undefined, number | undefined][] = [
    ['Self-serve SaaS', 'Freemium; paid plans at $500/month', 'plg', 6_000],
    ['Product-led with a free plan', '$49 per user per month', 'plg', undefined],
    ['Enterprise platform', 'Annual contracts, average contract value around $80k', 'sales-led', 80_000],
    ['Sales-led', 'Custom pricing after a demo; $30,000-$50,000 per year', 'sales-led', 40_000],
    ['SaaS with a free trial', 'Team plan $200-$400 a month; enterprise tier', 'hybrid', 3_600],
    ['Desktop software', 'One-off licence', undefined, undefined],
  ];
  it.each(cases)('%j / %j', (type, model, gtm, acv) => {
    const facts = parseProductMarketingDoc(
      doc({ 'Product type': type, 'Business model': model }, 'Product Overview'),
    );
    expect(facts.gtm?.value).toBe(gtm);
    expect(facts.acv?.value).toBe(acv);
  });
});

describe('the company name', () => {
  const cases: [string, string | undefined, string | undefined][] = [
    [
      '# Product Marketing Context\n## Product Overview\n**One-liner:** Relay routes every inbound lead in a minute.',
      'Relay',
      'Product Overview › One-liner',
    ],
    ['# Product Marketing Context — Acme Cloud\n', 'Acme Cloud', 'title'],
    ['# Northwind: product marketing context\n', 'Northwind', 'title'],
    [
      '# Product Marketing Context\n## Product Overview\n**One-liner:** The easiest way to route leads.',
      undefined,
      undefined,
    ],
    [
      '# Product Marketing Context\n**Company:** Globex\n**One-liner:** Relay routes leads.',
      'Globex',
      'Company',
    ],
  ];
  it.each(cases)('%j', (markdown, name, field) => {
    const facts = parseProductMarketingDoc(markdown);
    expect(facts.name?.value).toBe(name);
    expect(facts.name?.field).toBe(field);
  });
});

describe('findProductMarketingDoc', () => {
  const dirs: string[] = [];
  const tempDir = (files: readonly string[], folders: readonly string[] = []): string => {
    const dir = mkdtempSync(join(tmpdir(), 'revops-init-'));
    dirs.push(dir);
    for (const folder of folders) mkdirSync(join(dir, folder), { recursive: true });
    for (const file of files) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), `# ${file}\n`);
    }
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('tries the four names in order', () => {
    expect(PRODUCT_MARKETING_PATHS).toEqual([
      '.agents/product-marketing.md',
      '.claude/product-marketing.md',
      '.agents/product-marketing-context.md',
      '.claude/product-marketing-context.md',
    ]);
  });

  const cases: [string[], string | undefined][] = [
    [[], undefined],
    [['product-marketing.md', 'docs/product-marketing.md'], undefined],
    [['.claude/product-marketing-context.md'], '.claude/product-marketing-context.md'],
    [
      ['.agents/product-marketing-context.md', '.claude/product-marketing-context.md'],
      '.agents/product-marketing-context.md',
    ],
    [
      ['.agents/product-marketing-context.md', '.claude/product-marketing.md'],
      '.claude/product-marketing.md',
    ],
    [[...PRODUCT_MARKETING_PATHS], '.agents/product-marketing.md'],
  ];
  it.each(cases)('%j → %j', (files, found) => {
    const dir = tempDir(files);
    expect(findProductMarketingDoc(dir)).toBe(found === undefined ? undefined : join(dir, found));
  });

  it('skips a folder that carries the name', () => {
    const dir = tempDir(['.claude/product-marketing.md'], ['.agents/product-marketing.md']);
    expect(findProductMarketingDoc(dir)).toBe(join(dir, '.claude/product-marketing.md'));
  });

  it('reads and parses the document it finds', () => {
    const dir = tempDir([]);
    mkdirSync(join(dir, '.agents'));
    writeFileSync(join(dir, '.agents/product-marketing.md'), FIXTURE);
    const found = readProductMarketingDoc(dir);
    expect(found?.path).toBe(join(dir, '.agents/product-marketing.md'));
    expect(found?.facts.name?.value).toBe('Ledgerline');
    expect(readProductMarketingDoc(tempDir([]))).toBeUndefined();
    expect(findProductMarketingDoc(join(dir, 'does-not-exist'))).toBeUndefined();
  });
});
