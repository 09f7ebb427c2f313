/** Routing invariants: capacity limits hold under the load the caller keeps, and decisions are deterministic. */
import { fc, it as prop } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  field,
  MON_1000_NY,
  rep,
  routingInput,
  routingModel,
  rule,
  team,
  when,
} from './__fixtures__/builders.ts';
import type { RepLoad } from './availability.ts';
import type { TeamStrategy } from './model.ts';
import { route, type RoutingInput } from './route.ts';
import type { TeamCounters } from './roundRobin.ts';

const IDS = ['ana', 'ben', 'cat', 'dee'];
const strategy = fc.constantFrom<TeamStrategy>('weighted_round_robin', 'round_robin', 'least_loaded');
const cap = fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined });

describe('routing invariants', () => {
  prop.prop(
    [
      fc.array(fc.record({ maxOpenLeads: cap, maxPerDay: cap, weight: fc.integer({ min: 1, max: 30 }) }), {
        minLength: IDS.length,
        maxLength: IDS.length,
      }),
      strategy,
      // Each lead: routed, or one of a rep's open leads closes.
      fc.array(fc.option(fc.constantFrom(...IDS), { nil: undefined, freq: 3 }), {
        minLength: 1,
        maxLength: 60,
      }),
    ],
    { numRuns: 200 },
  )(
    'no rep ever goes past maxOpenLeads or maxPerDay, given the load the caller increments',
    (caps, strat, events) => {
      const reps = IDS.map((id, i) => {
        const c = caps[i];
        const capacity = {
          ...(c?.maxOpenLeads === undefined ? {} : { maxOpenLeads: c.maxOpenLeads }),
          ...(c?.maxPerDay === undefined ? {} : { maxPerDay: c.maxPerDay }),
        };
        return rep(id, { weight: (c?.weight ?? 10) / 10, capacity });
      });
      // Direct rep targets first, then the team: every path to a rep checks capacity.
      const model = routingModel({
        reps,
        teams: [team('pool', IDS, { strategy: strat })],
        rules: [
          rule('ana-first', 'rep:ana', { when: when('lead.vip', (c) => field(c, 'lead', 'vip') === true) }),
          rule('pool', 'team:pool'),
        ],
      });
      const load = new Map<string, RepLoad>(IDS.map((id) => [id, { openLeads: 0, today: 0 }]));
      let counters = new Map<string, TeamCounters>();
      const broken: string[] = [];
      for (const [n, closes] of events.entries()) {
        if (closes !== undefined) {
          const l = load.get(closes) ?? { openLeads: 0, today: 0 };
          load.set(closes, { ...l, openLeads: Math.max(0, l.openLeads - 1) });
          continue;
        }
        const decision = route(
          model,
          routingInput({ load, counters, context: { lead: { vip: n % 3 === 0 } } }),
        );
        if (decision.kind !== 'assigned') continue;
        const l = load.get(decision.owner) ?? { openLeads: 0, today: 0 };
        const after = { openLeads: l.openLeads + 1, today: l.today + 1 };
        load.set(decision.owner, after);
        if (decision.counters !== undefined) {
          counters = new Map([...counters, [decision.counters.team, decision.counters.value]]);
        }
        const c = caps[IDS.indexOf(decision.owner)];
        if (after.openLeads > (c?.maxOpenLeads ?? Infinity))
          broken.push(`lead ${n}: ${decision.owner} ${after.openLeads} open`);
        if (after.today > (c?.maxPerDay ?? Infinity))
          broken.push(`lead ${n}: ${decision.owner} ${after.today} today`);
      }
      expect(broken).toEqual([]);
    },
  );

  const anInput = fc.record({
    owner: fc.option(fc.constantFrom(...IDS, 'zed', 'ghost'), { nil: undefined }),
    accountOwner: fc.option(fc.constantFrom(...IDS, 'zed'), { nil: undefined }),
    domain: fc.option(fc.constantFrom('globex.example', 'acme.example'), { nil: undefined }),
    name: fc.option(fc.constantFrom('Globex Corp', 'Globex Inc', 'Acme', 'Initech'), { nil: undefined }),
    state: fc.constantFrom('CA', 'TX', 'NY', 'AK'),
    openLeads: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: IDS.length, maxLength: IDS.length }),
    counts: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: IDS.length, maxLength: IDS.length }),
    present: fc.subarray(IDS),
    exclude: fc.subarray(IDS),
    attainment: fc.array(fc.double({ min: 0, max: 2, noNaN: true }), {
      minLength: IDS.length,
      maxLength: IDS.length,
    }),
    hour: fc.integer({ min: 0, max: 23 }),
  });
  const STATE = (s: string) => when(`company.state == "${s}"`, (c) => field(c, 'company', 'state') === s);
  const model = routingModel({
    reps: [
      ...IDS.map((id, i) => rep(id, { weight: 1 + i / 4, capacity: { maxOpenLeads: 3 } })),
      rep('zed', { active: false }),
    ],
    teams: [
      team('pool', IDS, { quotaPriority: true }),
      team('west', ['ana', 'ben'], { strategy: 'least_loaded', respectWorkingHours: true }),
    ],
    territories: [{ id: 'west', name: 'West', when: STATE('CA'), team: 'west' }],
    rules: [
      rule('named', 'account_owner', {
        when: when('account.named', (c) => field(c, 'account', 'named') === true),
      }),
      rule('geo', undefined, {
        rules: [rule('texas', 'rep:cat', { when: STATE('TX') }), rule('territory', 'territory')],
      }),
      rule('pool', 'team:pool'),
    ],
    namedAccounts: new Map([
      ['globex.example', { domain: 'globex.example', name: 'Globex Corporation', owner: 'dee', tier: 1 }],
    ]),
  });
  /** Builds the input afresh each call: equal facts, no shared objects. */
  const build = (x: typeof anInput extends fc.Arbitrary<infer T> ? T : never): RoutingInput =>
    routingInput({
      lead: { contactKey: 'k', owner: x.owner, accountDomain: x.domain },
      account: x.domain === undefined ? undefined : { domain: x.domain, owner: x.accountOwner },
      context: {
        company: { state: x.state, ...(x.name === undefined ? {} : { name: x.name }) },
        account: { named: x.domain === 'globex.example' },
      },
      now: MON_1000_NY + (x.hour - 10) * 3_600_000,
      load: new Map(IDS.map((id, i) => [id, { openLeads: x.openLeads[i] ?? 0, today: 0 }])),
      counters: new Map([
        [
          'pool',
          {
            period: '2026-W49',
            counts: Object.fromEntries(IDS.map((id, i) => [id, x.counts[i] ?? 0])),
            present: [...x.present],
          },
        ],
      ]),
      attainment: new Map(IDS.map((id, i) => [id, x.attainment[i] ?? 0])),
      exclude: [...x.exclude],
    });

  prop.prop([anInput], { numRuns: 200 })(
    'the same input gives the same decision, and the input is left as it was',
    (x) => {
      const input = build(x);
      const snapshot = JSON.stringify([...input.counters]);
      const first = route(model, input);
      expect(route(model, input)).toEqual(first);
      expect(route(model, build(x))).toEqual(first);
      expect(JSON.stringify([...input.counters])).toBe(snapshot);
    },
  );
});
