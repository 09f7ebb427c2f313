/**
 * A deal's commercial terms as the deal desk reads them, and the rule context its tiers are
 * evaluated against. Each term comes from the deal's top-level field when it has one (`amount`,
 * `currency`, `source`), else from `deal.fields`. A value of the wrong type is left out (a rule that
 * reads it is false, `has()` says no); numbers written as text (`"25"`) and `"true"`/`"false"` are
 * accepted.
 */
import type { RuleContext, RuleValue } from '../rule.ts';
import type { DealFieldValue, DealState } from '../pipeline/types.ts';
import type { AttributeValue } from '../types.ts';

/** The terms a review looks at; absent when the deal does not say. */
export type DealTerms = {
  readonly amount?: number;
  readonly discountPercent?: number;
  readonly termMonths?: number;
  readonly paymentTerms?: string;
  readonly customTerms?: boolean;
};

function asNumber(value: DealFieldValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function asString(value: DealFieldValue | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function asBoolean(value: DealFieldValue | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return undefined;
}

function field(deal: DealState, name: string): DealFieldValue | undefined {
  return Object.hasOwn(deal.fields, name) ? deal.fields[name] : undefined;
}

/** The deal's terms (top-level `amount` first, then `fields`). */
export function dealTerms(deal: DealState): DealTerms {
  const terms: {
    amount?: number;
    discountPercent?: number;
    termMonths?: number;
    paymentTerms?: string;
    customTerms?: boolean;
  } = {};
  const amount = deal.amount ?? asNumber(field(deal, 'amount'));
  if (amount !== undefined) terms.amount = amount;
  const discount = asNumber(field(deal, 'discountPercent'));
  if (discount !== undefined) terms.discountPercent = discount;
  const term = asNumber(field(deal, 'termMonths'));
  if (term !== undefined) terms.termMonths = term;
  const payment = asString(field(deal, 'paymentTerms'));
  if (payment !== undefined) terms.paymentTerms = payment;
  const custom = asBoolean(field(deal, 'customTerms'));
  if (custom !== undefined) terms.customTerms = custom;
  return terms;
}

/**
 * Annual contract value: the amount spread over the years of a multi-year term
 * (`amount × 12 / termMonths` when `termMonths > 12`), else the amount itself. Undefined without an
 * amount.
 */
export function annualContractValue(terms: DealTerms): number | undefined {
  if (terms.amount === undefined) return undefined;
  const months = terms.termMonths;
  return months !== undefined && months > 12 ? (terms.amount * 12) / months : terms.amount;
}

/**
 * What a `dealDesk.tiers[].when` rule sees: `deal` (id, stage, amount, currency, discountPercent,
 * termMonths, paymentTerms, customTerms, source, pushes = close-date pushes so far), `account`
 * (its `domain`, when the deal names one) and `company` (the account's attributes, when given).
 * Absent values are left out rather than set to null.
 */
export function dealRuleContext(
  deal: DealState,
  company?: Readonly<Record<string, AttributeValue>>,
): RuleContext {
  const terms = dealTerms(deal);
  const values: { [key: string]: RuleValue } = { id: deal.id, stage: deal.stage };
  if (terms.amount !== undefined) values['amount'] = terms.amount;
  values['currency'] = deal.currency;
  if (terms.discountPercent !== undefined) values['discountPercent'] = terms.discountPercent;
  if (terms.termMonths !== undefined) values['termMonths'] = terms.termMonths;
  if (terms.paymentTerms !== undefined) values['paymentTerms'] = terms.paymentTerms;
  if (terms.customTerms !== undefined) values['customTerms'] = terms.customTerms;
  const source = deal.source ?? asString(field(deal, 'source'));
  if (source !== undefined) values['source'] = source;
  values['pushes'] = deal.pushes.length;
  const context: { [variable: string]: RuleValue } = { deal: values };
  if (deal.account !== undefined) context['account'] = { domain: deal.account };
  if (company !== undefined) context['company'] = company;
  return context;
}
