/**
 * Company-name matching against named accounts, the reference's secondary ABM match: a lead whose
 * email domain is not a named account but whose company name is close to one goes to manual review,
 * never silently to the account owner.
 */
import { distance } from 'fastest-levenshtein';
import type { RoutingModel } from './model.ts';

/** Legal-form words dropped from the end of a name (`Globex Corp.` ≈ `Globex Corporation`). */
export const LEGAL_SUFFIXES: ReadonlySet<string> = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lp',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'sarl',
  'srl',
  'spa',
  'bv',
  'nv',
  'oy',
  'ab',
  'as',
  'pty',
  'kk',
]);

/**
 * The comparable form of a company name: lower case, accents and punctuation removed, single spaces,
 * trailing legal forms dropped (`Acme Co., Ltd.` → `acme`). A name made only of legal words keeps them.
 */
export function normalizeCompanyName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 0);
  let end = words.length;
  while (end > 1 && LEGAL_SUFFIXES.has(words[end - 1] ?? '')) end--;
  return words.slice(0, end).join(' ');
}

/** 1 − levenshtein/maxLength of the normalised names, in [0, 1]; 0 when either is empty. */
export function companySimilarity(a: string, b: string): number {
  const x = normalizeCompanyName(a);
  const y = normalizeCompanyName(b);
  if (x.length === 0 || y.length === 0) return 0;
  return 1 - distance(x, y) / Math.max(x.length, y.length);
}

export interface NameMatch {
  readonly domain: string;
  readonly name: string;
  /** Similarity in [0, 1], rounded to 4 decimals. */
  readonly score: number;
}

/**
 * Named accounts whose `name` is at least `fuzzyNameMatch.threshold` similar to `name`, best first
 * (ties by domain). Ignores `fuzzyNameMatch.enabled`: the caller decides whether to look.
 */
export function fuzzyNamedAccounts(
  name: string,
  model: Pick<RoutingModel, 'namedAccounts' | 'fuzzyNameMatch'>,
): NameMatch[] {
  const matches: { domain: string; name: string; exact: number }[] = [];
  for (const account of model.namedAccounts.values()) {
    if (account.name === undefined) continue;
    const exact = companySimilarity(name, account.name);
    if (exact >= model.fuzzyNameMatch.threshold) {
      matches.push({ domain: account.domain, name: account.name, exact });
    }
  }
  matches.sort((a, b) => b.exact - a.exact || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  return matches.map((m) => ({ domain: m.domain, name: m.name, score: Math.round(m.exact * 1e4) / 1e4 }));
}
