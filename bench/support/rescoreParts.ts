/**
 * The rescore parts of the scoring bench. `rescorePart`: a million cloned contacts (see
 * contactClones.ts) rescored by `engine.rescoreAll` after a change of points and threshold that
 * keeps the memory fingerprint, with where the time went (the store timed call by call, floors for
 * reading, parsing and scoring alone) and checks (every score as of `now`, a sample equal to
 * `scoreContactAt`, mql outbox rows equal to the contacts newly over the threshold).
 * `rebuildPart`: contacts with stored events rescored after a signal changed, so every memory is
 * rebuilt from its events.
 */
import { join } from 'node:path';
import { openMigratedStore, runtime } from '../../src/compose.ts';
import type { RevopsConfig } from '../../src/config/schema/index.ts';
import { scoreContactAt } from '../../src/core/scoring/contactScore.ts';
import { memoryFingerprint } from '../../src/core/scoring/memory.ts';
import { SimulatedClock } from '../../src/engine/clock.ts';
import { generateEvents } from '../../test/support/generateEvents.ts';
import { BATCH, count, HOUR, ingestAll, mib, round, share, type PartResult } from './benchParts.ts';
import { harvestTemplates, writeClones } from './contactClones.ts';
import { batchesOf } from './ingestBreakdown.ts';
import type { ResultRow } from './report.ts';
import { scoreOnly } from './rescoreBreakdown.ts';
import { rssSampler } from './sampling.ts';
import { SqliteInspector } from './sqliteInspect.ts';
import { emptyTimings, storeMs, timedStore, type StoreTimings } from './timedStore.ts';

export const MILLION = 1_000_000;
/** Seconds per million contacts. */
const RESCORE_TARGET_S = 10;
const TEMPLATE_EVENTS = 5000;
/** The engine's default page (`rescoreAll` without `pageSize`), passed explicitly. */
const PAGE_SIZE = 5000;

/** Where a timed store's milliseconds went, by StoreTx method, largest first, plus begin + commit. */
function storeSplit(timings: StoreTimings): Record<string, number> {
  const calls = [...timings.calls]
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]): [string, number] => [name, round(ms)]);
  return { ...Object.fromEntries(calls), 'begin+commit': round(timings.transactionOverheadMs) };
}

function breakdownRows(timings: StoreTimings, totalMs: number, perItem: number, rest: string): ResultRow[] {
  const unit = 'µs/contact';
  const rows: ResultRow[] = [...timings.calls]
    .sort((a, b) => b[1] - a[1])
    .map(([method, ms]) => ({
      name: `    ${method}`,
      value: (ms * 1000) / perItem,
      unit,
      note: `${share(ms, totalMs)} of the pass`,
    }));
  const compute = totalMs - storeMs(timings);
  return [
    ...rows,
    {
      name: '    begin + commit',
      value: (timings.transactionOverheadMs * 1000) / perItem,
      unit,
      note: `${share(timings.transactionOverheadMs, totalMs)}; ${timings.transactions} transaction(s)`,
    },
    {
      name: '    scoring and glue (the rest)',
      value: (compute * 1000) / perItem,
      unit,
      note: `${share(compute, totalMs)}: ${rest}`,
    },
  ];
}

export async function rescorePart(
  dir: string,
  n: number,
  plain: RevopsConfig,
  changed: RevopsConfig,
  seed: number,
): Promise<PartResult> {
  console.log(
    `scoring: rescore: ${count(TEMPLATE_EVENTS)} generated events through the engine for templates…`,
  );
  const templates = await harvestTemplates(plain, [...generateEvents({ events: TEMPLATE_EVENTS, seed })]);
  const at = templates.lastAt + HOUR;
  const path = join(dir, 'rescore.sqlite');
  const store = await openMigratedStore(path);
  const inspect = new SqliteInspector(path);
  try {
    console.log(`scoring: rescore: writing ${count(n)} cloned contacts…`);
    const clones = await writeClones(store, templates, plain.scoring, {
      contacts: n,
      seed,
      maxShiftDays: 30,
      sample: 100,
      batch: 20_000,
      onProgress: (k) => {
        if (k % 200_000 < 20_000) console.log(`scoring: rescore: … ${count(k)} written`);
      },
    });
    const before = inspect.outboxByType();

    console.log(`scoring: rescore: rescoreAll over ${count(n)} contacts…`);
    const timings = emptyTimings();
    const { engine } = runtime(timedStore(store, timings), changed, new SimulatedClock(at));
    const rss = rssSampler();
    let shown = 0;
    const started = performance.now();
    const done = await engine.rescoreAll(at, {
      pageSize: PAGE_SIZE,
      onProgress: (k) => {
        rss.sample();
        if (Math.floor(k / 200_000) > Math.floor(shown / 200_000)) {
          console.log(`scoring: rescore: … ${count(k)} rescored`);
        }
        shown = k;
      },
    });
    const ms = performance.now() - started;
    const peakRss = rss.stop();

    // Checks: every contact carries a score as of `at`; sampled ones equal scoreContactAt's result;
    // the new mql outbox rows are exactly the contacts newly over the threshold.
    const scoring = engine.model.scoring;
    if (scoring === undefined) throw new Error('sales-led has a scoring section');
    const { sampled, accounts } = await store.transaction(async (tx) => {
      const found = await tx.findContacts({ emails: clones.sample, externalIds: [] });
      const domains = found.flatMap((c) => (c.accountDomain === undefined ? [] : [c.accountDomain]));
      return {
        sampled: found,
        accounts: new Map((await tx.findAccounts(domains)).map((a) => [a.domain, a])),
      };
    });
    const wrong = sampled.filter((c) => {
      const account = c.accountDomain === undefined ? undefined : accounts.get(c.accountDomain);
      const expected = scoreContactAt(c, account, scoring, engine.model.isFreeMail, at);
      const s = c.score;
      return (
        s?.at !== at ||
        s.total !== expected.total ||
        s.fit !== expected.fit ||
        s.engagement !== expected.engagement ||
        s.mql !== expected.mql
      );
    });
    const scoredAt = inspect.contactsScoredAt(at);
    const mqlNow = inspect.mqlKeys();
    const newlyMql = [...mqlNow].filter((key) => !clones.mqlKeys.has(key)).length;
    const after = inspect.outboxByType();
    const mqlRows = (after['mql'] ?? 0) - (before['mql'] ?? 0);

    console.log('scoring: rescore: floors (raw read + parse, scoring in memory)…');
    const floor = inspect.readFloor(PAGE_SIZE);
    const firstContacts = await store.listContacts({ limit: 50_000 });
    const domains = firstContacts.flatMap((c) => (c.accountDomain === undefined ? [] : [c.accountDomain]));
    const pageAccounts = await store.transaction((tx) => tx.findAccounts(domains));
    const alone = scoreOnly(firstContacts, pageAccounts, engine.model, at);
    const us = (x: number) => (x * 1000) / done;

    const rows: ResultRow[] = [
      {
        name: `setup: write ${count(n)} cloned contacts (not timed for the target)`,
        value: clones.ms / 1000,
        unit: 's',
        note: `${count(Math.round(n / (clones.ms / 1000)))} contacts/s; ${count(clones.accounts)} accounts; templates: ${templates.accounts.length} accounts, ${templates.contacts} contacts`,
      },
      {
        name: `sqlite: rescoreAll ${count(n)} contacts (points + threshold changed)`,
        value: ms / 1000,
        unit: 's',
        target: { kind: 'max', value: (RESCORE_TARGET_S * n) / MILLION },
        note: `${count(Math.round(done / (ms / 1000)))} contacts/s; ${us(ms).toFixed(1)} µs/contact${n === MILLION ? '' : '; target scaled from 10 s per 1,000,000'}`,
      },
      ...breakdownRows(timings, ms, done, 'applyScore, account roll-ups, building the writes'),
      {
        name: `  floor: SELECT every contact in pages of ${count(PAGE_SIZE)}`,
        value: us(floor.readMs),
        unit: 'µs/contact',
        note: `better-sqlite3 directly, ${(floor.readMs / 1000).toFixed(1)} s`,
      },
      {
        name: '  floor: JSON.parse of those rows',
        value: us(floor.parseMs),
        unit: 'µs/contact',
        note: `${(floor.parseMs / 1000).toFixed(1)} s`,
      },
      {
        name: '  floor: applyScore + roll-up in memory',
        value: (alone.ms * 1000) / firstContacts.length,
        unit: 'µs/contact',
        note: `${count(firstContacts.length)} contacts, no store`,
      },
      {
        name: 'sqlite: rescore peak RSS',
        value: mib(peakRss),
        unit: 'MiB',
        note: 'sampled per page and every 50 ms',
      },
      {
        name: 'sqlite: rescore contacts not scored at `now`',
        value: n - scoredAt,
        unit: 'contacts',
        target: { kind: 'max', value: 0 },
        note: `${count(scoredAt)} of ${count(n)} have score.at = now`,
      },
      {
        name: 'sqlite: rescore sampled scores ≠ scoreContactAt',
        value: wrong.length + (clones.sample.length - sampled.length),
        unit: 'contacts',
        target: { kind: 'max', value: 0 },
        note: `${sampled.length} random contacts compared`,
      },
      {
        name: 'sqlite: rescore mql outbox rows − newly over threshold',
        value: Math.abs(mqlRows - newlyMql),
        unit: 'rows',
        target: { kind: 'max', value: 0 },
        note: `${count(mqlRows)} mql rows written; ${count(newlyMql)} contacts newly MQL; MQLs ${count(clones.mqlKeys.size)} → ${count(mqlNow.size)}`,
      },
    ];
    return {
      rows,
      details: {
        contacts: n,
        accounts: clones.accounts,
        templates: {
          accounts: templates.accounts.length,
          contacts: templates.contacts,
          ingestMs: round(templates.ingestMs),
        },
        setupMs: round(clones.ms),
        rescoreMs: round(ms),
        pageSize: PAGE_SIZE,
        peakRssMiB: round(mib(peakRss)),
        store: storeSplit(timings),
        transactions: timings.transactions,
        floors: {
          readMs: round(floor.readMs),
          parseMs: round(floor.parseMs),
          scoreOnly: { contacts: firstContacts.length, ms: round(alone.ms) },
        },
        outboxBefore: before,
        outboxAfter: after,
        mql: { before: clones.mqlKeys.size, after: mqlNow.size, newly: newlyMql, rowsWritten: mqlRows },
      },
    };
  } finally {
    inspect.close();
    await store.close();
  }
}

export async function rebuildPart(
  dir: string,
  n: number,
  plain: RevopsConfig,
  changed: RevopsConfig,
  seed: number,
): Promise<PartResult> {
  const events = [...generateEvents({ events: n * 10, contacts: n, seed })];
  const at = Date.parse(String(events[events.length - 1]?.['at'])) + HOUR;
  const path = join(dir, 'rebuild.sqlite');
  const store = await openMigratedStore(path);
  const inspect = new SqliteInspector(path);
  try {
    console.log(`scoring: rebuild: ingesting ${count(events.length)} events…`);
    const clock = new SimulatedClock(Date.parse(String(events[0]?.['at'])));
    const ingest = runtime(store, plain, clock).engine;
    const loaded = await ingestAll((b) => ingest.ingest(b), batchesOf(events, BATCH), clock);
    const contacts = (await store.counts()).contacts;

    console.log(`scoring: rebuild: rescoreAll over ${count(contacts)} contacts with a changed signal…`);
    const timings = emptyTimings();
    const { engine } = runtime(timedStore(store, timings), changed, new SimulatedClock(at));
    const started = performance.now();
    const done = await engine.rescoreAll(at, { pageSize: PAGE_SIZE });
    const ms = performance.now() - started;
    const fingerprint = memoryFingerprint(changed.scoring);
    const rebuilt = inspect.contactsWithFingerprint(fingerprint);
    const rows: ResultRow[] = [
      {
        name: `setup: ingest ${count(events.length)} events (sales-led)`,
        value: loaded.accepted / (loaded.ms / 1000),
        unit: 'events/s',
        note: `${(loaded.ms / 1000).toFixed(1)} s; ${count(contacts)} contacts`,
      },
      {
        name: `sqlite: rebuild + rescore ${count(done)} contacts (signal changed)`,
        value: done / (ms / 1000),
        unit: 'contacts/s',
        note: `${(ms / 1000).toFixed(1)} s; ${((ms * 1000) / done).toFixed(0)} µs/contact; ${count(loaded.accepted)} events re-read`,
      },
      ...breakdownRows(timings, ms, done, 'memory rebuilds (observe per event), applyScore, roll-ups'),
      {
        name: 'sqlite: rebuild memories not rebuilt',
        value: contacts - rebuilt,
        unit: 'contacts',
        target: { kind: 'max', value: 0 },
        note: `${count(rebuilt)} carry the new fingerprint ${fingerprint}`,
      },
    ];
    return {
      rows,
      details: {
        events: events.length,
        contacts,
        ingestMs: round(loaded.ms),
        rescoreMs: round(ms),
        store: storeSplit(timings),
        fingerprint,
        rebuilt,
      },
    };
  } finally {
    inspect.close();
    await store.close();
  }
}
