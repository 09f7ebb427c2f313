/**
 * The marketing, sales and executive views from the metrics module: `metricViews` reads the page's
 * range and source the way `GET /v1/metrics/views/{view}` does (engine/metricsInput.ts: the same
 * query, the same reads, the same core functions, so the page and the API agree), computes the view
 * and the areas its charts need from one read of the store, and lays them out as KPI cards, charts
 * and tables (metricSections.ts). The overview gets each view's headline figures from
 * `metricHeadlines`.
 *
 * The range: `from` and `to` as the filter form read them (local days, `to` included); `from`
 * alone runs to now, `to` alone goes back 90 days, neither is the last 90 days. A source matches
 * whatever its case (`Organic` finds `organic`); one that no lead or deal has gets a notice naming
 * the sources there are. A range the metrics refuse (a `from` after now) rejects with
 * `metrics.invalid_range`, which `viewFilterIssues` turns into the issues of a 400 page.
 */
import type { RevopsConfig } from '../../config/schema/index.ts';
import { metricsSetup } from '../../config/metricsModel.ts';
import { RevopsError } from '../../core/errors.ts';
import { UNKNOWN_SOURCE, sourceOf } from '../../core/metrics/context.ts';
import {
  computeView,
  type MetricsArea,
  type MetricsInput,
  type MetricsQuery,
  type MetricsView,
} from '../../core/metrics/index.ts';
import {
  loadMetricsInput,
  metricsParts,
  resolveMetricsQuery,
  type MetricsPart,
  type MetricsRequest,
  type MetricsSetup,
} from '../../engine/metricsInput.ts';
import type { ServerContext } from '../../server/context.ts';
import { formatDay, formatInstant } from '../format.ts';
import { queryString, type QueryIssue, type RangeFilters } from '../query.ts';
import type { ViewData, ViewSection } from '../view.ts';
import { MetricFormat } from './metricFormat.ts';
import { headlineKpis, viewSections, type ViewMetrics } from './metricSections.ts';
import { VIEW_NAMES, type ViewName, type ViewSource } from './views.ts';

/** The areas each view's charts read beside the view itself. */
const AREAS: { readonly [V in ViewName]: readonly MetricsArea[] } = {
  marketing: ['speedToLead'],
  sales: ['pipeline', 'sla', 'routing'],
  executive: ['funnel', 'pipeline', 'economics'],
};

const ABOUT: { readonly [V in ViewName]: { readonly title: string; readonly shows: string } } = {
  marketing: {
    title: 'Marketing',
    shows: 'Lead volume and the funnel from lead to MQL, sources, speed to lead and scoring health',
  },
  sales: {
    title: 'Sales',
    shows: 'The pipeline by stage, stage conversion and velocity, the forecast, SLA compliance, rep load, stale deals and slipped close dates',
  },
  executive: {
    title: 'Executive',
    shows: 'The funnel against its benchmarks, revenue against quota, pipeline coverage, win rate by source, unit economics and forecast against actual',
  },
};

const setups = new WeakMap<RevopsConfig, MetricsSetup>();

/** The metrics model of the running config and its zone (built once per config version), as the metrics API builds it. */
export function metricsSetupOf(ctx: ServerContext): MetricsSetup {
  const { config, runtime } = ctx.workspace.current();
  let setup = setups.get(config);
  if (setup === undefined) {
    const calendar = runtime.setup.calendar;
    setup = metricsSetup(config, calendar);
    setups.set(config, setup);
  }
  return setup;
}

/** The page's filters as a metrics request: the instants the form's dates stand for, and the source. */
export function metricsRequestOf(range: RangeFilters): MetricsRequest {
  return {
    from: range.fromMs === undefined ? undefined : String(range.fromMs),
    to: range.toMs === undefined ? undefined : String(range.toMs),
    source: range.source,
  };
}

interface Gathered {
  readonly query: MetricsQuery;
  readonly input: MetricsInput;
  /** Set when the source matches no lead or deal: the sources there are. */
  readonly unknownSource?: readonly string[];
}

/** Reads, once, what `views` and their chart areas need. Throws `metrics.invalid_range` for an empty range. */
async function gather(
  ctx: ServerContext,
  setup: MetricsSetup,
  views: readonly ViewName[],
  request: MetricsRequest,
  now: number,
): Promise<Gathered> {
  const query = resolveMetricsQuery(request, setup, now);
  const parts = new Set<MetricsPart>();
  for (const view of views) {
    for (const part of metricsParts({ view }, query)) parts.add(part);
    for (const area of AREAS[view]) for (const part of metricsParts({ area }, query)) parts.add(part);
  }
  const input = await loadMetricsInput(ctx.store, query, parts);
  if (query.source === undefined) return { query, input };
  const seen = new Set([
    ...input.contacts.map((c) => sourceOf(c)),
    ...input.deals.map((d) => d.source ?? UNKNOWN_SOURCE),
  ]);
  if (seen.has(query.source)) return { query, input };
  const wanted = query.source.toLowerCase();
  const match = [...seen].sort().find((s) => s.toLowerCase() === wanted);
  if (match !== undefined) return { query: Object.assign({}, query, { source: match }), input };
  return { query, input, unknownSource: [...seen].sort() };
}

function windowText(query: MetricsQuery, range: RangeFilters, zone: string, now: number): string {
  const span = `${formatDay(query.from, zone)} to ${formatDay(query.to - 1, zone)}`;
  const fallback = range.fromMs === undefined && range.toMs === undefined ? ' (the last 90 days)' : '';
  return `From ${span}${fallback}, ${zone}; as of ${formatInstant(now, zone)}.`;
}

/** The views from the metrics module (see the file comment). Rejects with `metrics.invalid_range` for an empty range, or if the store fails. */
export const metricViews: ViewSource = async (ctx, request) => {
  const { name, range, zone, now } = request;
  const setup = metricsSetupOf(ctx);
  const { query, input, unknownSource } = await gather(ctx, setup, [name], metricsRequestOf(range), now);
  const { config } = ctx.workspace.current();
  const data: ViewMetrics = {
    view: computeView(name, input, setup.model, query, now),
    input,
    model: setup.model,
    query,
    now,
    zone,
    config,
    format: new MetricFormat(config.company.currency),
    sourceHref: (source) =>
      `/views/${name}${queryString({ from: range.from, to: range.to, source })}`,
  };
  const about = ABOUT[name];
  const notice =
    unknownSource === undefined
      ? undefined
      : `No lead or deal has the source \`${query.source ?? ''}\`, so every figure below is empty. The sources there are: ${unknownSource.join(', ')}.`;
  const view: ViewData = {
    title: about.title,
    intro: `${about.shows}. ${windowText(query, range, zone, now)} Every figure is defined in docs/metrics.md.`,
    sections: viewSections(data),
  };
  return notice === undefined ? view : Object.assign({}, view, { notice });
};

/**
 * The overview's part: per view, its headline figures over the last 90 days and a link to it.
 * Reads the store once for the three; rejects only if the store fails.
 */
export async function metricHeadlines(ctx: ServerContext, now: number): Promise<ViewSection[]> {
  const setup = metricsSetupOf(ctx);
  const { query, input } = await gather(ctx, setup, VIEW_NAMES, {}, now);
  const { config } = ctx.workspace.current();
  const format = new MetricFormat(config.company.currency);
  return VIEW_NAMES.map((name) => {
    const view: MetricsView = computeView(name, input, setup.model, query, now);
    return {
      id: `headline-${name}`,
      title: ABOUT[name].title,
      intro: 'The last 90 days.',
      kpis: headlineKpis(view, format),
      link: { text: `Open the ${ABOUT[name].title.toLowerCase()} view`, href: `/views/${name}` },
    };
  });
}

/**
 * The issues of a 400 page for an error `metricViews` rejected with because of the filters
 * (`metrics.invalid_range`, `metrics.unknown_team`); undefined for any other error.
 */
export function viewFilterIssues(
  error: unknown,
  range: RangeFilters,
  zone: string,
  now: number,
): QueryIssue[] | undefined {
  if (!(error instanceof RevopsError)) return undefined;
  if (error.code === 'metrics.unknown_team')
    return [{ field: 'team', message: error.message, fix: error.hint ?? 'leave `team` out' }];
  if (error.code !== 'metrics.invalid_range') return undefined;
  const end = range.to ?? `today (${formatDay(now, zone)})`;
  return [
    {
      field: 'from',
      message:
        range.from === undefined
          ? `the range is empty: ${error.message}`
          : `the range starts (${range.from}) after it ends (${end})`,
      fix: 'give a `from` on or before `to` (or on or before today when `to` is left out)',
    },
  ];
}
