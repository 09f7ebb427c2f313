/**
 * The product-marketing context document: where it lives and which funnel facts it holds. Init
 * reads it first and asks only what it leaves open. Every fact says which field it came from, so
 * the plan can explain itself. Parsing is pure and tolerant: an unfilled template yields nothing.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GtmMotion } from './answers.ts';
import { audienceFacts, type DecisionMaker, type Seniority, type SizeRange } from './audience.ts';
import { readMarkdownFields, findField, type MarkdownField, type MarkdownFields } from './markdownFields.ts';

export type { DecisionMaker, Seniority, SizeRange } from './audience.ts';

/** Where the document may be, in the order they are tried (the `-context` name is the older one). */
export const PRODUCT_MARKETING_PATHS = [
  '.agents/product-marketing.md',
  '.claude/product-marketing.md',
  '.agents/product-marketing-context.md',
  '.claude/product-marketing-context.md',
] as const;

/** A value read from the document, with the field it came from (`Target Audience › Target companies`). */
export interface Fact<T> {
  readonly value: T;
  readonly field: string;
}

export interface Competitor {
  readonly name: string;
  readonly kind: 'direct' | 'secondary';
  /** The email domain: as written in the document, or guessed as `name.com` (`domainDerived`). */
  readonly domain?: string;
  readonly domainDerived?: boolean;
}

export interface GtmHint {
  readonly motion: Exclude<GtmMotion, 'hybrid'>;
  /** The words that gave the hint, as found (`free trial`). */
  readonly keyword: string;
}

export interface ProductMarketingFacts {
  readonly name?: Fact<string>;
  readonly industries: readonly Fact<string>[];
  readonly companySize?: Fact<SizeRange>;
  readonly decisionMakers: readonly Fact<DecisionMaker>[];
  /** Distinct seniority levels of the decision-makers, in order of appearance. */
  readonly seniorities: readonly Fact<Seniority>[];
  /** Distinct departments of the decision-makers, lower-case ids (`finance`, `it`, `revops`). */
  readonly departments: readonly Fact<string>[];
  readonly competitors: readonly Fact<Competitor>[];
  readonly businessGoal?: Fact<string>;
  readonly conversionAction?: Fact<string>;
  readonly currentMetrics?: Fact<string>;
  readonly gtmHints: readonly Fact<GtmHint>[];
  /** The motion the hints add up to: both kinds of hint make `hybrid`. */
  readonly gtm?: Fact<GtmMotion>;
  /** Annual contract value from a price (`$500/month` → 6000) or an ACV figure. */
  readonly acv?: Fact<number>;
  readonly salesCycleDays?: Fact<number>;
}

/** The first candidate path under `dir` that is a file, or undefined. Reads only file metadata. */
export function findProductMarketingDoc(dir: string): string | undefined {
  for (const candidate of PRODUCT_MARKETING_PATHS) {
    const path = join(dir, candidate);
    try {
      if (statSync(path).isFile()) return path;
    } catch {
      // absent or unreadable: try the next name
    }
  }
  return undefined;
}

/** Finds the document under `dir` and parses it; undefined when there is none. Throws only if it cannot be read. */
export function readProductMarketingDoc(
  dir: string,
): { readonly path: string; readonly facts: ProductMarketingFacts } | undefined {
  const path = findProductMarketingDoc(dir);
  return path === undefined
    ? undefined
    : { path, facts: parseProductMarketingDoc(readFileSync(path, 'utf8')) };
}

const fieldName = (f: MarkdownField): string => (f.section === '' ? f.label : `${f.section} › ${f.label}`);
const entries = (f: MarkdownField | undefined): string[] =>
  f === undefined ? [] : [f.value, ...f.items].filter((t) => t !== '');
const fact = <T>(value: T, f: MarkdownField): Fact<T> => ({ value, field: fieldName(f) });

/** Extracts the facts init can use; fields that are missing or unfilled give nothing. */
export function parseProductMarketingDoc(markdown: string): ProductMarketingFacts {
  const doc = readMarkdownFields(markdown);
  const target = findField(doc, 'Target companies');
  const deciders = findField(doc, 'Decision-makers');
  const audience = audienceFacts(entries(target).join('; '), entries(deciders).join('; '));

  const businessGoal = textFact(findField(doc, 'Business goal', 'Goals'));
  const conversionAction = textFact(findField(doc, 'Conversion action', 'Goals'));
  const currentMetrics = textFact(findField(doc, 'Current metrics', 'Goals'));
  const model = findField(doc, 'Business model');
  const type = findField(doc, 'Product type');
  const gtmHints = [...hintsIn(type), ...hintsIn(model)];
  const motions = new Set(gtmHints.map((h) => h.value.motion));
  const gtmField = gtmHints
    .map((h) => h.field)
    .filter((f, i, all) => all.indexOf(f) === i)
    .join(', ');
  const acv = priceFact(model) ?? priceFact(type) ?? priceFact(findField(doc, 'Current metrics', 'Goals'));
  const cycle = cycleFact(findField(doc, 'Current metrics', 'Goals')) ?? cycleFact(model);
  const name = nameFact(doc);

  const facts: ProductMarketingFacts = {
    industries: target ? audience.industries.map((i) => fact(i, target)) : [],
    ...(target && audience.size ? { companySize: fact(audience.size, target) } : {}),
    decisionMakers: deciders ? audience.decisionMakers.map((d) => fact(d, deciders)) : [],
    seniorities: deciders ? audience.seniorities.map((s) => fact(s, deciders)) : [],
    departments: deciders ? audience.departments.map((d) => fact(d, deciders)) : [],
    competitors: [
      ...competitorsIn(findField(doc, 'Direct'), 'direct'),
      ...competitorsIn(findField(doc, 'Secondary'), 'secondary'),
    ],
    ...(businessGoal ? { businessGoal } : {}),
    ...(conversionAction ? { conversionAction } : {}),
    ...(currentMetrics ? { currentMetrics } : {}),
    gtmHints,
    ...(motions.size > 0
      ? {
          gtm: {
            value: motions.size > 1 ? ('hybrid' as const) : (motions.values().next().value ?? 'hybrid'),
            field: gtmField,
          },
        }
      : {}),
    ...(acv ? { acv } : {}),
    ...(cycle ? { salesCycleDays: cycle } : {}),
  };
  return name ? Object.assign({ name }, facts) : facts;
}

function textFact(f: MarkdownField | undefined): Fact<string> | undefined {
  const text = entries(f).join('; ');
  return f === undefined || text === '' ? undefined : fact(text, f);
}

// ---- name

const EXPLICIT_NAME_LABELS = ['Company', 'Company name', 'Product name', 'Product', 'Name'];
const DOC_TITLE = /product[- ]marketing(?:[- ]context)?/i;
const NOT_A_NAME = new Set([
  'the',
  'a',
  'an',
  'we',
  'our',
  'it',
  'this',
  'b2b',
  'b2c',
  'saas',
  'for',
  'one',
  'every',
]);
const NAME_VERB = /^(?:is|are|was|helps|lets|gives|makes|turns|puts|keeps|brings|does|[a-z]{3,}s)$/;

function nameFact(doc: MarkdownFields): Fact<string> | undefined {
  for (const label of EXPLICIT_NAME_LABELS) {
    const f = findField(doc, label);
    if (f && f.value !== '') return fact(f.value, f);
  }
  if (doc.title !== undefined && DOC_TITLE.test(doc.title)) {
    const rest = doc.title
      .replace(DOC_TITLE, '')
      .replace(/^[\s:—–\-|]+|[\s:—–\-|]+$/g, '')
      .replace(/['’]s$/, '')
      .trim();
    if (rest !== '' && !/^(?:doc|document|context)$/i.test(rest)) return { value: rest, field: 'title' };
  } else if (doc.title !== undefined && doc.title.split(' ').length <= 4)
    return { value: doc.title, field: 'title' };
  const oneLiner = findField(doc, 'One-liner');
  if (oneLiner === undefined || oneLiner.value === '') return undefined;
  const words = oneLiner.value.split(/\s+/);
  const name: string[] = [];
  for (const word of words) {
    if (/^[A-Z0-9][\w.&'’-]*$/.test(word) && name.length < 3 && !NOT_A_NAME.has(word.toLowerCase()))
      name.push(word);
    else break;
  }
  const next = words[name.length];
  if (name.length === 0 || next === undefined || !NAME_VERB.test(next)) return undefined;
  return fact(name.join(' ').replace(/[,:;]$/, ''), oneLiner);
}

// ---- competitors

const DOMAIN = /\b((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,})\b/i;
const COMPETITOR_REASON = /(?:^|\s+)(?:—|–|-{1,2})(?:\s+|$)|:\s+|(?:^|\s+)falls short\b/;

function competitorsIn(f: MarkdownField | undefined, kind: Competitor['kind']): Fact<Competitor>[] {
  if (f === undefined) return [];
  const out: Fact<Competitor>[] = [];
  for (const entry of entries(f)) {
    const names = entry.split(COMPETITOR_REASON)[0] ?? '';
    for (const raw of names.split(/\s*(?:,|;|\/|&|\band\b|\bor\b)\s*/)) {
      const written = DOMAIN.exec(raw)?.[1]?.toLowerCase();
      const name = raw
        .replace(/\([^)]*\)/g, '')
        .replace(/^(?:the|an?|other|some)\s+/i, '')
        .replace(/\s+(?:etc\.?|and others)$/i, '')
        .trim();
      if (!/[\p{L}\p{N}]/u.test(name) && written === undefined) continue;
      const label = name === '' ? (written ?? '') : name;
      if (out.some((c) => c.value.name.toLowerCase() === label.toLowerCase())) continue;
      let competitor: Competitor = { name: label, kind };
      if (written !== undefined) competitor = { name: label, kind, domain: written, domainDerived: false };
      else if (kind === 'direct' && /^[A-Za-z0-9][A-Za-z0-9-]*$/.test(name))
        competitor = { name: label, kind, domain: `${name.toLowerCase()}.com`, domainDerived: true };
      out.push(fact(competitor, f));
    }
  }
  return out;
}

// ---- motion, price, cycle

const HINTS: readonly [RegExp, GtmHint['motion']][] = [
  [/\bself[- ]?serve\b/i, 'plg'],
  [/\bfree[- ]trials?\b/i, 'plg'],
  [/\bfreemium\b/i, 'plg'],
  [/\bfree (?:plan|tier)\b/i, 'plg'],
  [/\bproduct[- ]led\b/i, 'plg'],
  [/\bplg\b/i, 'plg'],
  [/\bsign[- ]?ups?\b/i, 'plg'],
  [/\benterprise\b/i, 'sales-led'],
  [/\bsales[- ]led\b/i, 'sales-led'],
  [/\bdemos?\b/i, 'sales-led'],
  [/\bcontact sales\b/i, 'sales-led'],
  [/\bcustom (?:pricing|contracts?|quotes?)\b/i, 'sales-led'],
  [/\bprocurement\b/i, 'sales-led'],
];

function hintsIn(f: MarkdownField | undefined): Fact<GtmHint>[] {
  const text = entries(f).join(' ');
  if (f === undefined || text === '') return [];
  return HINTS.flatMap(([pattern, motion]) => {
    const m = pattern.exec(text);
    return m ? [fact({ motion, keyword: m[0].toLowerCase() }, f)] : [];
  });
}

const NUMBER = String.raw`(\d[\d,]*(?:\.\d+)?)\s*([kKmM])?`;
const PRICE = new RegExp(
  String.raw`\$\s?${NUMBER}(?:\s*(?:-|–|to)\s*\$?\s?${NUMBER})?\s*(?:\/|per|a|an)\s*(month|mo|year|yr|annum)\b`,
  'i',
);
const ACV_FIGURE = new RegExp(
  String.raw`\b(?:ACV|average contract value|average deal size)\b[^$\d]{0,20}\$?\s?${NUMBER}`,
  'i',
);

function money(digits: string | undefined, suffix: string | undefined): number {
  const factor = suffix?.toLowerCase() === 'k' ? 1_000 : suffix?.toLowerCase() === 'm' ? 1_000_000 : 1;
  return Number((digits ?? '0').replace(/,/g, '')) * factor;
}

function priceFact(f: MarkdownField | undefined): Fact<number> | undefined {
  const text = entries(f).join(' ');
  if (f === undefined || text === '') return undefined;
  const figure = ACV_FIGURE.exec(text);
  if (figure) return fact(Math.round(money(figure[1], figure[2])), f);
  const price = PRICE.exec(text);
  if (!price) return undefined;
  const low = money(price[1], price[2] ?? price[4]);
  const high = price[3] === undefined ? low : money(price[3], price[4]);
  const perMonth = /^mo/i.test(price[5] ?? '');
  const value = Math.round(((low + high) / 2) * (perMonth ? 12 : 1));
  return value > 0 ? fact(value, f) : undefined;
}

const CYCLE = [
  /\b(\d+)[- ]?(day|week|month)s?(?:[- ]long)? (?:sales )?cycle\b/i,
  /\bsales cycle\b[^.\d;]{0,24}(\d+)\s*(day|week|month)s?\b/i,
];

function cycleFact(f: MarkdownField | undefined): Fact<number> | undefined {
  const text = entries(f).join(' ');
  if (f === undefined) return undefined;
  for (const pattern of CYCLE) {
    const m = pattern.exec(text);
    if (m?.[1] !== undefined) {
      const unit = (m[2] ?? 'day').toLowerCase();
      const days = Number(m[1]) * (unit === 'week' ? 7 : unit === 'month' ? 30 : 1);
      if (days > 0) return fact(days, f);
    }
  }
  return undefined;
}
