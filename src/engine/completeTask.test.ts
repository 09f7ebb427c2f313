/**
 * Completing a task through the engine, on every dialect: the task is done and its overdue reminder
 * gone in one transaction; done twice changes nothing; unknown and cancelled tasks are refused with
 * nothing written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runtime } from '../compose.ts';
import { RevopsError } from '../core/errors.ts';
import type { Store } from '../core/ports.ts';
import { readTemplate } from '../config/templates/index.ts';
import { safeLoadConfigText } from '../config/loader.ts';
import { DIALECTS } from '../../test/support/dialects.ts';
import { DEMO_REQUEST } from '../../test/support/cli.ts';
import { SimulatedClock } from './clock.ts';
import type { Engine } from './engine.ts';

const loaded = safeLoadConfigText(readTemplate('mid-market'));
if (!loaded.ok) throw new Error('mid-market does not load');
const MID_MARKET = loaded.config;

describe.each(DIALECTS)('completeTask on $name', (dialect) => {
  let store: Store;
  let engine: Engine;
  beforeEach(async () => {
    store = await dialect.open();
    engine = runtime(store, MID_MARKET, new SimulatedClock(Date.parse('2026-11-24T15:05:00Z'))).engine;
    await engine.ingest([DEMO_REQUEST]);
  });
  afterEach(() => store.close());

  const reminders = async () =>
    (await store.listTimers()).filter((t) => t.key.startsWith('task-due:')).map((t) => t.key);

  it('marks the task done and cancels its reminder; a second time changes nothing', async () => {
    const [task] = await store.listTasks();
    if (task === undefined) throw new Error('the demo request made no task');
    expect([task.title, task.assignee, task.status]).toEqual([
      'Follow up with Lee Number1',
      'rep:priya',
      'open',
    ]);
    expect(await reminders()).toEqual([`task-due:${task.key}`]);

    const done = await engine.completeTask(task.key);
    expect(done).toEqual({ task: Object.assign({}, task, { status: 'done' }), changed: true });
    expect(await store.listTasks()).toEqual([Object.assign({}, task, { status: 'done' })]);
    expect(await reminders()).toEqual([]);

    const again = await engine.completeTask(task.key);
    expect(again.changed).toBe(false);
    expect(again.task.status).toBe('done');
  });

  it('refuses an unknown key (task.not_found) and a cancelled task (task.not_open), writing nothing', async () => {
    await expect(engine.completeTask('task:nope')).rejects.toMatchObject({ code: 'task.not_found' });
    const [task] = await store.listTasks();
    if (task === undefined) throw new Error('the demo request made no task');
    await store.transaction((tx) =>
      tx.upsertTasks([Object.assign({}, task, { status: 'cancelled' as const })]),
    );
    const refused = engine.completeTask(task.key);
    await expect(refused).rejects.toBeInstanceOf(RevopsError);
    await expect(refused).rejects.toMatchObject({ code: 'task.not_open' });
    expect((await store.listTasks()).map((t) => t.status)).toEqual(['cancelled']);
    expect(await reminders()).toEqual([`task-due:${task.key}`]);
  });
});
