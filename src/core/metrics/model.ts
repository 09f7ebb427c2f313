/**
 * What the metrics functions read: the compiled `metrics` section (benchmarks as fractions and
 * ratios, quotas, spend, unit-economics inputs), the funnel and deal stages, who is on which team,
 * and the company's local time (a digest function and the instant a local date starts), both passed
 * in so core/ stays pure. config/metricsModel.ts builds it from a loaded config.
 */
import type { AssignmentRow } from '../ports.ts';
import type { ApprovalRequest, DealState } from '../pipeline/types.ts';
import type { SlaClock } from '../sla/model.ts';
import type { Weekday } from '../time/localDay.ts';
import type { ContactState, Millis, StageChange, Touch } from '../types.ts';

/** The funnel stages in order; `evangelist` counts as a customer. */
export const FUNNEL_STAGES = ['lead', 'mql', 'sql', 'opportunity', 'customer'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const QUOTA_PERIODS = ['month', 'quarter', 'year'] as const;
export type QuotaPeriod = (typeof QUOTA_PERIODS)[number];

/** A benchmark band; either end may be open. Rates are fractions (0.3), ratios plain numbers (3). */
export interface Range {
  readonly min?: number;
  readonly max?: number;
}

export interface MetricsBenchmarks {
  readonly leadToMql: Range;
  readonly mqlToSql: Range;
  readonly sqlToOpportunity: Range;
  readonly winRate: Range;
  /** Speed to lead target in wall-clock milliseconds (5 minutes by default). */
  readonly speedToLeadMs: number;
  /** Share of MQLs contacted within the SLA (0.9). */
  readonly contactedWithinSla: number;
  readonly ltvToCac: Range;
  readonly pipelineCoverage: Range;
}

/** One `metrics.spend` row: `2026-Q3` or `2026-10`. */
export interface SpendRow {
  readonly period: string;
  readonly sales: number;
  readonly marketing: number;
  readonly bySource?: Readonly<Record<string, number>>;
}

export interface EconomicsInputs {
  /** Average revenue per account per month. */
  readonly arpa?: number;
  /** Fraction (0.8). */
  readonly grossMargin: number;
  /** Fraction per month (0.015). */
  readonly monthlyChurn?: number;
}

export interface MetricsRep {
  readonly id: string;
  readonly weight: number;
  readonly active: boolean;
  /** The teams listing the rep as a member (a rep may be on several). */
  readonly teams: readonly string[];
  readonly quota?: number;
}

export interface DealStageInfo {
  readonly id: string;
  readonly kind: 'open' | 'won' | 'lost';
  /** Forecast probability as a fraction; absent when the config gives none. */
  readonly probability?: number;
}

export interface PipelineInfo {
  readonly id: string;
  /** In pipeline order. */
  readonly stages: readonly DealStageInfo[];
}

/** An instant in the company's zone (a `CalendarDigest` fits). */
export interface LocalTime {
  /** `YYYY-MM-DD`. */
  readonly date: string;
  readonly weekday: Weekday;
  /** Minutes since local midnight, 0–1439. */
  readonly minuteOfDay: number;
}

export interface MetricsModel {
  /** Lifecycle stage ids in config order. */
  readonly stages: readonly string[];
  /** Stage id → funnel rank (0 lead … 4 customer); stages off the funnel are absent. */
  readonly funnelRank: Readonly<Record<string, number>>;
  /** `lifecycle.recycling.stage` (`recycled`). */
  readonly recyclingStage?: string;
  /** Reason code → reason in words (`FIT-01` → `Company too small`). */
  readonly reasonCodes: Readonly<Record<string, string>>;
  readonly benchmarks: MetricsBenchmarks;
  /** The SLA clock whose met/breached status decides speed to lead, when one is configured. */
  readonly speedToLeadClock?: string;
  readonly quotaPeriod: QuotaPeriod;
  /** Quota per period by team (`metrics.teamQuotas`, else the sum of its members' rep quotas). */
  readonly teamQuotas: Readonly<Record<string, number>>;
  /** The company quota per period (sum of team quotas, else of rep quotas); absent when none. */
  readonly totalQuota?: number;
  readonly spend: readonly SpendRow[];
  readonly economics: EconomicsInputs;
  readonly reps: readonly MetricsRep[];
  /** Team id → member rep ids. */
  readonly teams: Readonly<Record<string, readonly string[]>>;
  readonly pipelines: readonly PipelineInfo[];
  /** The company's local view of an instant. */
  readonly localTime: (at: Millis) => LocalTime;
  /** The instant local date `YYYY-MM-DD` begins in the company's zone. */
  readonly startOfDate: (date: string) => Millis;
}

/** Which slice to measure: [from, to) and optional filters by lead source and owner's team. */
export interface MetricsQuery {
  readonly from: Millis;
  readonly to: Millis;
  /** The lead's `source` attribute (`contact.source`), or a deal's `source`. */
  readonly source?: string;
  /** Leads, deals and clocks owned by a member of this team. */
  readonly team?: string;
}

/** Everything read from the store, gathered before computing (no queries inside the algorithms). */
export interface MetricsInput {
  readonly contacts: readonly ContactState[];
  readonly history: readonly StageChange[];
  readonly touches: readonly Touch[];
  readonly assignments: readonly AssignmentRow[];
  readonly clocks: readonly SlaClock[];
  readonly deals: readonly DealState[];
  readonly approvals?: readonly ApprovalRequest[];
}
