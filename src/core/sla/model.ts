/**
 * SLA clocks as core/ runs them: compiled clock definitions (what starts a clock, what stops it,
 * its target in business or wall time, whose calendar counts, the escalation ladder) and the clock
 * rows a started clock becomes. config/slaModel.ts builds the model from `sla.clocks`, the ABM tiers
 * and the fallback queues; the functions in clock.ts and ladder.ts decide, the engine writes.
 */
import type { StageAction, RepDirectory } from '../lifecycle/actions.ts';
import type { CompiledRule } from '../rule.ts';
import type { BusinessCalendar } from '../time/calendar.ts';
import type { Duration } from '../time/duration.ts';
import type { ContactKey, Millis } from '../types.ts';

/** The stop signals a clock can list by name (as `sla.clocks[].stop` writes them). */
export const SLA_STOP_SIGNALS = [
  'touch',
  'meeting_booked',
  'meeting_held',
  'sales_decision',
  'stage_exit',
  'deal_created',
] as const;
export type SlaStopSignal = (typeof SLA_STOP_SIGNALS)[number];

export const SLA_ESCALATION_ACTIONS = [
  'notify_rep',
  'notify_backup',
  'notify_manager',
  'notify_channel',
  'reassign',
  'flag',
] as const;
export type SlaEscalationAction = (typeof SLA_ESCALATION_ACTIONS)[number];

export const SLA_CLOCK_STATUSES = ['open', 'met', 'breached', 'cancelled'] as const;
export type SlaClockStatus = (typeof SLA_CLOCK_STATUSES)[number];

/** What starts a clock. */
export type SlaStart =
  | { readonly kind: 'stage'; readonly stage: string }
  | { readonly kind: 'event'; readonly type: string; readonly when?: CompiledRule }
  | { readonly kind: 'assigned' }
  /** An assignment from a named account of this ABM tier (`routing.tiers[].sla`). */
  | { readonly kind: 'tier'; readonly tier: number }
  /** A lead queued in this queue (`team.queues[].sla`: how soon it must be picked up). */
  | { readonly kind: 'queued'; readonly queue: string }
  | { readonly kind: 'dealStage'; readonly stage: string };

/** What stops a clock. */
export type SlaStop =
  | { readonly kind: 'signal'; readonly signal: SlaStopSignal }
  | { readonly kind: 'stage'; readonly stage: string }
  | { readonly kind: 'dealStage'; readonly stage: string }
  | { readonly kind: 'event'; readonly type: string; readonly when?: CompiledRule }
  /** An assignment to a rep (a queued lead was picked up). */
  | { readonly kind: 'assigned' };

/** One rung of an escalation ladder; `after` counts from the clock start in the clock's calendar. */
export interface SlaStep {
  readonly index: number;
  readonly after: Duration;
  readonly action: SlaEscalationAction;
  readonly channel?: string;
  readonly flag?: string;
  readonly message?: string;
}

export interface SlaClockModel {
  readonly kind: 'slaClock';
  readonly id: string;
  readonly name: string;
  /** Where it comes from: `sla.clocks[0]`, `routing.tiers[0].sla`, `team.queues[0].sla`. */
  readonly path: string;
  readonly start: SlaStart;
  readonly stops: readonly SlaStop[];
  readonly target: Duration;
  /** `owner`: the owner's working hours and zone count (the company's when there is no owner). */
  readonly calendar: 'company' | 'owner';
  readonly steps: readonly SlaStep[];
  readonly onBreach: readonly StageAction[];
}

/** Everything the clock functions need: definitions, calendars and who backs up whom. */
export interface SlaModel {
  readonly clocks: readonly SlaClockModel[];
  /** The company calendar. */
  readonly calendar: BusinessCalendar;
  /** A rep's own calendar (zone and hours over the company's); the company's for none or an unknown rep. */
  readonly calendarOf: (owner: string | undefined) => BusinessCalendar;
  readonly reps: RepDirectory;
}

/** An escalation step that fired. */
export interface SlaStepRecord {
  readonly index: number;
  readonly action: SlaEscalationAction;
  readonly at: Millis;
  /** The recipient (`rep:x`, `channel:y`, `unassigned`), the flag raised, or the owner reassigned away from. */
  readonly to?: string;
}

/**
 * A started clock as stored (`sla_clocks`). Status: `open` until stopped or due; `met` when a stop
 * signal came at or before `dueAt`; `breached` once late (the due timer fired, or a stop came after
 * `dueAt`); `cancelled` when abandoned before its due time (a reassignment restarts it). A breached
 * clock keeps running (its ladder goes on) until a stop signal ends it (`stoppedAt`).
 */
export interface SlaClock {
  /** `sla:<contactKey>:<clockId>:<startedAt>`. */
  readonly key: string;
  readonly contactKey: ContactKey;
  readonly clockId: string;
  readonly name: string;
  readonly owner?: string;
  readonly startedAt: Millis;
  readonly dueAt: Millis;
  readonly status: SlaClockStatus;
  /** The target as written (`4 business hours`); lateness is counted in business time when it is one. */
  readonly target: string;
  readonly business: boolean;
  /** The time zone of the calendar that counted (the owner's or the company's). */
  readonly timezone: string;
  /** The contact's stage when the clock started (what `stage_exit` leaves). */
  readonly startStage?: string;
  /** What started it: an event id, `timer:<key>`, `reassign:<key>`. */
  readonly cause: string;
  readonly stoppedAt?: Millis;
  /** The stop signal (`touch`, `stage_exit`, `stage:sql`, …) or `reassigned`. */
  readonly stopReason?: string;
  /** Set only on `met`: when the stop signal came. */
  readonly metAt?: Millis;
  /** Set only on `breached`: the due time it passed. */
  readonly breachedAt?: Millis;
  /** How late (breached only): stop (or now) minus due, in the clock's measure (business ms for business targets). */
  readonly lateMs?: number;
  /** The same lateness in wall-clock milliseconds. */
  readonly lateWallMs?: number;
  readonly steps: readonly SlaStepRecord[];
  readonly updatedAt: Millis;
}

/** Whether a clock still runs: open, or breached and not yet stopped (its ladder goes on). */
export function isRunning(clock: SlaClock): boolean {
  return clock.stoppedAt === undefined && (clock.status === 'open' || clock.status === 'breached');
}

/** The calendar a clock counts in. */
export function clockCalendar(
  model: SlaModel,
  definition: SlaClockModel | undefined,
  owner?: string,
): BusinessCalendar {
  return definition?.calendar === 'owner' ? model.calendarOf(owner) : model.calendar;
}
