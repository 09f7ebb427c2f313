// Crash safety of the timer worker, on every dialect: a worker claims a batch and dies (its lease
// holds), then `revops timers run` children are killed with SIGKILL while they fire — a few ms after
// a batch commits, so the kill lands in the next claim or transaction — and finally one run past the
// leases fires the rest. Every due timer's effect is written exactly once and no timer is left.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../src/compose.ts';
import { templatePath } from '../src/config/templates/index.ts';
import type { TimerEffect } from '../src/core/effects.ts';
import { createPgTestDatabase, type PgTestDatabase } from './pg/testDatabase.ts';

const BIN = new URL('../bin/revops.js', import.meta.url).pathname;
const TIMERS = 6000;
const FOREIGN = 250;
const T = Date.parse('2026-12-01T09:00:00Z');
const LEASE_MS = 10 * 60_000;
const dir = mkdtempSync(join(tmpdir(), 'revops-timer-crash-'));
copyFileSync(templatePath('mid-market'), join(dir, 'revops.yaml'));

const PG_URL = process.env['REVOPS_TEST_PG_URL'];
let pg: Promise<PgTestDatabase> | undefined;
afterAll(async () => {
  await (await pg)?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const TARGETS = [
  { name: 'sqlite', target: () => Promise.resolve(join(dir, 'crash.db')) },
  ...(PG_URL === undefined
    ? []
    : [
        {
          name: 'postgres',
          target: async () => (await (pg ??= createPgTestDatabase(PG_URL))).freshSchemaUrl(),
        },
      ]),
];

const rows: TimerEffect[] = Array.from({ length: TIMERS }, (_, i) => ({
  kind: 'timer',
  key: `task-due:crash-${String(i).padStart(5, '0')}`,
  dueAt: T - (i % 600) * 1000,
  contactKey: `email:person${i % 50}@company${i % 13}.com`,
  payload: { kind: 'task_due', task: `crash-${i}`, title: `Crash ${i}`, assignee: 'rep:leo' },
}));

const args = (db: string, now: number) => [
  BIN,
  'timers',
  'run',
  '--once',
  '--db',
  db,
  '--config',
  'revops.yaml',
  '--now',
  new Date(now).toISOString(),
  '--lease',
  `${LEASE_MS / 60_000}m`,
  '--batch',
  '25',
];

/**
 * Runs a worker; with `kill`, SIGKILLs it `kill.delayMs` after it has logged `kill.batches`
 * committed batches (a batch takes a few ms: the kill lands in the next claim or transaction).
 * Resolves with how it ended and its output.
 */
function worker(
  db: string,
  now: number,
  kill?: { readonly batches: number; readonly delayMs: number },
): Promise<{ ending: string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args(db, now), { cwd: dir });
    let stdout = '';
    let stderr = '';
    let armed = false;
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const batches = (stderr.match(/ fired \d+ timer\(s\) \(/g) ?? []).length;
      if (kill !== undefined && !armed && batches >= kill.batches) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), kill.delayMs);
      }
    });
    child.on('close', (code, signal) =>
      resolve({ ending: signal ?? `exit ${String(code)}`, stdout, stderr }),
    );
  });
}

async function withStore<T>(
  db: string,
  work: (store: Awaited<ReturnType<typeof openMigratedStore>>) => Promise<T>,
) {
  const store = await openMigratedStore(db);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Timers claimed at least once and still there: leased to a dead worker. */
const claimedLeft = (db: string) =>
  withStore(db, async (store) => (await store.listTimers()).filter((t) => t.attempts > 0).length);

describe.each(TARGETS)('crash safety of the timer worker on $name', ({ target }) => {
  it('fires every due timer exactly once across a dead claimer and SIGKILLs', async () => {
    const db = await target();
    await withStore(db, async (store) => {
      await store.transaction((tx) => tx.upsertTimers(rows));
      // A worker that claimed a batch and died before firing it.
      expect(await store.claimDueTimers(T, FOREIGN, LEASE_MS, 'worker-that-died')).toHaveLength(FOREIGN);
    });

    // Kill workers mid-run until one died holding a claim it had not committed (a timer claimed but
    // not fired, beyond the dead claimer's), at least three kills, at most eight tries.
    const endings: string[] = [];
    for (const [batches, delayMs] of [
      [3, 2],
      [7, 1],
      [2, 3],
      [11, 5],
      [5, 2],
      [4, 1],
      [9, 3],
      [6, 4],
    ] as const) {
      const run = await worker(db, T + 1000, { batches, delayMs });
      endings.push(run.ending);
      const kills = endings.filter((e) => e === 'SIGKILL').length;
      if (kills >= 3 && (await claimedLeft(db)) > FOREIGN) break;
    }
    expect(endings.filter((e) => e === 'SIGKILL').length).toBeGreaterThanOrEqual(3);
    const stranded = await claimedLeft(db);
    expect(stranded).toBeGreaterThan(FOREIGN);

    // Before the leases end the rest is fired, and the stranded timers wait.
    const before = await worker(db, T + 2000);
    expect(before.ending).toBe('exit 0');
    // The earliest stranded lease ends 10 minutes after the first killed claim.
    expect(before.stdout).toMatch(/; next timer claimable at 2026-12-01T09:1\d:\d\d\.\d{3}Z\n$/);
    expect(await claimedLeft(db)).toBe(stranded);
    await withStore(db, async (store) => expect((await store.listTimers()).length).toBe(stranded));

    // Past the leases: everything left fires.
    const after = await worker(db, T + LEASE_MS + 60_000);
    expect(after.ending).toBe('exit 0');
    expect(after.stdout).toMatch(
      new RegExp(`^fired ${stranded} timer\\(s\\) in \\d+ batch\\(es\\) .*; no timer pending\\n$`),
    );

    await withStore(db, async (store) => {
      const outbox = await store.listOutbox();
      expect(outbox).toHaveLength(TIMERS);
      expect(outbox.map((o) => o.key).sort()).toEqual(rows.map((t) => `overdue:${t.key}:${t.dueAt}`).sort());
      expect(outbox.every((o) => o.type === 'task_overdue' && o.payload['to'] === 'rep:leo')).toBe(true);
      expect(await store.listTimers()).toEqual([]);
      expect((await store.counts()).timers).toBe(0);
    });
  }, 300_000);
});
