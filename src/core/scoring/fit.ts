/**
 * Fit (explicit scoring): per group, the first bucket in listed order whose conditions all hold
 * (`when`, an inclusive `range`, an `in` list). A bucket with no condition matches anyone.
 */
import type { RuleContext, RuleValue } from '../rule.ts';
import type { FitBucketModel, FitGroupModel } from './model.ts';

export interface FitMatch {
  readonly group: FitGroupModel;
  readonly bucket: FitBucketModel;
  readonly reason: string;
}

type Level<T> = WeakMap<object, T>;

/**
 * Fit matches by groups, then by the context's `contact`, `company` and `account` objects. Fit reads
 * only those three (bucket conditions have the attributes scope; shorthand attributes are
 * `contact.`, `company.` or `account.`), and a decision's contexts share them while the contact's
 * attributes and account are unchanged (core/contact/ruleContext.ts): every event of a known lead
 * rescored it from scratch before. Groups none of whose buckets reads `account` are kept under one
 * account key: the account's object changes on every event that moves its score.
 */
const FIT_CACHE = new WeakMap<readonly FitGroupModel[], Level<Level<Level<readonly FitMatch[]>>>>();

function level<K extends object, T>(map: WeakMap<K, T>, key: K, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

/** The matching bucket of each group that has one, in group order. Read the result; do not change it. */
export function fitMatches(groups: readonly FitGroupModel[], context: RuleContext): readonly FitMatch[] {
  const { contact, company, account } = context;
  if (!isObject(contact) || !isObject(company) || !isObject(account)) return matchGroups(groups, context);
  const byAccount = level(
    level(
      level(FIT_CACHE, groups, () => new WeakMap()),
      contact,
      () => new WeakMap(),
    ),
    company,
    () => new WeakMap<object, readonly FitMatch[]>(),
  );
  // Groups that never read `account` match the same whatever the account: a page view that moves the
  // account's score (a new `account` object) finds its contact's fit where the last event left it.
  return level(byAccount, readsAccount(groups) ? account : ANY_ACCOUNT, () => matchGroups(groups, context));
}

/** The account key of groups whose buckets never read `account`. */
const ANY_ACCOUNT = Object.freeze({});
const READS_ACCOUNT = new WeakMap<readonly FitGroupModel[], boolean>();

/** Whether a bucket of `groups` reads `account` (a condition whose reads are unknown counts as reading it). */
function readsAccount(groups: readonly FitGroupModel[]): boolean {
  let reads = READS_ACCOUNT.get(groups);
  if (reads === undefined) {
    reads = groups.some((group) =>
      group.buckets.some(
        (bucket) =>
          (bucket.when !== undefined && (bucket.when.reads?.includes('account') ?? true)) ||
          keysOf(bucket.range?.attribute ?? '')[0] === 'account' ||
          keysOf(bucket.in?.attribute ?? '')[0] === 'account',
      ),
    );
    READS_ACCOUNT.set(groups, reads);
  }
  return reads;
}

function matchGroups(groups: readonly FitGroupModel[], context: RuleContext): readonly FitMatch[] {
  const out: FitMatch[] = [];
  for (const group of groups) {
    for (const bucket of group.buckets) {
      const reason = bucketReason(bucket, context);
      if (reason === undefined) continue;
      out.push({ group, bucket, reason });
      break;
    }
  }
  return out;
}

/** The fit maximum: each group's best bucket (never below zero), added up. */
export function fitMaximum(groups: readonly FitGroupModel[]): number {
  return groups.reduce((sum, g) => sum + Math.max(0, ...g.buckets.map((b) => b.points)), 0);
}

/** Why the bucket matches, or `undefined` when it does not. */
function bucketReason(bucket: FitBucketModel, context: RuleContext): string | undefined {
  const reasons: string[] = [];
  if (bucket.when !== undefined) {
    if (!bucket.when.evaluate(context)) return undefined;
    reasons.push(`\`${bucket.when.source}\``);
  }
  if (bucket.range !== undefined) {
    const { attribute, min, max } = bucket.range;
    const value = numeric(lookup(context, attribute));
    if (value === undefined || (min !== undefined && value < min) || (max !== undefined && value > max)) {
      return undefined;
    }
    reasons.push(`${attribute} = ${value} in ${min ?? '−∞'}..${max ?? '∞'}`);
  }
  if (bucket.in !== undefined) {
    const { attribute, values } = bucket.in;
    const wanted = lowerCased(values);
    const value = lookup(context, attribute);
    const candidates = Array.isArray(value) ? value : [value];
    const hit = candidates.find(
      (v): v is string | number | boolean =>
        (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') &&
        wanted.has(String(v).toLowerCase()),
    );
    if (hit === undefined) return undefined;
    reasons.push(`${attribute} = ${JSON.stringify(hit)} is one of ${values.join(', ')}`);
  }
  return reasons.length > 0 ? reasons.join(' and ') : 'matches anyone';
}

const LOWER = new WeakMap<readonly string[], ReadonlySet<string>>();

/** A list from the config lower-cased (an `in` list, `onlyVisited`), once per list. */
export function lowerCased(values: readonly string[]): ReadonlySet<string> {
  let set = LOWER.get(values);
  if (set === undefined) {
    set = new Set(values.map((v) => v.toLowerCase()));
    LOWER.set(values, set);
  }
  return set;
}

/** `company.employees` read from a rule context. */
export function lookup(context: RuleContext, path: string): RuleValue | undefined {
  const keys = keysOf(path);
  let value: RuleValue | undefined = context[keys[0] ?? ''];
  for (let i = 1; i < keys.length; i++) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    value = (value as { readonly [key: string]: RuleValue | undefined })[keys[i] ?? ''];
  }
  return value;
}

/** Each path's keys: the paths come from the config and the code, a few dozen of them. */
const PATH_KEYS = new Map<string, readonly string[]>();

function keysOf(path: string): readonly string[] {
  let keys = PATH_KEYS.get(path);
  if (keys === undefined) {
    keys = Object.freeze(path.split('.'));
    if (PATH_KEYS.size >= 1000) PATH_KEYS.clear();
    PATH_KEYS.set(path, keys);
  }
  return keys;
}

function numeric(value: RuleValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}
