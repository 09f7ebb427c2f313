/**
 * Why a deal is non-standard (revops-SKILL.md "When You Need a Deal Desk"): ACV above the
 * threshold, a discount beyond standard pricing (10% or more: the first approval tier), payment
 * terms outside the standard ones, a multi-year term (over 12 months), custom terms. Each exception
 * says what it is in words, with the figure, and is logged on the approval request so the
 * exceptions report can count them. Exceptions explain; the tiers decide who approves. The ACV is
 * compared with the threshold as written: a deal in another currency than the company's is not
 * converted.
 */
import type { ApprovalException, DealState } from '../pipeline/types.ts';
import type { DealDeskModel } from './model.ts';
import { annualContractValue, dealTerms } from './terms.ts';

/** Discounts from this percentage on are beyond standard pricing (the reference's first tier). */
export const STANDARD_DISCOUNT_LIMIT = 10;

/** `12`, `12.5`, `33,333.33`: thousands grouped, cents only when there are some. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  const negative = rounded < 0;
  const [whole = '0', cents] = Math.abs(rounded).toFixed(2).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const text = cents === undefined || cents === '00' ? grouped : `${grouped}.${cents.replace(/0$/, '')}`;
  return negative ? `-${text}` : text;
}

/** `$30,000` for US dollars, `30,000 EUR` otherwise (no conversion: the figure as written). */
export function formatMoney(value: number, currency: string): string {
  return currency.toUpperCase() === 'USD' ? `$${formatNumber(value)}` : `${formatNumber(value)} ${currency}`;
}

/** The deal's exceptions in `EXCEPTION_KINDS` order; empty for a standard deal. */
export function reviewExceptions(deal: DealState, model: DealDeskModel): ApprovalException[] {
  const terms = dealTerms(deal);
  const out: ApprovalException[] = [];
  const acv = annualContractValue(terms);
  if (acv !== undefined && acv > model.threshold) {
    out.push({
      kind: 'acv_over_threshold',
      detail: `ACV ${formatMoney(acv, deal.currency)} over the ${formatMoney(model.threshold, model.currency)} threshold`,
    });
  }
  if (terms.discountPercent !== undefined && terms.discountPercent >= STANDARD_DISCOUNT_LIMIT) {
    out.push({ kind: 'discount', detail: `${formatNumber(terms.discountPercent)}% discount` });
  }
  if (terms.paymentTerms !== undefined && !model.standardPaymentTerms.includes(terms.paymentTerms)) {
    out.push({ kind: 'payment_terms', detail: `${terms.paymentTerms} payment terms` });
  }
  if (terms.termMonths !== undefined && terms.termMonths > 12) {
    out.push({ kind: 'multi_year', detail: `${formatNumber(terms.termMonths)}-month term` });
  }
  if (terms.customTerms === true) out.push({ kind: 'custom_terms', detail: 'custom terms' });
  return out;
}
