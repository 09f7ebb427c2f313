/**
 * From a loaded config to the deal desk model core/dealdesk runs: `dealDesk` with each tier's
 * compiled `when` named by its config path (`dealDesk.tiers[2].when`) and the threshold's currency
 * (`company.currency`). Everything is frozen.
 */
import type { ApprovalTierModel, DealDeskModel } from '../core/dealdesk/model.ts';
import type { RevopsConfig } from './schema/index.ts';

/**
 * The deal desk model of `config`, or undefined when the config has no `dealDesk` section (the
 * schema requires one today; callers answer `approval.not_configured` when it is missing). Never
 * throws.
 */
export function dealDeskModel(config: RevopsConfig): DealDeskModel | undefined {
  const section: RevopsConfig['dealDesk'] | undefined = config.dealDesk;
  if (section === undefined) return undefined;
  const tiers = section.tiers.map((tier, i): ApprovalTierModel =>
    Object.freeze({
      id: tier.id,
      name: tier.name,
      when: Object.freeze(Object.assign({}, tier.when, { id: `dealDesk.tiers[${i}].when` })),
      approvers: Object.freeze([...tier.approvers]),
      mode: tier.mode,
    }),
  );
  return Object.freeze({
    threshold: section.threshold,
    currency: config.company.currency,
    standardPaymentTerms: Object.freeze([...section.standardPaymentTerms]),
    tiers: Object.freeze(tiers),
    match: section.match,
    approvalSla: section.approvalSla,
    escalateTo: section.escalateTo,
    exceptionsReview: section.exceptionsReview,
  });
}
