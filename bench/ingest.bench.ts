/**
 * Ingest throughput through the real engine path (`engine.ingest`, batches of 1,000) on a SQLite
 * file in WAL mode and, when `REVOPS_TEST_PG_URL` is set, on PostgreSQL: first ingest of a plain
 * generated event mix (target ≥ 100,000 events/s), then re-ingest of the same events (target
 * ≥ 300,000 events/s, and no new rows at all). Also where the time goes: validation alone, the
 * decision alone, and the rest (store writes and engine glue), with the database's own share timed.
 *
 *   npm run bench -- ingest              BENCH_EVENTS=50000 npm run bench -- ingest
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedStore, runtime } from '../src/compose.ts';
import type { EngineSetup } from '../src/config/engineModel.ts';
import { engineSetup } from '../src/config/engineModel.ts';
import { loadConfigFile } from '../src/config/loader.ts';
import type { RevopsConfig } from '../src/config/schema/index.ts';
import { templatePath } from '../src/config/templates/index.ts';
import type { StoreCounts } from '../src/core/ports.ts';
import { SimulatedClock } from '../src/engine/clock.ts';
import { createPgTestDatabase } from '../test/pg/testDatabase.ts';
import { generateEvents } from '../test/support/generateEvents.ts';
import { batchesOf, decideOnly, validateOnly } from './support/ingestBreakdown.ts';
import { machineInfo } from './support/machine.ts';
import { report, type ResultRow } from './support/report.ts';
import { sqliteInsertBaseline } from './support/sqliteBaseline.ts';
import { emptyTimings, storeMs, timedStore, type StoreTimings } from './support/timedStore.ts';

const BATCH = 1000;
const SEED = 7;
const INGEST_TARGET = 100_000;
const REINGEST_TARGET = 300_000;

interface Pass {
  readonly ms: number;
  readonly eventsPerSecond: number;
  readonly accepted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly storeMs: number;
  readonly storeCalls: Record<string, number>;
  /** Rows passed to each list-taking StoreTx method (ids for `knownEventIds`). */
  readonly storeRows: Record<string, number>;
  readonly transactions: number;
}

interface DialectRun {
  readonly dialect: 'sqlite' | 'postgres';
  readonly ingest: Pass;
  readonly reingest: Pass;
  readonly countsAfterIngest: StoreCounts;
  readonly newRowsOnReingest: number;
  readonly newOutboxRowsOnReingest: number;
}

function eventCount(): number {
  const text = process.env['BENCH_EVENTS'];
  const n = text === undefined ? 200_000 : Number(text);
  if (!Number.isInteger(n) || n < BATCH)
    throw new Error(`BENCH_EVENTS must be an integer ≥ ${BATCH}, got ${text}`);
  return n;
}

function totalRows(counts: StoreCounts): number {
  return (Object.values(counts) as number[]).reduce((sum, n) => sum + n, 0);
}

async function pass(
  ingest: (batch: readonly unknown[]) => Promise<{ accepted: number; duplicates: number; rejected: number }>,
  batches: readonly (readonly unknown[])[],
  timings: StoreTimings,
): Promise<Pass> {
  timings.calls.clear();
  timings.rows.clear();
  timings.transactionOverheadMs = 0;
  timings.transactions = 0;
  let accepted = 0;
  let duplicates = 0;
  let rejected = 0;
  let events = 0;
  const started = performance.now();
  for (const batch of batches) {
    const summary = await ingest(batch);
    accepted += summary.accepted;
    duplicates += summary.duplicates;
    rejected += summary.rejected;
    events += batch.length;
  }
  const ms = performance.now() - started;
  const storeCalls: Record<string, number> = {};
  for (const [name, callMs] of [...timings.calls].sort((a, b) => b[1] - a[1]))
    storeCalls[name] = round(callMs);
  return {
    ms,
    eventsPerSecond: events / (ms / 1000),
    accepted,
    duplicates,
    rejected,
    storeMs: storeMs(timings),
    storeCalls: { ...storeCalls, 'begin+commit': round(timings.transactionOverheadMs) },
    storeRows: Object.fromEntries(timings.rows),
    transactions: timings.transactions,
  };
}

async function runDialect(
  dialect: DialectRun['dialect'],
  target: string,
  config: RevopsConfig,
  batches: readonly (readonly unknown[])[],
  clockStart: number,
): Promise<DialectRun> {
  console.log(`ingest: ${dialect}: ingesting ${batches.length} batches of ${BATCH}…`);
  const store = await openMigratedStore(target);
  try {
    const timings = emptyTimings();
    const { engine } = runtime(timedStore(store, timings), config, new SimulatedClock(clockStart));
    const ingest = await pass((batch) => engine.ingest(batch), batches, timings);
    const countsAfterIngest = await store.counts();
    console.log(`ingest: ${dialect}: re-ingesting the same events…`);
    const reingest = await pass((batch) => engine.ingest(batch), batches, timings);
    const countsAfterReingest = await store.counts();
    return {
      dialect,
      ingest,
      reingest,
      countsAfterIngest,
      newRowsOnReingest: totalRows(countsAfterReingest) - totalRows(countsAfterIngest),
      newOutboxRowsOnReingest: countsAfterReingest.outbox - countsAfterIngest.outbox,
    };
  } finally {
    await store.close();
  }
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const share = (part: number, whole: number) => `${((100 * part) / whole).toFixed(0)}% of ingest`;

function rowsFor(run: DialectRun, n: number, validateMs: number, decideMs: number): ResultRow[] {
  const us = (ms: number) => (ms * 1000) / n;
  const total = run.ingest.ms;
  const rest = total - validateMs - decideMs;
  const d = run.dialect;
  return [
    {
      name: `${d}: ingest (first time)`,
      value: run.ingest.eventsPerSecond,
      unit: 'events/s',
      target: { kind: 'min', value: INGEST_TARGET },
      note: `${us(total).toFixed(2)} µs/event; ${run.ingest.accepted} accepted, ${run.ingest.rejected} rejected`,
    },
    {
      name: '  validate (validateBatch)',
      value: us(validateMs),
      unit: 'µs/event',
      note: share(validateMs, total),
    },
    {
      name: '  decide (identify + decideEvent)',
      value: us(decideMs),
      unit: 'µs/event',
      note: share(decideMs, total),
    },
    { name: '  store writes + glue (the rest)', value: us(rest), unit: 'µs/event', note: share(rest, total) },
    {
      name: '    of which timed in the store',
      value: us(run.ingest.storeMs),
      unit: 'µs/event',
      note: `${share(run.ingest.storeMs, total)} (StoreTx calls + begin/commit)`,
    },
    {
      name: `${d}: re-ingest (all duplicates)`,
      value: run.reingest.eventsPerSecond,
      unit: 'events/s',
      target: { kind: 'min', value: REINGEST_TARGET },
      note: `${us(run.reingest.ms).toFixed(2)} µs/event; store ${us(run.reingest.storeMs).toFixed(2)} µs/event; ${run.reingest.duplicates} duplicates`,
    },
    {
      name: `${d}: re-ingest new rows`,
      value: run.newRowsOnReingest,
      unit: 'rows',
      target: { kind: 'max', value: 0 },
      note: 'store.counts() before/after, all tables',
    },
    {
      name: `${d}: re-ingest new outbox rows`,
      value: run.newOutboxRowsOnReingest,
      unit: 'rows',
      target: { kind: 'max', value: 0 },
    },
  ];
}

function breakdown(setup: EngineSetup, batches: readonly (readonly unknown[])[], now: number) {
  console.log('ingest: timing validation alone and the decision alone…');
  const validation = validateOnly(batches, setup, now);
  const decision = decideOnly(validation.valid, setup);
  return { validateMs: validation.ms, decision };
}

export async function run(): Promise<void> {
  const machine = machineInfo();
  const n = eventCount();
  const config = loadConfigFile(templatePath('mid-market'));
  const setup = engineSetup(config);
  const events = [...generateEvents({ events: n, seed: SEED })];
  const lastAt = Date.parse(String(events[events.length - 1]?.['at']));
  const clockStart = lastAt + 60_000;
  const batches = batchesOf(events, BATCH);

  const dir = mkdtempSync(join(tmpdir(), 'revops-bench-'));
  const runs: DialectRun[] = [];
  let baseline: number;
  let parts: ReturnType<typeof breakdown>;
  try {
    runs.push(await runDialect('sqlite', join(dir, 'bench.sqlite'), config, batches, clockStart));
    parts = breakdown(setup, batches, clockStart);
    console.log('ingest: raw SQLite INSERT floor…');
    baseline = sqliteInsertBaseline(dir, events);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const pgUrl = process.env['REVOPS_TEST_PG_URL'];
  let pgNote: string | undefined;
  if (pgUrl === undefined || pgUrl === '') {
    pgNote = 'skipped: set REVOPS_TEST_PG_URL';
    console.log(`ingest: postgres: ${pgNote}`);
  } else {
    const database = await createPgTestDatabase(pgUrl);
    try {
      runs.push(await runDialect('postgres', await database.freshSchemaUrl(), config, batches, clockStart));
    } finally {
      await database.drop();
    }
  }

  const sqlite = runs[0];
  const rowsPerEvent = sqlite === undefined ? 0 : totalRows(sqlite.countsAfterIngest) / n;
  const writesPerEvent =
    sqlite === undefined
      ? 0
      : Object.entries(sqlite.ingest.storeRows)
          .filter(([method]) => !method.startsWith('find') && !method.startsWith('known'))
          .reduce((sum, [, count]) => sum + count, 0) / n;
  const rows: ResultRow[] = runs.flatMap((r) => rowsFor(r, n, parts.validateMs, parts.decision.ms));
  rows.push({
    name: 'sqlite: raw INSERT floor (events table only)',
    value: baseline,
    unit: 'rows/s',
    note: `better-sqlite3, no engine; the engine writes ${writesPerEvent.toFixed(2)} rows/event (${rowsPerEvent.toFixed(2)} new)`,
  });
  report({
    bench: 'ingest',
    title: `ingest — ${n.toLocaleString('en-US')} generated events (seed ${SEED}), batches of ${BATCH}, mid-market template`,
    machine,
    parameters: {
      events: n,
      batch: BATCH,
      seed: SEED,
      template: 'mid-market',
      generator: 'generateEvents({ events, seed }) with its defaults',
      postgres: pgNote ?? 'REVOPS_TEST_PG_URL (fresh database, dropped afterwards)',
    },
    rows,
    details: {
      breakdown: {
        validateMs: round(parts.validateMs),
        decideMs: round(parts.decision.ms),
        decideOutput: {
          stageChanges: parts.decision.stageChanges,
          touches: parts.decision.touches,
          effects: parts.decision.effects,
        },
      },
      newRowsPerEvent: round(rowsPerEvent, 2),
      rowsWrittenPerEvent: round(writesPerEvent, 2),
      runs,
    },
  });
  if (pgNote !== undefined) console.log(`postgres: ${pgNote}`);
}
