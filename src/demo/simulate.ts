/**
 * The simulation behind `seedDemoWorkspace`: one agenda of planned marketing events and sales steps,
 * run in time order on a simulated clock through the real engine. Consecutive events go in one
 * transaction; a due timer interrupts (pending events are committed first, since they may stop it,
 * then timers fire at their own due times); a sales step about a lead commits that lead's pending
 * events and reads it back; each midnight every due timer fires and decaying scores are swept. New
 * MQLs are spotted after each commit and handed to the sales side (sales.ts) with the owner the
 * engine chose.
 */
import { createHash } from 'node:crypto';
import { runtime } from '../compose.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import type { Store } from '../core/ports.ts';
import type { ContactState, Millis } from '../core/types.ts';
import { SimulatedClock } from '../engine/clock.ts';
import { Agenda } from './agenda.ts';
import { rawEvent, type DemoEvent } from './events.ts';
import { campaigns, planJourney } from './journeys.ts';
import { Random } from './random.ts';
import type { SalesContext } from './reaction.ts';
import { onMql } from './sales.ts';
import type { SentCounts } from './summary.ts';
import { demoTeam } from './team.ts';
import { DAY } from './time.ts';
import { buildWorld, type DemoPerson } from './world.ts';

/** Most events per engine transaction. */
const BATCH = 250;

export interface DemoProgress {
  /** Simulated days done, of `days`. */
  readonly day: number;
  readonly days: number;
  /** Events sent so far. */
  readonly events: number;
}

export interface SimulationRun {
  readonly seed: number;
  /** The history covers [from, anchor). */
  readonly from: Millis;
  readonly anchor: Millis;
  readonly days: number;
}

/** Runs the whole history into `store`; returns what was sent. Throws if the engine rejects a generated event (a bug) or storage fails. */
export async function simulate(
  store: Store,
  config: RevopsConfig,
  run: SimulationRun,
  onProgress: ((progress: DemoProgress) => void) | undefined,
): Promise<SentCounts> {
  const { seed, from, anchor, days } = run;
  const clock = new SimulatedClock(from);
  const { engine } = runtime(store, config, clock);
  const team = demoTeam(config, seed);
  const world = buildWorld(config, seed, anchor, days);
  const agenda = new Agenda();
  const schedule = (event: DemoEvent) => {
    if (event.at >= from && event.at < anchor) agenda.event(event);
  };
  const sends = campaigns(from, anchor);
  for (const p of world.people)
    for (const e of planJourney(p, Random.derive(seed, `journey:${p.index}`), sends, from)) schedule(e);
  const byEmail = new Map<string, DemoPerson>(world.people.map((p) => [p.email, p]));

  const hash = createHash('sha256');
  const eventTypes: Record<string, number> = {};
  const deals = { created: 0, won: 0, lost: 0 };
  let events = 0;
  let timersFired = 0;
  let batch: Record<string, unknown>[] = [];
  let batchEmails = new Set<string>();
  let latest = from;
  // The earliest pending timer as of the last commit (timers the open batch creates are not in it).
  let due = await store.nextTimerDue();
  const episodes = new Map<string, number>(); // contact key -> MQL handoffs started
  const started = new Set<string>();

  const read = async (emails: readonly string[]): Promise<ContactState[]> =>
    emails.length === 0 ? [] : store.transaction((tx) => tx.findContacts({ emails, externalIds: [] }));

  /** New MQLs among the contacts just written: start their handoff with the owner the engine chose. */
  const observe = async (emails: readonly string[]) => {
    for (const contact of await read(emails)) {
      if (contact.stage !== 'mql' || contact.email === undefined) continue;
      const episode = `${contact.key}@${contact.stageEnteredAt}`;
      const p = byEmail.get(contact.email);
      if (p === undefined || started.has(episode)) continue;
      started.add(episode);
      const n = (episodes.get(contact.key) ?? 0) + 1;
      episodes.set(contact.key, n);
      for (const { at, step } of onMql(p, contact.stageEnteredAt, contact.owner, n, team))
        agenda.step(Math.round(at), p.email, step);
    }
  };

  const flush = async () => {
    if (batch.length === 0) return;
    clock.advanceTo(latest);
    const result = await engine.ingest(batch, { source: 'demo' });
    if (result.accepted !== batch.length) {
      const bad = result.items.find((i) => i.status !== 'accepted');
      throw new Error(`demo: the engine did not accept a generated event: ${JSON.stringify(bad)}`);
    }
    const emails = [...batchEmails];
    batch = [];
    batchEmails = new Set();
    due = await store.nextTimerDue();
    await observe(emails);
  };

  const send = (event: DemoEvent) => {
    events++;
    const raw = rawEvent(`demo-${seed}-${String(events).padStart(6, '0')}`, event);
    hash.update(`${JSON.stringify(raw)}\n`);
    batch.push(raw);
    tally(eventTypes, event.type);
    if (event.type === 'deal') {
      const action = event.properties?.['action'];
      if (action === 'created') deals.created++;
      else if (action === 'closed_won') deals.won++;
      else if (action === 'closed_lost') deals.lost++;
    }
    const email = event.contact['email'];
    if (typeof email === 'string') batchEmails.add(email);
    latest = Math.max(latest, event.at);
  };

  /** Fires every timer due by `until`, each batch at its own due time. */
  const fireUntil = async (until: Millis) => {
    while (due !== undefined && due <= until) {
      clock.advanceTo(due);
      timersFired += await engine.fireDueTimers(due);
      due = await store.nextTimerDue();
    }
  };

  const counts = new Map<string, number>();
  const context = (at: Millis, email: string): SalesContext => ({
    at,
    anchor,
    team,
    lead: async () => (await read([email]))[0],
    approvals: (dealId) => store.listApprovals({ dealId }),
    closed: () => ({ won: deals.won, lost: deals.lost }),
    count: (key) => {
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      return n;
    },
    send: schedule,
    later: (when, step) => {
      if (when < anchor) agenda.step(Math.round(Math.max(when, at)), email, step);
    },
  });

  let midnight = Math.min(from + DAY, anchor);
  let day = 0;
  for (;;) {
    const item = agenda.peek();
    const next = item === undefined ? anchor : Math.min(item.at, anchor);
    if (next >= midnight) {
      // A simulated midnight: everything before it in, its timers fired, scores decayed.
      if (batch.length > 0) {
        await flush();
        continue;
      }
      await fireUntil(midnight);
      clock.advanceTo(midnight);
      await engine.sweepScores(midnight);
      day++;
      onProgress?.({ day, days, events });
      if (midnight >= anchor) break;
      midnight = Math.min(midnight + DAY, anchor);
      continue;
    }
    if (item === undefined) break;
    if (due !== undefined && due <= item.at) {
      // A timer comes first: commit what is pending (it may stop the timer), then fire.
      if (batch.length > 0) await flush();
      else await fireUntil(item.at);
      continue;
    }
    if (item.kind === 'step') {
      // A sales step reads its lead: the lead's pending events are committed first (timers follow).
      if (batchEmails.has(item.email)) {
        await flush();
        continue;
      }
      agenda.pop();
      clock.advanceTo(item.at);
      await item.step(context(item.at, item.email));
      continue;
    }
    agenda.pop();
    send(item.event);
    if (batch.length >= BATCH) await flush();
  }
  return { events, eventsHash: hash.digest('hex'), eventTypes, timersFired, deals };
}

function tally(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}
