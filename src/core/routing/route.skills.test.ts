/**
 * Skills in a real config: the sales-led template with a financial-services specialist rule nested
 * under `enterprise` (Sofia has the skill, Priya does not), loaded and compiled by src/config.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { safeLoadConfigText } from '../../config/loader.ts';
import { routingModelOf } from '../../../test/support/routingModel.ts';
import type { RevopsConfig } from '../../config/schema/index.ts';
import { templatePath } from '../../config/templates/index.ts';
import { at, MON_1000_NY } from './__fixtures__/builders.ts';
import type { RoutingModel } from './model.ts';
import { decideRoute, route, type RoutingInput } from './route.ts';

const ENTERPRISE = `      to: team:enterprise
`;
const SPECIALIST = `      to: team:enterprise
      rules:
        - id: enterprise-financial
          name: Financial-services specialist
          when: 'company.industry == "Financial Services"'
          to: team:enterprise
          skills: [Financial-Services]
`;

function withSpecialist(skill = 'Financial-Services'): string {
  const text = readFileSync(templatePath('sales-led'), 'utf8');
  const at = text.indexOf(ENTERPRISE);
  if (at < 0 || text.includes(ENTERPRISE, at + 1)) throw new Error('the enterprise rule was not found once');
  return (
    text.slice(0, at) + SPECIALIST.replace('Financial-Services', skill) + text.slice(at + ENTERPRISE.length)
  );
}

function load(text: string): RevopsConfig {
  const result = safeLoadConfigText(text, 'sales-led+skills.yaml');
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'));
  return result.config;
}

const config = load(withSpecialist());
const MODEL: RoutingModel = routingModelOf(config);

function lead(industry: string, now = MON_1000_NY): RoutingInput {
  return {
    lead: { contactKey: 'kim@bank.example', accountDomain: 'bank.example' },
    account: { domain: 'bank.example' },
    context: {
      contact: {},
      company: { country: 'US', state: 'NY', employees: 5000, industry },
      account: { domain: 'bank.example', named: false, tier: 0 },
      lead: { stage: 'mql', teamMembers: 1 },
    },
    now,
    load: new Map([['sofia', { openLeads: 9, today: 0 }]]),
    counters: new Map(),
  };
}

describe('skills in the sales-led tree', () => {
  it('compiles rule skills in lower case, inherited by nested rules', () => {
    const enterprise = MODEL.rules[1];
    expect(enterprise?.skills).toEqual([]);
    expect(enterprise?.rules[0]?.skills).toEqual(['financial-services']);
    expect(MODEL.reps.get('sofia')?.skills).toEqual(['spanish', 'financial-services']);
  });

  it('a financial-services lead goes to the specialist even when she has more open leads', () => {
    const decision = route(MODEL, lead('Financial Services'));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'sofia', rule: 'enterprise-financial' });
    expect(decision.trace.candidates.map((c) => [c.rep, c.status, c.reason ?? ''])).toEqual([
      ['priya', 'skipped', 'missing_skill'],
      ['sofia', 'chosen', ''],
    ]);
    // The other enterprise industries go to the least-loaded AE, as before.
    expect(route(MODEL, lead('Insurance'))).toMatchObject({ owner: 'priya', rule: 'enterprise' });
  });

  it('with the specialist on PTO the parent rule gives the lead to the rest of the team', () => {
    const decision = route(MODEL, lead('Financial Services', at('2026-12-22T10:00')));
    expect(decision).toMatchObject({ kind: 'assigned', owner: 'priya', rule: 'enterprise' });
    expect(decision.trace.steps.map((s) => [s.rule, s.outcome])).toEqual([
      ['named-account', 'no_match'],
      ['enterprise', 'placed'],
      ['enterprise-financial', 'nobody_available'],
    ]);
    expect(decideRoute(MODEL, lead('Financial Services', at('2026-12-22T10:00')))).toMatchObject({
      owner: 'priya',
      rule: 'enterprise',
    });
  });

  it('a skill no rep has is a config error that lists the known skills', () => {
    const result = safeLoadConfigText(withSpecialist('klingon'), 'sales-led+skills.yaml');
    expect(result.ok).toBe(false);
    expect(result.issues.filter((i) => i.severity === 'error')).toEqual([
      expect.objectContaining({
        code: 'config.unknown_reference',
        message: 'no rep in team.reps has the skill `klingon`, so this rule can never place a lead',
        hint: 'known skills: emea, enterprise, financial-services, french, german, healthcare, plg, product-analytics, spanish',
      }),
    ]);
  });
});
