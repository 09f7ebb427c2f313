/**
 * The reference decision tree end to end, as the sales-led template writes it (revops-routing-rules.md:
 * named account → enterprise → PLG → territory → round-robin → queue), compiled by src/config.
 */
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../config/loader.ts';
import { routingModelOf } from '../../../test/support/routingModel.ts';
import { templatePath } from '../../config/templates/index.ts';
import type { RuleValue } from '../rule.ts';
import { at, MON_1000_NY } from './__fixtures__/builders.ts';
import type { RoutingModel } from './model.ts';
import { route, type RoutingInput } from './route.ts';

const config = loadConfigFile(templatePath('sales-led'));
const MODEL: RoutingModel = routingModelOf(config);

type Fields = Readonly<Record<string, RuleValue>>;

interface LeadSpec {
  readonly company?: Fields;
  readonly teamMembers?: number;
  /** The lead's account domain; a named one fills account.named/tier as the engine does. */
  readonly domain?: string;
  readonly owner?: string;
  readonly accountOwner?: string;
  readonly load?: Readonly<Record<string, number>>;
  readonly now?: number;
  readonly exclude?: readonly string[];
}

const SMALL_US = { country: 'US', employees: 50, industry: 'Software' } as const;

/** A lead as the engine hands it to routing, with open leads per rep. */
function lead(spec: LeadSpec): RoutingInput {
  const named = spec.domain === undefined ? undefined : MODEL.namedAccounts.get(spec.domain);
  return {
    lead: { contactKey: 'kim@lead.example', owner: spec.owner, accountDomain: spec.domain },
    account: spec.domain === undefined ? undefined : { domain: spec.domain, owner: spec.accountOwner },
    context: {
      contact: {},
      company: { ...SMALL_US, ...spec.company },
      account: { domain: spec.domain ?? null, named: named !== undefined, tier: named?.tier ?? 0 },
      lead: { stage: 'mql', teamMembers: spec.teamMembers ?? 1 },
    },
    now: spec.now ?? MON_1000_NY,
    load: new Map(Object.entries(spec.load ?? {}).map(([rep, openLeads]) => [rep, { openLeads, today: 0 }])),
    counters: new Map(),
    exclude: spec.exclude,
  };
}

describe('the reference routing tree (sales-led template)', () => {
  it('a named account goes to its owner before enterprise size and territory, with its tier', () => {
    const decision = route(
      MODEL,
      lead({ domain: 'globex.example', company: { state: 'CA', employees: 5000, industry: 'Healthcare' } }),
    );
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'priya', rule: 'named-account' });
    expect(decision.kind === 'assigned' && decision.tier).toMatchObject({
      tier: 1,
      name: 'Top 20 strategic accounts',
      alert: 'instant',
      sla: { source: '1h' },
    });
    expect(decision.kind === 'assigned' && decision.team).toBeUndefined();
  });

  it('likely ACV above $50K goes to the enterprise AEs before territory (least loaded)', () => {
    const decision = route(
      MODEL,
      lead({
        company: { state: 'NY', employees: 2000, industry: 'Insurance' },
        load: { priya: 5, sofia: 3 },
      }),
    );
    expect(decision).toMatchObject({
      kind: 'assigned',
      owner: 'sofia',
      rule: 'enterprise',
      team: 'enterprise',
    });
    expect(decision.trace.steps.map((s) => [s.rule, s.outcome])).toEqual([
      ['named-account', 'no_match'],
      ['enterprise', 'placed'],
    ]);
  });

  it('a PLG signup with teammates goes to the PLG specialist', () => {
    const decision = route(MODEL, lead({ company: { state: 'TX' }, teamMembers: 3 }));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'leo', rule: 'plg-team-usage', team: 'plg' });
  });

  it.each([
    [{ state: 'CA' }, 'priya', 'west'],
    [{ state: 'TX' }, 'leo', 'central'],
    [{ state: 'NY' }, 'sofia', 'east'],
    [{ country: 'DE', state: 'BE' }, 'jonas', 'international'],
  ])('territory by geography: %o → %s (team %s)', (company, owner, team) => {
    expect(route(MODEL, lead({ company }))).toMatchObject({
      kind: 'assigned',
      owner,
      rule: 'territory',
      team,
    });
  });

  it('a lead outside every territory falls to weighted round-robin over the general pool', () => {
    const decision = route(MODEL, lead({ company: { state: 'AK' } }));
    // Fresh week: shares 1.2/3.2, 1/3.2, 1/3.2 of one lead; priya's first lead is due first.
    expect(decision).toMatchObject({
      kind: 'assigned',
      owner: 'priya',
      rule: 'round-robin',
      team: 'general',
      counters: {
        team: 'general',
        value: {
          period: '2026-W49',
          counts: { priya: 1, leo: 0, sofia: 0 },
          present: ['priya', 'leo', 'sofia'],
        },
      },
    });
    expect(decision.trace.steps.find((s) => s.rule === 'territory')).toEqual({
      rule: 'territory',
      name: 'Territory',
      path: 'routing.rules[3]',
      matched: true,
      outcome: 'no_territory',
      detail: 'territory: no territory matches (checked west, central, east, international)',
    });
  });

  it('a territory whose only rep is on PTO falls through to round-robin, which skips her too', () => {
    const decision = route(MODEL, lead({ company: { state: 'NY' }, now: at('2026-12-22T10:00') }));
    expect(decision).toMatchObject({
      kind: 'assigned',
      owner: 'priya',
      rule: 'round-robin',
      team: 'general',
    });
    expect(decision.trace.steps.find((s) => s.rule === 'territory')).toMatchObject({
      outcome: 'nobody_available',
      detail:
        'territory: territory east → team east (weighted_round_robin) has nobody available (sofia: pto)',
    });
    expect(decision.trace.candidates.map((c) => [c.team, c.rep, c.status, c.reason])).toEqual([
      ['east', 'sofia', 'skipped', 'pto'],
      ['general', 'priya', 'chosen', undefined],
      ['general', 'leo', 'eligible', undefined],
      ['general', 'sofia', 'skipped', 'pto'],
    ]);
  });

  it('nobody available anywhere: the lead waits in the fallback queue with its 1h SLA', () => {
    const decision = route(
      MODEL,
      lead({ company: { state: 'AK' }, load: { priya: 40, leo: 40, sofia: 40 } }),
    );
    expect(decision).toMatchObject({
      kind: 'queued',
      queue: 'inbound',
      rule: 'fallback',
      sla: { source: '1h' },
    });
    expect(decision.trace.steps).toMatchInlineSnapshot(`
      [
        {
          "detail": "when \`account.named && account.tier <= 2\` is false",
          "matched": false,
          "name": "Named account",
          "outcome": "no_match",
          "path": "routing.rules[0]",
          "rule": "named-account",
        },
        {
          "detail": "when \`company.employees >= 1000 && company.industry in ["Financial Services", "Insurance", "Healthcare"]\` is false",
          "matched": false,
          "name": "Likely ACV above $50K",
          "outcome": "no_match",
          "path": "routing.rules[1]",
          "rule": "enterprise",
        },
        {
          "detail": "when \`lead.teamMembers >= 2\` is false",
          "matched": false,
          "name": "PLG signup with team usage",
          "outcome": "no_match",
          "path": "routing.rules[2]",
          "rule": "plg-team-usage",
        },
        {
          "detail": "territory: no territory matches (checked west, central, east, international)",
          "matched": true,
          "name": "Territory",
          "outcome": "no_territory",
          "path": "routing.rules[3]",
          "rule": "territory",
        },
        {
          "detail": "team:general: team general (weighted_round_robin) has nobody available (priya: at_capacity_open, leo: at_capacity_open, sofia: at_capacity_open)",
          "matched": true,
          "name": "Default round-robin",
          "outcome": "nobody_available",
          "path": "routing.rules[4]",
          "rule": "round-robin",
        },
        {
          "detail": "no rule placed the lead: queued in inbound",
          "matched": true,
          "name": "Fallback queue",
          "outcome": "placed",
          "path": "routing.fallback.queue",
          "rule": "fallback",
        },
      ]
    `);
  });
});

describe('before the tree (sales-led template)', () => {
  it('keeps an existing owner who is still an active rep', () => {
    const decision = route(MODEL, lead({ company: { state: 'CA' }, owner: 'leo' }));
    expect(decision).toMatchObject({ kind: 'kept', owner: 'leo', rule: 'keep_owner' });
  });

  it('gives every contact of an account the account owner', () => {
    const decision = route(
      MODEL,
      lead({ domain: 'acme.example', accountOwner: 'sofia', company: { state: 'CA' } }),
    );
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'sofia', rule: 'same_account' });
  });

  it('holds a company name close to a named account for review instead of routing it', () => {
    const decision = route(
      MODEL,
      lead({ domain: 'globex-corp.example', company: { name: 'GLOBEX Corp.', state: 'CA' } }),
    );
    expect(decision).toMatchObject({
      kind: 'review',
      rule: 'fuzzy_name_match',
      matches: [{ domain: 'globex.example', name: 'Globex Corporation', score: 1 }],
    });
    expect(decision.trace.steps).toEqual([
      {
        rule: 'fuzzy_name_match',
        name: 'Company name close to a named account',
        path: 'routing.fuzzyNameMatch',
        matched: true,
        outcome: 'placed',
        detail:
          '`GLOBEX Corp.` is at least 0.92 similar to Globex Corporation (globex.example) 1: held for review',
      },
    ]);
  });

  it('reassignment excludes the previous owner: not kept, skipped by round-robin, recorded', () => {
    const decision = route(MODEL, lead({ company: { state: 'AK' }, owner: 'priya', exclude: ['priya'] }));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'leo', rule: 'round-robin' });
    expect(decision.trace.steps[0]).toEqual({
      rule: 'keep_owner',
      name: 'Keep existing owner',
      path: 'routing.keepExistingOwner',
      matched: true,
      outcome: 'nobody_available',
      detail: 'owner not kept: priya is excluded from this lead (a previous owner)',
    });
    expect(decision.trace.candidates[0]).toMatchObject({
      rep: 'priya',
      status: 'skipped',
      reason: 'excluded',
    });
  });
});
