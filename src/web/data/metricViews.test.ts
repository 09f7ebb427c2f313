/**
 * The metric views over the hand-built October history (src/engine/__fixtures__/metricsHistory.ts:
 * seven contacts created in October 2026, four MQLs, three SQLs, two deals — d-cal open for $24,000,
 * d-dee won for $12,000 on 10-27), on a temp SQLite store through the engine with the mid-market
 * template, now Monday 2026-11-02 12:00Z. Exact KPI cards from the hand counts, every chart drawn
 * with data, the same figures as `viewReport` (the API's answer), the source filter, the range.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/dialects.ts';
import { testServerContext } from '../../../test/support/serverContext.ts';
import { openMigratedStore, runtime } from '../../compose.ts';
import { RevopsError } from '../../core/errors.ts';
import type { Store } from '../../core/ports.ts';
import { METRICS_NOW, midMarket, seedMetricsHistory } from '../../engine/__fixtures__/metricsHistory.ts';
import { SimulatedClock } from '../../engine/clock.ts';
import { areaReport, resolveMetricsQuery, viewReport, type MetricsSetup } from '../../engine/metricsInput.ts';
import type { ServerContext } from '../../server/context.ts';
import { QueryReader, queryString, type RangeFilters } from '../query.ts';
import type { ChartSpec, KpiCard, ViewData, ViewTable } from '../view.ts';
import { MetricFormat } from './metricFormat.ts';
import { CHART_AREAS } from './metricParts.ts';
import { headlineKpis, viewSections, type ViewMetrics } from './metricSections.ts';
import { matchSource, metricHeadlines, metricsRequestOf, metricViews, viewFilterIssues } from './metricViews.ts';
import type { ViewName } from './views.ts';

const ZONE = 'America/New_York';
const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };

let dir: string;
let store: Store;
let ctx: ServerContext;
let setup: MetricsSetup;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revops-metric-views-'));
  store = await openMigratedStore(join(dir, 'revops.db'));
  setup = await seedMetricsHistory(store);
  ctx = (await testServerContext(store, { text: midMarket().text, at: METRICS_NOW, auth: false })).ctx;
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rangeOf = (query: Record<string, string>): RangeFilters => new QueryReader(query).range(ZONE);
const view = (name: ViewName, query: Record<string, string> = OCTOBER): Promise<ViewData> =>
  metricViews(ctx, { name, range: rangeOf(query), zone: ZONE, now: METRICS_NOW });

function section(v: ViewData, id: string) {
  const found = v.sections.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no section ${id} in ${v.sections.map((s) => s.id).join(', ')}`);
  return found;
}
/** The cards of a section by label. */
const cards = (v: ViewData, id: string): Record<string, KpiCard> =>
  Object.fromEntries((section(v, id).kpis ?? []).map((k) => [k.label, k]));
const chart = (v: ViewData, id: string): ChartSpec => {
  const found = v.sections.flatMap((s) => s.charts ?? []).find((c) => c.id === id);
  if (found === undefined) throw new Error(`no chart ${id}`);
  return found;
};
const data = (c: ChartSpec) => Object.fromEntries(c.datasets.map((d) => [d.label, d.data]));
const charts = (v: ViewData) => v.sections.flatMap((s) => (s.charts ?? []).map((c) => c.id));
const tableOf = (v: ViewData, caption: string): ViewTable => {
  const found = v.sections.flatMap((s) => s.tables ?? []).find((t) => t.caption.startsWith(caption));
  if (found === undefined) throw new Error(`no table ${caption}`);
  return found;
};

describe('the marketing view', () => {
  it('writes the October funnel counted by hand, each rate against its benchmark', async () => {
    const v = await view('marketing');
    expect(v.title).toBe('Marketing');
    expect(v.intro).toContain('From Thu 1 Oct 2026 to Sat 31 Oct 2026, America/New_York');
    expect(cards(v, 'funnel')).toEqual({
      Leads: { label: 'Leads', value: '6', note: 'of 7 contacts created' },
      MQLs: { label: 'MQLs', value: '4' },
      // 4 / 6 = 66.7%, far above 5–15%; 3 / 4 = 75%, far above 30–50%.
      'Lead → MQL': {
        label: 'Lead → MQL',
        value: '66.7%',
        benchmark: '5–15%',
        status: 'bad',
        note: '4 of 6 leads',
      },
      'MQL → SQL': {
        label: 'MQL → SQL',
        value: '75%',
        benchmark: '30–50%',
        status: 'bad',
        note: '3 of 4 MQLs',
      },
      'Cost per MQL': {
        label: 'Cost per MQL',
        value: '—',
        status: 'neutral',
        note: 'no spend for a period inside the range: add a `metrics.spend` row for a period inside the range, like `{ period: 2026-Q1, sales: 650000, marketing: 280000 }`',
      },
      'Recycled MQLs': {
        label: 'Recycled MQLs',
        value: '0',
        note: '0 reached SQL; tracked apart from the cohort',
      },
    });
    expect(chart(v, 'funnel')).toMatchObject({
      type: 'bar',
      labels: ['Lead', 'MQL', 'SQL', 'Opportunity', 'Customer'],
      datasets: [{ label: 'Contacts', data: [6, 4, 3, 2, 1] }],
    });
  });

  it('shows speed to lead: first touches after 3, 10, 2 and 1 minutes', async () => {
    const v = await view('marketing');
    const speed = cards(v, 'speed');
    // Median of 1, 2, 3, 10 minutes: 2.5; average 4; 3 of 4 within 5 minutes = 75%, within 20% of 90%.
    expect(speed['Median time to first touch']).toMatchObject({
      value: '2 min 30 s',
      benchmark: '≤ 5 min',
      status: 'good',
    });
    expect(speed['Average time to first touch']?.value).toBe('4 min');
    expect(speed['Contacted within the SLA']).toEqual({
      label: 'Contacted within the SLA',
      value: '75%',
      benchmark: '≥ 90%',
      status: 'warn',
      note: '3 of 4 judged MQLs',
    });
    const buckets = chart(v, 'speed-to-lead');
    expect(buckets.labels).toEqual(['< 5 min', '5–10 min', '10–30 min', '30–60 min', '1–24 h', '> 24 h']);
    // bea (3 min, rejected), cal (2) and dee (1) under 5 minutes; bob (10) in 10–30.
    expect(data(buckets)).toEqual({ MQLs: [3, 0, 1, 0, 0, 0], 'Reached SQL': [2, 0, 1, 0, 0, 0] });
  });

  it('shows MQLs per week, sources with their links, and scoring health', async () => {
    const v = await view('marketing');
    const weeks = chart(v, 'mqls-per-week');
    expect([weeks.type, weeks.labels]).toEqual([
      'line',
      ['2026-09-28', '2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26'],
    ]);
    expect(data(weeks)['MQLs']).toEqual([0, 1, 3, 0, 0]);
    const sources = chart(v, 'leads-by-source');
    expect([sources.labels, data(sources)]).toEqual([
      ['organic', 'paid_search', 'unknown'],
      { Leads: [3, 3, 0], MQLs: [3, 1, 0] },
    ]);
    expect(tableOf(v, 'Source attribution').rows[1]).toEqual([
      { text: 'paid_search', href: '/views/marketing?from=2026-10-01&to=2026-10-31&source=paid_search' },
      3,
      1,
      '33.3%',
      0,
      0,
      null,
      null,
    ]);
    expect(cards(v, 'scoring')['Sales acceptance of MQLs']).toMatchObject({
      value: '75%',
      benchmark: '≥ 30%',
      status: 'good',
    });
    expect(cards(v, 'scoring')['Where leads stall']).toMatchObject({
      value: 'Opportunity',
      note: '1 open stay past the 90th percentile',
    });
    expect(tableOf(v, 'Scoring warnings').rows.map((r) => r[2])).toEqual(['2026-10-05']);
    expect(tableOf(v, 'Sales rejections by reason').rows).toEqual([['FIT-01', 'Company too small', 1, '100%']]);
  });
});

describe('the sales view', () => {
  it('shows the pipeline, the win rate and velocity from the two deals', async () => {
    const v = await view('sales');
    const p = cards(v, 'pipeline');
    expect(p['Open pipeline']).toEqual({ label: 'Open pipeline', value: '$24,000', note: '1 open deal' });
    // d-dee won, nothing lost: 100%, far above 20–30%.
    expect(p['Win rate']).toEqual({
      label: 'Win rate',
      value: '100%',
      benchmark: '20–30%',
      status: 'bad',
      note: '1 won, 0 lost',
    });
    // 1 open deal × $12,000 average won × 100% ÷ 8 days of cycle.
    expect(p['Pipeline velocity']).toMatchObject({ value: '$1,500 a day', status: 'neutral' });
    const stages = chart(v, 'pipeline-by-stage');
    expect([stages.labels[0], data(stages)['Amount']]).toEqual(['Qualified', [24000, 0, 0, 0, 0]]);
    expect(data(chart(v, 'stage-conversion'))['Advanced (%)']).toEqual([50, null, null, null, null]);
    expect(data(chart(v, 'forecast-categories'))).toEqual({
      Amount: [0, 0, 24000, 0],
      'Weighted by stage probability': [0, 0, 2400, 0],
    });
  });

  it('shows SLA compliance by clock and by rep, and round-robin fairness', async () => {
    const v = await view('sales');
    // 17 met, 1 breached (bob's 10-minute first touch): 94.4%.
    expect(cards(v, 'sla')['SLA compliance']).toEqual({
      label: 'SLA compliance',
      value: '94.4%',
      benchmark: '≥ 90%',
      status: 'good',
      note: '17 met, 1 breached',
    });
    const byClock = chart(v, 'sla-by-clock');
    const speed = byClock.labels.indexOf('Speed to lead');
    expect([byClock.datasets[0]?.data[speed], byClock.tones?.[speed]]).toEqual([75, 'warn']);
    expect(data(chart(v, 'sla-by-rep'))).toEqual({ Met: [5, 6, 6], Breached: [1, 0, 0] });
    const fairness = chart(v, 'routing-fairness');
    // Team general by weight 1.2 : 1 : 1 → 37.5%, 31.25%, 31.25%; priya got 2 of 4.
    expect([fairness.labels, data(fairness)]).toEqual([
      ['priya (general)', 'leo (general)', 'sofia (general)'],
      { 'Share (%)': [50, 25, 25], 'Target (%)': [37.5, 31.3, 31.3] },
    ]);
    expect(cards(v, 'routing')['Largest gap from target']).toMatchObject({
      value: '12.5%',
      note: 'team general',
    });
    expect(tableOf(v, 'Stale deals').rows).toEqual([]);
    expect(tableOf(v, 'Slipped close dates').rows).toEqual([]);
  });
});

describe('stale deals and slipped close dates', () => {
  // On a store of its own: d-cal moves to discovery on 10-17 with a close date of 11-15, which is
  // pushed to 12-15 on 10-20 (30 days); discovery's 14-day limit makes it stale on 10-31.
  let own: Store;
  let ownDir: string;
  let ownCtx: ServerContext;
  beforeAll(async () => {
    ownDir = mkdtempSync(join(tmpdir(), 'revops-metric-views-deals-'));
    own = await openMigratedStore(join(ownDir, 'revops.db'));
    await seedMetricsHistory(own);
    const { engine } = runtime(own, midMarket().config, new SimulatedClock(METRICS_NOW));
    const cal = { email: 'cal@cal-co.com' };
    const result = await engine.ingest([
      {
        id: 'h-1',
        type: 'deal',
        at: '2026-10-17T15:00:00Z',
        contact: cal,
        properties: {
          action: 'stage_changed',
          dealId: 'd-cal',
          stage: 'discovery',
          painPoints: 'Routing by spreadsheet',
          currentSolution: 'Spreadsheets',
          timeline: 'This quarter',
          closeDate: '2026-11-15',
        },
      },
      {
        id: 'h-2',
        type: 'deal',
        at: '2026-10-20T15:00:00Z',
        contact: cal,
        properties: {
          action: 'close_date_changed',
          dealId: 'd-cal',
          closeDate: '2026-12-15',
          reason: 'Budget review in December',
        },
      },
    ]);
    expect(result.accepted).toBe(2);
    await engine.fireDueTimers(METRICS_NOW);
    ownCtx = (await testServerContext(own, { text: midMarket().text, at: METRICS_NOW, auth: false })).ctx;
  });
  afterAll(async () => {
    await own.close();
    rmSync(ownDir, { recursive: true, force: true });
  });

  it('lists the stale deal and the pushed close date, with their counts', async () => {
    const v = await metricViews(ownCtx, { name: 'sales', range: rangeOf(OCTOBER), zone: ZONE, now: METRICS_NOW });
    expect(tableOf(v, 'Stale deals').rows).toEqual([
      ['cal-co.com', 'Discovery', 'leo', '$24,000', 'Sat 31 Oct 2026, 11:00 EDT', '14 d'],
    ]);
    expect(tableOf(v, 'Slipped close dates').rows).toEqual([
      ['cal-co.com', 'Discovery', 'leo', '$24,000', '2026-12-15', 1, 30, 'Budget review in December'],
    ]);
    expect(
      Object.values(cards(v, 'hygiene')).map((k) => [k.label, k.value, k.note, k.status]),
    ).toEqual([
      ['Stale deals', '1', undefined, 'warn'],
      ['Slip rate', '50%', '1 of 2 deals', undefined],
      ['Close-date pushes', '1', 'made in the range', undefined],
      ['Average slip', '30 days', undefined, undefined],
    ]);
  });
});

describe('the executive view', () => {
  it('shows the funnel against benchmarks, coverage against 3–4× and the missing unit economics', async () => {
    const v = await view('executive');
    const f = cards(v, 'funnel');
    expect(Object.values(f).map((k) => [k.label, k.value, k.benchmark, k.status])).toEqual([
      ['Lead → MQL', '66.7%', '5–15%', 'bad'],
      ['MQL → SQL', '75%', '30–50%', 'bad'],
      ['SQL → Opportunity', '66.7%', '50–70%', 'good'],
      ['Opportunity → Customer', '50%', undefined, 'neutral'],
      ['Win rate', '100%', '20–30%', 'bad'],
    ]);
    // Q4 quota $660,000, $12,000 won: $648,000 left; $24,000 open covers 0.04 of it.
    expect(cards(v, 'revenue')['Pipeline coverage']).toEqual({
      label: 'Pipeline coverage',
      value: '0.04×',
      benchmark: '3–4×',
      status: 'bad',
      note: '$24,000 open ÷ $648,000 left',
    });
    expect(cards(v, 'revenue')['Won in 2026-Q4']).toMatchObject({
      value: '$12,000',
      note: 'of a $660,000 quota',
    });
    expect(chart(v, 'coverage')).toMatchObject({
      labels: ['Open pipeline', '3× remaining quota', '4× remaining quota'],
      datasets: [{ label: 'Amount', data: [24000, 1_944_000, 2_592_000] }],
      tones: ['bad', 'neutral', 'neutral'],
    });
    const economics = cards(v, 'economics');
    expect(economics['LTV:CAC']).toEqual({
      label: 'LTV:CAC',
      value: '—',
      benchmark: '3:1–5:1',
      status: 'neutral',
      note: 'set metrics.economics.monthlyChurn',
    });
    expect(economics['CAC']?.note).toMatch(/^no spend for a period inside the range/);
    expect(data(chart(v, 'funnel-vs-benchmark'))).toEqual({
      'Actual (%)': [66.7, 75, 66.7, 50, 100],
      'Benchmark low (%)': [5, 30, 50, null, 20],
      'Benchmark high (%)': [15, 50, 70, null, 30],
    });
    expect(data(chart(v, 'win-rate-by-source'))).toEqual({ 'Win rate (%)': [100] });
  });
});

describe('every view', () => {
  it('draws only charts with data; the others become empty tables saying why', async () => {
    const drawn: Record<string, string[]> = {};
    for (const name of ['marketing', 'sales', 'executive'] as const) {
      const v = await view(name);
      drawn[name] = charts(v);
      for (const c of v.sections.flatMap((s) => s.charts ?? [])) {
        expect(c.labels.length, c.id).toBeGreaterThan(0);
        expect(c.datasets.length, c.id).toBeGreaterThan(0);
        for (const d of c.datasets) expect(d.data.length, `${c.id} ${d.label}`).toBe(c.labels.length);
        expect(
          c.datasets.some((d) => d.data.some((x) => x !== null && x !== 0)),
          c.id,
        ).toBe(true);
      }
    }
    expect(drawn).toEqual({
      marketing: ['funnel', 'mqls-per-week', 'speed-to-lead', 'leads-by-source'],
      sales: [
        'pipeline-by-stage',
        'stage-conversion',
        'stage-velocity',
        'forecast-categories',
        'sla-by-clock',
        'sla-by-rep',
        'rep-load',
        'routing-fairness',
      ],
      executive: ['funnel-vs-benchmark', 'coverage', 'win-rate-by-source', 'forecast-vs-actual'],
    });
    // November has no lead and no deal closed yet: the funnel is a table saying so.
    const quiet = await view('marketing', { from: '2026-11-02' });
    expect(charts(quiet)).not.toContain('funnel');
    expect(tableOf(quiet, 'Funnel: the cohort at each stage')).toMatchObject({
      rows: [],
      empty: 'No lead was created in this range.',
    });
  });

  it('shows the same figures as the metrics API for the same request', async () => {
    const request = metricsRequestOf(rangeOf(OCTOBER));
    const format = new MetricFormat('USD');
    const marketing = (await viewReport(store, setup, 'marketing', request, METRICS_NOW)).metrics;
    const sales = (await viewReport(store, setup, 'sales', request, METRICS_NOW)).metrics;
    const executive = (await viewReport(store, setup, 'executive', request, METRICS_NOW)).metrics;
    if (marketing.view !== 'marketing' || sales.view !== 'sales' || executive.view !== 'executive')
      throw new Error('wrong views');
    expect(cards(await view('marketing'), 'funnel')['Lead → MQL']).toEqual(
      format.card('Lead → MQL', marketing.mqlRate, 'rate', '4 of 6 leads'),
    );
    const s = await view('sales');
    expect(cards(s, 'sla')['SLA compliance']?.value).toBe(format.value(sales.slaCompliance.value, 'rate'));
    expect(cards(s, 'pipeline')['Win rate']?.value).toBe(format.value(sales.winRate.value, 'rate'));
    const e = await view('executive');
    expect(cards(e, 'revenue')['Pipeline coverage']?.value).toBe(
      format.value(executive.coverage.value, 'multiple'),
    );
    expect(cards(e, 'economics')['CAC']?.note).toBe(executive.cac.reason);
  });
});

describe('the filters', () => {
  it('filters by source whatever its case: organic is 3 leads, all MQLs', async () => {
    for (const source of ['organic', 'Organic']) {
      const v = await view('marketing', Object.assign({ source }, OCTOBER));
      expect(v.notice).toBeUndefined();
      const f = cards(v, 'funnel');
      expect([f['Leads']?.value, f['Lead → MQL']?.value, f['Lead → MQL']?.note]).toEqual([
        '3',
        '100%',
        '3 of 3 leads',
      ]);
    }
  });

  it('says so when no lead or deal has the source, naming the ones there are', async () => {
    const v = await view('marketing', Object.assign({ source: 'webinar' }, OCTOBER));
    expect(v.notice).toBe(
      'No lead or deal has the source `webinar`, so every figure below is empty. The sources there are: organic, paid_search, unknown.',
    );
    expect(cards(v, 'funnel')['Leads']?.value).toBe('0');
  });

  it('reads the last 90 days without dates, and refuses a `from` after today', async () => {
    const v = await view('sales', {});
    expect(v.intro).toContain('From Tue 4 Aug 2026 to Mon 2 Nov 2026 (the last 90 days)');
    const range = rangeOf({ from: '2026-12-01' });
    const error = await metricViews(ctx, { name: 'sales', range, zone: ZONE, now: METRICS_NOW }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RevopsError);
    expect((error as RevopsError).code).toBe('metrics.invalid_range');
    expect(viewFilterIssues(error, range, ZONE, METRICS_NOW)).toEqual([
      {
        field: 'from',
        message: 'the range starts (2026-12-01) after it ends (today (Mon 2 Nov 2026))',
        fix: 'give a `from` on or before `to` (or on or before today when `to` is left out)',
      },
    ]);
    expect(viewFilterIssues(new Error('disk on fire'), range, ZONE, METRICS_NOW)).toBeUndefined();
    expect(
      viewFilterIssues(
        new RevopsError('metrics.unknown_team', 'no team `x` in the config', { hint: 'use one of `plg`' }),
        range,
        ZONE,
        METRICS_NOW,
      ),
    ).toEqual([{ field: 'team', message: 'no team `x` in the config', fix: 'use one of `plg`' }]);
  });
});

describe('the overview headlines', () => {
  it('gives each view four figures over the last 90 days and a link to it', async () => {
    const sections = await metricHeadlines(ctx, METRICS_NOW);
    expect(sections.map((s) => [s.id, s.link?.href, s.kpis?.map((k) => k.label)])).toEqual([
      ['headline-marketing', '/views/marketing', ['Leads', 'Lead → MQL', 'MQL → SQL', 'Sales acceptance']],
      [
        'headline-sales',
        '/views/sales',
        ['Open pipeline', 'Win rate', 'SLA compliance', 'Median speed to lead'],
      ],
      ['headline-executive', '/views/executive', ['Pipeline coverage', 'Quota attainment', 'LTV:CAC', 'CAC']],
    ]);
    // The last 90 days hold October and old's MQL of 09-15: 7 leads, 5 MQLs.
    expect(sections[0]?.kpis?.slice(0, 2).map((k) => k.value)).toEqual(['7', '71.4%']);
  });
});

describe.each(DIALECTS)('the pages and the metrics API on $name', (dialect) => {
  // The October history plus a deal of a source no lead has (`Partner`), on a store of its own.
  let own: Store;
  let ownCtx: ServerContext;
  let ownSetup: MetricsSetup;
  beforeAll(async () => {
    own = await dialect.open();
    ownSetup = await seedMetricsHistory(own);
    const { engine } = runtime(own, midMarket().config, new SimulatedClock(METRICS_NOW));
    const result = await engine.ingest([
      {
        id: 'p-1',
        type: 'deal',
        at: '2026-10-20T15:00:00Z',
        contact: { email: 'bob@bob-co.com' },
        properties: { action: 'created', dealId: 'd-bob', amount: 8000, source: 'Partner' },
      },
    ]);
    expect(result.accepted).toBe(1);
    ownCtx = (await testServerContext(own, { text: midMarket().text, at: METRICS_NOW, auth: false })).ctx;
  });
  afterAll(() => own.close());

  const page = (name: ViewName, query: Record<string, string>) =>
    metricViews(ownCtx, { name, range: rangeOf(query), zone: ZONE, now: METRICS_NOW });

  /** The sections built from the API's view and areas, and every deal the store holds (as the pages once read them). */
  async function fromApi(name: ViewName, query: Record<string, string>, source?: string) {
    const range = rangeOf(query);
    const request = Object.assign(metricsRequestOf(range), source === undefined ? {} : { source });
    const report = await viewReport(own, ownSetup, name, request, METRICS_NOW);
    const areas = Object.fromEntries(
      await Promise.all(
        CHART_AREAS[name].map(
          async (area) => [area, (await areaReport(own, ownSetup, area, request, METRICS_NOW)).metrics] as const,
        ),
      ),
    );
    const config = midMarket().config;
    const data = {
      name,
      view: report.metrics,
      areas,
      deals: await own.listDeals(),
      model: ownSetup.model,
      query: resolveMetricsQuery(request, ownSetup, METRICS_NOW),
      now: METRICS_NOW,
      zone: ZONE,
      config,
      format: new MetricFormat(config.company.currency),
      sourceHref: (s: string) => `/views/${name}${queryString({ from: range.from, to: range.to, source: s })}`,
    } as unknown as ViewMetrics;
    return viewSections(data);
  }

  const queries: readonly Record<string, string>[] = [
    OCTOBER,
    {},
    { from: '2026-10-12', to: '2026-10-18' },
    Object.assign({ source: 'organic' }, OCTOBER),
    { source: 'Partner' },
  ];

  it.each(['marketing', 'sales', 'executive'] as const)(
    'draws the %s view from the same figures as the API, for each range and source',
    async (name) => {
      for (const query of queries) {
        const v = await page(name, query);
        expect(v.notice).toBeUndefined();
        expect(v.sections, JSON.stringify(query)).toEqual(await fromApi(name, query));
      }
    },
  );

  it('gives the overview the headline figures of the API’s views', async () => {
    const sections = await metricHeadlines(ownCtx, METRICS_NOW);
    const format = new MetricFormat('USD');
    for (const [i, name] of (['marketing', 'sales', 'executive'] as const).entries()) {
      const report = await viewReport(own, ownSetup, name, {}, METRICS_NOW);
      expect(sections[i]?.kpis).toEqual(headlineKpis(report.metrics, format));
    }
  });

  it('matches a source exactly, else whatever its case among leads and deals, else lists the sources', async () => {
    // A lead source, exactly and in another case; a source only a deal has, likewise.
    for (const [asked, found] of [
      ['organic', 'organic'],
      ['ORGANIC', 'organic'],
      ['Partner', 'Partner'],
      ['partner', 'Partner'],
      ['Unknown', 'unknown'],
    ] as const) {
      expect(await matchSource(own, ownSetup, asked, METRICS_NOW)).toEqual({ source: found });
      const v = await page('sales', Object.assign({ source: asked }, OCTOBER));
      expect(v.notice, asked).toBeUndefined();
      expect(v.sections, asked).toEqual(await fromApi('sales', OCTOBER, found));
    }
    const sorted = ['Partner', 'organic', 'paid_search', 'unknown'];
    expect(await matchSource(own, ownSetup, 'webinar', METRICS_NOW)).toEqual({ source: 'webinar', unknown: sorted });
    const v = await page('marketing', Object.assign({ source: 'webinar' }, OCTOBER));
    expect(v.notice).toBe(
      'No lead or deal has the source `webinar`, so every figure below is empty. The sources there are: Partner, organic, paid_search, unknown.',
    );
    expect(cards(v, 'funnel')['Leads']?.value).toBe('0');
    expect(v.sections).toEqual(await fromApi('marketing', OCTOBER, 'webinar'));
  });
});
