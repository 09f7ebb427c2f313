/**
 * Timer firing lag with 1,000,000 pending timers on SQLite (target: p99 ≤ 1 s, issue 6).
 *
 * A temp SQLite file gets 1,000,000 `task_due` timers due over the next 30 days (none during the
 * run), inserted 50,000 per transaction. Then a slice comes due while the real runner
 * (`startTimerRunner`, system clock, batches of 500, sleeps ≤ 250 ms) runs: a steady stream of
 * STEADY timers due evenly over STEADY_SECONDS, each naming one of 2,000 stored contacts (so
 * every batch locks and reads contacts as in production), then a burst of BURST timers all due at
 * the same instant. Lag = the wall time the timer's batch committed − its due time. Also timed on
 * the full table: `nextTimerDue` and an empty claim (the two queries every poll makes), with their
 * SQLite query plans.
 *
 *   npm run bench -- timers
 *   BENCH_TIMERS=200000 npm run bench -- timers     # fewer pending timers
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openMigratedStore } from '../src/compose.ts';
import { engineSetup, type EngineSetup } from '../src/config/engineModel.ts';
import { loadConfigFile } from '../src/config/loader.ts';
import { templatePath } from '../src/config/templates/index.ts';
import type { TimerEffect } from '../src/core/effects.ts';
import type { Store } from '../src/core/ports.ts';
import type { ContactState } from '../src/core/types.ts';
import { systemClock } from '../src/engine/clock.ts';
import { createEngine } from '../src/engine/engine.ts';
import { startTimerRunner, type TimerRunSummary } from '../src/jobs/timerRunner.ts';
import { machineInfo } from './support/machine.ts';
import { report, type ResultRow } from './support/report.ts';

const PENDING = Number(process.env['BENCH_TIMERS'] ?? 1_000_000);
const INSERT_CHUNK = 50_000;
const CONTACTS = 2_000;
const STEADY = 20_000;
const STEADY_SECONDS = 20;
const BURST = 20_000;
/** When the slice starts coming due, after the runner has started. */
const LEAD_IN_MS = 2_000;
const LAG_TARGET_MS = 1_000;
const DAY = 86_400_000;

function reminder(key: string, dueAt: number, contactKey?: string): TimerEffect {
  return {
    kind: 'timer',
    key,
    dueAt,
    ...(contactKey === undefined ? {} : { contactKey }),
    payload: { kind: 'task_due', task: key, title: `Follow up ${key}`, assignee: 'rep:leo' },
  };
}

function contact(i: number, at: number): ContactState {
  const email = `person${i}@company${i % 400}.com`;
  return {
    key: `email:${email}`,
    email,
    accountDomain: `company${i % 400}.com`,
    attributes: { firstName: { value: `First${i}`, at, eventId: `bench-${i}`, source: 'bench' } },
    companyAttributes: {},
    stage: 'mql',
    stageEnteredAt: at,
    owner: 'leo',
    flags: [],
    createdAt: at,
    updatedAt: at,
    eventCount: 1,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function timeMs(times: number, work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < times; i++) await work();
  return (performance.now() - started) / times;
}

async function fill(store: Store, start: number): Promise<number> {
  const started = performance.now();
  for (let from = 0; from < PENDING; from += INSERT_CHUNK) {
    const rows: TimerEffect[] = [];
    for (let i = from; i < Math.min(PENDING, from + INSERT_CHUNK); i++)
      rows.push(
        reminder(
          `task-due:pending-${i}`,
          start + Math.floor(((i * 7919) % PENDING) * ((30 * DAY) / PENDING)),
        ),
      );
    await store.transaction((tx) => tx.upsertTimers(rows));
  }
  return performance.now() - started;
}

interface SliceResult {
  readonly steady: number[];
  readonly burst: number[];
  readonly burstSeconds: number;
  readonly batches: number;
  readonly summary: TimerRunSummary;
}

/** Schedules a steady stream then a burst, runs the runner until all fired; returns the lags. */
async function fireSlice(store: Store, setup: EngineSetup, now0: number, run: string): Promise<SliceResult> {
  const sliceStart = Date.now() + LEAD_IN_MS;
  const steady: TimerEffect[] = [];
  for (let i = 0; i < STEADY; i++) {
    const due = sliceStart + Math.floor((i * STEADY_SECONDS * 1000) / STEADY);
    steady.push(reminder(`task-due:${run}-steady-${i}`, due, contact(i % CONTACTS, now0).key));
  }
  const burstAt = sliceStart + STEADY_SECONDS * 1000 + 2000;
  const burst = Array.from({ length: BURST }, (_, i) =>
    reminder(`task-due:${run}-burst-${i}`, burstAt, contact(i % CONTACTS, now0).key),
  );
  await store.transaction((tx) => tx.upsertTimers([...steady, ...burst]));

  const engine = createEngine({ store, model: setup.model, catalog: setup.catalog, clock: systemClock });
  const lags = { steady: [] as number[], burst: [] as number[] };
  let lastBurstCommit = 0;
  let batches = 0;
  let fired = 0;
  const expected = STEADY + BURST;
  console.log(`timers: run ${run}: firing a slice of ${expected.toLocaleString('en-US')} with the runner…`);
  const runner = startTimerRunner({
    engine,
    until: burstAt + 120_000,
    onBatch: (batch) => {
      const committed = Date.now();
      batches += 1;
      for (const t of batch.timers) {
        const isBurst = t.key.includes('-burst-');
        (isBurst ? lags.burst : lags.steady).push(committed - t.dueAt);
        if (isBurst) lastBurstCommit = committed;
      }
      fired += batch.timers.length;
      if (fired >= expected) runner.stop();
    },
  });
  const summary = await runner.done;
  if (fired !== expected) throw new Error(`run ${run}: fired ${fired} of ${expected} slice timers`);
  const byValue = (x: number, y: number) => x - y;
  return {
    steady: lags.steady.sort(byValue),
    burst: lags.burst.sort(byValue),
    burstSeconds: (lastBurstCommit - burstAt) / 1000,
    batches,
    summary,
  };
}

const lagStats = (sorted: readonly number[]) => ({
  p50: percentile(sorted, 50),
  p90: percentile(sorted, 90),
  p99: percentile(sorted, 99),
  max: sorted.at(-1),
});

export async function run(): Promise<void> {
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'revops-bench-timers-'));
  const file = join(dir, 'timers.db');
  const store = await openMigratedStore(file);
  try {
    const now0 = Date.now();
    console.log(`timers: inserting ${PENDING.toLocaleString('en-US')} pending timers…`);
    const insertMs = await fill(store, now0 + 10 * 60_000);
    await store.transaction((tx) =>
      tx.upsertContacts(Array.from({ length: CONTACTS }, (_, i) => contact(i, now0))),
    );

    // The two queries every poll makes, on the full table with nothing due.
    const nextDueMs = await timeMs(20, () => store.nextTimerDue());
    const emptyClaimMs = await timeMs(20, () => store.claimDueTimers(Date.now(), 500, 60_000, 'probe'));
    const inspect = new BetterSqlite3(file, { readonly: true });
    const plan = (query: string, ...params: unknown[]) =>
      (inspect.prepare(`EXPLAIN QUERY PLAN ${query}`).all(...params) as { detail: string }[])
        .map((r) => r.detail)
        .join('; ');
    const claimPlan = plan(
      'SELECT key FROM timers WHERE due_at <= ? AND (lease_until IS NULL OR lease_until <= ?) ORDER BY due_at, key LIMIT 500',
      0,
      0,
    );
    const nextDuePlan = plan(
      'SELECT min(CASE WHEN lease_until > due_at THEN lease_until ELSE due_at END) FROM timers',
    );
    inspect.close();

    const setup = engineSetup(loadConfigFile(templatePath('mid-market')));
    // A: the store as it is. B: the same store with `nextTimerDue` answered by the index on due_at
    // (`min(due_at)`, leased timers included: the runner then polls claims until a lease ends).
    const reader = new BetterSqlite3(file, { readonly: true });
    const minDue = reader.prepare('SELECT min(due_at) AS next FROM timers');
    const indexed: Store = Object.assign(Object.create(store) as Store, {
      nextTimerDue: () => Promise.resolve((minDue.get() as { next: number | null }).next ?? undefined),
    });
    const indexedNextDueMs = await timeMs(20, () => indexed.nextTimerDue());
    const a = await fireSlice(store, setup, now0, 'a');
    const b = await fireSlice(indexed, setup, now0, 'b');
    reader.close();
    const counts = await store.counts();
    if (counts.timers !== PENDING) throw new Error(`${counts.timers} timers left, expected ${PENDING}`);
    if (counts.outbox !== 2 * (STEADY + BURST))
      throw new Error(`${counts.outbox} outbox rows, expected ${2 * (STEADY + BURST)}`);

    const rowsOf = (result: SliceResult, label: string, target: boolean): ResultRow[] => [
      {
        name: `${label}: lag p99, steady ${STEADY / STEADY_SECONDS}/s`,
        value: percentile(result.steady, 99),
        unit: 'ms',
        ...(target ? { target: { kind: 'max' as const, value: LAG_TARGET_MS } } : {}),
        note: `p50 ${percentile(result.steady, 50)} ms, max ${result.steady.at(-1) ?? NaN} ms`,
      },
      {
        name: `${label}: lag p99, ${BURST.toLocaleString('en-US')} due at once`,
        value: percentile(result.burst, 99),
        unit: 'ms',
        note: `p50 ${percentile(result.burst, 50)} ms; ${Math.round(BURST / result.burstSeconds).toLocaleString('en-US')} timers/s`,
      },
    ];
    const rows: ResultRow[] = [
      ...rowsOf(a, 'A store as is', true),
      ...rowsOf(b, 'B nextTimerDue by index', true),
      { name: 'nextTimerDue, as is', value: nextDueMs, unit: 'ms/call', note: nextDuePlan },
      { name: 'min(due_at) by index', value: indexedNextDueMs, unit: 'ms/call' },
      { name: 'empty claim', value: emptyClaimMs, unit: 'ms/call', note: claimPlan },
      {
        name: `insert ${PENDING.toLocaleString('en-US')} pending timers`,
        value: PENDING / (insertMs / 1000),
        unit: 'timers/s',
        note: `${(insertMs / 1000).toFixed(1)} s, ${INSERT_CHUNK.toLocaleString('en-US')} per transaction`,
      },
    ];
    report({
      bench: 'timers',
      title: `Timers: firing lag with ${PENDING.toLocaleString('en-US')} pending on SQLite`,
      machine,
      parameters: {
        pending: PENDING,
        insertChunk: INSERT_CHUNK,
        contacts: CONTACTS,
        steady: STEADY,
        steadySeconds: STEADY_SECONDS,
        burst: BURST,
        batchSize: 500,
        maxSleepMs: 250,
        clock: 'system',
        database: 'SQLite temp file (WAL)',
      },
      rows,
      details: {
        a: {
          batches: a.batches,
          runner: a.summary,
          steadyLagMs: lagStats(a.steady),
          burstLagMs: lagStats(a.burst),
          burstSeconds: a.burstSeconds,
        },
        b: {
          batches: b.batches,
          runner: b.summary,
          steadyLagMs: lagStats(b.steady),
          burstLagMs: lagStats(b.burst),
          burstSeconds: b.burstSeconds,
        },
        plans: { claim: claimPlan, nextTimerDue: nextDuePlan },
      },
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
