/** The routing decision on small fixture models: nesting, errors, keep-owner overrides, targets. */
import { describe, expect, it } from 'vitest';
import {
  duration,
  FRI_1000_NY,
  field,
  rep,
  routingInput,
  routingModel,
  rule,
  team,
  when,
  type ModelParts,
} from './__fixtures__/builders.ts';
import fc from 'fast-check';
import { compiledRule } from '../../../test/support/compiledRule.ts';
import type { RuleContext } from '../rule.ts';
import type { NamedAccountModel, RoutingRuleModel } from './model.ts';
import { route } from './route.ts';
import { keepOwnerSetting } from './tree.ts';

const REPS = [rep('ana'), rep('ben'), rep('cat'), rep('zed', { active: false })];
const TEAMS = [team('pool', ['ana', 'ben', 'cat']), team('solo', ['cat'])];
const QUEUES = new Map([
  ['inbound', { id: 'inbound', name: 'Inbound', sla: duration('1h') }],
  ['triage', { id: 'triage', name: 'Triage', sla: duration('4 business hours') }],
]);
const VIP = when('company.vip', (c) => field(c, 'company', 'vip') === true);
const IN_CA = when('company.state == "CA"', (c) => field(c, 'company', 'state') === 'CA');

/** vip → [vip-west (CA) → rep:zed, vip-any → team:solo], else rep:ana; then catch → queue:triage. */
const NESTED = [
  rule('vip', 'rep:ana', {
    when: VIP,
    rules: [rule('vip-west', 'rep:zed', { when: IN_CA }), rule('vip-any', 'team:solo')],
  }),
  rule('catch', 'queue:triage'),
];

const model = (parts: ModelParts = {}) =>
  routingModel({ reps: REPS, teams: TEAMS, queues: QUEUES, rules: NESTED, ...parts });
const company = (fields: Record<string, string | boolean>) => ({
  contact: {},
  company: fields,
  account: {},
  lead: {},
});
const VIP_CA = company({ vip: true, state: 'CA' });

describe('the decision tree walk', () => {
  it('a matching rule tries its nested rules in order; a target nobody can take does not place', () => {
    const decision = route(model(), routingInput({ context: VIP_CA }));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'cat', rule: 'vip-any', team: 'solo' });
    expect(decision.trace.steps).toEqual([
      {
        rule: 'vip',
        name: 'vip',
        path: 'routing.rules[0]',
        matched: true,
        outcome: 'placed',
        detail: 'placed by nested rule vip-any',
      },
      {
        rule: 'vip-west',
        name: 'vip-west',
        path: 'routing.rules[0].rules[0]',
        matched: true,
        outcome: 'nobody_available',
        detail: 'rep:zed: rep zed is inactive (inactive)',
      },
      {
        rule: 'vip-any',
        name: 'vip-any',
        path: 'routing.rules[0].rules[1]',
        matched: true,
        outcome: 'placed',
        detail: 'team:solo: team solo (weighted_round_robin) chose cat (count 0, deficit 1)',
      },
    ]);
  });

  it("no nested rule places the lead: the rule's own target is tried", () => {
    const decision = route(model(), routingInput({ context: VIP_CA, exclude: ['cat'] }));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'ana', rule: 'vip' });
    expect(decision.kind === 'assigned' && decision.team).toBeUndefined();
    expect(decision.trace.steps[0]).toMatchObject({
      outcome: 'placed',
      detail: 'no nested rule placed the lead; rep:ana: rep ana is available',
    });
  });

  it('still unplaced: the walk continues with the next sibling (a queue, with its SLA)', () => {
    const decision = route(model(), routingInput({ context: VIP_CA, exclude: ['cat', 'ana'] }));
    expect(decision).toMatchObject({
      kind: 'queued',
      queue: 'triage',
      rule: 'catch',
      sla: { source: '4 business hours' },
    });
    expect(decision.trace.steps.map((s) => [s.path, s.outcome])).toEqual([
      ['routing.rules[0]', 'nobody_available'],
      ['routing.rules[0].rules[0]', 'nobody_available'],
      ['routing.rules[0].rules[1]', 'nobody_available'],
      ['routing.rules[1]', 'placed'],
    ]);
  });

  it('a rule whose condition fails to evaluate counts as not matching, and the trace says so', () => {
    const broken = when('company.vip', () => true, 'no such key: vip');
    const decision = route(
      model({ rules: [rule('vip', 'rep:ana', { when: broken }), rule('catch', 'queue:triage')] }),
      routingInput(),
    );
    expect(decision).toMatchObject({ kind: 'queued', queue: 'triage', rule: 'catch' });
    expect(decision.trace.steps[0]).toEqual({
      rule: 'vip',
      name: 'vip',
      path: 'routing.rules[0]',
      matched: false,
      outcome: 'error',
      detail: 'when `company.vip` failed, treated as false: no such key: vip',
    });
  });

  it('a matching rule with neither a placing nested rule nor a target moves on', () => {
    const rules = [
      rule('group', undefined, { rules: [rule('west', 'rep:ana', { when: IN_CA })] }),
      rule('rest', 'rep:ben'),
    ];
    const decision = route(model({ rules }), routingInput({ context: company({ state: 'TX' }) }));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'ben', rule: 'rest' });
    expect(decision.trace.steps[0]).toMatchObject({
      matched: true,
      outcome: 'no_match',
      detail: 'no nested rule placed the lead; no `to`',
    });
  });

  it('nothing places the lead: the fallback queue', () => {
    const decision = route(model({ rules: [rule('only', 'rep:zed')] }), routingInput());
    expect(decision).toMatchObject({
      kind: 'queued',
      queue: 'inbound',
      rule: 'fallback',
      sla: { source: '1h' },
    });
  });

  it('says which reference is missing for an unknown rep or team', () => {
    const decision = route(
      model({ rules: [rule('a', 'rep:ghost'), rule('b', 'team:ghost')] }),
      routingInput(),
    );
    expect(decision.trace.steps.map((s) => s.detail)).toEqual([
      'rep:ghost: rep ghost is not in team.reps',
      'team:ghost: team ghost is not in team.teams',
      'no rule placed the lead: queued in inbound',
    ]);
  });
});

describe('territory targets', () => {
  const territories = [
    { id: 'west', name: 'West', when: IN_CA, team: 'solo' },
    {
      id: 'broken',
      name: 'Broken',
      when: when('company.region == "x"', () => true, 'no such key: region'),
      team: 'pool',
    },
  ];
  const rules = [rule('territory', 'territory'), rule('rest', 'rep:ben')];

  it("the first matching territory's team picks", () => {
    const decision = route(
      model({ territories, rules }),
      routingInput({ context: company({ state: 'CA' }) }),
    );
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'cat', rule: 'territory', team: 'solo' });
  });

  it('no territory matches: the rule does not place, evaluation errors are named', () => {
    const decision = route(
      model({ territories, rules }),
      routingInput({ context: company({ state: 'TX' }) }),
    );
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'ben', rule: 'rest' });
    expect(decision.trace.steps[0]).toMatchObject({
      outcome: 'no_territory',
      detail:
        'territory: no territory matches (checked west, broken); errors treated as false: broken: no such key: region',
    });
  });
});

describe('attributes a lead does not have', () => {
  const cel = compiledRule;
  const PLG = cel('lead.teamMembers >= 2');

  it('a rule false only because an attribute is not set does not match, and the trace names it', () => {
    const rules = [rule('plg', 'rep:ana', { when: PLG }), rule('catch', 'queue:triage')];
    const decision = route(model({ rules }), routingInput({ context: { lead: {} } }));
    expect(decision).toMatchObject({ kind: 'queued', queue: 'triage', rule: 'catch' });
    expect(decision.trace.steps[0]).toEqual({
      rule: 'plg',
      name: 'plg',
      path: 'routing.rules[0]',
      matched: false,
      outcome: 'no_match',
      detail: 'when `lead.teamMembers >= 2` is false: lead.teamMembers is not set',
    });
  });

  it('a value of the wrong type is still an error', () => {
    const rules = [rule('plg', 'rep:ana', { when: PLG }), rule('catch', 'queue:triage')];
    const decision = route(model({ rules }), routingInput({ context: { lead: { teamMembers: 'three' } } }));
    expect(decision.trace.steps[0]).toMatchObject({ rule: 'plg', matched: false, outcome: 'error' });
    expect(decision.trace.steps[0]?.detail).toMatch(
      /^when `lead\.teamMembers >= 2` failed, treated as false: lead\.teamMembers /,
    );
  });

  it('a territory that reads an attribute the lead lacks is named apart from errors', () => {
    const territories = [
      { id: 'west', name: 'West', when: cel('company.state == "CA"'), team: 'solo' },
      { id: 'abroad', name: 'Abroad', when: cel('company.country != "US"'), team: 'pool' },
      {
        id: 'broken',
        name: 'Broken',
        when: when('company.region == "x"', () => true, 'no such key: region'),
        team: 'pool',
      },
    ];
    const rules = [rule('territory', 'territory'), rule('rest', 'rep:ben')];
    const decision = route(
      model({ territories, rules }),
      routingInput({ context: company({ state: 'TX' }) }),
    );
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'ben', rule: 'rest' });
    expect(decision.trace.steps[0]?.detail).toBe(
      'territory: no territory matches (checked west, abroad, broken); attribute not set for abroad ' +
        '(company.country); errors treated as false: broken: no such key: region',
    );
  });
});

describe('account owners and tiers', () => {
  const named = (domain: string, owner: string, tier: number): [string, NamedAccountModel] => [
    domain,
    { domain, name: domain, owner, tier },
  ];
  const parts: ModelParts = {
    rules: [rule('owner', 'account_owner'), rule('rest', 'rep:cat')],
    namedAccounts: new Map([named('globex.example', 'ana', 2)]),
    tiers: new Map([[2, { tier: 2, name: 'Top 100', alert: 'standard', sla: duration('4h') }]]),
  };

  it('account_owner is the named account owner for a named domain, and the assignment carries the tier', () => {
    const decision = route(
      model(parts),
      routingInput({ lead: { contactKey: 'k', accountDomain: 'GLOBEX.example' } }),
    );
    expect(decision).toMatchObject({
      kind: 'assigned',
      owner: 'ana',
      rule: 'owner',
      tier: { tier: 2, name: 'Top 100', alert: 'standard', sla: { source: '4h' } },
    });
  });

  it("account_owner is the account's stored owner otherwise", () => {
    const input = routingInput({ account: { domain: 'acme.example', owner: 'ben' } });
    const decision = route(model({ ...parts, sameAccountSameOwner: false }), input);
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'ben', rule: 'owner' });
    expect(decision.kind === 'assigned' && decision.tier).toBeUndefined();
  });

  it('an account without an owner, or an owner away, does not place', () => {
    const none = route(model(parts), routingInput({ account: { domain: 'acme.example' } }));
    expect(none).toMatchObject({ kind: 'assigned', owner: 'cat', rule: 'rest' });
    expect(none.trace.steps[0]).toMatchObject({
      outcome: 'nobody_available',
      detail: 'account_owner: the account has no owner',
    });
    const away = route(
      model({
        ...parts,
        reps: [rep('ana', { pto: [{ from: '2026-11-30', to: '2026-11-30' }] }), rep('cat')],
      }),
      routingInput({ lead: { contactKey: 'k', accountDomain: 'globex.example' } }),
    );
    expect(away).toMatchObject({ kind: 'assigned', owner: 'cat', rule: 'rest' });
    expect(away.trace.steps[0]?.detail).toBe(
      'account_owner: named account globex.example: owner ana is on PTO 2026-11-30..2026-11-30 (local date 2026-11-30 in America/New_York) (pto)',
    );
  });

  it('same account, same owner: the stored owner (active, not excluded) gets the lead, with the tier', () => {
    const input = routingInput({ account: { domain: 'globex.example', owner: 'ben' } });
    expect(route(model(parts), input)).toMatchObject({
      kind: 'assigned',
      owner: 'ben',
      rule: 'same_account',
      tier: { tier: 2 },
    });
    const excluded = route(model(parts), { ...input, exclude: ['ben'] });
    expect(excluded).toMatchObject({ kind: 'assigned', owner: 'ana', rule: 'owner' });
    expect(excluded.trace.steps[0]).toEqual({
      rule: 'same_account',
      name: 'Same account, same owner',
      path: 'routing.sameAccountSameOwner',
      matched: true,
      outcome: 'nobody_available',
      detail: 'account globex.example owner not used: ben is excluded from this lead (a previous owner)',
    });
  });
});

describe('keeping the owner', () => {
  const withOwner = (owner: string, context = company({})) =>
    routingInput({ lead: { contactKey: 'k', owner }, context });

  it('an inactive owner is not kept', () => {
    const decision = route(model(), withOwner('zed'));
    expect(decision).toMatchObject({ kind: 'queued', queue: 'triage' });
    expect(decision.trace.steps[0]).toMatchObject({
      rule: 'keep_owner',
      outcome: 'nobody_available',
      detail: 'owner not kept: zed is inactive',
    });
  });

  it("a matching rule's keepOwner overrides keepExistingOwner, a nested rule's its parent's", () => {
    const keep = [rule('vip', 'rep:ana', { when: VIP, keepOwner: true })];
    expect(route(model({ keepExistingOwner: false, rules: keep }), withOwner('ben', VIP_CA))).toMatchObject({
      kind: 'kept',
      owner: 'ben',
    });
    // Not a VIP: no rule says anything, keepExistingOwner (off) decides; nothing else matches.
    expect(route(model({ keepExistingOwner: false, rules: keep }), withOwner('ben'))).toMatchObject({
      kind: 'queued',
      queue: 'inbound',
    });

    const dontKeep = [rule('vip', 'rep:ana', { when: VIP, keepOwner: false })];
    const decision = route(model({ rules: dontKeep }), withOwner('ben', VIP_CA));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'ana' });
    expect(decision.trace.steps[0]).toEqual({
      rule: 'keep_owner',
      name: 'Keep existing owner',
      path: 'routing.rules[0].keepOwner',
      matched: false,
      outcome: 'no_match',
      detail: 'owner ben not kept: routing.rules[0].keepOwner is false',
    });

    const nested = [
      rule('vip', 'rep:ana', {
        when: VIP,
        keepOwner: false,
        rules: [rule('west', 'rep:ana', { when: IN_CA, keepOwner: true })],
      }),
    ];
    expect(route(model({ rules: nested }), withOwner('ben', VIP_CA))).toMatchObject({
      kind: 'kept',
      owner: 'ben',
    });
  });
});

describe('keepOwnerSetting', () => {
  /** A condition that counts its evaluations. */
  const counted = (source: string, test: (c: RuleContext) => boolean) => {
    const calls = { n: 0 };
    const condition = when(source, (c) => {
      calls.n++;
      return test(c);
    });
    return { condition, calls };
  };

  it('evaluates only rules with a keepOwner setting in them or under them', () => {
    const plain = counted('company.vip', (c) => field(c, 'company', 'vip') === true);
    const parent = counted('company.state == "CA"', (c) => field(c, 'company', 'state') === 'CA');
    const child = counted('company.vip', (c) => field(c, 'company', 'vip') === true);
    const rules = [
      rule('plain', 'rep:ana', { when: plain.condition }),
      rule('west', 'rep:ana', {
        when: parent.condition,
        rules: [
          rule('west-plain', 'rep:ben', { when: plain.condition }),
          rule('west-vip', 'rep:cat', { when: child.condition, keepOwner: false }),
        ],
      }),
    ];
    expect(keepOwnerSetting(rules, VIP_CA)).toEqual({
      keep: false,
      path: 'routing.rules[1].rules[1].keepOwner',
    });
    expect([plain.calls.n, parent.calls.n, child.calls.n]).toEqual([0, 1, 1]);
    // A tree that sets none (the templates') evaluates nothing.
    expect(keepOwnerSetting([rules[0] as RoutingRuleModel], VIP_CA)).toBeUndefined();
    expect(plain.calls.n).toBe(0);
  });

  it('gives what walking every rule gives, on any tree and lead', () => {
    /** Every rule evaluated, in walk order: the definition. */
    const walkAll = (
      rules: readonly RoutingRuleModel[],
      context: RuleContext,
      path = 'routing.rules',
    ): { keep: boolean; path: string } | undefined => {
      for (const [i, r] of rules.entries()) {
        if (r.when !== undefined && !r.when.evaluate(context)) continue;
        const nested = walkAll(r.rules, context, `${path}[${i}].rules`);
        if (nested !== undefined) return nested;
        if (r.keepOwner !== undefined) return { keep: r.keepOwner, path: `${path}[${i}].keepOwner` };
      }
      return undefined;
    };
    const leaf = fc.record({
      when: fc.constantFrom(undefined, VIP, IN_CA),
      keepOwner: fc.constantFrom(undefined, undefined, true, false),
    });
    const tree = fc.array(fc.record({ self: leaf, nested: fc.array(leaf, { maxLength: 3 }) }), {
      maxLength: 8,
    });
    const lead = fc.record({ vip: fc.boolean(), state: fc.constantFrom('CA', 'NY') }).map((f) => company(f));
    fc.assert(
      fc.property(tree, lead, (specs, context) => {
        const built = (l: { when: typeof VIP | undefined; keepOwner: boolean | undefined }, id: string) =>
          rule(id, 'rep:ana', {
            ...(l.when === undefined ? {} : { when: l.when }),
            ...(l.keepOwner === undefined ? {} : { keepOwner: l.keepOwner }),
          });
        const rules = specs.map((s, i) =>
          Object.assign(built(s.self, `r${i}`), { rules: s.nested.map((n, j) => built(n, `r${i}-${j}`)) }),
        );
        expect(keepOwnerSetting(rules, context)).toEqual(walkAll(rules, context));
      }),
      { numRuns: 300 },
    );
  });
});

describe('company-name review', () => {
  const parts: ModelParts = {
    namedAccounts: new Map([
      ['globex.example', { domain: 'globex.example', name: 'Globex Corporation', owner: 'ana', tier: 1 }],
    ]),
  };
  const globexByName = routingInput({ context: company({ name: 'Globex Corp' }) });

  it('only when enabled and the domain is not itself named', () => {
    expect(route(model(parts), globexByName)).toMatchObject({ kind: 'review' });
    const disabled = { ...parts, fuzzyNameMatch: { enabled: false, threshold: 0.92 } };
    expect(route(model(disabled), globexByName)).toMatchObject({ kind: 'queued', queue: 'triage' });
    const onNamedDomain = { ...globexByName, lead: { contactKey: 'k', accountDomain: 'globex.example' } };
    expect(route(model(parts), onNamedDomain).trace.steps.map((s) => s.rule)).toEqual(['vip', 'catch']);
  });

  it('traces a name that matched nothing', () => {
    const decision = route(model(parts), routingInput({ context: company({ name: 'Initech' }) }));
    expect(decision.trace.steps[0]).toEqual({
      rule: 'fuzzy_name_match',
      name: 'Company name close to a named account',
      path: 'routing.fuzzyNameMatch',
      matched: false,
      outcome: 'no_match',
      detail: 'no named account name is at least 0.92 similar to `Initech`',
    });
  });
});

describe('skills', () => {
  const skilled = [
    rep('ana', { skills: ['spanish'] }),
    rep('ben', { skills: ['spanish', 'analytics'] }),
    rep('cat'),
    rep('dee', { skills: ['spanish'], pto: [{ from: '2026-11-27', to: '2026-11-27' }] }),
  ];
  const teams = [team('pool', ['ana', 'ben', 'cat', 'dee'])];
  const skillModel = (rules: RoutingRuleModel[]) => model({ reps: skilled, teams, rules });

  it('a rule with skills picks only among the team members who have them all', () => {
    const rules = [
      rule('es-analytics', 'team:pool', { skills: ['spanish', 'analytics'] }),
      rule('rest', 'queue:triage'),
    ];
    const decision = route(skillModel(rules), routingInput({ now: FRI_1000_NY }));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'ben', rule: 'es-analytics', team: 'pool' });
    expect(decision.trace.candidates.map((c) => [c.rep, c.status, c.reason ?? '', c.detail ?? ''])).toEqual([
      ['ana', 'skipped', 'missing_skill', 'ana lacks the skill analytics this rule needs'],
      ['ben', 'chosen', '', ''],
      ['cat', 'skipped', 'missing_skill', 'cat lacks the skills spanish, analytics this rule needs'],
      ['dee', 'skipped', 'missing_skill', 'dee lacks the skill analytics this rule needs'],
    ]);
    expect(decision.trace.steps[0]?.detail).toBe(
      'team:pool: team pool (weighted_round_robin, skills spanish, analytics) chose ben (count 0, deficit 1)',
    );
  });

  it('skilled reps share the leads fairly; the others keep their place in the rotation', () => {
    const rules = [rule('es', 'team:pool', { skills: ['spanish'] })];
    const first = route(skillModel(rules), routingInput({ now: FRI_1000_NY }));
    expect(first).toMatchObject({ owner: 'ana' });
    if (first.kind !== 'assigned' || first.counters === undefined) throw new Error('expected counters');
    // dee is on PTO and cat lacks the skill: only ana and ben were eligible, yet cat stays present.
    expect(first.counters.value.present).toEqual(['ana', 'ben', 'cat']);
    const second = route(
      skillModel(rules),
      routingInput({ now: FRI_1000_NY, counters: new Map([['pool', first.counters.value]]) }),
    );
    expect(second).toMatchObject({ owner: 'ben' });
  });

  it('nobody with the skills available: the rule does not place and the walk goes on', () => {
    const rules = [rule('de', 'team:pool', { skills: ['german'] }), rule('rest', 'rep:cat')];
    const decision = route(skillModel(rules), routingInput({ now: FRI_1000_NY }));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'cat', rule: 'rest' });
    expect(decision.trace.steps[0]).toMatchObject({ rule: 'de', outcome: 'nobody_available' });
  });

  it('a direct rep target needs the skills too', () => {
    const rules = [rule('es-cat', 'rep:cat', { skills: ['spanish'] }), rule('rest', 'queue:triage')];
    const decision = route(skillModel(rules), routingInput({ now: FRI_1000_NY }));
    expect(decision).toMatchObject({ kind: 'queued', queue: 'triage', rule: 'rest' });
    expect(decision.trace.steps[0]?.detail).toBe(
      'rep:cat: rep cat lacks the skill spanish this rule needs (missing_skill)',
    );
  });
});
