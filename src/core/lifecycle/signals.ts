/**
 * Lifecycle signals: facts that move a contact whatever its place in the funnel. A deal created
 * makes it an opportunity and a won deal a customer, from any earlier stage (recycled included;
 * an archived contact moves only by hand). An NPS answer of `evangelist.npsMin` or more, or a
 * referral (when `evangelist.referral`), makes a customer an evangelist and flags anyone else an
 * `evangelist_candidate`. Pure.
 */
import type { ContactState, InboundEvent } from '../types.ts';
import { ARCHIVE_STAGE } from './salesDecision.ts';

export interface EvangelistPolicy {
  readonly npsMin: number;
  readonly referral: boolean;
}

/** The funnel in order; a deal moves a contact forward along it, never back. */
export const FUNNEL = ['subscriber', 'lead', 'mql', 'sql', 'opportunity', 'customer', 'evangelist'] as const;
export const EVANGELIST_CANDIDATE = 'evangelist_candidate';

const DEAL_TARGETS: Readonly<Record<string, string>> = { created: 'opportunity', closed_won: 'customer' };

export type SignalOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'move'; readonly to: string; readonly reason: string }
  | { readonly kind: 'flag'; readonly flag: string; readonly reason: string };

function rank(stage: string): number {
  // Off the funnel (recycled): before every funnel stage.
  return (FUNNEL as readonly string[]).indexOf(stage);
}

export function decideSignal(
  contact: ContactState,
  event: InboundEvent,
  policy: EvangelistPolicy | undefined,
  stageIds: ReadonlySet<string>,
): SignalOutcome {
  if (contact.stage === ARCHIVE_STAGE) return { kind: 'none' };
  if (event.type === 'deal') {
    const action = event.properties['action'];
    if (typeof action !== 'string') return { kind: 'none' };
    const to = DEAL_TARGETS[action];
    if (to === undefined || !stageIds.has(to) || rank(contact.stage) >= rank(to)) return { kind: 'none' };
    const deal = event.properties['dealId'];
    return {
      kind: 'move',
      to,
      reason: `deal ${action}${typeof deal === 'string' ? ` (${deal})` : ''}: moves to ${to} from any earlier stage`,
    };
  }
  if (policy === undefined) return { kind: 'none' };
  const score = event.properties['score'];
  const promoter = event.type === 'nps' && typeof score === 'number' && score >= policy.npsMin;
  const referral = event.type === 'referral' && policy.referral;
  if (!promoter && !referral) return { kind: 'none' };
  const why = promoter
    ? `NPS ${String(score)} (evangelist.npsMin ${policy.npsMin})`
    : 'referred someone (evangelist.referral)';
  if (contact.stage === 'evangelist') return { kind: 'none' };
  if (contact.stage === 'customer' && stageIds.has('evangelist'))
    return { kind: 'move', to: 'evangelist', reason: `${why}: a customer becomes an evangelist` };
  if (contact.flags.includes(EVANGELIST_CANDIDATE)) return { kind: 'none' };
  return {
    kind: 'flag',
    flag: EVANGELIST_CANDIDATE,
    reason: `${why}: not a customer yet, so an evangelist candidate`,
  };
}
