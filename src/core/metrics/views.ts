/**
 * The three dashboard views of the reference (revops-SKILL.md "Dashboard Structure"), each a
 * selection of the area outputs:
 * 1. marketing — lead volume, MQL rate, source attribution, cost per MQL;
 * 2. sales — pipeline value, stage conversion, velocity, forecast accuracy;
 * 3. executive — CAC, LTV:CAC, revenue against target, pipeline coverage.
 */
import type { Millis } from '../types.ts';
import { economicsMetrics, type EconomicsMetrics } from './economics.ts';
import { figure, rate, type Figure } from './figures.ts';
import { funnelMetrics, type FunnelMetrics } from './funnel.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';
import { pipelineMetrics, type PipelineMetrics } from './pipeline.ts';
import { scoringHealth, type ScoringHealth } from './scoringHealth.ts';
import { slaMetrics } from './sla.ts';
import { speedToLeadMetrics } from './speedToLead.ts';
import { timeInStageMetrics, type TimeInStageMetrics } from './timeInStage.ts';

export const METRICS_VIEWS = ['marketing', 'sales', 'executive'] as const;
export type MetricsViewName = (typeof METRICS_VIEWS)[number];

interface ViewBase {
  readonly window: { readonly from: Millis; readonly to: Millis };
  readonly filters: { readonly source: string | null; readonly team: string | null };
}

/** `view: 'marketing'`: the cohort's volume and rates, sources with their cost per MQL, scoring health. */
export interface MarketingView extends ViewBase {
  readonly view: 'marketing';
  readonly volume: FunnelMetrics['counts'];
  readonly mqlRate: Figure;
  readonly mqlToSql: Figure;
  readonly sources: FunnelMetrics['bySource'];
  readonly costPerMql: EconomicsMetrics['costPerMql'];
  readonly recycled: FunnelMetrics['recycled'];
  readonly rejections: FunnelMetrics['rejections'];
  readonly stall: TimeInStageMetrics['stall'];
  readonly scoring: Pick<ScoringHealth, 'acceptance' | 'warnings' | 'weeks'>;
}

/** `view: 'sales'`: pipeline value, stage conversion, velocity, forecast, response to leads. */
export interface SalesView extends ViewBase {
  readonly view: 'sales';
  readonly pipelineValue: PipelineMetrics['open'];
  readonly stageConversion: PipelineMetrics['stages'];
  readonly velocityPerDay: Figure;
  readonly winRate: Figure;
  readonly forecast: PipelineMetrics['forecast'];
  readonly slip: PipelineMetrics['slip'];
  readonly stale: number;
  readonly speedToLead: { readonly medianMs: Figure; readonly withinSla: Figure };
  readonly slaCompliance: Figure;
}

/** `view: 'executive'`: unit economics, revenue against the period's quota, coverage. */
export interface ExecutiveView extends ViewBase {
  readonly view: 'executive';
  readonly cac: Figure;
  readonly ltv: Figure;
  readonly ltvToCac: Figure;
  readonly paybackMonths: Figure;
  /** Won in the current quota period against its quota (`attainment` as a fraction). */
  readonly revenue: PipelineMetrics['quota'] & { readonly attainment: Figure; readonly wonInRange: number };
  readonly coverage: Figure;
  readonly winRate: Figure;
  readonly leadToMql: Figure;
}

export type MetricsView = MarketingView | SalesView | ExecutiveView;

function base(query: MetricsQuery): ViewBase {
  return {
    window: { from: query.from, to: query.to },
    filters: { source: query.source ?? null, team: query.team ?? null },
  };
}

function marketing(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): MarketingView {
  const f = funnelMetrics(input, model, query, now);
  const s = scoringHealth(input, model, query, now);
  return Object.assign(base(query), {
    view: 'marketing' as const,
    volume: f.counts,
    mqlRate: f.conversions.leadToMql,
    mqlToSql: f.conversions.mqlToSql,
    sources: f.bySource,
    costPerMql: economicsMetrics(input, model, query, now).costPerMql,
    recycled: f.recycled,
    rejections: f.rejections,
    stall: timeInStageMetrics(input, model, query, now).stall,
    scoring: { acceptance: s.acceptance, warnings: s.warnings, weeks: s.weeks },
  });
}

function sales(input: MetricsInput, model: MetricsModel, query: MetricsQuery, now: Millis): SalesView {
  const p = pipelineMetrics(input, model, query, now);
  const s = speedToLeadMetrics(input, model, query, now);
  return Object.assign(base(query), {
    view: 'sales' as const,
    pipelineValue: p.open,
    stageConversion: p.stages,
    velocityPerDay: p.velocityPerDay,
    winRate: p.winRate,
    forecast: p.forecast,
    slip: p.slip,
    stale: p.stale,
    speedToLead: { medianMs: s.medianMs, withinSla: s.withinSla },
    slaCompliance: slaMetrics(input, model, query, now).compliance,
  });
}

function executive(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): ExecutiveView {
  const e = economicsMetrics(input, model, query, now);
  const p = pipelineMetrics(input, model, query, now);
  const q = p.quota;
  const attainment =
    q.quota === null || q.quota === 0
      ? figure(null, undefined, 'no quota: set metrics.teamQuotas or team.reps[].quota')
      : figure(rate(q.won / q.quota));
  return Object.assign(base(query), {
    view: 'executive' as const,
    cac: e.cac,
    ltv: e.ltv,
    ltvToCac: e.ltvToCac,
    paybackMonths: e.paybackMonths,
    revenue: Object.assign({}, q, { attainment, wonInRange: p.closed.wonAmount }),
    coverage: p.coverage,
    winRate: p.winRate,
    leadToMql: funnelMetrics(input, model, query, now).conversions.leadToMql,
  });
}

/**
 * One dashboard view for `query` as of `now` (see the view types for the fields). Throws
 * `metrics.invalid_range` when `from` is not before `to`.
 */
export function computeView(
  view: MetricsViewName,
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): MetricsView {
  if (view === 'marketing') return marketing(input, model, query, now);
  if (view === 'sales') return sales(input, model, query, now);
  return executive(input, model, query, now);
}
