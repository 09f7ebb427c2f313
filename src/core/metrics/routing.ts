/**
 * Routing from the assignment log: decisions made in [from, to) (source filter by the lead's
 * source; team filter by the decision's team or its owner's membership). Fairness compares each
 * team's round-robin outcome with the weighted targets: a member's target share is their weight
 * over the weights of the team's active members. Queue time runs from a `queued` decision to the
 * lead's next `assigned` one (any time later); leads never picked up are `waiting`.
 *
 * Both paths end in `routingFromCounts`: `routingMetrics` counts the rows it is given into
 * `RoutingCounts`, a store counts the same in SQL (`Store.metricRoutingCounts`).
 */
import type { AssignmentRow } from '../ports.ts';
import type { ContactKey, Millis } from '../types.ts';
import { createContext } from './context.ts';
import { durationStats, rate, share, type DurationStats } from './figures.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';

type Kind = AssignmentRow['kind'];
const KINDS: readonly string[] = ['assigned', 'kept', 'queued', 'review'] satisfies readonly Kind[];
type KindCounts = { readonly [K in Kind]: number } & { readonly total: number };

/** The queue name of queued decisions that name none. */
const NO_QUEUE = '(none)';

export interface FairnessRow {
  readonly rep: string;
  readonly weight: number;
  readonly assigned: number;
  /** Fraction of the team's assignments. */
  readonly share: number;
  /** Fraction the weights call for (0 for a rep who is not an active member). */
  readonly target: number;
  /** share − target. */
  readonly deviation: number;
}

export interface QueueTime extends DurationStats {
  readonly queue: string;
  readonly queued: number;
  readonly pickedUp: number;
  readonly waiting: number;
  /** How long the longest-waiting lead has waited by `now`; null when none waits. */
  readonly oldestWaitingMs: number | null;
}

/**
 * `GET /v1/metrics/routing`:
 * - `decisions`: counts by kind (`assigned`, `kept`, `queued`, `review`) and `total`;
 * - `byRep`: per owner, `assigned` and `kept`, with `share` of all `assigned`, most first;
 * - `byRule`: per routing rule, counts by kind, most decisions first;
 * - `fairness`: per team with assignments, each rep's share against their weighted target and
 *   `maxDeviation` (the largest |share − target|);
 * - `queues`: per queue, wait until pickup (`count`, `averageMs`, `medianMs`, `p90Ms` of the picked
 *   up), `waiting` and `oldestWaitingMs`.
 */
export interface RoutingMetrics {
  readonly decisions: KindCounts;
  readonly byRep: readonly {
    readonly rep: string;
    readonly assigned: number;
    readonly kept: number;
    readonly share: number | null;
  }[];
  readonly byRule: readonly (KindCounts & { readonly rule: string })[];
  readonly fairness: readonly {
    readonly team: string;
    readonly assigned: number;
    readonly maxDeviation: number;
    readonly reps: readonly FairnessRow[];
  }[];
  readonly queues: readonly QueueTime[];
}

/** The decisions of the range (filters applied) of one kind, owner, team and rule. */
export interface RoutingDecisionCount {
  readonly kind: Kind;
  readonly owner?: string;
  readonly team?: string;
  readonly rule: string;
  readonly count: number;
}

/** A `queued` decision of the range, and when the lead's next `assigned` decision came (if ever). */
export interface QueuedDecision {
  readonly queue?: string;
  readonly at: Millis;
  /** The `at` of the first `assigned` decision of the lead after this one in the log, at any time. */
  readonly pickedUpAt?: Millis;
}

/** What the routing report counts: the range's decisions after the source and team filters. */
export interface RoutingCounts {
  /** One entry per (kind, owner, team, rule); any order. */
  readonly decisions: readonly RoutingDecisionCount[];
  /**
   * Every (team, owner) of the `assigned` decisions with both, each team's owners in the order of
   * their first such decision in the log ((at, id) order); only the order within a team matters.
   * Fairness lists the reps who are not active members of the team in this order.
   */
  readonly firstAssigned: readonly { readonly team: string; readonly owner: string }[];
  /** Every `queued` decision; any order. */
  readonly queued: readonly QueuedDecision[];
}

/** Code-unit order, undefined first: a total order that does not depend on the locale. */
function byCode(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

function kinds(groups: readonly RoutingDecisionCount[]): KindCounts {
  const counts = { total: 0, assigned: 0, kept: 0, queued: 0, review: 0 };
  for (const g of groups) {
    counts.total += g.count;
    if (KINDS.includes(g.kind)) counts[g.kind] += g.count;
  }
  return counts;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (k === undefined) continue;
    const list = groups.get(k);
    if (list === undefined) groups.set(k, [row]);
    else list.push(row);
  }
  return groups;
}

function fairness(
  model: MetricsModel,
  assigned: readonly RoutingDecisionCount[],
  firstAssigned: RoutingCounts['firstAssigned'],
): RoutingMetrics['fairness'] {
  const weights = new Map(model.reps.map((r) => [r.id, r]));
  const order = Object.keys(model.teams);
  const firstOrder = groupBy(firstAssigned, (f) => f.team);
  return [...groupBy(assigned, (g) => (g.owner === undefined ? undefined : g.team)).entries()]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]) || a[0].localeCompare(b[0]))
    .map(([team, groups]) => {
      const members = (model.teams[team] ?? []).filter((id) => weights.get(id)?.active === true);
      const totalWeight = members.reduce((n, id) => n + (weights.get(id)?.weight ?? 0), 0);
      const counts = new Map<string, number>();
      for (const g of groups)
        if (g.owner !== undefined) counts.set(g.owner, (counts.get(g.owner) ?? 0) + g.count);
      const total = [...counts.values()].reduce((n, c) => n + c, 0);
      // Members in config order, then the others in the order of their first assignment.
      const firsts = (firstOrder.get(team) ?? []).map((f) => f.owner).filter((rep) => counts.has(rep));
      const reps = [...new Set([...members, ...firsts, ...[...counts.keys()].sort(byCode)])].map(
        (rep): FairnessRow => {
          const weight = weights.get(rep)?.weight ?? 0;
          const n = counts.get(rep) ?? 0;
          const target = members.includes(rep) && totalWeight > 0 ? weight / totalWeight : 0;
          return {
            rep,
            weight,
            assigned: n,
            share: rate(n / total),
            target: rate(target),
            deviation: rate(n / total - target),
          };
        },
      );
      return {
        team,
        assigned: total,
        maxDeviation: Math.max(0, ...reps.map((r) => Math.abs(r.deviation))),
        reps,
      };
    });
}

function queues(queued: readonly QueuedDecision[], now: Millis): QueueTime[] {
  return [...groupBy(queued, (q) => q.queue ?? NO_QUEUE).entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([queue, list]) => {
      const waits: number[] = [];
      const waiting: number[] = [];
      for (const q of list) {
        if (q.pickedUpAt === undefined) waiting.push(now - q.at);
        else waits.push(q.pickedUpAt - q.at);
      }
      return Object.assign({ queue }, durationStats(waits), {
        queued: list.length,
        pickedUp: waits.length,
        waiting: waiting.length,
        oldestWaitingMs: waiting.length === 0 ? null : Math.max(...waiting),
      });
    });
}

/**
 * The routing report from the range's counts (filters applied by whoever counted). The groups are
 * put in one fixed order first, so the report does not depend on the order they were counted in.
 */
export function routingFromCounts(counts: RoutingCounts, model: MetricsModel, now: Millis): RoutingMetrics {
  const groups = [...counts.decisions].sort(
    (a, b) =>
      byCode(a.kind, b.kind) || byCode(a.owner, b.owner) || byCode(a.team, b.team) || byCode(a.rule, b.rule),
  );
  const assigned = groups.filter((g) => g.kind === 'assigned');
  const assignedTotal = kinds(assigned).assigned;
  const owned = new Map<string, { assigned: number; kept: number }>();
  for (const g of groups) {
    if (g.owner === undefined || (g.kind !== 'assigned' && g.kind !== 'kept')) continue;
    let rep = owned.get(g.owner);
    if (rep === undefined) owned.set(g.owner, (rep = { assigned: 0, kept: 0 }));
    rep[g.kind] += g.count;
  }
  return {
    decisions: kinds(groups),
    byRep: [...owned.entries()]
      .map(([rep, n]) => ({
        rep,
        assigned: n.assigned,
        kept: n.kept,
        share: share(n.assigned, assignedTotal),
      }))
      .sort((a, b) => b.assigned - a.assigned || a.rep.localeCompare(b.rep)),
    byRule: [...groupBy(groups, (g) => g.rule).entries()]
      .map(([rule, list]) => Object.assign({ rule }, kinds(list)))
      .sort((a, b) => b.total - a.total || a.rule.localeCompare(b.rule)),
    fairness: fairness(model, assigned, counts.firstAssigned),
    queues: queues(counts.queued, now),
  };
}

/** The counts of `rows` (decisions already filtered, in log order) against each lead's whole log. */
function countRows(
  rows: readonly AssignmentRow[],
  byContact: ReadonlyMap<ContactKey, readonly AssignmentRow[]>,
): RoutingCounts {
  const decisions = new Map<string, RoutingDecisionCount & { count: number }>();
  const firstAssigned = new Map<string, { team: string; owner: string }>();
  const queued: QueuedDecision[] = [];
  for (const row of rows) {
    const id = JSON.stringify([row.kind, row.owner ?? null, row.team ?? null, row.rule]);
    const found = decisions.get(id);
    if (found === undefined)
      decisions.set(
        id,
        Object.assign(
          { kind: row.kind, rule: row.rule, count: 1 },
          row.owner === undefined ? {} : { owner: row.owner },
          row.team === undefined ? {} : { team: row.team },
        ),
      );
    else found.count += 1;
    if (row.kind === 'assigned' && row.owner !== undefined && row.team !== undefined) {
      const pair = JSON.stringify([row.team, row.owner]);
      if (!firstAssigned.has(pair)) firstAssigned.set(pair, { team: row.team, owner: row.owner });
    }
    if (row.kind === 'queued') {
      const log = byContact.get(row.contactKey) ?? [];
      const next = log.slice(log.indexOf(row) + 1).find((r) => r.kind === 'assigned');
      queued.push(
        Object.assign(
          { at: row.at },
          row.queue === undefined ? {} : { queue: row.queue },
          next === undefined ? {} : { pickedUpAt: next.at },
        ),
      );
    }
  }
  return { decisions: [...decisions.values()], firstAssigned: [...firstAssigned.values()], queued };
}

/** The routing report from the assignment rows (`routingFromCounts` over the rows counted). */
export function routingMetrics(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): RoutingMetrics {
  const ctx = createContext(input, model, query, now);
  const byContact = groupBy(input.assignments, (r) => r.contactKey);
  for (const log of byContact.values()) log.sort((a, b) => a.at - b.at);
  const rows = input.assignments.filter(
    (r) =>
      ctx.inWindow(r.at) &&
      ctx.sourceIn(r.contactKey) &&
      (query.team === undefined || r.team === query.team || (r.owner !== undefined && ctx.ownerIn(r.owner))),
  );
  return routingFromCounts(countRows(rows, byContact), model, now);
}
