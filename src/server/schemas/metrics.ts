/**
 * The metrics API's query and answers (`GET /v1/metrics/{area}`, `GET /v1/metrics/views/{view}`):
 * one schema per area and view, mirroring `core/metrics` (docs/metrics.md defines every figure).
 * Each `…Report` schema is checked against the engine's report type below, so a field the core
 * adds without a schema here fails the typecheck instead of vanishing from the answer.
 */
import { z } from 'zod';
import type { FunnelArea, MetricsAreas } from '../../core/metrics/index.ts';
import { FIGURE_STATUSES } from '../../core/metrics/figures.ts';
import { FORECAST_CATEGORIES } from '../../core/metrics/forecast.ts';
import type { ExecutiveView, MarketingView, SalesView } from '../../core/metrics/views.ts';
import { EXCEPTION_KINDS } from '../../core/pipeline/types.ts';

const count = z.number().int();
const rate = z
  .number()
  .nullable()
  .describe('A fraction (0.25 = 25%), 4 places; null when there is nothing to divide by');
const ms = z.number().nullable().describe('Milliseconds (wall clock)');
const money = z.number().describe('In the company currency, 2 places');
const instant = z.number().describe('Epoch milliseconds');

export const RangeSchema = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .meta({ id: 'MetricsBenchmark' })
  .describe('A benchmark band; rates as fractions, ratios as plain numbers; either end may be open');

export const FigureSchema = z
  .object({
    value: z.number().nullable(),
    benchmark: RangeSchema.optional(),
    status: z
      .enum(FIGURE_STATUSES)
      .describe(
        '`ok` inside the benchmark band (ends included), `low` / `high` outside, `n/a` without a value or benchmark',
      ),
    reason: z.string().optional().describe('Why `value` is null, and what to set to get one'),
  })
  .meta({ id: 'MetricsFigure' });

const windowSchema = z.object({ from: instant, to: instant });

// ---- funnel

const FunnelCountsSchema = z.object({
  contacts: count.describe('Contacts created in the range (subscribers included)'),
  leads: count,
  mqls: count,
  sqls: count,
  opportunities: count,
  customers: count,
});

const StageTimeSchema = z.object({
  stage: z.string(),
  count: count.describe('Stays in the stage that ended in the range'),
  averageMs: ms,
  medianMs: ms,
  p90Ms: ms,
  open: count.describe('Contacts in the stage now'),
  openMedianAgeMs: ms,
  pastP90: count.describe('Open stays older than the p90 of the ended ones'),
});

const TimeInStageSchema = z.object({
  stages: z.array(StageTimeSchema),
  stall: z
    .object({
      stage: z.string(),
      basis: z.enum(['past_p90', 'longest_median']),
      pastP90: count,
      medianMs: ms,
    })
    .nullable(),
});

const RejectionsSchema = z.object({
  total: count,
  byCode: z.array(z.object({ code: z.string(), reason: z.string(), count, share: z.number() })),
});

const RecycledSchema = z.object({ mqls: count, sqls: count, conversion: rate });

const SourceFunnelSchema = FunnelCountsSchema.extend({
  source: z.string(),
  leadToMql: rate,
  mqlToSql: rate,
  sqlToOpportunity: rate,
  opportunityToCustomer: rate,
});

export const FunnelSchema = z
  .object({
    window: windowSchema,
    counts: FunnelCountsSchema,
    conversions: z.object({
      leadToMql: FigureSchema,
      mqlToSql: FigureSchema,
      sqlToOpportunity: FigureSchema,
      opportunityToCustomer: FigureSchema,
    }),
    rejections: RejectionsSchema,
    recycled: RecycledSchema,
    bySource: z.array(SourceFunnelSchema),
    timeInStage: TimeInStageSchema,
  })
  .meta({ id: 'FunnelMetrics' });

// ---- pipeline

const OpenSchema = z.object({ deals: count, amount: money });

const DealStageRowSchema = z.object({
  pipeline: z.string(),
  stage: z.string(),
  entered: count,
  advanced: count,
  conversion: rate,
  stillIn: count,
  stays: count,
  averageDays: z.number().nullable(),
  medianDays: z.number().nullable(),
});

const QuotaSchema = z.object({
  period: z.string().describe('The quota period holding now: `2026-Q4`'),
  from: instant,
  to: instant,
  quota: z.number().nullable(),
  won: money,
  remaining: z.number().nullable(),
});

const SlipSchema = z.object({
  deals: count,
  slipped: count,
  slipRate: rate,
  pushes: count,
  averageSlipDays: z.number().nullable(),
});

const ForecastSchema = z.object({
  categories: z.array(
    z.object({ category: z.enum(FORECAST_CATEGORIES), deals: count, amount: money, weighted: money }),
  ),
  vsActual: z.object({
    forecast: z.object({ deals: count, amount: money, weighted: money, commit: money }),
    actual: z.object({ won: count, wonAmount: money, forecastWonAmount: money }),
    accuracy: FigureSchema,
  }),
});

export const PipelineSchema = z
  .object({
    open: OpenSchema,
    stages: z.array(DealStageRowSchema),
    winRate: FigureSchema,
    closed: z.object({ won: count, lost: count, wonAmount: money }),
    winRateBySource: z.array(z.object({ source: z.string(), won: count, lost: count, winRate: rate })),
    averageWonAmount: z.number().nullable(),
    averageCycleDays: z.number().nullable(),
    velocityPerDay: FigureSchema,
    coverage: FigureSchema,
    quota: QuotaSchema,
    slip: SlipSchema,
    stale: count,
    forecastReview: count,
    forecast: ForecastSchema,
    dealDesk: z
      .object({
        requested: count,
        approved: count,
        rejected: count,
        pending: count,
        medianDecisionMs: ms,
        escalated: count,
        byException: z.array(z.object({ kind: z.enum(EXCEPTION_KINDS), requests: count })),
      })
      .optional(),
  })
  .meta({ id: 'PipelineMetrics' });

// ---- economics

const CostPerMqlSchema = z.object({
  total: FigureSchema,
  bySource: z.array(
    z.object({ source: z.string(), spend: money, mqls: count, costPerMql: z.number().nullable() }),
  ),
});

export const EconomicsSchema = z
  .object({
    spend: z.object({ periods: z.array(z.string()), sales: money, marketing: money, total: money }),
    newCustomers: count,
    cac: FigureSchema,
    ltv: FigureSchema,
    ltvToCac: FigureSchema,
    paybackMonths: FigureSchema,
    costPerMql: CostPerMqlSchema,
  })
  .meta({ id: 'EconomicsMetrics' });

// ---- speed to lead

const ArrivalShape = { mqls: count, contacted: count, medianMs: ms, withinSla: rate };

export const SpeedToLeadSchema = z
  .object({
    sla: z.object({ targetMs: z.number(), clockId: z.string().nullable() }),
    mqls: count,
    contacted: count,
    notContacted: count,
    pending: count,
    averageMs: FigureSchema,
    medianMs: FigureSchema,
    withinSla: FigureSchema,
    judged: z.object({ within: count, missed: count, byClock: count, byWallClock: count }),
    byHour: z.array(z.object(Object.assign({ hour: count }, ArrivalShape))),
    byWeekday: z.array(z.object(Object.assign({ weekday: z.string().describe('mon … sun') }, ArrivalShape))),
    byResponse: z.array(
      z.object({
        bucket: z.enum(['under_5m', '5_10m', '10_30m', '30_60m', '1_24h', 'over_24h']),
        label: z.string(),
        leads: count,
        sqls: count,
        conversion: rate,
      }),
    ),
  })
  .meta({ id: 'SpeedToLeadMetrics' });

// ---- sla

const SlaCountsShape = {
  clocks: count,
  met: count,
  breached: count,
  open: count,
  cancelled: count,
  compliance: rate,
  escalations: count,
  medianLateMs: ms,
};

export const SlaSchema = z
  .object({
    compliance: FigureSchema,
    total: z.object(SlaCountsShape),
    byClock: z.array(z.object(Object.assign({ clockId: z.string(), name: z.string() }, SlaCountsShape))),
    byRep: z.array(z.object(Object.assign({ rep: z.string() }, SlaCountsShape))),
    byTeam: z.array(z.object(Object.assign({ team: z.string() }, SlaCountsShape))),
  })
  .meta({ id: 'SlaMetrics' });

// ---- routing

const KindShape = { total: count, assigned: count, kept: count, queued: count, review: count };

export const RoutingSchema = z
  .object({
    decisions: z.object(KindShape),
    byRep: z.array(z.object({ rep: z.string(), assigned: count, kept: count, share: rate })),
    byRule: z.array(z.object(Object.assign({ rule: z.string() }, KindShape))),
    fairness: z.array(
      z.object({
        team: z.string(),
        assigned: count,
        maxDeviation: z.number(),
        reps: z.array(
          z.object({
            rep: z.string(),
            weight: z.number(),
            assigned: count,
            share: z.number(),
            target: z.number(),
            deviation: z.number(),
          }),
        ),
      }),
    ),
    queues: z.array(
      z.object({
        queue: z.string(),
        count,
        averageMs: ms,
        medianMs: ms,
        p90Ms: ms,
        queued: count,
        pickedUp: count,
        waiting: count,
        oldestWaitingMs: ms,
      }),
    ),
  })
  .meta({ id: 'RoutingMetrics' });

// ---- scoring

const ScoringWeekSchema = z.object({
  week: z.string().describe('The Monday, YYYY-MM-DD'),
  mqls: count,
  trailingAverage: z.number(),
  dealsCreated: count,
  dealsTrailingAverage: z.number(),
  spike: z.boolean(),
});

const ScoringWarningSchema = z.object({
  code: z.enum(['low_acceptance', 'mql_spike_without_pipeline']),
  message: z.string(),
  hint: z.string(),
  week: z.string().optional(),
});

export const ScoringSchema = z
  .object({
    weeks: z.array(ScoringWeekSchema),
    acceptance: FigureSchema,
    decisions: z.object({ accepted: count, rejected: count, pending: count }),
    warnings: z.array(ScoringWarningSchema),
  })
  .meta({ id: 'ScoringHealth' });

// ---- views

const viewBase = {
  window: windowSchema,
  filters: z.object({ source: z.string().nullable(), team: z.string().nullable() }),
};

export const MarketingViewSchema = z
  .object(
    Object.assign({}, viewBase, {
      view: z.literal('marketing'),
      volume: FunnelCountsSchema,
      mqlRate: FigureSchema,
      mqlToSql: FigureSchema,
      sources: z.array(SourceFunnelSchema),
      costPerMql: CostPerMqlSchema,
      recycled: RecycledSchema,
      rejections: RejectionsSchema,
      stall: TimeInStageSchema.shape.stall,
      scoring: z.object({
        acceptance: FigureSchema,
        warnings: z.array(ScoringWarningSchema),
        weeks: z.array(ScoringWeekSchema),
      }),
    }),
  )
  .meta({ id: 'MarketingView' });

export const SalesViewSchema = z
  .object(
    Object.assign({}, viewBase, {
      view: z.literal('sales'),
      pipelineValue: OpenSchema,
      stageConversion: z.array(DealStageRowSchema),
      velocityPerDay: FigureSchema,
      winRate: FigureSchema,
      forecast: ForecastSchema,
      slip: SlipSchema,
      stale: count,
      speedToLead: z.object({ medianMs: FigureSchema, withinSla: FigureSchema }),
      slaCompliance: FigureSchema,
    }),
  )
  .meta({ id: 'SalesView' });

export const ExecutiveViewSchema = z
  .object(
    Object.assign({}, viewBase, {
      view: z.literal('executive'),
      cac: FigureSchema,
      ltv: FigureSchema,
      ltvToCac: FigureSchema,
      paybackMonths: FigureSchema,
      revenue: QuotaSchema.extend({ attainment: FigureSchema, wonInRange: money }),
      coverage: FigureSchema,
      winRate: FigureSchema,
      leadToMql: FigureSchema,
    }),
  )
  .meta({ id: 'ExecutiveView' });

// ---- the answers

export const MetricsQueryString = z.object({
  from: z
    .string()
    .max(64)
    .optional()
    .describe(
      'Start of the range (included): a date in the company time zone (2026-10-01), an ISO time with a zone, or epoch ms. Default: 90 days before `to`',
    ),
  to: z
    .string()
    .max(64)
    .optional()
    .describe('End of the range (excluded; a date includes its whole day). Default: now'),
  source: z.string().max(200).optional().describe('Only leads (and deals) of this source (`contact.source`)'),
  team: z
    .string()
    .max(200)
    .optional()
    .describe('Only leads, deals and clocks owned by a member of this team'),
});

const reportBase = {
  timezone: z.string().describe('The zone dates in the request were read in'),
  from: z.string().describe('The range measured, [from, to), ISO 8601 UTC'),
  to: z.string(),
  asOf: z.string().describe('Now, for figures about the present (open pipeline, open stays)'),
  filters: z.object({ source: z.string().nullable(), team: z.string().nullable() }),
};

function areaReportSchema<T extends z.ZodType>(id: string, area: string, metrics: T) {
  return z
    .object(Object.assign({}, reportBase, { area: z.literal(area), metrics }))
    .meta({ id: `${id}Report` });
}

function viewReportSchema<V extends string, T extends z.ZodType>(id: string, view: V, metrics: T) {
  return z
    .object(Object.assign({}, reportBase, { view: z.literal(view), metrics }))
    .meta({ id: `${id}Report` });
}

export const AREA_REPORT_SCHEMAS = {
  funnel: areaReportSchema('Funnel', 'funnel', FunnelSchema),
  pipeline: areaReportSchema('Pipeline', 'pipeline', PipelineSchema),
  economics: areaReportSchema('Economics', 'economics', EconomicsSchema),
  speedToLead: areaReportSchema('SpeedToLead', 'speed-to-lead', SpeedToLeadSchema),
  sla: areaReportSchema('Sla', 'sla', SlaSchema),
  routing: areaReportSchema('Routing', 'routing', RoutingSchema),
  scoring: areaReportSchema('Scoring', 'scoring', ScoringSchema),
} as const;

export const VIEW_REPORT_SCHEMAS = {
  marketing: viewReportSchema('MarketingView', 'marketing', MarketingViewSchema),
  sales: viewReportSchema('SalesView', 'sales', SalesViewSchema),
  executive: viewReportSchema('ExecutiveView', 'executive', ExecutiveViewSchema),
} as const;

// ---- compile-time checks: every schema's output is the core's type (no required field missing)

/** A type with readonly, `undefined` of optional fields and array readonly-ness taken off, to compare shapes. */
type Plain<T> = T extends readonly (infer E)[]
  ? Plain<E>[]
  : T extends object
    ? { -readonly [K in keyof T]: Plain<Exclude<T[K], undefined>> }
    : T;
/** True when both shapes have the same required fields with the same types. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Expect<T extends true> = T;
type Matches<S extends z.ZodType, Core> = Same<Plain<z.output<S>>, Plain<Core>>;
export type SchemaChecks = [
  Expect<Matches<typeof FunnelSchema, FunnelArea>>,
  Expect<Matches<typeof PipelineSchema, MetricsAreas['pipeline']>>,
  Expect<Matches<typeof EconomicsSchema, MetricsAreas['economics']>>,
  Expect<Matches<typeof SpeedToLeadSchema, MetricsAreas['speedToLead']>>,
  Expect<Matches<typeof SlaSchema, MetricsAreas['sla']>>,
  Expect<Matches<typeof RoutingSchema, MetricsAreas['routing']>>,
  Expect<Matches<typeof ScoringSchema, MetricsAreas['scoring']>>,
  Expect<Matches<typeof MarketingViewSchema, MarketingView>>,
  Expect<Matches<typeof SalesViewSchema, SalesView>>,
  Expect<Matches<typeof ExecutiveViewSchema, ExecutiveView>>,
];
