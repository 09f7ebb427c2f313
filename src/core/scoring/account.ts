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
  const members = Object.assign({}, account.members, { [contact.key]: member });
  const list = Object.values(members);
  const rule = model.account.buyingCommittee;
  const engaged = engagedContacts(list, rule, at);
  const committee = engaged >= rule.contacts;
  const next: AccountState = Object.assign({}, account, {
    members,
    score: {
      total: accountScore(
        list.map((m) => m.total),
        model.account.rollup,
      ),
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
