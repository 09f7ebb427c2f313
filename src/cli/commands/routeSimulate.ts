/**
 * `revops route simulate`: a whole history through the engine, and how its routing shares out among
 * reps, rules and queues, judged against the teams' weights. Nothing is written.
 */
import Table from 'cli-table3';
import { openMigratedStore, runtime } from '../../compose.ts';
import type { RoutingModel } from '../../core/routing/model.ts';
import { SimulatedClock } from '../../engine/clock.ts';
import { replay, type ReplayReport } from '../../engine/replay.ts';
import { earliestAt, readHistory } from '../eventFile.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { progressBar } from '../progress.ts';
import { loadConfigOrReport } from './configArg.ts';
import { reportRejections } from './rejections.ts';
import { routingOf } from './route.ts';

import { PLAIN } from '../plainStyle.ts';

export interface RouteSimulateOptions {
  readonly config: string;
  readonly events: string;
  readonly json?: boolean;
  readonly format?: string;
}

export interface RepShare {
  readonly rep: string;
  readonly weight: number;
  readonly assigned: number;
  /** Of the team's assigned leads, 0..1. */
  readonly share: number;
  /** The rep's weight over the team's active reps' weights, 0..1. */
  readonly target: number;
  /** share − target, in percentage points. */
  readonly deviation: number;
}

export interface RoutingDistribution {
  readonly decisions: number;
  readonly byKind: { assigned: number; kept: number; queued: number; review: number };
  readonly byRule: readonly { rule: string; count: number }[];
  readonly byQueue: readonly { queue: string; count: number }[];
  /** Every assigned lead by owner, team or not. */
  readonly byRep: readonly { rep: string; assigned: number; share: number }[];
  /** Assigned leads picked by a team, with each member's share against its weighted target. */
  readonly byTeam: readonly {
    team: string;
    strategy: string;
    assigned: number;
    /** max |share − target| over the members, in percentage points. */
    fairness: number;
    reps: readonly RepShare[];
  }[];
  /** The worst team's fairness, in percentage points; null when no team picked anyone. */
  readonly fairness: { readonly team: string; readonly points: number } | null;
}

const r4 = (x: number) => Math.round(x * 1e4) / 1e4 || 0;
const r2 = (x: number) => Math.round(x * 100) / 100 || 0;
const byName =
  <T>(key: (t: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

/** The routing figures of a replay: counts by kind, rule, queue, rep and team, and fairness. */
export function routingDistribution(
  assignments: ReplayReport['assignments'],
  model: RoutingModel,
): RoutingDistribution {
  const assigned = assignments.filter((a) => a.kind === 'assigned' && a.owner !== null);
  const kinds = tally(assignments.map((a) => a.kind));
  const sorted = (counts: Map<string, number>) =>
    [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const byRep = sorted(tally(assigned.map((a) => a.owner ?? ''))).map(([rep, n]) => ({
    rep,
    assigned: n,
    share: r4(n / assigned.length),
  }));
  const byTeam: RoutingDistribution['byTeam'][number][] = [];
  for (const [teamId, total] of sorted(tally(assigned.flatMap((a) => (a.team === null ? [] : [a.team]))))) {
    const team = model.teams.get(teamId);
    const counts = tally(assigned.filter((a) => a.team === teamId).map((a) => a.owner ?? ''));
    const members = [...new Set([...(team?.members ?? []), ...counts.keys()])];
    const weightOf = (id: string) => {
      const rep = model.reps.get(id);
      if (rep === undefined || !rep.active || !(team?.members.includes(id) ?? false)) return 0;
      return team?.strategy === 'round_robin' ? 1 : rep.weight;
    };
    const weights = members.reduce((sum, id) => sum + weightOf(id), 0);
    const reps = members.map((rep): RepShare => {
      const n = counts.get(rep) ?? 0;
      const share = n / total;
      const target = weights > 0 ? weightOf(rep) / weights : 0;
      return {
        rep,
        weight: weightOf(rep),
        assigned: n,
        share: r4(share),
        target: r4(target),
        deviation: r2((share - target) * 100),
      };
    });
    const fairness = reps.reduce((max, r) => Math.max(max, Math.abs(r.deviation)), 0);
    byTeam.push({ team: teamId, strategy: team?.strategy ?? 'unknown', assigned: total, fairness, reps });
  }
  const worst = byTeam.reduce<RoutingDistribution['fairness']>(
    (w, t) => (w === null || t.fairness > w.points ? { team: t.team, points: t.fairness } : w),
    null,
  );
  return {
    decisions: assignments.length,
    byKind: {
      assigned: kinds.get('assigned') ?? 0,
      kept: kinds.get('kept') ?? 0,
      queued: kinds.get('queued') ?? 0,
      review: kinds.get('review') ?? 0,
    },
    byRule: sorted(tally(assignments.map((a) => a.rule))).map(([rule, count]) => ({ rule, count })),
    byQueue: sorted(tally(assignments.flatMap((a) => (a.queue === null ? [] : [a.queue])))).map(
      ([queue, count]) => ({ queue, count }),
    ),
    byRep,
    byTeam: byTeam.sort(byName((t) => t.team)),
    fairness: worst,
  };
}

export async function routeSimulateCommand(io: CliIo, options: RouteSimulateOptions): Promise<number> {
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const lines = await readHistory(options.events, { cwd: io.cwd, stdin: io.stdin, format: options.format });

  const store = await openMigratedStore(':memory:');
  try {
    const first = earliestAt(lines);
    const clock = new SimulatedClock(first ?? 0);
    // Routing on the events alone: SLA ladders would reassign every lead of a history that holds
    // no rep touches, and a simulation is about where leads go, not how fast reps answer.
    const { engine, setup } = runtime(store, config, clock, { sla: false });
    const routing = routingOf(setup.model.routing);
    const bar = progressBar(io.stderr, 'simulate', lines.length, io.interactive && !options.json);
    const report = await replay(lines, {
      engine,
      clock,
      catalog: setup.catalog,
      onProgress: (done) => bar.update(done),
    });
    bar.stop();
    const distribution = routingDistribution(report.assignments, routing);
    if (options.json) {
      const figures = { config: options.config, events: report.events, at: report.at, ...distribution };
      write(io.stdout, JSON.stringify(figures, null, 2));
    } else {
      write(io.stdout, simulateText(report, distribution));
    }
    reportRejections(io, options.events, report.rejected);
    return report.rejected.length > 0 ? EXIT.user : EXIT.ok;
  } finally {
    await store.close();
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pp = (x: number) => `${x > 0 ? '+' : ''}${x.toFixed(1)} pp`;

function simulateText(report: ReplayReport, d: RoutingDistribution): string {
  const { accepted, duplicates, rejected } = report.events;
  const out = [
    `Simulated to ${report.at}: ${accepted} events accepted, ${duplicates} duplicate, ${rejected} rejected; ${d.decisions} routing decisions.`,
    `By kind: assigned ${d.byKind.assigned}, kept ${d.byKind.kept}, queued ${d.byKind.queued}, review ${d.byKind.review}.`,
    `By rule: ${d.byRule.map((r) => `${r.rule} ${r.count}`).join(', ') || 'none'}.`,
    `Queued: ${d.byQueue.map((q) => `${q.queue} ${q.count}`).join(', ') || 'none'}.`,
  ];
  if (d.byRep.length > 0) {
    const reps = new Table({ head: ['rep', 'assigned', 'share'], style: PLAIN });
    for (const r of d.byRep) reps.push([r.rep, String(r.assigned), pct(r.share)]);
    out.push('', 'Assigned leads by rep (every rule):', reps.toString());
  }
  if (d.byTeam.length > 0) {
    const teams = new Table({
      head: ['team', 'rep', 'weight', 'assigned', 'share', 'target', 'deviation'],
      style: PLAIN,
    });
    for (const t of d.byTeam)
      for (const r of t.reps)
        teams.push([
          `${t.team} (${t.strategy})`,
          r.rep,
          String(r.weight),
          String(r.assigned),
          pct(r.share),
          pct(r.target),
          pp(r.deviation),
        ]);
    out.push(
      '',
      "Leads a team picked: each rep's share of the team's leads against its weight over the team's active reps:",
      teams.toString(),
      `Fairness (largest |share − target| per team): ${d.byTeam.map((t) => `${t.team} ${t.fairness.toFixed(1)} pp`).join(', ')}.`,
    );
  }
  if (d.fairness !== null)
    out.push(`Worst: ${d.fairness.team} at ${d.fairness.points.toFixed(1)} percentage points.`);
  out.push('Use --json for every figure.');
  return out.join('\n');
}
