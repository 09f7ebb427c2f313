/**
 * What one event does to a lead's SLA clocks: the stop signals it carries (a touch, a meeting, a
 * sales decision, each stage left or entered, an assignment) end the running clocks they meet,
 * then every stage it entered, the event itself and any assignment or queueing start the clocks
 * defined for them. Stops come first, so an event that moves a lead from mql to sql ends the MQL
 * clocks and starts the SQL ones. The clock arithmetic is in core/sla; this only gathers triggers.
 */
import type { Effect } from '../effects.ts';
import type { AssignmentRow } from '../ports.ts';
import type { RuleContext } from '../rule.ts';
import {
  concernsAnyClock,
  eventSignals,
  startClocks,
  stopClocksBySignals,
  type SlaSignal,
  type SlaTrigger,
} from '../sla/clock.ts';
import { isRunning, type SlaClock, type SlaModel } from '../sla/model.ts';
import type { ContactState, InboundEvent, StageChange } from '../types.ts';

export interface ClockOutcome {
  /** Clock rows to upsert: those started and those that stopped. */
  readonly changed: readonly SlaClock[];
  /** The lead's running clocks afterwards. */
  readonly running: readonly SlaClock[];
  /** Their timers to schedule and cancel. */
  readonly effects: readonly Effect[];
}

/** Nothing changed, nothing running: shared, so frozen throughout. */
const NONE: ClockOutcome = Object.freeze({
  changed: Object.freeze([]),
  running: Object.freeze([]),
  effects: Object.freeze([]),
});

export function clocksForEvent(input: {
  readonly model: SlaModel | undefined;
  readonly running: readonly SlaClock[];
  /** The lead after the event (owner, stage). */
  readonly contact: ContactState;
  readonly event: InboundEvent;
  readonly context: RuleContext;
  readonly stageChanges: readonly StageChange[];
  readonly assignments: readonly AssignmentRow[];
  /** The ABM tier of the lead's named account, for tier clocks on an assignment. */
  readonly tier?: number | undefined;
}): ClockOutcome {
  const { model, contact, event } = input;
  if (model === undefined || model.clocks.length === 0) return NONE;
  const signals: SlaSignal[] = eventSignals(event, input.context);
  const triggers: SlaTrigger[] = [];
  for (const change of input.stageChanges) {
    signals.push({ kind: 'stage', from: change.from, to: change.to, at: change.at });
    triggers.push({ kind: 'stage', stage: change.to, at: change.at, cause: change.cause });
  }
  triggers.push({ kind: 'event', event, context: input.context });
  // A deal entering a stage starts that deal stage's clocks (the signal carries the stage).
  for (const signal of signals) {
    if (signal.kind === 'dealStage') {
      triggers.push({ kind: 'dealStage', stage: signal.stage, at: signal.at, cause: event.id });
    }
  }
  for (const row of input.assignments) {
    if (row.kind === 'assigned' && row.owner !== undefined) {
      signals.push({ kind: 'assigned', owner: row.owner, at: row.at });
      triggers.push({ kind: 'assigned', owner: row.owner, tier: input.tier, at: row.at, cause: event.id });
    } else if (row.kind === 'queued' && row.queue !== undefined) {
      triggers.push({ kind: 'queued', queue: row.queue, at: row.at, cause: event.id });
    }
  }

  // Most events (a page view of a lead with no clock running) stop nothing and start nothing.
  if (input.running.length === 0 && !triggers.some((trigger) => concernsAnyClock(model, trigger)))
    return NONE;

  const current = new Map(input.running.map((c) => [c.key, c]));
  const changed = new Map<string, SlaClock>();
  const effects: Effect[] = [];
  const stopped = stopClocksBySignals({ model, clocks: input.running, signals });
  for (const clock of stopped.clocks) {
    current.set(clock.key, clock);
    changed.set(clock.key, clock);
  }
  effects.push(...stopped.effects);
  for (const trigger of triggers) {
    const stage = trigger.kind === 'stage' ? trigger.stage : contact.stage;
    const started = startClocks({
      model,
      trigger,
      contact: { key: contact.key, stage, owner: contact.owner },
      running: [...current.values()].filter(isRunning),
      explain: false,
    });
    for (const clock of started.clocks) {
      current.set(clock.key, clock);
      changed.set(clock.key, clock);
    }
    effects.push(...started.effects);
  }
  return {
    changed: [...changed.values()],
    running: [...current.values()].filter(isRunning),
    effects,
  };
}
