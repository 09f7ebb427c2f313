/**
 * Starting and stopping SLA clocks. Pure: the caller passes the contact's running clocks and the
 * instant; back come clock rows to upsert and timer effects (the first of the due time and the
 * ladder steps; each fired timer schedules the next) or their cancellations. Keys are derived from the contact, the clock and its start, so deciding
 * twice writes nothing new.
 *
 * Time: a clock's due time and its steps are `addBusinessTime(start, duration)` in the clock's
 * calendar (the owner's for `calendar: owner`, else the company's); wall-clock durations add real
 * time. A clock is met when a stop signal comes at or before its due time (the signal's own time,
 * so a touch logged late still counts when it happened), otherwise breached with its lateness:
 * stop minus due, in business milliseconds for a business target, wall milliseconds otherwise.
 */
import type { Building } from '../building.ts';
import type { CancelTimerEffect, Effect, TimerEffect } from '../effects.ts';
import type { RuleContext } from '../rule.ts';
import type { ContactKey, InboundEvent, Millis } from '../types.ts';
import {
  clockCalendar,
  isRunning,
  type SlaClock,
  type SlaClockModel,
  type SlaModel,
  type SlaStep,
  type SlaStop,
} from './model.ts';

/** What may start clocks. `at` is the instant the clocks start from. */
export type SlaTrigger =
  | { readonly kind: 'stage'; readonly stage: string; readonly at: Millis; readonly cause: string }
  | {
      readonly kind: 'event';
      readonly event: InboundEvent;
      /** The rule context of the contact with this event (for `start.when`). */
      readonly context: RuleContext;
    }
  | {
      readonly kind: 'assigned';
      readonly owner: string;
      /** The ABM tier of the lead's named account, when the assignment came from one. */
      readonly tier?: number | undefined;
      readonly at: Millis;
      readonly cause: string;
    }
  | { readonly kind: 'queued'; readonly queue: string; readonly at: Millis; readonly cause: string }
  | { readonly kind: 'dealStage'; readonly stage: string; readonly at: Millis; readonly cause: string };

/** What may stop clocks; `at` is when it happened. */
export type SlaSignal =
  /** A rep touched the lead (`rep_activity`); `rep` absent means the owner. */
  | { readonly kind: 'touch'; readonly rep?: string | undefined; readonly at: Millis }
  | { readonly kind: 'meeting'; readonly action: 'booked' | 'held'; readonly at: Millis }
  | { readonly kind: 'sales_decision'; readonly at: Millis }
  /** A stage move: stops `stage_exit` clocks started in `from`, and `{ stage: to }` clocks. */
  | { readonly kind: 'stage'; readonly from?: string | undefined; readonly to: string; readonly at: Millis }
  | { readonly kind: 'deal_created'; readonly at: Millis }
  | { readonly kind: 'dealStage'; readonly stage: string; readonly at: Millis }
  | { readonly kind: 'event'; readonly event: InboundEvent; readonly context: RuleContext }
  | { readonly kind: 'assigned'; readonly owner: string; readonly at: Millis };

/** The contact facts a start needs. */
export interface SlaContactFacts {
  readonly key: ContactKey;
  readonly stage: string;
  readonly owner?: string | undefined;
}

export interface StartTrace {
  readonly clockId: string;
  readonly started: boolean;
  /** Why it did not start (`already running`, `start.when is false`), or how the due time was found. */
  readonly detail: string;
}

export interface ClockChanges {
  /** Clock rows to upsert (new, or changed). */
  readonly clocks: readonly SlaClock[];
  /** Timers to schedule or cancel. */
  readonly effects: readonly Effect[];
}

/** The timer keys of a clock: its due time, and each ladder step. */
export function dueTimerKey(clockKey: string): string {
  return `${clockKey}:due`;
}
export function stepTimerKey(clockKey: string, index: number): string {
  return `${clockKey}:step:${index}`;
}

/** The clock row key: `sla:<contactKey>:<clockId>:<startedAt>`. */
export function clockKey(contactKey: ContactKey, clockId: string, startedAt: Millis): string {
  return `sla:${contactKey}:${clockId}:${startedAt}`;
}

function triggerAt(trigger: SlaTrigger): Millis {
  return trigger.kind === 'event' ? trigger.event.at : trigger.at;
}

function triggerCause(trigger: SlaTrigger): string {
  return trigger.kind === 'event' ? trigger.event.id : trigger.cause;
}

/** Whether `definition` starts on `trigger` (undefined), or why not. */
function startsOn(definition: SlaClockModel, trigger: SlaTrigger): string | undefined {
  const start = definition.start;
  switch (start.kind) {
    case 'stage':
      return trigger.kind === 'stage' && trigger.stage === start.stage ? undefined : 'no match';
    case 'dealStage':
      return trigger.kind === 'dealStage' && trigger.stage === start.stage ? undefined : 'no match';
    case 'assigned':
      return trigger.kind === 'assigned' ? undefined : 'no match';
    case 'tier':
      return trigger.kind === 'assigned' && trigger.tier === start.tier ? undefined : 'no match';
    case 'queued':
      return trigger.kind === 'queued' && trigger.queue === start.queue ? undefined : 'no match';
    case 'event':
      if (trigger.kind !== 'event' || trigger.event.type !== start.type) return 'no match';
      if (start.when === undefined || start.when.evaluate(trigger.context)) return undefined;
      return `start.when is false: ${start.when.source}`;
  }
}

/**
 * Whether `trigger` concerns any clock of `model` (one starts on it, or is traced as not started):
 * false lets a caller skip `startClocks`, which would start nothing.
 */
export function concernsAnyClock(model: SlaModel, trigger: SlaTrigger): boolean {
  for (const definition of model.clocks) if (startsOn(definition, trigger) !== 'no match') return true;
  return false;
}

/** The due time's rank in a ladder: before any step at the same instant (steps rank by index). */
const DUE_RANK = -1;
const rankOf = (step: SlaStep | undefined): number => (step === undefined ? DUE_RANK : step.index);

/** The timer of one rung of a clock's ladder, at `dueAt`: step `step`, or the due time when undefined. */
function rungTimer(clock: SlaClock, step: SlaStep | undefined, dueAt: Millis): TimerEffect {
  if (step === undefined) {
    return {
      kind: 'timer',
      key: dueTimerKey(clock.key),
      dueAt,
      contactKey: clock.contactKey,
      payload: { kind: 'sla_due', clock: clock.key, clockId: clock.clockId, startedAt: clock.startedAt },
    };
  }
  return {
    kind: 'timer',
    key: stepTimerKey(clock.key, step.index),
    dueAt,
    contactKey: clock.contactKey,
    payload: {
      kind: 'sla_step',
      clock: clock.key,
      clockId: clock.clockId,
      startedAt: clock.startedAt,
      step: step.index,
      action: step.action,
    },
  };
}

/**
 * Every timer of a clock in the order they come due: its due time and each ladder step, by time,
 * the due time before a step at the same instant, steps by index. Only the first one still pending
 * is scheduled at a time (`nextClockTimer`, which finds it without building the others).
 */
export function ladderTimers(model: SlaModel, definition: SlaClockModel, clock: SlaClock): TimerEffect[] {
  const calendar = clockCalendar(model, definition, clock.owner);
  const rungs: { step: SlaStep | undefined; dueAt: Millis }[] = [{ step: undefined, dueAt: clock.dueAt }];
  for (const step of definition.steps) {
    rungs.push({ step, dueAt: calendar.addBusinessTime(clock.startedAt, step.after) });
  }
  rungs.sort((a, b) => a.dueAt - b.dueAt || rankOf(a.step) - rankOf(b.step));
  return rungs.map((r) => rungTimer(clock, r.step, r.dueAt));
}

const ALL_PENDING = (): boolean => true;

/**
 * The first timer of the ladder, in `ladderTimers` order, among the rungs `pending` accepts (it is
 * given the step, undefined for the due time); only that one is built: every started or advanced
 * clock asks this.
 */
function firstPendingTimer(
  model: SlaModel,
  definition: SlaClockModel,
  clock: SlaClock,
  pending: (step: SlaStep | undefined) => boolean,
): TimerEffect | undefined {
  let found = pending(undefined);
  let best: SlaStep | undefined;
  let bestAt = clock.dueAt;
  const { steps } = definition;
  if (steps.length > 0) {
    const calendar = clockCalendar(model, definition, clock.owner);
    for (const step of steps) {
      if (!pending(step)) continue;
      const at = calendar.addBusinessTime(clock.startedAt, step.after);
      if (!found || at < bestAt || (at === bestAt && step.index < rankOf(best))) {
        found = true;
        best = step;
        bestAt = at;
      }
    }
  }
  return found ? rungTimer(clock, best, bestAt) : undefined;
}

/**
 * The one timer a running clock has scheduled: the first of its ladder (`ladderTimers`) still to
 * fire — the due time while the clock is not breached, a step not yet recorded. Firing it schedules
 * the next, so a clock holds one timer row instead of one per rung (a routed MQL with the reference
 * clocks wrote ten timer rows; it now writes four). Undefined when the clock is not running or
 * nothing is left.
 */
export function nextClockTimer(model: SlaModel, clock: SlaClock): TimerEffect | undefined {
  if (!isRunning(clock)) return undefined;
  const definition = model.clocks.find((c) => c.id === clock.clockId);
  if (definition === undefined) return undefined;
  const fired = clock.steps;
  return firstPendingTimer(model, definition, clock, (step) =>
    step === undefined ? clock.status !== 'breached' : !fired.some((s) => s.index === step.index),
  );
}

/** A fresh clock of `definition` for `contact`, started at `at`, with its timers. */
export function startClock(
  model: SlaModel,
  definition: SlaClockModel,
  contact: SlaContactFacts,
  owner: string | undefined,
  at: Millis,
  cause: string,
): { clock: SlaClock; timers: TimerEffect[] } {
  const calendar = clockCalendar(model, definition, owner);
  // Built key by key (`owner` only when there is one) in the row's key order.
  const building: Building<SlaClock> = {
    key: clockKey(contact.key, definition.id, at),
    contactKey: contact.key,
    clockId: definition.id,
    name: definition.name,
  };
  if (owner !== undefined) building.owner = owner;
  building.startedAt = at;
  building.dueAt = calendar.addBusinessTime(at, definition.target);
  building.status = 'open';
  building.target = definition.target.source;
  building.business = definition.target.business;
  building.timezone = calendar.spec.timezone;
  building.startStage = contact.stage;
  building.cause = cause;
  building.steps = [];
  building.updatedAt = at;
  const clock = building as SlaClock;
  const first = firstPendingTimer(model, definition, clock, ALL_PENDING);
  return { clock, timers: first === undefined ? [] : [first] };
}

/**
 * Starts every clock `trigger` starts for `contact`, except one of the same id still running
 * (`running`: the contact's clocks from `openClocksOf`). The owner is the assignment's for an
 * `assigned` trigger, else the contact's. Throws only when a calendar never opens (bad config).
 * `explain: false` leaves `trace` empty (the engine's hot path stores no start trace).
 */
export function startClocks(input: {
  readonly model: SlaModel;
  readonly trigger: SlaTrigger;
  readonly contact: SlaContactFacts;
  readonly running: readonly SlaClock[];
  readonly explain?: boolean;
}): ClockChanges & { readonly trace: readonly StartTrace[] } {
  const { model, trigger, contact } = input;
  const at = triggerAt(trigger);
  const owner = trigger.kind === 'assigned' ? trigger.owner : contact.owner;
  const clocks: SlaClock[] = [];
  const effects: Effect[] = [];
  const trace: StartTrace[] = [];
  for (const definition of model.clocks) {
    const why = startsOn(definition, trigger);
    if (why === 'no match') continue;
    if (why !== undefined) {
      trace.push({ clockId: definition.id, started: false, detail: why });
      continue;
    }
    const running = input.running.find(
      (c) => c.contactKey === contact.key && c.clockId === definition.id && isRunning(c),
    );
    if (running !== undefined) {
      trace.push({
        clockId: definition.id,
        started: false,
        detail: `already running since ${new Date(running.startedAt).toISOString()}`,
      });
      continue;
    }
    const started = startClock(model, definition, contact, owner, at, triggerCause(trigger));
    clocks.push(started.clock);
    effects.push(...started.timers);
    if (input.explain === false) continue;
    trace.push({
      clockId: definition.id,
      started: true,
      detail: `${new Date(at).toISOString()} + ${definition.target.source} in ${started.clock.timezone} = ${new Date(started.clock.dueAt).toISOString()}`,
    });
  }
  return { clocks, effects, trace };
}

/** Reps whose touch counts for a clock: its owner, the owner's backup and manager (the ladder's people). */
function touchCounts(model: SlaModel, clock: SlaClock, rep: string | undefined): boolean {
  const owner = clock.owner;
  if (rep === undefined || owner === undefined || rep === owner) return true;
  return rep === model.reps.backupOf(owner) || rep === model.reps.managerOf(owner);
}

/** The name of the stop `signal` meets for `clock`, or undefined. */
function stopReason(model: SlaModel, stop: SlaStop, clock: SlaClock, signal: SlaSignal): string | undefined {
  switch (stop.kind) {
    case 'signal':
      switch (stop.signal) {
        case 'touch':
          return signal.kind === 'touch' && touchCounts(model, clock, signal.rep) ? 'touch' : undefined;
        case 'meeting_booked':
          return signal.kind === 'meeting' && signal.action === 'booked' ? 'meeting_booked' : undefined;
        case 'meeting_held':
          return signal.kind === 'meeting' && signal.action === 'held' ? 'meeting_held' : undefined;
        case 'sales_decision':
          return signal.kind === 'sales_decision' ? 'sales_decision' : undefined;
        case 'deal_created':
          return signal.kind === 'deal_created' ? 'deal_created' : undefined;
        case 'stage_exit':
          return signal.kind === 'stage' && signal.from !== undefined && signal.from === clock.startStage
            ? 'stage_exit'
            : undefined;
      }
      return undefined;
    case 'stage':
      return signal.kind === 'stage' && signal.to === stop.stage ? `stage:${stop.stage}` : undefined;
    case 'dealStage':
      return signal.kind === 'dealStage' && signal.stage === stop.stage
        ? `dealStage:${stop.stage}`
        : undefined;
    case 'event':
      if (signal.kind !== 'event' || signal.event.type !== stop.type) return undefined;
      return stop.when === undefined || stop.when.evaluate(signal.context) ? `event:${stop.type}` : undefined;
    case 'assigned':
      return signal.kind === 'assigned' ? 'assigned' : undefined;
  }
}

function signalAt(signal: SlaSignal): Millis {
  return signal.kind === 'event' ? signal.event.at : signal.at;
}

/** Lateness of `at` past the clock's due time, in its measure and in wall time. */
export function lateness(
  model: SlaModel,
  clock: SlaClock,
  at: Millis,
): { readonly lateMs: number; readonly lateWallMs: number } {
  const definition = model.clocks.find((c) => c.id === clock.clockId);
  const wall = Math.max(0, at - clock.dueAt);
  if (!clock.business) return { lateMs: wall, lateWallMs: wall };
  const calendar = clockCalendar(model, definition, clock.owner);
  return { lateMs: Math.max(0, calendar.businessTimeBetween(clock.dueAt, at)), lateWallMs: wall };
}

/** `clock` ended at `at` by `reason`: met when on time, else breached with its lateness. */
export function endClock(model: SlaModel, clock: SlaClock, at: Millis, reason: string): SlaClock {
  const { metAt: _metAt, breachedAt: _breachedAt, lateMs: _lateMs, lateWallMs: _lateWallMs, ...rest } = clock;
  if (at <= clock.dueAt) {
    return Object.assign({}, rest, {
      status: 'met' as const,
      stoppedAt: at,
      stopReason: reason,
      metAt: at,
      updatedAt: at,
    });
  }
  return Object.assign({}, rest, lateness(model, clock, at), {
    status: 'breached' as const,
    stoppedAt: at,
    stopReason: reason,
    breachedAt: clock.dueAt,
    updatedAt: Math.max(clock.updatedAt, at),
  });
}

/** Cancellations of every timer a clock may have pending. */
export function cancelClockTimers(model: SlaModel, clock: SlaClock): CancelTimerEffect[] {
  const definition = model.clocks.find((c) => c.id === clock.clockId);
  const keys = [dueTimerKey(clock.key)];
  const fired = new Set(clock.steps.map((s) => s.index));
  for (const step of definition?.steps ?? []) {
    if (!fired.has(step.index)) keys.push(stepTimerKey(clock.key, step.index));
  }
  return keys.map((key) => ({ kind: 'cancelTimer', key }));
}

/**
 * Stops the running clocks `signal` meets: each becomes `met` (signal at or before due) or
 * `breached` with its lateness, and its pending timers are cancelled. A signal from before a
 * clock's start does not stop it. Clocks not met by the signal are left out of the result.
 */
export function stopClocks(input: {
  readonly model: SlaModel;
  readonly clocks: readonly SlaClock[];
  readonly signal: SlaSignal;
}): ClockChanges {
  const { model, signal } = input;
  const at = signalAt(signal);
  const clocks: SlaClock[] = [];
  const effects: Effect[] = [];
  for (const clock of input.clocks) {
    if (!isRunning(clock) || at < clock.startedAt) continue;
    const definition = model.clocks.find((c) => c.id === clock.clockId);
    if (definition === undefined) continue;
    let reason: string | undefined;
    for (const stop of definition.stops) {
      reason = stopReason(model, stop, clock, signal);
      if (reason !== undefined) break;
    }
    if (reason === undefined) continue;
    clocks.push(endClock(model, clock, at, reason));
    effects.push(...cancelClockTimers(model, clock));
  }
  return { clocks, effects };
}

/**
 * The stop signals an event carries (without stage moves, which the lifecycle decides):
 * `rep_activity` → touch; `meeting` booked/held; `sales_decision`; `deal` created (and its stage
 * from `properties.stage`, or closed_won/closed_lost); always the event itself for `{ event: … }` stops.
 */
export function eventSignals(event: InboundEvent, context: RuleContext): SlaSignal[] {
  const at = event.at;
  const p = event.properties;
  const signals: SlaSignal[] = [];
  switch (event.type) {
    case 'rep_activity':
      signals.push({ kind: 'touch', rep: typeof p['rep'] === 'string' ? p['rep'] : undefined, at });
      break;
    case 'meeting':
      if (p['action'] === 'booked' || p['action'] === 'held')
        signals.push({ kind: 'meeting', action: p['action'], at });
      break;
    case 'sales_decision':
      signals.push({ kind: 'sales_decision', at });
      break;
    case 'deal':
      if (p['action'] === 'created') signals.push({ kind: 'deal_created', at });
      if (p['action'] === 'closed_won' || p['action'] === 'closed_lost') {
        signals.push({ kind: 'dealStage', stage: p['action'], at });
      } else if (typeof p['stage'] === 'string') {
        signals.push({ kind: 'dealStage', stage: p['stage'], at });
      }
      break;
    default:
      break;
  }
  signals.push({ kind: 'event', event, context });
  return signals;
}

/** Applies several signals in order (a clock stops at the first that meets it). */
export function stopClocksBySignals(input: {
  readonly model: SlaModel;
  readonly clocks: readonly SlaClock[];
  readonly signals: readonly SlaSignal[];
}): ClockChanges {
  const current = new Map(input.clocks.map((c) => [c.key, c]));
  const changed = new Map<string, SlaClock>();
  const effects: Effect[] = [];
  for (const signal of input.signals) {
    const stopped = stopClocks({ model: input.model, clocks: [...current.values()], signal });
    for (const clock of stopped.clocks) {
      current.set(clock.key, clock);
      changed.set(clock.key, clock);
    }
    effects.push(...stopped.effects);
  }
  return { clocks: [...changed.values()], effects };
}
