/**
 * Routing inside a contact decision: the routing state the engine fetched for the batch (counters,
 * open leads, recent assignments per rep) goes in; the decision, the contact and account with
 * their owner, the audit row, the effects and the updated state come out. Pure.
 */
import type { OutboxEffect } from '../effects.ts';
import type { AssignedSlot, AssignmentRow, RoutingCounters } from '../ports.ts';
import type { RepLoad } from '../routing/availability.ts';
import type { RepModel, RoutingModel } from '../routing/model.ts';
import { route, type RoutingDecision } from '../routing/route.ts';
import type { RuleContext } from '../rule.ts';
import type { AccountState, ContactState, JsonObject, JsonValue, Millis } from '../types.ts';

/** What routing reads of the database, fetched once per batch and carried through it. */
export interface RoutingState {
  readonly counters: ReadonlyMap<string, RoutingCounters>;
  readonly openLeads: ReadonlyMap<string, number>;
  /** Leads assigned to each rep by the rep's local date (for `capacity.maxPerDay`). */
  readonly assignedPerDay: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /**
   * The reps with their stored availability overrides applied (core/routing/overrides.ts), routed
   * with instead of the model's; absent when no override applies.
   */
  readonly reps?: ReadonlyMap<string, RepModel> | undefined;
}

export const EMPTY_ROUTING_STATE: RoutingState = {
  counters: new Map(),
  openLeads: new Map(),
  assignedPerDay: new Map(),
};

/** The local date of `at` for a rep (the company's for an id not in `team.reps`). */
function repDate(model: RoutingModel, rep: string, at: Millis): string {
  return (model.reps.get(rep)?.calendar ?? model.calendar).localDate(at);
}

/** Assignments per rep and quarter hour → counts per rep and local date, as `RoutingState.assignedPerDay`. */
export function assignedPerDay(
  model: RoutingModel,
  assigned: ReadonlyMap<string, readonly AssignedSlot[]>,
): Map<string, Map<string, number>> {
  const perDay = new Map<string, Map<string, number>>();
  for (const [rep, slots] of assigned) {
    const days = new Map<string, number>();
    for (const slot of slots) {
      const date = repDate(model, rep, slot.at);
      days.set(date, (days.get(date) ?? 0) + slot.n);
    }
    perDay.set(rep, days);
  }
  return perDay;
}

/** `state.assignedPerDay` with one more lead for `rep` at `at` (copies only that rep's days). */
function withAssignment(
  model: RoutingModel,
  state: RoutingState,
  rep: string,
  at: Millis,
): Map<string, ReadonlyMap<string, number>> {
  const perDay = new Map(state.assignedPerDay);
  const days = new Map(perDay.get(rep) ?? []);
  const date = repDate(model, rep, at);
  days.set(date, (days.get(date) ?? 0) + 1);
  perDay.set(rep, days);
  return perDay;
}

/**
 * Facts a caller records with a routing decision (a reassignment: from whom, and why). `trace` goes
 * into the assignment row's trace after `cause`; `payload` into the effect's payload after its own
 * fields; `key` is appended to the effect keys, so the effects of a second decision at the same
 * instant are not taken for the first's.
 */
export interface RoutingAnnotation {
  readonly key: string;
  readonly trace: JsonObject;
  readonly payload: JsonObject;
}

export interface Routed {
  readonly decision: RoutingDecision;
  readonly contact: ContactState;
  readonly account?: AccountState | undefined;
  readonly assignment: AssignmentRow;
  readonly effects: readonly OutboxEffect[];
  readonly state: RoutingState;
}

/**
 * Each rep's load at `at`: open leads, and every assignment on the rep's local day of `at` — also
 * one stamped later than this event (an event about the past routed after a newer one): capacity is
 * per day, not per moment.
 */
export function repLoads(model: RoutingModel, state: RoutingState, at: Millis): Map<string, RepLoad> {
  const loads = new Map<string, RepLoad>();
  for (const rep of model.reps.values()) {
    const today = state.assignedPerDay.get(rep.id)?.get(rep.calendar.localDate(at)) ?? 0;
    loads.set(rep.id, { openLeads: state.openLeads.get(rep.id) ?? 0, today });
  }
  return loads;
}

export function routeContact(input: {
  readonly model: RoutingModel;
  readonly state: RoutingState;
  readonly contact: ContactState;
  readonly account: AccountState | undefined;
  readonly context: RuleContext;
  readonly at: Millis;
  readonly cause: string;
  readonly exclude?: readonly string[];
  /** What a caller records beside the decision (reassignment: see reassign.ts). */
  readonly annotate?: RoutingAnnotation;
  /** Trace every rule tried, none folded into a `ruled_out` step (`route explain --every-rule`). */
  readonly everyRule?: boolean;
}): Routed {
  const { state, at } = input;
  const model = state.reps === undefined ? input.model : Object.assign({}, input.model, { reps: state.reps });
  const decision = route(
    model,
    {
      lead: {
        contactKey: input.contact.key,
        owner: input.contact.owner,
        accountDomain: input.contact.accountDomain,
      },
      account:
        input.account === undefined
          ? undefined
          : { domain: input.account.domain, owner: input.account.owner },
      context: input.context,
      now: at,
      load: repLoads(model, state, at),
      counters: state.counters,
      exclude: input.exclude,
    },
    { everyRule: input.everyRule },
  );
  // The trace holds only strings, numbers, booleans, arrays and plain objects: JSON as it is.
  const trace = {
    steps: decision.trace.steps,
    candidates: decision.trace.candidates,
  } as unknown as JsonObject;
  const note = input.annotate;
  const base = {
    contactKey: input.contact.key,
    at,
    // `{ cause, ...note.trace, ...trace }` (later keys win, in the place they first took) without a
    // spread before the last property: slow on Node 20. Only reassignments annotate.
    trace:
      note === undefined
        ? { cause: input.cause, ...trace }
        : Object.assign({ cause: input.cause }, note.trace, trace),
  };
  const keySuffix = note?.key ?? '';
  const withNote = (payload: JsonObject): JsonObject =>
    note === undefined ? payload : Object.assign({}, payload, note.payload);
  const effects: OutboxEffect[] = [];
  let contact = input.contact;
  let account = input.account;
  let next = state;
  let assignment: AssignmentRow;

  switch (decision.kind) {
    case 'assigned': {
      contact = Object.assign({}, contact, { owner: decision.owner });
      if (account !== undefined && account.owner === undefined && model.sameAccountSameOwner)
        account = Object.assign({}, account, { owner: decision.owner });
      const counters = new Map(state.counters);
      if (decision.counters !== undefined) counters.set(decision.counters.team, decision.counters.value);
      const openLeads = new Map(state.openLeads);
      if (model.openStages.includes(contact.stage))
        openLeads.set(decision.owner, (openLeads.get(decision.owner) ?? 0) + 1);
      next = Object.assign({}, state, {
        counters,
        openLeads,
        assignedPerDay: withAssignment(model, state, decision.owner, at),
      });
      assignment = Object.assign({}, base, {
        kind: 'assigned' as const,
        owner: decision.owner,
        rule: decision.rule,
        ...(decision.team === undefined ? {} : { team: decision.team }),
      });
      const payload: Record<string, JsonValue> = { to: `rep:${decision.owner}`, rule: decision.rule };
      if (decision.team !== undefined) payload['team'] = decision.team;
      if (decision.tier !== undefined) {
        payload['tier'] = decision.tier.tier;
        payload['alert'] = decision.tier.alert;
        payload['sla'] = decision.tier.sla.source;
      }
      effects.push({
        kind: 'outbox',
        key: `assigned:${contact.key}:${at}${keySuffix}`,
        type: 'assigned',
        contactKey: contact.key,
        at,
        payload: withNote(payload),
      });
      break;
    }
    case 'kept':
      assignment = Object.assign({}, base, {
        kind: 'kept' as const,
        owner: decision.owner,
        rule: decision.rule,
      });
      break;
    case 'queued': {
      const queue = model.queues.get(decision.queue);
      assignment = Object.assign({}, base, {
        kind: 'queued' as const,
        queue: decision.queue,
        rule: decision.rule,
      });
      effects.push({
        kind: 'outbox',
        key: `queued:${contact.key}:${at}${keySuffix}`,
        type: 'queued',
        contactKey: contact.key,
        at,
        payload: withNote({
          to: queue?.team === undefined ? `queue:${decision.queue}` : `team:${queue.team}`,
          queue: decision.queue,
          rule: decision.rule,
          ...(queue === undefined ? {} : { sla: queue.sla.source }),
        }),
      });
      break;
    }
    case 'review':
      assignment = Object.assign({}, base, { kind: 'review' as const, rule: decision.rule });
      contact = contact.flags.includes('routing_review')
        ? contact
        : Object.assign({}, contact, { flags: [...contact.flags, 'routing_review'] });
      effects.push({
        kind: 'outbox',
        key: `routing_review:${contact.key}:${at}${keySuffix}`,
        type: 'routing_review',
        contactKey: contact.key,
        at,
        payload: withNote({
          to: 'role:sales_ops',
          matches: decision.matches.map((m) => ({ domain: m.domain, name: m.name, score: m.score })),
        }),
      });
      break;
  }
  return { decision, contact, account, assignment, effects, state: next };
}
