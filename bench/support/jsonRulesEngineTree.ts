/**
 * The routing bench's 30-rule tree encoded in json-rules-engine (routing issue, "Benchmarks"): one
 * json-rules-engine rule per routing rule, same conditions, on flat facts (`company.state`,
 * `company.employees`, `company.industry`, `company.country`, `account.named`, `account.tier`,
 * `lead.teamMembers`) read from each lead's rule context once, up front, as our side gets its
 * contexts built up front.
 *
 * Only rule matching is compared: which rule id a lead matches first. First match is encoded as
 * json-rules-engine's own short circuit: priority `n - index` (one priority level per rule, so the
 * engine evaluates one rule per level, highest first) and `engine.stop()` in the `success` handler,
 * so the levels below the first success are skipped, as our walk stops at the first rule that
 * places a lead. A second engine without `stop()` (every rule evaluated, highest-priority success
 * taken) is used only to check that encoding of first match, not timed.
 *
 * The template's rules and territories are translated by hand below; each translation carries the
 * CEL it stands for, checked against the compiled model, so a template change fails loudly here
 * instead of comparing different trees.
 */
import { createRequire } from 'node:module';
import { Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import type { RuleContext, RuleValue } from '../../src/core/rule.ts';
import type { RoutingModel, RoutingRuleModel } from '../../src/core/routing/model.ts';
import { generatedRules, generatedWhen } from './routingInputs.ts';

export const JSON_RULES_ENGINE_VERSION = (
  createRequire(import.meta.url)('json-rules-engine/package.json') as { version: string }
).version;

type Condition = { readonly fact: string; readonly operator: string; readonly value: RuleValue };
type Conditions = { readonly all: readonly Condition[] } | { readonly any: readonly Condition[] };

const quoted = (values: readonly string[]) => `[${values.map((v) => `"${v}"`).join(', ')}]`;

const TARGET_INDUSTRIES = ['Financial Services', 'Insurance', 'Healthcare'];
/** The sales-led template's territories (`team.territories`), in order. */
const TERRITORIES = [
  { id: 'west', states: ['CA', 'WA', 'OR', 'NV', 'AZ', 'UT', 'CO', 'HI'] },
  { id: 'central', states: ['TX', 'IL', 'MN', 'MO', 'OH', 'MI', 'WI', 'IN'] },
  { id: 'east', states: ['NY', 'MA', 'PA', 'NJ', 'CT', 'VA', 'FL', 'GA'] },
] as const;
const INTERNATIONAL = { id: 'international', when: 'company.country != "US"' } as const;

/** The template's five rules: the CEL each translates (undefined: no `when`) and its conditions. */
const TEMPLATE_RULES: ReadonlyMap<
  string,
  { readonly when: string | undefined; readonly to: string; readonly conditions: Conditions }
> = new Map([
  [
    'named-account',
    {
      when: 'account.named && account.tier <= 2',
      to: 'account_owner',
      conditions: {
        all: [
          { fact: 'account.named', operator: 'equal', value: true },
          { fact: 'account.tier', operator: 'lessThanInclusive', value: 2 },
        ],
      },
    },
  ],
  [
    'enterprise',
    {
      when: `company.employees >= 1000 && company.industry in ${quoted(TARGET_INDUSTRIES)}`,
      to: 'team:enterprise',
      conditions: {
        all: [
          { fact: 'company.employees', operator: 'greaterThanInclusive', value: 1000 },
          { fact: 'company.industry', operator: 'in', value: TARGET_INDUSTRIES },
        ],
      },
    },
  ],
  [
    'plg-team-usage',
    {
      when: 'lead.teamMembers >= 2',
      to: 'team:plg',
      conditions: { all: [{ fact: 'lead.teamMembers', operator: 'greaterThanInclusive', value: 2 }] },
    },
  ],
  [
    // No `when`; `to: territory` places the lead only when some territory matches, so the rule
    // matches when any territory's condition holds.
    'territory',
    {
      when: undefined,
      to: 'territory',
      conditions: {
        any: [
          ...TERRITORIES.map((t) => ({ fact: 'company.state', operator: 'in', value: [...t.states] })),
          { fact: 'company.country', operator: 'notEqual', value: 'US' },
        ],
      },
    },
  ],
  ['round-robin', { when: undefined, to: 'team:general', conditions: { all: [] } }],
]);

function targetText(rule: RoutingRuleModel): string {
  const to = rule.to;
  if (to === undefined) return 'none';
  return to.kind === 'account_owner' || to.kind === 'territory' ? to.kind : `${to.kind}:${to.id}`;
}

function fail(message: string): never {
  throw new Error(`json-rules-engine encoding: ${message}`);
}

/** The json-rules-engine conditions of one of the model's rules, checked against its CEL. */
function encode(
  rule: RoutingRuleModel,
  generated: ReadonlyMap<string, ReturnType<typeof generatedRules>[number]>,
): Conditions {
  if (rule.rules.length > 0) fail(`rule ${rule.id} has nested rules, which this encoding has no form for`);
  const gen = generated.get(rule.id);
  const known = TEMPLATE_RULES.get(rule.id);
  const expected =
    gen !== undefined
      ? { when: generatedWhen(gen), to: `team:${gen.team}` }
      : (known ?? fail(`rule ${rule.id} is neither generated nor one of the template's rules`));
  if (rule.when?.source !== expected.when)
    fail(`rule ${rule.id}: the model says \`${rule.when?.source}\`, the encoding \`${expected.when}\``);
  if (targetText(rule) !== expected.to)
    fail(`rule ${rule.id}: the model sends to ${targetText(rule)}, the encoding to ${expected.to}`);
  if (gen !== undefined) {
    return {
      all: [
        { fact: 'company.state', operator: 'equal', value: gen.state },
        { fact: 'company.employees', operator: 'greaterThanInclusive', value: gen.minEmployees },
      ],
    };
  }
  return (known ?? fail('unreachable')).conditions;
}

function checkTerritories(model: RoutingModel): void {
  const expected = [
    ...TERRITORIES.map((t) => ({ id: t.id, when: `company.state in ${quoted(t.states)}` })),
    INTERNATIONAL,
  ];
  const actual = model.territories.map((t) => ({ id: t.id, when: t.when.source }));
  if (JSON.stringify(actual) !== JSON.stringify(expected))
    fail(`territories differ: model ${JSON.stringify(actual)}, encoding ${JSON.stringify(expected)}`);
}

export interface JsonRulesEngineTree {
  /** Short-circuits at the first success (`engine.stop()`): the one timed. */
  readonly firstMatch: Engine;
  /** Evaluates every rule; the first match is the highest-priority success. Checks the encoding only. */
  readonly allRules: Engine;
  /** The flat fact ids the conditions read. */
  readonly facts: readonly (readonly [variable: string, key: string])[];
  readonly rules: number;
}

/** Encodes `model`'s rules (the template's, after `extra` generated ones) in json-rules-engine. */
export function jsonRulesEngineTree(model: RoutingModel, extra: number): JsonRulesEngineTree {
  checkTerritories(model);
  const generated = new Map(generatedRules(extra).map((rule) => [rule.id, rule]));
  const n = model.rules.length;
  const rules: RuleProperties[] = model.rules.map((rule, index) => ({
    name: rule.id,
    priority: n - index,
    conditions: encode(rule, generated) as TopLevelCondition,
    event: { type: 'routed', params: { rule: rule.id } },
  }));
  const options = { allowUndefinedFacts: true } as const;
  const firstMatch = new Engine(rules, options);
  firstMatch.on('success', () => {
    firstMatch.stop();
  });
  const allRules = new Engine(rules, options);
  const factIds = new Set<string>();
  for (const rule of rules) {
    const c = rule.conditions as Conditions;
    for (const condition of 'all' in c ? c.all : c.any) factIds.add(condition.fact);
  }
  const facts = [...factIds].sort().map((id) => {
    const dot = id.indexOf('.');
    return [id.slice(0, dot), id.slice(dot + 1)] as const;
  });
  return { firstMatch, allRules, facts, rules: n };
}

/**
 * The flat facts of one lead: each fact the conditions read, from the rule context; a value the
 * context lacks is left out (json-rules-engine then sees it undefined and its operators say false,
 * as a CEL error on a missing attribute counts as false on our side).
 */
export function factsOf(tree: JsonRulesEngineTree, context: RuleContext): Record<string, RuleValue> {
  const facts: Record<string, RuleValue> = {};
  for (const [variable, key] of tree.facts) {
    const scope = context[variable];
    if (scope === null || typeof scope !== 'object' || Array.isArray(scope)) continue;
    const value = (scope as { readonly [key: string]: RuleValue | undefined })[key];
    if (value !== undefined) facts[`${variable}.${key}`] = value;
  }
  return facts;
}

/** The rule id json-rules-engine matches first for these facts (`firstMatch`: its only success). */
export async function firstMatchedRule(
  tree: JsonRulesEngineTree,
  facts: Record<string, RuleValue>,
): Promise<string | undefined> {
  const { results } = await tree.firstMatch.run(facts);
  if (results.length > 1)
    fail(`engine.stop() let ${results.length} rules succeed: ${results.map((r) => r.name).join(', ')}`);
  return results[0]?.name;
}

/** The highest-priority success when every rule is evaluated. */
async function highestPriorityMatch(
  tree: JsonRulesEngineTree,
  facts: Record<string, RuleValue>,
): Promise<string | undefined> {
  const { results } = await tree.allRules.run(facts);
  let best: { name: string; priority: number } | undefined;
  for (const r of results) {
    const priority = r.priority ?? 0;
    if (best === undefined || priority > best.priority) best = { name: r.name, priority };
  }
  return best?.name;
}

/**
 * Our side of the same question, without placing the lead: the first of `model.rules` whose `when`
 * holds (the `territory` rule: whose territory list has a match), on the compiled CEL conditions.
 * `route()` does this and more (picks the rep, builds the trace); this is the matching alone.
 */
export function compiledFirstMatch(model: RoutingModel): (context: RuleContext) => string | undefined {
  for (const rule of model.rules)
    if (rule.rules.length > 0)
      fail(`rule ${rule.id} has nested rules; compiledFirstMatch has no form for them`);
  return (context) => {
    for (const rule of model.rules) {
      if (rule.when !== undefined && !rule.when.evaluate(context)) continue;
      if (rule.to?.kind === 'territory' && !model.territories.some((t) => t.when.evaluate(context))) continue;
      return rule.id;
    }
    return undefined;
  };
}

/**
 * Checks that json-rules-engine (first match by `stop()`, and every rule by priority) and our
 * compiled first match give, for every lead, the rule id `route()` gave (`ours[i]` for
 * `contexts[i]`); throws listing the first disagreements. Returns the count of leads per rule id.
 */
export async function checkAgreement(
  tree: JsonRulesEngineTree,
  model: RoutingModel,
  contexts: readonly RuleContext[],
  ours: readonly string[],
): Promise<Record<string, number>> {
  if (contexts.length !== ours.length) fail(`${contexts.length} leads but ${ours.length} route() rule ids`);
  const compiled = compiledFirstMatch(model);
  const byRule: Record<string, number> = {};
  const disagreements: string[] = [];
  for (const [i, context] of contexts.entries()) {
    const facts = factsOf(tree, context);
    const route = ours[i] ?? 'none';
    const stop = (await firstMatchedRule(tree, facts)) ?? 'none';
    const all = (await highestPriorityMatch(tree, facts)) ?? 'none';
    const cel = compiled(context) ?? 'none';
    if (stop !== route || all !== route || cel !== route)
      disagreements.push(
        `lead ${i} ${JSON.stringify(facts)}: route() ${route}, json-rules-engine ${stop} (every rule: ${all}), compiled CEL ${cel}`,
      );
    byRule[route] = (byRule[route] ?? 0) + 1;
  }
  if (disagreements.length > 0)
    fail(
      `${disagreements.length} of ${contexts.length} leads disagree on the matched rule:\n  ${disagreements.slice(0, 10).join('\n  ')}`,
    );
  return byRule;
}

export interface RoundOptions {
  readonly warmup: number;
  readonly rounds: number;
  /** Each round repeats all leads until at least this long has passed. */
  readonly roundMs: number;
}

let sink = 0;
/** Keeps the timed results observable. */
export const jsonRulesEngineSink = () => sink;

/** µs per lead of one round of `await firstMatch.run(facts)`, one lead at a time. */
async function timeRound(
  tree: JsonRulesEngineTree,
  facts: readonly Record<string, RuleValue>[],
  roundMs: number,
) {
  let passes = 0;
  const started = performance.now();
  let elapsed: number;
  do {
    for (const f of facts) sink += (await tree.firstMatch.run(f)).results.length;
    passes += 1;
    elapsed = performance.now() - started;
  } while (elapsed < roundMs);
  return (elapsed * 1000) / (passes * facts.length);
}

/** Per-lead latency of json-rules-engine's first match: one figure (µs) per measured round. */
export async function timeJsonRulesEngine(
  tree: JsonRulesEngineTree,
  contexts: readonly RuleContext[],
  { warmup, rounds, roundMs }: RoundOptions,
): Promise<number[]> {
  const facts = contexts.map((context) => factsOf(tree, context));
  for (let i = 0; i < warmup; i++) await timeRound(tree, facts, roundMs);
  const measured: number[] = [];
  for (let i = 0; i < rounds; i++) measured.push(await timeRound(tree, facts, roundMs));
  return measured;
}

/** Per-lead time of `compiledFirstMatch` over the same contexts: one figure (µs) per measured round. */
export function timeCompiledFirstMatch(
  model: RoutingModel,
  contexts: readonly RuleContext[],
  { warmup, rounds, roundMs }: RoundOptions,
): number[] {
  const match = compiledFirstMatch(model);
  const round = () => {
    let passes = 0;
    const started = performance.now();
    let elapsed: number;
    do {
      for (const context of contexts) sink += match(context)?.length ?? 0;
      passes += 1;
      elapsed = performance.now() - started;
    } while (elapsed < roundMs);
    return (elapsed * 1000) / (passes * contexts.length);
  };
  for (let i = 0; i < warmup; i++) round();
  const measured: number[] = [];
  for (let i = 0; i < rounds; i++) measured.push(round());
  return measured;
}
