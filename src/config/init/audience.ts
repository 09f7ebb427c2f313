/**
 * Reads the target audience out of product-marketing prose: industries and a company-size range
 * from "Target companies", titles with seniority and department from "Decision-makers".
 */
import type { SENIORITIES } from '../celVariables.ts';

export type Seniority = (typeof SENIORITIES)[number];

/** Employees, inclusive bounds. `segment` is set when the range was read from a word like `mid-market`. */
export interface SizeRange {
  readonly min?: number;
  readonly max?: number;
  readonly segment?: string;
}

export interface DecisionMaker {
  readonly title: string;
  readonly seniority?: Seniority;
  readonly department?: string;
}

export interface AudienceFacts {
  readonly industries: readonly string[];
  readonly size: SizeRange | undefined;
  readonly decisionMakers: readonly DecisionMaker[];
  readonly seniorities: readonly Seniority[];
  readonly departments: readonly string[];
}

export function audienceFacts(targetCompanies: string, decisionMakers: string): AudienceFacts {
  const people = decisionMakersIn(decisionMakers);
  const departments = unique([
    ...people.flatMap((p) => (p.department ? [p.department] : [])),
    ...departmentsIn(decisionMakers),
  ]);
  return {
    industries: industriesIn(targetCompanies),
    size: sizeIn(targetCompanies),
    decisionMakers: people,
    seniorities: unique(people.flatMap((p) => (p.seniority ? [p.seniority] : []))),
    departments,
  };
}

function unique<T>(values: readonly T[]): T[] {
  return values.filter((v, i) => values.indexOf(v) === i);
}

// ---- industries

/** Industry words recognised anywhere in the text when no "in …" list names them. Case is kept as written. */
const KNOWN_INDUSTRIES = [
  'fintech',
  'healthcare',
  'health tech',
  'healthtech',
  'e-commerce',
  'ecommerce',
  'retail',
  'manufacturing',
  'logistics',
  'insurance',
  'banking',
  'banks',
  'financial services',
  'education',
  'edtech',
  'real estate',
  'proptech',
  'legal',
  'legaltech',
  'government',
  'nonprofit',
  'non-profit',
  'hospitality',
  'media',
  'telecom',
  'telecommunications',
  'energy',
  'construction',
  'biotech',
  'pharma',
  'life sciences',
  'cybersecurity',
  'security',
  'saas',
  'software',
  'professional services',
  'agencies',
  'marketing agencies',
  'automotive',
  'travel',
  'gaming',
  'crypto',
  'hr tech',
  'martech',
  'adtech',
  'transportation',
  'agriculture',
  'aerospace',
  'defense',
  'utilities',
  'consulting',
  'accounting',
];
const GEOGRAPHY =
  /^(?:the )?(?:us|usa|u\.s\.|united states|north america|canada|uk|united kingdom|europe|emea|apac|latam|dach|nordics|eu|asia|australia|germany|france|global(?:ly)?|worldwide|the world|[A-Z][a-z]+ (?:region|area))$/i;
const INDUSTRY_TAIL =
  /\s+(?:industr(?:y|ies)|sectors?|verticals?|spaces?|markets?|companies|businesses|firms|organi[sz]ations)$/i;

export function industriesIn(text: string): string[] {
  const found: string[] = [];
  for (const clause of text.matchAll(/\b(?:in|across|within|serving)\s+([^.;()]+)/gi)) {
    const body = (clause[1] ?? '').split(/\s+(?:with|that|who|which|where|whose|at|from|using)\s+/i)[0] ?? '';
    for (const raw of body.split(/\s*(?:,|\/|&|\band\b|\bor\b)\s*/i)) {
      const item = raw
        .trim()
        .replace(/^(?:the|a|an)\s+/i, '')
        .replace(INDUSTRY_TAIL, '')
        .replace(/^["'“”‘’]+|["'“”‘’]+$/g, '')
        .trim();
      if (item === '' || /\d/.test(item) || item.split(' ').length > 3 || GEOGRAPHY.test(item)) continue;
      if (!found.some((f) => f.toLowerCase() === item.toLowerCase())) found.push(item);
    }
  }
  if (found.length > 0) return found;
  const known = KNOWN_INDUSTRIES.flatMap((name) => {
    const m = new RegExp(`(?:^|[^a-z-])(${name.replace(/[-.]/g, '\\$&')})(?:$|[^a-z-])`, 'i').exec(text);
    return m?.[1] === undefined ? [] : [m[1]];
  });
  return known.filter(
    (name, _i, all) =>
      !all.some((other) => other !== name && other.toLowerCase().includes(name.toLowerCase())),
  );
}

// ---- company size

const NUM = String.raw`(\d[\d,]*(?:\.\d+)?\s*[kK]?)`;
const PEOPLE = String.raw`\s*(?:employees|people|staff|FTEs?|headcount|workers|seats)`;
const SIZE_PATTERNS: readonly [RegExp, (a: number, b: number) => SizeRange][] = [
  [new RegExp(String.raw`${NUM}\s*(?:-|–|—|to)\s*${NUM}\+?${PEOPLE}`, 'i'), (a, b) => ({ min: a, max: b })],
  [
    new RegExp(String.raw`(?:between|from)\s+${NUM}\s*(?:and|to|-|–)\s*${NUM}${PEOPLE}`, 'i'),
    (a, b) => ({ min: a, max: b }),
  ],
  [new RegExp(String.raw`${NUM}\s*\+${PEOPLE}`, 'i'), (a) => ({ min: a })],
  [new RegExp(String.raw`${NUM}${PEOPLE}\s+or more`, 'i'), (a) => ({ min: a })],
  [new RegExp(String.raw`(?:at least|minimum of)\s+${NUM}${PEOPLE}`, 'i'), (a) => ({ min: a })],
  [new RegExp(String.raw`(?:more than|over|above)\s+${NUM}${PEOPLE}`, 'i'), (a) => ({ min: a + 1 })],
  [new RegExp(String.raw`(?:up to|at most)\s+${NUM}${PEOPLE}`, 'i'), (a) => ({ max: a })],
  [
    new RegExp(String.raw`(?:under|fewer than|less than|below)\s+${NUM}${PEOPLE}`, 'i'),
    (a) => ({ max: a - 1 }),
  ],
  [
    new RegExp(String.raw`(?:headcount|employees)\s*(?:of\s*)?${NUM}\s*(?:-|–|—|to)\s*${NUM}`, 'i'),
    (a, b) => ({ min: a, max: b }),
  ],
];

/** Segment words, used only when no number is given (the usual 100 / 1,000 employee cut-offs). */
const SEGMENTS: readonly [RegExp, string, SizeRange][] = [
  [/\b(?:smb|small (?:and medium|businesses|business))\b/i, 'smb', { min: 1, max: 99 }],
  [/\bmid[- ]?market\b/i, 'mid-market', { min: 100, max: 999 }],
  [/\benterprises?\b/i, 'enterprise', { min: 1000 }],
];

function count(text: string | undefined): number {
  const t = (text ?? '').replace(/[\s,]/g, '').toLowerCase();
  return Math.round(t.endsWith('k') ? Number(t.slice(0, -1)) * 1_000 : Number(t));
}

export function sizeIn(text: string): SizeRange | undefined {
  for (const [pattern, make] of SIZE_PATTERNS) {
    const m = pattern.exec(text);
    if (m) {
      const range = make(count(m[1]), count(m[2]));
      if ((range.min ?? 0) <= (range.max ?? Infinity)) return range;
    }
  }
  const segments = SEGMENTS.filter(([pattern]) => pattern.test(text));
  if (segments.length === 0) return undefined;
  const mins = segments.map(([, , r]) => r.min ?? 1);
  const maxes = segments.map(([, , r]) => r.max);
  const max = maxes.includes(undefined) ? undefined : Math.max(...maxes.map((m) => m ?? 0));
  return {
    min: Math.min(...mins),
    ...(max === undefined ? {} : { max }),
    segment: segments.map(([, name]) => name).join('+'),
  };
}

// ---- decision-makers

const SENIORITY_WORDS: readonly [RegExp, Seniority][] = [
  [/\b(?:vp|vps|svp|evp|avp|vice[- ]presidents?)\b/i, 'vp'],
  [
    /\b(?:ceo|cto|cfo|coo|cro|cmo|cio|ciso|cpo|cdo|chro|cxo)s?\b|\bchief\b|\b(?:co-?)?founders?\b|\bowners?\b|\bpresidents?\b/i,
    'c_level',
  ],
  [/\bheads? of\b|\bdirectors?\b/i, 'director'],
  [/\bmanagers?\b/i, 'manager'],
  [
    /\b(?:account executives?|aes?|sdrs?|bdrs?|reps?|representatives?|analysts?|specialists?|engineers?|developers?|coordinators?|admins?|administrators?)\b/i,
    'individual_contributor',
  ],
];

/** Department ids, most specific first (revenue operations before sales). */
const DEPARTMENT_WORDS: readonly [RegExp, string][] = [
  [
    /\brev(?:enue)?[- ]?ops\b|\brevenue operations\b|\bsales op(?:eration)?s\b|\bmarketing op(?:eration)?s\b|\bgtm op(?:eration)?s\b/i,
    'revops',
  ],
  [
    /\bsales\b|\bcros?\b|\bchief revenue\b|\brevenue\b|\baccount executives?\b|\b[sb]drs?\b|\baes?\b/i,
    'sales',
  ],
  [/\bmarketing\b|\bcmos?\b|\bdemand gen(?:eration)?\b|\bgrowth\b/i, 'marketing'],
  [/\bfinance\b|\bcfos?\b|\bcontrollers?\b|\bfp&a\b|\baccounting\b|\btreasur(?:y|er)\b/i, 'finance'],
  [/\bIT\b|\bCIOs?\b|\b[Ii]nformation [Tt]echnology\b/, 'it'],
  [/\bcisos?\b|\bsecurity\b/i, 'security'],
  [/\bengineering\b|\bctos?\b|\bengineers?\b|\bdevelopers?\b/i, 'engineering'],
  [/\bproduct\b|\bcpos?\b/i, 'product'],
  [/\bcustomer success\b|\bcs\b|\bsupport\b/i, 'customer_success'],
  [/\bhr\b|\bchros?\b|\bpeople\b|\bhuman resources\b|\btalent\b/i, 'hr'],
  [/\blegal\b|\bgeneral counsel\b/i, 'legal'],
  [/\boperations\b|\bcoos?\b|\bops\b/i, 'operations'],
];

const CONNECTOR = /^(?:of|for|and|&|-)$/i;
const ANY_TITLE_WORD = new RegExp(
  [...SENIORITY_WORDS, ...DEPARTMENT_WORDS].map(([p]) => `(?:${p.source})`).join('|'),
  'i',
);

function seniorityOf(title: string): Seniority | undefined {
  return SENIORITY_WORDS.find(([pattern]) => pattern.test(title))?.[1];
}

function departmentOf(title: string): string | undefined {
  return DEPARTMENT_WORDS.find(([pattern]) => pattern.test(title))?.[1];
}

/** Departments named anywhere; a matched phrase is used up, so `Revenue Operations` is not also `operations`. */
function departmentsIn(text: string): string[] {
  let rest = text;
  const out: string[] = [];
  for (const [pattern, id] of DEPARTMENT_WORDS) {
    const all = new RegExp(pattern.source, `${pattern.flags}g`);
    if (!all.test(rest)) continue;
    out.push(id);
    rest = rest.replace(all, ' ');
  }
  return out;
}

/** The run of title-like words around each seniority keyword: `the CFO signs off` → `CFO`. */
function titleAround(segment: string): string | undefined {
  const words = segment.split(/\s+/).filter((w) => w !== '');
  const at = words.findIndex(
    (w, i) =>
      SENIORITY_WORDS.some(([p]) => p.test(w) || p.exec(`${w} ${words[i + 1] ?? ''}`)?.index === 0) ||
      /^(?:heads?|vice|chief)$/i.test(w),
  );
  if (at < 0) return undefined;
  const titleWord = (w: string) => /^[A-Z(]/.test(w) || CONNECTOR.test(w) || ANY_TITLE_WORD.test(w);
  let start = at;
  while (start > 0 && titleWord(words[start - 1] ?? '') && !CONNECTOR.test(words[start - 1] ?? ''))
    start -= 1;
  let end = at + 1;
  while (end < words.length && titleWord(words[end] ?? '')) end += 1;
  while (end > at + 1 && CONNECTOR.test(words[end - 1] ?? '')) end -= 1;
  return words
    .slice(start, end)
    .join(' ')
    .replace(/[.,:;]+$/, '');
}

export function decisionMakersIn(text: string): DecisionMaker[] {
  const out: DecisionMaker[] = [];
  for (const segment of text.split(/\s*(?:[,;()]|\band\b|\bor\b|\/)\s*/i)) {
    const title = titleAround(segment.trim());
    if (title === undefined || out.some((d) => d.title.toLowerCase() === title.toLowerCase())) continue;
    const seniority = seniorityOf(title);
    const department = departmentOf(title.replace(/\bvice[- ]presidents?\b|\bpresidents?\b/gi, ''));
    out.push({ title, ...(seniority ? { seniority } : {}), ...(department ? { department } : {}) });
  }
  return out;
}
