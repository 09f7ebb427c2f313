/**
 * Lead routing on the sales-led template, two parts:
 *
 * - decision CPU: the pure `route(model, input)` over 1,000 generated leads whose inputs are built up
 *   front, with the template's 5 rules plus 25 generated ones (target ≤ 0.5 µs/lead) and plus 995
 *   (1,000 rules, target ≤ 5 µs/lead); median of rounds after a warm-up;
 * - json-rules-engine: the same 30-rule tree encoded in json-rules-engine (bench/support/
 *   jsonRulesEngineTree.ts), timed per lead on the same 1,000 leads right after `route()` on that
 *   tree, with the ratio to `route()`'s figure of this run; it must match the same rule id as
 *   `route()` on every lead, or the bench fails;
 * - durable assignments: demo requests that make new leads MQLs at once, ingested through the real
 *   engine on a SQLite temp file in batches of 1,000 (target ≥ 2,000 assignments/s, audit row
 *   included), against the same number of page views that route nobody; and again under the
 *   1,000-rule tree (each assignment row keeps its trace: a long run of rules the
 *   lead cannot match is one `ruled_out` step there, see src/core/routing/tree.ts).
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
import { decideRoute, route, type RoutingInput } from '../src/core/routing/route.ts';
import { SimulatedClock } from '../src/engine/clock.ts';
import { BATCH, count, ingestAll, round } from './support/benchParts.ts';
import { batchesOf } from './support/ingestBreakdown.ts';
import { machineInfo } from './support/machine.ts';
import { report, type ResultRow } from './support/report.ts';
import {
  checkAgreement,
  JSON_RULES_ENGINE_VERSION,
  jsonRulesEngineSink,
  jsonRulesEngineTree,
  timeCompiledFirstMatch,
  timeJsonRulesEngine,
} from './support/jsonRulesEngineTree.ts';
import { configWithRules, leadEvents, routingInputs, routingOf } from './support/routingInputs.ts';

const SEED = 21;
const LEADS = 1000;
/** Each round repeats the 1,000 leads until at least this long has passed. */
const ROUND_MS = 50;
const EVENTS = 20_000;
const TEMPLATE_RULES = 5;
/** Durable assignments are measured again under the 1,000-rule tree (on as many events: fewer weigh the warm-up). */
const LONG_TREE_RULES = 1000;
const LONG_TREE_EVENTS = EVENTS;
/** Warm-up and measured rounds per tree; a round of the 1,000-rule tree takes seconds. */
const TREES = [
  { rules: 30, targetUs: 0.5, warmup: 5, rounds: 21 },
  { rules: 1000, targetUs: 5, warmup: 1, rounds: 5 },
] as const;
type Tree = (typeof TREES)[number];
/** The tree json-rules-engine is compared on, with its warm-up and measured rounds. */
const JRE_TREE = { rules: 30, warmup: 5, rounds: 21 } as const;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? Number.NaN)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

let sink = 0;

/** µs per lead of one round: passes over all inputs until `ROUND_MS` has passed. */
function timeRound(
  model: RoutingModel,
  inputs: readonly RoutingInput[],
  decide: (model: RoutingModel, input: RoutingInput) => { readonly rule: string },
): number {
  let passes = 0;
  const started = performance.now();
  let elapsed: number;
  do {
    for (const input of inputs) sink += decide(model, input).rule.length;
    passes += 1;
    elapsed = performance.now() - started;
  } while (elapsed < ROUND_MS);
  return (elapsed * 1000) / (passes * inputs.length);
}

/** Median µs per lead of `rounds` rounds after `warmup` ones. */
function timeRounds(
  model: RoutingModel,
  inputs: readonly RoutingInput[],
  decide: (model: RoutingModel, input: RoutingInput) => { readonly rule: string },
  warmup: number,
  rounds: number,
): number[] {
  for (let i = 0; i < warmup; i++) timeRound(model, inputs, decide);
  return Array.from({ length: rounds }, () => timeRound(model, inputs, decide));
}

const spread = (rounds: readonly number[]): string =>
  `median of ${rounds.length} rounds (min ${Math.min(...rounds).toFixed(3)}, max ${Math.max(...rounds).toFixed(3)})`;

function decisionPart(salesLed: string, { rules, targetUs, warmup, rounds: ROUNDS }: Tree) {
  const config = configWithRules(salesLed, rules - TEMPLATE_RULES);
  const model = routingOf(config);
  if (model.rules.length !== rules) throw new Error(`expected ${rules} rules, got ${model.rules.length}`);
  const inputs = routingInputs(config, LEADS, SEED);
  const byRule = new Map<string, number>();
  /** The id of the rule that placed each lead, for the json-rules-engine comparison. */
  const ruleIds: string[] = [];
  let steps = 0;
  for (const input of inputs) {
    const decision = route(model, input);
    ruleIds.push(decision.rule);
    const rule = decision.rule.startsWith('gen-') ? 'generated rule' : `${decision.kind}:${decision.rule}`;
    byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
    steps += decision.trace.steps.length;
  }
  for (const input of inputs) {
    const choice = decideRoute(model, input);
    if (choice.rule !== route(model, input).rule) throw new Error('decideRoute and route disagree');
  }
  // The decision (the target) and the decision with its trace (what the engine stores).
  const rounds = timeRounds(model, inputs, decideRoute, warmup, ROUNDS);
  const us = median(rounds);
  const tracedRounds = timeRounds(model, inputs, route, warmup, ROUNDS);
  const tracedUs = median(tracedRounds);
  const roundRobin = byRule.get('assigned:round-robin') ?? 0;
  const outcomes = Object.fromEntries([...byRule].sort((a, b) => b[1] - a[1]));
  console.log(
    `routing: ${rules} rules: decide ${us.toFixed(3)} µs/lead, with trace ${tracedUs.toFixed(3)} µs/lead`,
    outcomes,
  );
  const row: ResultRow = {
    name: `decideRoute(): ${count(rules)}-rule tree, per lead`,
    value: us,
    unit: 'µs',
    target: { kind: 'max', value: targetUs },
    note: `${spread(rounds)}; ${((100 * roundRobin) / LEADS).toFixed(0)}% reach round-robin`,
  };
  const tracedRow: ResultRow = {
    name: `route() with its trace: ${count(rules)}-rule tree, per lead`,
    value: tracedUs,
    unit: 'µs',
    note: `${spread(tracedRounds)}; ${(steps / LEADS).toFixed(0)} trace steps/lead`,
  };
  return {
    row,
    tracedRow,
    us,
    model,
    inputs,
    ruleIds,
    details: {
      rules,
      leads: LEADS,
      usPerLead: round(us, 4),
      rounds: rounds.map((r) => round(r, 4)),
      tracedUsPerLead: round(tracedUs, 4),
      tracedRounds: tracedRounds.map((r) => round(r, 4)),
      outcomes,
      meanTraceSteps: round(steps / LEADS, 1),
    },
  };
}

/** json-rules-engine on the tree and leads `route()` was just timed on; the ratio is against `route()`'s `us`. */
async function jsonRulesEnginePart(decision: ReturnType<typeof decisionPart>) {
  const { model, inputs, ruleIds } = decision;
  const tree = jsonRulesEngineTree(model, model.rules.length - TEMPLATE_RULES);
  const contexts = inputs.map((input) => input.context);
  const byRule = await checkAgreement(tree, model, contexts, ruleIds);
  const options = { warmup: JRE_TREE.warmup, rounds: JRE_TREE.rounds, roundMs: ROUND_MS };
  const rounds = await timeJsonRulesEngine(tree, contexts, options);
  const us = median(rounds);
  const celRounds = timeCompiledFirstMatch(model, contexts, options);
  const celUs = median(celRounds);
  const ratio = us / decision.us;
  console.log(
    `routing: json-rules-engine ${JSON_RULES_ENGINE_VERSION}, ${tree.rules} rules: ${us.toFixed(1)} µs/lead, ` +
      `${ratio.toFixed(0)}× decideRoute() (${decision.us.toFixed(3)} µs); compiled conditions alone ${celUs.toFixed(3)} µs`,
  );
  const row: ResultRow = {
    name: `json-rules-engine ${JSON_RULES_ENGINE_VERSION}: same ${count(tree.rules)}-rule tree, per lead`,
    value: us,
    unit: 'µs',
    note:
      `${formatRatio(ratio)} decideRoute() in this run (${decision.us.toFixed(3)} µs/lead, which also picks the rep); ` +
      `median of ${JRE_TREE.rounds} rounds (min ${Math.min(...rounds).toFixed(1)}, max ${Math.max(...rounds).toFixed(1)}); ` +
      `first match by priority + engine.stop(); same rule id as decideRoute() on all ${count(contexts.length)} leads; ` +
      `matching alone on our compiled conditions ${celUs.toFixed(3)} µs/lead (${formatRatio(us / celUs)})`,
  };
  return {
    row,
    details: {
      version: JSON_RULES_ENGINE_VERSION,
      rules: tree.rules,
      leads: contexts.length,
      encoding:
        'one rule per routing rule, priority n - index, engine.stop() on the first success; flat facts from each lead context, built before timing; allowUndefinedFacts',
      agreement: { leads: contexts.length, byRule },
      usPerLead: round(us, 2),
      rounds: rounds.map((r) => round(r, 2)),
      decideRouteUsPerLead: round(decision.us, 4),
      ratioToDecideRoute: round(ratio, 1),
      compiledFirstMatch: {
        what: 'first of model.rules whose compiled when holds (territory: any territory), no placement or trace',
        usPerLead: round(celUs, 4),
        rounds: celRounds.map((r) => round(r, 4)),
        ratioOfJsonRulesEngine: round(us / celUs, 1),
      },
    },
  };
}

/** `1234.5` → `1,235×`; below 10, one decimal. */
function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? count(Math.round(ratio)) : ratio.toFixed(1)}×`;
}

/**
 * The config with no actions on entering a stage and no automations: what is left of an MQL is the
 * event, scoring, stage history and routing with its audit row and `assigned` notification.
 */
function withoutStageActions(config: RevopsConfig): RevopsConfig {
  const stages = config.lifecycle.stages.map((stage) => Object.assign({}, stage, { onEntry: [] }));
  return Object.assign({}, config, {
    lifecycle: Object.assign({}, config.lifecycle, { stages }),
    automations: [],
  });
}

async function ingestPart(
  dir: string,
  config: RevopsConfig,
  kind: 'demo_request' | 'page_view',
  label: string = kind,
  total: number = EVENTS,
) {
  const start = Date.parse('2026-11-02T14:00:00Z');
  const events = leadEvents(total, kind, start);
  const store = await openMigratedStore(join(dir, `routing-${label}.sqlite`));
  try {
    const clock = new SimulatedClock(start);
    const { engine } = runtime(store, config, clock);
    console.log(`routing: ingesting ${count(total)} ${kind} events (${label})…`);
    const pass = await ingestAll((b) => engine.ingest(b), batchesOf(events, BATCH), clock);
    const rows = await store.listAssignments();
    const kinds: Record<string, number> = {};
    let steps = 0;
    let traceChars = 0;
    for (const row of rows) {
      kinds[row.kind] = (kinds[row.kind] ?? 0) + 1;
      const trace = row.trace as { readonly steps?: readonly unknown[] };
      steps += trace.steps?.length ?? 0;
      traceChars += JSON.stringify(row.trace).length;
    }
    const perRow = (n: number) => (rows.length === 0 ? 0 : n / rows.length);
    return {
      ...pass,
      assignments: rows.length,
      kinds,
      meanTraceSteps: perRow(steps),
      meanTraceChars: perRow(traceChars),
    };
  } finally {
    await store.close();
  }
}

export async function run(): Promise<void> {
  const machine = machineInfo();
  const salesLed = readTemplate('sales-led');
  const decisions: ReturnType<typeof decisionPart>[] = [];
  let jre: Awaited<ReturnType<typeof jsonRulesEnginePart>> | undefined;
  for (const tree of TREES) {
    const decision = decisionPart(salesLed, tree);
    decisions.push(decision);
    // Right after route() on the same tree and leads, so both figures come from the same run.
    if (tree.rules === JRE_TREE.rules) jre = await jsonRulesEnginePart(decision);
  }
  if (jre === undefined) throw new Error(`no ${JRE_TREE.rules}-rule tree to compare json-rules-engine on`);

  // The template's caps (5 leads a day per AE) would queue all but 15 of the 20,000 leads: lift
  // them, so the figure is rep assignments with their audit rows.
  const config = configWithRules(
    salesLed
      .replace(/maxPerDay: \d+/g, 'maxPerDay: 100000')
      .replace(/maxOpenLeads: \d+/g, 'maxOpenLeads: 100000'),
    0,
  );
  // The same with the 1,000-rule tree: every assignment row keeps its trace.
  const longConfig = configWithRules(
    salesLed
      .replace(/maxPerDay: \d+/g, 'maxPerDay: 100000')
      .replace(/maxOpenLeads: \d+/g, 'maxOpenLeads: 100000'),
    LONG_TREE_RULES - TEMPLATE_RULES,
  );
  const dir = mkdtempSync(join(tmpdir(), 'revops-bench-'));
  let routed;
  let routingOnly;
  let plain;
  let longTree;
  try {
    routed = await ingestPart(dir, config, 'demo_request');
    routingOnly = await ingestPart(dir, withoutStageActions(config), 'demo_request', 'routing-only');
    plain = await ingestPart(dir, config, 'page_view');
    longTree = await ingestPart(dir, longConfig, 'demo_request', 'long-tree', LONG_TREE_EVENTS);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const assignmentsPerSecond = routed.assignments / (routed.ms / 1000);
  const routedEventsPerSecond = routed.accepted / (routed.ms / 1000);
  const plainEventsPerSecond = plain.accepted / (plain.ms / 1000);
  const rows: ResultRow[] = [
    ...decisions.flatMap((d) => [d.row, d.tracedRow]),
    jre.row,
    {
      name: 'sqlite: durable assignments (demo requests → MQL)',
      value: assignmentsPerSecond,
      unit: 'assignments/s',
      target: { kind: 'min', value: 2000 },
      note: `${count(routed.assignments)} assignment rows ${JSON.stringify(routed.kinds)} from ${count(routed.accepted)} events in ${(routed.ms / 1000).toFixed(1)} s; trace ${routed.meanTraceSteps.toFixed(1)} steps, ${count(Math.round(routed.meanTraceChars))} chars a row`,
    },
    {
      name: `sqlite: durable assignments, ${count(LONG_TREE_RULES)}-rule tree`,
      value: longTree.assignments / (longTree.ms / 1000),
      unit: 'assignments/s',
      note: `${count(longTree.assignments)} rows ${JSON.stringify(longTree.kinds)} from ${count(longTree.accepted)} demo requests in ${(longTree.ms / 1000).toFixed(1)} s; trace ${longTree.meanTraceSteps.toFixed(1)} steps, ${count(Math.round(longTree.meanTraceChars))} chars a row`,
    },
    {
      name: 'sqlite: durable assignments, no stage actions or automations',
      value: routingOnly.assignments / (routingOnly.ms / 1000),
      unit: 'assignments/s',
      note: `the same events with lifecycle onEntry actions and automations removed: ${count(routingOnly.assignments)} rows ${JSON.stringify(routingOnly.kinds)} in ${(routingOnly.ms / 1000).toFixed(1)} s`,
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
      'routing — route() decision CPU (30 and 1,000 rules, json-rules-engine on the 30) and durable assignments on SQLite (sales-led)',
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
      jsonRulesEngine: JRE_TREE,
      events: EVENTS,
      batch: BATCH,
    },
    rows,
    details: {
      decisions: decisions.map((d) => d.details),
      jsonRulesEngine: jre.details,
      ingest: {
        routed: {
          ...routed,
          eventsPerSecond: round(routedEventsPerSecond),
          assignmentsPerSecond: round(assignmentsPerSecond),
        },
        routingOnly: Object.assign({}, routingOnly, {
          assignmentsPerSecond: round(routingOnly.assignments / (routingOnly.ms / 1000)),
        }),
        plain: { ...plain, eventsPerSecond: round(plainEventsPerSecond) },
        longTree: Object.assign({}, longTree, {
          rules: LONG_TREE_RULES,
          assignmentsPerSecond: round(longTree.assignments / (longTree.ms / 1000)),
        }),
      },
      sink: sink + jsonRulesEngineSink(),
    },
  });
}
