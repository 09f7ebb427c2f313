/**
 * Where ingest time goes, measured piece by piece outside the store: validation alone
 * (`validateBatch`, as the engine calls it) and the decision alone (identify + core `decideEvent`
 * against in-memory contact and account maps, in batch order, as `ingestValidated` does it).
 */
import type { EngineSetup } from '../../src/config/engineModel.ts';
import { decideEvent } from '../../src/core/contact/decide.ts';
import { identify } from '../../src/core/identity/resolve.ts';
import type { AccountState, ContactState, InboundEvent, Millis } from '../../src/core/types.ts';
import { validateBatch } from '../../src/engine/ingest.ts';

export function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/** Validates every batch; returns the milliseconds taken and the valid events, batch by batch. */
export function validateOnly(
  batches: readonly (readonly unknown[])[],
  setup: EngineSetup,
  now: Millis,
): { ms: number; valid: InboundEvent[][] } {
  const spec = { ...setup.catalog, now, defaultSource: 'api' };
  const valid: InboundEvent[][] = [];
  const started = performance.now();
  for (const batch of batches) valid.push(validateBatch(batch, spec).valid.map((v) => v.event));
  return { ms: performance.now() - started, valid };
}

/**
 * Decides every event against state kept in maps (the store's part replaced by lookups); returns
 * the milliseconds taken and how many stage changes, touches and effects came out (a sanity check
 * that the work was done, and a sink so none of it is optimised away).
 */
export function decideOnly(
  batches: readonly (readonly InboundEvent[])[],
  setup: EngineSetup,
): { ms: number; stageChanges: number; touches: number; effects: number } {
  const { model } = setup;
  const byEmail = new Map<string, ContactState>();
  const byExternalId = new Map<string, ContactState>();
  const accounts = new Map<string, AccountState>();
  let stageChanges = 0;
  let touches = 0;
  let effects = 0;
  const started = performance.now();
  for (const batch of batches) {
    for (const event of batch) {
      const identity = identify(event, model.isFreeMail);
      const current =
        (identity.email !== undefined ? byEmail.get(identity.email) : undefined) ??
        (identity.externalId !== undefined ? byExternalId.get(identity.externalId) : undefined);
      const domain = current?.accountDomain ?? identity.accountDomain;
      const decision = decideEvent({
        contact: current,
        account: domain === undefined ? undefined : accounts.get(domain),
        identity,
        event,
        model,
      });
      const { contact } = decision;
      if (contact.email !== undefined) byEmail.set(contact.email, contact);
      if (contact.externalId !== undefined) byExternalId.set(contact.externalId, contact);
      if (decision.account) accounts.set(decision.account.domain, decision.account);
      stageChanges += decision.stageChanges.length;
      touches += decision.touches.length;
      effects += decision.effects.length;
    }
  }
  return { ms: performance.now() - started, stageChanges, touches, effects };
}
