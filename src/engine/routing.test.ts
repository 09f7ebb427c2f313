// Routing through the real engine and store: capacity holds when two engines route at once (on
// PostgreSQL, which has several writers; SQLite has one writer, so its engines take turns), and
// the round-robin spreads a day's leads over the available reps.
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
      if (pair.stores[0].capabilities.concurrentWriters) {
        await Promise.all([a!.ingest(first), b!.ingest(second)]);
      } else {
        await a!.ingest(first);
        await b!.ingest(second);
      }
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
});
