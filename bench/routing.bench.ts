/**
 * Lead routing on the sales-led template, two parts:
 *
 * - decision CPU: the pure `route(model, input)` over 1,000 generated leads whose inputs are built up
 *   front, with the template's 5 rules plus 25 generated ones (target ≤ 0.5 µs/lead) and plus 995
 *   (1,000 rules, target ≤ 5 µs/lead); median of rounds after a warm-up;
 * - durable assignments: demo requests that make new leads MQLs at once, ingested through the real
 *   engine on a SQLite temp file in batches of 1,000 (target ≥ 2,000 assignments/s, audit row
 *   included), against the same number of page views that route nobody.
 *
 *   npm run bench -- routing
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMigratedStore, runtime } from '../src/compose.ts';
import type { RevopsConfig } from '../src/config/schema/index.ts';
import { readTemplate } from '../src/config/templates/index.ts';
import type { RoutingModel } from '../src/core/routing/model.ts';
import { route, type RoutingInput } from '../src/core/routing/route.ts';
import { SimulatedClock } from '../src/engine/clock.ts';
import { BATCH, count, ingestAll, round } from './support/benchParts.ts';
import { batchesOf } from './support/ingestBreakdown.ts';
import { machineInfo } from './support/machine.ts';
import { report, type ResultRow } from './support/report.ts';
import { configWithRules, leadEvents, routingInputs, routingOf } from './support/routingInputs.ts';

const SEED = 21;
const LEADS = 1000;
/** Each round repeats the 1,000 leads until at least this long has passed. */
const ROUND_MS = 50;
const EVENTS = 20_000;
const TEMPLATE_RULES = 5;
/** Warm-up and measured rounds per tree; a round of the 1,000-rule tree takes seconds. */
const TREES = [
  { rules: 30, targetUs: 0.5, warmup: 5, rounds: 21 },
  { rules: 1000, targetUs: 5, warmup: 1, rounds: 5 },
] as const;
type Tree = (typeof TREES)[number];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

let sink = 0;

/** µs per lead of one round: passes over all inputs until `ROUND_MS` has passed. */
function timeRound(model: RoutingModel, inputs: readonly RoutingInput[]): number {
  let passes = 0;
  const started = performance.now();
  let elapsed: number;
  do {
    for (const input of inputs) sink += route(model, input).trace.steps.length;
    passes += 1;
    elapsed = performance.now() - started;
  } while (elapsed < ROUND_MS);
  return (elapsed * 1000) / (passes * inputs.length);
}

function decisionPart(salesLed: string, { rules, targetUs, warmup, rounds: ROUNDS }: Tree) {
  const config = configWithRules(salesLed, rules - TEMPLATE_RULES);
  const model = routingOf(config);
  if (model.rules.length !== rules) throw new Error(`expected ${rules} rules, got ${model.rules.length}`);
  const inputs = routingInputs(config, LEADS, SEED);
  const byRule = new Map<string, number>();
  let steps = 0;
  for (const input of inputs) {
    const decision = route(model, input);
    const rule = decision.rule.startsWith('gen-') ? 'generated rule' : `${decision.kind}:${decision.rule}`;
    byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    steps += decision.trace.steps.length;
  }
  const warm = () => timeRound(model, inputs);
  for (let i = 0; i < warmup; i++) warm();
  const rounds: number[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push(warm());
  const us = median(rounds);
  const roundRobin = byRule.get('assigned:round-robin') ?? 0;
  const outcomes = Object.fromEntries([...byRule].sort((a, b) => b[1] - a[1]));
  console.log(`routing: ${rules} rules: ${us.toFixed(3)} µs/lead`, outcomes);
  const row: ResultRow = {
    name: `route(): ${count(rules)}-rule tree, per lead`,
    value: us,
    unit: 'µs',
    target: { kind: 'max', value: targetUs },
    note:
      `median of ${ROUNDS} rounds (min ${Math.min(...rounds).toFixed(3)}, max ${Math.max(...rounds).toFixed(3)}); ` +
      `${((100 * roundRobin) / LEADS).toFixed(0)}% reach round-robin, ${(steps / LEADS).toFixed(0)} trace steps/lead`,
  };
  return {
    row,
    details: {
      rules,
      leads: LEADS,
      usPerLead: round(us, 4),
      rounds: rounds.map((r) => round(r, 4)),
      outcomes,
      meanTraceSteps: round(steps / LEADS, 1),
    },
  };
}

async function ingestPart(dir: string, config: RevopsConfig, kind: 'demo_request' | 'page_view') {
  const start = Date.parse('2026-11-02T14:00:00Z');
  const events = leadEvents(EVENTS, kind, start);
  const store = await openMigratedStore(join(dir, `routing-${kind}.sqlite`));
  try {
    const clock = new SimulatedClock(start);
    const { engine } = runtime(store, config, clock);
    console.log(`routing: ingesting ${count(EVENTS)} ${kind} events…`);
    const pass = await ingestAll((b) => engine.ingest(b), batchesOf(events, BATCH), clock);
    const rows = await store.listAssignments();
    const kinds: Record<string, number> = {};
    for (const row of rows) kinds[row.kind] = (kinds[row.kind] ?? 0) + 1;
    return { ...pass, assignments: rows.length, kinds };
  } finally {
    await store.close();
  }
}

export async function run(): Promise<void> {
  const machine = machineInfo();
  const salesLed = readTemplate('sales-led');
  const decisions = TREES.map((tree) => decisionPart(salesLed, tree));

  const config = configWithRules(salesLed, 0);
  const dir = mkdtempSync(join(tmpdir(), 'revops-bench-'));
  let routed;
  let plain;
  try {
    routed = await ingestPart(dir, config, 'demo_request');
    plain = await ingestPart(dir, config, 'page_view');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const assignmentsPerSecond = routed.assignments / (routed.ms / 1000);
  const routedEventsPerSecond = routed.accepted / (routed.ms / 1000);
  const plainEventsPerSecond = plain.accepted / (plain.ms / 1000);
  const rows: ResultRow[] = [
    ...decisions.map((d) => d.row),
    {
      name: 'sqlite: durable assignments (demo requests → MQL)',
      value: assignmentsPerSecond,
      unit: 'assignments/s',
      target: { kind: 'min', value: 2000 },
      note: `${count(routed.assignments)} assignment rows ${JSON.stringify(routed.kinds)} from ${count(routed.accepted)} events in ${(routed.ms / 1000).toFixed(1)} s`,
    },
    {
      name: 'sqlite: ingest, same number of page views (no routing)',
      value: plainEventsPerSecond,
      unit: 'events/s',
      note: `${count(plain.accepted)} accepted, ${plain.assignments} assignment rows; routed run ${(100 * (routedEventsPerSecond / plainEventsPerSecond)).toFixed(0)}% of this rate`,
    },
  ];
  report({
    bench: 'routing',
    title:
      'routing — route() decision CPU (30 and 1,000 rules) and durable assignments on SQLite (sales-led)',
    machine,
    parameters: {
      command: 'npm run bench -- routing',
      template: 'sales-led',
      seed: SEED,
      leads: LEADS,
      trees: TREES,
      minRoundMs: ROUND_MS,
      generatedRule:
        'company.state == "XX" && company.employees >= N (N 4,000–99,000) → team:…, before the 5 template rules',
      events: EVENTS,
      batch: BATCH,
    },
    rows,
    details: {
      decisions: decisions.map((d) => d.details),
      ingest: {
        routed: {
          ...routed,
          eventsPerSecond: round(routedEventsPerSecond),
          assignmentsPerSecond: round(assignmentsPerSecond),
        },
        plain: { ...plain, eventsPerSecond: round(plainEventsPerSecond) },
      },
      sink,
    },
  });
}
