/**
 * Lead scoring at scale, through the real engine on a SQLite file in WAL mode (as
 * `openMigratedStore(path)` opens it) and, for latency, on PostgreSQL too when `REVOPS_TEST_PG_URL`
 * is set. Four parts, each in its own module under support/:
 *
 * - rescore (rescoreParts.ts): 1,000,000 contacts cloned from contacts the engine scored, rescored
 *   by `engine.rescoreAll` after a points and threshold change that keeps the memory fingerprint
 *   (target ≤ 10 s); checked against `scoreContactAt` and the mql outbox;
 * - rebuild (rescoreParts.ts): 20,000 contacts with their events stored, rescored after a signal
 *   condition changed, so every memory is rebuilt from its events (no target);
 * - latency (scoreLatency.ts): single-event ingests into a store holding 100,000 events, each timed
 *   until a read returns the contact's new score (target p99 ≤ 50 ms);
 * - rules (manyRulesIngest.ts): ingest with 1,000 extra rules against the plain template
 *   (target ≥ 50 % of the plain rate).
 *
 *   npm run bench -- scoring
 *   BENCH_CONTACTS=100000 npm run bench -- scoring          fewer contacts to rescore (default 1,000,000)
 *   BENCH_SCORING_PARTS=latency,rules npm run bench -- scoring   only these parts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTemplate } from '../src/config/templates/index.ts';
import { memoryFingerprint } from '../src/core/scoring/memory.ts';
import { BATCH, count, type PartResult } from './support/benchParts.ts';
import { machineInfo } from './support/machine.ts';
import { EXTRA_RULES, RULES_EVENTS, rulesPart } from './support/manyRulesIngest.ts';
import { report } from './support/report.ts';
import { MILLION, rebuildPart, rescorePart } from './support/rescoreParts.ts';
import { LATENCY_CALLS, LATENCY_PRELOAD, latencyPart } from './support/scoreLatency.ts';
import { loadConfigText, pointsChanged, signalChanged } from './support/scoringConfigs.ts';

const SEED = 13;
const REBUILD_CONTACTS = 20_000;
const PARTS = ['rescore', 'rebuild', 'latency', 'rules'] as const;
type Part = (typeof PARTS)[number];

function contactCount(): number {
  const text = process.env['BENCH_CONTACTS'];
  const n = text === undefined ? MILLION : Number(text);
  if (!Number.isInteger(n) || n < 1000) {
    throw new Error(`BENCH_CONTACTS must be an integer ≥ 1000, got ${text}`);
  }
  return n;
}

function partsToRun(): Set<Part> {
  const text = process.env['BENCH_SCORING_PARTS'];
  if (text === undefined || text.trim() === '') return new Set(PARTS);
  const names = text.split(',').map((s) => s.trim());
  const unknown = names.filter((name) => !(PARTS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown BENCH_SCORING_PARTS ${unknown.join(', ')}; known: ${PARTS.join(', ')}`);
  }
  return new Set(names as Part[]);
}

export async function run(): Promise<void> {
  const machine = machineInfo();
  const n = contactCount();
  const parts = partsToRun();
  const salesLed = readTemplate('sales-led');
  const plain = loadConfigText(salesLed, 'sales-led.yaml');
  const points = loadConfigText(pointsChanged(salesLed), 'sales-led+points.yaml');
  const signal = loadConfigText(signalChanged(salesLed), 'sales-led+signal.yaml');
  if (memoryFingerprint(points.scoring) !== memoryFingerprint(plain.scoring)) {
    throw new Error('the points change must keep the memory fingerprint');
  }
  const rebuildContacts = Math.min(REBUILD_CONTACTS, n);

  const results: Partial<Record<Part, PartResult>> = {};
  const dir = mkdtempSync(join(tmpdir(), 'revops-bench-'));
  try {
    if (parts.has('rescore')) results.rescore = await rescorePart(dir, n, plain, points, SEED);
    if (parts.has('rebuild')) {
      results.rebuild = await rebuildPart(dir, rebuildContacts, plain, signal, SEED + 1);
    }
    if (parts.has('latency')) results.latency = await latencyPart(dir, plain, SEED + 2);
    if (parts.has('rules')) results.rules = await rulesPart(dir, salesLed, SEED + 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const env = ['BENCH_CONTACTS', 'BENCH_SCORING_PARTS']
    .filter((name) => process.env[name] !== undefined)
    .map((name) => `${name}=${process.env[name]} `)
    .join('');
  report({
    bench: 'scoring',
    title: `scoring — rescore ${count(n)} contacts, event-to-score latency, 1,000 extra rules (sales-led template)`,
    machine,
    parameters: {
      command: `${env}npm run bench -- scoring`,
      parts: [...parts],
      contacts: n,
      seed: SEED,
      template: 'sales-led',
      changes: {
        rescore: 'threshold 75 → 70, 500+ employees bucket 20 → 25 points (same memory fingerprint)',
        rebuild: 'pricing-page-2x counts category in ["pricing", "demo"] (new memory fingerprint)',
      },
      rebuildContacts,
      latency: { preload: LATENCY_PRELOAD, calls: LATENCY_CALLS },
      rules: { ...EXTRA_RULES, events: RULES_EVENTS, batch: BATCH },
    },
    rows: PARTS.flatMap((part) => results[part]?.rows ?? []),
    details: Object.fromEntries(
      PARTS.flatMap((part) => (results[part] ? [[part, results[part].details]] : [])),
    ),
  });
}
