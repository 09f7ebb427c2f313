/** The demo summary as a few lines of text, each funnel rate beside its benchmark. */
import { LIFECYCLE_STAGES } from '../config/schema/lifecycle.ts';
import type { DemoPipeline, DemoSummary } from './summary.ts';

/** A benchmark band as the config holds it (fractions: 0.05 is 5%). */
export interface RateBand {
  readonly min?: number | undefined;
  readonly max?: number | undefined;
}

export interface DemoBenchmarks {
  readonly leadToMql?: RateBand;
  readonly mqlToSql?: RateBand;
  readonly sqlToOpportunity?: RateBand;
  readonly winRate?: RateBand;
}

const STAGE_ORDER: readonly string[] = LIFECYCLE_STAGES;

const n = (value: number) => value.toLocaleString('en-US');
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

function rate(value: number, band: RateBand | undefined): string {
  if (band === undefined || (band.min === undefined && band.max === undefined)) return pct(value);
  const lo = band.min === undefined ? '' : `${Math.round(band.min * 100)}`;
  const hi = band.max === undefined ? '' : `${Math.round(band.max * 100)}`;
  const inside =
    (band.min === undefined || value >= band.min) && (band.max === undefined || value <= band.max);
  return `${pct(value)} (benchmark ${lo}–${hi}%${inside ? '' : ', outside'})`;
}

function stageList(counts: Readonly<Record<string, number>>): string {
  const known = STAGE_ORDER.filter((s) => (counts[s] ?? 0) > 0);
  const other = Object.keys(counts).filter((s) => !STAGE_ORDER.includes(s));
  return [...known, ...other].map((s) => `${s} ${n(counts[s] ?? 0)}`).join(' · ');
}

function pipelineLine(p: DemoPipeline): string {
  const total = Object.values(p.open).reduce((a, b) => a + b, 0);
  const stages = Object.entries(p.open)
    .map(([stage, count]) => `${stage} ${n(count)}`)
    .join(' · ');
  const a = p.approvals;
  const refused = p.refused + p.fieldsMissing;
  return [
    `  pipeline  ${n(total)} open deals${stages === '' ? '' : `: ${stages}`}`,
    `            ${n(p.stale)} stale, ${n(p.pushed)} pushed (${n(p.forecastReview)} in forecast review), ${n(p.skipped)} skipped a stage, ${n(refused)} ${refused === 1 ? 'change' : 'changes'} refused`,
    `            approvals ${n(a.pending)} pending, ${n(a.approved)} approved, ${n(a.rejected)} rejected; ${n(a.escalated)} escalated`,
  ].join('\n');
}

/** The summary in aligned lines (no trailing newline). */
export function formatDemoSummary(s: DemoSummary, benchmarks: DemoBenchmarks = {}): string {
  const r = s.reached;
  const reps = Object.entries(s.assignments.byRep)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
    .map(([rep, count]) => `${rep} ${n(count)}`)
    .join(', ');
  const codes = Object.entries(s.rejections)
    .map(([code, count]) => `${code} ${n(count)}`)
    .join(' · ');
  return [
    `  history   ${s.days} days, ${s.from.slice(0, 10)} → ${s.anchor.slice(0, 16).replace('T', ' ')} UTC (seed ${s.seed}): ${n(s.events)} events through the engine, ${n(s.timersFired)} timers fired`,
    `  people    ${n(s.contacts)} contacts at ${n(s.accounts)} accounts`,
    `  funnel    lead ${n(r['lead'] ?? 0)} → MQL ${n(r['mql'] ?? 0)}, ${rate(s.rates.leadToMql, benchmarks.leadToMql)}`,
    `            MQL → SQL ${n(r['sql'] ?? 0)}, ${rate(s.rates.mqlToSql, benchmarks.mqlToSql)}`,
    `            SQL → opportunity ${n(r['opportunity'] ?? 0)}, ${rate(s.rates.sqlToOpportunity, benchmarks.sqlToOpportunity)}`,
    `            deals ${n(s.deals.created)} created, ${n(s.deals.won)} won, ${n(s.deals.lost)} lost; win rate ${rate(s.rates.winRate, benchmarks.winRate)}`,
    `  now       ${stageList(s.stages)}`,
    `  routing   ${n(s.assignments.total)} decisions: ${reps || 'nobody assigned'}; ${n(s.assignments.queued)} queued, ${n(s.assignments.review)} held for review, ${n(s.assignments.reassigned)} reassigned`,
    `  SLA       ${n(s.sla.clocks)} clocks: ${n(s.sla.met)} met, ${n(s.sla.breached)} breached, ${n(s.sla.open)} open; ${n(s.sla.escalations)} escalation steps`,
    `  rejected  ${codes || 'none'}`,
    `  tasks     ${n(s.tasks.open)} open, ${n(s.tasks.done)} done`,
    ...(s.pipeline === undefined ? [] : [pipelineLine(s.pipeline)]),
  ].join('\n');
}
