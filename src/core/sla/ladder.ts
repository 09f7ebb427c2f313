/**
 * What a fired SLA timer does. The due timer breaches a clock still open (and runs its `onBreach`
 * actions); a step timer climbs the escalation ladder: notify the rep, their backup, their manager
 * or a channel, raise a flag, or ask the engine to reassign the lead through routing (then
 * `handOverClocks` moves the old owner's clocks to the new owner or the queue). A clock already stopped, or a timer of an
 * earlier run of the clock, does nothing; a step already recorded does nothing again.
 */
import type { Effect, FiredTimer } from '../effects.ts';
import { fillTemplate, stageEntryEffects } from '../lifecycle/actions.ts';
import type { ContactState, JsonObject, JsonValue, Millis } from '../types.ts';
import { attributeValues } from '../identity/attributes.ts';
import {
  cancelClockTimers,
  endClock,
  lateness,
  nextClockTimer,
  startClock,
  startClocks,
  type ClockChanges,
} from './clock.ts';
import { isRunning, type SlaClock, type SlaModel, type SlaStep, type SlaStepRecord } from './model.ts';

/** What an SLA timer's payload names. */
export interface SlaTimerRef {
  readonly kind: 'due' | 'step';
  /** The clock row key. */
  readonly clock: string;
  readonly clockId: string;
  readonly startedAt: Millis;
  readonly step?: number;
}

/** The SLA clock and step a timer belongs to; undefined for any other timer. */
export function slaTimerRef(timer: Pick<FiredTimer, 'payload'>): SlaTimerRef | undefined {
  const p = timer.payload;
  const kind = p['kind'] === 'sla_due' ? 'due' : p['kind'] === 'sla_step' ? 'step' : undefined;
  const clock = p['clock'];
  const clockId = p['clockId'];
  const startedAt = p['startedAt'];
  if (kind === undefined || typeof clock !== 'string' || typeof clockId !== 'string') return undefined;
  if (typeof startedAt !== 'number') return undefined;
  const step = p['step'];
  if (kind === 'step') {
    return typeof step === 'number' ? { kind, clock, clockId, startedAt, step } : undefined;
  }
  return { kind, clock, clockId, startedAt };
}

export interface SlaTimerDecision {
  /** The clock after the timer (upsert it), when the timer changed it. */
  readonly clock?: SlaClock;
  readonly effects: readonly Effect[];
  /** Flags to raise on the contact. */
  readonly flags: readonly string[];
  /** An `onBreach` `set_stage` action asks for this move. */
  readonly setStage?: string;
  /**
   * Route the lead again excluding `expectedOwner` (engine.reassign with the timer key as cause);
   * then call `handOverClocks` (the old owner's running clocks, `restart` among them, go to the new
   * owner afresh, or end and the queue's clocks start).
   */
  readonly reassign?: {
    readonly reason: string;
    readonly expectedOwner: string;
    readonly restart: readonly string[];
  };
  /** Why the timer did nothing. */
  readonly skipped?: string;
}

const nothing = (skipped: string): SlaTimerDecision => ({ effects: [], flags: [], skipped });

/** The lead context every SLA message carries. */
function context(clock: SlaClock, contact: ContactState | undefined): JsonObject {
  const company = contact === undefined ? {} : attributeValues(contact.companyAttributes);
  // Built key by key (optional keys only when known): one per SLA message.
  const lead: { [key: string]: JsonValue } = {
    sla: clock.key,
    clock: clock.clockId,
    clockName: clock.name,
    contact: clock.contactKey,
  };
  if (contact?.email !== undefined) lead['email'] = contact.email;
  if (contact !== undefined) lead['name'] = fillTemplate('{contact.name}', contact);
  if (typeof company['name'] === 'string') lead['company'] = company['name'];
  if (clock.owner !== undefined) lead['owner'] = clock.owner;
  lead['startedAt'] = new Date(clock.startedAt).toISOString();
  lead['dueAt'] = new Date(clock.dueAt).toISOString();
  lead['target'] = clock.target;
  return lead;
}

function recipient(model: SlaModel, step: SlaStep, owner: string | undefined): string {
  const rep = (id: string | undefined) => (id === undefined ? 'unassigned' : `rep:${id}`);
  switch (step.action) {
    case 'notify_rep':
      return rep(owner);
    case 'notify_backup':
      return rep(owner === undefined ? undefined : model.reps.backupOf(owner));
    case 'notify_manager':
      return rep(owner === undefined ? undefined : model.reps.managerOf(owner));
    case 'notify_channel':
      return step.channel === undefined ? 'unassigned' : `channel:${step.channel}`;
    default:
      return 'unassigned';
  }
}

const DEFAULT_MESSAGES: Readonly<Record<SlaStep['action'], string>> = {
  notify_rep: '{contact.name} has had no touch yet.',
  notify_backup: '{contact.name} has had no touch from their owner yet: please step in.',
  notify_manager: '{contact.name} has had no touch within the SLA.',
  notify_channel: '{contact.name} has had no touch within the SLA.',
  reassign: '',
  flag: '',
};

function breach(
  model: SlaModel,
  clock: SlaClock,
  contact: ContactState | undefined,
  now: Millis,
): SlaTimerDecision {
  const breached: SlaClock = Object.assign({}, clock, lateness(model, clock, now), {
    status: 'breached' as const,
    breachedAt: clock.dueAt,
    updatedAt: Math.max(clock.updatedAt, now),
  });
  const effects: Effect[] = [
    {
      kind: 'outbox',
      key: `sla-breach:${clock.key}`,
      type: 'sla_breached',
      contactKey: clock.contactKey,
      at: now,
      payload: context(clock, contact),
    },
  ];
  const definition = model.clocks.find((c) => c.id === clock.clockId);
  if (definition === undefined || contact === undefined || definition.onBreach.length === 0) {
    return { clock: breached, effects, flags: [] };
  }
  const env = {
    reps: model.reps,
    addTime: (start: Millis, d: Parameters<SlaModel['calendar']['addBusinessTime']>[1]) =>
      model.calendar.addBusinessTime(start, d),
  };
  const outcome = stageEntryEffects(definition.onBreach, contact, `sla:${clock.clockId}`, clock.dueAt, env);
  effects.push(...outcome.effects);
  return {
    clock: breached,
    effects,
    flags: outcome.flags,
    ...(outcome.setStage === undefined ? {} : { setStage: outcome.setStage }),
  };
}

interface FiredInput {
  readonly model: SlaModel;
  readonly timer: FiredTimer;
  readonly clock: SlaClock | undefined;
  readonly contact?: ContactState | undefined;
  readonly now: Millis;
}

/**
 * Decides a fired `sla_due` or `sla_step` timer. `clock` is the stored row of `slaTimerRef(timer).clock`
 * (undefined when missing); `contact` gives the messages their lead context. A clock that runs on
 * gets its next timer (`nextClockTimer`) among the effects: a clock keeps one timer scheduled, and
 * each one schedules the next. Never throws.
 */
export function decideSlaTimer(input: FiredInput): SlaTimerDecision {
  const decided = decideFired(input);
  // A reassignment ends this clock and starts the new owner's (handOverClocks), with their timers.
  if (decided.reassign !== undefined) return decided;
  // A timer that changed nothing (already fired, clock stopped) scheduled its successor the first time.
  const clock = decided.clock ?? orphanedStep(input);
  const next = clock === undefined ? undefined : nextClockTimer(input.model, clock);
  if (next === undefined || next.key === input.timer.key) return decided;
  return Object.assign({}, decided, { effects: [...decided.effects, next] });
}

/**
 * The running clock of a step timer whose step the config no longer has (changed since the clock
 * started): the timer does nothing, but the clock's chain must go on past it.
 */
function orphanedStep(input: FiredInput): SlaClock | undefined {
  const ref = slaTimerRef(input.timer);
  const clock = input.clock;
  if (ref?.kind !== 'step' || clock === undefined || !isRunning(clock)) return undefined;
  if (clock.key !== ref.clock || clock.startedAt !== ref.startedAt) return undefined;
  const definition = input.model.clocks.find((c) => c.id === clock.clockId);
  return definition?.steps.some((s) => s.index === ref.step) === true ? undefined : clock;
}

function decideFired(input: FiredInput): SlaTimerDecision {
  const { model, clock, contact, now } = input;
  const ref = slaTimerRef(input.timer);
  if (ref === undefined) return nothing('not an SLA timer');
  if (clock === undefined || clock.key !== ref.clock || clock.startedAt !== ref.startedAt) {
    return nothing('no running clock for this timer (stopped, restarted or gone)');
  }
  if (!isRunning(clock)) return nothing(`the clock is already ${clock.status}`);

  if (ref.kind === 'due') {
    if (clock.status === 'breached') return nothing('the clock is already breached');
    if (now < clock.dueAt) return nothing('the clock is not due yet');
    return breach(model, clock, contact, now);
  }

  const definition = model.clocks.find((c) => c.id === clock.clockId);
  const step = definition?.steps.find((s) => s.index === ref.step);
  if (step === undefined) return nothing(`the clock has no step ${String(ref.step)}`);
  if (clock.steps.some((s) => s.index === step.index)) return nothing(`step ${step.index} already fired`);

  const record = (to: string | undefined): SlaClock => {
    const fired: SlaStepRecord = {
      index: step.index,
      action: step.action,
      at: now,
      ...(to === undefined ? {} : { to }),
    };
    return Object.assign({}, clock, {
      steps: [...clock.steps, fired],
      updatedAt: Math.max(clock.updatedAt, now),
    });
  };

  switch (step.action) {
    case 'flag': {
      const flag = step.flag ?? 'sla_escalated';
      return { clock: record(flag), effects: [], flags: [flag] };
    }
    case 'reassign': {
      if (clock.owner === undefined) return { clock: record('unassigned'), effects: [], flags: [] };
      return {
        clock: record(`rep:${clock.owner}`),
        effects: [],
        flags: [],
        reassign: {
          reason: `${clock.name}: no stop signal within ${step.after.source} (sla clock ${clock.clockId}, step ${step.index + 1})`,
          expectedOwner: clock.owner,
          restart: [clock.key],
        },
      };
    }
    default: {
      const to = recipient(model, step, clock.owner);
      const text = step.message ?? DEFAULT_MESSAGES[step.action];
      return {
        clock: record(to),
        effects: [
          {
            kind: 'outbox',
            key: `sla-step:${clock.key}:${step.index}`,
            type: 'sla_escalation',
            contactKey: clock.contactKey,
            at: now,
            payload: {
              to,
              action: step.action,
              step: step.index,
              after: step.after.source,
              message: contact === undefined ? text : fillTemplate(text, contact),
              ...context(clock, contact),
            },
          },
        ],
        flags: [],
      };
    }
  }
}

/** A running clock taken from its owner at `at`: still breached with its lateness if late, else cancelled. */
function handOver(model: SlaModel, clock: SlaClock, at: Millis, reason: 'reassigned' | 'queued'): SlaClock {
  if (clock.status === 'breached') return endClock(model, clock, at, reason);
  return Object.assign({}, clock, {
    status: 'cancelled' as const,
    stoppedAt: at,
    stopReason: reason,
    updatedAt: at,
  });
}

/**
 * After a reassignment: each of `clocks` (running) ends — `cancelled`, or still `breached` with its
 * lateness at `at` — with its timers cancelled, and starts afresh at `at` for `owner` (due time and
 * ladder from the new start, in the new owner's calendar for `calendar: owner`).
 */
export function restartClocks(input: {
  readonly model: SlaModel;
  readonly clocks: readonly SlaClock[];
  readonly owner: string;
  readonly at: Millis;
  readonly cause: string;
}): ClockChanges {
  const { model, owner, at, cause } = input;
  const clocks: SlaClock[] = [];
  const effects: Effect[] = [];
  for (const clock of input.clocks) {
    if (!isRunning(clock)) continue;
    const definition = model.clocks.find((c) => c.id === clock.clockId);
    clocks.push(handOver(model, clock, at, 'reassigned'));
    effects.push(...cancelClockTimers(model, clock));
    if (definition === undefined) continue;
    const facts = {
      key: clock.contactKey,
      stage: clock.startStage ?? '',
    };
    const fresh = startClock(model, definition, facts, owner, at, cause);
    clocks.push(fresh.clock);
    effects.push(...fresh.timers);
  }
  return { clocks, effects };
}

/**
 * After a reassignment away from `from`: every running clock `from` owned ends (`reassigned`, or
 * `queued` when routing found nobody; a breached one keeps its lateness at `at`) with its timers
 * cancelled. The new owner gets each of them afresh (`restartClocks`); a queue gets the clocks that
 * start on entering it instead (its own SLA). Clocks of other owners, or of nobody, run on.
 */
export function handOverClocks(input: {
  readonly model: SlaModel;
  /** The lead's running clocks. */
  readonly clocks: readonly SlaClock[];
  readonly from: string;
  readonly to: { readonly owner: string } | { readonly queue: string };
  readonly contact: { readonly key: string; readonly stage: string };
  readonly at: Millis;
  readonly cause: string;
}): ClockChanges {
  const { model, from, to, at, cause } = input;
  const owned = input.clocks.filter((c) => isRunning(c) && c.owner === from);
  if ('owner' in to) return restartClocks({ model, clocks: owned, owner: to.owner, at, cause });
  const clocks: SlaClock[] = [];
  const effects: Effect[] = [];
  for (const clock of owned) {
    clocks.push(handOver(model, clock, at, 'queued'));
    effects.push(...cancelClockTimers(model, clock));
  }
  const ended = new Set(owned.map((c) => c.key));
  const started = startClocks({
    model,
    trigger: { kind: 'queued', queue: to.queue, at, cause },
    contact: { key: input.contact.key, stage: input.contact.stage },
    running: input.clocks.filter((c) => isRunning(c) && !ended.has(c.key)),
  });
  return { clocks: [...clocks, ...started.clocks], effects: [...effects, ...started.effects] };
}
