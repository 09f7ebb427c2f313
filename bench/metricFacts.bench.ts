/**
 * Metric roll-ups (migration 0010, src/store/metricFacts.ts) on SQLite at the scale: the
 * lead reports that read them — `GET /v1/metrics/funnel` (funnel and time in stage) and
 * `/v1/metrics/speed-to-lead` — over BENCH_FACTS_CONTACTS synthetic contacts (default 1,000,000,
 * ~8.6M rows: stage history, touches, SLA clocks, routing decisions, deals; the generator of
 * bench/metrics.bench.ts, written through the store so every write marks its contact).
 *
 * Measured:
 * 1. the full rebuild (`revops metrics rebuild`: every contact's facts from its stored rows);
 * 2. each report end to end (`areaReport`: the refresh with nothing marked, the facts read, the
 *    compute), last 90 days and the whole 180, unfiltered and by team; median of 5 after a warm-up;
 * 3. the same report right after 1,000 contacts were written again (their marks folded in first).
 *
 * Target (issue 9): reports over 1M leads answer in ≤ 1 s on SQLite.
 *
 *   npm run bench -- metricFacts
 *   BENCH_FACTS_CONTACTS=100000 npm run bench -- metricFacts     # smaller
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedStore } from '../src/compose.ts';
import { engineSetup } from '../src/config/engineModel.ts';
import { metricsModel } from '../src/config/metricsModel.ts';
import type { MetricsArea } from '../src/core/metrics/index.ts';
import type { Store } from '../src/core/ports.ts';
import { demoConfig } from '../src/demo/index.ts';
import { refreshMetricFacts } from '../src/engine/metricFacts.ts';
import {
  AREA_NAMES,
  areaReport,
  type MetricsRequest,
  type MetricsSetup,
} from '../src/engine/metricsInput.ts';
import { NOW, writeSynthetic } from './metrics.bench.ts';
import { machineInfo } from './support/machine.ts';
import { report, type ResultRow } from './support/report.ts';

const CONTACTS = Number(process.env['BENCH_FACTS_CONTACTS'] ?? 1_000_000);
const TARGET_MS = 1_000;
const RUNS = 5;
const DAY = 86_400_000;
const REWRITTEN = 1_000;

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
};

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

const CASES: readonly { readonly label: string; readonly request: MetricsRequest }[] = [
  { label: 'last 90 days', request: {} },
  {
    label: 'all 180 days',
    request: { from: new Date(NOW - 181 * DAY).toISOString(), to: new Date(NOW).toISOString() },
  },
  { label: 'last 90 days, team general', request: { team: 'general' } },
];
const AREAS: readonly MetricsArea[] = ['funnel', 'speedToLead'];

/** Writes `REWRITTEN` contacts again (same state, a new `updatedAt`): each is marked dirty. */
async function touchContacts(store: Store): Promise<void> {
  const some = await store.listContacts({ limit: REWRITTEN });
  await store.transaction((tx) =>
    tx.upsertContacts(some.map((c) => Object.assign({}, c, { updatedAt: NOW }))),
  );
}

export async function run(): Promise<void> {
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'revops-bench-facts-'));
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  const { config } = demoConfig();
  const calendar = engineSetup(config).calendar;
  const setup: MetricsSetup = { model: metricsModel(config, calendar), timezone: calendar.spec.timezone };
  const file = join(dir, 'large.db');
  const store = await openMigratedStore(file);
  try {
    console.log(`metricFacts: writing ${CONTACTS.toLocaleString('en-US')} synthetic contacts…`);
    let writeSeconds = performance.now();
    const totals = await writeSynthetic(store, CONTACTS, (done) => {
      if (done % 100_000 === 0) console.log(`metricFacts: ${done.toLocaleString('en-US')} written`);
    });
    writeSeconds = (performance.now() - writeSeconds) / 1000;
    const allRows = Object.values(totals).reduce((n, v) => n + v, 0);
    details['totals'] = totals;
    details['writeSeconds'] = Math.round(writeSeconds);
    console.log(
      `metricFacts: ${allRows.toLocaleString('en-US')} rows in ${writeSeconds.toFixed(0)} s; rebuilding…`,
    );

    const rebuildMs = await timed(() =>
      refreshMetricFacts(store, setup, {
        full: true,
        now: NOW,
        onProgress: (done) => {
          if (done % 100_000 === 0) console.log(`metricFacts: rebuilt ${done.toLocaleString('en-US')}`);
        },
      }),
    );
    const size = `${CONTACTS.toLocaleString('en-US')} contacts, ${allRows.toLocaleString('en-US')} rows`;
    rows.push({
      name: 'full rebuild (revops metrics rebuild)',
      value: rebuildMs / 1000,
      unit: 's',
      note: `${Math.round(CONTACTS / (rebuildMs / 1000)).toLocaleString('en-US')} contacts/s; ${size}`,
    });
    details['fileMiB'] = Math.round(
      (statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0)) / 1048576,
    );

    let slowest = 0;
    const perCase: Record<string, number> = {};
    for (const area of AREAS)
      for (const { label, request } of CASES) {
        await areaReport(store, setup, area, request, NOW); // warm
        const times: number[] = [];
        for (let r = 0; r < RUNS; r++)
          times.push(await timed(() => areaReport(store, setup, area, request, NOW)));
        const ms = median(times);
        perCase[`${AREA_NAMES[area]} (${label})`] = ms;
        slowest = Math.max(slowest, ms);
        rows.push({
          name: `${AREA_NAMES[area]}: ${label}`,
          value: ms,
          unit: 'ms',
          note: `median of ${RUNS}`,
        });
      }
    details['reportMs'] = perCase;
    rows.push({
      name: 'slowest lead report',
      value: slowest,
      unit: 'ms',
      target: { kind: 'max', value: TARGET_MS },
      note: size,
    });

    const fresh: number[] = [];
    for (let r = 0; r < 3; r++) {
      await touchContacts(store);
      fresh.push(await timed(() => areaReport(store, setup, 'funnel', {}, NOW)));
    }
    rows.push({
      name: `funnel right after ${REWRITTEN.toLocaleString('en-US')} contacts changed`,
      value: median(fresh),
      unit: 'ms',
      target: { kind: 'max', value: TARGET_MS },
      note: 'their marks folded in first; median of 3',
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }

  report({
    bench: 'metricFacts',
    title: `Metric roll-ups: lead reports on SQLite over ${CONTACTS.toLocaleString('en-US')} contacts`,
    machine,
    parameters: { contacts: CONTACTS, runs: RUNS, now: new Date(NOW).toISOString() },
    rows,
    details,
  });
}
