/**
 * A rep's `sales_decision` about a lead. Accept moves it to `sql` when enough BANT criteria are
 * confirmed (`lifecycle.sqlRequires.bant`); too few, and the lead stays where it is and the rep is
 * told why (a `sql_refused` outbox row, so replay shows it). Reject follows the reason code's
 * action: `nurture` recycles the lead now, `recycle` recycles it with its nurture held until
 * `after`, `archive` disqualifies it for good. Pure: returns what to do, changes nothing.
 */
import type { OutboxEffect } from '../effects.ts';
import type { Duration } from '../time/duration.ts';
import type { ContactState, InboundEvent } from '../types.ts';
import { checkMove, type TransitionModel } from './transitions.ts';

export const BANT_CRITERIA = ['budget', 'authority', 'need', 'timeline'] as const;
export type BantCriterion = (typeof BANT_CRITERIA)[number];

/** The flag prefix a confirmed criterion is kept under on the contact (`bant:budget`). */
export const BANT_FLAG = 'bant:';

export const SQL_STAGE = 'sql';
export const ARCHIVE_STAGE = 'disqualified';
/** Stages a rejection no longer applies to: the lead has bought. */
const BOUGHT = new Set(['customer', 'evangelist']);

export interface ReasonCodeModel {
  readonly code: string;
  readonly reason: string;
  readonly action: 'nurture' | 'archive' | 'recycle';
  readonly after?: Duration | undefined;
}

export interface SalesDecisionPolicy {
  /** How many BANT criteria an accept needs (0: none). */
  readonly sqlRequires?: { readonly bant: number };
  readonly reasonCodes?: readonly ReasonCodeModel[];
  /** The stage recycled leads go to (`lifecycle.recycling.stage`). */
  readonly recyclingStage: string;
}

export type SalesDecisionOutcome =
  | { readonly kind: 'none' }
  /** Move to `to`; for `recycle`, the recycled stage's actions wait for `holdFor`. */
  | {
      readonly kind: 'move';
      readonly to: string;
      readonly reason: string;
      readonly action?: ReasonCodeModel['action'];
      readonly code?: string;
      readonly holdFor?: Duration;
    }
  /** The decision was not carried out: the lead stays, the effect says why; `block` may not be entered. */
  | { readonly kind: 'refused'; readonly effect: OutboxEffect; readonly block: readonly string[] };

/** The BANT criteria named by a sales decision's `bant` property (unknown names are dropped). */
export function bantOfEvent(event: InboundEvent): BantCriterion[] {
  const value = event.properties['bant'];
  if (!Array.isArray(value)) return [];
  return BANT_CRITERIA.filter((c) => value.includes(c));
}

/** The criteria confirmed for a contact so far (kept as `bant:` flags), in BANT order. */
export function bantOfContact(contact: ContactState): BantCriterion[] {
  return BANT_CRITERIA.filter((c) => contact.flags.includes(`${BANT_FLAG}${c}`));
}

function recipient(contact: ContactState, event: InboundEvent): string {
  const rep = event.properties['rep'];
  if (typeof rep === 'string' && rep !== '') return `rep:${rep}`;
  return contact.owner === undefined ? 'unassigned' : `rep:${contact.owner}`;
}

function refused(
  contact: ContactState,
  event: InboundEvent,
  why: string,
  extra: Record<string, string | number | readonly string[]>,
  block: readonly string[],
): SalesDecisionOutcome {
  return {
    kind: 'refused',
    block,
    effect: {
      kind: 'outbox',
      key: `sql_refused:${contact.key}:${event.id}`,
      type: 'sql_refused',
      contactKey: contact.key,
      at: event.at,
      payload: {
        to: recipient(contact, event),
        decision: typeof event.properties['decision'] === 'string' ? event.properties['decision'] : '',
        stage: contact.stage,
        message: why,
        ...extra,
      },
    },
  };
}

/**
 * What a sales decision does to `contact` (whose `bant:` flags already include the event's).
 * `stages` gives the allowed moves for an accept.
 */
export function decideSalesDecision(
  contact: ContactState,
  event: InboundEvent,
  policy: SalesDecisionPolicy,
  stages: TransitionModel,
): SalesDecisionOutcome {
  if (event.type !== 'sales_decision') return { kind: 'none' };
  const decision = event.properties['decision'];
  const name = contact.email ?? contact.key;
  if (decision === 'accept') {
    if (contact.stage === SQL_STAGE || !stages.stages.some((s) => s.id === SQL_STAGE))
      return { kind: 'none' };
    const required = policy.sqlRequires?.bant ?? 0;
    const bant = bantOfContact(contact);
    if (bant.length < required) {
      const missing = BANT_CRITERIA.filter((c) => !bant.includes(c));
      return refused(
        contact,
        event,
        `${name} stays in ${contact.stage}: an SQL needs ${required} of 4 BANT criteria confirmed (lifecycle.sqlRequires.bant), ` +
          `${bant.length === 0 ? 'none is' : `only ${bant.join(', ')} ${bant.length === 1 ? 'is' : 'are'}`}; ` +
          `confirm ${required - bant.length} more of ${missing.join(', ')} and send the decision again with \`bant\``,
        { required, bant },
        [SQL_STAGE],
      );
    }
    const check = checkMove(stages, contact.stage, SQL_STAGE);
    if (!check.ok) return refused(contact, event, check.issue.message, { required, bant }, [SQL_STAGE]);
    return {
      kind: 'move',
      to: SQL_STAGE,
      reason: `sales_decision accept${required > 0 ? ` with BANT ${bant.join(', ')} (${bant.length} of ${required} needed)` : ''}`,
    };
  }
  if (decision !== 'reject') return { kind: 'none' };
  const code = event.properties['reasonCode'];
  const rule = policy.reasonCodes?.find((r) => r.code === code);
  if (rule === undefined || typeof code !== 'string') return { kind: 'none' };
  if (BOUGHT.has(contact.stage))
    return refused(
      contact,
      event,
      `${name} is a ${contact.stage}: a sales rejection (${code}) no longer applies and nothing was changed`,
      { reasonCode: code },
      [],
    );
  const head = `sales_decision reject ${code} (${rule.reason})`;
  if (rule.action === 'archive') {
    if (contact.stage === ARCHIVE_STAGE) return { kind: 'none' };
    return {
      kind: 'move',
      to: ARCHIVE_STAGE,
      reason: `${head}: archive, never recycled`,
      action: 'archive',
      code,
    };
  }
  if (contact.stage === policy.recyclingStage) return { kind: 'none' };
  if (rule.action === 'recycle' && rule.after !== undefined)
    return {
      kind: 'move',
      to: policy.recyclingStage,
      reason: `${head}: recycle, nurture from ${rule.after.source} on`,
      action: 'recycle',
      code,
      holdFor: rule.after,
    };
  return { kind: 'move', to: policy.recyclingStage, reason: `${head}: nurture`, action: 'nurture', code };
}
