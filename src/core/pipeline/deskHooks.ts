/**
 * What the pipeline and the engine need of the deal desk, bound to the workspace's `dealDesk`
 * config (config/engineModel.ts builds it from core/dealdesk). Kept as an interface so core/pipeline
 * depends on the desk's behaviour, not on how tiers are compiled.
 */
import type { Effect } from '../effects.ts';
import type { ContactState, Millis } from '../types.ts';
import type { ApprovalRequest, DealState } from './types.ts';

export interface ApprovalVoteInput {
  readonly approver: string;
  readonly decision: 'approve' | 'reject';
  readonly comment?: string;
  readonly at: Millis;
  readonly by?: string;
}

export interface DealDeskHooks {
  /** Deals above this ACV are reviewed by the deal desk. */
  readonly threshold: number;
  /** The deal's n-th approval request (`sequence`), or undefined when the desk reviews nothing. */
  request(
    deal: DealState,
    at: Millis,
    sequence: number,
    contact?: ContactState,
  ): { readonly request: ApprovalRequest; readonly effects: readonly Effect[] } | undefined;
  /** Records one approver's answer; throws `RevopsError` (`approval.*`) when it cannot be taken. */
  decide(
    request: ApprovalRequest,
    vote: ApprovalVoteInput,
    deal: DealState | undefined,
  ): { readonly request: ApprovalRequest; readonly effects: readonly Effect[] };
  /** The approval SLA passed: escalates a pending request (nothing for a decided one). */
  escalate(
    request: ApprovalRequest,
    at: Millis,
    deal: DealState | undefined,
  ): { readonly request: ApprovalRequest; readonly effects: readonly Effect[] };
}
