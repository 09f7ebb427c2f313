// Background WAL checkpoints: in WAL mode the database file itself only grows when a checkpoint
// copies pages into it, so its size tells whether the worker ran.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimerEffect } from '../core/effects.ts';
import { createSqliteStore, walCheckpointerOf } from './sqlite.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'revops-wal-'));
  dirs.push(dir);
  return join(dir, 'revops.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const timers = (n: number, from = 0): TimerEffect[] =>
  Array.from({ length: n }, (_, i) => ({
    kind: 'timer',
    key: `wal-test:${from + i}`,
    dueAt: 1_800_000_000_000 + i,
    payload: { kind: 'test', text: 'x'.repeat(200) },
  }));

describe('WalCheckpointer', () => {
  it('copies the log into the database file on its worker once the log passes startBytes', async () => {
    const file = tempFile();
    const store = createSqliteStore(file, { walCheckpoints: { startBytes: 1, intervalMs: 0 } });
    try {
      await store.migrate();
      const checkpointer = walCheckpointerOf(store);
      expect(checkpointer).toBeDefined();
      // Migrations run outside store transactions (SQLite has no transactional DDL here).
      expect(checkpointer?.checkpoints).toBe(0);
      await store.transaction((tx) => tx.upsertTimers(timers(2000)));
      await checkpointer?.idle();
      expect(checkpointer?.checkpoints).toBe(1);
      expect(checkpointer?.failure).toBeUndefined();
      // 2,000 timers of ~300 bytes are in the file itself now, not only in the log.
      expect(statSync(file).size).toBeGreaterThan(600_000);
      expect((await store.listTimers()).length).toBe(2000);
    } finally {
      await store.close();
    }
  });

  it('leaves a small log to SQLite: no worker below startBytes, none at all when turned off', async () => {
    for (const options of [{}, { walCheckpoints: false as const }]) {
      const file = tempFile();
      const store = createSqliteStore(file, options);
      try {
        await store.migrate();
        await store.transaction((tx) => tx.upsertTimers(timers(200)));
        const checkpointer = walCheckpointerOf(store);
        if (options.walCheckpoints === false) expect(checkpointer).toBeUndefined();
        else expect(checkpointer?.checkpoints).toBe(0);
        // Nothing copied yet: the file holds at most its first page.
        expect(statSync(file).size).toBeLessThanOrEqual(4096);
        expect((await store.listTimers()).length).toBe(200);
      } finally {
        await store.close();
      }
    }
  });

  it('keeps every commit when checkpoints run while the writer goes on', async () => {
    const file = tempFile();
    const store = createSqliteStore(file, { walCheckpoints: { startBytes: 1, intervalMs: 0 } });
    try {
      await store.migrate();
      // Two rounds of commits, each followed by a wait for the worker: however slowly the worker
      // starts on a loaded machine, a checkpoint runs during or after each round (with startBytes 1,
      // any commit asks for one), so at least two in all, with commits landing while they run.
      for (let round = 0; round < 2; round++) {
        for (let batch = 0; batch < 10; batch++) {
          const from = (round * 10 + batch) * 500;
          await store.transaction((tx) => tx.upsertTimers(timers(500, from)));
        }
        await walCheckpointerOf(store)?.idle();
      }
      expect(walCheckpointerOf(store)?.checkpoints).toBeGreaterThanOrEqual(2);
      expect(walCheckpointerOf(store)?.failure).toBeUndefined();
    } finally {
      await store.close();
    }
    const reopened = createSqliteStore(file);
    try {
      expect((await reopened.listTimers()).length).toBe(10_000);
    } finally {
      await reopened.close();
    }
  });
});
