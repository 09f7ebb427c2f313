/**
 * Ingest: validate each event, skip ids already seen, resolve who it is about, decide in core/,
 * and commit state, history, touches, timers, tasks and outbox rows of the whole batch in ONE
 * transaction. A bad event is rejected with its reasons; the good ones in the same batch still
 * commit. Nothing is acknowledged before the commit.
 */
import type { DecisionModel } from '../core/contact/decide.ts';
import { StateFold } from '../core/contact/fold.ts';
import { tasksClosedBy } from '../core/tasks/close.ts';
import { fetchRoutingState } from './routingState.ts';
import { subjectKeys } from './subjects.ts';
import { freshenMemories } from './rescore.ts';
import { Writes } from './writes.ts';
import { RevopsError } from '../core/errors.ts';
import { DealBatch, dealIdsOf, withoutMove } from './deals.ts';
import { validateEvent, type EventCatalogSpec, type EventIssue } from '../core/events/validate.ts';
import { identify, type Identity } from '../core/identity/resolve.ts';
import type { StoreTx, TaskRow } from '../core/ports.ts';
import type { ContactKey, InboundEvent, Millis } from '../core/types.ts';
import type { Building } from '../core/building.ts';
import type { OutboxEffect } from '../core/effects.ts';

const DAY = 86_400_000;

export type CatalogOptions = Omit<EventCatalogSpec, 'now' | 'defaultSource'>;

export interface IngestItemResult {
  /** Position in the batch (0-based). */
  readonly index: number;
  readonly id?: string;
  readonly status: 'accepted' | 'duplicate' | 'rejected';
  readonly issues?: readonly EventIssue[];
}

export interface IngestSummary {
  readonly items: readonly IngestItemResult[];
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
}

interface Pending {
  readonly index: number;
  readonly event: InboundEvent;
  readonly identity: Identity;
}

/** Validates a batch; returns the valid events (first of each id) and the per-item results so far. */
export function validateBatch(
  raws: readonly unknown[],
  spec: EventCatalogSpec,
): { valid: { index: number; event: InboundEvent }[]; results: (IngestItemResult | undefined)[] } {
  const results: (IngestItemResult | undefined)[] = new Array<IngestItemResult | undefined>(raws.length);
  const valid: { index: number; event: InboundEvent }[] = [];
  const seen = new Set<string>();
  raws.forEach((raw, index) => {
    const checked = validateEvent(raw, spec);
    if (!checked.ok) {
      results[index] = {
        index,
        status: 'rejected',
        issues: checked.issues,
        ...(checked.id === undefined ? {} : { id: checked.id }),
      };
    } else if (seen.has(checked.event.id)) {
      results[index] = { index, id: checked.event.id, status: 'duplicate' };
    } else {
      seen.add(checked.event.id);
      valid.push({ index, event: checked.event });
    }
  });
  return { valid, results };
}

/**
 * Decides and writes a batch of validated, batch-unique events inside `tx`. Returns the ids that
 * were already stored (duplicates). Throws only on a storage failure (the transaction rolls back).
 */
export async function ingestValidated(
  tx: StoreTx,
  events: readonly { index: number; event: InboundEvent }[],
  model: DecisionModel,
  receivedAt: Millis,
  options: {
    /** API deal commands: a refused deal change throws `RevopsError` and the batch writes nothing. */
    readonly strictDeals?: boolean;
    /**
     * The caller looked the ids up in this transaction already and passes none that is stored
     * (`engine.ingest` answers re-sent ids first): the look-up is not repeated.
     */
    readonly idsChecked?: boolean;
  } = {},
): Promise<Set<string>> {
  const known =
    options.idsChecked === true ? new Set<string>() : await tx.knownEventIds(events.map((e) => e.event.id));
  const pending: Pending[] = [];
  for (const { index, event } of events) {
    if (!known.has(event.id)) pending.push({ index, event, identity: identify(event, model.isFreeMail) });
  }
  if (pending.length === 0) return known;

  // Fetch: every contact and account the batch touches, in two queries.
  const emails = new Set<string>();
  const externalIds = new Set<string>();
  const domains = new Set<string>();
  for (const { identity } of pending) {
    if (identity.email !== undefined) emails.add(identity.email);
    if (identity.externalId !== undefined) externalIds.add(identity.externalId);
    if (identity.accountDomain !== undefined) domains.add(identity.accountDomain);
  }
  // A deal closed won makes every contact on it a customer: those contacts are read with the rest
  // (the deal itself is read again, locked, below).
  const dealIds = model.pipeline === undefined ? [] : dealIdsOf(pending.map((p) => p.event));
  if (pending.some((p) => p.event.type === 'deal' && p.event.properties['action'] === 'closed_won'))
    for (const deal of await tx.findDeals(dealIds))
      for (const c of deal.contacts) {
        if (c.contactKey.startsWith('email:')) emails.add(c.contactKey.slice(6));
        else if (c.contactKey.startsWith('id:')) externalIds.add(c.contactKey.slice(3));
      }
  // Two batches touching the same lead or account take turns (PostgreSQL): without it both would
  // read the lead as it was, both decide (and route) it, and the later commit would win.
  await tx.lockSubjects(subjectKeys({ emails, externalIds, domains }));
  const found = await tx.findContacts({ emails: [...emails], externalIds: [...externalIds] });
  for (const c of found) if (c.accountDomain !== undefined) domains.add(c.accountDomain);
  const accounts = await tx.findAccounts([...domains]);
  const current = await freshenMemories(tx, found, new Map(accounts.map((a) => [a.domain, a])), model);

  // Decide, in batch order, against the state as it evolves. Routing reads rep loads and
  // round-robin counters: fetched (and locked) at the first lead of the batch that needs routing,
  // and that event decided again with them; batches that route nobody never lock anything.
  const clocks =
    model.sla !== undefined && model.sla.clocks.length > 0 && current.contacts.length > 0
      ? await tx.openClocksOf(current.contacts.map((c) => c.key))
      : [];
  const fold = new StateFold(model, { contacts: current.contacts, accounts, clocks });
  const deals = dealIds.length === 0 ? undefined : await DealBatch.open(tx, model, dealIds);
  const since = Math.min(...pending.map((p) => p.event.at)) - 2 * DAY;
  const writes = new Writes();
  for (const { event, identity } of pending) {
    // A deal event is decided for the deal first: a refused move (empty required fields) must not
    // move the contact either.
    const dealt =
      deals === undefined
        ? { seen: event, alsoWon: [] }
        : await decideDealEvent(deals, event, identity, fold, writes, options.strictDeals === true);
    const apply = async (e: InboundEvent, who: Identity) => {
      let decision = fold.apply(e, who);
      if (decision.needsRouting && model.routing !== undefined) {
        fold.routing = await fetchRoutingState(tx, model.routing, since);
        decision = fold.apply(e, who);
      }
      writes.contacts.set(decision.contact.key, decision.contact);
      if (decision.account) writes.accounts.set(decision.account.domain, decision.account);
      writes.history.push(...decision.stageChanges);
      writes.touches.push(...decision.touches);
      writes.assignments.push(...decision.assignments);
      writes.addClocks(decision.clocks);
      writes.addEffects(decision.effects);
      return decision;
    };
    const decision = await apply(dealt.seen, identity);
    writes.events.push({ event, receivedAt, contactKey: decision.contact.key });
    // The deal's other contacts follow the won deal (the event names one of them).
    for (const other of dealt.alsoWon) await apply(other.event, other.identity);
  }
  if (fold.routing !== undefined) writes.routingCounters = fold.routing.counters;
  await closeTouchedTasks(tx, writes);
  await writes.flush(tx);
  await deals?.flush();
  return known;
}

/**
 * Decides a `deal` event for its deal; returns the event the contact's lifecycle should see and,
 * for a deal closed won, the same signal for each other contact on the deal the batch knows.
 */
async function decideDealEvent(
  deals: DealBatch,
  event: InboundEvent,
  identity: Identity,
  fold: StateFold,
  writes: Writes,
  strict: boolean,
): Promise<{ seen: InboundEvent; alsoWon: { event: InboundEvent; identity: Identity }[] }> {
  if (event.type !== 'deal') return { seen: event, alsoWon: [] };
  const contact = fold.contact(identity);
  const command = deals.commandOf(event, contact, identity);
  if (command === undefined) return { seen: event, alsoWon: [] };
  const decision = await deals.decide(command, contact, strict);
  const refusal = decision.refusal;
  if (strict && refusal !== undefined)
    throw new RevopsError(
      refusal.code,
      refusal.message,
      Object.assign(
        {
          issues: (refusal.missing ?? []).map((field) => ({
            code: refusal.code,
            path: [field],
            message: `\`${field}\` is required`,
            severity: 'error' as const,
          })),
        },
        refusal.hint === undefined ? {} : { hint: refusal.hint },
      ),
    );
  writes.addEffects(decision.effects);
  if (decision.deal === undefined && decision.refusal !== undefined) {
    // Nothing to keep (a creation refused): the owner still hears why.
    const owner = command.changes['owner'];
    const refused: Building<OutboxEffect> = {
      kind: 'outbox',
      key: `deal-refused:${command.dealId}:${event.id}`,
      type: 'deal_change_refused',
    };
    if (contact !== undefined) refused.contactKey = contact.key;
    refused.at = event.at;
    refused.payload = {
      to: typeof owner === 'string' ? `rep:${owner}` : 'unassigned',
      deal: command.dealId,
      code: decision.refusal.code,
      message: decision.refusal.message,
      ...(decision.refusal.missing === undefined ? {} : { missing: [...decision.refusal.missing] }),
    };
    writes.addEffects([refused as OutboxEffect]);
  }
  if (decision.refusal !== undefined) return { seen: withoutMove(event), alsoWon: [] };
  const alsoWon: { event: InboundEvent; identity: Identity }[] = [];
  if (decision.contactsBecome !== undefined && decision.move !== undefined && decision.deal !== undefined)
    for (const c of decision.deal.contacts) {
      if (c.contactKey === identity.key) continue;
      const other: Identity = c.contactKey.startsWith('email:')
        ? { key: c.contactKey, email: c.contactKey.slice(6) }
        : { key: c.contactKey, externalId: c.contactKey.slice(3) };
      if (fold.contact(other) === undefined) continue;
      alsoWon.push({
        identity: other,
        event: Object.assign({}, event, {
          id: `${event.id}#${c.contactKey}`,
          contact: other.email === undefined ? { id: other.externalId ?? '' } : { email: other.email },
          company: {},
          properties: { action: 'closed_won', dealId: command.dealId },
        }),
      });
    }
  return { seen: event, alsoWon };
}

export function summarize(results: readonly (IngestItemResult | undefined)[]): IngestSummary {
  const items = results.filter((r): r is IngestItemResult => r !== undefined);
  return {
    items,
    accepted: items.filter((r) => r.status === 'accepted').length,
    duplicates: items.filter((r) => r.status === 'duplicate').length,
    rejected: items.filter((r) => r.status === 'rejected').length,
  };
}

/**
 * A rep's touch closes their open follow-up tasks for the lead, a sales decision all the lead's
 * earlier tasks (core/tasks/close.ts): those stored and those this batch created before.
 */
async function closeTouchedTasks(tx: StoreTx, writes: Writes): Promise<void> {
  const decisions = writes.events.flatMap((e) =>
    e.event.type === 'sales_decision' && e.contactKey !== undefined
      ? [{ contactKey: e.contactKey, at: e.event.at }]
      : [],
  );
  if (writes.touches.length === 0 && decisions.length === 0) return;
  const touched = [
    ...new Set([...writes.touches.map((t) => t.contactKey), ...decisions.map((d) => d.contactKey)]),
  ];
  const open = new Map<string, TaskRow>();
  for (const key of touched) for (const task of await tx.openTasksOf(key)) open.set(task.key, task);
  for (const task of writes.tasks.values()) {
    if (touched.includes(task.contactKey)) open.set(task.key, task);
  }
  if (open.size === 0) return;
  const ownerOf = (key: ContactKey) => writes.contacts.get(key)?.owner;
  writes.addEffects(tasksClosedBy(writes.touches, [...open.values()], ownerOf, decisions));
}
