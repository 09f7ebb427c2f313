/**
 * `GET /v1/metrics/{area}` (funnel, pipeline, economics, speed-to-lead, sla, routing, scoring) and
 * `GET /v1/metrics/views/{view}` (marketing, sales, executive): the metrics of a range as of now,
 * computed from the store on each request (engine/metricsInput.ts reads only what the area needs).
 * Query: `from`, `to` (dates in the company zone, ISO times or epoch ms; default the last 90
 * days), `source`, `team`. A bad range is 400 `metrics.invalid_range`, an unknown team 400
 * `metrics.unknown_team`, an unknown area or view 404 naming the ones there are. Not to be confused
 * with `GET /metrics`, the Prometheus endpoint (routes/metrics.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { metricsSetupOf } from '../../web/data/metricViews.ts';
import { RevopsError } from '../../core/errors.ts';
import { METRICS_AREAS, METRICS_VIEWS } from '../../core/metrics/index.ts';
import { didYouMean, listOf } from '../../core/text/didYouMean.ts';
import { AREA_NAME_LIST, AREA_NAMES, areaOfName, areaReport, viewReport } from '../../engine/metricsInput.ts';
import type { ServerContext } from '../context.ts';
import { errorResponses } from '../schemas/common.ts';
import { AREA_REPORT_SCHEMAS, MetricsQueryString, VIEW_REPORT_SCHEMAS } from '../schemas/metrics.ts';

const SUMMARY: { readonly [A in (typeof METRICS_AREAS)[number]]: string } = {
  funnel: 'Funnel: the cohort created in the range at each stage, conversions, rejections, time in stage',
  pipeline: 'Pipeline: open value, stage conversion, win rate, velocity, coverage, slip, forecast, deal desk',
  economics: 'Unit economics: CAC, LTV, LTV:CAC, payback, cost per MQL',
  speedToLead: 'Speed to lead: time from MQL to first touch, share within the SLA, by hour and weekday',
  sla: 'SLA compliance: clocks met and breached, by clock, rep and team',
  routing: 'Routing: decisions by kind, rep and rule, round-robin fairness, queue wait',
  scoring: 'Scoring health: sales acceptance of MQLs, weekly MQL spikes without pipeline',
};

const VIEW_SUMMARY: { readonly [V in (typeof METRICS_VIEWS)[number]]: string } = {
  marketing: 'Marketing view: lead volume, MQL rate, sources and cost per MQL, scoring health',
  sales: 'Sales view: pipeline value, stage conversion, velocity, forecast, speed to lead',
  executive: 'Executive view: CAC, LTV:CAC, revenue against quota, pipeline coverage',
};

const DESCRIPTION =
  'Every figure is defined in docs/metrics.md. Rates are fractions (0.25 = 25%), durations milliseconds, money in the company currency; headline figures carry `{ value, benchmark, status }`.';

const HIDDEN = { hide: true } as Record<string, unknown>;

/**
 * A report as the route's reply. The response schema checks it when it is sent (the core's types are
 * readonly where zod's are not, so the compiler cannot match them; schemas/metrics.ts checks the shapes).
 */
const asReply = <T>(report: Promise<T>): Promise<never> => report as Promise<never>;

/** Registers the metrics API. Does not throw. */
export async function metricsApiRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await Promise.resolve();
  const api = app.withTypeProvider<ZodTypeProvider>();

  for (const area of METRICS_AREAS) {
    api.get(
      `/v1/metrics/${AREA_NAMES[area]}`,
      {
        config: { scope: 'read' },
        schema: {
          tags: ['metrics'],
          summary: SUMMARY[area],
          description: DESCRIPTION,
          querystring: MetricsQueryString,
          response: Object.assign({ 200: AREA_REPORT_SCHEMAS[area] }, errorResponses(400, 401, 403, 429)),
        },
      },
      (request) => asReply(areaReport(ctx.store, metricsSetupOf(ctx), area, request.query, ctx.clock.now())),
    );
  }

  for (const view of METRICS_VIEWS) {
    api.get(
      `/v1/metrics/views/${view}`,
      {
        config: { scope: 'read' },
        schema: {
          tags: ['metrics'],
          summary: VIEW_SUMMARY[view],
          description: DESCRIPTION,
          querystring: MetricsQueryString,
          response: Object.assign({ 200: VIEW_REPORT_SCHEMAS[view] }, errorResponses(400, 401, 403, 429)),
        },
      },
      (request) => asReply(viewReport(ctx.store, metricsSetupOf(ctx), view, request.query, ctx.clock.now())),
    );
  }

  // Anything else under /v1/metrics/: 404 naming what there is (hidden from the OpenAPI document).
  api.get(
    '/v1/metrics/:area',
    { config: { scope: 'read' }, schema: Object.assign({ params: z.object({ area: z.string() }) }, HIDDEN) },
    (request) => {
      const { area } = request.params;
      const known = areaOfName(area);
      throw new RevopsError(
        'http.not_found',
        `no metrics area \`${area}\`${known === undefined ? didYouMean(area, AREA_NAME_LIST) : ` — did you mean \`${AREA_NAMES[known]}\`?`}`,
        {
          hint: `use GET /v1/metrics/{area} with area ${listOf(AREA_NAME_LIST)}, or GET /v1/metrics/views/{view} with view ${listOf(METRICS_VIEWS)}`,
        },
      );
    },
  );
  api.get(
    '/v1/metrics/views/:view',
    { config: { scope: 'read' }, schema: Object.assign({ params: z.object({ view: z.string() }) }, HIDDEN) },
    (request) => {
      const { view } = request.params;
      throw new RevopsError(
        'http.not_found',
        `no metrics view \`${view}\`${didYouMean(view, METRICS_VIEWS)}`,
        {
          hint: `use GET /v1/metrics/views/{view} with view ${listOf(METRICS_VIEWS)}, or GET /v1/metrics/{area} with area ${listOf(AREA_NAME_LIST)}`,
        },
      );
    },
  );
}
