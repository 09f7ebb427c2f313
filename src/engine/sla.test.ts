// SLA clocks through the real engine and store, on every dialect, with the sales-led template's
// clocks: an MQL on Friday 16:30 New York starts them (first touch due Monday 12:30), the
// speed-to-lead ladder escalates at 5, 15 and 30 minutes and reassigns at 60 with a fresh clock for
// the new owner, and a touch stops the ladder, records the lateness and closes the follow-up task.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { runtime } from '../compose.ts';
import { safeLoadConfigText } from '../config/loader.ts';
import { readTemplate } from '../config/templates/index.ts';
import type { Store } from '../core/ports.ts';
import type { SlaClock } from '../core/sla/model.ts';
import { SimulatedClock } from './clock.ts';

const EMAIL = 'zoe@acme-widgets.com';
const KEY = `email:${EMAIL}`;
/** Friday 2026-01-09 16:30 in New York. */
const MQL_AT = '2026-01-09T21:30:00Z';
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

const EVENTS = [
  {
    id: 'e0',
    type: 'identify',
    at: '2026-01-09T21:00:00Z',
    contact: {
      email: EMAIL,
      firstName: 'Zoe',
      lastName: 'Ng',
      title: 'VP Sales',
      seniority: 'vp',
      department: 'sales',
    },
    company: {
      domain: 'acme-widgets.com',
      name: 'Acme Widgets',
      employees: 600,
      industry: 'Software',
      country: 'US',
      state: 'NY',
      techStack: ['hubspot', 'salesforce'],
    },
  },
  {
    id: 'e1',
    type: 'form_submit',
    at: MQL_AT,
    contact: { email: EMAIL },
    properties: { form: 'demo_request' },
  },
];

function salesLed() {
  const loaded = safeLoadConfigText(readTemplate('sales-led'), 'sales-led.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return loaded.config;
}

function clockView(c: SlaClock) {
  return {
    clock: c.clockId,
    owner: c.owner,
    status: c.status,
    startedAt: iso(c.startedAt),
    dueAt: iso(c.dueAt),
    metAt: iso(c.metAt),
    breachedAt: iso(c.breachedAt),
    stoppedAt: iso(c.stoppedAt),
    stopReason: c.stopReason,
    lateMs: c.lateMs,
  };
}

async function clocks(store: Store) {
  return (await store.listClocks({ contactKey: KEY })).map(clockView);
}

async function escalations(store: Store) {
  return (await store.listOutbox())
    .filter((o) => o.type === 'sla_escalation')
    .map((o) => [o.payload['action'], o.payload['to'], iso(o.at)]);
}

describe.each(DIALECTS)('SLA clocks on $name', (dialect) => {
  async function setup() {
    const store = await dialect.open();
    const { engine } = runtime(store, salesLed(), new SimulatedClock(at(MQL_AT)));
    expect((await engine.ingest(EVENTS)).accepted).toBe(2);
    return { store, engine };
  }

  it('starts the MQL clocks in the owner calendar: first touch due Monday 12:30 New York', async () => {
    const { store } = await setup();
    try {
      expect((await store.listContacts())[0]?.owner).toBe('sofia');
      const open = await clocks(store);
      expect(open.map((c) => [c.clock, c.owner, c.status, c.startedAt, c.dueAt])).toEqual([
        ['speed-to-lead', 'sofia', 'open', '2026-01-09T21:30:00.000Z', '2026-01-09T21:35:00.000Z'],
        ['qualification-decision', 'sofia', 'open', '2026-01-09T21:30:00.000Z', '2026-01-11T21:30:00.000Z'],
        ['mql-first-touch', 'sofia', 'open', '2026-01-09T21:30:00.000Z', '2026-01-12T17:30:00.000Z'],
      ]);
      // One timer row per running clock: the first of its ladder (each fired timer schedules the
      // next), here the due time, with step 0 at the same instant after it.
      const slaTimers = (await store.listTimers()).filter((t) => t.key.startsWith('sla:'));
      expect(
        slaTimers.map((t) => [t.key.replace(/^sla:[^:]+:[^:]+:/, '').replace(/:\d+:/, ':'), iso(t.dueAt)]),
      ).toEqual([
        ['speed-to-lead:due', '2026-01-09T21:35:00.000Z'],
        ['qualification-decision:due', '2026-01-11T21:30:00.000Z'],
        ['mql-first-touch:due', '2026-01-12T17:30:00.000Z'],
      ]);
    } finally {
      await store.close();
    }
  });

  it('escalates at 5, 15 and 30 minutes, then reassigns at 60 with a fresh clock', async () => {
    const { store, engine } = await setup();
    try {
      for (const step of ['21:35', '21:45', '22:00'])
        await engine.fireDueTimers(at(`2026-01-09T${step}:00Z`));
      expect(await escalations(store)).toEqual([
        ['notify_rep', 'rep:sofia', '2026-01-09T21:35:00.000Z'],
        ['notify_backup', 'rep:priya', '2026-01-09T21:45:00.000Z'],
        ['notify_manager', 'rep:dan', '2026-01-09T22:00:00.000Z'],
      ]);
      await engine.fireDueTimers(at('2026-01-09T22:30:00Z'));
      expect((await store.listContacts())[0]?.owner).toBe('priya');
      const rows = await store.listAssignments(KEY);
      expect(rows.map((r) => [r.kind, r.owner])).toEqual([
        ['assigned', 'sofia'],
        ['assigned', 'priya'],
      ]);
      const speed = (await clocks(store)).filter((c) => c.clock === 'speed-to-lead');
      expect(speed).toEqual([
        expect.objectContaining({
          owner: 'sofia',
          status: 'breached',
          breachedAt: '2026-01-09T21:35:00.000Z',
          stoppedAt: '2026-01-09T22:30:00.000Z',
          stopReason: 'reassigned',
          lateMs: 55 * 60_000,
        }),
        expect.objectContaining({
          owner: 'priya',
          status: 'open',
          startedAt: '2026-01-09T22:30:00.000Z',
          dueAt: '2026-01-09T22:35:00.000Z',
        }),
      ]);
      // The new owner's ladder runs from the reassignment.
      await engine.fireDueTimers(at('2026-01-09T22:35:00Z'));
      expect((await escalations(store)).at(-1)).toEqual([
        'notify_rep',
        'rep:priya',
        '2026-01-09T22:35:00.000Z',
      ]);
    } finally {
      await store.close();
    }
  });

  it('stops at a touch: lateness recorded, the first touch met, the task done, nothing fires after', async () => {
    const { store, engine } = await setup();
    try {
      await engine.fireDueTimers(at('2026-01-09T21:35:00Z'));
      const touch = {
        id: 'e2',
        type: 'rep_activity',
        at: '2026-01-09T21:40:00Z',
        contact: { email: EMAIL },
        properties: { kind: 'call', rep: 'sofia' },
      };
      expect((await engine.ingest([touch])).accepted).toBe(1);
      await engine.fireDueTimers(at('2026-01-10T23:00:00Z'));
      expect(await escalations(store)).toEqual([['notify_rep', 'rep:sofia', '2026-01-09T21:35:00.000Z']]);
      const byId = new Map((await clocks(store)).map((c) => [c.clock, c]));
      expect(byId.get('speed-to-lead')).toMatchObject({
        status: 'breached',
        breachedAt: '2026-01-09T21:35:00.000Z',
        stoppedAt: '2026-01-09T21:40:00.000Z',
        stopReason: 'touch',
        lateMs: 5 * 60_000,
      });
      expect(byId.get('mql-first-touch')).toMatchObject({ status: 'met', metAt: '2026-01-09T21:40:00.000Z' });
      // A touch does not answer the qualification decision: still running.
      expect(byId.get('qualification-decision')).toMatchObject({ status: 'open' });
      const tasks = await store.listTasks();
      expect(tasks.map((t) => [t.assignee, t.status])).toEqual([['rep:sofia', 'done']]);
      expect((await store.listTimers()).map((t) => t.key).filter((k) => k.startsWith('task-due:'))).toEqual(
        [],
      );
      expect((await store.listOutbox()).filter((o) => o.type === 'task_overdue')).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
