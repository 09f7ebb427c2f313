/**
 * Scoring a contact as the engine keeps it: the contact's memory of past events, its attributes
 * and its account, at an instant. One function for the ingest path, the decay sweep and reports.
 */
import type { Building } from '../building.ts';
import { ruleContext } from '../contact/ruleContext.ts';
import { emailDomain } from '../identity/domains.ts';
import type { OutboxEffect } from '../effects.ts';
import type { AccountState, ContactScore, ContactState, InboundEvent, Millis } from '../types.ts';
import { emptyMemory, observeAll, type ScoringMemory } from './memory.ts';
import type { ScoringModel } from './model.ts';
import { scoreContact, type ScoreInput, type ScoreResult } from './score.ts';

export interface ScoringSetup {
  readonly model: ScoringModel;
  readonly competitorDomains: readonly string[];
  readonly studentDomains: readonly string[];
  /** `memoryFingerprint(model)`: memories made by another model are rebuilt from events. */
  readonly fingerprint: string;
}

/** The full result (with the ledger) for `contact` at `now`. */
export function scoreContactAt(
  contact: ContactState,
  account: AccountState | undefined,
  setup: ScoringSetup,
  isFreeMail: (domain: string) => boolean,
  now: Millis,
): ScoreResult {
  const input: Building<ScoreInput> = {
    memory: contact.scoring ?? emptyMemory(),
    context: ruleContext(contact, account, undefined, isFreeMail),
    model: setup.model,
    now,
  };
  if (contact.email !== undefined) input.emailDomain = emailDomain(contact.email);
  input.isFreeMail = isFreeMail;
  input.competitorDomains = setup.competitorDomains;
  input.studentDomains = setup.studentDomains;
  input.createdAt = contact.createdAt;
  return scoreContact(input as ScoreInput);
}

/**
 * Rescores `contact` (whose memory is up to date) at `at` and stores the summary and the next
 * decay step on it; an upward MQL crossing yields one `mql` outbox effect. A lead that decayed
 * below the rule and crosses it again qualifies again.
 */
export function applyScore(
  contact: ContactState,
  account: AccountState | undefined,
  setup: ScoringSetup,
  isFreeMail: (domain: string) => boolean,
  at: Millis,
): { contact: ContactState; effects: OutboxEffect[] } {
  const result = scoreContactAt(contact, account, setup, isFreeMail, at);
  const { nextDecayAt: _previous, ...rest } = contact;
  const next: ContactState = Object.assign(rest, {
    score: scoreSummary(result, at),
    ...(result.nextDecayAt === undefined ? {} : { nextDecayAt: result.nextDecayAt }),
  });
  const effects: OutboxEffect[] = [];
  if (result.mql && contact.score?.mql !== true) {
    effects.push({
      kind: 'outbox',
      key: `mql:${contact.key}:${at}`,
      type: 'mql',
      contactKey: contact.key,
      at,
      payload: {
        total: result.total,
        fit: result.fit,
        engagement: result.engagement,
        negative: result.negative,
        reason: result.mqlReason,
        // Why, as of the crossing: kept with the handoff even if the model changes later.
        ledger: result.ledger
          .filter((e) => e.points !== 0 || e.dimension === 'fast_track')
          .map((e) => ({ rule: `${e.dimension}:${e.ruleId}`, label: e.label, points: e.points })),
      },
    });
  }
  return { contact: next, effects };
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

/** True when the contact's memory was made by another model (or never made) and must be rebuilt. */
export function memoryIsStale(contact: ContactState, setup: ScoringSetup): boolean {
  return contact.scoring?.model !== setup.fingerprint;
}

/**
 * The contact's memory rebuilt from its stored events under `setup`'s model. Conditions see the
 * contact's and account's attributes as they are now (the events' own properties as they were).
 */
export function rebuildMemory(
  contact: ContactState,
  account: AccountState | undefined,
  events: readonly InboundEvent[],
  setup: ScoringSetup,
  isFreeMail: (domain: string) => boolean,
): ScoringMemory {
  return observeAll(
    Object.assign(emptyMemory(), { model: setup.fingerprint }),
    events.map((event) => ({ event, context: ruleContext(contact, account, event, isFreeMail) })),
    setup.model,
  );
}
