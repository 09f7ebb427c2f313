/**
 * Fair weighted round-robin over a team's available members (the arithmetic is in fairShare.ts):
 * counts per rep for the current period, a returning rep calibrated so it is not flooded, and among
 * the reps below their weighted share the one whose next lead is due first. The counts and the reps
 * eligible at this pick ("present") come back for the engine to store; nothing here remembers
 * anything between calls.
 */
import type { BusinessCalendar } from '../time/calendar.ts';
import { NO_LOAD, skipDetail, skipReason, type RepLoad, type SkipReason } from './availability.ts';
import { calibrate, choose, measure, type ShareRow } from './fairShare.ts';
import type { RepModel, TeamModel } from './model.ts';
import { periodKey } from './period.ts';

/** A team's stored round-robin state: counts per rep for one period and who was eligible last time. */
export interface TeamCounters {
  readonly period: string;
  readonly counts: Readonly<Record<string, number>>;
  /** Rep ids eligible at the last pick. */
  readonly present: readonly string[];
}

/** One team member as the pick saw it. `target`, `deficit` and `due` are 0 for skipped reps. */
export interface CandidateTrace {
  readonly rep: string;
  readonly team: string;
  readonly status: 'chosen' | 'eligible' | 'skipped';
  readonly reason?: SkipReason;
  readonly detail?: string;
  /** The period's count before this lead (after calibration). */
  readonly count: number;
  readonly weight: number;
  /** Weighted share of the eligible reps' leads, this lead included. */
  readonly target: number;
  /** target − count, plus the quota bonus when the team has `quotaPriority`. */
  readonly deficit: number;
  /** The lead number (among the eligible reps, this period) at which its share reaches count + 1. */
  readonly due: number;
  readonly openLeads: number;
}

export interface PickInput {
  readonly now: number;
  /** The company calendar: periods are counted in its zone. */
  readonly calendar: BusinessCalendar;
  /** Per rep; a missing rep has no load. */
  readonly load: ReadonlyMap<string, RepLoad>;
  /** As stored; missing or from another period: every count starts at 0. */
  readonly counters?: TeamCounters | undefined;
  /** Quota attainment per rep (0.4 = 40%), read only with `quotaPriority`. */
  readonly attainment?: ReadonlyMap<string, number> | undefined;
  readonly exclude?: readonly string[] | undefined;
  /** Skills the lead needs (lower case): reps without all of them are skipped. */
  readonly skills?: readonly string[] | undefined;
  /** False: decide only, `candidates` stays empty (default true). */
  readonly explain?: boolean | undefined;
}

export interface TeamPick {
  readonly chosen?: string;
  readonly candidates: CandidateTrace[];
  /** The counters to store after this pick (unchanged counts when nobody was chosen). */
  readonly counters: TeamCounters;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 || 0;

interface Row extends ShareRow {
  readonly skip: SkipReason | undefined;
  /** The skip in words, only when the pick explains. */
  readonly detail: string | undefined;
}

/**
 * Picks a rep of `team` for one lead at `input.now` (the order is in fairShare.ts).
 * `round_robin` weighs every rep 1; `weighted_round_robin` uses the reps' weights; `least_loaded`
 * takes the fewest open leads first, then the round-robin order. With `quotaPriority`, a rep with a
 * known attainment gets 0.5 × (1 − min(1, attainment)) added to its deficit (and its next lead due
 * that much earlier). Never throws for a finite `now`.
 */
export function pickFromTeam(
  team: TeamModel,
  reps: ReadonlyMap<string, RepModel>,
  input: PickInput,
): TeamPick {
  const period = periodKey(team.reset, input.calendar, input.now);
  const stored = input.counters?.period === period ? input.counters : undefined;
  const storedCounts = stored?.counts;
  const exclude = input.exclude ?? [];
  const skills = input.skills ?? [];
  const explain = input.explain !== false;

  // Plain loops and no text unless explaining: this runs for every lead a team picks for.
  const rows: Row[] = [];
  const eligible: Row[] = [];
  for (const id of team.members) {
    const rep = reps.get(id);
    const load = input.load.get(id) ?? NO_LOAD;
    const weight = team.strategy === 'round_robin' ? 1 : (rep?.weight ?? 1);
    const count = storedCounts?.[id] ?? 0;
    const skip = rep === undefined ? 'inactive' : skipReason(rep, team, load, input.now, exclude, skills);
    const detail =
      !explain || skip === undefined
        ? undefined
        : rep === undefined
          ? `${id} is not in team.reps`
          : skipDetail(skip, rep, team, load, input.now, skills);
    const notes = explain ? [] : undefined;
    const row: Row = {
      rep: id,
      weight,
      openLeads: load.openLeads,
      notes,
      count,
      target: 0,
      deficit: 0,
      due: 0,
      skip,
      detail,
    };
    rows.push(row);
    if (skip === undefined) eligible.push(row);
  }
  calibrate(eligible, stored?.present ?? []);
  const attainments = team.quotaPriority ? input.attainment : undefined;
  if (attainments === undefined) measure(eligible);
  else {
    measure(eligible, (row) => {
      const attainment = attainments.get(row.rep);
      if (attainment === undefined) return 0;
      // Below quota counts as having up to half a lead fewer: a slight priority, never a flood.
      const bonus = 0.5 * (1 - Math.min(1, Math.max(0, attainment)));
      row.notes?.push(`quota attainment ${round4(attainment * 100)}%: deficit +${round4(bonus)}`);
      return bonus;
    });
  }
  const best = choose(eligible, team.strategy === 'least_loaded');

  const candidates = !explain
    ? []
    : rows.map((row): CandidateTrace => {
        const status = row.skip !== undefined ? 'skipped' : row === best ? 'chosen' : 'eligible';
        const notes = row.notes ?? [];
        const detail = row.detail ?? (notes.length > 0 ? notes.join('; ') : undefined);
        return {
          rep: row.rep,
          team: team.id,
          status,
          ...(row.skip === undefined ? {} : { reason: row.skip }),
          ...(detail === undefined ? {} : { detail }),
          count: row.count,
          weight: row.weight,
          target: round4(row.target),
          deficit: round4(row.deficit),
          due: round4(row.due),
          openLeads: row.openLeads,
        };
      });
  const counts: Record<string, number> = Object.assign({}, storedCounts);
  if (best === undefined) {
    return { candidates, counters: { period, counts, present: stored?.present ?? [] } };
  }
  for (const row of eligible) counts[row.rep] = row.count;
  counts[best.rep] = best.count + 1;
  // A rep passed over only because of this lead — a skill it needs, or excluded from it (a
  // reassignment) — was available: present, so the next ordinary pick does not calibrate them as if
  // they had been away (a credited count would be raised back, a skill-less rep lose its catch-up).
  const present: string[] = [];
  for (const r of rows) {
    if (r.skip === undefined || r.skip === 'missing_skill' || r.skip === 'excluded') present.push(r.rep);
  }
  return { chosen: best.rep, candidates, counters: { period, counts, present } };
}
