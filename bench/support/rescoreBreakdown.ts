/**
 * The rescore's own work without the store: `applyScore` and the account roll-up over contacts and
 * accounts already in memory, contact by contact as `rescore` does it, with the decision model the
 * engine runs.
 */
import type { DecisionModel } from '../../src/core/contact/decide.ts';
import { rollUpAccount } from '../../src/core/scoring/account.ts';
import { applyScore } from '../../src/core/scoring/contactScore.ts';
import type { AccountState, ContactState, Millis } from '../../src/core/types.ts';

/** Milliseconds to rescore `contacts` at `now` in memory; `mql` counts the MQLs (a sink for the work). */
export function scoreOnly(
  contacts: readonly ContactState[],
  accountList: readonly AccountState[],
  model: DecisionModel,
  now: Millis,
): { ms: number; mql: number } {
  const scoring = model.scoring;
  if (scoring === undefined) throw new Error('the model has no scoring section');
  const accounts = new Map(accountList.map((a) => [a.domain, a]));
  let mql = 0;
  const started = performance.now();
  for (const contact of contacts) {
    const account = contact.accountDomain === undefined ? undefined : accounts.get(contact.accountDomain);
    const scored = applyScore(contact, account, scoring, model.isFreeMail, now);
    const score = scored.contact.score;
    if (score === undefined) continue;
    if (score.mql) mql++;
    if (account !== undefined) {
      const member = { key: contact.key, score, lastActivityAt: contact.lastActivityAt };
      accounts.set(account.domain, rollUpAccount(account, member, scoring.model, now).account);
    }
  }
  return { ms: performance.now() - started, mql };
}
