// Reassignment through the real engine and store, on every dialect: both decisions are recorded,
// the round-robin counters give the previous owner's count back, the effects name both reps, a
// ladder runs out into the fallback queue, and every refusal is a coded error that writes nothing.
import { describe, expect, it } from 'vitest';
import { poolOnlyConfig } from '../../test/support/configs.ts';
import { DIALECTS } from '../../test/support/dialects.ts';
import { runtime } from '../compose.ts';
import { RevopsError } from '../core/errors.ts';
import type { Store } from '../core/ports.ts';
import { SimulatedClock } from './clock.ts';
import { createEngine } from './engine.ts';

const poolOnly = poolOnlyConfig;

const EMAIL = 'lee@company1.com';
const KEY = `email:${EMAIL}`;
const ROUTED_AT = '2026-11-24T15:01:00Z'; // Tuesday, ISO week 2026-W48
const BREACH_AT = Date.parse('2026-11-24T16:01:00Z');
const REASON = 'sla speed-to-lead breached';
/** The MQL stage's follow-up task, created for the first owner. */
const TASK = `task:${KEY}:mql:${Date.parse(ROUTED_AT)}:1`;

/** A demo request from a fit enough lead: an MQL at once, routed on the spot. */
const DEMO = {
  id: 'demo-1',
  type: 'form_submit',
  at: ROUTED_AT,
  contact: { email: EMAIL, firstName: 'Lee', lastName: 'Number1', seniority: 'vp' },
  company: { name: 'Company 1', employees: 400 },
  properties: { form: 'demo_request' },
};

async function counters(store: Store) {
  return (await store.transaction((tx) => tx.lockRoutingCounters(['general']))).get('general');
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RevopsError) return error.code;
    throw error;
  }
  return 'no error';
}

describe.each(DIALECTS)('reassignment on $name', (dialect) => {
  async function setup(config = poolOnly()) {
    const store = await dialect.open();
    const { engine } = runtime(store, config, new SimulatedClock(Date.parse('2026-11-24T17:00:00Z')));
    return { store, engine };
  }

  it('moves the lead, records both decisions and credits the previous owner', async () => {
    const { store, engine } = await setup();
    try {
      expect((await engine.ingest([DEMO])).accepted).toBe(1);
      expect((await store.listContacts())[0]?.owner).toBe('priya');
      expect(await counters(store)).toEqual({
        period: '2026-W48',
        counts: { priya: 1, leo: 0, sofia: 0 },
        present: ['priya', 'leo', 'sofia'],
      });

      const result = await engine.reassign({ contact: 'Lee@Company1.com', at: BREACH_AT, reason: REASON });
      expect(result).toMatchObject({
        contactKey: KEY,
        email: EMAIL,
        at: BREACH_AT,
        reason: REASON,
        from: 'priya',
        kind: 'assigned',
        owner: 'leo',
        excluded: ['priya'],
        credit: { team: 'general', period: '2026-W48', rep: 'priya', before: 1, after: 0 },
      });

      // Both decisions, the first untouched.
      const rows = await store.listAssignments(KEY);
      expect(rows.map((r) => [r.kind, r.owner, r.team, r.rule, new Date(r.at).toISOString()])).toEqual([
        ['assigned', 'priya', 'general', 'pool', '2026-11-24T15:01:00.000Z'],
        ['assigned', 'leo', 'general', 'pool', '2026-11-24T16:01:00.000Z'],
      ]);
      expect(rows[0]?.trace['reassignment']).toBeUndefined();
      expect(rows[1]?.trace['cause']).toBe('reassign');
      expect(rows[1]?.trace['reassignment']).toEqual({
        from: 'priya',
        reason: REASON,
        note: 'reassigned from priya: sla speed-to-lead breached',
        excluded: ['priya'],
        fairness: 'team general 2026-W48: priya 1 → 0 (the lead was counted this period and never worked)',
        credit: { team: 'general', period: '2026-W48', rep: 'priya', before: 1, after: 0 },
      });

      // Fairness: priya's count given back, leo's pick counted, priya still in rotation.
      expect(await counters(store)).toEqual({
        period: '2026-W48',
        counts: { priya: 0, leo: 1, sofia: 0 },
        present: ['priya', 'leo', 'sofia'],
      });
      const contact = (await store.listContacts())[0];
      expect(contact?.owner).toBe('leo');

      const outbox = (await store.listOutbox()).filter((o) => o.at === BREACH_AT);
      expect(outbox.map((o) => [o.type, o.payload])).toEqual([
        [
          'assigned',
          { to: 'rep:leo', rule: 'pool', team: 'general', reassigned: true, from: 'priya', reason: REASON },
        ],
        ['reassigned', { to: 'rep:priya', reason: REASON, outcome: 'assigned', owner: 'leo', tasks: [TASK] }],
      ]);

      // Priya's follow-up task (due 4 business hours after 10:01 New York: 14:01) goes with the lead,
      // and its due-time reminder now goes to leo.
      const tasks = await store.listTasks();
      expect(
        tasks.map((t) => [t.key, t.title, t.assignee, t.status, new Date(t.dueAt ?? 0).toISOString()]),
      ).toEqual([[TASK, 'Follow up with Lee Number1', 'rep:leo', 'open', '2026-11-24T19:01:00.000Z']]);
      expect(result.tasks.map((t) => t.key)).toEqual([TASK]);
      const reminder = (await store.listTimers()).find((t) => t.key === `task-due:${TASK}`);
      expect(reminder?.payload).toEqual({
        kind: 'task_due',
        task: TASK,
        title: 'Follow up with Lee Number1',
        assignee: 'rep:leo',
      });
      expect(reminder?.dueAt).toBe(Date.parse('2026-11-24T19:01:00Z'));
    } finally {
      await store.close();
    }
  });

  it('a ladder never bounces back and ends in the fallback queue; then there is no owner', async () => {
    const { store, engine } = await setup();
    try {
      await engine.ingest([DEMO]);
      const steps = [];
      for (let i = 1; i <= 3; i++)
        steps.push(
          await engine.reassign({ contact: EMAIL, at: BREACH_AT + i * 60_000, reason: `step ${i}` }),
        );
      expect(steps.map((s) => [s.from, s.kind, s.owner ?? s.queue, s.excluded])).toEqual([
        ['priya', 'assigned', 'leo', ['priya']],
        ['leo', 'assigned', 'sofia', ['leo', 'priya']],
        ['sofia', 'queued', 'inbound', ['sofia', 'leo', 'priya']],
      ]);
      expect((await store.listContacts())[0]?.owner).toBeUndefined();
      expect((await store.listAssignments(KEY)).map((r) => [r.kind, r.owner ?? r.queue])).toEqual([
        ['assigned', 'priya'],
        ['assigned', 'leo'],
        ['assigned', 'sofia'],
        ['queued', 'inbound'],
      ]);
      // Each lost the count of the lead they never worked; nobody holds it now.
      expect((await counters(store))?.counts).toEqual({ priya: 0, leo: 0, sofia: 0 });

      expect(
        await codeOf(engine.reassign({ contact: EMAIL, at: BREACH_AT + 300_000, reason: 'again' })),
      ).toBe('routing.no_owner');
    } finally {
      await store.close();
    }
  });

  it('refuses with coded errors and writes nothing', async () => {
    const { store, engine } = await setup();
    try {
      await engine.ingest([DEMO]);
      const request = { contact: EMAIL, at: BREACH_AT, reason: REASON };
      expect(await codeOf(engine.reassign({ ...request, contact: 'nobody@company1.com' }))).toBe(
        'routing.unknown_contact',
      );
      expect(await codeOf(engine.reassign({ ...request, expectedOwner: 'leo' }))).toBe(
        'routing.owner_changed',
      );
      expect(await codeOf(engine.reassign({ ...request, reason: '  ' }))).toBe('routing.invalid_request');
      expect(await codeOf(engine.reassign({ ...request, exclude: ['lio'] }))).toBe('routing.unknown_rep');
      await expect(engine.reassign({ ...request, exclude: ['lio'] })).rejects.toThrow(
        'cannot exclude `lio`: no such rep in team.reps — did you mean `leo`?',
      );
      expect((await store.listAssignments(KEY)).length).toBe(1);
      expect((await counters(store))?.counts).toEqual({ priya: 1, leo: 0, sofia: 0 });

      // A decision model without routing (nothing in it routes) has nothing to reassign with.
      const { setup: built } = runtime(store, poolOnly(), new SimulatedClock(BREACH_AT));
      const { routing: _none, ...unroutedModel } = built.model;
      const unrouted = createEngine({
        store,
        model: unroutedModel,
        catalog: built.catalog,
        clock: new SimulatedClock(BREACH_AT),
      });
      expect(await codeOf(unrouted.reassign(request))).toBe('routing.not_configured');
    } finally {
      await store.close();
    }
  });

  it('two reassignments of one lead at once take turns: the second sees the first', async () => {
    const pair = await dialect.openPair();
    try {
      const clock = new SimulatedClock(BREACH_AT);
      const [a, b] = pair.stores.map((s) => runtime(s, poolOnly(), clock).engine);
      await a!.ingest([DEMO]);
      const request = { contact: EMAIL, at: BREACH_AT, reason: REASON, expectedOwner: 'priya' };
      const results = pair.stores[0].capabilities.concurrentWriters
        ? await Promise.allSettled([a!.reassign(request), b!.reassign(request)])
        : [
            ...(await Promise.allSettled([a!.reassign(request)])),
            ...(await Promise.allSettled([b!.reassign(request)])),
          ];
      const done = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r) => r.status === 'rejected');
      expect(done.length).toBe(1);
      expect(refused.map((r) => (r.reason as RevopsError).code)).toEqual(['routing.owner_changed']);
      expect((await pair.stores[0].listAssignments(KEY)).map((r) => r.owner)).toEqual(['priya', 'leo']);
    } finally {
      await pair.close();
    }
  });
});
