/**
 * The pure decision for one event about one contact: merge attributes (latest wins, with
 * provenance), roll the account up, record touches, move the stage when entry criteria are met,
 * and turn actions on entry into effects. Returns the next state and what to write; does nothing.
 */
import type { Building } from '../building.ts';
import type { DealDeskHooks } from '../pipeline/deskHooks.ts';
import type { PipelineModel } from '../pipeline/model.ts';
import type { Effect, FiredTimer, OutboxEffect } from '../effects.ts';
import { decideSlaTimer, slaTimerRef } from '../sla/ladder.ts';
import type { SlaClock, SlaModel } from '../sla/model.ts';
import { clocksForEvent } from './slaClocks.ts';
import { mergeAttributes } from '../identity/attributes.ts';
import type { Identity } from '../identity/resolve.ts';
import { stageEntryEffects, type ActionEnvironment, type StageAction } from '../lifecycle/actions.ts';
import { automaticMoves, type StageModel } from '../lifecycle/placement.ts';
import {
  decideRecyclingTimer,
  flagRecycledMql,
  leaveRecycling,
  onRecycledActivity,
  recycledContact,
  recyclingTimers,
  ARCHIVE_TIMER,
  NURTURE_TIMER,
  RECYCLED_FLAG,
  type RecyclingPolicy,
} from '../lifecycle/recycling.ts';
import {
  ARCHIVE_STAGE,
  BANT_FLAG,
  bantOfEvent,
  decideSalesDecision,
  type ReasonCodeModel,
  type SalesDecisionPolicy,
} from '../lifecycle/salesDecision.ts';
import { decideSignal, type EvangelistPolicy } from '../lifecycle/signals.ts';
import type { Duration } from '../time/duration.ts';
import type { AccountState, ContactState, InboundEvent, Millis, StageChange, Touch } from '../types.ts';
import { ruleContext } from './ruleContext.ts';
import type { RuleContext } from '../rule.ts';
import type { AssignmentRow } from '../ports.ts';
import type { RoutingModel } from '../routing/model.ts';
import { rollUpAccount } from '../scoring/account.ts';
import { routeContact, type RoutingState } from './routeContact.ts';
import { applyScore, type ScoringSetup } from '../scoring/contactScore.ts';
import { emptyMemory, observe, resetEngagement } from '../scoring/memory.ts';

export interface DecisionModel extends ActionEnvironment {
  /** Lead scoring; absent, contacts are not scored. */
  readonly scoring?: ScoringSetup;
  readonly lifecycle: {
    readonly initialStage: string;
    readonly stages: readonly (StageModel & { readonly onEntry: readonly StageAction[] })[];
    /** How many BANT criteria a sales accept needs (`lifecycle.sqlRequires`); absent: none. */
    readonly sqlRequires?: { readonly bant: number };
    /** Rejection reason codes and what each does; absent: rejections move nobody. */
    readonly reasonCodes?: readonly ReasonCodeModel[];
    /** Recycling; absent: rejections with nurture or recycle move nobody. */
    readonly recycling?: RecyclingPolicy;
    /** NPS and referral thresholds for evangelists; absent: only entry criteria apply. */
    readonly evangelist?: EvangelistPolicy;
  };
  readonly isFreeMail: (domain: string) => boolean;
  /** Lead routing; absent, nobody is assigned. */
  readonly routing?: RoutingModel;
  /** The named (ABM) account entry for a domain, if routing names it. */
  readonly namedAccount?: (domain: string) => { readonly owner: string; readonly tier: number } | undefined;
  /** SLA clocks; absent or without clocks, no clock runs. */
  readonly sla?: SlaModel;
  /** Deal pipelines; absent, `deal` events move contacts only. */
  readonly pipeline?: PipelineModel;
  /** The deal desk; absent, `request_approval` asks nobody. */
  readonly dealDesk?: DealDeskHooks;
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
  /** SLA clock rows started or stopped by this event (to upsert). */
  readonly clocks: readonly SlaClock[];
  /** The lead's running SLA clocks after this event. */
  readonly runningClocks: readonly SlaClock[];
}

/** Events that are not the lead's own behaviour: they do not count as activity. */
const NOT_ACTIVITY = new Set(['identify', 'rep_activity', 'sales_decision']);
const IDENTITY_FIELDS = new Set(['email', 'id']);

export function newContact(identity: Identity, stage: string, at: Millis): ContactState {
  const contact: Building<ContactState> = { key: identity.key };
  if (identity.email !== undefined) contact.email = identity.email;
  if (identity.externalId !== undefined) contact.externalId = identity.externalId;
  if (identity.accountDomain !== undefined) contact.accountDomain = identity.accountDomain;
  contact.attributes = {};
  contact.companyAttributes = {};
  contact.stage = stage;
  contact.stageEnteredAt = at;
  contact.flags = [];
  contact.createdAt = at;
  contact.updatedAt = at;
  contact.eventCount = 0;
  return contact as ContactState;
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
  /** The lead's running SLA clocks (as stored, or as earlier events of the batch left them). */
  readonly clocks?: readonly SlaClock[] | undefined;
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
  // Overwritten keys keep their place; new ones (email, externalId, …) go last, in this order.
  const merged: Building<ContactState> = { ...contact };
  merged.attributes = mergeAttributes(contact.attributes, event.contact, provenance, IDENTITY_FIELDS);
  merged.companyAttributes = mergeAttributes(contact.companyAttributes, event.company, provenance);
  merged.updatedAt = Math.max(contact.updatedAt, at);
  merged.eventCount = contact.eventCount + 1;
  if (contact.email === undefined && identity.email !== undefined) merged.email = identity.email;
  if (contact.externalId === undefined && identity.externalId !== undefined)
    merged.externalId = identity.externalId;
  if (accountDomain !== undefined) merged.accountDomain = accountDomain;
  if (!NOT_ACTIVITY.has(event.type)) merged.lastActivityAt = Math.max(contact.lastActivityAt ?? at, at);
  contact = merged as ContactState;

  // account roll-up
  let account = input.account;
  if (contact.accountDomain !== undefined) {
    const joins = account === undefined || isNew || input.contact?.accountDomain === undefined;
    account ??= newAccount(contact.accountDomain, at);
    // A fresh copy without `named`, filled in place: `named` (re-read each event) goes after the rest.
    const { named: _previous, ...unnamed } = account;
    const named = model.namedAccount?.(account.domain);
    const next: Building<AccountState> = unnamed;
    next.attributes = mergeAttributes(account.attributes, event.company, provenance, new Set(['domain']));
    next.contactCount = account.contactCount + (joins ? 1 : 0);
    next.updatedAt = Math.max(account.updatedAt, at);
    if (named !== undefined) next.named = { owner: named.owner, tier: named.tier };
    if (!NOT_ACTIVITY.has(event.type)) next.lastActivityAt = Math.max(account.lastActivityAt ?? at, at);
    account = next as AccountState;
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

  // BANT criteria confirmed on a sales decision stay on the contact (`bant:<criterion>` flags).
  const bant = event.type === 'sales_decision' ? bantOfEvent(event) : [];
  if (bant.length > 0)
    contact = withFlags(
      contact,
      bant.map((c) => `${BANT_FLAG}${c}`),
    );

  // lifecycle: place a new contact; then a sales decision or a lifecycle signal (deal, NPS,
  // referral) moves it, or else entry criteria do. Actions on entry run for the stage the contact
  // ends in; stages passed through within the same event only enter history.
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
  const native = nativeMove(contact, event, model);
  effects.push(...native.effects);
  contact = native.contact;
  const moved =
    native.move === undefined
      ? advance(contact, account, event, model, event.id, native.block)
      : moveTo(contact, native.move.to, at, event.id, native.move.reason);
  contact = moved.contact;
  stageChanges.push(...moved.stageChanges);
  const settled = settleRecycling(before, contact, account, model, at, {
    activity: !NOT_ACTIVITY.has(event.type),
    ...(native.move?.holdFor === undefined || native.move.code === undefined
      ? {}
      : { hold: { holdFor: native.move.holdFor, code: native.move.code } }),
  });
  contact = settled.contact;
  effects.push(...settled.effects);

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

  const recycledMql = settled.recycledMql;
  // A recycle reason code holds the recycled stage's actions (its nurture) until its timer fires.
  const held = native.move?.holdFor !== undefined && contact.stage === native.move.to;
  if ((isNew || contact.stage !== before) && !held) {
    const entered = enterStage(contact, contact.stage, at, model, account);
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
      const next = enterStage(contact, entered.setStage, at, model, account);
      contact = next.contact;
      effects.push(...next.effects);
    }
  }

  // SLA clocks: what this event stopped and started (nothing while routing is still to come).
  // The rule context is built only when the config has clocks: this runs for every event.
  const clocks =
    needsRouting || model.sla === undefined || model.sla.clocks.length === 0
      ? { changed: [], running: input.clocks ?? [], effects: [] }
      : clocksForEvent({
          model: model.sla,
          running: input.clocks ?? [],
          contact,
          event,
          context: ruleContext(contact, account, event, model.isFreeMail),
          stageChanges,
          assignments,
          tier: account?.named?.tier,
        });
  effects.push(...clocks.effects);

  const decision: Building<Decision> = { contact };
  if (account !== undefined) decision.account = account;
  decision.stageChanges = stageChanges;
  decision.touches = touches;
  decision.effects = recycledMql === undefined ? effects : effects.map((e) => flagPayload(e, recycledMql));
  decision.assignments = assignments;
  if (routingState !== undefined) decision.routing = routingState;
  decision.needsRouting = needsRouting;
  decision.clocks = clocks.changed;
  decision.runningClocks = clocks.running;
  return decision as Decision;
}

function withFlags(contact: ContactState, add: readonly string[]): ContactState {
  const flags = add.filter((f, i) => !contact.flags.includes(f) && add.indexOf(f) === i);
  return flags.length > 0 ? Object.assign({}, contact, { flags: [...contact.flags, ...flags] }) : contact;
}

/** Outbox rows of a recycled lead's new MQL handoff say so (`recycled_mql: true`). */
const HANDOFF_TYPES = new Set(['mql', 'assigned', 'queued', 'routing_review', 'notify']);
function flagPayload(effect: Effect, flag: string): Effect {
  if (effect.kind !== 'outbox' || !HANDOFF_TYPES.has(effect.type)) return effect;
  return Object.assign({}, effect, { payload: Object.assign({}, effect.payload, { [flag]: true }) });
}

/** Resets engagement to its baseline (fit is kept) and rescores the contact at its latest instant. */
function resetAndRescore(
  contact: ContactState,
  account: AccountState | undefined,
  model: DecisionModel,
  at: Millis,
  reset: (c: ContactState) => ContactState,
): { contact: ContactState; effects: Effect[] } {
  const next = reset(contact);
  if (model.scoring === undefined || next.scoring === undefined) return { contact: next, effects: [] };
  return applyScore(next, account, model.scoring, model.isFreeMail, Math.max(next.updatedAt, at));
}

function enterStage(
  contact: ContactState,
  stage: string,
  at: Millis,
  model: DecisionModel,
  account: AccountState | undefined,
) {
  const definition = model.lifecycle.stages.find((s) => s.id === stage);
  const outcome = stageEntryEffects(definition?.onEntry ?? [], contact, stage, at, model);
  let next = withFlags(contact, outcome.flags);
  const effects: Effect[] = [...outcome.effects];
  if (outcome.resetEngagement === true && next.scoring !== undefined) {
    const reset = resetAndRescore(next, account, model, at, (c) =>
      c.scoring === undefined ? c : Object.assign({}, c, { scoring: resetEngagement(c.scoring, at) }),
    );
    next = reset.contact;
    effects.push(...reset.effects);
  }
  return { contact: next, effects, setStage: outcome.setStage };
}

function moveTo(contact: ContactState, to: string, at: Millis, cause: string, reason: string) {
  const change: StageChange = { contactKey: contact.key, from: contact.stage, to, at, cause, reason };
  return { contact: Object.assign({}, contact, { stage: to, stageEnteredAt: at }), stageChanges: [change] };
}

/** A move a sales decision or a lifecycle signal asks for. */
interface NativeMove {
  to: string;
  reason: string;
  /** A recycle code: the recycled stage's actions wait this long. */
  holdFor?: Duration;
  code?: string;
}

/** The event types that can move a contact by themselves (the rest move it by entry criteria). */
const LIFECYCLE_EVENTS = new Set(['sales_decision', 'deal', 'nps', 'referral']);

/**
 * A sales decision or a lifecycle signal (deal, NPS, referral): the move it asks for, or the
 * stages entry criteria may not enter for this event (an accept without enough BANT), and what
 * the contact hears.
 */
function nativeMove(
  contact: ContactState,
  event: InboundEvent,
  model: DecisionModel,
): {
  contact: ContactState;
  effects: Effect[];
  move?: NativeMove;
  block?: ReadonlySet<string>;
} {
  if (!LIFECYCLE_EVENTS.has(event.type)) return { contact, effects: [] };
  const lifecycle = model.lifecycle;
  const stageIds = new Set(lifecycle.stages.map((s) => s.id));
  const recyclingStage = lifecycle.recycling?.stage;
  const policy: Building<SalesDecisionPolicy> = { recyclingStage: recyclingStage ?? '' };
  if (lifecycle.sqlRequires !== undefined) policy.sqlRequires = lifecycle.sqlRequires;
  if (lifecycle.reasonCodes !== undefined) policy.reasonCodes = lifecycle.reasonCodes;
  const sales = decideSalesDecision(contact, event, policy as SalesDecisionPolicy, lifecycle);
  if (sales.kind === 'refused') return { contact, effects: [sales.effect], block: new Set(sales.block) };
  if (sales.kind === 'move' && stageIds.has(sales.to)) {
    // Without a recycling section, nurture and recycle codes move nobody.
    if (sales.action === 'archive' || sales.action === undefined || recyclingStage !== undefined) {
      const move: NativeMove = { to: sales.to, reason: sales.reason };
      if (sales.holdFor !== undefined) move.holdFor = sales.holdFor;
      if (sales.code !== undefined) move.code = sales.code;
      return { contact, effects: [], move };
    }
  }
  const signal = decideSignal(contact, event, lifecycle.evangelist, stageIds);
  if (signal.kind === 'move') return { contact, effects: [], move: { to: signal.to, reason: signal.reason } };
  // An evangelist candidate is a flag for marketing to work from (`lead.flags` in rules and lists).
  if (signal.kind === 'flag') return { contact: withFlags(contact, [signal.flag]), effects: [] };
  return { contact, effects: [] };
}

/**
 * Recycling around a move: entering the recycling stage resets engagement, flags the lead and sets
 * its timers (`hold`: the nurture waits); leaving it cancels them, and leaving it for `mql` flags a
 * recycled MQL; activity while recycled pushes the archive timer back.
 */
function settleRecycling(
  before: string,
  start: ContactState,
  account: AccountState | undefined,
  model: DecisionModel,
  at: Millis,
  options: {
    readonly activity: boolean;
    readonly hold?: { readonly holdFor: Duration; readonly code: string };
  },
): { contact: ContactState; effects: Effect[]; recycledMql?: string } {
  const policy = model.lifecycle.recycling;
  if (policy === undefined) return { contact: start, effects: [] };
  let contact = start;
  const effects: Effect[] = [];
  let recycledMql: string | undefined;
  if (before === policy.stage && contact.stage !== before) {
    effects.push(...leaveRecycling(contact));
    if (contact.stage === MQL_STAGE && contact.flags.includes(RECYCLED_FLAG)) {
      contact = flagRecycledMql(contact, policy);
      recycledMql = policy.flag;
    }
  }
  if (contact.stage === policy.stage && before !== policy.stage) {
    const reset = resetAndRescore(contact, account, model, at, (c) => recycledContact(c, policy, at));
    contact = reset.contact;
    effects.push(...reset.effects, ...recyclingTimers(contact, policy, model.addTime, options.hold));
  } else if (contact.stage === policy.stage && options.activity) {
    effects.push(...onRecycledActivity(contact, policy, model.addTime));
  }
  return { contact, effects, ...(recycledMql === undefined ? {} : { recycledMql }) };
}

const MQL_STAGE = 'mql';

/**
 * A move made by hand (already checked against the allowed moves): the history row, the stage's
 * actions on entry (and a `set_stage` follow-up) and recycling, as an event's move would have them.
 * Routing does not run: a lead moved by hand into a routing stage keeps its owner.
 */
export function decideManualMove(input: {
  readonly contact: ContactState;
  readonly account: AccountState | undefined;
  readonly to: string;
  readonly at: Millis;
  readonly cause: string;
  readonly reason: string;
  readonly model: DecisionModel;
}): { contact: ContactState; stageChanges: StageChange[]; effects: Effect[] } {
  const { account, at, model } = input;
  const before = input.contact.stage;
  const moved = moveTo(
    Object.assign({}, input.contact, { updatedAt: Math.max(input.contact.updatedAt, at) }),
    input.to,
    at,
    input.cause,
    input.reason,
  );
  const stageChanges = [...moved.stageChanges];
  const settled = settleRecycling(before, moved.contact, account, model, at, { activity: false });
  let contact = settled.contact;
  const effects: Effect[] = [...settled.effects];
  const entered = enterStage(contact, contact.stage, at, model, account);
  contact = entered.contact;
  effects.push(...entered.effects);
  if (entered.setStage !== undefined && entered.setStage !== contact.stage) {
    const from = contact.stage;
    const next = moveTo(contact, entered.setStage, at, input.cause, `set_stage action on entering ${from}`);
    stageChanges.push(...next.stageChanges);
    const again = enterStage(next.contact, entered.setStage, at, model, account);
    contact = again.contact;
    effects.push(...again.effects);
  }
  return { contact, stageChanges, effects };
}

function advance(
  start: ContactState,
  account: AccountState | undefined,
  event: InboundEvent | undefined,
  model: DecisionModel,
  cause: string,
  blocked?: ReadonlySet<string>,
) {
  let contact = start;
  const at = event?.at ?? start.updatedAt;
  const stageChanges: StageChange[] = [];
  // An archived (disqualified) contact moves only by hand.
  if (start.stage === ARCHIVE_STAGE) return { contact, stageChanges };
  // One context for the contact; each further stage of a multi-step move differs only in `lead.stage`.
  let base: RuleContext | undefined;
  const moves = automaticMoves(
    model.lifecycle,
    contact.stage,
    (stage) => {
      base ??= ruleContext(contact, account, event, model.isFreeMail);
      return stage === contact.stage
        ? base
        : Object.assign({}, base, { lead: Object.assign({}, base.lead, { stage }) });
    },
    blocked,
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
  /** SLA clock rows the timer changed (to upsert). */
  readonly clocks?: readonly SlaClock[];
  /**
   * Route the lead again, excluding its owner (who must still be `expectedOwner`); then restart the
   * running clocks keyed in `restartClocks` for the new owner.
   */
  readonly reassign?: {
    readonly reason: string;
    readonly expectedOwner?: string;
    readonly restartClocks?: readonly string[];
  };
}

/**
 * A fired timer: an overdue task alerts its assignee; a recycling timer starts a held nurture or
 * archives a silent recycled lead (core/lifecycle/recycling.ts). Unknown timer kinds do nothing.
 */
export function decideTimer(
  model: DecisionModel,
  timer: FiredTimer,
  contact: ContactState | undefined,
  now: Millis,
  /** The lead's running SLA clocks (read for SLA timers). */
  clocks: readonly SlaClock[] = [],
): TimerDecision {
  const kind = timer.payload['kind'];
  const sla = slaTimerRef(timer);
  if (sla !== undefined && model.sla !== undefined) {
    return slaTimerDecision(
      model,
      model.sla,
      timer,
      contact,
      now,
      clocks.find((c) => c.key === sla.clock),
    );
  }
  const recycling = model.lifecycle.recycling;
  if ((kind === NURTURE_TIMER || kind === ARCHIVE_TIMER) && recycling !== undefined) {
    const decided = decideRecyclingTimer(timer, contact, recycling, model.addTime, (c, stage, at) =>
      enterStage(c, stage, at, model, undefined),
    );
    const result: Building<TimerDecision> = { effects: decided.effects };
    if (decided.contact !== undefined) result.contact = decided.contact;
    if (decided.stageChanges !== undefined) result.stageChanges = decided.stageChanges;
    return result as TimerDecision;
  }
  if (timer.payload['kind'] === 'task_due') {
    const overdue: Building<OutboxEffect> = {
      kind: 'outbox',
      key: `overdue:${timer.key}:${timer.dueAt}`,
      type: 'task_overdue',
    };
    if (contact !== undefined) overdue.contactKey = contact.key;
    overdue.at = now;
    overdue.payload = {
      to: timer.payload['assignee'] ?? 'unassigned',
      task: timer.payload['task'] ?? timer.key,
      title: timer.payload['title'] ?? '',
    };
    return { effects: [overdue as OutboxEffect] };
  }
  return { effects: [] };
}

/** An SLA clock's due time or ladder step fired: the breach, the escalation, a flag, a move or a reassignment. */
function slaTimerDecision(
  model: DecisionModel,
  sla: SlaModel,
  timer: FiredTimer,
  contact: ContactState | undefined,
  now: Millis,
  clock: SlaClock | undefined,
): TimerDecision {
  const decided = decideSlaTimer({ model: sla, timer, clock, contact, now });
  const effects: Effect[] = [...decided.effects];
  let next = contact === undefined ? undefined : withFlags(contact, decided.flags);
  const stageChanges: StageChange[] = [];
  if (next !== undefined && decided.setStage !== undefined && decided.setStage !== next.stage) {
    const from = next.stage;
    next = Object.assign({}, next, { stage: decided.setStage, stageEnteredAt: now });
    stageChanges.push({
      contactKey: next.key,
      from,
      to: decided.setStage,
      at: now,
      cause: `timer:${timer.key}`,
      reason: `onBreach set_stage of SLA clock ${clock?.clockId ?? ''}`,
    });
    const entered = enterStage(next, decided.setStage, now, model, undefined);
    next = entered.contact;
    effects.push(...entered.effects);
  }
  const result: Building<TimerDecision> = { effects };
  if (next !== undefined && next !== contact) result.contact = next;
  if (stageChanges.length > 0) result.stageChanges = stageChanges;
  if (decided.clock !== undefined) result.clocks = [decided.clock];
  if (decided.reassign !== undefined)
    result.reassign = {
      reason: decided.reassign.reason,
      expectedOwner: decided.reassign.expectedOwner,
      restartClocks: decided.reassign.restart,
    };
  return result as TimerDecision;
}
