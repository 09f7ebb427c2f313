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

/**
 * Why `rep` cannot take the lead now, or undefined when it can. Checks, in `SKIP_REASONS` order:
 * `inactive`; `missing_skill` (the rule's `skills` the rep lacks); `pto` (the rep's local date of
 * `now` within a from..to range, inclusive); `outside_hours` (only for a team with
 * `respectWorkingHours`); `at_capacity_open` (open leads ≥ maxOpenLeads); `at_capacity_day` (today ≥
 * maxPerDay); `excluded` (listed in `exclude`, e.g. the previous owner on reassignment). Builds no
 * text: every round-robin pick asks this of every member. Never throws for a finite `now`.
 */
export function skipReason(
  rep: RepModel,
  team: TeamModel | undefined,
  load: RepLoad,
  now: number,
  exclude: readonly string[],
  skills: readonly string[] = [],
): SkipReason | undefined {
  if (!rep.active) return 'inactive';
  for (let i = 0; i < skills.length; i++) if (!rep.skills.includes(skills[i] ?? '')) return 'missing_skill';
  if (rep.pto.length > 0 && ptoOn(rep, rep.calendar.localDate(now)) !== undefined) return 'pto';
  if (team?.respectWorkingHours === true && !rep.calendar.isOpen(now)) return 'outside_hours';
  const { maxOpenLeads, maxPerDay } = rep.capacity;
  if (maxOpenLeads !== undefined && load.openLeads >= maxOpenLeads) return 'at_capacity_open';
  if (maxPerDay !== undefined && load.today >= maxPerDay) return 'at_capacity_day';
  if (exclude.includes(rep.id)) return 'excluded';
  return undefined;
}

function ptoOn(rep: RepModel, date: string): RepModel['pto'][number] | undefined {
  for (const p of rep.pto) if (p.from <= date && date <= p.to) return p;
  return undefined;
}

/** What `skipReason` found, in words: the rep, the rule or setting, and the figures. */
export function skipDetail(
  reason: SkipReason,
  rep: RepModel,
  team: TeamModel | undefined,
  load: RepLoad,
  now: number,
  skills: readonly string[],
): string {
  const zone = rep.calendar.spec.timezone;
  switch (reason) {
    case 'inactive':
      return `${rep.id} is inactive`;
    case 'missing_skill': {
      const missing = skills.filter((skill) => !rep.skills.includes(skill));
      return `${rep.id} lacks the skill${missing.length > 1 ? 's' : ''} ${missing.join(', ')} this rule needs`;
    }
    case 'pto': {
      const date = rep.calendar.localDate(now);
      const away = ptoOn(rep, date);
      return `${rep.id} is on PTO ${away?.from ?? ''}..${away?.to ?? ''} (local date ${date} in ${zone})`;
    }
    case 'outside_hours': {
      const local = rep.calendar.digest(now);
      return `${rep.id} is outside working hours (${local.weekday} ${hhmm(local.minuteOfDay)} in ${zone}; team ${team?.id ?? ''} respects working hours)`;
    }
    case 'at_capacity_open':
      return `${rep.id} has ${load.openLeads} open leads (maxOpenLeads ${rep.capacity.maxOpenLeads ?? 0})`;
    case 'at_capacity_day':
      return `${rep.id} has ${load.today} leads today (maxPerDay ${rep.capacity.maxPerDay ?? 0})`;
    case 'excluded':
      return `${rep.id} is excluded from this lead (a previous owner)`;
  }
}

/** `skipReason` with its explanation: available, or the reason and the detail in words. */
export function repAvailability(
  rep: RepModel,
  team: TeamModel | undefined,
  load: RepLoad,
  now: number,
  exclude: readonly string[],
  skills: readonly string[] = [],
): Availability {
  const reason = skipReason(rep, team, load, now, exclude, skills);
  if (reason === undefined) return AVAILABLE;
  return { available: false, reason, detail: skipDetail(reason, rep, team, load, now, skills) };
}
