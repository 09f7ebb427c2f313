/**
 * Reassignment (what the SLA escalation ladder's last step and `assign via: reassign` call): route
 * an owned lead again with its owner — and every owner it was reassigned away from in this run of
 * reassignments — excluded, so a ladder never bounces it back. Pure: the state the engine fetched
 * goes in; the decision, the contact, the audit row, the effects and the next state come out.
 *
 * - Fairness: the owner losing the lead gets back the round-robin count the lead cost them, when
 *   it was counted by a team in the period that team counts now (they never got to work it); the
 *   new owner's pick counts as usual. Being excluded from one lead is not an absence: a rep who was
 *   in rotation stays in it, so the next ordinary pick does not "calibrate" them back up.
 * - Capacity: the lead stops counting as the previous owner's open lead. It still counts in their
 *   day (`maxPerDay` counts leads received, and the earlier row is not rewritten).
 * - Nobody else can take it: it goes where the tree sends it, in the end the fallback queue, and
 *   the previous owner loses it all the same (docs/decisions/009-reassignment.md).
 * - The record: a new assignment row whose trace says from whom and why; the earlier rows stay.
 */
import type { Building } from '../building.ts';
import type { Effect, OutboxEffect } from '../effects.ts';
import type { AssignmentRow, RoutingCounters, TaskRow } from '../ports.ts';
import type { RoutingModel } from '../routing/model.ts';
import { periodKey } from '../routing/period.ts';
import type { RuleContext } from '../rule.ts';
import type { AccountState, ContactState, JsonObject, Millis } from '../types.ts';
import { routeContact, type Routed, type RoutingState } from './routeContact.ts';

/** The count given back to the previous owner. */
export interface FairnessCredit {
  readonly team: string;
  readonly period: string;
  readonly rep: string;
  readonly before: number;
  readonly after: number;
}

export interface Reassigned extends Routed {
  /** The owner the lead was taken from. */
  readonly from: string;
  /** Everyone who could not get the lead: the owner, earlier owners of this run, the caller's extra. */
  readonly excluded: readonly string[];
  /** Set when the previous owner's round-robin count was given back. */
  readonly credit?: FairnessCredit;
  /** Why there was (or was not) a credit, for the trace. */
  readonly fairness: string;
  /** The previous owner's open tasks for the lead, now the new owner's (or the queue team's). */
  readonly movedTasks: readonly TaskRow[];
  /** Their rows and due-time reminders, to write with the rest. */
  readonly taskEffects: readonly Effect[];
}

export interface ReassignInput {
  readonly model: RoutingModel;
  readonly state: RoutingState;
  /** The lead, with the owner it is taken from. */
  readonly contact: ContactState & { readonly owner: string };
  readonly account: AccountState | undefined;
  readonly context: RuleContext;
  readonly at: Millis;
  /** What asked for it (an SLA timer key, an automation, `cli`). */
  readonly cause: string;
  /** Why, in words: `sla speed-to-lead breached`. */
  readonly reason: string;
  /** The lead's assignment rows, oldest first. */
  readonly history: readonly AssignmentRow[];
  /** More reps who may not get the lead. */
  readonly exclude?: readonly string[];
  /** The lead's open tasks; the previous owner's go with the lead. */
  readonly tasks?: readonly TaskRow[];
}

/** The rep a recorded reassignment took the lead from, or undefined for an ordinary decision. */
export function reassignedFrom(row: AssignmentRow): string | undefined {
  const note = row.trace['reassignment'];
  if (typeof note !== 'object' || note === null || Array.isArray(note)) return undefined;
  const from = (note as JsonObject)['from'];
  return typeof from === 'string' ? from : undefined;
}

/**
 * The owners this lead was reassigned away from since its last ordinary routing decision, most
 * recent first: the run of reassignments a ladder is in. A later ordinary decision (the lead
 * routed again on a new MQL) starts a new run.
 */
export function earlierOwners(history: readonly AssignmentRow[]): string[] {
  const owners: string[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const from = reassignedFrom(history[i]!);
    if (from === undefined) break;
    if (!owners.includes(from)) owners.push(from);
  }
  return owners;
}

/**
 * The previous owner's count back, when the row that gave them the lead was a team's pick in the
 * period that team counts at `at` (and the stored counters are that period's). Undefined, with the
 * reason, otherwise.
 */
export function fairnessCredit(
  model: RoutingModel,
  counters: ReadonlyMap<string, RoutingCounters>,
  history: readonly AssignmentRow[],
  from: string,
  at: Millis,
): { readonly credit?: FairnessCredit; readonly counters?: RoutingCounters; readonly why: string } {
  let gave: AssignmentRow | undefined;
  for (let i = history.length - 1; i >= 0 && gave === undefined; i--) {
    const row = history[i]!;
    if (row.kind === 'assigned' && row.owner === from) gave = row;
  }
  if (gave === undefined) return { why: `no credit: no recorded assignment gave ${from} the lead` };
  if (gave.team === undefined)
    return { why: `no credit: ${from} got the lead by rule ${gave.rule}, not a team's round-robin` };
  const team = model.teams.get(gave.team);
  if (team === undefined) return { why: `no credit: team ${gave.team} is no longer in team.teams` };
  const counted = periodKey(team.reset, model.calendar, gave.at);
  const now = periodKey(team.reset, model.calendar, at);
  const stored = counters.get(team.id);
  if (counted !== now || stored?.period !== now)
    return { why: `no credit: counted in team ${team.id}'s period ${counted}, which is over (now ${now})` };
  const before = stored.counts[from] ?? 0;
  if (before <= 0) return { why: `no credit: ${from} has no count in team ${team.id} ${now}` };
  const credit = { team: team.id, period: now, rep: from, before, after: before - 1 };
  const counts = Object.assign({}, stored.counts, { [from]: before - 1 });
  return {
    credit,
    counters: { period: stored.period, counts, present: stored.present },
    why: `team ${team.id} ${now}: ${from} ${before} → ${before - 1} (the lead was counted this period and never worked)`,
  };
}

/** Reassigns the lead. Never throws for a valid model and a finite `at`. */
export function reassignContact(input: ReassignInput): Reassigned {
  const { model, at } = input;
  const from = input.contact.owner;
  const excluded = [...new Set([from, ...earlierOwners(input.history), ...(input.exclude ?? [])])];

  // Fairness and capacity first: the pick sees the previous owner without this lead.
  const credited = fairnessCredit(model, input.state.counters, input.history, from, at);
  const counters = new Map(input.state.counters);
  if (credited.credit !== undefined && credited.counters !== undefined)
    counters.set(credited.credit.team, credited.counters);
  const openLeads = new Map(input.state.openLeads);
  const open = openLeads.get(from) ?? 0;
  if (model.openStages.includes(input.contact.stage) && open > 0) openLeads.set(from, open - 1);
  const state: RoutingState = Object.assign({}, input.state, { counters, openLeads });

  const note = `reassigned from ${from}: ${input.reason}`;
  const reassignment: JsonObject = {
    from,
    reason: input.reason,
    note,
    excluded,
    fairness: credited.why,
    ...(credited.credit === undefined ? {} : { credit: { ...credited.credit } }),
  };
  const routed = routeContact({
    model,
    state,
    contact: input.contact,
    account: input.account,
    context: input.context,
    at,
    cause: input.cause,
    exclude: excluded,
    annotate: {
      key: `:from:${from}`,
      trace: { reassignment },
      payload: { reassigned: true, from, reason: input.reason },
    },
  });

  // The previous owner loses the lead whatever the outcome: to a rep, a queue or review.
  let contact = routed.contact;
  if (routed.decision.kind === 'queued' || routed.decision.kind === 'review') {
    const { owner: _lost, ...unowned } = contact;
    contact = unowned;
  }
  const outcome: JsonObject =
    routed.decision.kind === 'queued'
      ? { outcome: 'queued', queue: routed.decision.queue }
      : routed.decision.kind === 'review'
        ? { outcome: 'review' }
        : { outcome: 'assigned', owner: routed.decision.owner };
  const moved = moveTasks(input.tasks ?? [], `rep:${from}`, newAssignee(model, routed), at);
  const notice: OutboxEffect = {
    kind: 'outbox',
    key: `reassigned:${contact.key}:${at}:${from}`,
    type: 'reassigned',
    contactKey: contact.key,
    at,
    payload: Object.assign(
      { to: `rep:${from}`, reason: input.reason },
      outcome,
      moved.tasks.length === 0 ? {} : { tasks: moved.tasks.map((t) => t.key) },
    ),
  };
  const reassigned: Building<Reassigned> = {
    decision: routed.decision,
    contact,
    account: routed.account,
    assignment: routed.assignment,
    effects: [...routed.effects, notice],
    movedTasks: moved.tasks,
    taskEffects: moved.effects,
    // Excluded reps stay in the team's rotation: pickFromTeam keeps them present.
    state: routed.state,
    from,
    excluded,
  };
  if (credited.credit !== undefined) reassigned.credit = credited.credit;
  reassigned.fairness = credited.why;
  return reassigned as Reassigned;
}

/** Who takes over the lead's tasks: the new owner, the queue's team (or the queue), sales ops on review. */
function newAssignee(model: RoutingModel, routed: Routed): string {
  const decision = routed.decision;
  switch (decision.kind) {
    case 'assigned':
    case 'kept':
      return `rep:${decision.owner}`;
    case 'queued': {
      const team = model.queues.get(decision.queue)?.team;
      return team === undefined ? `queue:${decision.queue}` : `team:${team}`;
    }
    case 'review':
      return 'role:sales_ops';
  }
}

/**
 * The previous owner's open tasks for the lead, given to `assignee` with their due times; a task
 * not yet due gets its due-time reminder again, addressed to the new assignee (a past-due one has
 * had its reminder, and the new assignee is not told off for it).
 */
function moveTasks(
  tasks: readonly TaskRow[],
  previous: string,
  assignee: string,
  at: Millis,
): { tasks: TaskRow[]; effects: Effect[] } {
  const moved = tasks
    .filter((t) => t.status === 'open' && t.assignee === previous)
    .map((t): TaskRow => Object.assign({}, t, { assignee }));
  const effects: Effect[] = [];
  for (const task of moved) {
    effects.push(Object.assign({ kind: 'task' as const }, task));
    if (task.dueAt !== undefined && task.dueAt > at) {
      effects.push({
        kind: 'timer',
        key: `task-due:${task.key}`,
        dueAt: task.dueAt,
        contactKey: task.contactKey,
        payload: { kind: 'task_due', task: task.key, title: task.title, assignee },
      });
    }
  }
  return { tasks: moved, effects };
}
