/**
 * Metrics latency: `GET /v1/metrics/{area}` and the dashboard views as computed today — every
 * request reads what its area needs from the store and computes it in memory
 * (src/engine/metricsInput.ts) — on two SQLite databases:
 *
 * 1. the demo workspace (`revops demo`: 90 days, ~1,700 contacts, pushed through the engine);
 * 2. a synthetic one of BENCH_METRICS_CONTACTS contacts (default 100,000) over 180 days with the
 *    rows the metrics read written straight through the store's upsert/append methods (not the
 *    engine): stage history, rep touches, routing decisions, SLA clocks, deals — about 10 rows per
 *    contact, ~1M in all.
 *
 * Demo: every area and view end to end (read + compute, the last 90 days, `areaReport` /
 * `viewReport`), median of 3 after a warm-up. Large: each store read alone; the compute of every
 * area and view alone, on everything the store holds already in memory (an upper bound: the light
 * areas — pipeline, sla, routing — then also index contacts, history and touches they never read);
 * end to end for routing (the lightest) and the sales view (the heaviest); the others estimated as
 * the reads of the parts they need plus their compute. The target (1M leads / 10M events
 * answered in ≤ 1 s on SQLite) is checked on a linear projection of the slowest to 1M contacts.
 *
 *   npm run bench -- metrics
 *   BENCH_METRICS_CONTACTS=20000 BENCH_METRICS_DEMO=0 npm run bench -- metrics   # smaller, no demo
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedStore } from '../src/compose.ts';
import { engineSetup } from '../src/config/engineModel.ts';
import { metricsModel } from '../src/config/metricsModel.ts';
import type { RevopsConfig } from '../src/config/schema/index.ts';
import {
  computeArea,
  computeView,
  METRICS_AREAS,
  METRICS_VIEWS,
  type MetricsArea,
  type MetricsInput,
  type MetricsViewName,
} from '../src/core/metrics/index.ts';
import type { DealState } from '../src/core/pipeline/types.ts';
import type { AssignmentRow, Store } from '../src/core/ports.ts';
import type { SlaClock } from '../src/core/sla/model.ts';
import type { ContactState, StageChange, Touch } from '../src/core/types.ts';
import { demoConfig, seedDemoWorkspace } from '../src/demo/index.ts';
import {
  AREA_NAMES,
  areaReport,
  metricsParts,
  viewReport,
  type MetricsSetup,
} from '../src/engine/metricsInput.ts';
import { machineInfo } from './support/machine.ts';
import { report, type ResultRow } from './support/report.ts';

const CONTACTS = Number(process.env['BENCH_METRICS_CONTACTS'] ?? 100_000);
const WITH_DEMO = process.env['BENCH_METRICS_DEMO'] !== '0';
const TARGET_CONTACTS = 1_000_000;
const TARGET_MS = 1_000;
const DAY = 86_400_000;
const MINUTE = 60_000;
/** The synthetic history ends here; "now" for every measurement. */
export const NOW = Date.parse('2026-11-27T00:00:00Z');
const SPAN_DAYS = 180;
const CHUNK = 5_000;
const DEMO_RUNS = 3;

type Target = { readonly area: MetricsArea } | { readonly view: MetricsViewName };
const TARGETS: readonly Target[] = [
  ...METRICS_AREAS.map((area) => ({ area })),
  ...METRICS_VIEWS.map((view) => ({ view })),
];
/** Measured end to end on the large database: routing (the lightest) and the sales view (the heaviest). */
const E2E_TARGETS: readonly Target[] = [{ area: 'routing' }, { view: 'sales' }];
const nameOf = (t: Target) => ('area' in t ? AREA_NAMES[t.area] : `views/${t.view}`);

function setupOf(config: RevopsConfig): MetricsSetup {
  const calendar = engineSetup(config).calendar;
  return { model: metricsModel(config, calendar), timezone: calendar.spec.timezone };
}

async function endToEnd(store: Store, setup: MetricsSetup, target: Target): Promise<number> {
  const started = performance.now();
  if ('area' in target) await areaReport(store, setup, target.area, {}, NOW);
  else await viewReport(store, setup, target.view, {}, NOW);
  return performance.now() - started;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? NaN;
};

// ---- the synthetic workspace

/** mulberry32: a small seeded generator, so every run writes the same database. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOURCES = ['organic', 'paid_search', 'webinar', 'content', 'referral', 'events'];
const OWNERS = ['priya', 'leo', 'sofia', 'jonas'];
const MQL_CLOCKS = [
  ['speed-to-lead', 'Speed to lead', 5 * MINUTE],
  ['mql-first-touch', 'MQL first contact attempt', 4 * 60 * MINUTE],
  ['qualification-decision', 'MQL qualification decision', 48 * 60 * MINUTE],
] as const;
const DEAL_STAGES = ['qualified', 'discovery', 'demo', 'proposal', 'negotiation'];

interface Batch {
  contacts: ContactState[];
  history: StageChange[];
  touches: Touch[];
  assignments: AssignmentRow[];
  clocks: SlaClock[];
  deals: DealState[];
}

function clock(
  key: string,
  id: readonly [string, string, number],
  owner: string,
  at: number,
  touchAt: number | undefined,
): SlaClock {
  const [clockId, name, target] = id;
  const dueAt = at + target;
  const met = touchAt !== undefined && touchAt <= dueAt;
  const base = {
    key: `sla:${key}:${clockId}:${at}`,
    contactKey: key,
    clockId,
    name,
    owner,
    startedAt: at,
    dueAt,
    target: `${target / MINUTE}m`,
    business: false,
    timezone: 'America/New_York',
    startStage: 'mql',
    cause: `bench-${key}`,
    steps: [],
    updatedAt: touchAt ?? dueAt,
  };
  if (met)
    return Object.assign(base, {
      status: 'met' as const,
      stoppedAt: touchAt,
      stopReason: 'touch',
      metAt: touchAt,
    });
  if (dueAt > NOW) return Object.assign(base, { status: 'open' as const });
  return Object.assign(base, {
    status: 'breached' as const,
    breachedAt: dueAt,
    lateMs: (touchAt ?? NOW) - dueAt,
    lateWallMs: (touchAt ?? NOW) - dueAt,
    ...(touchAt === undefined ? {} : { stoppedAt: touchAt, stopReason: 'touch' }),
  });
}

/** Contact `i` and everything the metrics read about it. */
function person(i: number, rnd: () => number, into: Batch): void {
  const key = `email:person${i}@company${i % 20_000}.example`;
  const created = NOW - SPAN_DAYS * DAY + Math.floor(rnd() * SPAN_DAYS * DAY);
  const source = SOURCES[Math.floor(rnd() * SOURCES.length)] as string;
  const owner = OWNERS[i % OWNERS.length] as string;
  const change = (from: string | undefined, to: string, at: number, reason = 'bench') =>
    into.history.push(
      Object.assign(
        { contactKey: key, to, at, cause: `bench-${i}`, reason },
        from === undefined ? {} : { from },
      ),
    );
  let stage = 'lead';
  let at = created;
  change(undefined, 'subscriber', at);
  change('subscriber', 'lead', at + 1);
  // Reps touch an MQL 3 to 15 times from its first touch on, and a lead now and then (~4 a contact).
  const mql = rnd() < 0.3;
  let owned: string | undefined;
  if (mql) {
    at += Math.floor(rnd() * 20 * DAY);
    change('lead', 'mql', at);
    stage = 'mql';
    owned = owner;
    into.assignments.push({
      contactKey: key,
      kind: 'assigned',
      owner,
      team: 'general',
      rule: 'round-robin',
      at,
      trace: {},
    });
    const firstTouch = rnd() < 0.9 ? at + Math.floor(rnd() * rnd() * 2 * DAY) : undefined;
    for (const id of MQL_CLOCKS) into.clocks.push(clock(key, id, owner, at, firstTouch));
    const touches = firstTouch === undefined ? 0 : 3 + Math.floor(rnd() * 13);
    for (let t = 0; t < touches; t++)
      into.touches.push({
        contactKey: key,
        at: (firstTouch as number) + t * DAY,
        kind: 'call',
        rep: owner,
        eventId: `bench-t-${i}-${t}`,
      });
    const decided = at + DAY + Math.floor(rnd() * 3 * DAY);
    const roll = rnd();
    if (roll < 0.4 && decided < NOW) {
      change('mql', 'sql', decided);
      stage = 'sql';
      if (rnd() < 0.5 && decided + 3 * DAY < NOW) {
        const opened = decided + 3 * DAY;
        change('sql', 'opportunity', opened);
        stage = 'opportunity';
        const close = opened + Math.floor(rnd() * 60 * DAY);
        const outcome: DealState['status'] = close >= NOW ? 'open' : rnd() < 0.3 ? 'won' : 'lost';
        if (outcome === 'won') {
          change('opportunity', 'customer', close);
          stage = 'customer';
        }
        const moves = DEAL_STAGES.slice(0, 1 + Math.floor(rnd() * DEAL_STAGES.length)).map((to, n, all) => ({
          from: n === 0 ? undefined : all[n - 1],
          to,
          at: opened + n * DAY,
          cause: `bench-${i}`,
          skipped: [],
        }));
        const last = moves[moves.length - 1];
        const history =
          outcome === 'open'
            ? moves
            : [
                ...moves,
                {
                  from: last?.to,
                  to: outcome === 'won' ? 'closed_won' : 'closed_lost',
                  at: close,
                  cause: `bench-${i}`,
                  skipped: [],
                },
              ];
        into.deals.push(
          Object.assign(
            {
              id: `d-${i}`,
              pipeline: 'new-business',
              stage: history[history.length - 1]?.to ?? 'qualified',
              status: outcome,
              account: `company${i % 20_000}.example`,
              owner,
              amount: 6_000 + Math.floor(rnd() * 30) * 1_000,
              currency: 'USD',
              closeDate: new Date(close).toISOString().slice(0, 10),
              source,
              contacts: [{ contactKey: key, role: 'primary' }],
              fields: {},
              createdAt: opened,
              updatedAt: Math.min(close, NOW),
              stageEnteredAt: history[history.length - 1]?.at ?? opened,
              history: history.map((m) =>
                Object.assign(
                  { to: m.to, at: m.at, cause: m.cause, skipped: m.skipped },
                  m.from === undefined ? {} : { from: m.from },
                ),
              ),
              pushes: [],
              flags: { skipped: [], forecastReview: false },
            },
            outcome === 'open' ? {} : { closedAt: close },
          ),
        );
      }
    } else if (roll < 0.55 && decided < NOW) {
      change('mql', 'recycled', decided, 'sales_decision reject FIT-01 (Company too small): nurture');
      stage = 'recycled';
    }
  } else {
    for (let t = 0; t < 4; t++)
      if (rnd() < 0.5)
        into.touches.push({
          contactKey: key,
          at: created + (t + 1) * DAY,
          kind: 'email',
          eventId: `bench-t-${i}-${t}`,
        });
  }
  const stageAt = into.history[into.history.length - 1]?.at ?? created;
  into.contacts.push(
    Object.assign(
      {
        key,
        email: key.slice(6),
        accountDomain: `company${i % 20_000}.example`,
        attributes: { source: { value: source, at: created, eventId: `bench-${i}`, source: 'bench' } },
        companyAttributes: {},
        stage,
        stageEnteredAt: stageAt,
        flags: [],
        createdAt: created,
        updatedAt: stageAt,
        eventCount: 10,
      },
      owned === undefined ? {} : { owner: owned },
    ),
  );
}

/**
 * Writes `contacts` synthetic contacts and their rows through the store (not the engine), 5,000 per
 * transaction; returns the row counts by part. `bench/metricFacts.bench.ts` shares it.
 */
export async function writeSynthetic(
  store: Store,
  contacts: number = CONTACTS,
  onChunk?: (done: number) => void,
): Promise<Record<string, number>> {
  const rnd = random(7);
  const totals: Record<string, number> = {
    contacts: 0,
    history: 0,
    touches: 0,
    assignments: 0,
    clocks: 0,
    deals: 0,
  };
  for (let from = 0; from < contacts; from += CHUNK) {
    const batch: Batch = { contacts: [], history: [], touches: [], assignments: [], clocks: [], deals: [] };
    for (let i = from; i < Math.min(contacts, from + CHUNK); i++) person(i, rnd, batch);
    await store.transaction(async (tx) => {
      await tx.upsertContacts(batch.contacts);
      await tx.appendStageHistory(batch.history);
      await tx.appendTouches(batch.touches);
      await tx.appendAssignments(batch.assignments);
      await tx.upsertClocks(batch.clocks);
      await tx.upsertDeals(batch.deals);
    });
    for (const [k, rows] of Object.entries(batch)) totals[k] = (totals[k] ?? 0) + (rows as unknown[]).length;
    onChunk?.(Math.min(contacts, from + CHUNK));
  }
  return totals;
}

/** Runs every area and view twice on the first 2,000 contacts' rows, so the timed runs are compiled code. */
function warm(input: MetricsInput, setup: MetricsSetup, query: { from: number; to: number }): void {
  const keys = new Set(input.contacts.slice(0, 2_000).map((c) => c.key));
  const mine = <T extends { readonly contactKey: string }>(rows: readonly T[]) =>
    rows.filter((r) => keys.has(r.contactKey));
  const slice: MetricsInput = {
    contacts: input.contacts.slice(0, 2_000),
    history: mine(input.history),
    touches: mine(input.touches),
    assignments: mine(input.assignments),
    clocks: mine(input.clocks),
    deals: input.deals.slice(0, 200),
    approvals: [],
  };
  for (let round = 0; round < 2; round++)
    for (const target of TARGETS)
      if ('area' in target) computeArea(target.area, slice, setup.model, query, NOW);
      else computeView(target.view, slice, setup.model, query, NOW);
}

// ---- the run

export async function run(): Promise<void> {
  const machine = machineInfo();
  const dir = mkdtempSync(join(tmpdir(), 'revops-bench-metrics-'));
  const rows: ResultRow[] = [];
  const details: Record<string, unknown> = {};
  const { config, text } = demoConfig();
  const setup = setupOf(config);
  try {
    if (WITH_DEMO) {
      const store = await openMigratedStore(join(dir, 'demo.db'));
      try {
        console.log('metrics: seeding the demo workspace (90 days, through the engine)…');
        const started = performance.now();
        const { summary } = await seedDemoWorkspace({ store, config, text, anchor: NOW });
        details['demoSeedSeconds'] = Math.round((performance.now() - started) / 100) / 10;
        const counts = await store.counts();
        details['demo'] = {
          counts,
          summaryContacts: (summary as unknown as { contacts?: unknown }).contacts,
        };
        const perTarget: Record<string, number> = {};
        for (const target of TARGETS) {
          await endToEnd(store, setup, target); // warm
          const times: number[] = [];
          for (let r = 0; r < DEMO_RUNS; r++) times.push(await endToEnd(store, setup, target));
          perTarget[nameOf(target)] = median(times);
        }
        details['demoMedianMs'] = perTarget;
        const worst = Math.max(...Object.values(perTarget));
        for (const [name, ms] of Object.entries(perTarget))
          rows.push({
            name: `demo: ${name}`,
            value: ms,
            unit: 'ms',
            note: `median of ${DEMO_RUNS}, last 90 days`,
          });
        rows.push({
          name: 'demo: slowest area or view',
          value: worst,
          unit: 'ms',
          target: { kind: 'max', value: TARGET_MS },
          note: `${counts.contacts.toLocaleString('en-US')} contacts, ${counts.events.toLocaleString('en-US')} events`,
        });
      } finally {
        await store.close();
      }
    }

    const file = join(dir, 'large.db');
    const store = await openMigratedStore(file);
    try {
      console.log(`metrics: writing ${CONTACTS.toLocaleString('en-US')} synthetic contacts and their rows…`);
      const writeStarted = performance.now();
      const totals = await writeSynthetic(store);
      const writeSeconds = (performance.now() - writeStarted) / 1000;
      const allRows = Object.values(totals).reduce((n, v) => n + v, 0);
      details['large'] = {
        totals,
        rows: allRows,
        writeSeconds: Math.round(writeSeconds * 10) / 10,
        fileMiB: Math.round(
          (statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0)) / 1048576,
        ),
      };
      console.log(
        `metrics: ${allRows.toLocaleString('en-US')} rows in ${writeSeconds.toFixed(1)} s; measuring…`,
      );
      const scale = TARGET_CONTACTS / CONTACTS;
      const size = `${CONTACTS.toLocaleString('en-US')} contacts, ${allRows.toLocaleString('en-US')} rows`;

      // Each store read alone: what a request pays for each part it needs (the file is in the OS
      // cache after the writes, as on a server that runs).
      const query = { from: NOW - 90 * DAY, to: NOW };
      const readMs: Record<string, number> = {};
      const timed = async <T>(part: string, read: () => Promise<T>): Promise<T> => {
        const started = performance.now();
        const found = await read();
        readMs[part] = performance.now() - started;
        return found;
      };
      // Everything the store holds, untrimmed: the same numbers as the trimmed reads
      // (src/engine/metricsInput.test.ts), a little more to compute.
      const input: MetricsInput = {
        contacts: await timed('contacts', () => store.listContacts()),
        history: await timed('history', () => store.stageHistory()),
        touches: await timed('touches', () => store.touches()),
        assignments: await timed('assignments', () => store.listAssignments()),
        clocks: await timed('clocks', () => store.listClocks()),
        deals: await timed('deals', () => store.listDeals()),
        approvals: [],
      };
      details['largeReadMs'] = readMs;
      for (const [part, ms] of Object.entries(readMs))
        rows.push({
          name: `large: read ${part}`,
          value: ms,
          unit: 'ms',
          note: `${(totals[part] ?? 0).toLocaleString('en-US')} rows`,
        });

      // The compute alone, on data in memory, after a warm-up on a slice of it (JIT). Each gets a
      // copy of the input, so each indexes it anew as a request does.
      warm(input, setup, query);
      const computeMs: Record<string, number> = {};
      for (const target of TARGETS) {
        const copy = Object.assign({}, input);
        const started = performance.now();
        if ('area' in target) computeArea(target.area, copy, setup.model, query, NOW);
        else computeView(target.view, copy, setup.model, query, NOW);
        computeMs[nameOf(target)] = performance.now() - started;
      }
      details['largeComputeMs'] = computeMs;

      // End to end (`areaReport` / `viewReport`) for the lightest and the heaviest; the others are
      // estimated as the reads of their parts plus their compute (`est.`).
      const measured: Record<string, number> = {};
      for (const target of E2E_TARGETS) measured[nameOf(target)] = await endToEnd(store, setup, target);
      details['largeEndToEndMs'] = measured;
      const estimates: Record<string, number> = {};
      for (const target of TARGETS) {
        const name = nameOf(target);
        const reads = [...metricsParts(target, {})].reduce((n, part) => n + (readMs[part] ?? 0), 0);
        estimates[name] = reads + (computeMs[name] ?? 0);
        const e2e = measured[name];
        rows.push({
          name: `large: ${name}`,
          value: e2e ?? estimates[name],
          unit: 'ms',
          note: `${e2e === undefined ? 'est. reads + compute; ' : 'measured; '}compute ${Math.round(computeMs[name] ?? NaN)} ms`,
        });
      }
      details['largeEstimatedMs'] = estimates;
      const worst = Math.max(...Object.values(measured));
      rows.push({
        name: `large: slowest, projected to ${TARGET_CONTACTS.toLocaleString('en-US')} contacts`,
        value: worst * scale,
        unit: 'ms',
        target: { kind: 'max', value: TARGET_MS },
        note: `${Math.round(worst)} ms × ${scale} (linear) on ${size}`,
      });
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  report({
    bench: 'metrics',
    title: `Metrics: areas and views end to end on SQLite (demo workspace; ${CONTACTS.toLocaleString('en-US')} synthetic contacts)`,
    machine,
    parameters: {
      contacts: CONTACTS,
      spanDays: SPAN_DAYS,
      demo: WITH_DEMO,
      demoRuns: DEMO_RUNS,
      range: 'last 90 days',
      now: new Date(NOW).toISOString(),
    },
    rows,
    details,
  });
}
