/**
 * Every metrics area and dashboard view (`GET /v1/metrics/{area}` and the views' code path:
 * `areaReport` / `viewReport` in src/engine/metricsInput.ts) on a synthetic SQLite store of
 * 1,000,000 contacts (`writeSynthetic` of metrics.bench.ts, facts rebuilt once), for the last 90
 * days, the last 180 days and the last 90 days of team `general`. Target (issue 9): ≤ 1 s each.
 * Each figure is the median of `BENCH_AREAS_RUNS` (3) runs after one warm-up run.
 *
 *   npm run bench -- metricAreas                                   # builds 1M contacts (~5 min) in a temp dir
 *   BENCH_AREAS_CONTACTS=100000 npm run bench -- metricAreas       # smaller
 *   BENCH_AREAS_DB=/tmp/areas.db npm run bench -- metricAreas      # builds it there once, reuses it next time
 *   BENCH_AREAS_SPEND=1 …                                          # with spend periods (unit economics)
 *   BENCH_AREAS_ONLY=sla,routing,view sales …                      # only these areas and views (names as listed)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedStore } from '../src/compose.ts';
import { engineSetup } from '../src/config/engineModel.ts';
import { metricsModel } from '../src/config/metricsModel.ts';
import { METRICS_AREAS, METRICS_VIEWS } from '../src/core/metrics/index.ts';
import { demoConfig } from '../src/demo/index.ts';
import { refreshMetricFacts } from '../src/engine/metricFacts.ts';
import { areaReport, viewReport, type MetricsRequest } from '../src/engine/metricsInput.ts';
import { count, round } from './support/benchParts.ts';
import { machineInfo } from './support/machine.ts';
import { report, type ResultRow } from './support/report.ts';
import { NOW, writeSynthetic } from './metrics.bench.ts';

const DAY = 86_400_000;
const CONTACTS = Number(process.env['BENCH_AREAS_CONTACTS'] ?? 1_000_000);
const RUNS = Number(process.env['BENCH_AREAS_RUNS'] ?? 3);
const SPEND = process.env['BENCH_AREAS_SPEND'] === '1';
/** Area names (`sla`) and views (`view sales`) to time, comma-separated; all when unset. */
const ONLY = process.env['BENCH_AREAS_ONLY']?.split(',').map((name) => name.trim());

/** Spend per month and quarter, so unit economics has something to divide (the demo config has none). */
const SPEND_ROWS = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11', '2026-Q3'].map(
  (period) => ({
    period,
    sales: 100_000,
    marketing: 50_000,
    bySource: { organic: 10_000, paid_search: 20_000 },
  }),
);

const CASES: readonly (readonly [string, MetricsRequest])[] = [
  ['last 90 days', {}],
  ['last 180 days', { from: new Date(NOW - 181 * DAY).toISOString(), to: new Date(NOW).toISOString() }],
  ['last 90 days, team general', { team: 'general' }],
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

export async function run(): Promise<void> {
  const machine = machineInfo();
  const { config } = demoConfig();
  const calendar = engineSetup(config).calendar;
  const base = metricsModel(config, calendar);
  const setup = {
    model: SPEND ? Object.assign({}, base, { spend: SPEND_ROWS }) : base,
    timezone: calendar.spec.timezone,
  };
  const given = process.env['BENCH_AREAS_DB'];
  const dir = given === undefined ? mkdtempSync(join(tmpdir(), 'revops-areas-')) : undefined;
  const file = given ?? join(dir ?? '', 'areas.db');
  const build = !existsSync(file);
  const store = await openMigratedStore(file);
  const rows: ResultRow[] = [];
  const details: Record<string, unknown>[] = [];
  try {
    let buildMs = 0;
    if (build) {
      console.log(`metricAreas: writing ${count(CONTACTS)} synthetic contacts to ${file}…`);
      const started = performance.now();
      await writeSynthetic(store, CONTACTS, (done) => {
        if (done % 100_000 === 0) console.log(`metricAreas: ${count(done)} written`);
      });
      await refreshMetricFacts(store, setup, { full: true, now: NOW });
      buildMs = performance.now() - started;
      console.log(`metricAreas: built in ${(buildMs / 1000).toFixed(0)} s`);
    } else {
      console.log(`metricAreas: reusing ${file} (delete it to rebuild)`);
    }
    const targets = [
      ...METRICS_AREAS.map((area) => ({
        name: `area ${area}`,
        run: (request: MetricsRequest) => areaReport(store, setup, area, request, NOW),
      })),
      ...METRICS_VIEWS.map((view) => ({
        name: `view ${view}`,
        run: (request: MetricsRequest) => viewReport(store, setup, view, request, NOW),
      })),
    ];
    const chosen = targets.filter(
      (t) => ONLY === undefined || ONLY.some((name) => t.name === `area ${name}` || t.name === name),
    );
    if (chosen.length === 0)
      throw new Error(
        `BENCH_AREAS_ONLY names nothing to time: use area names (${METRICS_AREAS.join(', ')}) or views (${METRICS_VIEWS.map((v) => `view ${v}`).join(', ')})`,
      );
    for (const target of chosen) {
      for (const [label, request] of CASES) {
        await target.run(request);
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) {
          const started = performance.now();
          await target.run(request);
          times.push(performance.now() - started);
        }
        const ms = median(times);
        console.log(`metricAreas: ${target.name}, ${label}: ${ms.toFixed(0)} ms`);
        rows.push({
          name: `${target.name}, ${label}`,
          value: ms,
          unit: 'ms',
          target: { kind: 'max', value: 1000 },
          note: `median of ${RUNS} after a warm-up: ${times.map((t) => t.toFixed(0)).join(' / ')} ms`,
        });
        details.push({ report: target.name, case: label, ms: round(ms), runs: times.map((t) => round(t)) });
      }
    }
    report({
      bench: 'metricAreas',
      title: `metrics — every area and view on SQLite, ${count(CONTACTS)} synthetic contacts (target ≤ 1 s each)`,
      machine,
      parameters: {
        command: 'npm run bench -- metricAreas',
        contacts: CONTACTS,
        runs: RUNS,
        spend: SPEND,
        only: ONLY ?? 'all',
        now: new Date(NOW).toISOString(),
        database: build ? 'built in this run' : `reused ${file}`,
        buildSeconds: round(buildMs / 1000),
      },
      rows,
      details: { reports: details },
    });
  } finally {
    await store.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}
