/**
 * Scoring a contact as the engine keeps it: the contact's memory of past events, its attributes
 * and its account, at an instant. One function for the ingest path, the decay sweep and reports.
 */
import { ruleContext } from '../contact/ruleContext.ts';
import { emailDomain } from '../identity/domains.ts';
import type { AccountState, ContactScore, ContactState, Millis } from '../types.ts';
import { emptyMemory } from './memory.ts';
import type { ScoringModel } from './model.ts';
import { scoreContact, type ScoreResult } from './score.ts';

export interface ScoringSetup {
  readonly model: ScoringModel;
  readonly competitorDomains: readonly string[];
  readonly studentDomains: readonly string[];
}

/** The full result (with the ledger) for `contact` at `now`. */
export function scoreContactAt(
  contact: ContactState,
  account: AccountState | undefined,
  setup: ScoringSetup,
  isFreeMail: (domain: string) => boolean,
  now: Millis,
): ScoreResult {
  return scoreContact({
    memory: contact.scoring ?? emptyMemory(),
    context: ruleContext(contact, account, undefined, isFreeMail),
    model: setup.model,
    now,
    ...(contact.email === undefined ? {} : { emailDomain: emailDomain(contact.email) }),
    isFreeMail,
    competitorDomains: setup.competitorDomains,
    studentDomains: setup.studentDomains,
    createdAt: contact.createdAt,
  });
}

/** The stored summary of a result. */
export function scoreSummary(result: ScoreResult, at: Millis): ContactScore {
  return {
    fit: result.fit,
    engagement: result.engagement,
    negative: result.negative,
    total: result.total,
    mql: result.mql,
    at,
  };
}
