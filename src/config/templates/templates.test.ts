/**
 * Pins the three shipped templates to the RevOps reference (/work/shared/reference): the scoring
 * example models 1–3 with their decay tables, the lifecycle stages, reason codes and SLA tables,
 * the routing tree, territories and ABM tiers, the pipeline stages, the deal desk tiers and the
 * metric benchmarks. Every expected figure below is written from the reference, never read back
 * from the YAML, so a template edit that drifts from the reference fails here.
 */
import { describe, expect, it } from 'vitest';
import type { RuleContext, RuleValue } from '../../core/rule.ts';
import { wallMinutes, type Duration, type DurationUnit } from '../../core/time/duration.ts';
import { safeLoadConfigFile } from '../loader.ts';
import { BUILTIN_DEAL_FIELDS } from '../schema/pipeline.ts';
import type { RevopsConfig } from '../schema/index.ts';
import { TEMPLATE_NAMES, templatePath, type TemplateName } from './index.ts';

type Scoring = RevopsConfig['scoring'];
type Bucket = Scoring['fit']['groups'][number]['buckets'][number];
type Signal = Scoring['engagement']['signals'][number];
type NegativeEffect = Scoring['negative'][number]['effect'];
type Action = RevopsConfig['lifecycle']['stages'][number]['onEntry'][number];

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

const cache = new Map<TemplateName, RevopsConfig>();

/** The template, loaded through the real loader; throws with the issues when it does not load. */
function config(name: TemplateName): RevopsConfig {
  const hit = cache.get(name);
  if (hit) return hit;
  const result = safeLoadConfigFile(templatePath(name));
  if (!result.ok) throw new Error(`${name} does not load: ${JSON.stringify(result.issues, null, 2)}`);
  cache.set(name, result.config);
  return result.config;
}

/** Each template name once, as `it.each` rows. */
const TEMPLATES = TEMPLATE_NAMES.map((template) => ({ template }));

/** A wall-clock or business duration, as `toMatchObject` expects it (the source text is free). */
function dur(amount: number, unit: DurationUnit, business = false): Partial<Duration> {
  return { kind: 'duration', business, amount, unit };
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} not found`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Tiny scoring helpers (the weighted model as the reference describes it)
// ---------------------------------------------------------------------------------------------

function isRecord(value: RuleValue | undefined): value is { readonly [key: string]: RuleValue | undefined } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `company.employees` read out of a rule context. */
function lookup(context: RuleContext, path: string): RuleValue | undefined {
  const [head, ...rest] = path.split('.');
  let value: RuleValue | undefined = head === undefined ? undefined : context[head];
  for (const key of rest) {
    if (!isRecord(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** Whether a fit bucket matches: its CEL `when`, its inclusive `range` or its `in` list. */
function bucketMatches(bucket: Bucket, context: RuleContext): boolean {
  if (bucket.when) return bucket.when.evaluate(context);
  if (bucket.range) {
    const value = lookup(context, bucket.range.attribute);
    return (
      typeof value === 'number' &&
      (bucket.range.min === undefined || value >= bucket.range.min) &&
      (bucket.range.max === undefined || value <= bucket.range.max)
    );
  }
  if (bucket.in) {
    const value = lookup(context, bucket.in.attribute);
    return typeof value === 'string' && bucket.in.values.includes(value);
  }
  return false;
}

/** Fit points: the best matching bucket of each group, added up. */
function fitPoints(scoring: Scoring, context: RuleContext): number {
  return scoring.fit.groups.reduce(
    (sum, group) =>
      sum + Math.max(0, ...group.buckets.filter((b) => bucketMatches(b, context)).map((b) => b.points)),
    0,
  );
}

function fitMaximum(scoring: Scoring): number {
  return (
    scoring.fitMax ??
    scoring.fit.groups.reduce((sum, g) => sum + Math.max(0, ...g.buckets.map((b) => b.points)), 0)
  );
}

function engagementMaximum(scoring: Scoring): number {
  return (
    scoring.engagementMax ?? scoring.engagement.signals.reduce((sum, s) => sum + Math.max(0, s.points), 0)
  );
}

/** The weighted model: percentages of each maximum, blended by the weights; MQL needs all three gates. */
function weightedScore(scoring: Scoring, fit: number, engagement: number) {
  const fitPct = 100 * Math.min(1, fit / fitMaximum(scoring));
  const engagementPct = 100 * Math.min(1, engagement / engagementMaximum(scoring));
  const total = scoring.weights.fit * fitPct + scoring.weights.engagement * engagementPct;
  const mql =
    total >= scoring.threshold && fitPct >= scoring.fitMin && engagementPct >= scoring.engagementMin;
  return { fitPct, engagementPct, total, mql };
}

// ---------------------------------------------------------------------------------------------
// The reference example models (revops-scoring-models.md, "Example Scoring Models" 1–3, with the
// decay of the matching signal in the implicit-scoring tables)
// ---------------------------------------------------------------------------------------------

type DecayRef =
  | 'none'
  | {
      readonly points: number;
      readonly amount: number;
      readonly unit: DurationUnit;
      readonly from: 'occurrence' | 'last_activity';
    };

interface SignalRef {
  readonly id: string;
  readonly points: number;
  /** "3+ times": awarded once this many matching events happened. */
  readonly count?: number;
  readonly decay: DecayRef;
  /** An event the signal counts. */
  readonly event: RuleContext;
}

interface NegativeRef {
  readonly id: string;
  readonly points: number;
  readonly effect: NegativeEffect;
}

interface ModelRef {
  readonly gtm: RevopsConfig['company']['gtm'];
  readonly acv: number;
  /** The reference's ACV band for this model. */
  readonly acvBand: readonly [number, number];
  readonly salesCycleDays: number;
  readonly weights: { readonly fit: number; readonly engagement: number };
  readonly threshold: number;
  readonly recalibration: Scoring['recalibration'];
  /** Fit criteria: group id → points of its bucket. */
  readonly fit: readonly { readonly id: string; readonly points: number }[];
  readonly engagement: readonly SignalRef[];
  readonly negative: readonly NegativeRef[];
  /** A contact and company that match every fit criterion. */
  readonly perfectFit: RuleContext;
}

const weekly = (points: number, weeks = 1): DecayRef => ({
  points,
  amount: weeks,
  unit: 'week',
  from: 'occurrence',
});
const monthly = (points: number): DecayRef => ({ points, amount: 1, unit: 'month', from: 'occurrence' });
const ev = (type: string, properties: { readonly [key: string]: RuleValue }, extra: RuleContext = {}) => ({
  ...extra,
  event: { type, properties },
});

/** A lead that matches no fit criterion of any template. */
const NO_FIT: RuleContext = {
  contact: { seniority: 'student', role: 'end_user', title: 'Student' },
  company: { employees: 1, revenue: 1000, industry: 'Agriculture', country: 'BR', techStack: [] },
};

const MODELS: Readonly<Record<TemplateName, ModelRef>> = {
  // Model 1: PLG SaaS (ACV $500-$5K)
  plg: {
    gtm: 'plg',
    acv: 2400,
    acvBand: [500, 5000],
    salesCycleDays: 14,
    weights: { fit: 0.3, engagement: 0.7 },
    threshold: 60,
    recalibration: 'monthly',
    fit: [
      { id: 'company-size', points: 15 }, // company size 10-500
      { id: 'industry', points: 10 }, // target industry
      { id: 'role', points: 10 }, // manager+ role
      { id: 'complementary-tool', points: 10 }, // uses complementary tool
    ],
    engagement: [
      {
        id: 'account-created',
        points: 15,
        decay: 'none',
        event: ev('product', { action: 'account_created' }),
      },
      {
        id: 'onboarding-completed',
        points: 20,
        decay: 'none',
        event: ev('product', { action: 'onboarding_completed' }),
      },
      {
        id: 'core-feature-used',
        points: 25,
        count: 3,
        decay: { points: 5, amount: 1, unit: 'month', from: 'last_activity' }, // -5 per month inactive
        event: ev('product', { action: 'core_feature_used' }),
      },
      {
        id: 'teammate-invited',
        points: 25,
        decay: 'none',
        event: ev('product', { action: 'teammate_invited' }),
      },
      {
        id: 'usage-limit-hit',
        points: 20,
        decay: monthly(10),
        event: ev('product', { action: 'usage_limit_hit' }),
      },
      {
        id: 'pricing-page',
        points: 15,
        decay: weekly(5),
        event: ev('page_view', { category: 'pricing' }),
      },
    ],
    negative: [
      { id: 'competitor-domain', points: -50, effect: 'flag_review' },
      { id: 'personal-email', points: -10, effect: 'none' },
      { id: 'no-login-14d', points: -15, effect: 'none' },
    ],
    perfectFit: {
      contact: { seniority: 'manager' },
      company: { employees: 100, industry: 'Software', country: 'US', techStack: ['slack'] },
    },
  },
  // Model 2: Enterprise Sales-Led (ACV $50K+)
  'sales-led': {
    gtm: 'sales-led',
    acv: 80000,
    acvBand: [50000, Infinity],
    salesCycleDays: 120,
    weights: { fit: 0.6, engagement: 0.4 },
    threshold: 75,
    recalibration: 'quarterly',
    fit: [
      { id: 'company-size', points: 20 }, // company size 500+
      { id: 'revenue', points: 15 }, // revenue $50M+
      { id: 'industry', points: 15 }, // target industry
      { id: 'title', points: 20 }, // VP+ title
      { id: 'decision-maker', points: 15 }, // decision maker confirmed
      { id: 'uses-competitor', points: 10 }, // uses competitor
    ],
    engagement: [
      {
        id: 'demo-request',
        points: 30,
        decay: 'none',
        event: ev('form_submit', { form: 'demo_request' }),
      },
      {
        // Not in the decay tables; a property of the account, so it does not fade.
        id: 'multiple-stakeholders',
        points: 20,
        decay: 'none',
        event: ev('page_view', { category: 'product' }, { account: { engagedContacts: 2 } }),
      },
      {
        id: 'executive-webinar',
        points: 15,
        decay: monthly(5), // webinar attendance: -5 per month
        event: ev('webinar', { action: 'attended', audience: 'executive' }),
      },
      {
        id: 'roi-guide',
        points: 10,
        decay: monthly(5), // a downloaded guide decays like a whitepaper download: -5 per month
        event: ev('content_download', { kind: 'roi_guide' }),
      },
      {
        id: 'pricing-page-2x',
        points: 15,
        count: 2,
        decay: weekly(5),
        event: ev('page_view', { category: 'pricing' }),
      },
    ],
    negative: [
      { id: 'competitor-domain', points: -50, effect: 'flag_review' },
      { id: 'company-too-small', points: -30, effect: 'none' },
      { id: 'individual-contributor', points: -15, effect: 'none' },
    ],
    perfectFit: {
      contact: { seniority: 'vp', role: 'decision_maker' },
      company: {
        employees: 5000,
        revenue: 100_000_000,
        industry: 'Insurance',
        country: 'US',
        techStack: ['rivalledger'],
      },
    },
  },
  // Model 3: Mid-Market Hybrid (ACV $5K-$25K)
  'mid-market': {
    gtm: 'hybrid',
    acv: 12000,
    acvBand: [5000, 25000],
    salesCycleDays: 45,
    weights: { fit: 0.5, engagement: 0.5 },
    threshold: 65,
    recalibration: 'quarterly',
    fit: [
      { id: 'company-size', points: 15 }, // company size 50-1000
      { id: 'industry', points: 10 }, // target industry
      { id: 'title', points: 15 }, // manager-VP title
      { id: 'geography', points: 10 }, // target geography
      { id: 'complementary-tool', points: 10 }, // uses complementary tool
    ],
    engagement: [
      {
        id: 'demo-or-trial',
        points: 25,
        decay: 'none', // demo request and free trial signup: no decay
        event: ev('form_submit', { form: 'trial_signup' }),
      },
      {
        id: 'pricing-page',
        points: 15,
        decay: weekly(5),
        event: ev('page_view', { category: 'pricing' }),
      },
      {
        id: 'case-study-download',
        points: 10,
        decay: weekly(5, 2),
        event: ev('content_download', { kind: 'case_study' }),
      },
      {
        id: 'webinar-attended',
        points: 10,
        decay: monthly(5),
        event: ev('webinar', { action: 'attended' }),
      },
      {
        id: 'email-clicks',
        points: 10,
        count: 3,
        decay: monthly(2),
        event: ev('email', { action: 'click' }),
      },
      {
        id: 'blog-visits',
        points: 10,
        count: 5,
        decay: weekly(5, 2), // repeat blog visits: -5 per 2 weeks
        event: ev('page_view', { category: 'blog' }),
      },
    ],
    negative: [
      { id: 'competitor-domain', points: -50, effect: 'flag_review' },
      { id: 'personal-email', points: -10, effect: 'none' },
      { id: 'no-engagement-30d', points: -10, effect: 'none' },
      { id: 'student-intern', points: -25, effect: 'none' },
    ],
    perfectFit: {
      contact: { seniority: 'director' },
      company: { employees: 200, industry: 'Financial Services', country: 'US', techStack: ['hubspot'] },
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Company and scoring headline figures
// ---------------------------------------------------------------------------------------------

describe('templates load cleanly', () => {
  it.each(TEMPLATES)('$template loads with no errors and no warnings', ({ template }) => {
    const result = safeLoadConfigFile(templatePath(template));
    expect(result.issues).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('company and scoring headline figures', () => {
  it.each(TEMPLATES)('$template: motion, ACV inside the reference band, sales cycle', ({ template }) => {
    const ref = MODELS[template];
    const { company } = config(template);
    expect(company.gtm).toBe(ref.gtm);
    expect(company.acv).toBe(ref.acv);
    expect(company.acv).toBeGreaterThanOrEqual(ref.acvBand[0]);
    expect(company.acv).toBeLessThanOrEqual(ref.acvBand[1]);
    expect(company.salesCycleDays).toBe(ref.salesCycleDays);
  });

  it.each(TEMPLATES)('$template: weighted model, weights, threshold and recalibration', ({ template }) => {
    const ref = MODELS[template];
    const { scoring } = config(template);
    expect(scoring.model).toBe('weighted');
    expect(scoring.weights.fit).toBeCloseTo(ref.weights.fit, 10);
    expect(scoring.weights.engagement).toBeCloseTo(ref.weights.engagement, 10);
    expect(scoring.threshold).toBe(ref.threshold);
    expect(scoring.recalibration).toBe(ref.recalibration);
  });

  it.each(TEMPLATES)('$template: maxima are the reference point sums (no overrides)', ({ template }) => {
    const ref = MODELS[template];
    const { scoring } = config(template);
    expect(scoring.fitMax).toBeUndefined();
    expect(scoring.engagementMax).toBeUndefined();
    expect(fitMaximum(scoring)).toBe(ref.fit.reduce((sum, f) => sum + f.points, 0));
    expect(engagementMaximum(scoring)).toBe(ref.engagement.reduce((sum, s) => sum + s.points, 0));
  });
});

// ---------------------------------------------------------------------------------------------
// Fit criteria
// ---------------------------------------------------------------------------------------------

describe('fit criteria', () => {
  it.each(TEMPLATES)('$template has exactly the reference fit groups, in order', ({ template }) => {
    const groups = config(template).scoring.fit.groups.map((g) => g.id);
    expect(groups).toEqual(MODELS[template].fit.map((f) => f.id));
  });

  const rows = TEMPLATE_NAMES.flatMap((template) =>
    MODELS[template].fit.map((f) => ({ template, group: f.id, points: f.points })),
  );
  it.each(rows)('$template $group: one bucket worth $points points', ({ template, group, points }) => {
    const g = found(
      config(template).scoring.fit.groups.find((x) => x.id === group),
      `fit group ${group}`,
    );
    expect(g.buckets.map((b) => b.points)).toEqual([points]);
  });

  // Bucket conditions on sample leads: bounds are inclusive, lists match exactly.
  interface BucketCase {
    readonly template: TemplateName;
    readonly group: string;
    readonly sample: string;
    readonly context: RuleContext;
    readonly matches: boolean;
  }
  const size = (employees: number): RuleContext => ({ company: { employees } });
  const seniority = (s: string): RuleContext => ({ contact: { seniority: s } });
  const stack = (...tools: string[]): RuleContext => ({ company: { techStack: tools } });
  const bucketCases: BucketCase[] = [
    // PLG: company size 10-500
    { template: 'plg', group: 'company-size', sample: '10 employees', context: size(10), matches: true },
    { template: 'plg', group: 'company-size', sample: '500 employees', context: size(500), matches: true },
    { template: 'plg', group: 'company-size', sample: '9 employees', context: size(9), matches: false },
    { template: 'plg', group: 'company-size', sample: '501 employees', context: size(501), matches: false },
    // PLG: manager+ role
    ...['manager', 'director', 'vp', 'c_level'].map((s) => ({
      template: 'plg' as const,
      group: 'role',
      sample: s,
      context: seniority(s),
      matches: true,
    })),
    {
      template: 'plg',
      group: 'role',
      sample: 'individual_contributor',
      context: seniority('individual_contributor'),
      matches: false,
    },
    {
      template: 'plg',
      group: 'complementary-tool',
      sample: 'uses slack',
      context: stack('jira', 'slack'),
      matches: true,
    },
    {
      template: 'plg',
      group: 'complementary-tool',
      sample: 'no known tool',
      context: stack('jira'),
      matches: false,
    },
    // Sales-led: company size 500+, revenue $50M+, VP+ title, decision maker, competitor user
    {
      template: 'sales-led',
      group: 'company-size',
      sample: '500 employees',
      context: size(500),
      matches: true,
    },
    {
      template: 'sales-led',
      group: 'company-size',
      sample: '100000 employees',
      context: size(100_000),
      matches: true,
    },
    {
      template: 'sales-led',
      group: 'company-size',
      sample: '499 employees',
      context: size(499),
      matches: false,
    },
    {
      template: 'sales-led',
      group: 'revenue',
      sample: '$50M',
      context: { company: { revenue: 50_000_000 } },
      matches: true,
    },
    {
      template: 'sales-led',
      group: 'revenue',
      sample: '$49.99M',
      context: { company: { revenue: 49_999_999 } },
      matches: false,
    },
    { template: 'sales-led', group: 'title', sample: 'vp', context: seniority('vp'), matches: true },
    {
      template: 'sales-led',
      group: 'title',
      sample: 'c_level',
      context: seniority('c_level'),
      matches: true,
    },
    {
      template: 'sales-led',
      group: 'title',
      sample: 'director',
      context: seniority('director'),
      matches: false,
    },
    {
      template: 'sales-led',
      group: 'decision-maker',
      sample: 'decision maker',
      context: { contact: { role: 'decision_maker' } },
      matches: true,
    },
    {
      template: 'sales-led',
      group: 'decision-maker',
      sample: 'influencer',
      context: { contact: { role: 'influencer' } },
      matches: false,
    },
    {
      template: 'sales-led',
      group: 'uses-competitor',
      sample: 'runs rivalledger',
      context: stack('rivalledger'),
      matches: true,
    },
    {
      template: 'sales-led',
      group: 'uses-competitor',
      sample: 'runs salesforce',
      context: stack('salesforce'),
      matches: false,
    },
    // Mid-market: company size 50-1000, manager-VP title, target geography
    {
      template: 'mid-market',
      group: 'company-size',
      sample: '50 employees',
      context: size(50),
      matches: true,
    },
    {
      template: 'mid-market',
      group: 'company-size',
      sample: '1000 employees',
      context: size(1000),
      matches: true,
    },
    {
      template: 'mid-market',
      group: 'company-size',
      sample: '49 employees',
      context: size(49),
      matches: false,
    },
    {
      template: 'mid-market',
      group: 'company-size',
      sample: '1001 employees',
      context: size(1001),
      matches: false,
    },
    ...['manager', 'director', 'vp'].map((s) => ({
      template: 'mid-market' as const,
      group: 'title',
      sample: s,
      context: seniority(s),
      matches: true,
    })),
    {
      template: 'mid-market',
      group: 'title',
      sample: 'c_level (above VP)',
      context: seniority('c_level'),
      matches: false,
    },
    {
      template: 'mid-market',
      group: 'title',
      sample: 'individual_contributor',
      context: seniority('individual_contributor'),
      matches: false,
    },
    {
      template: 'mid-market',
      group: 'complementary-tool',
      sample: 'uses hubspot',
      context: stack('hubspot'),
      matches: true,
    },
    {
      template: 'mid-market',
      group: 'complementary-tool',
      sample: 'empty stack',
      context: stack(),
      matches: false,
    },
  ];
  it.each(bucketCases)('$template $group: $sample → $matches', ({ template, group, context, matches }) => {
    const g = found(
      config(template).scoring.fit.groups.find((x) => x.id === group),
      `fit group ${group}`,
    );
    expect(g.buckets.some((b) => bucketMatches(b, context))).toBe(matches);
  });

  // "Target" lists are the company section's primary lists: primary scores, secondary does not.
  it.each(TEMPLATES)('$template: the industry bucket scores the primary industries only', ({ template }) => {
    const c = config(template);
    const group = found(
      c.scoring.fit.groups.find((g) => g.id === 'industry'),
      'industry group',
    );
    expect(c.company.industries.primary.length).toBeGreaterThan(0);
    for (const industry of c.company.industries.primary) {
      expect(
        group.buckets.some((b) => bucketMatches(b, { company: { industry } })),
        industry,
      ).toBe(true);
    }
    for (const industry of c.company.industries.secondary) {
      expect(
        group.buckets.some((b) => bucketMatches(b, { company: { industry } })),
        industry,
      ).toBe(false);
    }
  });

  it('mid-market: the geography bucket scores the primary markets only', () => {
    const c = config('mid-market');
    const group = found(
      c.scoring.fit.groups.find((g) => g.id === 'geography'),
      'geography group',
    );
    for (const country of c.company.markets.primary) {
      expect(
        group.buckets.some((b) => bucketMatches(b, { company: { country } })),
        country,
      ).toBe(true);
    }
    for (const country of c.company.markets.secondary) {
      expect(
        group.buckets.some((b) => bucketMatches(b, { company: { country } })),
        country,
      ).toBe(false);
    }
  });

  it.each([
    { template: 'plg' as const, group: 'complementary-tool', list: 'complementaryTools' as const },
    { template: 'mid-market' as const, group: 'complementary-tool', list: 'complementaryTools' as const },
    { template: 'sales-led' as const, group: 'uses-competitor', list: 'competitorTools' as const },
  ])('$template $group scores every tool of company.$list', ({ template, group, list }) => {
    const c = config(template);
    const g = found(
      c.scoring.fit.groups.find((x) => x.id === group),
      group,
    );
    expect(c.company[list].length).toBeGreaterThan(0);
    for (const tool of c.company[list]) {
      expect(
        g.buckets.some((b) => bucketMatches(b, stack(tool))),
        tool,
      ).toBe(true);
    }
  });

  it.each(TEMPLATES)('$template: the sample perfect-fit lead earns the fit maximum', ({ template }) => {
    const { scoring } = config(template);
    expect(fitPoints(scoring, MODELS[template].perfectFit)).toBe(fitMaximum(scoring));
    expect(fitPoints(scoring, NO_FIT)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Engagement criteria
// ---------------------------------------------------------------------------------------------

describe('engagement criteria', () => {
  it.each(TEMPLATES)('$template has exactly the reference signals, in order', ({ template }) => {
    const ids = config(template).scoring.engagement.signals.map((s) => s.id);
    expect(ids).toEqual(MODELS[template].engagement.map((s) => s.id));
  });

  const rows = TEMPLATE_NAMES.flatMap((template) =>
    MODELS[template].engagement.map((ref) => ({ template, ref })),
  );
  const signal = (template: TemplateName, id: string): Signal =>
    found(
      config(template).scoring.engagement.signals.find((s) => s.id === id),
      `signal ${id}`,
    );

  it.each(rows)('$template $ref.id: $ref.points points, once, count $ref.count', ({ template, ref }) => {
    const s = signal(template, ref.id);
    expect(s.points).toBe(ref.points);
    expect(s.frequency).toBe('once');
    if (ref.count === undefined) expect(s.count).toBeUndefined();
    else expect(s.count).toMatchObject({ atLeast: ref.count, distinctDays: false });
  });

  it.each(rows)('$template $ref.id: decay as in the reference table', ({ template, ref }) => {
    const s = signal(template, ref.id);
    if (ref.decay === 'none') {
      expect(s.decay).toBeUndefined();
      return;
    }
    expect(s.decay).toMatchObject({
      points: ref.decay.points,
      every: dur(ref.decay.amount, ref.decay.unit),
      from: ref.decay.from,
    });
  });

  it.each(rows)('$template $ref.id: counts its sample event', ({ template, ref }) => {
    const s = signal(template, ref.id);
    const event = ref.event['event'];
    expect(isRecord(event) ? event['type'] : undefined).toBe(s.event);
    expect(s.when?.evaluate(ref.event) ?? true).toBe(true);
  });

  it.each(TEMPLATES)('$template: a pricing page view does not count as another signal', ({ template }) => {
    const pricing = ev('page_view', { category: 'pricing' });
    const counted = config(template)
      .scoring.engagement.signals.filter(
        (s) => s.event === 'page_view' && (s.when?.evaluate(pricing) ?? true),
      )
      .map((s) => s.id);
    expect(counted).toEqual([template === 'sales-led' ? 'pricing-page-2x' : 'pricing-page']);
  });
});

// ---------------------------------------------------------------------------------------------
// Negative signals
// ---------------------------------------------------------------------------------------------

describe('negative signals', () => {
  it.each(TEMPLATES)('$template has exactly the reference negatives', ({ template }) => {
    const ids = config(template).scoring.negative.map((n) => n.id);
    expect([...ids].sort()).toEqual(MODELS[template].negative.map((n) => n.id).sort());
  });

  const rows = TEMPLATE_NAMES.flatMap((template) =>
    MODELS[template].negative.map((ref) => ({ template, ...ref })),
  );
  it.each(rows)('$template $id: $points points, effect $effect', ({ template, id, points, effect }) => {
    const n = found(
      config(template).scoring.negative.find((x) => x.id === id),
      `negative ${id}`,
    );
    expect(n.points).toBe(points);
    expect(n.effect).toBe(effect);
  });

  it.each(TEMPLATES)('$template: competitor domains are detected by the builtin', ({ template }) => {
    const n = found(
      config(template).scoring.negative.find((x) => x.id === 'competitor-domain'),
      'competitor-domain',
    );
    expect(n.builtin).toBe('competitor_domain');
    expect(config(template).company.competitors.length).toBeGreaterThan(0);
  });

  it.each([
    { template: 'plg' as const, id: 'personal-email' },
    { template: 'mid-market' as const, id: 'personal-email' },
  ])('$template $id uses the free-mail builtin', ({ template, id }) => {
    expect(config(template).scoring.negative.find((x) => x.id === id)?.builtin).toBe('free_mail');
  });

  it('plg: no login in 14 days counts product logins only', () => {
    const n = found(
      config('plg').scoring.negative.find((x) => x.id === 'no-login-14d'),
      'no-login-14d',
    );
    expect(n.inactiveFor).toMatchObject(dur(14, 'day'));
    expect(n.event).toBe('product');
    expect(n.on?.evaluate(ev('product', { action: 'login' }))).toBe(true);
    expect(n.on?.evaluate(ev('product', { action: 'core_feature_used' }))).toBe(false);
  });

  it('mid-market: no engagement in 30 days', () => {
    const n = config('mid-market').scoring.negative.find((x) => x.id === 'no-engagement-30d');
    expect(n?.inactiveFor).toMatchObject(dur(30, 'day'));
    expect(n?.event).toBeUndefined();
  });

  const whenCases: {
    template: TemplateName;
    id: string;
    sample: string;
    context: RuleContext;
    applies: boolean;
  }[] = [
    {
      template: 'sales-led',
      id: 'company-too-small',
      sample: '99 employees',
      context: size(99),
      applies: true,
    },
    {
      template: 'sales-led',
      id: 'company-too-small',
      sample: '100 employees',
      context: size(100),
      applies: false,
    },
    {
      template: 'sales-led',
      id: 'individual-contributor',
      sample: 'IC',
      context: { contact: { seniority: 'individual_contributor' } },
      applies: true,
    },
    {
      template: 'sales-led',
      id: 'individual-contributor',
      sample: 'manager',
      context: { contact: { seniority: 'manager' } },
      applies: false,
    },
    {
      template: 'mid-market',
      id: 'student-intern',
      sample: 'student',
      context: { contact: { seniority: 'student' } },
      applies: true,
    },
    {
      template: 'mid-market',
      id: 'student-intern',
      sample: 'Marketing Intern',
      context: { contact: { seniority: 'other', title: 'Marketing Intern' } },
      applies: true,
    },
    {
      template: 'mid-market',
      id: 'student-intern',
      sample: 'Internal Comms Manager',
      context: { contact: { seniority: 'manager', title: 'Internal Comms Manager' } },
      applies: false,
    },
  ];
  function size(employees: number): RuleContext {
    return { company: { employees } };
  }
  it.each(whenCases)('$template $id: $sample → $applies', ({ template, id, context, applies }) => {
    const n = found(
      config(template).scoring.negative.find((x) => x.id === id),
      `negative ${id}`,
    );
    expect(n.when?.evaluate(context)).toBe(applies);
  });
});

// ---------------------------------------------------------------------------------------------
// "Neither alone is sufficient"
// ---------------------------------------------------------------------------------------------

describe('an MQL needs both fit and engagement', () => {
  const rows = TEMPLATE_NAMES.map((template) => ({
    template,
    fitAlone: MODELS[template].weights.fit * 100,
    engagementAlone: MODELS[template].weights.engagement * 100,
  }));

  it.each(rows)(
    '$template: perfect fit with no engagement scores $fitAlone and is not an MQL',
    ({ template, fitAlone }) => {
      const { scoring } = config(template);
      const score = weightedScore(scoring, fitPoints(scoring, MODELS[template].perfectFit), 0);
      expect(score.fitPct).toBe(100);
      expect(score.total).toBeCloseTo(fitAlone, 10);
      expect(score.mql).toBe(false);
    },
  );

  it.each(rows)(
    '$template: maximal engagement with no fit scores $engagementAlone and is not an MQL',
    ({ template, engagementAlone }) => {
      const { scoring } = config(template);
      const score = weightedScore(scoring, fitPoints(scoring, NO_FIT), engagementMaximum(scoring));
      expect(score.engagementPct).toBe(100);
      expect(score.total).toBeCloseTo(engagementAlone, 10);
      expect(score.mql).toBe(false);
    },
  );

  it.each(TEMPLATES)('$template: perfect fit with maximal engagement is an MQL', ({ template }) => {
    const { scoring } = config(template);
    const score = weightedScore(
      scoring,
      fitPoints(scoring, MODELS[template].perfectFit),
      engagementMaximum(scoring),
    );
    expect(score.total).toBeCloseTo(100, 10);
    expect(score.mql).toBe(true);
  });

  it('plg: heavy usage alone passes the threshold (70 ≥ 60), so the fit minimum is what stops it', () => {
    const { scoring } = config('plg');
    expect(scoring.weights.engagement * 100).toBeGreaterThanOrEqual(scoring.threshold);
    expect(scoring.fitMin).toBeGreaterThan(0);
  });

  it.each(TEMPLATES)(
    '$template: fast-track on a demo request is gated by a positive fit minimum',
    ({ template }) => {
      const { scoring } = config(template);
      const demo = ev('form_submit', { form: 'demo_request' });
      expect(
        scoring.fastTrack.some((f) => f.event === 'form_submit' && (f.when?.evaluate(demo) ?? true)),
      ).toBe(true);
      expect(scoring.fitMin).toBeGreaterThan(0);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Lifecycle (revops-lifecycle-definitions.md)
// ---------------------------------------------------------------------------------------------

const STAGES = [
  'subscriber',
  'lead',
  'mql',
  'sql',
  'opportunity',
  'customer',
  'evangelist',
  'recycled',
  'disqualified',
];

const REASON_CODES: readonly {
  code: string;
  action: 'nurture' | 'archive' | 'recycle';
  afterDays?: number;
}[] = [
  { code: 'FIT-01', action: 'nurture' },
  { code: 'FIT-02', action: 'archive' },
  { code: 'FIT-03', action: 'nurture' },
  { code: 'ENG-01', action: 'recycle', afterDays: 90 },
  { code: 'ENG-02', action: 'recycle', afterDays: 60 },
  { code: 'QUAL-01', action: 'recycle', afterDays: 90 },
  // "Recycle; trigger before contract renewal": the reference gives no fixed wait.
  { code: 'QUAL-02', action: 'recycle' },
  { code: 'QUAL-03', action: 'archive' },
];

describe('lifecycle', () => {
  it.each(TEMPLATES)('$template has the nine stages', ({ template }) => {
    expect(config(template).lifecycle.stages.map((s) => s.id)).toEqual(STAGES);
  });

  it.each(TEMPLATES)('$template has exactly the eight reason codes', ({ template }) => {
    expect(config(template).lifecycle.reasonCodes.map((r) => r.code)).toEqual(
      REASON_CODES.map((r) => r.code),
    );
  });

  const codeRows = TEMPLATE_NAMES.flatMap((template) => REASON_CODES.map((ref) => ({ template, ...ref })));
  it.each(codeRows)('$template $code: $action', ({ template, code, action, afterDays }) => {
    const rc = found(
      config(template).lifecycle.reasonCodes.find((r) => r.code === code),
      code,
    );
    expect(rc.action).toBe(action);
    if (action !== 'recycle') expect(rc.after).toBeUndefined();
    if (afterDays !== undefined) expect(rc.after).toMatchObject(dur(afterDays, 'day'));
  });

  it.each(TEMPLATES)(
    '$template: recycling resets engagement, keeps fit, archives after 6 months',
    ({ template }) => {
      const { recycling, sqlRequires } = config(template).lifecycle;
      expect(recycling.stage).toBe('recycled');
      expect(recycling.resetEngagement).toBe(true);
      expect(recycling.keepFit).toBe(true);
      expect(['bi-weekly', 'monthly']).toContain(recycling.cadence);
      expect(recycling.archiveAfter).toMatchObject(dur(6, 'month'));
      expect(recycling.reMqlTriggers).toEqual(expect.arrayContaining(['demo_request', 'pricing_revisit']));
      expect(sqlRequires.bant).toBe(2); // at least 2 of 4
    },
  );

  it.each(TEMPLATES)(
    '$template: entering MQL alerts the rep and creates a 4-business-hour task',
    ({ template }) => {
      const mql = found(
        config(template).lifecycle.stages.find((s) => s.id === 'mql'),
        'mql stage',
      );
      const actions: readonly Action[] = mql.onEntry;
      expect(mql.owner).toBe('marketing_to_sales');
      expect(actions).toContainEqual(expect.objectContaining({ do: 'notify', to: 'owner', urgent: true }));
      const task = actions.find((a) => a.do === 'create_task');
      expect(task?.do === 'create_task' ? task.due : undefined).toMatchObject(dur(4, 'hour', true));
      expect(actions).toContainEqual(expect.objectContaining({ do: 'sequence', op: 'pause' }));
      expect(actions).toContainEqual(expect.objectContaining({ do: 'log_activity' }));
    },
  );

  it.each(TEMPLATES)('$template: evangelists start at NPS 9', ({ template }) => {
    expect(config(template).lifecycle.evangelist.npsMin).toBe(9);
  });
});

// ---------------------------------------------------------------------------------------------
// SLA clocks (lifecycle SLA tables) and the speed-to-lead ladder (routing rules)
// ---------------------------------------------------------------------------------------------

const CLOCKS: readonly {
  id: string;
  start: RevopsConfig['sla']['clocks'][number]['start'];
  target: Partial<Duration>;
  escalation: string;
}[] = [
  {
    id: 'mql-first-touch',
    start: { stage: 'mql' },
    target: dur(4, 'hour', true),
    escalation: 'notify_manager',
  },
  {
    id: 'qualification-decision',
    start: { stage: 'mql' },
    target: dur(48, 'hour'),
    escalation: 'notify_manager',
  },
  { id: 'meeting-scheduled', start: { stage: 'sql' }, target: dur(5, 'day', true), escalation: 'flag' },
  { id: 'sql-discovery', start: { stage: 'sql' }, target: dur(3, 'day', true), escalation: 'notify_manager' },
  { id: 'opportunity-created', start: { stage: 'sql' }, target: dur(5, 'day', true), escalation: 'flag' },
  {
    id: 'proposal-after-demo',
    start: { dealStage: 'demo' },
    target: dur(5, 'day', true),
    escalation: 'notify_manager',
  },
];

describe('SLA clocks', () => {
  const rows = TEMPLATE_NAMES.flatMap((template) => CLOCKS.map((ref) => ({ template, ...ref })));
  it.each(rows)(
    '$template $id: target and escalation at the target',
    ({ template, id, start, target, escalation }) => {
      const clock = found(
        config(template).sla.clocks.find((c) => c.id === id),
        `clock ${id}`,
      );
      expect(clock.start).toEqual(start);
      expect(clock.target).toMatchObject(target);
      expect(clock.escalation).toHaveLength(1);
      expect(clock.escalation[0]?.action).toBe(escalation);
      expect(clock.escalation[0]?.after).toMatchObject(target);
      if (escalation === 'flag') expect(clock.escalation[0]?.flag).toBe('pipeline_review');
    },
  );

  it.each(TEMPLATES)(
    '$template: speed to lead is 5 minutes with the 5/15/30/60-minute ladder',
    ({ template }) => {
      const clock = found(
        config(template).sla.clocks.find((c) => c.id === 'speed-to-lead'),
        'speed-to-lead',
      );
      expect(clock.start).toEqual({ stage: 'mql' });
      expect(clock.stop).toContain('touch');
      expect(clock.target.business).toBe(false);
      expect(wallMinutes(clock.target)).toBe(5);
      expect(clock.escalation.map((e) => [wallMinutes(e.after), e.after.business, e.action])).toEqual([
        [5, false, 'notify_rep'],
        [15, false, 'notify_backup'],
        [30, false, 'notify_manager'],
        [60, false, 'reassign'],
      ]);
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Routing (revops-routing-rules.md)
// ---------------------------------------------------------------------------------------------

const TERRITORY_STATES: Readonly<Record<'west' | 'central' | 'east', readonly string[]>> = {
  west: ['CA', 'WA', 'OR', 'NV', 'AZ', 'UT', 'CO', 'HI'],
  central: ['TX', 'IL', 'MN', 'MO', 'OH', 'MI', 'WI', 'IN'],
  east: ['NY', 'MA', 'PA', 'NJ', 'CT', 'VA', 'FL', 'GA'],
};
const US_STATES = [
  'AL',
  'AK',
  'AZ',
  'AR',
  'CA',
  'CO',
  'CT',
  'DE',
  'DC',
  'FL',
  'GA',
  'HI',
  'ID',
  'IL',
  'IN',
  'IA',
  'KS',
  'KY',
  'LA',
  'ME',
  'MD',
  'MA',
  'MI',
  'MN',
  'MS',
  'MO',
  'MT',
  'NE',
  'NV',
  'NH',
  'NJ',
  'NM',
  'NY',
  'NC',
  'ND',
  'OH',
  'OK',
  'OR',
  'PA',
  'RI',
  'SC',
  'SD',
  'TN',
  'TX',
  'UT',
  'VT',
  'VA',
  'WA',
  'WV',
  'WI',
  'WY',
];

function territoriesOf(template: TemplateName, company: { readonly [key: string]: RuleValue }): string[] {
  return config(template)
    .team.territories.filter((t) => t.when.evaluate({ company }))
    .map((t) => t.id);
}

describe('routing', () => {
  it.each(TEMPLATES)('$template: most specific first, round-robin last', ({ template }) => {
    const rules = config(template).routing.rules.map((r) => [r.id, r.to]);
    expect(rules).toEqual([
      ['named-account', 'account_owner'],
      ['enterprise', 'team:enterprise'],
      ['plg-team-usage', 'team:plg'],
      ['territory', 'territory'],
      ['round-robin', 'team:general'],
    ]);
    const last = config(template).routing.rules.at(-1);
    expect(last?.when).toBeUndefined(); // the catch-all
  });

  it.each(TEMPLATES)(
    '$template: named accounts of tiers 1-2 go to their owner, tier 3 does not',
    ({ template }) => {
      const rule = found(
        config(template).routing.rules.find((r) => r.id === 'named-account'),
        'named-account',
      );
      const named = (tier: number, isNamed = true): RuleContext => ({ account: { named: isNamed, tier } });
      expect(rule.when?.evaluate(named(1))).toBe(true);
      expect(rule.when?.evaluate(named(2))).toBe(true);
      expect(rule.when?.evaluate(named(3))).toBe(false);
      expect(rule.when?.evaluate(named(0, false))).toBe(false);
    },
  );

  it.each(TEMPLATES)('$template: enterprise and PLG team-usage rules', ({ template }) => {
    const c = config(template);
    const enterprise = found(
      c.routing.rules.find((r) => r.id === 'enterprise'),
      'enterprise',
    );
    const industry = found(c.company.industries.primary[0], 'a primary industry');
    expect(enterprise.when?.evaluate({ company: { employees: 5000, industry } })).toBe(true);
    expect(enterprise.when?.evaluate({ company: { employees: 200, industry } })).toBe(false);
    const plg = found(
      c.routing.rules.find((r) => r.id === 'plg-team-usage'),
      'plg-team-usage',
    );
    expect(plg.when?.evaluate({ lead: { teamMembers: 2 } })).toBe(true);
    expect(plg.when?.evaluate({ lead: { teamMembers: 1 } })).toBe(false);
  });

  it.each(TEMPLATES)('$template: no rep available → team queue with a 1-hour SLA', ({ template }) => {
    const c = config(template);
    const queue = found(
      c.team.queues.find((q) => q.id === c.routing.fallback.queue),
      'fallback queue',
    );
    expect(queue.sla.business).toBe(false);
    expect(wallMinutes(queue.sla)).toBe(60);
  });

  it.each(TEMPLATES)('$template: ABM tiers 1h instant / 4h standard / same business day', ({ template }) => {
    const tiers = config(template).routing.tiers;
    expect(tiers.map((t) => [t.tier, t.alert])).toEqual([
      [1, 'instant'],
      [2, 'standard'],
      [3, 'standard'],
    ]);
    expect(tiers[0]?.sla).toMatchObject(dur(1, 'hour'));
    expect(tiers[1]?.sla).toMatchObject(dur(4, 'hour'));
    expect(tiers[2]?.sla).toMatchObject({ kind: 'endOfBusinessDay', business: true });
  });

  it.each(TEMPLATES)(
    '$template: all contacts of an account go to one owner; 3+ is a buying committee',
    ({ template }) => {
      const c = config(template);
      expect(c.routing.sameAccountSameOwner).toBe(true);
      expect(c.scoring.account.rollup).toBe('sum');
      expect(c.scoring.account.buyingCommittee.contacts).toBe(3);
    },
  );

  it.each(TEMPLATES)(
    '$template: the default pool is a round-robin reset weekly with quota priority',
    ({ template }) => {
      const c = config(template);
      const general = found(
        c.team.teams.find((t) => t.id === 'general'),
        'general team',
      );
      expect(['weighted_round_robin', 'round_robin']).toContain(general.strategy);
      expect(['weekly', 'monthly']).toContain(general.reset);
      expect(general.quotaPriority).toBe(true);
    },
  );

  it.each(TEMPLATES)(
    '$template: territories West, Central, East, International and their teams',
    ({ template }) => {
      const territories = config(template).team.territories.map((t) => [t.id, t.name, t.team]);
      expect(territories).toEqual([
        ['west', 'West', 'west'],
        ['central', 'Central', 'central'],
        ['east', 'East', 'east'],
        ['international', 'International', 'international'],
      ]);
    },
  );

  const stateRows = TEMPLATE_NAMES.flatMap((template) =>
    US_STATES.map((state) => {
      const territory = (Object.keys(TERRITORY_STATES) as (keyof typeof TERRITORY_STATES)[]).find((t) =>
        TERRITORY_STATES[t].includes(state),
      );
      return { template, state, expected: territory === undefined ? [] : [territory] };
    }),
  );
  it.each(stateRows)('$template: a US company in $state → $expected', ({ template, state, expected }) => {
    expect(territoriesOf(template, { country: 'US', state })).toEqual(expected);
  });

  it('the reference lists eight states per US territory', () => {
    expect(Object.values(TERRITORY_STATES).map((s) => s.length)).toEqual([8, 8, 8]);
    expect(new Set(Object.values(TERRITORY_STATES).flat()).size).toBe(24);
  });

  it.each(
    TEMPLATE_NAMES.flatMap((template) => [
      { template, sample: 'Germany', company: { country: 'DE' } },
      { template, sample: 'Canada (country code CA, not California)', company: { country: 'CA' } },
      { template, sample: 'the UK with a region code', company: { country: 'GB', state: 'ENG' } },
    ]),
  )('$template: a company in $sample → international', ({ template, company }) => {
    expect(territoriesOf(template, company)).toEqual(['international']);
  });
});

// ---------------------------------------------------------------------------------------------
// Pipeline (revops-SKILL.md pipeline stages; stale limits from the automation playbooks)
// ---------------------------------------------------------------------------------------------

const DEAL_STAGES: readonly {
  id: string;
  kind: 'open' | 'won' | 'lost';
  required: readonly string[];
  staleDays?: number;
}[] = [
  // Contact info, company, source, fit score
  { id: 'qualified', kind: 'open', required: ['contacts', 'account', 'source', 'fitScore'] },
  // Pain points, current solution, timeline
  { id: 'discovery', kind: 'open', required: ['painPoints', 'currentSolution', 'timeline'], staleDays: 14 },
  // Technical requirements, decision makers
  { id: 'demo', kind: 'open', required: ['technicalRequirements', 'decisionMakers'] },
  // Pricing, terms, stakeholder map
  {
    id: 'proposal',
    kind: 'open',
    required: ['amount', 'discountPercent', 'termMonths', 'paymentTerms', 'stakeholderMap'],
    staleDays: 10,
  },
  // Redlines, approval chain, close date
  { id: 'negotiation', kind: 'open', required: ['redlines', 'approvalChain', 'closeDate'], staleDays: 21 },
  // Signed contract, payment terms
  { id: 'closed_won', kind: 'won', required: ['signedContract', 'paymentTerms'] },
  // Loss reason, competitor (if any): only the loss reason can be required of every lost deal.
  { id: 'closed_lost', kind: 'lost', required: ['lossReason'] },
];

describe('pipeline', () => {
  const pipeline = (template: TemplateName) => found(config(template).pipeline.pipelines[0], 'a pipeline');

  it.each(TEMPLATES)('$template: one pipeline with the seven deal stages in order', ({ template }) => {
    expect(config(template).pipeline.pipelines).toHaveLength(1);
    expect(pipeline(template).stages.map((s) => [s.id, s.kind])).toEqual(
      DEAL_STAGES.map((s) => [s.id, s.kind]),
    );
  });

  const rows = TEMPLATE_NAMES.flatMap((template) => DEAL_STAGES.map((ref) => ({ template, ...ref })));
  it.each(rows)('$template $id: required $required', ({ template, id, required }) => {
    const stage = found(
      pipeline(template).stages.find((s) => s.id === id),
      `deal stage ${id}`,
    );
    expect([...stage.required].sort()).toEqual([...required].sort());
  });

  it.each(rows)('$template $id: stale after $staleDays days', ({ template, id, staleDays }) => {
    const stage = found(
      pipeline(template).stages.find((s) => s.id === id),
      `deal stage ${id}`,
    );
    if (staleDays === undefined) expect(stage.staleAfter).toBeUndefined();
    else expect(stage.staleAfter).toMatchObject(dur(staleDays, 'day'));
  });

  it.each(TEMPLATES)(
    '$template: every required field is a known deal field (competitor too)',
    ({ template }) => {
      const c = config(template);
      const known = new Set<string>([...BUILTIN_DEAL_FIELDS, ...c.pipeline.fields.map((f) => f.id)]);
      for (const stage of pipeline(template).stages) {
        for (const field of stage.required) expect(known.has(field), `${stage.id}.${field}`).toBe(true);
      }
      expect(known.has('competitor')).toBe(true);
    },
  );

  it.each(TEMPLATES)(
    '$template: stage hygiene — skips flagged, stale at 2x average, close-date discipline',
    ({ template }) => {
      const p = pipeline(template);
      expect(p.skips).toBe('flag');
      expect(p.stale.averageMultiplier).toBe(2);
      expect(p.stale.alertTask.due).toMatchObject(dur(3, 'day', true));
      expect(p.stale.managerAfter).toMatchObject(dur(7, 'day'));
      expect(p.closeDate.pushReasonRequired).toBe(true);
      expect(p.closeDate.forecastReviewAfter).toBe(2);
    },
  );

  it.each(TEMPLATES)(
    '$template: closed-won hands off to CS with a kickoff due in 2 business days',
    ({ template }) => {
      const { closedWon } = pipeline(template);
      expect(closedWon.contactsBecome).toBe('customer');
      expect(closedWon.csTeam).toBe('cs');
      expect(closedWon.stopSequences).toBe(true);
      expect(closedWon.kickoff.due).toMatchObject(dur(2, 'day', true));
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Deal desk (revops-SKILL.md approval workflow tiers)
// ---------------------------------------------------------------------------------------------

interface DealCase {
  readonly sample: string;
  readonly deal: { readonly [key: string]: RuleValue };
  readonly tiers: readonly string[];
  readonly approvers: readonly string[];
}

const DEAL_CASES: readonly DealCase[] = [
  { sample: 'list price', deal: { discountPercent: 0, termMonths: 12 }, tiers: ['standard'], approvers: [] },
  { sample: 'no discount field', deal: { termMonths: 12 }, tiers: ['standard'], approvers: [] },
  { sample: '5% off', deal: { discountPercent: 5, termMonths: 12 }, tiers: ['standard'], approvers: [] },
  {
    sample: '10% off',
    deal: { discountPercent: 10, termMonths: 12 },
    tiers: ['sales-manager'],
    approvers: ['manager'],
  },
  {
    sample: '15% off',
    deal: { discountPercent: 15, termMonths: 12 },
    tiers: ['sales-manager'],
    approvers: ['manager'],
  },
  {
    sample: '20% off',
    deal: { discountPercent: 20, termMonths: 12 },
    tiers: ['vp-sales'],
    approvers: ['role:vp_sales'],
  },
  {
    sample: '25% off',
    deal: { discountPercent: 25, termMonths: 12 },
    tiers: ['vp-sales'],
    approvers: ['role:vp_sales'],
  },
  {
    sample: '40% off',
    deal: { discountPercent: 40, termMonths: 12 },
    tiers: ['deal-desk'],
    approvers: ['role:deal_desk'],
  },
  {
    sample: '45% off',
    deal: { discountPercent: 45, termMonths: 12 },
    tiers: ['deal-desk'],
    approvers: ['role:deal_desk'],
  },
  {
    sample: 'custom terms',
    deal: { discountPercent: 0, termMonths: 12, customTerms: true },
    tiers: ['deal-desk'],
    approvers: ['role:deal_desk'],
  },
  {
    sample: '3-year contract',
    deal: { discountPercent: 0, termMonths: 36 },
    tiers: ['standard', 'multi-year'],
    approvers: ['role:finance', 'role:legal'],
  },
];

describe('deal desk', () => {
  it.each(TEMPLATES)(
    '$template: review above 25,000, every matching tier approves, quarterly review',
    ({ template }) => {
      const dd = config(template).dealDesk;
      expect(dd.threshold).toBe(25000);
      expect(dd.match).toBe('all');
      expect(dd.exceptionsReview).toBe('quarterly');
      expect(dd.standardPaymentTerms).not.toContain('net-90');
      expect(dd.tiers.map((t) => t.id)).toEqual([
        'standard',
        'sales-manager',
        'vp-sales',
        'deal-desk',
        'multi-year',
      ]);
    },
  );

  const rows = TEMPLATE_NAMES.flatMap((template) => DEAL_CASES.map((c) => ({ template, ...c })));
  it.each(rows)('$template: $sample → $tiers', ({ template, deal, tiers, approvers }) => {
    const matching = config(template).dealDesk.tiers.filter((t) => t.when.evaluate({ deal }));
    expect(matching.map((t) => t.id)).toEqual(tiers);
    expect([...new Set(matching.flatMap((t) => t.approvers))].sort()).toEqual([...approvers].sort());
  });

  it.each(TEMPLATES)('$template: multi-year needs finance and legal both', ({ template }) => {
    const tier = found(
      config(template).dealDesk.tiers.find((t) => t.id === 'multi-year'),
      'multi-year tier',
    );
    expect(tier.approvers).toEqual(['role:finance', 'role:legal']);
    expect(tier.mode).toBe('all');
    const standard = config(template).dealDesk.tiers.find((t) => t.id === 'standard');
    expect(standard?.approvers).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// Metrics benchmarks (revops-SKILL.md dashboard table)
// ---------------------------------------------------------------------------------------------

describe('metrics benchmarks', () => {
  const RANGES = [
    { metric: 'leadToMql' as const, min: 0.05, max: 0.15 },
    { metric: 'mqlToSql' as const, min: 0.3, max: 0.5 },
    { metric: 'sqlToOpportunity' as const, min: 0.5, max: 0.7 },
    { metric: 'winRate' as const, min: 0.2, max: 0.3 },
  ];
  const rows = TEMPLATE_NAMES.flatMap((template) => RANGES.map((r) => ({ template, ...r })));
  it.each(rows)('$template $metric: $min–$max', ({ template, metric, min, max }) => {
    const range = config(template).metrics.benchmarks[metric];
    expect(range.min).toBeCloseTo(min, 10);
    expect(range.max).toBeCloseTo(max, 10);
  });

  it.each(TEMPLATES)(
    '$template: speed to lead 5m, 90% within SLA, LTV:CAC 3-5, coverage 3-4x',
    ({ template }) => {
      const b = config(template).metrics.benchmarks;
      expect(b.speedToLead.business).toBe(false);
      expect(wallMinutes(b.speedToLead)).toBe(5);
      expect(b.contactedWithinSla).toBeCloseTo(0.9, 10);
      expect(b.ltvToCac).toEqual({ min: 3, max: 5 });
      expect(b.pipelineCoverage).toEqual({ min: 3, max: 4 });
    },
  );
});
