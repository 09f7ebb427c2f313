/**
 * The marketing, sales and executive views from the metrics module: `metricViews` reads the page's
 * range and source the way `GET /v1/metrics/views/{view}` does and gets the view and the areas its
 * charts draw (`CHART_AREAS`) from `metricsPageReport` (engine/metricsInput.ts): the code
 * `viewReport` and `areaReport` run, from the metric facts and the store's counts, the pipeline
 * from the deals a pipeline report reads, so the page and the API agree and no page reads contacts,
 * stage history, touches, clocks or assignments as rows. The sales view's deal tables list those
 * same deals. It lays them out as KPI cards, charts and tables (metricSections.ts). The overview
 * gets each view's headline figures from `metricHeadlines`.
 *
 * The range: `from` and `to` as the filter form read them (local days, `to` included); `from`
 * alone runs to now, `to` alone goes back 90 days, neither is the last 90 days. A source matches
 * whatever its case (`Organic` finds `organic`); one that no lead or deal has gets a notice naming
 * the sources there are (`matchSource`: the lead sources from the facts' day roll-ups, the deals'
 * from their JSON in the database). A range the metrics refuse (a `from` after now) rejects with
 * `metrics.invalid_range`, which `viewFilterIssues` turns into the issues of a 400 page.
 */
import type { RevopsConfig } from '../../config/schema/index.ts';
import { metricsSetup } from '../../config/metricsModel.ts';
import { RevopsError } from '../../core/errors.ts';
import type { MetricsArea, MetricsQuery } from '../../core/metrics/index.ts';
import type { Store } from '../../core/ports.ts';
import { refreshMetricFacts } from '../../engine/metricFacts.ts';
import {
  metricsPageReport,
  resolveMetricsQuery,
  type MetricsPageReport,
  type MetricsPageTarget,
  type MetricsRequest,
  type MetricsSetup,
} from '../../engine/metricsInput.ts';
import type { ServerContext } from '../../server/context.ts';
import { formatDay, formatInstant } from '../format.ts';
import { queryString, type QueryIssue, type RangeFilters } from '../query.ts';
import type { ViewData, ViewSection } from '../view.ts';
import { MetricFormat } from './metricFormat.ts';
import { CHART_AREAS, type ViewBase } from './metricParts.ts';
import { headlineKpis, viewSections, type ViewMetrics } from './metricSections.ts';
import { VIEW_NAMES, type ViewName, type ViewSource } from './views.ts';

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

/** How the page's source matched: the source to filter by, and the sources there are when none has it. */
interface SourceMatch {
  readonly source: string;
  /** Set when no lead or deal has the source: the sources there are, sorted. */
  readonly unknown?: readonly string[];
}

/**
 * Matches `source` against the sources leads and deals have: itself when a lead or deal has it,
 * else the first (in sorted order) that equals it whatever its case, else itself with the list of
 * sources. Reads the lead sources from the facts (refreshed first) and, unless a lead has the
 * source exactly, the deals' sources (one scan of the deals, in the database). Rejects if the store fails.
 */
export async function matchSource(
  store: Store,
  setup: MetricsSetup,
  source: string,
  now: number,
): Promise<SourceMatch> {
  await refreshMetricFacts(store, setup, { now });
  const leads = await store.metricLeadSources();
  if (leads.includes(source)) return { source };
  const seen = new Set([...leads, ...(await store.dealSources())]);
  if (seen.has(source)) return { source };
  const sorted = [...seen].sort();
  const wanted = source.toLowerCase();
  const match = sorted.find((s) => s.toLowerCase() === wanted);
  return match === undefined ? { source, unknown: sorted } : { source: match };
}

/** Every area a view's charts draw. */
type ChartArea = (typeof CHART_AREAS)[ViewName][number];

interface Gathered<A extends MetricsArea> {
  readonly report: MetricsPageReport<A>;
  /** Set when the source matches no lead or deal: the sources there are. */
  readonly unknownSource?: readonly string[];
}

/**
 * The query of `request`, its source matched (`matchSource`), and `views` with `areas`, as the
 * metrics API computes them (`metricsPageReport`). Throws `metrics.invalid_range` for an empty range
 * (before reading anything).
 */
async function gather<A extends MetricsArea>(
  ctx: ServerContext,
  setup: MetricsSetup,
  target: MetricsPageTarget<A>,
  request: MetricsRequest,
  now: number,
): Promise<Gathered<A>> {
  const query = resolveMetricsQuery(request, setup, now);
  if (query.source === undefined)
    return { report: await metricsPageReport(ctx.store, setup, target, request, now) };
  const matched = await matchSource(ctx.store, setup, query.source, now);
  const asked = Object.assign({}, request, { source: matched.source });
  const report = await metricsPageReport(ctx.store, setup, target, asked, now);
  return matched.unknown === undefined ? { report } : { report, unknownSource: matched.unknown };
}

/** What the sections of the report's one view are built from. */
function viewMetricsOf(report: MetricsPageReport<ChartArea>, base: ViewBase): ViewMetrics {
  const [first] = report.views;
  if (first === undefined) throw new Error('metricsPageReport answered no view');
  const view = first.metrics;
  const { areas, deals } = report;
  if (view.view === 'marketing') return Object.assign({ name: view.view, view, areas, deals: [] }, base);
  if (view.view === 'sales') return Object.assign({ name: view.view, view, areas, deals }, base);
  return Object.assign({ name: view.view, view, areas, deals: [] }, base);
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
  const target = { views: [name], areas: CHART_AREAS[name] as readonly ChartArea[] };
  const { report, unknownSource } = await gather(ctx, setup, target, metricsRequestOf(range), now);
  const { query } = report;
  const { config } = ctx.workspace.current();
  const data = viewMetricsOf(report, {
    model: setup.model,
    query,
    now,
    zone,
    config,
    format: new MetricFormat(config.company.currency),
    sourceHref: (source) =>
      `/views/${name}${queryString({ from: range.from, to: range.to, source })}`,
  });
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
 * Computes each area the three views need once (`metricsPageReport`); rejects only if the store fails.
 */
export async function metricHeadlines(ctx: ServerContext, now: number): Promise<ViewSection[]> {
  const setup = metricsSetupOf(ctx);
  const { report } = await gather(ctx, setup, { views: VIEW_NAMES, areas: [] }, {}, now);
  const { config } = ctx.workspace.current();
  const format = new MetricFormat(config.company.currency);
  return report.views.map(({ view: name, metrics }) => ({
    id: `headline-${name}`,
    title: ABOUT[name].title,
    intro: 'The last 90 days.',
    kpis: headlineKpis(metrics, format),
    link: { text: `Open the ${ABOUT[name].title.toLowerCase()} view`, href: `/views/${name}` },
  }));
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
