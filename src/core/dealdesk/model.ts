/**
 * The deal desk as core/ runs it: when a deal's terms need review (the ACV threshold and the
 * standard payment terms), the approval tiers with their compiled `when` rules and approvers, how
 * tiers combine, and the approval SLA with its escalation recipient. config/dealDeskModel.ts builds
 * it from the `dealDesk` section; terms.ts, exceptions.ts, approval.ts and report.ts decide.
 */
import type { CompiledRule } from '../rule.ts';
import type { Duration } from '../time/duration.ts';

/** One approval tier (`dealDesk.tiers[]`): the deals it covers and who signs them off. */
export interface ApprovalTierModel {
  readonly id: string;
  readonly name: string;
  /** Scope `deal`: reads `deal`, `account`, `company` (see `dealRuleContext`). */
  readonly when: CompiledRule;
  /** As configured (`manager`, `owner`, `rep:x`, `role:x`, …); empty: the tier approves by itself. */
  readonly approvers: readonly string[];
  /** `all`: every approver must approve; `any`: one approval is enough. */
  readonly mode: 'all' | 'any';
}

export interface DealDeskModel {
  /** Deals whose ACV is above this (in the company currency) are non-standard. */
  readonly threshold: number;
  /** The company currency the threshold is written in (`company.currency`, ISO code). */
  readonly currency: string;
  /** Payment terms that need no review (`net-30`). */
  readonly standardPaymentTerms: readonly string[];
  /** In config order. */
  readonly tiers: readonly ApprovalTierModel[];
  /** `all`: every matching tier must approve; `first`: only the first matching tier. */
  readonly match: 'all' | 'first';
  /** How long approvers have before the request escalates (business time, usually). */
  readonly approvalSla: Duration;
  /** Who hears about an overdue request (a recipient, `manager` by default). */
  readonly escalateTo: string;
  /** How often the exceptions log is reviewed. */
  readonly exceptionsReview: 'monthly' | 'quarterly';
}
