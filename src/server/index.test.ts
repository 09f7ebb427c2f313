/**
 * The real server on 127.0.0.1 (a free port), over loopback with `fetch`: API keys enforced, an
 * event posted and its lead read back, the timer runner firing the lead's task reminder when the
 * clock passes its due time, and `close` stopping everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMigratedStore } from '../compose.ts';
import { safeLoadConfigText } from '../config/loader.ts';
import { readTemplate } from '../config/templates/index.ts';
import { SimulatedClock } from '../engine/clock.ts';
import { DEMO_REQUEST } from '../../test/support/cli.ts';
import { createApiKey } from './apiKeys.ts';
import { startServer, type RunningServer } from './index.ts';

/** Tuesday 2026-11-24 15:02 UTC: a minute after the demo request. */
const T0 = Date.parse('2026-11-24T15:02:00Z');

let dir: string;
let server: RunningServer | undefined;
/** Bugs the server answered 500: none expected. */
let bugs: unknown[];
/** What the background job passed to `startServer` saw: started with the store, stopped before it closed. */
let job: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revops-server-'));
  bugs = [];
  job = [];
});
afterEach(async () => {
  expect(bugs).toEqual([]);
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function start(clock: SimulatedClock): Promise<RunningServer> {
  const text = readTemplate('mid-market');
  const loaded = safeLoadConfigText(text);
  if (!loaded.ok) throw new Error('template does not load');
  const store = await openMigratedStore(join(dir, 'revops.db'));
  return startServer({
    store,
    config: loaded.config,
    text,
    port: 0,
    clock,
    onBug: (e) => bugs.push(e),
    jobs: [
      (ctx) => {
        job.push(`started on ${ctx.store.description}`);
        return {
          stop: async () => {
            job.push(`stopped with ${(await ctx.store.pendingMigrations()).length} pending migrations`);
          },
        };
      },
    ],
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('startServer', () => {
  it('serves over loopback with keys, fires timers as they come due, and closes cleanly', async () => {
    const clock = new SimulatedClock(T0);
    server = await start(clock);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.docsUrl).toBe(`${server.url}/docs`);
    const { key } = await createApiKey(server.ctx.store, {
      name: 'test',
      scopes: ['ingest', 'read'],
      at: T0,
    });
    const auth = { authorization: `Bearer ${key}` };

    const anonymous = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(DEMO_REQUEST),
    });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('auth.missing_key');
    // Public without a key: health, metrics and the API reference (the UI's own routes included).
    for (const path of ['/healthz', '/readyz', '/metrics', '/docs/json', '/docs/static/index.html'])
      expect([path, (await fetch(`${server.url}${path}`)).status]).toEqual([path, 200]);

    const posted = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: Object.assign({ 'content-type': 'application/json' }, auth),
      body: JSON.stringify(DEMO_REQUEST),
    });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: 0,
      items: [{ index: 0, id: 'demo-1', status: 'accepted', issues: [] }],
    });
    const lee = (await (
      await fetch(`${server.url}/v1/contacts/lee@company1.com`, { headers: auth })
    ).json()) as {
      stage: string;
      owner: string;
      tasks: { key: string; dueAt: string; status: string }[];
    };
    expect([lee.stage, lee.owner]).toEqual(['mql', 'priya']);
    const [task] = lee.tasks;
    expect(task?.status).toBe('open');
    const reminder = `task-due:${task?.key ?? ''}`;
    expect((await server.ctx.store.listTimers()).map((t) => t.key)).toContain(reminder);

    // Past the task's due time: the runner (polling every 250 ms at most) fires its reminder.
    clock.advanceTo(Date.parse(task?.dueAt ?? '') + 60_000);
    const timers = await until(
      () => server?.ctx.store.listTimers() ?? Promise.resolve([]),
      (list) => !list.some((t) => t.key === reminder),
    );
    expect(timers.map((t) => t.key)).not.toContain(reminder);
    const overdue = (await server.ctx.store.listOutbox()).filter((o) => o.type === 'task_overdue');
    expect(overdue.map((o) => [o.contactKey, o.payload])).toEqual([
      ['email:lee@company1.com', { to: 'rep:priya', task: task?.key, title: 'Follow up with Lee Number1' }],
    ]);

    const { url } = server;
    await server.close();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(job).toEqual([`started on sqlite:${join(dir, 'revops.db')}`, 'stopped with 0 pending migrations']);
    server = undefined;
  });

  it('refuses a port already taken (EADDRINUSE), leaving the store to the caller', async () => {
    server = await start(new SimulatedClock(T0));
    const port = Number(new URL(server.url).port);
    const text = readTemplate('mid-market');
    const loaded = safeLoadConfigText(text);
    if (!loaded.ok) throw new Error('template does not load');
    const store = await openMigratedStore(':memory:');
    await expect(
      startServer({ store, config: loaded.config, text, port, timers: false }),
    ).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
    expect(await store.pendingMigrations()).toEqual([]);
    await store.close();
  });
});
