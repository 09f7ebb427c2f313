// The engine spine through the real SQLite store: ingest, idempotency, identity, attributes,
// lifecycle placement, touches, outbox, tasks and timers.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { runtime } from '../compose.ts';
import { DIALECTS } from '../../test/support/dialects.ts';
import { safeLoadConfigText } from '../config/loader.ts';
import { readTemplate } from '../config/templates/index.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import type { Store } from '../core/ports.ts';
import { SimulatedClock } from './clock.ts';

const EXAMPLES = readFileSync(new URL('../../examples/events.ndjson', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Record<string, unknown>);

/** The mid-market template, optionally edited. */
function config(edit: (text: string) => string = (t) => t): RevopsConfig {
  const result = safeLoadConfigText(edit(readTemplate('mid-market')), 'mid-market.yaml');
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'));
  return result.config;
}

const WITH_LEAD_TASK = (text: string) =>
  text.replace(
    '        - { do: sequence, op: enroll, sequence: lead-nurture }',
    "        - { do: sequence, op: enroll, sequence: lead-nurture }\n        - { do: create_task, title: 'Call {contact.name}', due: 4 business hours }",
  );

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

describe.each(DIALECTS)('engine on $name', (dialect) => {
  async function engineFor(cfg: RevopsConfig, start = '2026-11-10T00:00:00Z') {
    store = await dialect.open();
    const clock = new SimulatedClock(Date.parse(start));
    return { ...runtime(store, cfg, clock), clock, store };
  }

  describe('ingest', () => {
    it('accepts good events, rejects bad ones with reasons, and skips a repeated id', async () => {
      const { engine } = await engineFor(config());
      const result = await engine.ingest([
        EXAMPLES[0],
        { id: 'x1', type: 'page_veiw', at: '2026-11-02T10:00:00Z', contact: { email: 'x@northwind.io' } },
        EXAMPLES[0],
        {
          id: 'x2',
          type: 'page_view',
          contact: { email: 'q@northwind.io' },
          properties: { category: 'price' },
        },
      ]);
      expect(result.items.map((i) => [i.index, i.id, i.status])).toEqual([
        [0, 'ev-0001', 'accepted'],
        [1, 'x1', 'rejected'],
        [2, 'ev-0001', 'duplicate'],
        [3, 'x2', 'rejected'],
      ]);
      expect(result.items[1]?.issues).toEqual([
        expect.objectContaining({
          code: 'event.unknown_type',
          path: 'type',
          message: expect.stringContaining('did you mean `page_view`?') as string,
        }),
      ]);
      expect(result.items[3]?.issues?.[0]).toMatchObject({
        code: 'event.invalid_property',
        path: 'properties.category',
      });
      expect((await engine.store.counts()).events).toBe(1);
    });

    it('is idempotent: the same events again change nothing', async () => {
      const { engine, store } = await engineFor(config(WITH_LEAD_TASK));
      const first = await engine.ingest(EXAMPLES);
      expect([first.accepted, first.duplicates, first.rejected]).toEqual([16, 1, 0]);
      const before = await store.counts();
      const outboxBefore = await store.listOutbox();
      const second = await engine.ingest(EXAMPLES);
      expect([second.accepted, second.duplicates, second.rejected]).toEqual([0, 17, 0]);
      expect(await store.counts()).toEqual(before);
      expect(await store.listOutbox()).toEqual(outboxBefore);
    });

    it('answers an id already stored as a duplicate before looking at the rest of the event', async () => {
      const { engine, store } = await engineFor(config());
      await engine.ingest([EXAMPLES[0]]);
      const again = await engine.ingest([{ id: 'ev-0001', type: 'no_such_type' }, EXAMPLES[1]]);
      expect(again.items.map((i) => [i.index, i.id, i.status])).toEqual([
        [0, 'ev-0001', 'duplicate'],
        [1, 'ev-0002', 'accepted'],
      ]);
      expect((await store.counts()).events).toBe(2);
    });

    it('resolves identity: email case-insensitively, accounts by work domain, never for free mail', async () => {
      const { engine, store } = await engineFor(config());
      await engine.ingest(EXAMPLES);
      const contacts = await store.listContacts();
      expect(contacts.map((c) => [c.key, c.accountDomain ?? null])).toEqual([
        ['email:ava.chen@northwind.io', 'northwind.io'],
        ['email:ben.ortiz@northwind.io', 'northwind.io'],
        ['email:carla.m@gmail.com', null],
        ['email:dan.kim@acme-logistics.com', 'acme-logistics.com'],
        ['id:crm-1001', 'globex.example'],
      ]);
      const accounts = await store.listAccounts();
      expect(accounts.map((a) => [a.domain, a.contactCount, a.attributes['name']?.value])).toEqual([
        ['acme-logistics.com', 1, 'Acme Logistics'],
        ['globex.example', 1, 'Globex'],
        ['northwind.io', 2, 'Northwind'],
      ]);
    });

    it('keeps the latest value of each attribute with its provenance, even when an older event arrives late', async () => {
      const { engine, store } = await engineFor(config());
      await engine.ingest(EXAMPLES);
      const ava = (await store.listContacts()).find((c) => c.email === 'ava.chen@northwind.io');
      // ev-0015 (2026-11-01, "Head of Marketing") arrived after ev-0001 (2026-11-02, "VP Marketing").
      expect(ava?.attributes['title']).toEqual({
        value: 'VP Marketing',
        at: Date.parse('2026-11-02T14:05:00Z'),
        eventId: 'ev-0001',
        source: 'web',
      });
      expect(ava?.attributes['phone']).toMatchObject({
        value: '+1 415 555 0134',
        eventId: 'ev-0004',
        source: 'api',
      });
      expect(ava?.eventCount).toBe(6);
      expect(ava?.lastActivityAt).toBe(Date.parse('2026-11-07T12:00:00Z'));
    });

    it('places contacts by the entry criteria and runs the actions of the stage they end in', async () => {
      const { engine, store } = await engineFor(config());
      await engine.ingest(EXAMPLES);
      const stages = Object.fromEntries((await store.listContacts()).map((c) => [c.key, c.stage]));
      expect(stages).toEqual({
        'email:ava.chen@northwind.io': 'mql',
        'email:ben.ortiz@northwind.io': 'lead',
        'email:carla.m@gmail.com': 'subscriber',
        'email:dan.kim@acme-logistics.com': 'lead',
        'id:crm-1001': 'subscriber',
      });
      const history = await store.stageHistory('email:ava.chen@northwind.io');
      expect(history.map((h) => [h.from ?? null, h.to, new Date(h.at).toISOString(), h.cause])).toEqual([
        [null, 'subscriber', '2026-11-02T14:05:00.000Z', 'ev-0001'],
        ['subscriber', 'lead', '2026-11-02T14:05:00.000Z', 'ev-0001'],
        ['lead', 'mql', '2026-11-02T14:12:00.000Z', 'ev-0004'],
      ]);
      expect(history[2]?.reason).toContain('lifecycle.stages[2].entry[0].when');
      expect(history[1]?.reason).toContain('lifecycle.stages[1].entry[0].when');
      const sequences = (await store.listOutbox())
        .filter((o) => o.type === 'sequence')
        .map((o) => [o.contactKey, o.payload['sequence']]);
      expect(sequences).toEqual([
        ['email:ava.chen@northwind.io', 'lead-nurture'],
        ['email:ava.chen@northwind.io', 'lead-nurture'],
        ['email:ben.ortiz@northwind.io', 'lead-nurture'],
        ['email:carla.m@gmail.com', 'newsletter'],
        ['email:dan.kim@acme-logistics.com', 'lead-nurture'],
        ['id:crm-1001', 'newsletter'],
      ]);
    });

    it('scores every event and emits one MQL effect on the upward crossing', async () => {
      const { engine, store } = await engineFor(config());
      await engine.ingest(EXAMPLES);
      const ava = (await store.listContacts()).find((c) => c.email === 'ava.chen@northwind.io');
      // Mid-market fit 15 + 10 + 15 + 10 + 10 = 60 of 60; engagement as of her latest event (account
      // created, 2026-11-07 12:00; the late 2026-11-01 import does not move it back): pricing 15 (no
      // decay within 7 days) + demo 25 = 40 of 80.
      // Total = 0.5 × 100 + 0.5 × 50 = 75 ≥ 65, fit 100% and engagement 50% both ≥ 30%.
      expect(ava?.score).toEqual({
        fit: 60,
        engagement: 40,
        negative: 0,
        total: 75,
        mql: true,
        at: Date.parse('2026-11-07T12:00:00Z'),
      });
      // The pricing visit (2026-11-02 14:07) loses its first 5 points a week later.
      expect(ava?.nextDecayAt).toBe(Date.parse('2026-11-09T14:07:10Z'));
      const mql = (await store.listOutbox()).filter((o) => o.type === 'mql');
      expect(mql.map((o) => [o.contactKey, o.at, o.payload['total']])).toEqual([
        ['email:ava.chen@northwind.io', Date.parse('2026-11-02T14:12:00Z'), 75],
      ]);
    });

    it('sweeps only contacts whose decay step is due, and stores the decayed score', async () => {
      const { engine, store } = await engineFor(config());
      await engine.ingest(EXAMPLES);
      const due = (await store.listContacts())
        .filter((c) => c.nextDecayAt !== undefined)
        .map((c) => [c.key, c.nextDecayAt]);
      // Ava's pricing visit decays a week after 2026-11-02 14:07:10. The others have nothing left to
      // decay, but "no engagement in 30 days" (−10) will start: 30 days after their last activity
      // (Ben's NPS answer 11-09 13:00, Carla's email open 11-05 16:20, Dan's webinar 11-06 17:00), or
      // after creation for a contact with no activity (crm-1001, 11-06 08:00).
      expect(due).toEqual([
        ['email:ava.chen@northwind.io', Date.parse('2026-11-09T14:07:10Z')],
        ['email:ben.ortiz@northwind.io', Date.parse('2026-12-09T13:00:00Z')],
        ['email:carla.m@gmail.com', Date.parse('2026-12-05T16:20:00Z')],
        ['email:dan.kim@acme-logistics.com', Date.parse('2026-12-06T17:00:00Z')],
        ['id:crm-1001', Date.parse('2026-12-06T08:00:00Z')],
      ]);
      expect(await engine.sweepScores(Date.parse('2026-11-09T14:07:09Z'))).toBe(0);
      expect(await engine.sweepScores(Date.parse('2026-11-09T14:07:10Z'))).toBe(1);
      const ava = (await store.listContacts()).find((c) => c.email === 'ava.chen@northwind.io');
      // Pricing 15 → 10: engagement 35 of 80, total 0.5 × 100 + 0.5 × 43.75 = 71.9 → 72, still an MQL.
      expect(ava?.score).toEqual({
        fit: 60,
        engagement: 35,
        negative: 0,
        total: 72,
        mql: true,
        at: Date.parse('2026-11-09T14:07:10Z'),
      });
      expect(ava?.nextDecayAt).toBe(Date.parse('2026-11-16T14:07:10Z'));
      // No second MQL effect: she never dropped below the rule.
      expect((await store.listOutbox()).filter((o) => o.type === 'mql')).toHaveLength(1);
      // A month on, everyone's step has come once: five rescored in one sweep.
      expect(await engine.sweepScores(Date.parse('2026-12-10T00:00:00Z'))).toBe(5);
      const ben = (await store.listContacts()).find((c) => c.email === 'ben.ortiz@northwind.io');
      expect(ben?.score).toMatchObject({ negative: -10, total: 40 });
    });

    it('rescores every contact after a model change, page by page, with MQL effects and roll-ups', async () => {
      const { engine, store } = await engineFor(config());
      await engine.ingest(EXAMPLES);
      // Ben: fit 60 (100%), no engagement, total 50 — under 65, and under engagementMin 30%.
      const looser = runtime(
        store,
        config((t) =>
          t
            .replace(/^ {2}threshold: 65 .*$/m, '  threshold: 50')
            .replace(/^ {2}engagementMin: 30$/m, '  engagementMin: 0'),
        ),
        new SimulatedClock(Date.parse('2026-11-09T13:00:00Z')),
      ).engine;
      const progress: number[] = [];
      expect(await looser.rescoreAll(undefined, { pageSize: 2, onProgress: (n) => progress.push(n) })).toBe(
        5,
      );
      expect(progress).toEqual([2, 4, 5]);
      const ben = (await store.listContacts()).find((c) => c.email === 'ben.ortiz@northwind.io');
      expect(ben?.score).toEqual({
        fit: 60,
        engagement: 0,
        negative: 0,
        total: 50,
        mql: true,
        at: Date.parse('2026-11-09T13:00:00Z'),
      });
      const mql = (await store.listOutbox()).filter((o) => o.type === 'mql').map((o) => [o.contactKey, o.at]);
      expect(mql).toEqual([
        ['email:ava.chen@northwind.io', Date.parse('2026-11-02T14:12:00Z')],
        ['email:ben.ortiz@northwind.io', Date.parse('2026-11-09T13:00:00Z')],
      ]);
      // The handoff carries why, as of the crossing.
      const benMql = (await store.listOutbox()).find(
        (o) => o.type === 'mql' && o.contactKey === 'email:ben.ortiz@northwind.io',
      );
      // Fit 15 + 10 + 15 + 10 + 10 = 60 (from the reference's mid-market table), nothing else.
      expect(benMql?.payload['ledger']).toEqual([
        { rule: 'fit:company-size', label: 'Company size: 50-1,000 employees', points: 15 },
        { rule: 'fit:industry', label: 'Industry: Target industry', points: 10 },
        { rule: 'fit:title', label: 'Job title: Manager to VP', points: 15 },
        { rule: 'fit:geography', label: 'Geography: Target geography', points: 10 },
        { rule: 'fit:complementary-tool', label: 'Tech stack: Uses a complementary tool', points: 10 },
      ]);
      const northwind = (await store.listAccounts()).find((a) => a.domain === 'northwind.io');
      expect(northwind?.score).toMatchObject({ total: 75 + 50 });
      // Nothing to do the second time but rewrite the same scores: no new effect.
      expect(await looser.rescoreAll()).toBe(5);
      expect((await store.listOutbox()).filter((o) => o.type === 'mql')).toHaveLength(2);
    });

    it('rebuilds a memory from the events when a signal changes: on rescore, and on the next event', async () => {
      const { engine, store } = await engineFor(config());
      await engine.ingest(EXAMPLES);
      // The pricing-page signal (15, −5 per week) now counts blog pages: Ben's one blog visit
      // (2026-11-03 09:31), remembered by no signal of the old model, earns it once rebuilt.
      const oneVisit = config((t) =>
        t.replace(
          `when: 'event.properties.category == "pricing"'`,
          `when: 'event.properties.category == "blog"'`,
        ),
      );
      const at = Date.parse('2026-11-09T13:00:00Z');
      const changed = runtime(store, oneVisit, new SimulatedClock(at)).engine;
      expect(await changed.rescoreAll()).toBe(5);
      const ben = (await store.listContacts()).find((c) => c.email === 'ben.ortiz@northwind.io');
      // Under a week old: engagement 15 of 80 → total 0.5 × 100 + 0.5 × 18.75 = 59.4 → 59.
      expect(ben?.score).toMatchObject({ engagement: 15, total: 59 });
      expect(ben?.scoring?.model).toBe(changed.model.scoring?.fingerprint);

      // The same change met first by an event: Ben's memory is rebuilt before the event counts.
      await store.close();
      const { engine: fresh, store: other } = await engineFor(config());
      await fresh.ingest(EXAMPLES);
      const live = runtime(other, oneVisit, new SimulatedClock(at)).engine;
      await live.ingest([
        {
          id: 'later',
          type: 'identify',
          at: '2026-11-09T14:00:00Z',
          contact: { email: 'ben.ortiz@northwind.io' },
        },
      ]);
      const again = (await other.listContacts()).find((c) => c.email === 'ben.ortiz@northwind.io');
      expect(again?.score).toMatchObject({ engagement: 15, total: 59 });
    });

    it('records a rep touch without counting it as the lead’s activity', async () => {
      const { engine, store } = await engineFor(config());
      await engine.ingest(EXAMPLES);
      expect(await store.touches()).toEqual([
        {
          contactKey: 'email:dan.kim@acme-logistics.com',
          at: Date.parse('2026-11-07T15:30:00Z'),
          kind: 'call',
          rep: 'ava',
          eventId: 'ev-0014',
        },
      ]);
      const dan = (await store.listContacts()).find((c) => c.email === 'dan.kim@acme-logistics.com');
      expect(dan?.lastTouchAt).toBe(Date.parse('2026-11-07T15:30:00Z'));
      expect(dan?.lastActivityAt).toBe(Date.parse('2026-11-06T17:00:00Z'));
    });
  });

  describe('tasks and timers', () => {
    // Friday 2026-11-20 16:30 in New York; 4 business hours (09:00-17:00) later is Monday 12:30.
    const FRIDAY_1630_NY = '2026-11-20T21:30:00Z';
    const MONDAY_1230_NY = '2026-11-23T17:30:00Z';
    const lead = {
      id: 'lead-1',
      type: 'identify',
      at: FRIDAY_1630_NY,
      contact: { email: 'gina@initech.com', firstName: 'Gina', lastName: 'Lopez' },
      company: { name: 'Initech' },
    };

    it('creates the task due in business time and a timer that reminds once when it is overdue', async () => {
      const { engine, store } = await engineFor(config(WITH_LEAD_TASK), FRIDAY_1630_NY);
      await engine.ingest([lead]);
      expect(await store.listTasks()).toEqual([
        expect.objectContaining({
          title: 'Call Gina Lopez',
          assignee: 'unassigned',
          dueAt: Date.parse(MONDAY_1230_NY),
          status: 'open',
        }),
      ]);
      expect((await store.listTimers()).map((t) => [t.dueAt, t.payload['kind']])).toEqual([
        [Date.parse(MONDAY_1230_NY), 'task_due'],
      ]);

      expect(await engine.fireDueTimers(Date.parse(MONDAY_1230_NY) - 1)).toBe(0);
      expect(await engine.fireDueTimers(Date.parse(MONDAY_1230_NY))).toBe(1);
      const overdue = (await store.listOutbox()).filter((o) => o.type === 'task_overdue');
      expect(overdue.map((o) => [o.payload['to'], o.payload['title'], o.at])).toEqual([
        ['unassigned', 'Call Gina Lopez', Date.parse(MONDAY_1230_NY)],
      ]);
      expect(await store.listTimers()).toEqual([]);
      expect(await engine.fireDueTimers(Date.parse(MONDAY_1230_NY) + 3_600_000)).toBe(0);
    });

    it('re-ingesting the same event does not schedule the task or its timer twice', async () => {
      const { engine, store } = await engineFor(config(WITH_LEAD_TASK), FRIDAY_1630_NY);
      await engine.ingest([lead]);
      await engine.ingest([lead]);
      expect(await store.listTasks()).toHaveLength(1);
      expect(await store.listTimers()).toHaveLength(1);
    });
  });
});
