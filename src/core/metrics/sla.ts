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

export function slaCounts(clocks: readonly SlaClockFigures[]): SlaCounts {
  const count = (status: SlaClock['status']): number => clocks.filter((c) => c.status === status).length;
  const met = count('met');
  const breached = count('breached');
  const late = clocks.flatMap((c) =>
    c.status === 'breached' && c.lateWallMs !== undefined ? [c.lateWallMs] : [],
  );
  return {
    clocks: clocks.length,
    met,
    breached,
    open: count('open'),
    cancelled: count('cancelled'),
    compliance: share(met, met + breached),
    escalations: clocks.reduce((n, c) => n + c.escalations, 0),
    medianLateMs: ms(median(late)),
  };
}

function groupBy<K>(
  clocks: readonly SlaClockFigures[],
  keys: (c: SlaClockFigures) => readonly K[],
): Map<K, SlaClockFigures[]> {
  const groups = new Map<K, SlaClockFigures[]>();
  for (const c of clocks)
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
  const total = slaCounts(clocks);
  const teamsOf = new Map(model.reps.map((r) => [r.id, r.teams]));
  const teamOrder = Object.keys(model.teams);
  const byClock = [...groupBy(clocks, (c) => [c.clockId]).entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([clockId, list]) =>
      Object.assign({ clockId, name: (list[0] as SlaClockFigures).name }, slaCounts(list)),
    );
  const byRep = [...groupBy(clocks, (c) => [c.owner ?? UNASSIGNED]).entries()]
    .map(([rep, list]) => Object.assign({ rep }, slaCounts(list)))
    .sort((a, b) => b.breached - a.breached || a.rep.localeCompare(b.rep));
  const byTeam = [
    ...groupBy(clocks, (c) => (c.owner === undefined ? [] : (teamsOf.get(c.owner) ?? []))).entries(),
  ]
    .sort((a, b) => teamOrder.indexOf(a[0]) - teamOrder.indexOf(b[0]))
    .map(([team, list]) => Object.assign({ team }, slaCounts(list)));
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
