/**
 * Account-level scoring: the account score rolled up from its contacts' totals, and the
 * buying-committee signal (enough engaged contacts active within a window).
 */
import type { Millis } from '../types.ts';
import { durationMs } from './decay.ts';
import type { BuyingCommitteeRule, Rollup } from './model.ts';

/** Sum (default), max or average of the contacts' totals; 0 for an account without contacts. */
export function accountScore(contactTotals: readonly number[], rollup: Rollup = 'sum'): number {
  if (contactTotals.length === 0) return 0;
  switch (rollup) {
    case 'sum':
      return contactTotals.reduce((a, b) => a + b, 0);
    case 'max':
      return Math.max(...contactTotals);
    case 'average':
      return contactTotals.reduce((a, b) => a + b, 0) / contactTotals.length;
  }
}

export interface EngagedContact {
  /** Engagement points (after decay). */
  readonly engagement: number;
  readonly lastActivityAt?: Millis | undefined;
}

/** How many contacts are engaged (engagement ≥ `minEngagement`) with activity in `[now − within, now]`. */
export function engagedContacts(
  contacts: readonly EngagedContact[],
  rule: BuyingCommitteeRule,
  now: Millis,
): number {
  const since = now - durationMs(rule.within);
  return contacts.filter(
    (c) =>
      c.engagement >= rule.minEngagement &&
      c.lastActivityAt !== undefined &&
      c.lastActivityAt >= since &&
      c.lastActivityAt <= now,
  ).length;
}

/** True when at least `rule.contacts` contacts are engaged within the window. */
export function buyingCommittee(
  contacts: readonly EngagedContact[],
  rule: BuyingCommitteeRule,
  now: Millis,
): boolean {
  return engagedContacts(contacts, rule, now) >= rule.contacts;
}
