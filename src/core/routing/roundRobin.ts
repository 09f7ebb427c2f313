/**
 * Fair weighted round-robin over a team's available members (the arithmetic is in fairShare.ts):
 * counts per rep for the current period, a returning rep calibrated so it is not flooded, and among
 * the reps below their weighted share the one whose next lead is due first. The counts and the reps
 * eligible at this pick ("present") come back for the engine to store; nothing here remembers
 * anything between calls.
 */
import type { Building } from '../building.ts';
import { IdentityCache } from '../identityCache.ts';
import type { BusinessCalendar } from '../time/calendar.ts';
import { NO_LOAD, skipDetail, skipReason, type RepLoad, type SkipReason } from './availability.ts';
import { addShare, calibrate, choose, measure, shareTable, type ShareTable } from './fairShare.ts';
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

/**
 * What a team keeps between picks, per rep map: its members as rep models in member order
 * (undefined: not in `team.reps`), and the table the pick fills (reused: a pick never runs inside
 * another).
 */
interface TeamScratch {
  readonly reps: ReadonlyMap<string, RepModel>;
  readonly models: readonly (RepModel | undefined)[];
  readonly table: ShareTable;
  /** Each member's slot in `table`, −1 when skipped. */
  readonly slotOf: Int32Array;
}

/** Each team's scratch, built against the rep map it was asked with. */
const SCRATCH = new IdentityCache(
  (team: TeamModel, reps: ReadonlyMap<string, RepModel>): TeamScratch => ({
    reps,
    models: team.members.map((id) => reps.get(id)),
    table: shareTable(team.members.length),
    slotOf: new Int32Array(team.members.length),
  }),
  8,
);

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4 || 0;

/** A member's weight in the team's share: 1 each for `round_robin`, the rep's weight otherwise. */
const weightOf = (team: TeamModel, rep: RepModel | undefined): number =>
  team.strategy === 'round_robin' ? 1 : (rep?.weight ?? 1);

/** Below quota counts as having up to half a lead fewer: a slight priority, never a flood. */
const quotaBonus = (attainment: number): number => 0.5 * (1 - Math.min(1, Math.max(0, attainment)));

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
  const attainments = team.quotaPriority ? input.attainment : undefined;
  const scratch = SCRATCH.get(team, reps);
  const { models, table, slotOf } = scratch;
  const { members } = team;

  // Plain loops over columns, no text unless explaining: this runs for every lead a team picks for.
  // A rep passed over only because of this lead — a skill it needs, or excluded from it (a
  // reassignment) — was available: present, so the next ordinary pick does not calibrate them as if
  // they had been away (a credited count would be raised back, a skill-less rep lose its catch-up).
  table.n = 0;
  const present: string[] = [];
  for (let i = 0; i < members.length; i++) {
    const id = members[i] ?? '';
    const rep = models[i];
    const load = input.load.get(id) ?? NO_LOAD;
    const skip = rep === undefined ? 'inactive' : skipReason(rep, team, load, input.now, exclude, skills);
    if (skip === undefined || skip === 'missing_skill' || skip === 'excluded') present.push(id);
    if (skip !== undefined || rep === undefined) {
      slotOf[i] = -1;
      continue;
    }
    slotOf[i] = table.n;
    const attainment = attainments?.get(id);
    const bonus = attainment === undefined ? 0 : quotaBonus(attainment);
    addShare(table, id, storedCounts?.[id] ?? 0, weightOf(team, rep), load.openLeads, bonus);
  }
  calibrate(table, stored?.present ?? NONE);
  measure(table);
  const best = choose(table, team.strategy === 'least_loaded');

  const candidates =
    input.explain === false ? NO_CANDIDATES : explainPick(team, scratch, input, stored, best);
  const counts: Record<string, number> = storedCounts === undefined ? {} : Object.assign({}, storedCounts);
  if (best < 0) {
    return { candidates, counters: { period, counts, present: stored?.present ?? [] } };
  }
  for (let k = 0; k < table.n; k++) counts[table.reps[k] ?? ''] = table.count[k] ?? 0;
  const chosen = table.reps[best] ?? '';
  counts[chosen] = (table.count[best] ?? 0) + 1;
  return { chosen, candidates, counters: { period, counts, present } };
}

/** Every member as the pick saw it, read back from the filled table: the pick's trace. */
function explainPick(
  team: TeamModel,
  scratch: TeamScratch,
  input: PickInput,
  stored: TeamCounters | undefined,
  best: number,
): CandidateTrace[] {
  const { models, table, slotOf } = scratch;
  const attainments = team.quotaPriority ? input.attainment : undefined;
  const skills = input.skills ?? NONE;
  return team.members.map((id, i): CandidateTrace => {
    const rep = models[i];
    const load = input.load.get(id) ?? NO_LOAD;
    const weight = weightOf(team, rep);
    const before = stored?.counts[id] ?? 0;
    const k = slotOf[i] ?? -1;
    if (k < 0) {
      const reason =
        rep === undefined
          ? 'inactive'
          : skipReason(rep, team, load, input.now, input.exclude ?? NONE, skills);
      const detail =
        rep === undefined
          ? `${id} is not in team.reps`
          : skipDetail(reason ?? 'inactive', rep, team, load, input.now, skills);
      return {
        rep: id,
        team: team.id,
        status: 'skipped',
        reason: reason ?? 'inactive',
        detail,
        count: before,
        weight,
        target: 0,
        deficit: 0,
        due: 0,
        openLeads: load.openLeads,
      };
    }
    const count = table.count[k] ?? 0;
    const notes: string[] = [];
    if (count > before) notes.push(`calibrated from ${before} to ${count} (not eligible at the last pick)`);
    const attainment = attainments?.get(id);
    if (attainment !== undefined) {
      notes.push(`quota attainment ${round4(attainment * 100)}%: deficit +${round4(quotaBonus(attainment))}`);
    }
    const trace: Building<CandidateTrace> = {
      rep: id,
      team: team.id,
      status: k === best ? 'chosen' : 'eligible',
    };
    if (notes.length > 0) trace.detail = notes.join('; ');
    trace.count = count;
    trace.weight = weight;
    trace.target = round4(table.target[k] ?? 0);
    trace.deficit = round4(table.deficit[k] ?? 0);
    trace.due = round4(table.due[k] ?? 0);
    trace.openLeads = load.openLeads;
    return trace as CandidateTrace;
  });
}
