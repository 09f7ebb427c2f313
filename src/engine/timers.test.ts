// Firing timers through the real engine and store, on every dialect: a task reminder fires once at
// its due time; a timer decision's contact, stage history, effects and reassignment are written in
// the timer's transaction (a refused reassignment is recorded and the timer still completes); a
// lease held by a worker that died is picked up when it ends; two engines firing the same due
// timers at once fire each exactly once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPgTestDatabase } from '../../test/pg/testDatabase.ts';
import { poolOnlyConfig } from '../../test/support/configs.ts';
import { DIALECTS } from '../../test/support/dialects.ts';
import { openMigratedStore, runtime } from '../compose.ts';
import { readTemplate } from '../config/templates/index.ts';
import type { TimerDecision } from '../core/contact/decide.ts';
import type { FiredTimer, TimerEffect } from '../core/effects.ts';
import type { Store } from '../core/ports.ts';
import type { ContactState } from '../core/types.ts';
import { SimulatedClock } from './clock.ts';
import type { Engine } from './engine.ts';
import {
  applyTimerDecision,
  fireTimerBatch,
  REASSIGN_REFUSED,
  type FiredBatch,
  type TimerBatchState,
} from './timers.ts';
import { Writes } from './writes.ts';

const poolOnly = poolOnlyConfig;

const EMAIL = 'lee@company1.com';
const KEY = `email:${EMAIL}`;
const ROUTED_AT = '2026-11-24T15:01:00Z'; // Tuesday 10:01 New York
/** The MQL stage's follow-up task (4 business hours: due 14:01 New York) and its reminder timer. */
const TASK = `task:${KEY}:mql:${Date.parse(ROUTED_AT)}:1`;
const TASK_TIMER = `task-due:${TASK}`;
const TASK_DUE = Date.parse('2026-11-24T19:01:00Z');
const BREACH_AT = Date.parse('2026-11-24T16:01:00Z');
const REASON = 'sla speed-to-lead breached';

const DEMO = {
  id: 'demo-1',
  type: 'form_submit',
  at: ROUTED_AT,
  contact: { email: EMAIL, firstName: 'Lee', lastName: 'Number1', seniority: 'vp' },
  company: { name: 'Company 1', employees: 400 },
  properties: { form: 'demo_request' },
};

/** A hand-made timer as a claim returns it. */
function firedTimer(key: string, dueAt: number, contactKey?: string): FiredTimer {
  return {
    key,
    dueAt,
    ...(contactKey === undefined ? {} : { contactKey }),
    payload: { kind: 'test' },
    attempts: 1,
  };
}

function timerRows(count: number, dueAt: number, contacts = 7): TimerEffect[] {
  return Array.from({ length: count }, (_, i) => ({
    kind: 'timer' as const,
    key: `task-due:bulk-${String(i).padStart(5, '0')}`,
    dueAt: dueAt - (i % 97) * 1000,
    contactKey: `email:bulk${i % contacts}@company${i % contacts}.com`,
    payload: { kind: 'task_due', task: `bulk-${i}`, title: `Bulk ${i}`, assignee: 'rep:leo' },
  }));
}

const BIN = new URL('../../bin/revops.js', import.meta.url).pathname;

/** Runs `revops ARGS` as a child process in `cwd`; resolves with its exit code and output. */
function runBin(
  cwd: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A fresh database other processes can open: a temp SQLite file, or a new PostgreSQL schema. */
async function databaseFor(name: string): Promise<{ target: string; close: () => Promise<void> }> {
  const pgUrl = process.env['REVOPS_TEST_PG_URL'];
  if (name === 'postgres' && pgUrl !== undefined) {
    const database = await createPgTestDatabase(pgUrl);
    return { target: await database.freshSchemaUrl(), close: () => database.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'revops-timers-db-'));
  return {
    target: join(dir, 'revops.db'),
    close: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
  };
}

describe.each(DIALECTS)('firing timers on $name', (dialect) => {
  async function setup(store?: Store): Promise<{ store: Store; engine: Engine }> {
    const opened = store ?? (await dialect.open());
    const { engine } = runtime(opened, poolOnly(), new SimulatedClock(Date.parse(ROUTED_AT)), { sla: false });
    return { store: opened, engine };
  }

  /** The routed lead, read in a transaction with its subjects locked, as a timer batch reads it. */
  async function lead(store: Store): Promise<ContactState> {
    const [found] = await store.transaction((tx) => tx.findContacts({ emails: [EMAIL], externalIds: [] }));
    if (found === undefined) throw new Error('the lead was not ingested');
    return found;
  }

  it('a task reminder fires once, at its due time, and the timer is gone', async () => {
    const { store, engine } = await setup();
    try {
      expect((await engine.ingest([DEMO])).accepted).toBe(1);
      expect((await store.listTimers()).map((t) => [t.key, t.dueAt])).toEqual([[TASK_TIMER, TASK_DUE]]);
      expect(await store.nextTimerDue()).toBe(TASK_DUE);

      expect(await engine.fireDueTimers(TASK_DUE - 1)).toBe(0);
      const batches: FiredBatch[] = [];
      expect(await engine.fireDueTimers(TASK_DUE, { onBatch: (b) => batches.push(b) })).toBe(1);
      expect(batches).toEqual([
        {
          now: TASK_DUE,
          timers: [
            {
              key: TASK_TIMER,
              dueAt: TASK_DUE,
              contactKey: KEY,
              kind: 'task_due',
              at: TASK_DUE,
              effects: 1,
              contactChanged: false,
              stageChanges: 0,
            },
          ],
        },
      ]);
      const overdue = (await store.listOutbox()).filter((o) => o.type === 'task_overdue');
      expect(overdue.map((o) => [o.key, o.contactKey, o.at, o.payload])).toEqual([
        [
          `overdue:${TASK_TIMER}:${TASK_DUE}`,
          KEY,
          TASK_DUE,
          { to: 'rep:priya', task: TASK, title: 'Follow up with Lee Number1' },
        ],
      ]);
      expect(await store.listTimers()).toEqual([]);
      expect(await store.nextTimerDue()).toBeUndefined();
      expect(await engine.fireDueTimers(TASK_DUE + 86_400_000)).toBe(0);
      expect((await store.listOutbox()).filter((o) => o.type === 'task_overdue')).toHaveLength(1);
    } finally {
      await store.close();
    }
  });

  it('writes a decision’s contact, stage history and effects in the timer’s transaction', async () => {
    const { store, engine } = await setup();
    try {
      await engine.ingest([DEMO]);
      const before = await lead(store);
      expect([before.stage, before.owner, before.flags]).toEqual(['mql', 'priya', []]);
      const historyBefore = (await store.stageHistory(KEY)).length;
      const timer = firedTimer('recycle:lee', BREACH_AT, KEY);
      const decision: TimerDecision = {
        contact: Object.assign({}, before, {
          stage: 'recycled',
          stageEnteredAt: BREACH_AT,
          flags: ['recycled'],
          updatedAt: BREACH_AT,
        }),
        stageChanges: [
          {
            contactKey: KEY,
            from: 'mql',
            to: 'recycled',
            at: BREACH_AT,
            cause: 'timer:recycle:lee',
            reason: 'r',
          },
        ],
        effects: [
          {
            kind: 'outbox',
            key: 'note:lee',
            type: 'note',
            contactKey: KEY,
            at: BREACH_AT,
            payload: { to: 'rep:priya' },
          },
          { kind: 'cancelTimer', key: TASK_TIMER },
          {
            kind: 'timer',
            key: 'archive:lee',
            dueAt: BREACH_AT + 1000,
            contactKey: KEY,
            payload: { kind: 'x' },
          },
        ],
      };
      const outcome = await store.transaction(async (tx) => {
        const state: TimerBatchState = { writes: new Writes(), contacts: new Map([[KEY, before]]) };
        const applied = await applyTimerDecision(tx, engine.model, state, timer, decision, BREACH_AT);
        expect(state.contacts.get(KEY)?.stage).toBe('recycled');
        await state.writes.flush(tx);
        return applied;
      });
      expect(outcome).toEqual({
        key: 'recycle:lee',
        dueAt: BREACH_AT,
        contactKey: KEY,
        kind: 'test',
        at: BREACH_AT,
        effects: 3,
        contactChanged: true,
        stageChanges: 1,
      });
      const after = await lead(store);
      expect([after.stage, after.stageEnteredAt, after.owner, after.flags]).toEqual([
        'recycled',
        BREACH_AT,
        'priya',
        ['recycled'],
      ]);
      const history = await store.stageHistory(KEY);
      expect(history.length).toBe(historyBefore + 1);
      expect(history.at(-1)).toEqual({
        contactKey: KEY,
        from: 'mql',
        to: 'recycled',
        at: BREACH_AT,
        cause: 'timer:recycle:lee',
        reason: 'r',
      });
      expect((await store.listTimers()).map((t) => t.key)).toEqual(['archive:lee']);
      expect((await store.listOutbox()).map((o) => o.key)).toContain('note:lee');
    } finally {
      await store.close();
    }
  });

  it('carries out a reassignment after the contact change, guarded by the expected owner', async () => {
    const { store, engine } = await setup();
    try {
      await engine.ingest([DEMO]);
      const before = await lead(store);
      const timer = firedTimer('sla:lee:speed:3', BREACH_AT, KEY);
      const decision: TimerDecision = {
        contact: Object.assign({}, before, { flags: ['sla_breached'] }),
        effects: [],
        reassign: { reason: REASON, expectedOwner: 'priya' },
      };
      const outcome = await store.transaction(async (tx) => {
        const state: TimerBatchState = { writes: new Writes(), contacts: new Map([[KEY, before]]) };
        const applied = await applyTimerDecision(tx, engine.model, state, timer, decision, BREACH_AT);
        // A later timer of the batch sees the new owner and the flag.
        expect([state.contacts.get(KEY)?.owner, state.contacts.get(KEY)?.flags]).toEqual([
          'leo',
          ['sla_breached'],
        ]);
        await state.writes.flush(tx);
        return applied;
      });
      expect(outcome.reassigned).toEqual({ from: 'priya', kind: 'assigned', owner: 'leo' });
      expect(outcome.refused).toBeUndefined();
      const after = await lead(store);
      // The flag written before routing read the lead survives the reassignment's own write.
      expect([after.owner, after.flags]).toEqual(['leo', ['sla_breached']]);
      const rows = await store.listAssignments(KEY);
      expect(rows.map((r) => [r.kind, r.owner, r.at, r.trace['cause']])).toEqual([
        ['assigned', 'priya', Date.parse(ROUTED_AT), 'demo-1'],
        ['assigned', 'leo', BREACH_AT, 'timer:sla:lee:speed:3'],
      ]);
      const told = (await store.listOutbox()).filter((o) => o.at === BREACH_AT);
      expect(told.map((o) => [o.type, o.payload['to']])).toEqual([
        ['assigned', 'rep:leo'],
        ['reassigned', 'rep:priya'],
      ]);
      // The open task and its reminder follow the lead to leo.
      expect((await store.listTasks()).map((t) => [t.key, t.assignee])).toEqual([[TASK, 'rep:leo']]);
      expect((await store.listTimers()).find((t) => t.key === TASK_TIMER)?.payload['assignee']).toBe(
        'rep:leo',
      );
    } finally {
      await store.close();
    }
  });

  it('records a refused reassignment, writes the rest and completes the timer', async () => {
    const { store, engine } = await setup();
    try {
      await engine.ingest([DEMO]);
      await store.transaction((tx) =>
        tx.upsertTimers([
          {
            kind: 'timer',
            key: 'sla:lee:speed:3',
            dueAt: BREACH_AT,
            contactKey: KEY,
            payload: { kind: 'sla_step' },
          },
        ]),
      );
      const claimed = await store.claimDueTimers(BREACH_AT, 10, 60_000, 'test');
      expect(claimed.map((t) => t.key)).toEqual(['sla:lee:speed:3']);
      // leo was expected to own the lead, but priya does: somebody else moved it first.
      const decide = (): TimerDecision => ({
        effects: [
          {
            kind: 'outbox',
            key: 'escalate:lee',
            type: 'sla_escalation',
            contactKey: KEY,
            at: BREACH_AT,
            payload: { to: 'manager' },
          },
        ],
        reassign: { reason: REASON, expectedOwner: 'leo' },
      });
      const outcomes = await store.transaction((tx) =>
        fireTimerBatch(tx, engine.model, claimed, BREACH_AT, decide),
      );
      expect(outcomes.map((o) => [o.key, o.reassigned, o.refused?.code])).toEqual([
        ['sla:lee:speed:3', undefined, 'routing.owner_changed'],
      ]);
      expect(outcomes[0]?.refused?.message).toBe(
        `${EMAIL} is owned by priya now, not leo: nothing was reassigned`,
      );
      expect((await lead(store)).owner).toBe('priya');
      expect(await store.listAssignments(KEY)).toHaveLength(1);
      const written = (await store.listOutbox()).filter((o) => o.at === BREACH_AT);
      expect(written.map((o) => [o.key, o.type, o.payload])).toEqual([
        ['escalate:lee', 'sla_escalation', { to: 'manager' }],
        [
          'reassign-refused:sla:lee:speed:3:' + BREACH_AT,
          REASSIGN_REFUSED,
          {
            timer: 'sla:lee:speed:3',
            code: 'routing.owner_changed',
            message: `${EMAIL} is owned by priya now, not leo: nothing was reassigned`,
            reason: REASON,
            expectedOwner: 'leo',
          },
        ],
      ]);
      expect((await store.listTimers()).map((t) => t.key)).toEqual([TASK_TIMER]);
    } finally {
      await store.close();
    }
  });

  it('timers leased by a worker that died fire when the lease ends, and only then', async () => {
    const { store, engine } = await setup();
    try {
      const T = Date.parse('2026-12-01T09:00:00Z');
      await store.transaction((tx) => tx.upsertTimers(timerRows(5, T)));
      const dead = await store.claimDueTimers(T, 3, 60_000, 'worker-that-died');
      expect(dead).toHaveLength(3);
      expect(await engine.fireDueTimers(T + 1000)).toBe(2);
      expect(await store.nextTimerDue()).toBe(T + 60_000);
      expect(await engine.fireDueTimers(T + 59_999)).toBe(0);
      expect(await engine.fireDueTimers(T + 60_000)).toBe(3);
      expect(await store.listTimers()).toEqual([]);
      const keys = (await store.listOutbox()).map((o) => o.key).sort();
      expect(keys).toEqual(
        timerRows(5, T)
          .map((t) => `overdue:${t.key}:${t.dueAt}`)
          .sort(),
      );
    } finally {
      await store.close();
    }
  });
});

// Two workers in separate processes — how they run in production — on every dialect.
describe.each(DIALECTS)('two timer workers on $name', (dialect) => {
  it('firing the same due timers at once, fire each exactly once', async () => {
    const { target, close } = await databaseFor(dialect.name);
    const dir = mkdtempSync(join(tmpdir(), 'revops-timers-'));
    try {
      writeFileSync(join(dir, 'revops.yaml'), readTemplate('mid-market'));
      const T = Date.parse('2026-12-01T09:00:00Z');
      const rows = timerRows(4000, T);
      const store = await openMigratedStore(target);
      try {
        await store.transaction((tx) => tx.upsertTimers(rows));
      } finally {
        await store.close();
      }
      const args = [
        'timers',
        'run',
        '--once',
        '--db',
        target,
        '--now',
        new Date(T).toISOString(),
        '--batch',
        '20',
      ];
      const runs = await Promise.all([runBin(dir, args), runBin(dir, args)]);
      const fired = runs.map((run) => {
        expect(run.code).toBe(0);
        const match = /^fired (\d+) timer\(s\) in \d+ batch\(es\)/.exec(run.stdout);
        return Number(match?.[1] ?? NaN);
      });
      expect((fired[0] ?? 0) + (fired[1] ?? 0)).toBe(rows.length);
      // Both really ran at once (each took part; measured splits were about 50/50).
      expect(Math.min(...fired)).toBeGreaterThan(0);
      const after = await openMigratedStore(target);
      try {
        const keys = (await after.listOutbox()).map((o) => o.key).sort();
        expect(keys).toEqual(rows.map((t) => `overdue:${t.key}:${t.dueAt}`).sort());
        expect(await after.listTimers()).toEqual([]);
      } finally {
        await after.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await close();
    }
  }, 120_000);
});

// In one process, two stores on one SQLite file deadlock: a claim (outside a transaction) busy-waits
// on the event loop the other store's open transaction needs. PostgreSQL only, until the SQLite
// store queues claims with its transactions.
describe.each(DIALECTS.filter((d) => d.name === 'postgres'))(
  'two engines in one process on $name',
  (dialect) => {
    function setup(store: Store): { store: Store; engine: Engine } {
      const { engine } = runtime(store, poolOnly(), new SimulatedClock(Date.parse(ROUTED_AT)), {
        sla: false,
      });
      return { store, engine };
    }

    it('two engines in one process firing the same due timers at once fire each exactly once', async () => {
      const pair = await dialect.openPair();
      try {
        const [a, b] = pair.stores.map((s) => setup(s));
        if (a === undefined || b === undefined) throw new Error('no pair');
        const T = Date.parse('2026-12-01T09:00:00Z');
        const rows = timerRows(1500, T);
        await a.store.transaction((tx) => tx.upsertTimers(rows));
        const seen: string[][] = [[], []];
        const [firedA, firedB] = await Promise.all(
          [a, b].map((side, i) =>
            side.engine.fireDueTimers(T, {
              limit: 40,
              onBatch: (batch) => seen[i]?.push(...batch.timers.map((t) => t.key)),
            }),
          ),
        );
        expect((firedA ?? 0) + (firedB ?? 0)).toBe(rows.length);
        const all = [...(seen[0] ?? []), ...(seen[1] ?? [])];
        expect(new Set(all).size).toBe(rows.length);
        expect(all).toHaveLength(rows.length);
        const outbox = await a.store.listOutbox();
        expect(outbox.map((o) => o.key).sort()).toEqual(
          rows.map((t) => `overdue:${t.key}:${t.dueAt}`).sort(),
        );
        expect(await a.store.listTimers()).toEqual([]);
      } finally {
        await pair.close();
      }
    }, 60_000);
  },
);
