/**
 * `GET /v1/tasks`, `POST /v1/tasks/{key}/complete` and `GET /v1/sla` over the shipped examples:
 * Ava's follow-up task (Priya's, due 2026-11-02 18:12Z) and her three SLA clocks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiServer, EXAMPLE_EVENTS, type ApiServer } from '../../../test/support/apiServer.ts';

let api: ApiServer;
beforeEach(async () => {
  api = await apiServer();
  const res = await api.post('/v1/events', EXAMPLE_EVENTS);
  if (res.statusCode !== 200) throw new Error(res.body);
});
afterEach(async () => {
  expect(api.bugs).toEqual([]);
  await api.close();
});

interface TaskPage {
  items: { key: string; title: string; assignee: string; status: string; overdue: boolean }[];
  nextCursor: string | null;
}
const tasks = async (query = '') => JSON.parse((await api.get(`/v1/tasks${query}`)).body) as TaskPage;
const complete = (key: string, headers: Record<string, string> = {}) =>
  api.app.inject({ method: 'POST', url: `/v1/tasks/${encodeURIComponent(key)}/complete`, headers });

describe('tasks', () => {
  it('lists open tasks by assignee or contact', async () => {
    const open = await tasks();
    expect(open.items.map((t) => [t.title, t.assignee, t.status, t.overdue])).toEqual([
      ['Follow up with Ava Chen', 'rep:priya', 'open', true],
    ]);
    expect(open.nextCursor).toBeNull();
    expect((await tasks('?assignee=priya')).items).toHaveLength(1);
    expect((await tasks('?assignee=rep:leo')).items).toHaveLength(0);
    expect((await tasks('?contact=ava.chen@northwind.io')).items).toHaveLength(1);
    expect((await tasks('?contact=ben.ortiz@northwind.io')).items).toHaveLength(0);
    expect((await tasks('?status=done')).items).toHaveLength(0);
  });

  it('completes a task and cancels its overdue reminder in one go; again changes nothing', async () => {
    const [task] = (await tasks()).items;
    const key = task?.key ?? '';
    expect((await api.store.listTimers()).map((t) => t.key)).toContain(`task-due:${key}`);

    const done = await complete(key, { 'content-type': 'application/json' });
    expect(done.statusCode).toBe(200);
    expect(JSON.parse(done.body)).toEqual({
      task: {
        key,
        contact: 'email:ava.chen@northwind.io',
        title: 'Follow up with Ava Chen',
        assignee: 'rep:priya',
        dueAt: '2026-11-02T18:12:00.000Z',
        createdAt: '2026-11-02T14:12:00.000Z',
        status: 'done',
        overdue: false,
      },
      changed: true,
    });
    expect((await api.store.listTimers()).map((t) => t.key)).not.toContain(`task-due:${key}`);
    expect((await tasks()).items).toEqual([]);
    expect((await tasks('?status=done')).items.map((t) => t.key)).toEqual([key]);

    const again = await complete(key);
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body)).toMatchObject({ task: { status: 'done' }, changed: false });
  });

  it('answers 404 task.not_found for an unknown key and 409 task.not_open for a cancelled task', async () => {
    const missing = await complete('task:nope');
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({
      error: { code: 'task.not_found', message: 'no task with the key `task:nope`' },
    });
    const [task] = (await tasks()).items;
    const [row] = await api.store.listTasks({ status: 'open' });
    if (row === undefined || task === undefined) throw new Error('no open task');
    await api.store.transaction((tx) =>
      tx.upsertTasks([Object.assign({}, row, { status: 'cancelled' as const })]),
    );
    const cancelled = await complete(task.key);
    expect(cancelled.statusCode).toBe(409);
    expect(JSON.parse(cancelled.body)).toMatchObject({ error: { code: 'task.not_open' } });
    expect((await api.store.listTasks({ status: 'cancelled' })).map((t) => t.key)).toEqual([task.key]);
  });

  it('pages through every status with status=all', async () => {
    const [row] = await api.store.listTasks();
    if (row === undefined) throw new Error('no task');
    await api.store.transaction((tx) =>
      tx.upsertTasks([
        Object.assign({}, row, { key: 'task:extra-1', status: 'done' as const }),
        Object.assign({}, row, { key: 'task:extra-2', status: 'cancelled' as const }),
      ]),
    );
    const first = await tasks('?status=all&limit=2');
    // Same creation time: key order (`task:email:…` before `task:extra-…`).
    expect(first.items.map((t) => t.key)).toEqual([row.key, 'task:extra-1']);
    const second = await tasks(`?status=all&limit=2&cursor=${first.nextCursor ?? ''}`);
    expect([second.items.map((t) => t.key), second.nextCursor]).toEqual([['task:extra-2'], null]);
  });
});

interface ClockPage {
  items: { clock: string; status: string; running: boolean; dueAt: string; breachedAt: string | null }[];
  nextCursor: string | null;
}
const clocks = async (query = '') => {
  const res = await api.get(`/v1/sla${query}`);
  if (res.statusCode !== 200) throw new Error(res.body);
  return JSON.parse(res.body) as ClockPage;
};

describe('GET /v1/sla', () => {
  it('lists running clocks earliest due first, paged, by contact', async () => {
    const all = await clocks();
    expect(all.items.map((c) => [c.clock, c.status, c.dueAt])).toEqual([
      ['speed-to-lead', 'open', '2026-11-02T14:17:00.000Z'],
      ['mql-first-touch', 'open', '2026-11-02T21:00:00.000Z'],
      ['qualification-decision', 'open', '2026-11-04T14:12:00.000Z'],
    ]);
    const first = await clocks('?limit=2');
    expect(first.items.map((c) => c.clock)).toEqual(['speed-to-lead', 'mql-first-touch']);
    const rest = await clocks(`?limit=2&cursor=${first.nextCursor ?? ''}`);
    expect([rest.items.map((c) => c.clock), rest.nextCursor]).toEqual([['qualification-decision'], null]);
    expect((await clocks('?contact=ava.chen@northwind.io')).items).toHaveLength(3);
    expect((await clocks('?contact=ben.ortiz@northwind.io')).items).toHaveLength(0);
    expect((await clocks('?status=met')).items).toHaveLength(0);
  });

  it('shows a breached clock as still running until a stop signal ends it', async () => {
    await api.ctx.workspace.current().runtime.engine.fireDueTimers(Date.parse('2026-11-02T14:18:00Z'));
    const breached = await clocks('?status=breached');
    expect(breached.items.map((c) => [c.clock, c.running, c.breachedAt])).toEqual([
      ['speed-to-lead', true, '2026-11-02T14:17:00.000Z'],
    ]);
    expect((await clocks()).items.map((c) => c.clock)).toEqual([
      'speed-to-lead',
      'mql-first-touch',
      'qualification-decision',
    ]);
    expect((await clocks('?status=all')).items).toHaveLength(3);
  });
});
