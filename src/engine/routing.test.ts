// Routing through the real engine and store: capacity holds when two engines route at once (on
// PostgreSQL, which has several writers, and on SQLite, whose writers queue), one lead's events
// arriving at once are decided once, and the round-robin spreads a day's leads over the reps.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { runtime } from '../compose.ts';
import { safeLoadConfigText } from '../config/loader.ts';
import { readTemplate } from '../config/templates/index.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import { SimulatedClock } from './clock.ts';

/** Mid-market, every lead to the general pool (Priya 1.2, Leo 1, Sofia 1), each rep one lead a day. */
function onePerDay(): RevopsConfig {
  const text = readTemplate('mid-market')
    .replace(
      /^ {2}rules:\n[\s\S]*?^ {2}fallback:/m,
      '  rules:\n    - { id: pool, name: General pool, to: team:general }\n  fallback:',
    )
    .replaceAll('maxPerDay: 15', 'maxPerDay: 1');
  const loaded = safeLoadConfigText(text, 'mid-market.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return loaded.config;
}

/** A demo request from a fit enough lead (400 employees + VP = 30 of 60 fit ≥ fitMin 30%): an MQL at once. */
function demoRequest(n: number) {
  return {
    id: `demo-${n}`,
    type: 'form_submit',
    at: `2026-11-24T15:${String(n).padStart(2, '0')}:00Z`,
    contact: { email: `lead${n}@company${n}.com`, firstName: 'Lee', lastName: `Number${n}`, seniority: 'vp' },
    company: { name: `Company ${n}`, employees: 400 },
    properties: { form: 'demo_request' },
  };
}

describe.each(DIALECTS)('routing on $name', (dialect) => {
  it('never gives a rep more than their capacity, even when two engines route at once', async () => {
    const pair = await dialect.openPair();
    try {
      const config = onePerDay();
      const clock = new SimulatedClock(Date.parse('2026-11-24T16:00:00Z'));
      const [a, b] = pair.stores.map((store) => runtime(store, config, clock).engine);
      const leads = Array.from({ length: 6 }, (_, i) => demoRequest(i + 1));
      const first = leads.slice(0, 3);
      const second = leads.slice(3);
      // At once on both: PostgreSQL locks, SQLite queues the second writer behind the first.
      await Promise.all([a!.ingest(first), b!.ingest(second)]);
      const assignments = await pair.stores[0].listAssignments();
      const assigned = assignments.filter((x) => x.kind === 'assigned');
      // Three reps, one lead a day each: three assigned, once each; the other three wait in the queue.
      expect(assigned.map((x) => x.owner).sort()).toEqual(['leo', 'priya', 'sofia']);
      expect(assignments.filter((x) => x.kind === 'queued').map((x) => x.queue)).toEqual([
        'inbound',
        'inbound',
        'inbound',
      ]);
      const owners = (await pair.stores[0].listContacts()).map((c) => c.owner ?? null);
      expect(owners.filter((o) => o !== null).sort()).toEqual(['leo', 'priya', 'sofia']);
      // Every skip in the queued leads' traces is the day's capacity.
      const queuedTrace = assignments.find((x) => x.kind === 'queued')?.trace as {
        candidates: { rep: string; status: string; reason?: string }[];
      };
      expect(queuedTrace.candidates.map((c) => [c.rep, c.status, c.reason])).toEqual([
        ['priya', 'skipped', 'at_capacity_day'],
        ['leo', 'skipped', 'at_capacity_day'],
        ['sofia', 'skipped', 'at_capacity_day'],
      ]);
    } finally {
      await pair.close();
    }
  });

  it('decides a lead once when two of its events arrive at the same moment on two engines', async () => {
    const pair = await dialect.openPair();
    try {
      const clock = new SimulatedClock(Date.parse('2026-11-24T16:00:00Z'));
      const [a, b] = pair.stores.map((store) => runtime(store, onePerDay(), clock).engine);
      const demo = demoRequest(1);
      const contactSales = {
        ...demo,
        id: 'sales-1',
        at: '2026-11-24T15:02:00Z',
        properties: { form: 'contact_sales' },
      };
      for (let round = 0; round < 3; round++) {
        const [x, y] = round % 2 === 0 ? [a!, b!] : [b!, a!];
        await Promise.all([
          x.ingest([{ ...demo, id: `demo-${round}` }]),
          y.ingest([{ ...contactSales, id: `sales-${round}` }]),
        ]);
      }
      // One lead, one routing decision, and its owner is the rep that decision chose.
      const assignments = await pair.stores[0].listAssignments();
      expect(assignments.map((x) => x.kind)).toEqual(['assigned']);
      const [contact] = await pair.stores[0].listContacts();
      expect(contact?.owner).toBe(assignments[0]?.owner);
      expect(contact?.eventCount).toBe(6);
    } finally {
      await pair.close();
    }
  });
});
