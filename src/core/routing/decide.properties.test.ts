/**
 * Deciding without a trace (`decideRoute`: indexed rule lists, bounds checked before evaluating) gives
 * the decision the explaining walk (`route`) gives, on long generated trees of real compiled CEL
 * rules and random leads — including leads with missing, null or oddly typed attributes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compiledRule } from '../../../test/support/compiledRule.ts';
import type { RuleContext } from '../rule.ts';
import { FRI_1000_NY, rep, routingInput, routingModel, rule, team } from './__fixtures__/builders.ts';
import type { RoutingRuleModel } from './model.ts';
import { decideRoute, route } from './route.ts';
import type { RuleStep } from './trace.ts';
import { RULED_OUT_RUN } from './ruleIndex.ts';

const STATES = ['CA', 'NY', 'TX', 'WA', 'FL'];
const INDUSTRIES = ['Software', 'Insurance', 'Healthcare'];
/** Bounds and sizes from one small set, so leads land on, below and above the bounds. */
const SIZES = fc.constantFrom(0, 499, 500, 501, 1000, 5000, 6000);

const compiled = compiledRule;

const condition = fc.oneof(
  fc
    .tuple(fc.constantFrom(...STATES), SIZES, fc.constantFrom('>=', '<', '>', '<='))
    .map(([s, n, op]) => `company.state == "${s}" && company.employees ${op} ${n}`),
  fc
    .tuple(fc.subarray(INDUSTRIES, { minLength: 1 }), SIZES)
    .map(([is, n]) => `${n} <= company.employees && company.industry in ${JSON.stringify(is)}`),
  fc.constantFrom(
    'lead.teamMembers >= 2',
    'account.named && account.tier <= 2',
    'company.revenue > 1000000.0',
  ),
  fc.constantFrom(...STATES).map((s) => `company.state == "${s}" || company.industry == "Software"`),
);

const tree = fc.array(
  fc.record({
    when: fc.option(condition, { nil: undefined, freq: 8 }),
    to: fc.constantFrom('team:pool', 'rep:ana', 'rep:zed', 'queue:triage', 'territory', undefined),
    nested: fc.array(condition, { maxLength: 2 }),
  }),
  { minLength: 8, maxLength: 60 },
);

/** Territories (indexed from four on, like rule lists), each to a one-rep team or the pool. */
const territories = fc.array(
  fc.record({ when: condition, team: fc.constantFrom('pool', 'solo-ana', 'solo-zed') }),
  { minLength: 0, maxLength: 12 },
);

const value = fc.oneof(
  fc.integer({ min: 0, max: 6000 }),
  fc.constantFrom(...STATES, ...INDUSTRIES),
  fc.constant(null),
  fc.constant(undefined),
  fc.constant('5000'),
);
const lead: fc.Arbitrary<RuleContext> = fc
  .record({
    state: fc.oneof(fc.constantFrom(...STATES), value),
    industry: fc.oneof(fc.constantFrom(...INDUSTRIES), value),
    employees: fc.oneof(SIZES, SIZES, value),
    revenue: fc.oneof(fc.double({ min: 0, max: 5e6, noNaN: true }), value),
    teamMembers: fc.oneof(fc.integer({ min: 0, max: 5 }), value),
    named: fc.boolean(),
  })
  .map((v) => ({
    contact: {},
    company: {
      state: v.state,
      industry: v.industry,
      employees: v.employees,
      revenue: v.revenue,
    },
    account: { named: v.named, tier: v.named ? 1 : 0 },
    lead: { teamMembers: v.teamMembers },
  }));

type Spec = { when: string | undefined; to: string | undefined; nested: string[] };
type Area = { when: string; team: string };

function modelOf(specs: readonly Spec[], areas: readonly Area[]) {
  const rules: RoutingRuleModel[] = specs.map((s, i) =>
    rule(`r${i}`, s.to ?? (s.nested.length === 0 ? 'queue:triage' : undefined), {
      ...(s.when === undefined ? {} : { when: compiled(s.when) }),
      rules: s.nested.map((n, j) => rule(`r${i}-${j}`, 'rep:ben', { when: compiled(n) })),
    }),
  );
  return routingModel({
    reps: [rep('ana'), rep('ben'), rep('cat'), rep('zed', { active: false })],
    teams: [team('pool', ['ana', 'ben', 'cat']), team('solo-ana', ['ana']), team('solo-zed', ['zed'])],
    rules,
    territories: areas.map((a, i) => ({ id: `t${i}`, name: `T${i}`, when: compiled(a.when), team: a.team })),
  });
}

/** `routing.rules[3..12]` → the top-level paths it stands for; undefined for any other step. */
function foldedPaths(step: RuleStep): string[] | undefined {
  const range = /^routing\.rules\[(\d+)\.\.(\d+)\]$/.exec(step.path);
  if (step.rule !== 'ruled_out' || range === null) return undefined;
  const [from, to] = [Number(range[1]), Number(range[2])];
  return Array.from({ length: to - from + 1 }, (_, k) => `routing.rules[${from + k}]`);
}

describe('decideRoute', () => {
  it('decides as route() does, on long indexed trees, indexed territories and any lead', () => {
    fc.assert(
      fc.property(
        tree,
        territories,
        fc.array(lead, { minLength: 1, maxLength: 10 }),
        (specs, areas, leads) => {
          const model = modelOf(specs, areas);
          for (const context of leads) {
            const input = routingInput({ context, now: FRI_1000_NY });
            const { trace: _trace, ...explained } = route(model, input);
            expect(decideRoute(model, input)).toEqual(explained);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** Trees of mostly `company.state == … && company.employees … n` rules: long runs a lead cannot match. */
const stateTree = fc.array(
  fc.record({
    when: fc.oneof(
      { arbitrary: condition.filter((c) => c.startsWith('company.state ==') && c.includes('&&')), weight: 1 },
      { arbitrary: fc.option(condition, { nil: undefined, freq: 8 }), weight: 1 },
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...STATES), SIZES)
          .map(([s, n]) => `company.state == "${s}" && company.employees >= ${n}`),
        weight: 6,
      },
    ),
    to: fc.constantFrom('team:pool', 'rep:ana', 'rep:zed', 'queue:triage', 'territory', undefined),
    nested: fc.array(condition, { maxLength: 2 }),
  }),
  { minLength: 8, maxLength: 80 },
);

describe('route() on long lists', () => {
  it('folds only runs of rules that do not match, into steps that stand for exactly them', () => {
    let folded = 0;
    fc.assert(
      fc.property(stateTree, fc.array(lead, { minLength: 1, maxLength: 10 }), (specs, leads) => {
        const model = modelOf(specs, []);
        for (const context of leads) {
          const input = routingInput({ context, now: FRI_1000_NY });
          const { trace, ...decision } = route(model, input);
          const { trace: every, ...same } = route(model, input, { everyRule: true });
          expect(decision).toEqual(same);
          expect(every.candidates).toEqual(trace.candidates);
          // Each folded step, put back as the every-rule walk's steps for its rules, gives that walk.
          const unfolded: RuleStep[] = [];
          let k = 0;
          for (const step of trace.steps) {
            const paths = foldedPaths(step);
            if (paths === undefined) {
              expect(step).toEqual(every.steps[k]);
              unfolded.push(step);
              k++;
              continue;
            }
            folded++;
            expect(paths.length).toBeGreaterThanOrEqual(RULED_OUT_RUN);
            const standsFor = every.steps.slice(k, k + paths.length);
            expect(standsFor.map((s) => s.path)).toEqual(paths);
            // Ruled out by the index: none of them held (an evaluation error is a no as well).
            for (const s of standsFor) expect(s.matched).toBe(false);
            unfolded.push(...standsFor);
            k += paths.length;
          }
          expect(unfolded).toEqual(every.steps);
        }
      }),
      { numRuns: 150 },
    );
    // The trees and leads above make runs long enough to fold, or this test proves nothing.
    expect(folded).toBeGreaterThan(100);
  });
});

/** Territories of mostly `company.state == …` conditions, long enough to fold, each to the pool. */
const longTerritories = fc.array(
  fc.record({
    when: fc.oneof(
      { arbitrary: fc.constantFrom(...STATES).map((st) => `company.state == "${st}"`), weight: 4 },
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...STATES), SIZES)
          .map(([st, n]) => `company.state == "${st}" && company.employees >= ${n}`),
        weight: 4,
      },
      { arbitrary: condition, weight: 1 },
    ),
    team: fc.constantFrom('pool', 'solo-ana', 'solo-zed'),
  }),
  { minLength: 8, maxLength: 60 },
);

/** The ids a territory step says it checked: `no territory matches (checked t0, t3; …)`. */
const checkedIds = (detail: string): string[] | undefined => {
  const list = /no territory matches \(checked ([^;)]*)/.exec(detail)?.[1];
  return list === undefined ? undefined : list === 'none' ? [] : list.split(', ');
};

describe('route() on long territory lists', () => {
  it('leaves out of the checked list only territories the lead cannot match', () => {
    let skipped = 0;
    fc.assert(
      fc.property(longTerritories, fc.array(lead, { minLength: 1, maxLength: 10 }), (areas, leads) => {
        const model = modelOf([{ when: undefined, to: 'territory', nested: [] }], areas);
        for (const context of leads) {
          const input = routingInput({ context, now: FRI_1000_NY });
          const { trace, ...decision } = route(model, input);
          const { trace: every, ...same } = route(model, input, { everyRule: true });
          expect(decision).toEqual(same);
          expect(trace.candidates).toEqual(every.candidates);
          const step = trace.steps.find((s) => s.rule === 'r0');
          const everyStep = every.steps.find((s) => s.rule === 'r0');
          const checked = checkedIds(step?.detail ?? '');
          const all = checkedIds(everyStep?.detail ?? '');
          if (checked === undefined || all === undefined) {
            // A territory placed the lead: the same one either way.
            expect(step).toEqual(everyStep);
            continue;
          }
          expect(all).toEqual(model.territories.map((t) => t.id));
          for (const t of model.territories) {
            if (checked.includes(t.id)) continue;
            skipped++;
            expect(t.when.evaluate(context)).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
    expect(skipped).toBeGreaterThan(100);
  });
});
