/**
 * Company-name matching against named accounts, the reference's secondary ABM match: a lead whose
 * email domain is not a named account but whose company name is close to one goes to manual review,
 * never silently to the account owner.
 */
import { distance } from 'fastest-levenshtein';
import { IdentityCache } from '../identityCache.ts';
import type { NamedAccountModel, RoutingModel } from './model.ts';

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
  const words = asciiWords(name) ?? unicodeWords(name);
  let end = words.length;
  while (end > 1 && LEGAL_SUFFIXES.has(words[end - 1] ?? '')) end--;
  return (end === words.length ? words : words.slice(0, end)).join(' ');
}

function unicodeWords(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * Calls `word(start, end)` for each run of ASCII letters and digits in `name`, in order: the words of
 * a plain ASCII name (nearly all of them), found without the Unicode machinery — within ASCII, letters
 * and digits are [A-Za-z0-9] and nothing decomposes. Stops early when `word` returns false. Returns
 * false, at the first one, when `name` has a character outside printable ASCII (the words found so
 * far are not the name's), true otherwise.
 */
function eachAsciiWord(name: string, word: (start: number, end: number) => boolean): boolean {
  let start = -1;
  for (let i = 0; i <= name.length; i++) {
    const code = i < name.length ? name.charCodeAt(i) : 32;
    if (code < 0x20 || code > 0x7e) return false;
    // `| 32` folds A-Z onto a-z and leaves 0-9 where they are.
    const c = code | 32;
    const alnum = (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
    if (alnum) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (!word(start, i)) return true;
      start = -1;
    }
  }
  return true;
}

/** The lower-cased words of a plain ASCII name; undefined when it is not one. */
function asciiWords(name: string): string[] | undefined {
  const words: string[] = [];
  const ascii = eachAsciiWord(name, (start, end) => words.push(name.slice(start, end).toLowerCase()) > 0);
  return ascii ? words : undefined;
}

/** Word bounds (start, end) of the name being measured; reused, so measuring allocates no array. */
const BOUNDS = new Int32Array(256);
/** The legal-form words by length, to compare a word against in place. */
const LEGAL_BY_LENGTH: readonly (readonly string[])[] = (() => {
  const byLength: string[][] = [];
  for (const word of LEGAL_SUFFIXES) (byLength[word.length] ??= []).push(word);
  return Array.from(byLength, (words) => words ?? []);
})();

/** Whether `name[from, to)`, an ASCII word, is a legal form in any case (`Ltd`, `GMBH`). */
function isLegalWord(name: string, from: number, to: number): boolean {
  const candidates = LEGAL_BY_LENGTH[to - from];
  if (candidates === undefined) return false;
  for (const word of candidates) {
    let i = 0;
    // `| 32` lower-cases a letter; legal words are letters only, so a digit never matches.
    while (i < word.length && (name.charCodeAt(from + i) | 32) === word.charCodeAt(i)) i++;
    if (i === word.length) return true;
  }
  return false;
}

/**
 * The length of `normalizeCompanyName(name)` for a printable-ASCII name, without building it; -1
 * when the name has a character outside printable ASCII or more words than it measures (the caller
 * then normalises it). One pass, no text built: every routed lead outside the named domains is
 * measured.
 */
export function asciiNormalLength(name: string): number {
  let words = 0;
  let start = -1;
  const length = name.length;
  for (let i = 0; i <= length; i++) {
    const code = i < length ? name.charCodeAt(i) : 32;
    if (code < 0x20 || code > 0x7e) return -1;
    // `| 32` folds A-Z onto a-z and leaves 0-9 where they are.
    const c = code | 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (2 * words + 1 >= BOUNDS.length) return -1;
      BOUNDS[2 * words] = start;
      BOUNDS[2 * words + 1] = i;
      words++;
      start = -1;
    }
  }
  let end = words;
  while (end > 1 && isLegalWord(name, BOUNDS[2 * (end - 1)] ?? 0, BOUNDS[2 * (end - 1) + 1] ?? 0)) end--;
  let normal = end > 0 ? end - 1 : 0;
  for (let w = 0; w < end; w++) normal += (BOUNDS[2 * w + 1] ?? 0) - (BOUNDS[2 * w] ?? 0);
  return normal;
}

/**
 * Which normalised lengths can be `threshold` similar to at least one of `lengths`, by length alone:
 * `reach[x]` is 1 when some named account's name is within reach of a name of length x; lengths past
 * the table's end reach none.
 */
function reachTable(lengths: readonly number[], threshold: number): Uint8Array {
  const longest = Math.max(0, ...lengths);
  // Past longest / threshold no length is within reach (x ≥ y and y/x < threshold); one spare slot.
  const size = Math.min(1 << 20, Math.ceil(longest / Math.max(threshold, 1e-6)) + 2);
  const reach = new Uint8Array(size);
  for (let x = 0; x < size; x++) {
    if (lengths.some((y) => withinReach(x, y, threshold))) reach[x] = 1;
  }
  return reach;
}

/** Whether two normalised names of these lengths can be `threshold` similar (distance ≥ length difference). */
function withinReach(x: number, y: number, threshold: number): boolean {
  const longest = Math.max(x, y);
  return longest === 0 || 1 - Math.abs(x - y) / longest >= threshold;
}

/** 1 − levenshtein/maxLength of two normalised names, in [0, 1]; 0 when either is empty. */
function similarity(x: string, y: string): number {
  if (x.length === 0 || y.length === 0) return 0;
  return 1 - distance(x, y) / Math.max(x.length, y.length);
}

/** 1 − levenshtein/maxLength of the normalised names, in [0, 1]; 0 when either is empty. */
export function companySimilarity(a: string, b: string): number {
  return similarity(normalizeCompanyName(a), normalizeCompanyName(b));
}

interface NormalisedAccounts {
  readonly list: readonly {
    readonly account: NamedAccountModel;
    readonly name: string;
    readonly normal: string;
  }[];
  /** Which lengths can reach the threshold (see `reachTable`). */
  readonly reach: Uint8Array;
}

/** Named accounts with a name, normalised once per model and threshold. */
const NORMALISED = new IdentityCache(
  (accounts: ReadonlyMap<string, NamedAccountModel>, threshold: number): NormalisedAccounts => {
    const list = [...accounts.values()].flatMap((account) =>
      account.name === undefined
        ? []
        : [{ account, name: account.name, normal: normalizeCompanyName(account.name) }],
    );
    const reach = reachTable(
      list.map((a) => a.normal.length),
      threshold,
    );
    return { list, reach };
  },
);

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
  const { list: accounts, reach } = NORMALISED.get(model.namedAccounts, model.fuzzyNameMatch.threshold);
  if (accounts.length === 0) return [];
  const threshold = model.fuzzyNameMatch.threshold;
  // The usual lead is nowhere near any named account's length: found without normalising its name.
  const length = asciiNormalLength(name);
  if (length >= 0 && reach[length] !== 1) return [];
  const matches: { domain: string; name: string; exact: number }[] = [];
  const x = normalizeCompanyName(name);
  for (const { account, name: accountName, normal } of accounts) {
    // The distance is at least the difference in length: skip names that cannot reach the threshold.
    if (!withinReach(x.length, normal.length, threshold)) continue;
    const exact = similarity(x, normal);
    if (exact >= threshold) matches.push({ domain: account.domain, name: accountName, exact });
  }
  matches.sort((a, b) => b.exact - a.exact || (a.domain < b.domain ? -1 : a.domain > b.domain ? 1 : 0));
  return matches.map((m) => ({ domain: m.domain, name: m.name, score: Math.round(m.exact * 1e4) / 1e4 }));
}
