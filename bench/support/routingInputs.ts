/**
 * Inputs for the routing bench: the sales-led template with generated routing rules placed before
 * its own five (so the text goes through the real loader), routing inputs for generated leads built
 * the way the engine builds them (`ruleContext`, `repLoads` over `EMPTY_ROUTING_STATE`), and
 * events that make new leads MQLs at once (demo requests) or do not route (page views).
 */
import { engineSetup } from '../../src/config/engineModel.ts';
import type { RevopsConfig } from '../../src/config/schema/index.ts';
import { EMPTY_ROUTING_STATE, repLoads } from '../../src/core/contact/routeContact.ts';
import { ruleContext } from '../../src/core/contact/ruleContext.ts';
import type { RoutingInput } from '../../src/core/routing/route.ts';
import type { AccountState, Attributes, ContactState } from '../../src/core/types.ts';
import { mulberry32 } from '../../test/support/prng.ts';
import { routingModelOf } from '../../test/support/routingModel.ts';
import { withRulesFirst } from '../../test/support/routingRules.ts';
import { loadConfigText } from './scoringConfigs.ts';

// prettier-ignore
export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY',
  'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND',
  'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY',
] as const;
const TEAMS = ['west', 'central', 'east', 'international', 'general'] as const;
const INDUSTRIES = ['Software', 'Financial Services', 'Healthcare', 'Insurance', 'Logistics', 'Retail'];
const SENIORITY = ['c_level', 'vp', 'director', 'manager', 'individual_contributor'];

/** One generated routing rule: `company.state == "<state>" && company.employees >= <minEmployees>` → `team:<team>`. */
export interface GeneratedRule {
  readonly id: string;
  readonly name: string;
  readonly state: string;
  readonly minEmployees: number;
  readonly team: string;
}

/**
 * `extra` rules `company.state == "XX" && company.employees >= N` → a team, placed before the
 * template's rules. N runs from 4,000 to 99,000, above most generated leads (10–5,000 employees), so
 * most leads walk past every generated rule: the realistic worst case.
 */
export function generatedRules(extra: number): GeneratedRule[] {
  const rules: GeneratedRule[] = [];
  for (let i = 0; i < extra; i++) {
    rules.push({
      id: `gen-${i}`,
      name: `Generated ${i}`,
      state: US_STATES[i % US_STATES.length] ?? 'CA',
      minEmployees: 4000 + ((i * 7919) % 96) * 1000,
      team: TEAMS[i % TEAMS.length] ?? 'general',
    });
  }
  return rules;
}

/** The CEL condition of a generated rule, as written in the YAML. */
export function generatedWhen(rule: GeneratedRule): string {
  return `company.state == "${rule.state}" && company.employees >= ${rule.minEmployees}`;
}

/** `extra` generated rules before the template's own, loaded through the real loader. */
export function configWithRules(salesLed: string, extra: number): RevopsConfig {
  const rules = generatedRules(extra).map((rule) => ({
    id: rule.id,
    name: rule.name,
    when: generatedWhen(rule),
    to: `team:${rule.team}`,
  }));
  const text = withRulesFirst(salesLed, rules);
  return loadConfigText(text, `sales-led+${extra}-routing-rules.yaml`);
}

function attributes(values: Record<string, string | number>, at: number): Attributes {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, { value, at, eventId: 'bench', source: 'bench' }]),
  );
}

/** The compiled routing model; throws when the config has no routing section. */
export const routingOf = routingModelOf;

/** `n` varied leads: US states and a few other countries, 10–5,000 employees, mixed industries. */
export function routingInputs(config: RevopsConfig, n: number, seed: number): RoutingInput[] {
  const setup = engineSetup(config);
  const model = routingOf(config);
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const start = Date.parse('2026-11-02T14:00:00Z');
  const inputs: RoutingInput[] = [];
  for (let i = 0; i < n; i++) {
    const at = start + Math.floor(random() * 5 * 24) * 3_600_000;
    const domain = `lead${i}-co.example`;
    const abroad = random() < 0.08;
    const company = attributes(
      {
        name: `Lead Company ${i}`,
        domain,
        employees: 10 + Math.floor(random() * 4990),
        industry: pick(INDUSTRIES),
        country: abroad ? pick(['GB', 'DE', 'CA']) : 'US',
        ...(abroad ? {} : { state: pick(US_STATES) }),
      },
      at,
    );
    const contact: ContactState = {
      key: `c-${i}`,
      email: `first${i}@${domain}`,
      accountDomain: domain,
      attributes: attributes(
        { firstName: `First${i}`, lastName: `Last${i}`, seniority: pick(SENIORITY) },
        at,
      ),
      companyAttributes: company,
      stage: 'mql',
      stageEnteredAt: at,
      flags: [],
      createdAt: at,
      updatedAt: at,
      eventCount: 1,
    };
    const account: AccountState = {
      domain,
      attributes: company,
      contactCount: 1,
      createdAt: at,
      updatedAt: at,
    };
    inputs.push({
      lead: { contactKey: contact.key, accountDomain: domain },
      account: { domain },
      context: ruleContext(contact, account, undefined, setup.model.isFreeMail),
      now: at,
      load: repLoads(model, EMPTY_ROUTING_STATE, at),
      counters: EMPTY_ROUTING_STATE.counters,
    });
  }
  return inputs;
}

/** One event per new lead: a demo request (fast-tracked to MQL, so routed) or a page view. */
export function leadEvents(
  n: number,
  kind: 'demo_request' | 'page_view',
  start: number,
): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const domain = `${kind === 'page_view' ? 'pv' : 'dr'}${i}-co.example`;
    events.push({
      id: `route-${kind}-${i}`,
      type: kind === 'page_view' ? 'page_view' : 'form_submit',
      at: new Date(start + i * 1000).toISOString(),
      source: 'web',
      contact: {
        email: `first${i}@${domain}`,
        firstName: `First${i}`,
        lastName: `Last${i}`,
        title: 'VP Finance',
        seniority: 'vp',
      },
      company: {
        name: `Lead Company ${i}`,
        domain,
        employees: 600,
        industry: 'Software',
        country: 'US',
        state: US_STATES[i % US_STATES.length],
      },
      properties:
        kind === 'page_view'
          ? { url: `https://example.com/p/${i % 97}`, category: 'blog' }
          : { form: 'demo_request' },
    });
  }
  return events;
}
