/**
 * The state a run of events builds up, in memory: contacts found by email or external id, accounts
 * by domain. Ingest seeds it with what the database holds for a batch and writes what it returns;
 * calibration folds a whole history through it without a database. One place applies an event.
 */
import type { SlaClock } from '../sla/model.ts';
import type { AccountState, ContactKey, ContactState, InboundEvent } from '../types.ts';
import type { Identity } from '../identity/resolve.ts';
import { decideEvent, type Decision, type DecisionModel } from './decide.ts';
import type { RoutingState } from './routeContact.ts';

export class StateFold {
  private readonly byEmail = new Map<string, ContactState>();
  private readonly byExternalId = new Map<string, ContactState>();
  private readonly accounts = new Map<string, AccountState>();
  /** Running SLA clocks per lead. */
  private readonly clocks = new Map<ContactKey, readonly SlaClock[]>();

  /** What routing reads of the database, as it evolves; absent until the engine fetched it. */
  routing: RoutingState | undefined;

  constructor(
    private readonly model: DecisionModel,
    seed: {
      readonly contacts?: readonly ContactState[];
      readonly accounts?: readonly AccountState[];
      readonly routing?: RoutingState | undefined;
      /** The running SLA clocks of the seeded contacts. */
      readonly clocks?: readonly SlaClock[];
    } = {},
  ) {
    for (const clock of seed.clocks ?? []) {
      this.clocks.set(clock.contactKey, [...(this.clocks.get(clock.contactKey) ?? []), clock]);
    }
    for (const c of seed.contacts ?? []) this.remember(c);
    for (const a of seed.accounts ?? []) this.accounts.set(a.domain, a);
    this.routing = seed.routing;
  }

  /** The contact an identity names (email first, then external id), as the fold knows it now. */
  contact(identity: Identity): ContactState | undefined {
    return (
      (identity.email !== undefined ? this.byEmail.get(identity.email) : undefined) ??
      (identity.externalId !== undefined ? this.byExternalId.get(identity.externalId) : undefined)
    );
  }

  account(domain: string | undefined): AccountState | undefined {
    return domain === undefined ? undefined : this.accounts.get(domain);
  }

  /**
   * Decides `event` against the current state and keeps the result — unless the event entered a
   * routing stage while `routing` is absent (`needsRouting`): then nothing is kept, and the caller
   * sets `routing` and applies the same event again.
   */
  apply(event: InboundEvent, named: Identity): Decision {
    const current = this.contact(named);
    // An event naming one contact by email and another by external id links two records: it goes to
    // the email's contact, and the external id stays with the contact holding it (no merge here).
    const holder = named.externalId === undefined ? undefined : this.byExternalId.get(named.externalId);
    let identity = named;
    if (current !== undefined && holder !== undefined && holder.key !== current.key) {
      const { externalId: _held, ...rest } = named;
      identity = rest;
    }
    const decision = decideEvent({
      contact: current,
      account: this.account(current?.accountDomain ?? identity.accountDomain),
      identity,
      event,
      model: this.model,
      routing: this.routing,
      clocks: current === undefined ? [] : this.clocks.get(current.key),
    });
    if (decision.needsRouting) return decision;
    if (decision.clocks.length > 0) this.clocks.set(decision.contact.key, decision.runningClocks);
    this.remember(decision.contact);
    if (decision.account) this.accounts.set(decision.account.domain, decision.account);
    if (decision.routing !== undefined) this.routing = decision.routing;
    return decision;
  }

  private remember(c: ContactState): void {
    if (c.email !== undefined) this.byEmail.set(c.email, c);
    if (c.externalId !== undefined) this.byExternalId.set(c.externalId, c);
  }
}
