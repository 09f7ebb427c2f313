/**
 * `GET /v1/metrics/{area}` and `GET /v1/metrics/views/{view}` over the hand-built October history
 * (src/engine/__fixtures__/metricsHistory.ts) on a temp SQLite file, the clock at 2026-11-02 12:00Z.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, type ApiServer } from '../../../test/support/apiServer.ts';
import { openMigratedStore } from '../../compose.ts';
import { METRICS_NOW, OCTOBER_COUNTS, seedMetricsHistory } from '../../engine/__fixtures__/metricsHistory.ts';

let api: ApiServer;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revops-metrics-api-'));
  const store = await openMigratedStore(join(dir, 'revops.db'));
  await seedMetricsHistory(store);
  api = await apiServer({ store, at: METRICS_NOW });
});
afterAll(async () => {
  expect(api.bugs).toEqual([]);
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const OCTOBER = '?from=2026-10-01&to=2026-10-31';

async function getJson(url: string, status = 200): Promise<Record<string, unknown>> {
  const res = await api.get(url);
  if (res.statusCode !== status) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as Record<string, unknown>;
}

describe('GET /v1/metrics/{area}', () => {
  it('answers the October funnel counted by hand', async () => {
    const body = await getJson(`/v1/metrics/funnel${OCTOBER}`);
    expect(body).toMatchObject({
      area: 'funnel',
      timezone: 'America/New_York',
      from: '2026-10-01T04:00:00.000Z',
      to: '2026-11-01T04:00:00.000Z',
      asOf: '2026-11-02T12:00:00.000Z',
      filters: { source: null, team: null },
      metrics: {
        counts: OCTOBER_COUNTS,
        conversions: {
          leadToMql: { value: 0.6667, benchmark: { min: 0.05, max: 0.15 }, status: 'high' },
          mqlToSql: { value: 0.75, benchmark: { min: 0.3, max: 0.5 }, status: 'high' },
          sqlToOpportunity: { value: 0.6667, benchmark: { min: 0.5, max: 0.7 }, status: 'ok' },
          opportunityToCustomer: { value: 0.5, status: 'n/a' },
        },
        rejections: {
          total: 1,
          byCode: [{ code: 'FIT-01', reason: 'Company too small', count: 1, share: 1 }],
        },
      },
    });
  });

  it('filters by source and team', async () => {
    const organic = await getJson(`/v1/metrics/funnel${OCTOBER}&source=organic`);
    expect(organic).toMatchObject({
      filters: { source: 'organic', team: null },
      metrics: { counts: { contacts: 3, leads: 3, mqls: 3, sqls: 3, opportunities: 2, customers: 1 } },
    });
    const plg = await getJson(`/v1/metrics/funnel${OCTOBER}&team=plg`);
    expect(plg).toMatchObject({
      metrics: { counts: { contacts: 1, leads: 1, mqls: 1, sqls: 1, opportunities: 1, customers: 0 } },
    });
  });

  it('answers every area and view (their schemas hold the whole answer), the last 90 days by default', async () => {
    for (const area of ['funnel', 'pipeline', 'economics', 'speed-to-lead', 'sla', 'routing', 'scoring']) {
      const body = await getJson(`/v1/metrics/${area}`);
      expect([body['area'], body['from'], body['to']]).toEqual([
        area,
        '2026-08-04T12:00:00.000Z',
        '2026-11-02T12:00:00.000Z',
      ]);
    }
    for (const view of ['marketing', 'sales', 'executive']) {
      const body = await getJson(`/v1/metrics/views/${view}${OCTOBER}`);
      expect([body['view'], (body['metrics'] as { view: string }).view]).toEqual([view, view]);
    }
    const speed = await getJson(`/v1/metrics/speed-to-lead${OCTOBER}`);
    // First touches 3, 10, 2 and 1 minutes after the MQL: median 2.5 minutes, inside the 5-minute
    // target; bob's 10 minutes breached his speed-to-lead clock.
    expect(speed['metrics']).toMatchObject({
      mqls: 4,
      contacted: 4,
      medianMs: { value: 150_000, benchmark: { max: 300_000 }, status: 'ok' },
      judged: { within: 3, missed: 1, byClock: 4, byWallClock: 0 },
    });
    const pipeline = await getJson(`/v1/metrics/pipeline${OCTOBER}`);
    expect(pipeline['metrics']).toMatchObject({
      open: { deals: 1, amount: 24000 },
      closed: { won: 1, lost: 0, wonAmount: 12000 },
      winRate: { value: 1, status: 'high' },
      dealDesk: { requested: 0 },
    });
  });

  it('refuses a bad range with 400 metrics.invalid_range saying what to send', async () => {
    const bad = await getJson('/v1/metrics/funnel?from=last-week', 400);
    expect(bad).toMatchObject({
      error: {
        code: 'metrics.invalid_range',
        message: '`from` is not a date or a time: `last-week`',
        issues: [{ code: 'metrics.invalid_range', path: 'from' }],
      },
    });
    expect((bad['error'] as { hint: string }).hint).toMatch(/^send `from` before `to`/);
    const backwards = await getJson('/v1/metrics/views/sales?from=2026-10-31&to=2026-10-01', 400);
    expect(backwards).toMatchObject({
      error: {
        code: 'metrics.invalid_range',
        message: '`from` (2026-10-31T04:00:00.000Z) is not before `to` (2026-10-02T04:00:00.000Z)',
      },
    });
    // Ranges the reports cannot hold are refused, not answered with a 500.
    expect(await getJson('/v1/metrics/scoring?from=1000-01-01', 400)).toMatchObject({
      error: {
        code: 'metrics.invalid_range',
        message:
          'the range 1000-01-01T04:56:02.000Z to 2026-11-02T12:00:00.000Z is outside 1970-01-01 to 9999-12-31',
      },
    });
    expect(await getJson('/v1/metrics/views/marketing?from=2026-01-01&to=3000-01-01', 400)).toMatchObject({
      error: {
        code: 'metrics.invalid_range',
        message: 'the range is 355,747 days long; at most 7,305 (about 20 years)',
      },
    });
    const team = await getJson('/v1/metrics/sla?team=nobody', 400);
    expect(team).toMatchObject({
      error: { code: 'metrics.unknown_team', message: 'no team `nobody` in the config' },
    });
  });

  it('answers an unknown area or view 404 listing the ones there are', async () => {
    expect(await getJson('/v1/metrics/funel', 404)).toEqual({
      error: {
        code: 'http.not_found',
        message: 'no metrics area `funel` — did you mean `funnel`?',
        hint: 'use GET /v1/metrics/{area} with area `funnel`, `pipeline`, `economics`, `speed-to-lead`, `sla`, `routing` or `scoring`, or GET /v1/metrics/views/{view} with view `marketing`, `sales` or `executive`',
        issues: [],
      },
    });
    expect(await getJson('/v1/metrics/speedToLead', 404)).toMatchObject({
      error: { message: 'no metrics area `speedToLead` — did you mean `speed-to-lead`?' },
    });
    expect(await getJson('/v1/metrics/views/board', 404)).toMatchObject({
      error: {
        code: 'http.not_found',
        message: 'no metrics view `board`',
        hint: 'use GET /v1/metrics/views/{view} with view `marketing`, `sales` or `executive`, or GET /v1/metrics/{area} with area `funnel`, `pipeline`, `economics`, `speed-to-lead`, `sla`, `routing` or `scoring`',
      },
    });
  });

  it('is in the OpenAPI document with read scope and a schema per area; the fallbacks are not', async () => {
    const doc = (await getJson('/docs/json')) as {
      paths: Record<string, Record<string, { 'x-revops-scope': string; parameters?: { name: string }[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    const metricsPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/v1/metrics'));
    expect(metricsPaths.sort()).toEqual([
      '/v1/metrics/economics',
      '/v1/metrics/funnel',
      '/v1/metrics/pipeline',
      '/v1/metrics/routing',
      '/v1/metrics/scoring',
      '/v1/metrics/sla',
      '/v1/metrics/speed-to-lead',
      '/v1/metrics/views/executive',
      '/v1/metrics/views/marketing',
      '/v1/metrics/views/sales',
    ]);
    for (const path of metricsPaths) expect(doc.paths[path]?.['get']?.['x-revops-scope']).toBe('read');
    expect(doc.paths['/v1/metrics/funnel']?.['get']?.parameters?.map((p) => p.name)).toEqual([
      'from',
      'to',
      'source',
      'team',
    ]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['FunnelReport', 'FunnelMetrics', 'MetricsFigure', 'ExecutiveViewReport']),
    );
  });
});
