/**
 * Rescoring stored contacts at an instant (the decay sweep, a model change): each contact's score
 * and next decay step are rewritten, upward MQL crossings write `mql` effects, and each account's
 * roll-up takes its contacts' new totals — all inside the caller's transaction.
 */
import type { DecisionModel } from '../core/contact/decide.ts';
import type { StoreTx } from '../core/ports.ts';
import { rollUpAccount } from '../core/scoring/account.ts';
import { applyScore, memoryIsStale, rebuildMemory } from '../core/scoring/contactScore.ts';
import type { AccountState, ContactState, Millis } from '../core/types.ts';
import { Writes } from './writes.ts';

export async function rescore(
  tx: StoreTx,
  contacts: readonly ContactState[],
  model: DecisionModel,
  now: Millis,
): Promise<void> {
  const scoring = model.scoring;
  if (scoring === undefined || contacts.length === 0) return;
  const domains = [
    ...new Set(contacts.flatMap((c) => (c.accountDomain === undefined ? [] : [c.accountDomain]))),
  ];
  const accounts = new Map((await tx.findAccounts(domains)).map((a) => [a.domain, a]));
  const freshened = await freshenMemories(tx, contacts, accounts, model);
  const writes = new Writes();
  for (const contact of freshened.contacts) {
    const account = contact.accountDomain === undefined ? undefined : accounts.get(contact.accountDomain);
    const scored = applyScore(contact, account, scoring, model.isFreeMail, now);
    const score = scored.contact.score;
    if (score === undefined) continue;
    // A rebuilt memory is written with the whole row; otherwise only the score columns change.
    if (freshened.rebuilt.has(contact.key)) writes.contacts.set(contact.key, scored.contact);
    else writes.scores.push({ key: contact.key, score, nextDecayAt: scored.contact.nextDecayAt });
    writes.addEffects(scored.effects);
    if (account !== undefined) {
      const rolled = rollUpAccount(
        account,
        { key: contact.key, score, lastActivityAt: contact.lastActivityAt },
        scoring.model,
        now,
      );
      accounts.set(account.domain, rolled.account);
      writes.accounts.set(account.domain, rolled.account);
      writes.addEffects(rolled.effects);
    }
  }
  await writes.flush(tx);
}

/**
 * Contacts whose scoring memory another model made (or none did) get it rebuilt from their stored
 * events, so a changed signal or fast-track rule counts the past as if it had always been there.
 */
export async function freshenMemories(
  tx: StoreTx,
  contacts: readonly ContactState[],
  accounts: ReadonlyMap<string, AccountState>,
  model: DecisionModel,
): Promise<{ contacts: ContactState[]; rebuilt: Set<string> }> {
  const scoring = model.scoring;
  const stale = scoring === undefined ? [] : contacts.filter((c) => memoryIsStale(c, scoring));
  if (scoring === undefined || stale.length === 0) return { contacts: [...contacts], rebuilt: new Set() };
  const events = await tx.eventsOf(stale.map((c) => c.key));
  const rebuilt = new Set(stale.map((c) => c.key));
  return {
    contacts: contacts.map((c) => {
      if (!rebuilt.has(c.key)) return c;
      const account = c.accountDomain === undefined ? undefined : accounts.get(c.accountDomain);
      const scoringMemory = rebuildMemory(c, account, events.get(c.key) ?? [], scoring, model.isFreeMail);
      return Object.assign({}, c, { scoring: scoringMemory });
    }),
    rebuilt,
  };
}
