/**
 * Generates examples/calibration: eleven months of sales-led lead history whose outcomes are drawn
 * from a KNOWN logistic model, so `revops calibrate` can be checked against the truth.
 *
 *   node bin/run-ts.js scripts/generate-calibration-history.ts [--out examples/calibration]
 *
 * Writes history.ndjson (the events), truth.json (the model and every outcome's true features) and
 * README.md. Seeded: the same script always writes the same bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { mulberry32 } from '../test/support/prng.ts';

export const SEED = 20251229;
const START = Date.parse('2025-12-01T00:00:00Z');
const END = Date.parse('2026-11-01T00:00:00Z'); // exclusive: the last event falls on 2026-10-31
const MINUTE = 60_000;
const DAY = 86_400_000;
const COMPANIES = 400;
const LEADS = 1200;
const FREE_MAIL_LEADS = 60; // 5%
const TARGET_WIN_RATE = 0.4;

/** True log-odds effects on winning; every feature not listed has none. */
export const TRUE_EFFECTS = {
  demoRequest: 2.0,
  vpOrCLevel: 1.2,
  employees500: 1.0,
  targetIndustry: 0.8,
  pricingPage2x: 0.6,
  companyUnder100: -1.5,
  roiGuide: 0,
  executiveWebinar: 0,
} as const;

/** Each recorded feature and the sales-led rule it stands for (`group:id`). */
export const FEATURE_RULES = {
  employees500: 'fit:company-size',
  revenue50m: 'fit:revenue',
  targetIndustry: 'fit:industry',
  vpOrCLevel: 'fit:title',
  decisionMaker: 'fit:decision-maker',
  usesCompetitor: 'fit:uses-competitor',
  demoRequest: 'engagement:demo-request',
  executiveWebinar: 'engagement:executive-webinar',
  roiGuide: 'engagement:roi-guide',
  pricingPage2x: 'engagement:pricing-page-2x',
  companyUnder100: 'negative:company-too-small',
  individualContributor: 'negative:individual-contributor',
  contactSales: 'fastTrack:contact-sales',
} as const;
export type Feature = keyof typeof FEATURE_RULES;
export type Features = Record<Feature, boolean>;

const TARGET_INDUSTRIES = ['Financial Services', 'Insurance', 'Healthcare'];
const INDUSTRIES = [...TARGET_INDUSTRIES, 'Retail', 'Manufacturing', 'Software'];
const STATES = ['CA', 'NY', 'TX', 'IL', 'MA', 'WA', 'GA', 'NC', 'CO', 'FL', 'NJ', 'OH'];
const TOOLS = ['salesforce', 'hubspot', 'snowflake', 'workday', 'netsuite', 'spreadsheets', 'legacy-gl'];
const PREFIXES =
  'North Blue Granite Harbor Summit Cedar Iron Silver Maple Pioneer Atlas Beacon Crescent Falcon Keystone Lakeside Meridian Oak Prairie Redwood Riverstone Sterling Tidewater Vantage Willow Bright Clear Evergreen Frontier Union'.split(
    ' ',
  );
const SUFFIXES =
  'Capital Mutual Health Care Bank Partners Logistics Foods Systems Labs Works Retail Insurance Medical Financial Industries Analytics Group Holdings Goods'.split(
    ' ',
  );
const FIRST =
  'James Maria Robert Linda Michael Aisha David Wei Carlos Priya Daniel Sofia Kevin Emma Omar Grace Lucas Hannah Ethan Chloe Noah Olivia Liam Mia Samuel Nora Jamal Elena Ryan Yuki Marcus Fatima Tyler Leah Victor Zoe'.split(
    ' ',
  );
const LAST =
  'Smith Garcia Chen Patel Johnson Nguyen Williams Kim Brown Lopez Davis Okafor Miller Singh Wilson Martinez Anderson Cohen Taylor Rossi Thomas Murphy Moore Ali Jackson Silva White Kowalski Harris Tanaka Clark Dubois Lewis Reyes'.split(
    ' ',
  );
const SENIORITY: readonly [string, number, number, readonly string[]][] = [
  // seniority, share, P(decision maker), titles
  [
    'individual_contributor',
    0.25,
    0.02,
    ['Financial Analyst', 'Staff Accountant', 'Revenue Analyst', 'Billing Specialist'],
  ],
  [
    'manager',
    0.25,
    0.1,
    ['Accounting Manager', 'Finance Manager', 'Revenue Operations Manager', 'Billing Manager'],
  ],
  ['director', 0.2, 0.3, ['Director of Finance', 'Director of Accounting', 'Director of FP&A', 'Controller']],
  ['vp', 0.18, 0.6, ['VP Finance', 'VP of Accounting', 'VP Revenue Operations', 'VP Operations']],
  ['c_level', 0.12, 0.8, ['CFO', 'COO', 'CEO', 'Chief Accounting Officer']],
];
const REPS = ['priya', 'leo', 'sofia'];
const OTHER_PAGES: readonly [string, string][] = [
  ['blog', '/blog/close-the-books-faster'],
  ['blog', '/blog/revenue-recognition-guide'],
  ['blog', '/blog/audit-ready'],
  ['homepage', '/'],
  ['case_study', '/customers/harbor-mutual'],
  ['comparison', '/compare/rivalledger'],
  ['demo', '/demo'],
  ['roi_calculator', '/roi-calculator'],
  ['careers', '/careers'],
  ['other', '/security'],
];

interface Company {
  readonly domain: string;
  readonly name: string;
  readonly employees: number;
  readonly revenue: number;
  readonly industry: string;
  readonly state: string;
  readonly techStack: readonly string[];
  readonly rep: string;
  readonly centerAt: number;
}

interface Draft {
  readonly at: number;
  readonly seq: number;
  readonly event: Record<string, unknown>;
}

export interface TruthLead {
  readonly email: string;
  readonly features: Features;
  readonly pWin: number;
  readonly outcome: 'won' | 'lost';
}

export interface CalibrationHistory {
  /** NDJSON, one event per line, in time order. */
  readonly history: string;
  readonly truth: Record<string, unknown>;
  readonly readme: string;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');
const round = (value: number, digits: number): number => Number(value.toFixed(digits));
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** The whole example, in memory; deterministic for a given seed. */
export function generateCalibrationHistory(seed = SEED): CalibrationHistory {
  const random = mulberry32(seed);
  const chance = (p: number): boolean => random() < p;
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const logUniform = (min: number, max: number): number =>
    Math.exp(Math.log(min) + random() * (Math.log(max) - Math.log(min)));

  // Companies: unique names, a size band (27% under 100, 38% 100-499, 35% 500+), revenue loosely
  // tied to size, and a "buying window" around which the account's leads show up.
  const names = PREFIXES.flatMap((p) => SUFFIXES.map((s) => `${p} ${s}`));
  for (let i = names.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [names[i], names[j]] = [names[j] as string, names[i] as string];
  }
  const companies: Company[] = names.slice(0, COMPANIES).map((name, index) => {
    const band = random();
    const employees =
      band < 0.27 ? int(8, 99) : band < 0.65 ? int(100, 499) : Math.round(logUniform(500, 20_000) / 10) * 10;
    const tools = TOOLS.filter(() => chance(0.3));
    if (chance(0.2)) tools.push(chance(0.8) ? 'rivalledger' : 'oldguard-erp');
    return {
      domain: `${name.replace(' ', '').toLowerCase()}.${chance(0.8) ? 'com' : 'io'}`,
      name,
      employees,
      revenue: Math.round((employees * logUniform(60_000, 400_000)) / 100_000) * 100_000,
      industry: pick(INDUSTRIES),
      state: pick(STATES),
      techStack: tools.length > 0 ? tools : ['spreadsheets'],
      rep: REPS[index % REPS.length] as string,
      centerAt: START + 20 * DAY + Math.floor(random() * (END - 65 * DAY - START)),
    };
  });

  const drafts: Draft[] = [];
  let seq = 0;
  const emit = (at: number, event: Record<string, unknown>) => drafts.push({ at, seq: seq++, event });
  const used = new Set<string>();
  const outcomes: { email: string; features: Features }[] = [];
  const decisions = { accept: 0, reject: 0 };
  let recycledBeforeAccept = 0;
  let deals = 0;

  for (let n = 0; n < LEADS; n++) {
    const freeMail = n >= LEADS - FREE_MAIL_LEADS;
    const company = n < COMPANIES ? (companies[n] as Company) : pick(companies);
    const firstName = pick(FIRST);
    const lastName = pick(LAST);
    const local = `${firstName}.${lastName}`.toLowerCase();
    let email = freeMail ? `${local}${int(10, 99)}@gmail.com` : `${local}@${company.domain}`;
    for (let k = 2; used.has(email); k++) email = email.replace(/\d*@/, `${k}@`);
    used.add(email);

    const r = random();
    let acc = 0;
    const level = SENIORITY.find(([, share]) => (acc += share) > r) ?? SENIORITY[SENIORITY.length - 1];
    if (level === undefined) throw new Error('SENIORITY is empty');
    const [seniority, , pDecision, titles] = level;
    const role = chance(pDecision) ? 'decision_maker' : chance(0.5) ? 'influencer' : 'user';

    // Behaviour, as offsets (minutes) from the identify.
    const spanMinutes = int(3, 55) * 24 * 60;
    const behaviour: { offset: number; type: string; properties: Record<string, unknown> }[] = [];
    const add = (type: string, properties: Record<string, unknown>, offset = int(5, spanMinutes)) =>
      behaviour.push({ offset, type, properties });
    const pricingRoll = random();
    const pricingViews = pricingRoll < 0.45 ? 0 : pricingRoll < 0.65 ? 1 : int(2, 4);
    for (let i = 0; i < pricingViews; i++) add('page_view', { url: '/pricing', category: 'pricing' });
    for (let i = int(1, 4); i > 0; i--) {
      const [category, url] = pick(OTHER_PAGES);
      add('page_view', { url, category });
    }
    const demoRequest = chance(0.3);
    const contactSales = chance(0.1);
    if (demoRequest) add('form_submit', { form: 'demo_request' });
    if (contactSales) add('form_submit', { form: 'contact_sales' });
    if (chance(0.25)) add('form_submit', { form: 'newsletter' });
    const roiGuide = chance(0.3);
    if (roiGuide) add('content_download', { kind: 'roi_guide' });
    if (chance(0.25)) add('content_download', { kind: 'whitepaper' });
    const executiveWebinar = chance(0.25);
    for (const [audience, attended] of [
      ['executive', executiveWebinar],
      ['general', chance(0.2)],
    ] as const) {
      if (!attended && !chance(0.08)) continue;
      const registered = int(5, spanMinutes);
      add('webinar', { action: 'registered', audience }, registered);
      if (attended) add('webinar', { action: 'attended', audience }, registered + int(1, 10) * 24 * 60);
    }
    for (let i = int(0, 2); i > 0; i--) add('email', { action: 'open', campaign: 'briefing' });
    if (chance(0.3)) add('email', { action: 'click', campaign: 'briefing' });
    behaviour.sort((a, b) => a.offset - b.offset);
    const lastOffset = (behaviour[behaviour.length - 1]?.offset ?? 0) * MINUTE;

    const features: Features = {
      employees500: company.employees >= 500,
      revenue50m: company.revenue >= 50_000_000,
      targetIndustry: TARGET_INDUSTRIES.includes(company.industry),
      vpOrCLevel: seniority === 'vp' || seniority === 'c_level',
      decisionMaker: role === 'decision_maker',
      usesCompetitor: company.techStack.some((t) => t === 'rivalledger' || t === 'oldguard-erp'),
      demoRequest,
      executiveWebinar,
      roiGuide,
      pricingPage2x: pricingViews >= 2,
      companyUnder100: company.employees < 100,
      individualContributor: seniority === 'individual_contributor',
      contactSales,
    };

    // Who sales works: high-intent leads more often. Outcome leads close 2-8 weeks after their last
    // behaviour event; the others are rejected (most of them) within a week of it.
    const hasOutcome = chance(demoRequest || contactSales ? 0.55 : 0.22);
    const closeGap = int(14 * 24 * 60, 56 * 24 * 60) * MINUTE;
    const tail = hasOutcome ? closeGap : 7 * DAY;
    const latest = END - lastOffset - tail - DAY;
    const wanted = company.centerAt + int(-20 * 24 * 60, 20 * 24 * 60) * MINUTE;
    const t0 = Math.floor(Math.min(Math.max(wanted, START), latest) / MINUTE) * MINUTE;
    const lastAt = t0 + lastOffset;
    const rep = freeMail ? pick(REPS) : company.rep;

    emit(t0, {
      type: 'identify',
      source: 'web',
      contact: {
        email,
        firstName,
        lastName,
        title: pick(titles),
        seniority,
        role,
        country: 'US',
        state: company.state,
      },
      company: {
        ...(freeMail ? {} : { domain: company.domain }),
        name: company.name,
        employees: company.employees,
        revenue: company.revenue,
        industry: company.industry,
        country: 'US',
        state: company.state,
        techStack: company.techStack,
      },
    });
    for (const b of behaviour)
      emit(t0 + b.offset * MINUTE, { type: b.type, contact: { email }, properties: b.properties });

    const decide = (at: number, decision: 'accept' | 'reject', reasonCode?: string) => {
      decisions[decision]++;
      emit(at, {
        type: 'sales_decision',
        source: 'crm',
        contact: { email },
        properties: { decision, ...(reasonCode === undefined ? {} : { reasonCode }), rep },
      });
    };
    // A first rejection while the lead is still active; it comes back, so the code is a recycling one.
    const earlyReject = (p: number): boolean => {
      if (behaviour.length < 2 || !chance(p)) return false;
      const i = int(0, behaviour.length - 2);
      const between = ((behaviour[i]?.offset ?? 0) + (behaviour[i + 1]?.offset ?? 0)) / 2;
      const codes = ['ENG-02', 'ENG-02', 'ENG-01', 'QUAL-01'];
      if (features.individualContributor) codes.push('FIT-03');
      if (features.companyUnder100) codes.push('FIT-01');
      decide(t0 + Math.round(between) * MINUTE, 'reject', pick(codes));
      return true;
    };
    const afterLast = () => lastAt + int(1 * 24 * 60, 5 * 24 * 60) * MINUTE;

    if (hasOutcome) {
      if (earlyReject(0.4)) recycledBeforeAccept++;
      const acceptedAt = afterLast();
      decide(acceptedAt, 'accept');
      const dealId = `cal-deal-${String(++deals).padStart(4, '0')}`;
      const amount =
        Math.round(((40_000 + Math.min(company.employees, 15_000) * 20) * (0.7 + random() * 0.6)) / 1000) *
        1000;
      const createdAt = acceptedAt + int(2 * 24 * 60, 6 * 24 * 60) * MINUTE;
      emit(createdAt, {
        type: 'deal',
        source: 'crm',
        contact: { email },
        properties: { action: 'created', dealId, amount },
      });
      // The closing action is filled in once every outcome lead is known (the intercept depends on all).
      emit(lastAt + closeGap, {
        type: 'deal',
        source: 'crm',
        contact: { email },
        properties: { action: '', dealId, amount },
      });
      outcomes.push({ email, features });
    } else if (chance(0.95)) {
      earlyReject(0.6);
      const codes = ['ENG-01', 'ENG-01', 'ENG-02', 'ENG-02', 'QUAL-01', 'QUAL-03'];
      if (features.companyUnder100) codes.push('FIT-01', 'FIT-01', 'FIT-01');
      if (!features.targetIndustry) codes.push('FIT-02', 'FIT-02');
      if (features.individualContributor) codes.push('FIT-03', 'FIT-03', 'FIT-03');
      if (features.usesCompetitor) codes.push('QUAL-02', 'QUAL-02');
      decide(afterLast(), 'reject', pick(codes));
    }
  }

  // Ground truth: the intercept that makes the expected win rate 40%, then one draw per outcome.
  const logit = (f: Features) =>
    (Object.keys(TRUE_EFFECTS) as (keyof typeof TRUE_EFFECTS)[]).reduce(
      (sum, k) => sum + (f[k] ? TRUE_EFFECTS[k] : 0),
      0,
    );
  let lo = -10;
  let hi = 10;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    const mean = outcomes.reduce((s, o) => s + sigmoid(mid + logit(o.features)), 0) / outcomes.length;
    if (mean < TARGET_WIN_RATE) lo = mid;
    else hi = mid;
  }
  const intercept = round(lo, 3);
  const draw = mulberry32(seed + 1);
  const truthLeads: TruthLead[] = outcomes.map(({ email, features }) => {
    const pWin = round(sigmoid(intercept + logit(features)), 4);
    return { email, features, pWin, outcome: draw() < pWin ? 'won' : 'lost' };
  });
  const outcomeOf = new Map(truthLeads.map((t) => [t.email, t.outcome]));
  for (const { event } of drafts) {
    const properties = event['properties'] as Record<string, unknown> | undefined;
    if (event['type'] === 'deal' && properties?.['action'] === '') {
      const email = (event['contact'] as { email: string }).email;
      properties['action'] = outcomeOf.get(email) === 'won' ? 'closed_won' : 'closed_lost';
    }
  }

  drafts.sort((a, b) => a.at - b.at || a.seq - b.seq);
  const lines = drafts.map(({ at, event }, i) => {
    const { type, ...rest } = event;
    return JSON.stringify({ id: `cal-${String(i + 1).padStart(6, '0')}`, type, at: iso(at), ...rest });
  });
  const history = `${lines.join('\n')}\n`;

  const won = truthLeads.filter((t) => t.outcome === 'won').length;
  const totals = {
    leads: LEADS,
    companies: COMPANIES,
    freeMailLeads: FREE_MAIL_LEADS,
    outcomes: truthLeads.length,
    won,
    lost: truthLeads.length - won,
    accept: decisions.accept,
    reject: decisions.reject,
    recycledBeforeAccept,
    events: lines.length,
  };
  const ruleHits = Object.fromEntries(
    (Object.keys(FEATURE_RULES) as Feature[]).map((f) => {
      const hit = truthLeads.filter((t) => t.features[f]);
      return [FEATURE_RULES[f], { outcomes: hit.length, won: hit.filter((t) => t.outcome === 'won').length }];
    }),
  );
  const truth = {
    description:
      'Ground truth of history.ndjson: outcomes drawn from a logistic model of the features below.',
    command: 'node bin/run-ts.js scripts/generate-calibration-history.ts --out examples/calibration',
    seed,
    period: { from: iso(START), to: iso(END - MINUTE) },
    config: 'src/config/templates/sales-led.yaml',
    model: {
      link: 'logit',
      targetWinRate: TARGET_WIN_RATE,
      intercept,
      effects: Object.fromEntries(
        (Object.keys(FEATURE_RULES) as Feature[]).map((f) => [
          f,
          f in TRUE_EFFECTS ? TRUE_EFFECTS[f as keyof typeof TRUE_EFFECTS] : 0,
        ]),
      ),
    },
    featureRules: FEATURE_RULES,
    totals,
    ruleHits,
    leads: truthLeads,
  };
  return { history, truth, readme: readme(totals, intercept, ruleHits) };
}

function readme(
  totals: Record<string, number>,
  intercept: number,
  ruleHits: Record<string, { outcomes: number; won: number }>,
): string {
  const pct = (n: number, of: number) => `${Math.round((100 * n) / of)}%`;
  const rows = Object.entries(ruleHits).map(([rule, h]) => {
    const feature = (Object.keys(FEATURE_RULES) as Feature[]).find(
      (f) => FEATURE_RULES[f] === rule,
    ) as Feature;
    const effect = feature in TRUE_EFFECTS ? TRUE_EFFECTS[feature as keyof typeof TRUE_EFFECTS] : 0;
    return `| \`${rule}\` | \`${feature}\` | ${effect > 0 ? '+' : ''}${effect.toFixed(1)} | ${h.outcomes} | ${pct(h.won, h.outcomes)} |`;
  });
  const decided = (totals['accept'] ?? 0) + (totals['reject'] ?? 0);
  return `# Calibration history (generated)

\`history.ndjson\` is eleven months (2025-12-01 to 2026-10-31) of lead history for the sales-led
template (\`src/config/templates/sales-led.yaml\`). It has ${totals['leads']} leads at ${totals['companies']} companies
(${totals['freeMailLeads']} of them on gmail.com). Each lead has an \`identify\` event with contact and company attributes,
followed by page views, forms, downloads, webinars and email activity. There are ${totals['accept']} sales accepts
and ${totals['reject']} rejections with reason codes (${totals['recycledBeforeAccept']} of the accepted leads had been rejected once
before). ${totals['outcomes']} deals close 2-8 weeks after the lead's last activity: ${totals['won']} won and ${totals['lost']} lost.
That makes ${totals['events']} events in all.

It is input for \`revops calibrate --config revops.yaml --history examples/calibration/history.ndjson\`.
The outcomes are not real. They were drawn from a known model, and \`truth.json\` records that model
with every outcome lead's true features and win probability. Do not edit the files; regenerate them:

    node bin/run-ts.js scripts/generate-calibration-history.ts --out examples/calibration

The script is seeded, and \`test/calibrationHistory.test.ts\` fails if the committed files differ
from its output. The seed was picked from 60 candidates: with an L2 logistic fit (lambda 1), this
sample's ${totals['outcomes']} outcomes land within 0.35 log-odds of every true effect. With this many outcomes,
sampling noise alone is about ±0.3, so another seed can mislead by that much.

## The true model

For leads that reached an outcome, P(won) = logistic(${intercept} + the effects below). The intercept
makes the expected win rate 40%. A feature without an effect has none of its own. Revenue and
decision maker are correlated with size and seniority, so they may pick up a little.
\`multiple-stakeholders\` is not generated on purpose. It fires when colleagues are active at the
same time, and its true effect is zero too. \`fastTrack:contact-sales\` gives no points.

| rule in sales-led (section:id) | feature in truth.json | true log-odds | outcomes hitting it | of which won |
|---|---|---|---|---|
${rows.join('\n')}

## What calibrate should find

- Demo request, a VP/C-level title, 500+ employees and a target industry predict wins. A company
  under 100 employees predicts losses. Visiting pricing twice helps a little.
- The ROI guide (10 points) and the executive webinar (15 points) predict nothing. The suggested
  points for \`roi-guide\` and \`executive-webinar\` should go down, towards zero.
- Sales accepts ${pct(totals['accept'] ?? 0, decided)} of its decisions. That is under the reference's 30% line, so the
  acceptance warning should fire.
- Outcomes come 2-8 weeks after the last activity, when engagement has partly decayed, so calibrate
  judges each lead by the best score it reached before its outcome (when it would have qualified)
  and counts a rule as hit when it fired, not by the points it has left.
- Many won leads are at companies the template's fit rules do not favour, so they never reach
  \`fitMin\` (40% of fit): calibrate says no threshold lets 80% of closed-won qualify and points at
  the minimums. With \`fitMin: 0\` and \`engagementMin: 0\` every demo request fast-tracks, and
  the "80% of won" rule gives 89: demo requests alone carry 80% of the wins
  (\`test/calibrate.test.ts\` pins both runs).
`;
}

/** The three files, by name, formatted as committed (truth.json through prettier). */
export async function renderCalibrationFiles(seed = SEED): Promise<Record<string, string>> {
  const { history, truth, readme: text } = generateCalibrationHistory(seed);
  const target = fileURLToPath(new URL('../examples/calibration/truth.json', import.meta.url));
  const options = (await resolveConfig(target)) ?? {};
  const json = await format(JSON.stringify(truth, null, 2), { ...options, parser: 'json' });
  return { 'history.ndjson': history, 'truth.json': json, 'README.md': text };
}

/** Writes the example into `outDir`; returns the paths written. Throws on a write failure. */
export async function writeCalibrationHistory(outDir: string): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const files = await renderCalibrationFiles();
  return Object.entries(files).map(([name, text]) => {
    const path = join(outDir, name);
    writeFileSync(path, text);
    return path;
  });
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const out =
    at >= 0 && args[at + 1] !== undefined
      ? resolve(args[at + 1] as string)
      : fileURLToPath(new URL('../examples/calibration/', import.meta.url));
  for (const path of await writeCalibrationHistory(out)) console.log(`wrote ${path}`);
}
