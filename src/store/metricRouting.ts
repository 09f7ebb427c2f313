/**
 * What the routing report counts (core/metrics/routing.ts `RoutingCounts`), counted in SQL instead
 * of reading every decision of the range with its JSON trace, all in one read-only snapshot:
 *
 * 1. The range's decisions grouped by (kind, owner, team, rule), with the first `at` of each
 *   group: one range of the covering index on (at, kind, owner, team, rule, queue, contact_key)
 *   (migration 0015), no table row read.
 * 2. The range's `queued` decisions (few), each with the `at` of the lead's next `assigned` decision
 *   in the log's (at, id) order, at any time later: a correlated lookup on (contact_key, at).
 * 3. Only when two owners of one team had their first `assigned` decision of the range at the same
 *   instant: the lowest id of each at that instant, so fairness lists a team's other reps in the
 *   log's order.
 *
 * Filters as the row path applies them: the team's (the decision's team is the team, or its owner
 * is a member) and the source's (the lead's source on the metric facts' lead row, refreshed first by
 * the caller; a decision about a lead without a contact has none and drops out).
 */
import type { Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import type { QueuedDecision, RoutingCounts, RoutingDecisionCount } from '../core/metrics/routing.ts';
import type { AssignmentRow, RoutingCountsQuery } from '../core/ports.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database> | Transaction<Database>;
type Decisions = SelectQueryBuilder<Database, 'assignments', object>;

const num = (value: unknown): number => Number(value);

/** The counts of the decisions in [from, to) that pass the filters. Throws if storage fails. */
export function readRoutingCounts(db: Kysely<Database>, query: RoutingCountsQuery): Promise<RoutingCounts> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute((trx) => count(trx, query));
}

async function count(db: Db, query: RoutingCountsQuery): Promise<RoutingCounts> {
  const { team, source } = query;
  const members = team === undefined ? [] : [...team.members];
  const decisions = (): Decisions =>
    db
      .selectFrom('assignments')
      .where('assignments.at', '>=', query.from)
      .where('assignments.at', '<', query.to)
      .$if(team !== undefined, (q) =>
        q.where((eb) =>
          eb.or([
            eb('assignments.team', '=', team?.id ?? ''),
            ...(members.length === 0 ? [] : [eb('assignments.owner', 'in', members)]),
          ]),
        ),
      )
      .$if(source !== undefined, (q) =>
        q
          .innerJoin('metric_leads as l', 'l.contact_key', 'assignments.contact_key')
          .where('l.source', '=', source ?? ''),
      );

  const [groups, queuedRows] = await Promise.all([
    decisions()
      .select((eb) => [
        'assignments.kind',
        'assignments.owner',
        'assignments.team',
        'assignments.rule',
        eb.fn.countAll().as('n'),
        eb.fn.min('assignments.at').as('first_at'),
      ])
      .groupBy(['assignments.kind', 'assignments.owner', 'assignments.team', 'assignments.rule'])
      .execute(),
    decisions()
      .where('assignments.kind', '=', 'queued')
      .select((eb) => [
        'assignments.queue',
        'assignments.at',
        eb
          .selectFrom('assignments as next')
          .select((n) => n.fn.min('next.at').as('at'))
          .whereRef('next.contact_key', '=', 'assignments.contact_key')
          .where('next.kind', '=', 'assigned')
          .whereRef('next.at', '>=', 'assignments.at')
          .where((n) =>
            n.or([n('next.at', '>', n.ref('assignments.at')), n('next.id', '>', n.ref('assignments.id'))]),
          )
          .as('picked_up_at'),
      ])
      .execute(),
  ]);

  const counted = groups.map((r) => ({
    count: Object.assign(
      { kind: r.kind as AssignmentRow['kind'], rule: r.rule, count: num(r.n) },
      r.owner === null ? {} : { owner: r.owner },
      r.team === null ? {} : { team: r.team },
    ) satisfies RoutingDecisionCount,
    firstAt: num(r.first_at),
  }));
  const queued = queuedRows.map((r): QueuedDecision =>
    Object.assign(
      { at: num(r.at) },
      r.queue === null ? {} : { queue: r.queue },
      r.picked_up_at === null ? {} : { pickedUpAt: num(r.picked_up_at) },
    ),
  );
  return {
    decisions: counted.map((c) => c.count),
    firstAssigned: await firstAssigned(decisions, counted),
    queued,
  };
}

/** Each team's owners of `assigned` decisions in the order of their first one: by its `at`, then its id. */
async function firstAssigned(
  decisions: () => Decisions,
  counted: readonly { readonly count: RoutingDecisionCount; readonly firstAt: number }[],
): Promise<RoutingCounts['firstAssigned']> {
  // The first `at` of each (team, owner), per team.
  const teams = new Map<string, Map<string, number>>();
  for (const { count, firstAt } of counted) {
    if (count.kind !== 'assigned' || count.team === undefined || count.owner === undefined) continue;
    let owners = teams.get(count.team);
    if (owners === undefined) teams.set(count.team, (owners = new Map<string, number>()));
    owners.set(count.owner, Math.min(owners.get(count.owner) ?? Infinity, firstAt));
  }
  // Owners of one team first seen at the same instant: their ids at that instant decide.
  const ties: { team: string; at: number; owners: string[] }[] = [];
  for (const [team, owners] of teams) {
    const byAt = new Map<number, string[]>();
    for (const [owner, at] of owners) byAt.set(at, [...(byAt.get(at) ?? []), owner]);
    for (const [at, list] of byAt) if (list.length > 1) ties.push({ team, at, owners: list });
  }
  const firstIds = new Map<string, number>();
  if (ties.length > 0) {
    const found = await decisions()
      .where('assignments.kind', '=', 'assigned')
      .where((eb) =>
        eb.or(
          ties.map((t) =>
            eb.and([
              eb('assignments.team', '=', t.team),
              eb('assignments.at', '=', t.at),
              eb('assignments.owner', 'in', t.owners),
            ]),
          ),
        ),
      )
      .select((eb) => ['assignments.team', 'assignments.owner', eb.fn.min('assignments.id').as('first_id')])
      .groupBy(['assignments.team', 'assignments.owner'])
      .execute();
    for (const r of found) firstIds.set(JSON.stringify([r.team, r.owner]), num(r.first_id));
  }
  const id = (team: string, owner: string): number => firstIds.get(JSON.stringify([team, owner])) ?? 0;
  return [...teams].flatMap(([team, owners]) =>
    [...owners]
      .sort((a, b) => a[1] - b[1] || id(team, a[0]) - id(team, b[0]))
      .map(([owner]) => ({ team, owner })),
  );
}
