/**
 * From a loaded config to the SLA model core/sla runs: the clocks of `sla.clocks` (start, stops,
 * target, calendar, ladder, onBreach), plus the clocks routing implies — one per ABM tier
 * (`routing.tiers[].sla`, started when a named account's lead is assigned, stopped by a touch, in
 * the owner's calendar) and one per queue (`team.queues[].sla`, started when a lead is queued,
 * stopped when a rep is assigned). Every rep gets their own calendar (zone and hours).
 */
import type { CompiledRule } from '../core/rule.ts';
import type { SlaClockModel, SlaModel, SlaStart, SlaStep, SlaStop } from '../core/sla/model.ts';
import { calendarFor, type BusinessCalendar } from '../core/time/calendar.ts';
import type { RevopsConfig } from './schema/index.ts';

type ClockInput = RevopsConfig['sla']['clocks'][number];

/** The rule with its config path as id (the schema compiled it without one). */
function named(rule: CompiledRule | undefined, path: string): { readonly when?: CompiledRule } {
  return rule === undefined ? {} : { when: Object.freeze(Object.assign({}, rule, { id: path })) };
}

function start(input: ClockInput['start'], path: string): SlaStart {
  if ('stage' in input) return { kind: 'stage', stage: input.stage };
  if ('dealStage' in input) return { kind: 'dealStage', stage: input.dealStage };
  if ('event' in input) return { kind: 'event', type: input.event, ...named(input.when, `${path}.when`) };
  return { kind: 'assigned' };
}

function stop(input: ClockInput['stop'][number], path: string): SlaStop {
  if (typeof input === 'string') return { kind: 'signal', signal: input };
  if ('stage' in input) return { kind: 'stage', stage: input.stage };
  if ('dealStage' in input) return { kind: 'dealStage', stage: input.dealStage };
  return { kind: 'event', type: input.event, ...named(input.when, `${path}.when`) };
}

function clock(input: ClockInput, index: number): SlaClockModel {
  const path = `sla.clocks[${index}]`;
  const steps = input.escalation.map((step, i): SlaStep =>
    Object.freeze({
      index: i,
      after: step.after,
      action: step.action,
      ...(step.channel === undefined ? {} : { channel: step.channel }),
      ...(step.flag === undefined ? {} : { flag: step.flag }),
      ...(step.message === undefined ? {} : { message: step.message }),
    }),
  );
  return Object.freeze({
    kind: 'slaClock',
    id: input.id,
    name: input.name,
    path,
    start: Object.freeze(start(input.start, `${path}.start`)),
    stops: Object.freeze(input.stop.map((s, i) => Object.freeze(stop(s, `${path}.stop[${i}]`)))),
    target: input.target,
    calendar: input.calendar,
    steps: Object.freeze(steps),
    onBreach: Object.freeze([...input.onBreach]),
  });
}

/** What ends a tier or queue clock: a touch, a sales decision, or the lead leaving the stage it was in. */
const RESPONSE_STOPS = Object.freeze(
  (['touch', 'sales_decision', 'stage_exit'] as const).map((signal) =>
    Object.freeze({ kind: 'signal', signal } as const),
  ),
);

/** The clocks of `routing.tiers[].sla` and `team.queues[].sla`. */
function impliedClocks(config: RevopsConfig): SlaClockModel[] {
  const tiers = config.routing.tiers.map((tier, i): SlaClockModel =>
    Object.freeze({
      kind: 'slaClock',
      id: `abm-tier-${tier.tier}`,
      name: `ABM tier ${tier.tier} response (${tier.name})`,
      path: `routing.tiers[${i}].sla`,
      start: Object.freeze({ kind: 'tier', tier: tier.tier }),
      stops: RESPONSE_STOPS,
      target: tier.sla,
      calendar: 'owner',
      steps: Object.freeze([]),
      onBreach: Object.freeze([]),
    }),
  );
  const queues = config.team.queues.map((queue, i): SlaClockModel =>
    Object.freeze({
      kind: 'slaClock',
      id: `queue-${queue.id}`,
      name: `${queue.name} pickup`,
      path: `team.queues[${i}].sla`,
      start: Object.freeze({ kind: 'queued', queue: queue.id }),
      stops: Object.freeze([Object.freeze({ kind: 'assigned' } as const), ...RESPONSE_STOPS]),
      target: queue.sla,
      calendar: 'company',
      steps: Object.freeze([]),
      onBreach: Object.freeze([]),
    }),
  );
  return [...tiers, ...queues];
}

/**
 * The SLA model of `config` over the company `calendar`. Clock ids of `sla.clocks` come first; a
 * tier or queue clock whose id (`abm-tier-<n>`, `queue-<id>`) a configured clock already uses is
 * left out. Throws like `calendarFor` for a rep's unknown time zone or malformed hours.
 */
export function slaModel(config: RevopsConfig, calendar: BusinessCalendar): SlaModel {
  const configured = config.sla.clocks.map(clock);
  const ids = new Set(configured.map((c) => c.id));
  const clocks = [...configured, ...impliedClocks(config).filter((c) => !ids.has(c.id))];
  const reps = new Map(config.team.reps.map((rep) => [rep.id, rep]));
  const calendars = new Map<string, BusinessCalendar>(
    config.team.reps.map((rep) => [
      rep.id,
      calendarFor(calendar, { timezone: rep.timezone, hours: rep.hours }),
    ]),
  );
  return Object.freeze({
    clocks: Object.freeze(clocks),
    calendar,
    calendarOf: (owner: string | undefined) =>
      (owner === undefined ? undefined : calendars.get(owner)) ?? calendar,
    reps: Object.freeze({
      managerOf: (rep: string) => reps.get(rep)?.manager,
      backupOf: (rep: string) => reps.get(rep)?.backup,
    }),
  });
}
