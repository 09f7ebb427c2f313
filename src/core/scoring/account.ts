/**
 * Account-level scoring: the account score rolled up from its contacts' totals, and the
 * buying-committee signal (enough engaged contacts active within a window).
 */
import type { OutboxEffect } from '../effects.ts';
import type { AccountMember, AccountState, ContactKey, ContactScore, Millis } from '../types.ts';
import { durationMs } from './decay.ts';
import type { BuyingCommitteeRule, Rollup, ScoringModel } from './model.ts';

/** Sum (default), max or average of the contacts' totals; 0 for an account without contacts. */
export function accountScore(contactTotals: readonly number[], rollup: Rollup = 'sum'): number {
  const totals = new Totals();
  for (const total of contactTotals) totals.add(total);
  return totals.result(rollup);
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
  return contacts.filter((c) => isEngaged(c, rule, since, now)).length;
}

/** Engaged: at least `minEngagement` points and activity in `[since, now]`. */
function isEngaged(c: EngagedContact, rule: BuyingCommitteeRule, since: Millis, now: Millis): boolean {
  return (
    c.engagement >= rule.minEngagement &&
    c.lastActivityAt !== undefined &&
    c.lastActivityAt >= since &&
    c.lastActivityAt <= now
  );
}

/** `accountScore` fed one total at a time, in order (the same sum, max and average). */
class Totals {
  private sum = 0;
  private max = -Infinity;
  private count = 0;

  add(total: number): void {
    this.sum += total;
    if (total > this.max) this.max = total;
    this.count += 1;
  }

  result(rollup: Rollup = 'sum'): number {
    if (this.count === 0) return 0;
    switch (rollup) {
      case 'sum':
        return this.sum;
      case 'max':
        return this.max;
      case 'average':
        return this.sum / this.count;
    }
  }
}

/** True when at least `rule.contacts` contacts are engaged within the window. */
export function buyingCommittee(
  contacts: readonly EngagedContact[],
  rule: BuyingCommitteeRule,
  now: Millis,
): boolean {
  return engagedContacts(contacts, rule, now) >= rule.contacts;
}

/**
 * The account after one of its contacts was (re)scored at `at`: the contact's member entry is
 * replaced, the roll-up and the committee count recomputed. Moving from under to at-or-over the
 * committee size yields one `buying_committee` outbox effect for the account owner (`unassigned`
 * until routing gives the account one); falling back under re-arms it.
 */
export function rollUpAccount(
  account: AccountState,
  contact: {
    readonly key: ContactKey;
    readonly score: ContactScore;
    readonly lastActivityAt?: Millis | undefined;
  },
  model: Pick<ScoringModel, 'account'>,
  at: Millis,
): { account: AccountState; effects: OutboxEffect[] } {
  const member: AccountMember =
    contact.lastActivityAt === undefined
      ? { total: contact.score.total, engagement: contact.score.engagement, at: contact.score.at }
      : {
          total: contact.score.total,
          engagement: contact.score.engagement,
          lastActivityAt: contact.lastActivityAt,
          at: contact.score.at,
        };
  // One pass over the members, no intermediate lists: this runs for every event about a lead. The
  // new record keeps the old key order (the contact's entry in its place, or last when new), and
  // the totals are summed in that order: the same numbers as `accountScore` over `Object.values`.
  const rule = model.account.buyingCommittee;
  const since = at - durationMs(rule.within);
  const members: Record<ContactKey, AccountMember> = {};
  const totals = new Totals();
  let engaged = 0;
  const add = (key: ContactKey, m: AccountMember): void => {
    members[key] = m;
    totals.add(m.total);
    if (isEngaged(m, rule, since, at)) engaged += 1;
  };
  const before = account.members;
  let placed = false;
  if (before !== undefined) {
    for (const key of Object.keys(before)) {
      if (key === contact.key) {
        add(key, member);
        placed = true;
      } else {
        const m = before[key];
        if (m !== undefined) add(key, m);
      }
    }
  }
  if (!placed) add(contact.key, member);
  const committee = engaged >= rule.contacts;
  const next: AccountState = Object.assign({}, account, {
    members,
    score: {
      total: totals.result(model.account.rollup),
      engagedContacts: engaged,
      buyingCommittee: committee,
      at,
    },
  });
  const effects: OutboxEffect[] = [];
  if (committee && account.score?.buyingCommittee !== true) {
    effects.push({
      kind: 'outbox',
      key: `buying_committee:${account.domain}:${at}`,
      type: 'buying_committee',
      contactKey: contact.key,
      at,
      payload: {
        to: account.owner === undefined ? 'unassigned' : `rep:${account.owner}`,
        account: account.domain,
        engagedContacts: engaged,
        within: rule.within.source,
      },
    });
  }
  return { account: next, effects };
}
