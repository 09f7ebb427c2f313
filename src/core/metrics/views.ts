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
import { slaMetrics, type SlaMetrics } from './sla.ts';
import { speedToLeadMetrics, type SpeedToLeadMetrics } from './speedToLead.ts';
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

/** The area outputs each view is made of (a view picks fields of them, nothing more). */
export interface ViewSections {
  readonly marketing: {
    readonly funnel: FunnelMetrics & { readonly timeInStage: Pick<TimeInStageMetrics, 'stall'> };
    readonly economics: EconomicsMetrics;
    readonly scoring: ScoringHealth;
  };
  readonly sales: {
    readonly pipeline: PipelineMetrics;
    readonly speedToLead: SpeedToLeadMetrics;
    readonly sla: SlaMetrics;
  };
  readonly executive: {
    readonly economics: EconomicsMetrics;
    readonly pipeline: PipelineMetrics;
    readonly funnel: FunnelMetrics;
  };
}

/** The areas of each view, as `METRICS_AREAS` names them. */
export const VIEW_AREAS = {
  marketing: ['funnel', 'economics', 'scoring'],
  sales: ['pipeline', 'speedToLead', 'sla'],
  executive: ['economics', 'pipeline', 'funnel'],
} as const satisfies { readonly [V in MetricsViewName]: readonly (keyof ViewSections[V])[] };

function marketing(query: MetricsQuery, areas: ViewSections['marketing']): MarketingView {
  const f = areas.funnel;
  const s = areas.scoring;
  return Object.assign(base(query), {
    view: 'marketing' as const,
    volume: f.counts,
    mqlRate: f.conversions.leadToMql,
    mqlToSql: f.conversions.mqlToSql,
    sources: f.bySource,
    costPerMql: areas.economics.costPerMql,
    recycled: f.recycled,
    rejections: f.rejections,
    stall: f.timeInStage.stall,
    scoring: { acceptance: s.acceptance, warnings: s.warnings, weeks: s.weeks },
  });
}

function sales(query: MetricsQuery, areas: ViewSections['sales']): SalesView {
  const p = areas.pipeline;
  const s = areas.speedToLead;
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
    slaCompliance: areas.sla.compliance,
  });
}

function executive(query: MetricsQuery, areas: ViewSections['executive']): ExecutiveView {
  const e = areas.economics;
  const p = areas.pipeline;
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
    leadToMql: areas.funnel.conversions.leadToMql,
  });
}

/**
 * One dashboard view for `query` from the outputs of its areas (`VIEW_AREAS`), however they were
 * computed (from rows, or from a store's facts). Does not throw.
 */
export function viewOfSections<V extends MetricsViewName>(
  view: V,
  query: MetricsQuery,
  areas: ViewSections[V],
): MetricsView {
  if (view === 'marketing') return marketing(query, areas as ViewSections['marketing']);
  if (view === 'sales') return sales(query, areas as ViewSections['sales']);
  return executive(query, areas as ViewSections['executive']);
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
  if (view === 'marketing')
    return viewOfSections(view, query, {
      funnel: Object.assign(funnelMetrics(input, model, query, now), {
        timeInStage: timeInStageMetrics(input, model, query, now),
      }),
      economics: economicsMetrics(input, model, query, now),
      scoring: scoringHealth(input, model, query, now),
    });
  if (view === 'sales')
    return viewOfSections(view, query, {
      pipeline: pipelineMetrics(input, model, query, now),
      speedToLead: speedToLeadMetrics(input, model, query, now),
      sla: slaMetrics(input, model, query, now),
    });
  return viewOfSections(view, query, {
    economics: economicsMetrics(input, model, query, now),
    pipeline: pipelineMetrics(input, model, query, now),
    funnel: funnelMetrics(input, model, query, now),
  });
}
