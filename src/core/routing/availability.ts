/**
 * Whether a rep can take a lead at `now`: active, not away, inside their hours when the team asks
 * for it, under capacity, and not excluded from this lead. The first failing check names the reason.
 */
import type { RepModel, TeamModel } from './model.ts';

/** Why a rep was passed over, in the order the checks run. */
export const SKIP_REASONS = [
  'inactive',
  'missing_skill',
  'pto',
  'outside_hours',
  'at_capacity_open',
  'at_capacity_day',
  'excluded',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** A rep's current load, as the engine counts it: open leads now and leads assigned today. */
export interface RepLoad {
  readonly openLeads: number;
  readonly today: number;
}

/** No load recorded: nothing open, nothing today. */
export const NO_LOAD: RepLoad = Object.freeze({ openLeads: 0, today: 0 });

export type Availability =
  | { readonly available: true }
  | { readonly available: false; readonly reason: SkipReason; readonly detail: string };

const AVAILABLE: Availability = Object.freeze({ available: true });

function hhmm(minuteOfDay: number): string {
  const h = Math.floor(minuteOfDay / 60);
  const m = minuteOfDay % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Why a rep cannot take a lead that needs `skills`, or undefined when they have them all. */
export function missingSkills(rep: RepModel, skills: readonly string[]): Availability | undefined {
  if (skills.length === 0) return undefined;
  const missing = skills.filter((skill) => !rep.skills.includes(skill));
  if (missing.length === 0) return undefined;
  return {
    available: false,
    reason: 'missing_skill',
    detail: `${rep.id} lacks the skill${missing.length > 1 ? 's' : ''} ${missing.join(', ')} this rule needs`,
  };
}

/**
 * Checks, in `SKIP_REASONS` order: `inactive`; `missing_skill` (the rule's `skills` the rep lacks); `pto` (the rep's local date of `now` within a
 * from..to range, inclusive); `outside_hours` (only for a team with `respectWorkingHours`);
 * `at_capacity_open` (open leads ≥ maxOpenLeads); `at_capacity_day` (today ≥ maxPerDay);
 * `excluded` (listed in `exclude`, e.g. the previous owner on reassignment). Never throws for a
 * finite `now`.
 */
export function repAvailability(
  rep: RepModel,
  team: TeamModel | undefined,
  load: RepLoad,
  now: number,
  exclude: readonly string[],
  skills: readonly string[] = [],
): Availability {
  if (!rep.active) return { available: false, reason: 'inactive', detail: `${rep.id} is inactive` };
  const unskilled = missingSkills(rep, skills);
  if (unskilled !== undefined) return unskilled;
  const checkHours = team?.respectWorkingHours === true;
  if (rep.pto.length === 0 && !checkHours) return capacity(rep, load, exclude);
  const zone = rep.calendar.spec.timezone;
  if (rep.pto.length > 0) {
    const date = rep.calendar.localDate(now);
    const away = rep.pto.find((p) => p.from <= date && date <= p.to);
    if (away !== undefined) {
      return {
        available: false,
        reason: 'pto',
        detail: `${rep.id} is on PTO ${away.from}..${away.to} (local date ${date} in ${zone})`,
      };
    }
  }
  if (checkHours && !rep.calendar.isOpen(now)) {
    const local = rep.calendar.digest(now);
    return {
      available: false,
      reason: 'outside_hours',
      detail: `${rep.id} is outside working hours (${local.weekday} ${hhmm(local.minuteOfDay)} in ${zone}; team ${team.id} respects working hours)`,
    };
  }
  return capacity(rep, load, exclude);
}

/** The checks after PTO and hours: capacity, then exclusion. */
function capacity(rep: RepModel, load: RepLoad, exclude: readonly string[]): Availability {
  const { maxOpenLeads, maxPerDay } = rep.capacity;
  if (maxOpenLeads !== undefined && load.openLeads >= maxOpenLeads) {
    return {
      available: false,
      reason: 'at_capacity_open',
      detail: `${rep.id} has ${load.openLeads} open leads (maxOpenLeads ${maxOpenLeads})`,
    };
  }
  if (maxPerDay !== undefined && load.today >= maxPerDay) {
    return {
      available: false,
      reason: 'at_capacity_day',
      detail: `${rep.id} has ${load.today} leads today (maxPerDay ${maxPerDay})`,
    };
  }
  if (exclude.includes(rep.id)) {
    return {
      available: false,
      reason: 'excluded',
      detail: `${rep.id} is excluded from this lead (a previous owner)`,
    };
  }
  return AVAILABLE;
}
