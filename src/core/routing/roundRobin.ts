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
  /** Every member as the pick saw it; empty when the pick only decides. */
  readonly candidates: readonly CandidateTrace[];
  /** The counters to store after this pick (unchanged counts when nobody was chosen). */
  readonly counters: TeamCounters;
}

/** The candidates of a pick that only decides. */
const NO_CANDIDATES: readonly CandidateTrace[] = Object.freeze([]);
const NONE: readonly string[] = Object.freeze([]);

/** The team's members as rep models, in member order (undefined: not in `team.reps`), once per team and rep map. */
const MEMBERS = new WeakMap<
  TeamModel,
  { reps: ReadonlyMap<string, RepModel>; models: (RepModel | undefined)[] }
>();

function memberModels(
  team: TeamModel,
  reps: ReadonlyMap<string, RepModel>,
): readonly (RepModel | undefined)[] {
  const cached = MEMBERS.get(team);
  if (cached?.reps === reps) return cached.models;
  const models = team.members.map((id) => reps.get(id));
  MEMBERS.set(team, { reps, models });
  return models;
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
  const exclude = input.exclude ?? NONE;
  const skills = input.skills ?? NONE;
  const explain = input.explain !== false;
  const models = memberModels(team, reps);

  // Plain loops, no text and no rows for skipped reps unless explaining: this runs for every lead
  // a team picks for.
  const rows: Row[] | undefined = explain ? [] : undefined;
  const eligible: Row[] = [];
  // A rep passed over only because of this lead — a skill it needs, or excluded from it (a
  // reassignment) — was available: present, so the next ordinary pick does not calibrate them as if
  // they had been away (a credited count would be raised back, a skill-less rep lose its catch-up).
  const present: string[] = [];
  for (let i = 0; i < team.members.length; i++) {
    const id = team.members[i] ?? '';
    const rep = models[i];
    const load = input.load.get(id) ?? NO_LOAD;
    const skip = rep === undefined ? 'inactive' : skipReason(rep, team, load, input.now, exclude, skills);
    if (skip === undefined || skip === 'missing_skill' || skip === 'excluded') present.push(id);
    if (rows === undefined && skip !== undefined) continue;
    const detail =
      rows === undefined || skip === undefined
        ? undefined
        : rep === undefined
          ? `${id} is not in team.reps`
          : skipDetail(skip, rep, team, load, input.now, skills);
    const row: Row = {
      rep: id,
      weight: team.strategy === 'round_robin' ? 1 : (rep?.weight ?? 1),
      openLeads: load.openLeads,
      notes: rows === undefined ? undefined : [],
      count: storedCounts?.[id] ?? 0,
      target: 0,
      deficit: 0,
      due: 0,
      skip,
      detail,
    };
    rows?.push(row);
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

  const candidates =
    rows === undefined
      ? NO_CANDIDATES
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
  return { chosen: best.rep, candidates, counters: { period, counts, present } };
}
