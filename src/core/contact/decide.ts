/**
 * The pure decision for one event about one contact: merge attributes (latest wins, with
 * provenance), roll the account up, record touches, move the stage when entry criteria are met,
 * and turn actions on entry into effects. Returns the next state and what to write; does nothing.
 */
import type { Effect, FiredTimer } from '../effects.ts';
import { mergeAttributes } from '../identity/attributes.ts';
import type { Identity } from '../identity/resolve.ts';
import { stageEntryEffects, type ActionEnvironment, type StageAction } from '../lifecycle/actions.ts';
import { automaticMoves, type StageModel } from '../lifecycle/placement.ts';
import type { AccountState, ContactState, InboundEvent, Millis, StageChange, Touch } from '../types.ts';
import { ruleContext } from './ruleContext.ts';
import type { AssignmentRow } from '../ports.ts';
import type { RoutingModel } from '../routing/model.ts';
import { rollUpAccount } from '../scoring/account.ts';
import { routeContact, type RoutingState } from './routeContact.ts';
import { applyScore, type ScoringSetup } from '../scoring/contactScore.ts';
import { emptyMemory, observe } from '../scoring/memory.ts';

export interface DecisionModel extends ActionEnvironment {
  /** Lead scoring; absent, contacts are not scored. */
  readonly scoring?: ScoringSetup;
  readonly lifecycle: {
    readonly initialStage: string;
    readonly stages: readonly (StageModel & { readonly onEntry: readonly StageAction[] })[];
  };
  readonly isFreeMail: (domain: string) => boolean;
  /** Lead routing; absent, nobody is assigned. */
  readonly routing?: RoutingModel;
  /** The named (ABM) account entry for a domain, if routing names it. */
  readonly namedAccount?: (domain: string) => { readonly owner: string; readonly tier: number } | undefined;
}

export interface Decision {
  readonly contact: ContactState;
  readonly account?: AccountState;
  readonly stageChanges: readonly StageChange[];
  readonly touches: readonly Touch[];
  readonly effects: readonly Effect[];
  /** Routing decisions made (the audit rows). */
  readonly assignments: readonly AssignmentRow[];
  /** The routing state after this event (when routing state was given). */
  readonly routing?: RoutingState;
  /** The contact entered a routing stage but no routing state was given: decide again with it. */
  readonly needsRouting: boolean;
}

/** Events that are not the lead's own behaviour: they do not count as activity. */
const NOT_ACTIVITY = new Set(['identify', 'rep_activity', 'sales_decision']);
const IDENTITY_FIELDS = new Set(['email', 'id']);

export function newContact(identity: Identity, stage: string, at: Millis): ContactState {
  return {
    key: identity.key,
    ...(identity.email === undefined ? {} : { email: identity.email }),
    ...(identity.externalId === undefined ? {} : { externalId: identity.externalId }),
    ...(identity.accountDomain === undefined ? {} : { accountDomain: identity.accountDomain }),
    attributes: {},
    companyAttributes: {},
    stage,
    stageEnteredAt: at,
    flags: [],
    createdAt: at,
    updatedAt: at,
    eventCount: 0,
  };
}

export function newAccount(domain: string, at: Millis): AccountState {
  return { domain, attributes: {}, contactCount: 0, createdAt: at, updatedAt: at };
}

export function decideEvent(input: {
  readonly contact: ContactState | undefined;
  readonly account: AccountState | undefined;
  readonly identity: Identity;
  readonly event: InboundEvent;
  readonly model: DecisionModel;
  /** What routing reads of the database (fetched for the batch); absent until a lead needs routing. */
  readonly routing?: RoutingState | undefined;
}): Decision {
  const { event, identity, model } = input;
  const at = event.at;
  const provenance = { at, eventId: event.id, source: event.source };
  const isNew = input.contact === undefined;
  let contact = input.contact ?? newContact(identity, model.lifecycle.initialStage, at);
  // A decay step passed since the last update and no sweep has run: bring the stored score to this
  // instant first (before the event changes anything), so a lead that decayed below the MQL rule
  // and comes back qualifies again.
  if (
    model.scoring !== undefined &&
    contact.score !== undefined &&
    contact.nextDecayAt !== undefined &&
    contact.nextDecayAt <= at &&
    at >= contact.updatedAt
  ) {
    contact = applyScore(contact, input.account, model.scoring, model.isFreeMail, at).contact;
  }

  // identity: an email learnt later re-keys nothing (the key stays), but is recorded.
  const accountDomain = contact.accountDomain ?? identity.accountDomain;
  contact = Object.assign({}, contact, {
    attributes: mergeAttributes(contact.attributes, event.contact, provenance, IDENTITY_FIELDS),
    companyAttributes: mergeAttributes(contact.companyAttributes, event.company, provenance),
    updatedAt: Math.max(contact.updatedAt, at),
    eventCount: contact.eventCount + 1,
    ...(contact.email === undefined && identity.email !== undefined ? { email: identity.email } : {}),
    ...(contact.externalId === undefined && identity.externalId !== undefined
      ? { externalId: identity.externalId }
      : {}),
    ...(accountDomain === undefined ? {} : { accountDomain }),
    ...(NOT_ACTIVITY.has(event.type) ? {} : { lastActivityAt: Math.max(contact.lastActivityAt ?? at, at) }),
  });

  // account roll-up
  let account = input.account;
  if (contact.accountDomain !== undefined) {
    const joins = account === undefined || isNew || input.contact?.accountDomain === undefined;
    account ??= newAccount(contact.accountDomain, at);
    const { named: _previous, ...unnamed } = account;
    const named = model.namedAccount?.(account.domain);
    account = Object.assign({}, unnamed, {
      attributes: mergeAttributes(account.attributes, event.company, provenance, new Set(['domain'])),
      contactCount: account.contactCount + (joins ? 1 : 0),
      updatedAt: Math.max(account.updatedAt, at),
      ...(named === undefined ? {} : { named: { owner: named.owner, tier: named.tier } }),
      ...(NOT_ACTIVITY.has(event.type) ? {} : { lastActivityAt: Math.max(account.lastActivityAt ?? at, at) }),
    });
  }

  // scoring: remember what this event means for the score, then score as of the event
  const effects: Effect[] = [];
  if (model.scoring !== undefined) {
    const scoring = observe(
      contact.scoring ?? Object.assign(emptyMemory(), { model: model.scoring.fingerprint }),
      event,
      ruleContext(contact, account, event, model.isFreeMail),
      model.scoring.model,
    );
    // As of the latest instant the contact is known at: a late event about the past does not
    // move the score back in time.
    const scored = applyScore(
      Object.assign({}, contact, { scoring }),
      account,
      model.scoring,
      model.isFreeMail,
      contact.updatedAt,
    );
    contact = scored.contact;
    effects.push(...scored.effects);
    if (account !== undefined && contact.score !== undefined) {
      const rolled = rollUpAccount(
        account,
        { key: contact.key, score: contact.score, lastActivityAt: contact.lastActivityAt },
        model.scoring.model,
        account.updatedAt,
      );
      account = rolled.account;
      effects.push(...rolled.effects);
    }
  }

  // touches
  const touches: Touch[] = [];
  if (event.type === 'rep_activity') {
    const rep = typeof event.properties['rep'] === 'string' ? event.properties['rep'] : contact.owner;
    const kind = typeof event.properties['kind'] === 'string' ? event.properties['kind'] : 'note';
    touches.push({
      contactKey: contact.key,
      at,
      kind,
      eventId: event.id,
      ...(rep === undefined ? {} : { rep }),
    });
    contact = Object.assign({}, contact, { lastTouchAt: Math.max(contact.lastTouchAt ?? at, at) });
  }

  // lifecycle: place a new contact, then follow entry criteria. Actions on entry run for the
  // stage the contact ends in; stages passed through within the same event only enter history.
  const stageChanges: StageChange[] = [];
  const before = contact.stage;
  if (isNew) {
    stageChanges.push({
      contactKey: contact.key,
      to: contact.stage,
      at,
      cause: event.id,
      reason: 'first seen: lifecycle.initialStage',
    });
  }
  const moved = advance(contact, account, event, model, event.id);
  contact = moved.contact;
  stageChanges.push(...moved.stageChanges);

  // routing: entering a routing stage assigns the lead before that stage's actions run (so tasks
  // and alerts go to the new owner)
  const assignments: AssignmentRow[] = [];
  let routingState = input.routing;
  let needsRouting = false;
  const routeIfEntered = (stages: readonly string[]) => {
    const routing = model.routing;
    if (routing === undefined || assignments.length > 0 || needsRouting) return;
    if (!stages.some((stage) => routing.on.includes(stage))) return;
    if (routingState === undefined) {
      needsRouting = true;
      return;
    }
    const routed = routeContact({
      model: routing,
      state: routingState,
      contact,
      account,
      context: ruleContext(contact, account, undefined, model.isFreeMail),
      at,
      cause: event.id,
    });
    contact = routed.contact;
    account = routed.account;
    routingState = routed.state;
    assignments.push(routed.assignment);
    effects.push(...routed.effects);
  };
  routeIfEntered(moved.stageChanges.map((c) => c.to));
  if (isNew && account?.owner !== undefined && input.account?.owner !== undefined) {
    // A new contact at an owned account: its owner hears about it (multi-contact handling).
    effects.push({
      kind: 'outbox',
      key: `account_contact:${contact.key}`,
      type: 'account_contact',
      contactKey: contact.key,
      at,
      payload: { to: `rep:${account.owner}`, account: account.domain },
    });
  }

  if (isNew || contact.stage !== before) {
    const entered = enterStage(contact, contact.stage, at, model);
    contact = entered.contact;
    effects.push(...entered.effects);
    if (entered.setStage !== undefined && entered.setStage !== contact.stage) {
      const from = contact.stage;
      contact = Object.assign({}, contact, { stage: entered.setStage, stageEnteredAt: at });
      stageChanges.push({
        contactKey: contact.key,
        from,
        to: entered.setStage,
        at,
        cause: event.id,
        reason: `set_stage action on entering ${from}`,
      });
      routeIfEntered([entered.setStage]);
      const next = enterStage(contact, entered.setStage, at, model);
      contact = next.contact;
      effects.push(...next.effects);
    }
  }

  return {
    contact,
    ...(account === undefined ? {} : { account }),
    stageChanges,
    touches,
    effects,
    assignments,
    ...(routingState === undefined ? {} : { routing: routingState }),
    needsRouting,
  };
}

function enterStage(contact: ContactState, stage: string, at: Millis, model: DecisionModel) {
  const definition = model.lifecycle.stages.find((s) => s.id === stage);
  const outcome = stageEntryEffects(definition?.onEntry ?? [], contact, stage, at, model);
  const flags = outcome.flags.filter((f) => !contact.flags.includes(f));
  return {
    contact: flags.length > 0 ? Object.assign({}, contact, { flags: [...contact.flags, ...flags] }) : contact,
    effects: outcome.effects,
    setStage: outcome.setStage,
  };
}

function advance(
  start: ContactState,
  account: AccountState | undefined,
  event: InboundEvent | undefined,
  model: DecisionModel,
  cause: string,
) {
  let contact = start;
  const at = event?.at ?? start.updatedAt;
  const stageChanges: StageChange[] = [];
  const moves = automaticMoves(model.lifecycle, contact.stage, (stage) =>
    ruleContext(Object.assign({}, contact, { stage }), account, event, model.isFreeMail),
  );
  for (const move of moves) {
    contact = Object.assign({}, contact, { stage: move.to, stageEnteredAt: at });
    stageChanges.push({
      contactKey: contact.key,
      from: move.from,
      to: move.to,
      at,
      cause,
      reason: move.reason,
    });
  }
  return { contact, stageChanges };
}

/**
 * What a fired timer decides. The engine writes it in the timer's transaction, with the contact
 * locked as on ingest: the effects, the contact when the timer changed it (and its stage history),
 * and a reassignment through routing (an SLA ladder's last step) after those.
 */
export interface TimerDecision {
  readonly effects: readonly Effect[];
  /** The contact after the timer, when the timer changed it. */
  readonly contact?: ContactState;
  readonly stageChanges?: readonly StageChange[];
  /** Route the lead again, excluding its owner (who must still be `expectedOwner`). */
  readonly reassign?: { readonly reason: string; readonly expectedOwner?: string };
}

/** A fired timer: an overdue task alerts its assignee. Unknown timer kinds do nothing. */
export function decideTimer(
  _model: DecisionModel,
  timer: FiredTimer,
  contact: ContactState | undefined,
  now: Millis,
): TimerDecision {
  if (timer.payload['kind'] === 'task_due') {
    return {
      effects: [
        {
          kind: 'outbox',
          key: `overdue:${timer.key}:${timer.dueAt}`,
          type: 'task_overdue',
          ...(contact === undefined ? {} : { contactKey: contact.key }),
          at: now,
          payload: {
            to: timer.payload['assignee'] ?? 'unassigned',
            task: timer.payload['task'] ?? timer.key,
            title: timer.payload['title'] ?? '',
          },
        },
      ],
    };
  }
  return { effects: [] };
}
