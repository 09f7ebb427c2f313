/**
 * Routing from the assignment log: decisions made in [from, to) (source filter by the lead's
 * source; team filter by the decision's team or its owner's membership). Fairness compares each
 * team's round-robin outcome with the weighted targets: a member's target share is their weight
 * over the weights of the team's active members. Queue time runs from a `queued` decision to the
 * lead's next `assigned` one (any time later); leads never picked up are `waiting`.
 */
import type { AssignmentRow } from '../ports.ts';
import type { ContactKey, Millis } from '../types.ts';
import { createContext } from './context.ts';
import { durationStats, rate, share, type DurationStats } from './figures.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';

type KindCounts = { readonly [K in AssignmentRow['kind']]: number } & { readonly total: number };

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

function kinds(rows: readonly AssignmentRow[]): KindCounts {
  const n = (kind: AssignmentRow['kind']): number => rows.filter((r) => r.kind === kind).length;
  return {
    total: rows.length,
    assigned: n('assigned'),
    kept: n('kept'),
    queued: n('queued'),
    review: n('review'),
  };
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

function fairness(model: MetricsModel, assigned: readonly AssignmentRow[]): RoutingMetrics['fairness'] {
  const weights = new Map(model.reps.map((r) => [r.id, r]));
  const order = Object.keys(model.teams);
  return [...groupBy(assigned, (r) => (r.owner === undefined ? undefined : r.team)).entries()]
    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]) || a[0].localeCompare(b[0]))
    .map(([team, rows]) => {
      const members = (model.teams[team] ?? []).filter((id) => weights.get(id)?.active === true);
      const totalWeight = members.reduce((n, id) => n + (weights.get(id)?.weight ?? 0), 0);
      const counts = groupBy(rows, (r) => r.owner);
      const reps = [...new Set([...members, ...counts.keys()])].map((rep): FairnessRow => {
        const weight = weights.get(rep)?.weight ?? 0;
        const n = counts.get(rep)?.length ?? 0;
        const target = members.includes(rep) && totalWeight > 0 ? weight / totalWeight : 0;
        return {
          rep,
          weight,
          assigned: n,
          share: rate(n / rows.length),
          target: rate(target),
          deviation: rate(n / rows.length - target),
        };
      });
      return {
        team,
        assigned: rows.length,
        maxDeviation: Math.max(0, ...reps.map((r) => Math.abs(r.deviation))),
        reps,
      };
    });
}

function queues(
  queued: readonly AssignmentRow[],
  byContact: ReadonlyMap<ContactKey, readonly AssignmentRow[]>,
  now: Millis,
): QueueTime[] {
  return [...groupBy(queued, (r) => r.queue ?? '(none)').entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([queue, rows]) => {
      const waits: number[] = [];
      const waiting: number[] = [];
      for (const row of rows) {
        const log = byContact.get(row.contactKey) ?? [];
        const next = log.slice(log.indexOf(row) + 1).find((r) => r.kind === 'assigned');
        if (next === undefined) waiting.push(now - row.at);
        else waits.push(next.at - row.at);
      }
      return Object.assign({ queue }, durationStats(waits), {
        queued: rows.length,
        pickedUp: waits.length,
        waiting: waiting.length,
        oldestWaitingMs: waiting.length === 0 ? null : Math.max(...waiting),
      });
    });
}

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
  const assigned = rows.filter((r) => r.kind === 'assigned');
  const owned = groupBy(
    rows.filter((r) => r.kind === 'assigned' || r.kind === 'kept'),
    (r) => r.owner,
  );
  return {
    decisions: kinds(rows),
    byRep: [...owned.entries()]
      .map(([rep, list]) => {
        const n = list.filter((r) => r.kind === 'assigned').length;
        return { rep, assigned: n, kept: list.length - n, share: share(n, assigned.length) };
      })
      .sort((a, b) => b.assigned - a.assigned || a.rep.localeCompare(b.rep)),
    byRule: [...groupBy(rows, (r) => r.rule).entries()]
      .map(([rule, list]) => Object.assign({ rule }, kinds(list)))
      .sort((a, b) => b.total - a.total || a.rule.localeCompare(b.rule)),
    fairness: fairness(model, assigned),
    queues: queues(
      rows.filter((r) => r.kind === 'queued'),
      byContact,
      now,
    ),
  };
}
