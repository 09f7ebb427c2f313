/**
 * Test builders for the deal desk: the company calendar, named instants, a deal with overrides,
 * tier conditions written as plain predicates over `deal` (a stand-in for the compiled CEL of the
 * templates' tiers, which src/config/dealDeskModel.test.ts runs for real) and the reference model.
 */
import { DateTime } from 'luxon';
import type { DealFieldValue, DealState } from '../../pipeline/types.ts';
import { ruleField, type CompiledRule, type RuleContext, type RuleValue } from '../../rule.ts';
import { createBusinessCalendar } from '../../time/calendar.ts';
import { parseDuration, type Duration } from '../../time/duration.ts';
import { OFFICE_HOURS } from '../../time/openingHours.ts';
import type { Millis } from '../../types.ts';
import type { ApprovalTierModel, DealDeskModel } from '../model.ts';

export const NY = 'America/New_York';

/** New York, Monday to Friday 09:00–17:00, US public holidays. */
export const COMPANY = createBusinessCalendar({
  timezone: NY,
  hours: OFFICE_HOURS,
  holidays: { country: 'US', extra: [], ignore: [] },
});

export const at = (iso: string, zone = NY): Millis => DateTime.fromISO(iso, { zone }).toMillis();
export const show = (t: Millis, zone = NY): string => DateTime.fromMillis(t, { zone }).toISO() ?? 'invalid';

export const dur = (text: string): Duration => {
  const d = parseDuration(text);
  if (d === undefined) throw new Error(`not a duration: ${text}`);
  return d;
};

/** Tuesday 10 March 2026, 10:00 New York (a working day). */
export const TUE_1000 = at('2026-03-10T10:00');
/** Two business days later. */
export const THU_1000 = at('2026-03-12T10:00');

export const addTime = (start: Millis, duration: Duration): Millis =>
  COMPANY.addBusinessTime(start, duration);

/** The owner is sofia, whose manager is dan. */
export const resolve = (recipient: string): string =>
  recipient === 'owner' ? 'rep:sofia' : recipient === 'manager' ? 'rep:dan' : recipient;

/** A number field of `deal`, or undefined. */
function num(context: RuleContext, field: string): number | undefined {
  const value: RuleValue | undefined = ruleField(context, 'deal', field);
  return typeof value === 'number' ? value : undefined;
}

/** A rule from a predicate; a missing field the predicate needs makes it false with an error. */
export function rule(id: string, test: (context: RuleContext) => boolean | undefined): CompiledRule {
  const explain = (context: RuleContext): { value: boolean; error?: string } => {
    const value = test(context);
    return value === undefined ? { value: false, error: 'no such key' } : { value };
  };
  return {
    kind: 'rule',
    id,
    source: id,
    scope: 'deal',
    evaluate: (context) => explain(context).value,
    explain,
    terms: [],
    bounds: [],
  };
}

const discount = (c: RuleContext): number | undefined => num(c, 'discountPercent');
const custom = (c: RuleContext): boolean => ruleField(c, 'deal', 'customTerms') === true;

export function tier(
  id: string,
  when: CompiledRule,
  approvers: readonly string[],
  mode: 'all' | 'any' = 'all',
): ApprovalTierModel {
  return { id, name: id, when, approvers, mode };
}

/** The templates' tiers (revops-SKILL.md "Approval Workflow Tiers"). */
export const REFERENCE_TIERS: readonly ApprovalTierModel[] = [
  tier(
    'standard',
    rule('standard', (c) => {
      const d = discount(c);
      return (d === undefined || d < 10) && !custom(c);
    }),
    [],
  ),
  tier(
    'sales-manager',
    rule('sales-manager', (c) => {
      const d = discount(c);
      return d === undefined ? undefined : d >= 10 && d < 20;
    }),
    ['manager'],
  ),
  tier(
    'vp-sales',
    rule('vp-sales', (c) => {
      const d = discount(c);
      return d === undefined ? undefined : d >= 20 && d < 40;
    }),
    ['role:vp_sales'],
  ),
  tier(
    'deal-desk',
    rule('deal-desk', (c) => {
      const d = discount(c);
      if (d !== undefined && d >= 40) return true;
      return custom(c);
    }),
    ['role:deal_desk'],
  ),
  tier(
    'multi-year',
    rule('multi-year', (c) => {
      const t = num(c, 'termMonths');
      return t === undefined ? undefined : t > 12;
    }),
    ['role:finance', 'role:legal'],
  ),
];

export function model(overrides: Partial<DealDeskModel> = {}): DealDeskModel {
  return {
    threshold: 25000,
    currency: 'USD',
    standardPaymentTerms: ['net-30'],
    tiers: REFERENCE_TIERS,
    match: 'all',
    approvalSla: dur('2 business days'),
    escalateTo: 'manager',
    exceptionsReview: 'quarterly',
    ...overrides,
  };
}

/** Overrides of a deal; `undefined` removes the field. */
export type DealOverrides = { readonly [K in keyof DealState]?: DealState[K] | undefined };

/** A standard deal: $12,000, 12 months, net-30, no discount, owned by sofia. */
export function deal(
  fields: Readonly<Record<string, DealFieldValue>> = {},
  overrides: DealOverrides = {},
): DealState {
  const t0 = at('2026-02-02T09:30');
  const built: Record<string, unknown> = {
    id: 'deal-1',
    pipeline: 'new-business',
    stage: 'proposal',
    status: 'open',
    name: 'Northwind platform',
    account: 'northwind.io',
    owner: 'sofia',
    amount: 12000,
    currency: 'USD',
    source: 'inbound',
    contacts: [{ contactKey: 'email:ava@northwind.io', role: 'primary' }],
    fields: { discountPercent: 0, termMonths: 12, paymentTerms: 'net-30', ...fields },
    createdAt: t0,
    updatedAt: t0,
    stageEnteredAt: t0,
    history: [],
    pushes: [],
    flags: { skipped: [], forecastReview: false },
    ...overrides,
  };
  for (const key of Object.keys(built)) if (built[key] === undefined) delete built[key];
  return built as unknown as DealState;
}
