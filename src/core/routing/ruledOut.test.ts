/**
 * A long rule list explained briefly: a run of rules the rule index says the lead cannot match is one
 * `ruled_out` step that names the rules and why, not a step per rule; `everyRule` keeps them all.
 */
import { describe, expect, it } from 'vitest';
import { compiledRule } from '../../../test/support/compiledRule.ts';
import type { RuleContext } from '../rule.ts';
import { FRI_1000_NY, rep, routingInput, routingModel, rule, team } from './__fixtures__/builders.ts';
import { route } from './route.ts';

const compiled = compiledRule;

// Five California rules, five large-Texas rules, then a catch-all.
const model = routingModel({
  reps: [rep('ana'), rep('ben')],
  teams: [team('pool', ['ana', 'ben'])],
  rules: [
    ...[0, 1, 2, 3, 4].map((i) => rule(`ca-${i}`, 'rep:ana', { when: compiled('company.state == "CA"') })),
    ...[5, 6, 7, 8, 9].map((i) =>
      rule(`tx-${i}`, 'rep:ben', { when: compiled('company.state == "TX" && company.employees >= 4000') }),
    ),
    rule('catch', 'team:pool'),
  ],
});

const lead = (company: Record<string, string | number>): RuleContext => ({ contact: {}, company });

describe('route() on a long list', () => {
  it('folds the rules a small Texas company cannot match into one step that says why', () => {
    const decision = route(
      model,
      routingInput({ context: lead({ state: 'TX', employees: 600 }), now: FRI_1000_NY }),
    );
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'ana', rule: 'catch' });
    expect(decision.trace.steps).toEqual([
      {
        rule: 'ruled_out',
        name: '10 rules the lead cannot match',
        path: 'routing.rules[0..9]',
        matched: false,
        outcome: 'no_match',
        detail:
          'ca-0 … tx-9, not evaluated: 5 require another company.state (the lead\'s is "TX"); ' +
          "5 a numeric bound the lead's value fails (company.employees 600)",
      },
      {
        rule: 'catch',
        name: 'catch',
        path: 'routing.rules[10]',
        matched: true,
        outcome: 'placed',
        detail: 'team:pool: team pool (weighted_round_robin) chose ana (count 0, deficit 0.5)',
      },
    ]);
  });

  it('says when the indexed field is not set', () => {
    const decision = route(model, routingInput({ context: lead({ employees: 600 }), now: FRI_1000_NY }));
    expect(decision.trace.steps[0]?.detail).toBe(
      "ca-0 … tx-9, not evaluated: 10 require another company.state (the lead's is not set)",
    );
  });

  it('explains each rule a lead can match, and every rule with everyRule', () => {
    const input = routingInput({ context: lead({ state: 'TX', employees: 5000 }), now: FRI_1000_NY });
    const decision = route(model, input);
    // The Texas rules are candidates now: the California run (5) is too short to fold.
    expect(decision.trace.steps.map((s) => [s.path, s.outcome])).toEqual([
      ['routing.rules[0]', 'no_match'],
      ['routing.rules[1]', 'no_match'],
      ['routing.rules[2]', 'no_match'],
      ['routing.rules[3]', 'no_match'],
      ['routing.rules[4]', 'no_match'],
      ['routing.rules[5]', 'placed'],
    ]);
    const small = routingInput({ context: lead({ state: 'TX', employees: 600 }), now: FRI_1000_NY });
    const every = route(model, small, { everyRule: true });
    expect(every.trace.steps.map((s) => s.rule)).toEqual([
      ...['ca-0', 'ca-1', 'ca-2', 'ca-3', 'ca-4', 'tx-5', 'tx-6', 'tx-7', 'tx-8', 'tx-9'],
      'catch',
    ]);
    expect(every.trace.steps[5]?.detail).toBe(
      'when `company.state == "TX" && company.employees >= 4000` is false',
    );
  });
});

describe('route() on a long territory list', () => {
  // Nine California territories, then Texas: a Texan lead checks Texas alone.
  const territories = [
    ...[0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({
      id: `ca-${i}`,
      name: `CA ${i}`,
      when: compiled('company.state == "CA"'),
      team: 'pool',
    })),
    { id: 'tx', name: 'TX', when: compiled('company.state == "TX"'), team: 'pool' },
  ];
  const model = routingModel({
    reps: [rep('ana'), rep('ben')],
    teams: [team('pool', ['ana', 'ben'])],
    rules: [rule('geo', 'territory'), rule('catch', 'queue:triage')],
    territories,
  });

  it('names the territories the lead cannot match once, unevaluated', () => {
    const placed = route(model, routingInput({ context: lead({ state: 'TX' }), now: FRI_1000_NY }));
    expect(placed.trace.steps[0]?.detail).toBe(
      'territory: territory tx → team pool (weighted_round_robin) chose ana (count 0, deficit 0.5)',
    );
    const nowhere = route(model, routingInput({ context: lead({ state: 'NV' }), now: FRI_1000_NY }));
    expect(nowhere.trace.steps[0]).toMatchObject({ rule: 'geo', outcome: 'no_territory' });
    expect(nowhere.trace.steps[0]?.detail).toBe(
      'territory: no territory matches (checked none; ca-0 … tx not evaluated, the lead cannot match them: ' +
        '10 require another company.state (the lead\'s is "NV"))',
    );
    const every = route(model, routingInput({ context: lead({ state: 'NV' }), now: FRI_1000_NY }), {
      everyRule: true,
    });
    expect(every.trace.steps[0]?.detail).toBe(
      'territory: no territory matches (checked ca-0, ca-1, ca-2, ca-3, ca-4, ca-5, ca-6, ca-7, ca-8, tx)',
    );
  });
});
