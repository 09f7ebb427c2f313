/**
 * `engine.reassign`: take a lead away from its owner and route it again (core/contact/reassign.ts),
 * in one transaction with the same locking as routing on ingest — the round-robin counters first,
 * then the contact and its assignment rows, so two reassignments of one lead take turns and the
 * second sees the first's owner. Every refusal is a coded `RevopsError` saying what to do next.
 */
import { reassignContact, type FairnessCredit } from '../core/contact/reassign.ts';
import type { DecisionModel } from '../core/contact/decide.ts';
import { ruleContext } from '../core/contact/ruleContext.ts';
import type { Building } from '../core/building.ts';
import type { OutboxEffect } from '../core/effects.ts';
import { RevopsError } from '../core/errors.ts';
import type { AssignmentRow, StoreTx, TaskRow } from '../core/ports.ts';
import type { RoutingModel } from '../core/routing/model.ts';
import type { RoutingDecision } from '../core/routing/route.ts';
import { didYouMean } from '../core/text/didYouMean.ts';
import type { ContactKey, ContactState, Millis } from '../core/types.ts';
import { fetchRoutingState } from './routingState.ts';
import { subjectKeys } from './subjects.ts';
import { Writes } from './writes.ts';

const DAY = 86_400_000;

export interface ReassignRequest {
  /** The lead: its email, or its key (`email:…`, `id:…`); anything else is read as its `contact.id`. */
  readonly contact: string;
  /** When (default: the engine's clock): PTO, hours, capacity and the round-robin period are read at it. */
  readonly at?: Millis;
  /** Why, in words; recorded in the new assignment row and sent to the previous owner. */
  readonly reason: string;
  /** More reps who may not get the lead (the owner and earlier owners of this run always are). */
  readonly exclude?: readonly string[];
  /** What asked for it (an SLA timer key, an automation id); default `reassign`. */
  readonly cause?: string;
  /**
   * Reassign only while this rep still owns the lead; otherwise `routing.owner_changed` and nothing
   * is written. A ladder step retried after a crash passes the owner it escalates.
   */
  readonly expectedOwner?: string;
}

export interface ReassignResult {
  readonly contactKey: ContactKey;
  readonly email?: string;
  readonly at: Millis;
  readonly reason: string;
  /** The owner the lead was taken from. */
  readonly from: string;
  /** `assigned` to `owner`, `queued` in `queue`, or held for `review` (then nobody owns it). */
  readonly kind: RoutingDecision['kind'];
  readonly owner?: string;
  readonly queue?: string;
  readonly excluded: readonly string[];
  readonly credit?: FairnessCredit;
  readonly fairness: string;
  readonly decision: RoutingDecision;
  /** The row written (the earlier rows stay as they were). */
  readonly assignment: AssignmentRow;
  /** The outbox rows written: `assigned` (or `queued`, `routing_review`) and `reassigned`. */
  readonly effects: readonly OutboxEffect[];
  /** The previous owner's open tasks for the lead, given to the new owner (or the queue's team). */
  readonly tasks: readonly TaskRow[];
}

function contactQuery(spec: string): { emails: string[]; externalIds: string[] } {
  if (spec.startsWith('email:')) return { emails: [spec.slice(6).toLowerCase()], externalIds: [] };
  if (spec.startsWith('id:')) return { emails: [], externalIds: [spec.slice(3)] };
  if (spec.includes('@')) return { emails: [spec.toLowerCase()], externalIds: [] };
  return { emails: [], externalIds: [spec] };
}

/** Checks what needs no database; returns the routing model. Throws `RevopsError`. */
export function checkReassignRequest(
  model: DecisionModel,
  request: ReassignRequest,
  at: Millis,
): RoutingModel {
  const routing = model.routing;
  if (routing === undefined)
    throw new RevopsError(
      'routing.not_configured',
      'the config routes nobody, so nothing can be reassigned',
      {
        hint: 'add `routing:` and `team:` sections to the config (docs/routing.md), then try again',
      },
    );
  if (request.contact.trim() === '')
    throw new RevopsError('routing.invalid_request', 'name the lead to reassign', {
      hint: 'give its email (ava@northwind.io) or its key (email:…, id:…)',
    });
  if (request.reason.trim() === '')
    throw new RevopsError('routing.invalid_request', 'a reassignment needs a reason', {
      hint: 'say why, e.g. "sla speed-to-lead breached": the new owner and the previous one both read it',
    });
  if (!Number.isFinite(at))
    throw new RevopsError('routing.invalid_request', `the time of the reassignment is not a time (${at})`, {
      hint: 'pass `at` as epoch milliseconds',
    });
  for (const rep of request.exclude ?? []) {
    if (!routing.reps.has(rep))
      throw new RevopsError(
        'routing.unknown_rep',
        `cannot exclude \`${rep}\`: no such rep in team.reps${didYouMean(rep, routing.reps.keys())}`,
        {
          hint: `exclude reps by their id: ${[...routing.reps.keys()].join(', ')}`,
        },
      );
  }
  return routing;
}

function unowned(contact: ContactState, history: readonly AssignmentRow[], name: string): RevopsError {
  const last = history.at(-1);
  const where =
    last?.kind === 'queued'
      ? `it waits in queue ${last.queue ?? '?'} since ${new Date(last.at).toISOString()}`
      : last?.kind === 'review'
        ? 'it is held for routing review'
        : 'it was never routed';
  return new RevopsError('routing.no_owner', `${name} has no owner to reassign from: ${where}`, {
    hint:
      history.length === 0
        ? `leads are routed when they enter a routing.on stage; ${contact.key} is in stage ${contact.stage}`
        : 'a queued lead is picked up from its queue; reassignment moves a lead away from a rep',
  });
}

/** Decides and writes one reassignment inside `tx`. Throws `RevopsError` (nothing is written). */
export async function reassignInTx(
  tx: StoreTx,
  model: DecisionModel,
  routing: RoutingModel,
  request: ReassignRequest,
  at: Millis,
): Promise<ReassignResult> {
  // Lock first (as ingest does), then read: a concurrent reassignment of the same lead commits
  // before these reads, so this one sees its owner and its row.
  const spec = request.contact.trim();
  const query = contactQuery(spec);
  // The lead's own lock first, as ingest takes it, so an event for the lead and its reassignment
  // take turns too.
  await tx.lockSubjects(subjectKeys(query));
  const state = await fetchRoutingState(tx, routing, at - 2 * DAY);
  const [found] = await tx.findContacts(query);
  if (found === undefined)
    throw new RevopsError('routing.unknown_contact', `no contact \`${spec}\` in the database`, {
      hint: 'contacts are known by the email their events carried (lower-cased), or as id:<contact.id>; `revops ingest` loads events',
    });
  const name = found.email ?? found.key;
  const history = await tx.assignmentsOf(found.key);
  const from = found.owner;
  if (from === undefined) throw unowned(found, history, name);
  if (request.expectedOwner !== undefined && request.expectedOwner !== from)
    throw new RevopsError(
      'routing.owner_changed',
      `${name} is owned by ${from} now, not ${request.expectedOwner}: nothing was reassigned`,
      { hint: `it has moved already; to move it away from ${from} as well, ask again naming ${from}` },
    );
  const contact: ContactState & { readonly owner: string } = Object.assign({}, found, { owner: from });
  const account =
    found.accountDomain === undefined ? undefined : (await tx.findAccounts([found.accountDomain]))[0];

  const tasks = await tx.openTasksOf(contact.key);
  const done = reassignContact({
    tasks,
    model: routing,
    state,
    contact,
    account,
    context: ruleContext(contact, account, undefined, model.isFreeMail),
    at,
    cause: request.cause ?? 'reassign',
    reason: request.reason.trim(),
    history,
    ...(request.exclude === undefined ? {} : { exclude: request.exclude }),
  });

  const writes = new Writes();
  writes.contacts.set(done.contact.key, done.contact);
  if (done.account !== undefined && done.account !== account)
    writes.accounts.set(done.account.domain, done.account);
  writes.assignments.push(done.assignment);
  writes.addEffects(done.effects);
  writes.addEffects(done.taskEffects);
  writes.routingCounters = done.state.counters;
  await writes.flush(tx);

  const decision = done.decision;
  const result: Building<ReassignResult> = { contactKey: found.key };
  if (found.email !== undefined) result.email = found.email;
  result.at = at;
  result.reason = request.reason.trim();
  result.from = from;
  result.kind = decision.kind;
  if (decision.kind === 'assigned' || decision.kind === 'kept') result.owner = decision.owner;
  if (decision.kind === 'queued') result.queue = decision.queue;
  result.excluded = done.excluded;
  if (done.credit !== undefined) result.credit = done.credit;
  result.fairness = done.fairness;
  result.decision = decision;
  result.assignment = done.assignment;
  result.effects = done.effects;
  result.tasks = done.movedTasks;
  return result as ReassignResult;
}
