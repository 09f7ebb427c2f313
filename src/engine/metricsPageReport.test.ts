// `metricsPageReport` (what the dashboard pages read) against the API's `viewReport` and
// `areaReport` for the same requests: every view and every area equal, on the hand-built October
// history (__fixtures__/metricsHistory.ts) plus a deal of its own source, on every dialect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { METRICS_AREAS, METRICS_VIEWS, quotaPeriodAt } from '../core/metrics/index.ts';
import type { Store } from '../core/ports.ts';
import { METRICS_NOW, midMarket, seedMetricsHistory } from './__fixtures__/metricsHistory.ts';
import { SimulatedClock } from './clock.ts';
import { refreshMetricFacts } from './metricFacts.ts';
import {
  areaReport,
  metricsPageReport,
  resolveMetricsQuery,
  viewReport,
  type MetricsRequest,
  type MetricsSetup,
} from './metricsInput.ts';
import { runtime } from '../compose.ts';

const REQUESTS: readonly MetricsRequest[] = [
  { from: '2026-10-01', to: '2026-10-31' },
  {},
  { from: '2026-10-10', to: '2026-10-20' },
  { from: '2026-10-01', to: '2026-10-31', source: 'organic' },
  { source: 'Partner' },
  { from: '2026-11-02' },
];

describe.each(DIALECTS)('metricsPageReport on $name', (dialect) => {
  let store: Store;
  let setup: MetricsSetup;
  beforeAll(async () => {
    store = await dialect.open();
    setup = await seedMetricsHistory(store);
    // A deal whose source no lead has: only the deals name `Partner`.
    const { engine } = runtime(store, midMarket().config, new SimulatedClock(METRICS_NOW));
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
  });
  afterAll(() => store.close());

  it('answers every view and area as viewReport and areaReport do, for each request', async () => {
    for (const request of REQUESTS) {
      const page = await metricsPageReport(
        store,
        setup,
        { views: METRICS_VIEWS, areas: METRICS_AREAS },
        request,
        METRICS_NOW,
      );
      const views = await Promise.all(
        METRICS_VIEWS.map((v) => viewReport(store, setup, v, request, METRICS_NOW)),
      );
      expect(page.views, JSON.stringify(request)).toEqual(views);
      for (const area of METRICS_AREAS) {
        const api = await areaReport(store, setup, area, request, METRICS_NOW);
        expect(page.areas[area], `${area} ${JSON.stringify(request)}`).toEqual(api.metrics);
      }
      expect(page.query).toEqual(resolveMetricsQuery(request, setup, METRICS_NOW));
    }
  });

  it('returns the deals the pipeline read: open, undated, or closed since from or the quota period', async () => {
    const request = { from: '2026-10-28', to: '2026-10-31' };
    const page = await metricsPageReport(store, setup, { views: ['sales'], areas: [] }, request, METRICS_NOW);
    const since = Math.min(page.query.from, quotaPeriodAt(METRICS_NOW, setup.model).from);
    const expected = (await store.listDeals()).filter(
      (d) => d.status === 'open' || d.closedAt === undefined || d.closedAt >= since,
    );
    expect(page.deals.map((d) => d.id)).toEqual(expected.map((d) => d.id));
    expect(page.deals.map((d) => d.id)).toEqual(['d-bob', 'd-cal', 'd-dee']);
    // Neither a view nor an area that needs the pipeline: no deal read.
    const marketing = await metricsPageReport(
      store,
      setup,
      { views: ['marketing'], areas: ['sla'] },
      {},
      METRICS_NOW,
    );
    expect(marketing.deals).toEqual([]);
    expect(Object.keys(marketing.areas).sort()).toEqual(['economics', 'funnel', 'scoring', 'sla']);
  });

  it('refuses a bad range before reading anything, as the API does', async () => {
    await expect(
      metricsPageReport(store, setup, { views: ['sales'], areas: [] }, { from: '2026-12-01' }, METRICS_NOW),
    ).rejects.toMatchObject({ code: 'metrics.invalid_range' });
  });

  it('lists the sources of the leads (from the facts) and of the deals', async () => {
    await refreshMetricFacts(store, setup, { now: METRICS_NOW });
    expect((await store.metricLeadSources()).sort()).toEqual(['organic', 'paid_search', 'unknown']);
    expect((await store.dealSources()).sort()).toEqual(['Partner', 'unknown']);
  });
});
