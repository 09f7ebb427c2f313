// Crash safety: a child process ingesting 100k events is killed with SIGKILL at several points
// and restarted with the same file. In the end every event is stored exactly once and the state
// equals an uninterrupted run's.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../src/compose.ts';
import { templatePath } from '../src/config/templates/index.ts';
import { generateNdjson } from './support/generateEvents.ts';

const BIN = new URL('../bin/revops.js', import.meta.url).pathname;
const EVENTS = 100_000;
const dir = mkdtempSync(join(tmpdir(), 'revops-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (db: string) => [
  BIN,
  'ingest',
  'events.ndjson',
  '--config',
  'revops.yaml',
  '--db',
  db,
  '--batch',
  '500',
];

/** Starts an ingest and kills it with SIGKILL after `ms`; resolves with how it ended. */
function killAfter(db: string, ms: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args(db), { cwd: dir, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(signal ?? `exit ${String(code)}`);
    });
  });
}

async function snapshot(db: string) {
  const store = await openMigratedStore(join(dir, db));
  try {
    const events = await store.listEvents();
    return {
      counts: await store.counts(),
      eventIds: new Set(events.map((e) => e.event.id)).size,
      contacts: await store.listContacts(),
      accounts: await store.listAccounts(),
      history: await store.stageHistory(),
      touches: await store.touches(),
      outbox: (await store.listOutbox()).map((o) => o.key),
      tasks: await store.listTasks(),
    };
  } finally {
    await store.close();
  }
}

describe('crash safety of ingest', () => {
  it('stores every event exactly once across SIGKILLs and ends in the same state as an uninterrupted run', async () => {
    writeFileSync(join(dir, 'events.ndjson'), generateNdjson({ events: EVENTS, seed: 7 }));
    copyFileSync(templatePath('mid-market'), join(dir, 'revops.yaml'));

    const started = performance.now();
    const clean = spawnSync(process.execPath, args('clean.db'), {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    const duration = performance.now() - started;
    expect(clean.stderr).toBe('');
    expect(clean.stdout).toMatch(
      new RegExp(`^${EVENTS} events: ${EVENTS} accepted, 0 duplicate, 0 rejected`),
    );

    // Kill points at 15-35% of an uninterrupted run's length (a fixed pseudo-random sequence); each
    // restart skips what is already stored, so every run gets further. Up to eight tries for four kills.
    const endings: string[] = [];
    const shares = [0.22, 0.31, 0.17, 0.26, 0.34, 0.19, 0.28, 0.15];
    for (const share of shares) {
      if (endings.filter((e) => e === 'SIGKILL').length >= 4) break;
      endings.push(await killAfter('crash.db', Math.round(duration * share)));
    }
    expect(endings.filter((e) => e === 'SIGKILL').length).toBeGreaterThanOrEqual(3);
    const finish = spawnSync(process.execPath, args('crash.db'), {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(finish.status).toBe(0);
    expect(finish.stdout).toMatch(new RegExp(`^${EVENTS} events: \\d+ accepted, \\d+ duplicate, 0 rejected`));

    const [a, b] = [await snapshot('clean.db'), await snapshot('crash.db')];
    expect(b.counts.events).toBe(EVENTS);
    expect(b.eventIds).toBe(EVENTS);
    expect(b.counts).toEqual(a.counts);
    expect(b.contacts).toEqual(a.contacts);
    expect(b.accounts).toEqual(a.accounts);
    expect(b.history).toEqual(a.history);
    expect(b.touches).toEqual(a.touches);
    expect(b.outbox).toEqual(a.outbox);
    expect(b.tasks).toEqual(a.tasks);
  }, 600_000);
});
