/**
 * The latency part of the scoring bench: a store preloaded with 100,000 generated events, then
 * 2,000 single-event `engine.ingest([event])` calls one after another (the tail of the same
 * stream: known contacts and new ones), each timed from the call until a read of the contact in
 * a new transaction returns a score as of the event or later. On SQLite, and on PostgreSQL when
 * `REVOPS_TEST_PG_URL` is set (a fresh database, dropped afterwards).
 */
import { join } from 'node:path';
import { openMigratedStore, runtime } from '../../src/compose.ts';
import type { RevopsConfig } from '../../src/config/schema/index.ts';
import { SimulatedClock } from '../../src/engine/clock.ts';
import { createPgTestDatabase } from '../../test/pg/testDatabase.ts';
import { generateEvents } from '../../test/support/generateEvents.ts';
import { BATCH, count, ingestAll, type PartResult } from './benchParts.ts';
import { batchesOf } from './ingestBreakdown.ts';
import type { ResultRow } from './report.ts';
import { summarizeLatencies, type LatencySummary } from './sampling.ts';

export const LATENCY_PRELOAD = 100_000;
export const LATENCY_CALLS = 2000;
const LATENCY_TARGET_MS = 50;

interface LatencyRun {
  readonly total: LatencySummary;
  readonly ingest: LatencySummary;
  readonly read: LatencySummary;
  readonly stale: number;
  readonly newContacts: number;
  readonly preloadMs: number;
}

async function latencyRun(
  dialect: string,
  target: string,
  config: RevopsConfig,
  seed: number,
): Promise<LatencyRun> {
  const events = [
    ...generateEvents({
      events: LATENCY_PRELOAD + LATENCY_CALLS,
      contacts: LATENCY_PRELOAD / 5,
      seed,
    }),
  ];
  const preload = events.slice(0, LATENCY_PRELOAD);
  const calls = events.slice(LATENCY_PRELOAD);
  const store = await openMigratedStore(target);
  try {
    const clock = new SimulatedClock(Date.parse(String(events[0]?.['at'])));
    const { engine } = runtime(store, config, clock);
    console.log(`scoring: latency: ${dialect}: preloading ${count(preload.length)} events…`);
    const loaded = await ingestAll((b) => engine.ingest(b), batchesOf(preload, BATCH), clock);
    const known = new Set((await store.listContacts()).map((c) => c.email));

    console.log(`scoring: latency: ${dialect}: ${count(calls.length)} single-event ingests…`);
    const total: number[] = [];
    const ingest: number[] = [];
    const read: number[] = [];
    let stale = 0;
    let newContacts = 0;
    for (const event of calls) {
      const at = Date.parse(String(event['at']));
      const email = String((event['contact'] as { email?: unknown }).email);
      if (!known.has(email)) newContacts++;
      known.add(email);
      clock.advanceTo(at);
      const started = performance.now();
      const summary = await engine.ingest([event]);
      const committed = performance.now();
      const [contact] = await store.transaction((tx) =>
        tx.findContacts({ emails: [email], externalIds: [] }),
      );
      const seen = performance.now();
      if (summary.accepted !== 1 || contact?.score === undefined || contact.score.at < at) stale++;
      total.push(seen - started);
      ingest.push(committed - started);
      read.push(seen - committed);
    }
    return {
      total: summarizeLatencies(total),
      ingest: summarizeLatencies(ingest),
      read: summarizeLatencies(read),
      stale,
      newContacts,
      preloadMs: loaded.ms,
    };
  } finally {
    await store.close();
  }
}

function latencyRows(dialect: string, run: LatencyRun): ResultRow[] {
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const t = run.total;
  return [
    {
      name: `${dialect}: event → score visible, p99`,
      value: t.p99,
      unit: 'ms',
      target: { kind: 'max', value: LATENCY_TARGET_MS },
      note: `${count(t.count)} single-event ingests, ${run.newContacts} of them new contacts; ingest p99 ${ms(run.ingest.p99)}, read p99 ${ms(run.read.p99)}`,
    },
    {
      name: '  p50',
      value: t.p50,
      unit: 'ms',
      note: `ingest ${ms(run.ingest.p50)}, read ${ms(run.read.p50)}`,
    },
    {
      name: '  p95',
      value: t.p95,
      unit: 'ms',
      note: `ingest ${ms(run.ingest.p95)}, read ${ms(run.read.p95)}`,
    },
    {
      name: '  max',
      value: t.max,
      unit: 'ms',
      note: `ingest ${ms(run.ingest.max)}, read ${ms(run.read.max)}`,
    },
    {
      name: `${dialect}: reads without the event's score`,
      value: run.stale,
      unit: 'reads',
      target: { kind: 'max', value: 0 },
      note: `store preloaded with ${count(LATENCY_PRELOAD)} events in ${(run.preloadMs / 1000).toFixed(1)} s`,
    },
  ];
}

export async function latencyPart(dir: string, config: RevopsConfig, seed: number): Promise<PartResult> {
  const runs: Record<string, LatencyRun> = {};
  runs['sqlite'] = await latencyRun('sqlite', join(dir, 'latency.sqlite'), config, seed);
  const pgUrl = process.env['REVOPS_TEST_PG_URL'];
  if (pgUrl === undefined || pgUrl === '') {
    console.log('scoring: latency: postgres: skipped: set REVOPS_TEST_PG_URL');
  } else {
    const database = await createPgTestDatabase(pgUrl);
    try {
      runs['postgres'] = await latencyRun('postgres', await database.freshSchemaUrl(), config, seed);
    } finally {
      await database.drop();
    }
  }
  return {
    rows: Object.entries(runs).flatMap(([dialect, run]) => latencyRows(dialect, run)),
    details: {
      preload: LATENCY_PRELOAD,
      calls: LATENCY_CALLS,
      postgres: runs['postgres'] === undefined ? 'skipped: set REVOPS_TEST_PG_URL' : 'REVOPS_TEST_PG_URL',
      runs,
    },
  };
}
