/**
 * SLA compliance from the clock rows: clocks started in [from, to) (source filter by the lead's
 * source, team filter by the clock's owner). A clock counts once, in the status it has now:
 * `met`, `breached` (still running or stopped late), `open` (not due yet), `cancelled` (restarted
 * by a reassignment: its restart is another clock). Compliance is met ÷ (met + breached).
 */
import type { SlaClock } from '../sla/model.ts';
import type { Millis } from '../types.ts';
import { createContext } from './context.ts';
import { figure, median, ms, share, type Figure } from './figures.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';

export const UNASSIGNED = 'unassigned';

export interface SlaCounts {
  readonly clocks: number;
  readonly met: number;
  readonly breached: number;
  readonly open: number;
  readonly cancelled: number;
  /** met ÷ (met + breached); null when none is decided. */
  readonly compliance: number | null;
  /** Escalation steps fired (notify, reassign, flag). */
  readonly escalations: number;
  /** The median lateness of the breached clocks, wall-clock milliseconds. */
  readonly medianLateMs: number | null;
}

/**
 * `GET /v1/metrics/sla`:
 * - `compliance`: all clocks' compliance against `contactedWithinSla` (90%);
 * - `total`: the counts over all clocks;
 * - `byClock`: per clock id (with its name), in id order;
 * - `byRep`: per owner (`unassigned` for none), most breaches first;
 * - `byTeam`: per team of the owner (a rep on two teams counts in both), in team order.
 */
export interface SlaMetrics {
  readonly compliance: Figure;
  readonly total: SlaCounts;
  readonly byClock: readonly (SlaCounts & { readonly clockId: string; readonly name: string })[];
  readonly byRep: readonly (SlaCounts & { readonly rep: string })[];
  readonly byTeam: readonly (SlaCounts & { readonly team: string })[];
}

/**
 * What the report reads of one clock (a store can select just these columns): `escalations` is the
 * number of escalation steps fired (`steps.length`).
 */
export interface SlaClockFigures {
  readonly clockId: string;
  readonly name: string;
  readonly owner?: string;
  readonly status: SlaClock['status'];
  readonly lateWallMs?: number;
  readonly escalations: number;
}

/**
 * The clocks of one (clock id, owner, status) counted: how many and the escalation steps they
 * fired. `owner` absent: unowned clocks.
 */
export interface SlaClockCount {
  readonly clockId: string;
  readonly owner?: string;
  readonly status: SlaClock['status'];
  readonly count: number;
  readonly escalations: number;
}

/** Median lateness (unrounded wall-clock ms; null without a late breached clock) per grouping. */
export interface SlaLateMedians {
  readonly total: number | null;
  readonly byClock: ReadonlyMap<string, number | null>;
  /** By owner, `UNASSIGNED` for unowned clocks. */
  readonly byRep: ReadonlyMap<string, number | null>;
  readonly byTeam: ReadonlyMap<string, number | null>;
}

/**
 * Everything the SLA report needs of the clocks started in a range (filters applied): their
 * counts, each clock id's name (the name of its first clock in (due time, key) order), and the
 * median lateness of the breached ones over all, by clock, by owner and by the owner's teams. A
 * store answers it in SQL (`Store.metricSlaSummary`); in memory it is `summariseSlaClocks`.
 */
export interface SlaSummary {
  readonly counts: readonly SlaClockCount[];
  readonly names: ReadonlyMap<string, string>;
  readonly medianLateMs: SlaLateMedians;
}

/** The teams of each rep of the model, by rep id (a rep on two teams counts in both). */
export function teamsOfReps(model: Pick<MetricsModel, 'reps'>): ReadonlyMap<string, readonly string[]> {
  return new Map(model.reps.map((r) => [r.id, r.teams]));
}

/** The rep key of an owner in the report: the owner, or `UNASSIGNED`. */
export const repOf = (owner: string | undefined): string => owner ?? UNASSIGNED;

/** The summary of clocks in (dueAt, key) order, as a store computes it. Does not throw. */
export function summariseSlaClocks(
  clocks: readonly SlaClockFigures[],
  teamsOf: ReadonlyMap<string, readonly string[]>,
): SlaSummary {
  const counts = new Map<string, SlaClockCount>();
  const names = new Map<string, string>();
  const late = {
    total: [] as number[],
    byClock: new Map<string, number[]>(),
    byRep: new Map<string, number[]>(),
    byTeam: new Map<string, number[]>(),
  };
  const push = (map: Map<string, number[]>, key: string, value: number): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
  };
  for (const c of clocks) {
    if (!names.has(c.clockId)) names.set(c.clockId, c.name);
    const key = JSON.stringify([c.clockId, c.owner ?? null, c.status]);
    const seen = counts.get(key);
    counts.set(
      key,
      Object.assign(
        { clockId: c.clockId, status: c.status },
        c.owner === undefined ? {} : { owner: c.owner },
        {
          count: (seen?.count ?? 0) + 1,
          escalations: (seen?.escalations ?? 0) + c.escalations,
        },
      ),
    );
    if (c.status !== 'breached' || c.lateWallMs === undefined) continue;
    late.total.push(c.lateWallMs);
    push(late.byClock, c.clockId, c.lateWallMs);
    push(late.byRep, repOf(c.owner), c.lateWallMs);
    for (const team of c.owner === undefined ? [] : (teamsOf.get(c.owner) ?? []))
      push(late.byTeam, team, c.lateWallMs);
  }
  const medians = (map: Map<string, number[]>) => new Map([...map].map(([k, v]) => [k, median(v)]));
  return {
    counts: [...counts.values()],
    names,
    medianLateMs: {
      total: median(late.total),
      byClock: medians(late.byClock),
      byRep: medians(late.byRep),
      byTeam: medians(late.byTeam),
    },
  };
}

function countsOf(list: readonly SlaClockCount[], medianLate: number | null | undefined): SlaCounts {
  let clocks = 0;
  let escalations = 0;
  const by = { met: 0, breached: 0, open: 0, cancelled: 0 };
  for (const c of list) {
    clocks += c.count;
    escalations += c.escalations;
    by[c.status] += c.count;
  }
  return {
    clocks,
    met: by.met,
    breached: by.breached,
    open: by.open,
    cancelled: by.cancelled,
    compliance: share(by.met, by.met + by.breached),
    escalations,
    medianLateMs: ms(medianLate ?? null),
  };
}

function groupBy<K>(
  counts: readonly SlaClockCount[],
  keys: (c: SlaClockCount) => readonly K[],
): Map<K, SlaClockCount[]> {
  const groups = new Map<K, SlaClockCount[]>();
  for (const c of counts)
    for (const k of keys(c)) {
      const list = groups.get(k);
      if (list === undefined) groups.set(k, [c]);
      else list.push(c);
    }
  return groups;
}

export function slaMetrics(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): SlaMetrics {
  const ctx = createContext(input, model, query, now);
  const clocks = input.clocks
    .filter((c) => ctx.inWindow(c.startedAt) && ctx.ownerIn(c.owner) && ctx.sourceIn(c.contactKey))
    .map((c): SlaClockFigures =>
      Object.assign(
        { clockId: c.clockId, name: c.name, status: c.status, escalations: c.steps.length },
        c.owner === undefined ? {} : { owner: c.owner },
        c.lateWallMs === undefined ? {} : { lateWallMs: c.lateWallMs },
      ),
    );
  return slaFromClocks(clocks, model);
}

/**
 * SLA compliance from the figures of the clocks started in the range that pass the filters, in
 * (dueAt, key) order (the first clock of an id names it). Does not throw.
 */
export function slaFromClocks(clocks: readonly SlaClockFigures[], model: MetricsModel): SlaMetrics {
  return slaFromSummary(summariseSlaClocks(clocks, teamsOfReps(model)), model);
}

/** SLA compliance from the summary of the range's clocks (filters applied). Does not throw. */
export function slaFromSummary(summary: SlaSummary, model: MetricsModel): SlaMetrics {
  const { counts, names, medianLateMs } = summary;
  const total = countsOf(counts, medianLateMs.total);
  const teamsOf = teamsOfReps(model);
  const teamOrder = Object.keys(model.teams);
  const byClock = [...groupBy(counts, (c) => [c.clockId]).entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([clockId, list]) =>
      Object.assign(
        { clockId, name: names.get(clockId) ?? clockId },
        countsOf(list, medianLateMs.byClock.get(clockId)),
      ),
    );
  const byRep = [...groupBy(counts, (c) => [repOf(c.owner)]).entries()]
    .map(([rep, list]) => Object.assign({ rep }, countsOf(list, medianLateMs.byRep.get(rep))))
    .sort((a, b) => b.breached - a.breached || a.rep.localeCompare(b.rep));
  const byTeam = [
    ...groupBy(counts, (c) => (c.owner === undefined ? [] : (teamsOf.get(c.owner) ?? []))).entries(),
  ]
    .sort((a, b) => teamOrder.indexOf(a[0]) - teamOrder.indexOf(b[0]) || a[0].localeCompare(b[0]))
    .map(([team, list]) => Object.assign({ team }, countsOf(list, medianLateMs.byTeam.get(team))));
  return {
    compliance: figure(
      total.compliance,
      { min: model.benchmarks.contactedWithinSla },
      'no clock was met or breached in the range',
    ),
    total,
    byClock,
    byRep,
    byTeam,
  };
}
