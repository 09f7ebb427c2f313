/**
 * A page view's catalog category: what the call states, else the configured path rules, else a
 * guess from the URL path (`/pricing` → pricing, `/blog/…` → blog, `/` → homepage). Pure.
 */
import { PAGE_CATEGORIES } from '../../core/events/catalog.ts';

/** One of the catalog's page categories. */
export type PageCategory = (typeof PAGE_CATEGORIES)[number];

/** `inbound.segment.pages`: a path prefix and the category of the pages under it. */
export interface PageRule {
  readonly path: string;
  readonly category: PageCategory;
}

const GUESSES: readonly (readonly [RegExp, PageCategory])[] = [
  [/(^|\/)(pricing|plans?)(\/|$)/, 'pricing'],
  [/(^|[/-])roi([/-]|$)/, 'roi_calculator'],
  [/(^|[/-])demo([/-]|$)/, 'demo'],
  [/case-stud|customer-stor|(^|\/)customers\//, 'case_study'],
  [/(^|\/)(compare|comparison|alternatives?|vs)(\/|$)|-vs-/, 'comparison'],
  [/(^|\/)(careers|jobs)(\/|$)/, 'careers'],
  [/(^|\/)blog(\/|$)/, 'blog'],
];

function isCategory(value: string): value is PageCategory {
  return (PAGE_CATEGORIES as readonly string[]).includes(value);
}

/** The lower-cased path of a URL (absolute or a bare path) without a trailing slash; `/` for the root. */
export function pathOf(url: string): string | undefined {
  let pathname: string;
  try {
    pathname = new URL(url, 'https://host.invalid').pathname;
  } catch {
    return undefined;
  }
  const path = pathname.toLowerCase().replace(/\/+$/, '');
  return path === '' ? '/' : path;
}

/** Never throws; `other` when nothing tells. */
export function pageCategory(
  stated: readonly unknown[],
  url: string | undefined,
  rules: readonly PageRule[],
): PageCategory {
  for (const value of stated) {
    if (typeof value !== 'string') continue;
    const key = value
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_');
    if (isCategory(key)) return key;
  }
  const path = url === undefined ? undefined : pathOf(url);
  if (path === undefined) return 'other';
  for (const rule of rules) {
    const prefix = rule.path.toLowerCase().replace(/\/+$/, '');
    if (path === (prefix === '' ? '/' : prefix) || (prefix !== '' && path.startsWith(`${prefix}/`)))
      return rule.category;
  }
  if (path === '/') return 'homepage';
  return GUESSES.find(([pattern]) => pattern.test(path))?.[1] ?? 'other';
}
