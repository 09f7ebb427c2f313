/**
 * What `GET /v1/metrics/…` and `revops metrics` read, and the report both answer with: one code
 * path, so the API and the CLI give the same numbers for the same range on the same database.
 *
 * The funnel and speed to lead are computed from the store's metric facts (refreshed first), economics
 * from two counts the store makes over the spend periods, SLA from the clock facts and their day
 * roll-ups (refreshed first; a source filter walks the clocks), routing from the store's counts of
 * the range's decisions, scoring from the
 * MQL entries of the facts and the deals the store counts per local week (facts refreshed first);
 * the views take those parts the same way (the marketing view reads no rows), and the dashboard
 * pages get views and areas together from `metricsPageReport` (the same code, each area once).
 * Pipeline reads rows, by the part of `MetricsInput` each fills:
 *
 * | part          | store read             | kept                                   | used by                                      |
 * | ------------- | ---------------------- | -------------------------------------- | -------------------------------------------- |
 * | `deals`       | `reportDeals()`        | open ones and those closed since `from` or the quota period's start | pipeline, the sales and executive views |
 * | `approvals`   | `listApprovals()`      | `requestedAt` in [from, to)            | pipeline (deal desk)                         |
 *
 * `loadMetricsInput` can also fill `contacts`, `history`, `touches`, `clocks` and `assignments`
 * (the last three from `from` on) for `computeArea` and `computeView` over rows (tests, the parts
 * table `metricsParts` answers); no report or page reads them.
 *
 * The store has no time filter on these reads: each is one full read of its table, and rows no
 * figure of the range can use are dropped after it. Contacts, stage history and deals (unless a
 * `DealQuery` narrows them) are kept whole because the figures need them whole: open deals as of
 * `now`, the current quota period's wins, the four weeks before the range for the scoring spike
 * check over rows.
 */
import {
  computeArea,
  computeAreaFromFacts,
  isFactArea,
  METRICS_AREAS,
  METRICS_VIEWS,
  type MetricsArea,
  type MetricsAreas,
  type MetricsInput,
  type MetricsModel,
  type MetricsQuery,
  type MetricsView,
  type MetricsViewName,
  type FactArea,
  viewOfSections,
  VIEW_AREAS,
  economicsFromCounts,
  economicsPeriods,
  slaFromSummary,
  teamsOfReps,
  routingFromCounts,
  quotaPeriodAt,
  scoringFromCounts,
  scoringWeeks,
  rangeBoundsProblem,
} from '../core/metrics/index.ts';
import { RevopsError } from '../core/errors.ts';
import type { DealQuery, MetricFactsFilters, Store } from '../core/ports.ts';
import { readMetricFacts, refreshMetricFacts } from './metricFacts.ts';
import { listOf } from '../core/text/didYouMean.ts';
import { DAY_MS, dayFromIso, isoFromDay } from '../core/time/localDay.ts';
import type { DealState } from '../core/pipeline/types.ts';
import type { Millis } from '../core/types.ts';

export const METRICS_PARTS = [
  'contacts',
  'history',
  'touches',
  'assignments',
  'clocks',
  'deals',
  'approvals',
] as const;
export type MetricsPart = (typeof METRICS_PARTS)[number];

/** One area (`GET /v1/metrics/{area}`) or one dashboard view (`GET /v1/metrics/views/{view}`). */
export type MetricsTarget = { readonly area: MetricsArea } | { readonly view: MetricsViewName };

const AREA_PARTS: { readonly [A in MetricsArea]: readonly MetricsPart[] } = {
  funnel: ['contacts', 'history'],
  pipeline: ['deals', 'approvals'],
  economics: ['contacts', 'history', 'deals'],
  speedToLead: ['contacts', 'history', 'touches', 'clocks'],
  sla: ['clocks'],
  routing: ['assignments'],
  scoring: ['contacts', 'history', 'deals'],
};

/** What `computeView` needs of a `MetricsInput` for each view (every section from rows). */
const VIEW_PARTS: { readonly [V in MetricsViewName]: readonly MetricsPart[] } = {
  marketing: ['contacts', 'history', 'deals'],
  sales: ['contacts', 'history', 'touches', 'clocks', 'deals'],
  executive: ['contacts', 'history', 'deals'],
};

/** The path name of each area in the API and the CLI (`speedToLead` → `speed-to-lead`). */
export const AREA_NAMES: { readonly [A in MetricsArea]: string } = {
  funnel: 'funnel',
  pipeline: 'pipeline',
  economics: 'economics',
  speedToLead: 'speed-to-lead',
  sla: 'sla',
  routing: 'routing',
  scoring: 'scoring',
};

/** Every area's path name, in `METRICS_AREAS` order. */
export const AREA_NAME_LIST: readonly string[] = METRICS_AREAS.map((a) => AREA_NAMES[a]);

/** The area of a path name (`speed-to-lead`); the camel-case id is accepted too. Does not throw. */
export function areaOfName(name: string): MetricsArea | undefined {
  return METRICS_AREAS.find((a) => AREA_NAMES[a] === name || a === name);
}

/** The view of a name, or undefined. Does not throw. */
export function viewOfName(name: string): MetricsViewName | undefined {
  return METRICS_VIEWS.find((v) => v === name);
}

/**
 * The parts `target` reads from rows under `query` (a source filter makes sla and routing read
 * contacts); `areaReport` answers sla and routing from the store's narrowed reads instead.
 */
export function metricsParts(target: MetricsTarget, query: Pick<MetricsQuery, 'source'>): Set<MetricsPart> {
  const parts = new Set('area' in target ? AREA_PARTS[target.area] : VIEW_PARTS[target.view]);
  if (query.source !== undefined) parts.add('contacts');
  return parts;
}

const none = <T>(): Promise<T[]> => Promise.resolve([]);

/**
 * Reads the `parts` of a `MetricsInput` for `query` (all parts when absent), dropping rows before
 * `from` where no figure can use them (see the table above); the other parts are empty. `dealQuery`
 * narrows the deals read (a pipeline report skips deals closed before it can use them). Throws only
 * if storage fails.
 */
export async function loadMetricsInput(
  store: Store,
  query: Pick<MetricsQuery, 'from' | 'to'>,
  parts: ReadonlySet<MetricsPart> = new Set(METRICS_PARTS),
  dealQuery: DealQuery = {},
): Promise<MetricsInput> {
  const { from, to } = query;
  const [contacts, history, touches, assignments, clocks, deals, approvals] = await Promise.all([
    parts.has('contacts') ? store.listContacts() : none<never>(),
    parts.has('history') ? store.stageHistory() : none<never>(),
    parts.has('touches') ? store.touches() : none<never>(),
    parts.has('assignments') ? store.listAssignments() : none<never>(),
    parts.has('clocks') ? store.listClocks() : none<never>(),
    parts.has('deals') ? store.reportDeals(dealQuery) : none<never>(),
    parts.has('approvals') ? store.listApprovals() : none<never>(),
  ]);
  const input: MetricsInput = {
    contacts,
    history,
    touches: touches.filter((t) => t.at >= from),
    assignments: assignments.filter((r) => r.at >= from),
    clocks: clocks.filter((c) => c.startedAt >= from),
    deals,
  };
  return parts.has('approvals')
    ? Object.assign(input, {
        approvals: approvals.filter((a) => a.requestedAt >= from && a.requestedAt < to),
      })
    : input;
}

// ---- the query: range and filters as people write them

/** The range when none is given: the last 90 days up to now. */
export const DEFAULT_RANGE_DAYS = 90;

/** What a request says: `from`, `to` as text, and the filters. Empty values count as absent. */
export interface MetricsRequest {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly source?: string | undefined;
  readonly team?: string | undefined;
}

/** The metrics model and the zone its local dates are read in (`America/New_York`). */
export interface MetricsSetup {
  readonly model: MetricsModel;
  readonly timezone: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const EPOCH_MS = /^\d{1,15}$/;

function rangeHint(setup: MetricsSetup): string {
  return `send \`from\` before \`to\`, each a date in the company's zone (${setup.timezone}; \`to\` includes its whole day), an ISO time with a zone or epoch milliseconds: from=2026-10-01&to=2026-12-31, or from=2026-10-01T00:00:00Z; leave both out for the last ${DEFAULT_RANGE_DAYS} days`;
}

/** `from` as an instant; a date `to` ends at the start of the next local day. */
function instant(name: 'from' | 'to', text: string, setup: MetricsSetup): Millis {
  if (DATE.test(text)) {
    const day = dayFromIso(text);
    if (day !== undefined) return setup.model.startOfDate(name === 'to' ? isoFromDay(day + 1) : text);
  } else if (ZONED_TIME.test(text)) {
    const at = Date.parse(text);
    if (Number.isFinite(at)) return at;
  } else if (EPOCH_MS.test(text)) {
    return Number(text);
  }
  throw new RevopsError('metrics.invalid_range', `\`${name}\` is not a date or a time: \`${text}\``, {
    issues: [
      {
        code: 'metrics.invalid_range',
        path: [name],
        message:
          'expected a date (2026-10-01), an ISO time with a zone (2026-10-01T00:00:00Z) or epoch milliseconds',
        severity: 'error',
      },
    ],
    hint: rangeHint(setup),
  });
}

const given = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
};

/**
 * The query of `request` as of `now`: `to` defaults to `now`, `from` to 90 days before `to`. Throws `metrics.invalid_range` for a value that is not a
 * date or a time and for `from` not before `to`, `metrics.unknown_team` for a team the config lacks.
 */
export function resolveMetricsQuery(request: MetricsRequest, setup: MetricsSetup, now: Millis): MetricsQuery {
  const fromText = given(request.from);
  const toText = given(request.to);
  const fromGiven = fromText === undefined ? undefined : instant('from', fromText, setup);
  const toGiven = toText === undefined ? undefined : instant('to', toText, setup);
  const to = toGiven ?? now;
  const from = fromGiven ?? to - DEFAULT_RANGE_DAYS * DAY_MS;
  if (from >= to) {
    throw new RevopsError(
      'metrics.invalid_range',
      `\`from\` (${new Date(from).toISOString()}) is not before \`to\` (${new Date(to).toISOString()})`,
      { hint: rangeHint(setup) },
    );
  }
  const bounds = rangeBoundsProblem(from, to);
  if (bounds !== undefined) {
    throw new RevopsError('metrics.invalid_range', bounds, { hint: rangeHint(setup) });
  }
  const source = given(request.source);
  const team = given(request.team);
  if (team !== undefined && setup.model.teams[team] === undefined) {
    const teams = Object.keys(setup.model.teams);
    throw new RevopsError('metrics.unknown_team', `no team \`${team}\` in the config`, {
      hint:
        teams.length === 0
          ? 'the config has no teams (team.teams): leave `team` out'
          : `use one of ${listOf(teams)} (team.teams), or leave \`team\` out for everyone`,
    });
  }
  return Object.assign(
    { from, to },
    source === undefined ? {} : { source },
    team === undefined ? {} : { team },
  );
}

// ---- the report

interface ReportBase {
  /** The zone dates in the request were read in. */
  readonly timezone: string;
  /** The range measured, [from, to), ISO 8601 UTC. */
  readonly from: string;
  readonly to: string;
  /** The `now` of figures that look at the present (open pipeline, open stays, waiting leads). */
  readonly asOf: string;
  readonly filters: { readonly source: string | null; readonly team: string | null };
}

/** `GET /v1/metrics/{area}` and `revops metrics --area … --json`. */
export interface AreaReport<A extends MetricsArea = MetricsArea> extends ReportBase {
  /** The area's path name (`speed-to-lead`). */
  readonly area: string;
  readonly metrics: MetricsAreas[A];
}

/** `GET /v1/metrics/views/{view}` and `revops metrics --view … --json`. */
export interface ViewReport extends ReportBase {
  readonly view: MetricsViewName;
  readonly metrics: MetricsView;
}

const iso = (at: Millis): string => new Date(at).toISOString();

function base(setup: MetricsSetup, query: MetricsQuery, now: Millis): ReportBase {
  return {
    timezone: setup.timezone,
    from: iso(query.from),
    to: iso(query.to),
    asOf: iso(now),
    filters: { source: query.source ?? null, team: query.team ?? null },
  };
}

/**
 * One area for `request` as of `now`, reading only what it needs. Throws `metrics.invalid_range`
 * or `metrics.unknown_team` for a bad request (nothing read), and if storage fails.
 */
export async function areaReport<A extends MetricsArea>(
  store: Store,
  setup: MetricsSetup,
  area: A,
  request: MetricsRequest,
  now: Millis,
): Promise<AreaReport<A>> {
  const query = resolveMetricsQuery(request, setup, now);
  if (readsFacts(area, query)) await refreshMetricFacts(store, setup, { now });
  const metrics = await areaOf(store, setup, area, query, now);
  return Object.assign(base(setup, query, now), { area: AREA_NAMES[area], metrics });
}

/**
 * Whether `area` under `query` reads the metric facts (which a report refreshes first): the fact
 * areas, economics, scoring and sla (its clock facts) always; routing only for a source filter.
 */
function readsFacts(area: MetricsArea, query: MetricsQuery): boolean {
  if (area === 'pipeline') return false;
  if (area === 'routing') return query.source !== undefined;
  return true;
}

/** One area for `query`, the facts refreshed first by the caller when `readsFacts` says so. */
async function areaOf<A extends MetricsArea>(
  store: Store,
  setup: MetricsSetup,
  area: A,
  query: MetricsQuery,
  now: Millis,
): Promise<MetricsAreas[A]> {
  if (isFactArea(area)) return factArea(store, setup, area, query, now);
  if (area === 'economics') return (await economicsOf(store, setup, query)) as MetricsAreas[A];
  if (area === 'sla') return (await slaOf(store, setup, query)) as MetricsAreas[A];
  if (area === 'routing') return (await routingOf(store, setup, query, now)) as MetricsAreas[A];
  if (area === 'scoring') return (await scoringOf(store, setup, query)) as MetricsAreas[A];
  return (await pipelineOf(store, setup, query, now)).metrics as MetricsAreas[A];
}

/**
 * Economics from the store's counts over the spend periods inside the range (first won deal per
 * account, first MQL entry per lead from the facts, refreshed first by the caller).
 */
async function economicsOf(
  store: Store,
  setup: MetricsSetup,
  query: MetricsQuery,
): Promise<MetricsAreas['economics']> {
  const counts = await store.metricEconomicsCounts({ periods: economicsPeriods(setup.model, query) });
  return economicsFromCounts(counts, setup.model, query);
}

/**
 * The deals a pipeline report can use: open ones (now), those without a close time, and those
 * closed since the earlier of `from` and the start of the quota period holding `now` (coverage).
 * A deal closed before both has all its moves before `from` (every move into a closed stage sets
 * the close time) and no figure of the range counts it.
 */
function pipelineDeals(setup: MetricsSetup, query: MetricsQuery, now: Millis): DealQuery {
  return { openOrClosedSince: Math.min(query.from, quotaPeriodAt(now, setup.model).from) };
}

/**
 * The pipeline area: the deals of `pipelineDeals` and the range's approval requests, plus the deals
 * of those requests closed earlier (the deal desk looks its deals up), in id order as
 * `listDeals` returns them.
 */
async function pipelineOf(
  store: Store,
  setup: MetricsSetup,
  query: MetricsQuery,
  now: Millis,
): Promise<{ readonly metrics: MetricsAreas['pipeline']; readonly deals: readonly DealState[] }> {
  const parts = metricsParts({ area: 'pipeline' }, query);
  const input = await loadMetricsInput(store, query, parts, pipelineDeals(setup, query, now));
  const have = new Set(input.deals.map((d) => d.id));
  const missing = [...new Set((input.approvals ?? []).map((a) => a.dealId))].filter((id) => !have.has(id));
  const found = await Promise.all(missing.map((id) => store.findDeal(id)));
  const deals = [...input.deals, ...found.filter((d) => d !== undefined)].sort((a, b) =>
    a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
  );
  return {
    metrics: computeArea('pipeline', Object.assign({}, input, { deals }), setup.model, query, now),
    deals,
  };
}

/** The query's filters as the store applies them: the team as its members, the source. */
function storeFilters(setup: MetricsSetup, query: MetricsQuery): MetricFactsFilters {
  return Object.assign(
    {},
    query.team === undefined ? {} : { owners: setup.model.teams[query.team] ?? [] },
    query.source === undefined ? {} : { source: query.source },
  );
}

/**
 * SLA compliance from the clocks started in the range as the store selects them (a source filter
 * reads the leads' sources from the facts, refreshed first by the caller).
 */
async function slaOf(store: Store, setup: MetricsSetup, query: MetricsQuery): Promise<MetricsAreas['sla']> {
  const summary = await store.metricSlaSummary(
    Object.assign(
      { from: query.from, to: query.to, teamsOf: teamsOfReps(setup.model) },
      storeFilters(setup, query),
    ),
  );
  return slaFromSummary(summary, setup.model);
}

/**
 * Routing from the store's counts of the range's decisions (a source filter reads the leads'
 * sources from the facts, refreshed first by the caller).
 */
async function routingOf(
  store: Store,
  setup: MetricsSetup,
  query: MetricsQuery,
  now: Millis,
): Promise<MetricsAreas['routing']> {
  const counts = await store.metricRoutingCounts(
    Object.assign(
      { from: query.from, to: query.to },
      query.team === undefined
        ? {}
        : { team: { id: query.team, members: setup.model.teams[query.team] ?? [] } },
      query.source === undefined ? {} : { source: query.source },
    ),
  );
  return routingFromCounts(counts, setup.model, now);
}

/**
 * Scoring health from the store's counts per local week (the weeks shown and the four before) of
 * the MQL entries of the facts (refreshed first by the caller) and of the deals created, and of
 * the decisions about the range's MQL entries: no contact, stage change or deal read as a row.
 */
async function scoringOf(
  store: Store,
  setup: MetricsSetup,
  query: MetricsQuery,
): Promise<MetricsAreas['scoring']> {
  const weeks = scoringWeeks(setup.model, query);
  const bounds = [...weeks.map((w) => w.from), ...weeks.slice(-1).map((w) => w.to)];
  const counts = await store.metricScoringCounts(
    Object.assign({ from: query.from, to: query.to, bounds }, storeFilters(setup, query)),
  );
  const byWeek = (spans: readonly number[]) => new Map(weeks.map((w, i) => [w.week, spans[i] ?? 0]));
  return scoringFromCounts(
    { mqls: byWeek(counts.mqls), deals: byWeek(counts.deals), decisions: counts.decisions },
    setup.model,
    query,
  );
}

/** One area from facts (refreshed first by the caller), as `areaReport` computes it. */
async function factArea<A extends FactArea>(
  store: Store,
  setup: MetricsSetup,
  area: A,
  query: MetricsQuery,
  now: Millis,
): Promise<MetricsAreas[A]> {
  const facts = await readMetricFacts(store, setup.model, query, now, area);
  return computeAreaFromFacts(area, facts, setup.model, query, now);
}

/**
 * One dashboard view for `request` as of `now`: its sections as `areaReport` computes those areas
 * (`metricsPageReport` with this view alone). Throws as `areaReport` does.
 */
export async function viewReport(
  store: Store,
  setup: MetricsSetup,
  view: MetricsViewName,
  request: MetricsRequest,
  now: Millis,
): Promise<ViewReport> {
  const page = await metricsPageReport(store, setup, { views: [view], areas: [] }, request, now);
  return page.views[0] as ViewReport;
}

/** What a dashboard page asks for in one go: views, and areas its charts draw beside them. */
export interface MetricsPageTarget<A extends MetricsArea> {
  readonly views: readonly MetricsViewName[];
  readonly areas: readonly A[];
}

/** The answer to a `MetricsPageTarget`: each view as `viewReport` answers it, each area as `areaReport` does. */
export interface MetricsPageReport<A extends MetricsArea> {
  readonly query: MetricsQuery;
  /** In the order asked. */
  readonly views: readonly ViewReport[];
  readonly areas: Pick<MetricsAreas, A>;
  /**
   * The deals the pipeline figures were computed from when a view or area asked needs the pipeline
   * (open ones, those without a close time, those closed since the earlier of `from` and the start of
   * the quota period holding `now`, and the deals of the range's approval requests), in id order;
   * else empty. Frozen and shared (`Store.reportDeals`).
   */
  readonly deals: readonly DealState[];
}

/**
 * Views and areas for one `request` as of `now`, for the dashboard: the facts refreshed once, each
 * area the views or `target.areas` need computed once by the code `areaReport` runs, each view put
 * together from its areas as `viewReport` does (`viewOfSections`), so every figure equals the API's.
 * The views' pipeline is the pipeline area (its deal desk, which no view shows, aside): the deals
 * are read and parsed once. Throws as `areaReport` does.
 */
export async function metricsPageReport<A extends MetricsArea>(
  store: Store,
  setup: MetricsSetup,
  target: MetricsPageTarget<A>,
  request: MetricsRequest,
  now: Millis,
): Promise<MetricsPageReport<A>> {
  const query = resolveMetricsQuery(request, setup, now);
  const needed = new Set<MetricsArea>([...target.views.flatMap((v) => VIEW_AREAS[v]), ...target.areas]);
  if ([...needed].some((area) => readsFacts(area, query))) await refreshMetricFacts(store, setup, { now });
  const areas: { [K in MetricsArea]?: MetricsAreas[K] } = {};
  let deals: readonly DealState[] = [];
  await Promise.all(
    METRICS_AREAS.filter((a) => needed.has(a)).map(async (area) => {
      if (area === 'pipeline') {
        const pipeline = await pipelineOf(store, setup, query, now);
        areas.pipeline = pipeline.metrics;
        deals = pipeline.deals;
      } else {
        Object.assign(areas, { [area]: await areaOf(store, setup, area, query, now) });
      }
    }),
  );
  const sections = areas as MetricsAreas;
  const views = target.views.map((view) =>
    Object.assign(base(setup, query, now), {
      view,
      metrics: viewOfSections(view, query, sections),
    }),
  );
  return { query, views, areas: sections, deals };
}
