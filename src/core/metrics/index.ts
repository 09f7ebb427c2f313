/**
 * The metrics core: pure functions from gathered rows (`MetricsInput`), the compiled metrics model,
 * a query (range and filters) and `now` to plain JSON-friendly objects. One function per API area
 * backs `GET /v1/metrics/{area}`; `computeView` backs the dashboard and `revops metrics --view`.
 *
 * Conventions of every output: times are epoch milliseconds; rates and shares are fractions
 * rounded to 4 places; ratios and days 2 places; money 2 places in the company currency;
 * durations whole milliseconds (`…Ms`). A headline figure is `{ value, benchmark?, status,
 * reason? }` (figures.ts): `status` is `ok` inside the benchmark band, `low`/`high` outside it,
 * `n/a` without a value or a benchmark; `reason` says why a value is null. Every function throws
 * `metrics.invalid_range` when `from` is not before `to`, and nothing else.
 */
import type { Millis } from '../types.ts';
import {
  economicsFromCounts,
  economicsMetrics,
  economicsPeriods,
  type EconomicsCounts,
  type EconomicsMetrics,
} from './economics.ts';
import { checkQuery, factFilter } from './context.ts';
import { cohortOf, factsOfInput, type MetricsFacts } from './facts.ts';
import { funnelFromFacts, type FunnelMetrics } from './funnel.ts';
import type { MetricsInput, MetricsModel, MetricsQuery } from './model.ts';
import { pipelineMetrics, type PipelineMetrics } from './pipeline.ts';
import {
  routingFromCounts,
  routingMetrics,
  type QueuedDecision,
  type RoutingCounts,
  type RoutingDecisionCount,
  type RoutingMetrics,
} from './routing.ts';
import {
  scoringFromCounts,
  scoringHealth,
  scoringWeeks,
  type ScoringCounts,
  type ScoringDecisions,
  type ScoringHealth,
  type WeekSpan,
} from './scoringHealth.ts';
import {
  slaFromClocks,
  slaFromSummary,
  slaMetrics,
  summariseSlaClocks,
  teamsOfReps,
  type SlaClockFigures,
  type SlaMetrics,
  type SlaSummary,
} from './sla.ts';
import {
  speedToLeadFromFacts,
  speedToLeadFromSummary,
  speedToLeadMetrics,
  type SpeedToLeadMetrics,
} from './speedToLead.ts';
import {
  closedLengths,
  openStaySummaries,
  stayP90s,
  timeInStageFromFacts,
  type TimeInStageMetrics,
} from './timeInStage.ts';
import {
  computeView,
  METRICS_VIEWS,
  VIEW_AREAS,
  viewOfSections,
  type MetricsView,
  type MetricsViewName,
  type ViewSections,
} from './views.ts';

export type { Figure, FigureStatus } from './figures.ts';
export type { LeadCount, MetricsFacts, OpenStaySummary, SpeedToLeadSummary } from './facts.ts';
export { stayP90s } from './timeInStage.ts';
export { economicsFromCounts, economicsPeriods, type EconomicsCounts };
export {
  slaFromClocks,
  slaFromSummary,
  summariseSlaClocks,
  teamsOfReps,
  type SlaClockFigures,
  type SlaSummary,
};
export { routingFromCounts, type QueuedDecision, type RoutingCounts, type RoutingDecisionCount };
export { scoringFromCounts, scoringWeeks, type ScoringCounts, type ScoringDecisions, type WeekSpan };
export { quotaPeriodAt } from './period.ts';
export { MAX_METRICS_DAYS, rangeBoundsProblem } from './context.ts';
export type {
  EconomicsInputs,
  LocalTime,
  MetricsBenchmarks,
  MetricsInput,
  MetricsModel,
  MetricsQuery,
  MetricsRep,
  PipelineInfo,
  QuotaPeriod,
  Range,
  SpendRow,
} from './model.ts';
export { FUNNEL_STAGES, QUOTA_PERIODS } from './model.ts';
export type {
  EconomicsMetrics,
  FunnelMetrics,
  PipelineMetrics,
  RoutingMetrics,
  ScoringHealth,
  SlaMetrics,
  SpeedToLeadMetrics,
  TimeInStageMetrics,
};
export {
  computeView,
  METRICS_VIEWS,
  VIEW_AREAS,
  viewOfSections,
  type MetricsView,
  type MetricsViewName,
  type ViewSections,
};

export const METRICS_AREAS = [
  'funnel',
  'pipeline',
  'economics',
  'speedToLead',
  'sla',
  'routing',
  'scoring',
] as const;
export type MetricsArea = (typeof METRICS_AREAS)[number];

export function isMetricsArea(value: string): value is MetricsArea {
  return (METRICS_AREAS as readonly string[]).includes(value);
}

export function isMetricsView(value: string): value is MetricsViewName {
  return (METRICS_VIEWS as readonly string[]).includes(value);
}

/** `funnel`: the cohort funnel (funnel.ts) and time in stage (timeInStage.ts). */
export type FunnelArea = FunnelMetrics & { readonly timeInStage: TimeInStageMetrics };

export function funnel(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): FunnelArea {
  return computeAreaFromFacts('funnel', factsForQuery(input, model, query, now), model, query, now);
}

/** The facts of `input` as a report over `query` reads them from a store. */
export function factsForQuery(
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): MetricsFacts {
  checkQuery(query);
  const all = factsOfInput(input, model);
  const closedStays = closedLengths(all.stays, model, query);
  return {
    leads: cohortOf(all.leads, query.from, query.to),
    mqlEntries: all.mqlEntries,
    closedStays,
    openStays: openStaySummaries(all.stays, stayP90s(closedStays), factFilter(model, query), now),
  };
}

/** The areas computed from lead facts alone (a store's roll-ups can answer them). */
export const FACT_AREAS = ['funnel', 'speedToLead'] as const;
export type FactArea = (typeof FACT_AREAS)[number];

export function isFactArea(area: MetricsArea): area is FactArea {
  return (FACT_AREAS as readonly string[]).includes(area);
}

/**
 * A fact area from lead facts (`MetricsFacts`: at least the range's leads, MQL entries, closed
 * stays and every open stay; speed to lead from `speedToLead` when the store counted it, else from
 * the MQL entries). Throws `metrics.invalid_range` for an empty range.
 */
export function computeAreaFromFacts<A extends FactArea>(
  area: A,
  facts: MetricsFacts,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): MetricsAreas[A] {
  checkQuery(query);
  const result: MetricsAreas[FactArea] =
    area === 'funnel'
      ? Object.assign(funnelFromFacts(facts, model, query), {
          timeInStage: timeInStageFromFacts(facts.closedStays, facts.openStays, model),
        })
      : facts.speedToLead !== undefined
        ? speedToLeadFromSummary(facts.speedToLead, model)
        : speedToLeadFromFacts(facts.mqlEntries, model, query, now);
  return result as MetricsAreas[A];
}

/** `pipeline`: see pipeline.ts. */
export const pipeline = pipelineMetrics;
/** `economics`: see economics.ts. */
export const economics = economicsMetrics;
/** `speedToLead`: see speedToLead.ts. */
export const speedToLead = speedToLeadMetrics;
/** `sla`: see sla.ts. */
export const sla = slaMetrics;
/** `routing`: see routing.ts. */
export const routing = routingMetrics;
/** `scoring`: see scoringHealth.ts. */
export const scoring = scoringHealth;

export interface MetricsAreas {
  readonly funnel: FunnelArea;
  readonly pipeline: PipelineMetrics;
  readonly economics: EconomicsMetrics;
  readonly speedToLead: SpeedToLeadMetrics;
  readonly sla: SlaMetrics;
  readonly routing: RoutingMetrics;
  readonly scoring: ScoringHealth;
}

const AREAS: {
  readonly [A in MetricsArea]: (
    i: MetricsInput,
    m: MetricsModel,
    q: MetricsQuery,
    now: Millis,
  ) => MetricsAreas[A];
} = { funnel, pipeline, economics, speedToLead, sla, routing, scoring };

/** The output of one area (`GET /v1/metrics/{area}`). */
export function computeArea<A extends MetricsArea>(
  area: A,
  input: MetricsInput,
  model: MetricsModel,
  query: MetricsQuery,
  now: Millis,
): MetricsAreas[A] {
  const compute = AREAS[area] as (
    i: MetricsInput,
    m: MetricsModel,
    q: MetricsQuery,
    now: Millis,
  ) => MetricsAreas[A];
  return compute(input, model, query, now);
}
