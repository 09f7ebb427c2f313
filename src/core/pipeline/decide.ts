/**
 * What a deal command does to a deal: fields applied, the close date checked for a push, the stage
 * move checked (required fields, closed deals, skips) and carried out with its history row, stale
 * timer and the stage's actions — the deal-desk review on `request_approval`, the customer-success
 * handoff on closed won. A refused part (a move with empty required fields, a push without a reason)
 * is reported with its code; the rest of the command still applies, so nothing the CRM sent is lost.
 * Pure: the engine passes the deal, the command and the environment, and writes what comes back.
 */
import type { Building } from '../building.ts';
import type { Effect, OutboxEffect, TimerEffect } from '../effects.ts';
import type { IssueCode } from '../errors.ts';
import { stageEntryEffects, type ActionEnvironment } from '../lifecycle/actions.ts';
import type { ContactState, Millis } from '../types.ts';
import { closeDateChange } from './closeDate.ts';
import type { DealCommand } from './command.ts';
import { applyChanges, checkChanges, isoDate, missingFields } from './fields.ts';
import {
  closingStage,
  fieldLabel,
  pipelineOf,
  stageOf,
  type PipelineDefModel,
  type PipelineModel,
} from './model.ts';
import { staleDue, STALE_TIMER, type StageAverages } from './stale.ts';
import type { ApprovalRequest, DealContact, DealStageMove, DealState } from './types.ts';

export interface DealEnv extends ActionEnvironment {
  readonly model: PipelineModel;
  readonly averages?: StageAverages;
  /** The contact the command is about (templates such as `{company.name}`, where tasks are filed). */
  readonly contact?: ContactState;
  /** Reviews the deal's terms at the deal desk (absent: `request_approval` asks nobody). */
  readonly requestApproval?: (
    deal: DealState,
    at: Millis,
  ) => { readonly request: ApprovalRequest; readonly effects: readonly Effect[] } | undefined;
  /** The ACV above which entering a `request_approval` stage alerts the deal desk. */
  readonly dealDeskThreshold?: number;
  /** The customer-success owner for a won deal (routing over the CS team); undefined: nobody free. */
  readonly csOwner?: (deal: DealState) => string | undefined;
  /**
   * API commands: an unknown deal or a second `created` is refused (`pipeline.unknown_deal`,
   * `pipeline.deal_exists`). Events: the deal is created where the command finds it, and a repeated
   * `created` updates it.
   */
  readonly strict?: boolean;
}

export interface DealRefusal {
  readonly code: IssueCode;
  readonly message: string;
  readonly hint?: string;
  /** For `pipeline.required_fields_missing`: the empty field ids, in the stage's order. */
  readonly missing?: readonly string[];
}

export interface DealDecision {
  /** The deal after the command; undefined when nothing may be written (a refused creation). */
  readonly deal: DealState | undefined;
  readonly effects: readonly Effect[];
  readonly approvals: readonly ApprovalRequest[];
  readonly move?: DealStageMove;
  readonly refusal?: DealRefusal;
  /** Closed won: the lifecycle stage the deal's contacts move to. */
  readonly contactsBecome?: string;
}

/** Timer keys of a deal's stale alerts. */
export const staleTimerKey = (dealId: string): string => `deal-stale:${dealId}`;
export const staleManagerTimerKey = (dealId: string): string => `deal-stale-manager:${dealId}`;

function newDeal(command: DealCommand, pipeline: PipelineDefModel, stage: string): DealState {
  return {
    id: command.dealId,
    pipeline: pipeline.id,
    stage,
    status: 'open',
    currency: 'USD',
    contacts: [],
    fields: {},
    createdAt: command.at,
    updatedAt: command.at,
    stageEnteredAt: command.at,
    history: [],
    pushes: [],
    flags: { skipped: [], forecastReview: false },
  };
}

function attach(deal: DealState, command: DealCommand): DealState {
  let next = deal;
  if (command.account !== undefined && deal.account === undefined)
    next = Object.assign({}, next, { account: command.account });
  const contact = command.contact;
  if (contact !== undefined) {
    const known = next.contacts.find((c) => c.contactKey === contact.key);
    const role = contact.role ?? known?.role ?? (next.contacts.length === 0 ? 'primary' : 'contact');
    if (known === undefined || known.role !== role) {
      const contacts: DealContact[] = next.contacts.filter((c) => c.contactKey !== contact.key);
      contacts.push({ contactKey: contact.key, role });
      next = Object.assign({}, next, { contacts });
    }
  }
  return next;
}

/** The open stages a move from `from` to `to` jumps over (forward moves into open or won stages). */
export function skippedStages(pipeline: PipelineDefModel, from: string, to: string): string[] {
  const stages = pipeline.stages;
  const a = stages.findIndex((s) => s.id === from);
  const b = stages.findIndex((s) => s.id === to);
  const target = stages[b];
  if (a < 0 || target === undefined || target.kind === 'lost' || b <= a + 1) return [];
  return stages
    .slice(a + 1, b)
    .filter((s) => s.kind === 'open')
    .map((s) => s.id);
}

/** The stage the command moves the deal to, or undefined for no move. */
function targetStage(
  command: DealCommand,
  deal: DealState | undefined,
  pipeline: PipelineDefModel,
): string | undefined {
  switch (command.action) {
    case 'created':
      return deal === undefined ? (command.stage ?? pipeline.stages[0]?.id) : command.stage;
    case 'stage_changed':
      return command.stage;
    case 'closed_won':
      return closingStage(pipeline, 'won')?.id;
    case 'closed_lost':
      return closingStage(pipeline, 'lost')?.id;
    default:
      return undefined;
  }
}

/** Decides a deal command against the deal as stored (undefined: not seen yet). */
export function decideDeal(deal: DealState | undefined, command: DealCommand, env: DealEnv): DealDecision {
  const refuse = (refusal: DealRefusal): DealDecision => ({
    deal: undefined,
    effects: [],
    approvals: [],
    refusal,
  });
  const pipeline = pipelineOf(env.model, deal?.pipeline ?? command.pipeline);
  if (pipeline === undefined)
    return refuse({
      code: 'pipeline.unknown_pipeline',
      message: `no pipeline \`${command.pipeline ?? ''}\`; pipelines: ${env.model.pipelines.map((p) => p.id).join(', ')}`,
    });
  if (env.strict === true && deal === undefined && command.action !== 'created')
    return refuse({
      code: 'pipeline.unknown_deal',
      message: `no deal \`${command.dealId}\``,
      hint: 'create it first (POST /v1/deals or a `deal` event with action `created`)',
    });
  if (env.strict === true && deal !== undefined && command.action === 'created')
    return refuse({
      code: 'pipeline.deal_exists',
      message: `deal \`${command.dealId}\` already exists`,
      hint: 'change it with PATCH /v1/deals/{id}',
    });
  const invalid = checkChanges(command.changes, env.model.fields);
  if (invalid.length > 0)
    return refuse({ code: 'pipeline.invalid_request', message: invalid.map((i) => i.message).join('; ') });

  // A deal first seen through any other action starts in the pipeline's first stage, like a creation.
  const target =
    targetStage(command, deal, pipeline) ?? (deal === undefined ? pipeline.stages[0]?.id : undefined);
  if (target !== undefined && stageOf(pipeline, target) === undefined)
    return refuse({
      code: 'pipeline.unknown_stage',
      message: `pipeline \`${pipeline.id}\` has no stage \`${target}\``,
      hint: `stages: ${pipeline.stages.map((s) => s.id).join(', ')}`,
    });
  if (command.action === 'stage_changed' && target === undefined)
    return refuse({
      code: 'pipeline.invalid_request',
      message: '`stage_changed` needs the `stage` to move to',
    });

  const created = deal === undefined;
  const start = deal ?? newDeal(command, pipeline, target ?? pipeline.stages[0]?.id ?? '');
  const effects: Effect[] = [];
  let refusal: DealRefusal | undefined;

  // Fields, except a close-date push that is refused.
  let changes = command.changes;
  let pushed: DealState['pushes'][number] | undefined;
  let forecastReview = false;
  const newDate = isoDate(command.changes['closeDate']);
  if (!created && newDate !== undefined) {
    const outcome = closeDateChange(start, newDate, command.reason, pipeline, command.at, command.cause);
    if (outcome.kind === 'reason_required') {
      refusal = {
        code: 'pipeline.push_reason_required',
        message: `moving the close date from ${outcome.from} to ${outcome.to} (${outcome.slipDays} days later) needs a reason`,
        hint: 'send the push again with `reason` (why the deal slipped)',
      };
      changes = Object.fromEntries(Object.entries(changes).filter(([k]) => k !== 'closeDate'));
    } else if (outcome.kind === 'push') {
      pushed = outcome.push;
      forecastReview = outcome.forecastReview;
    }
  }
  let next = attach(applyChanges(start, changes), command);
  if (pushed !== undefined)
    next = Object.assign({}, next, {
      pushes: [...next.pushes, pushed],
      flags: Object.assign({}, next.flags, { forecastReview: next.flags.forecastReview || forecastReview }),
    });
  next = Object.assign({}, next, { updatedAt: command.at });
  const subject = subjectOf(next, env);
  if (forecastReview && pushed !== undefined)
    effects.push(...forecastReviewEffects(next, pushed, subject, env));

  // The move.
  let move: DealStageMove | undefined;
  let approvals: ApprovalRequest[] = [];
  let contactsBecome: string | undefined;
  const moving = target !== undefined && (created || target !== start.stage);
  if (moving && refusal === undefined) {
    const checked = checkMove(created ? undefined : start, next, target, pipeline, env);
    // An event reports a deal the CRM already has: it is created even with empty entry fields
    // (the owner hears which); an API creation (strict) is refused instead.
    const lenient =
      created && env.strict !== true && checked.refusal?.code === 'pipeline.required_fields_missing';
    if (lenient && checked.refusal !== undefined)
      effects.push(
        Object.assign(refusalEffect(next, command, checked.refusal, subject, env), {
          key: `deal-fields-missing:${command.dealId}:${command.cause}`,
          type: 'deal_fields_missing',
        }),
      );
    if (checked.refusal !== undefined && !lenient) refusal = checked.refusal;
    else {
      // A late event (dated before the current stay began) moves the deal as of that stay's start:
      // the history stays in time order and the stale clock never starts in the past.
      move = Object.assign(created ? {} : { from: start.stage }, {
        to: target,
        at: created ? command.at : Math.max(command.at, start.stageEnteredAt),
        cause: command.cause,
        skipped: checked.skipped,
      });
      const entered = enter(next, move, pipeline, env);
      next = entered.deal;
      effects.push(...entered.effects);
      approvals = entered.approvals;
      contactsBecome = entered.contactsBecome;
    }
  }
  if (refusal !== undefined && created && move === undefined) return refuse(refusal);
  if (refusal !== undefined) effects.push(refusalEffect(next, command, refusal, subject, env));
  const decision: Building<DealDecision> = { deal: next, effects, approvals };
  if (move !== undefined) decision.move = move;
  if (refusal !== undefined) decision.refusal = refusal;
  if (contactsBecome !== undefined) decision.contactsBecome = contactsBecome;
  return decision as DealDecision;
}

function checkMove(
  before: DealState | undefined,
  deal: DealState,
  target: string,
  pipeline: PipelineDefModel,
  env: DealEnv,
): { skipped: string[]; refusal?: DealRefusal } {
  if (before !== undefined && before.status !== 'open')
    return {
      skipped: [],
      refusal: {
        code: 'pipeline.deal_closed',
        message: `deal \`${deal.id}\` is closed (${before.stage}); it cannot move to ${target}`,
        hint: 'open a new deal for new business',
      },
    };
  const stage = stageOf(pipeline, target);
  const required = [...(stage?.required ?? [])];
  // Closed lost: the competitor too, when the deal was lost to one.
  if (
    stage?.kind === 'lost' &&
    deal.fields['lossReason'] === 'competitor' &&
    !required.includes('competitor')
  )
    required.push('competitor');
  const missing = missingFields(deal, required);
  if (missing.length > 0)
    return {
      skipped: [],
      refusal: {
        code: 'pipeline.required_fields_missing',
        message: `${stage?.name ?? target} needs ${missing.map((f) => `${fieldLabel(env.model, f)} (\`${f}\`)`).join(', ')} before deal \`${deal.id}\` can enter it`,
        hint: `fill ${missing.join(', ')} and move it again`,
        missing,
      },
    };
  const skipped = before === undefined ? [] : skippedStages(pipeline, before.stage, target);
  if (skipped.length > 0 && pipeline.skips === 'block')
    return {
      skipped,
      refusal: {
        code: 'pipeline.stage_skip_blocked',
        message: `moving deal \`${deal.id}\` from ${before?.stage ?? ''} to ${target} skips ${skipped.join(', ')}, and pipeline \`${pipeline.id}\` blocks skips`,
        hint: `move it through ${skipped.join(' → ')} first`,
      },
    };
  return { skipped };
}

/** The deal entering `move.to`: history, flags, stale timer, the stage's actions and its handoffs. */
function enter(
  deal: DealState,
  move: DealStageMove,
  pipeline: PipelineDefModel,
  env: DealEnv,
): { deal: DealState; effects: Effect[]; approvals: ApprovalRequest[]; contactsBecome?: string } {
  const stage = stageOf(pipeline, move.to);
  const status = stage?.kind === 'won' ? 'won' : stage?.kind === 'lost' ? 'lost' : 'open';
  const { stale: _stale, ...flags } = deal.flags;
  let next: DealState = Object.assign({}, deal, {
    stage: move.to,
    status,
    stageEnteredAt: move.at,
    history: [...deal.history, move],
    flags: Object.assign({}, flags, { skipped: [...deal.flags.skipped, ...move.skipped] }),
    ...(status === 'open' ? {} : { closedAt: move.at }),
  });
  const effects: Effect[] = [
    { kind: 'cancelTimer', key: staleTimerKey(deal.id) },
    { kind: 'cancelTimer', key: staleManagerTimerKey(deal.id) },
  ];
  const due = staleDue(pipeline, move.to, move.at, env.addTime, env.averages);
  if (due !== undefined) {
    const timer: Building<TimerEffect> = { kind: 'timer', key: staleTimerKey(deal.id), dueAt: due.dueAt };
    if (env.contact !== undefined) timer.contactKey = env.contact.key;
    timer.payload = {
      kind: STALE_TIMER,
      deal: deal.id,
      stage: move.to,
      enteredAt: move.at,
      basis: due.basis,
      limitMs: due.limitMs,
    };
    effects.push(timer as TimerEffect);
  }
  if (move.skipped.length > 0) {
    const skipped: Building<OutboxEffect> = {
      kind: 'outbox',
      key: `deal-skip:${deal.id}:${move.at}`,
      type: 'deal_stage_skipped',
    };
    if (env.contact !== undefined) skipped.contactKey = env.contact.key;
    skipped.at = move.at;
    skipped.payload = {
      to: ownerRecipient(next),
      deal: deal.id,
      from: move.from ?? null,
      stage: move.to,
      skipped: [...move.skipped],
    };
    effects.push(skipped as OutboxEffect);
  }
  const subject = subjectOf(next, env);
  const actions = stageEntryEffects(
    stage?.onEntry ?? [],
    subject,
    move.to,
    move.at,
    env,
    `deal:${deal.id}:${move.to}:${move.at}`,
  );
  effects.push(...actions.effects);
  const approvals: ApprovalRequest[] = [];
  if (actions.requestApproval === true) {
    const asked = env.requestApproval?.(next, move.at);
    if (asked !== undefined) {
      approvals.push(asked.request);
      effects.push(...asked.effects);
    }
    const acv = annualValue(next);
    if (env.dealDeskThreshold !== undefined && acv !== undefined && acv > env.dealDeskThreshold)
      effects.push({
        kind: 'outbox',
        key: `deal-desk:${deal.id}:${move.to}:${move.at}`,
        type: 'deal_desk_review',
        contactKey: subject.key,
        at: move.at,
        payload: {
          to: 'role:deal_desk',
          deal: deal.id,
          name: next.name ?? deal.id,
          stage: move.to,
          acv,
          threshold: env.dealDeskThreshold,
        },
      });
  }
  let contactsBecome: string | undefined;
  if (status === 'won') {
    const handoff = closedWonHandoff(next, move, pipeline, subject, env);
    next = handoff.deal;
    effects.push(...handoff.effects);
    contactsBecome = pipeline.closedWon.contactsBecome;
  }
  return { deal: next, effects, approvals, ...(contactsBecome === undefined ? {} : { contactsBecome }) };
}

/** Closed won: a CS owner, the kickoff task in business time, sales sequences stopped. */
function closedWonHandoff(
  deal: DealState,
  move: DealStageMove,
  pipeline: PipelineDefModel,
  subject: ContactState,
  env: DealEnv,
): { deal: DealState; effects: Effect[] } {
  const policy = pipeline.closedWon;
  const csOwner = env.csOwner?.(deal);
  const next = csOwner === undefined ? deal : Object.assign({}, deal, { csOwner });
  const assignee =
    csOwner !== undefined
      ? `rep:${csOwner}`
      : policy.csTeam !== undefined
        ? `team:${policy.csTeam}`
        : ownerRecipient(deal);
  const dueAt = env.addTime(move.at, policy.kickoff.due);
  const taskKey = `task:deal:${deal.id}:kickoff`;
  const title = fillDeal(policy.kickoff.title, subject, deal);
  const effects: Effect[] = [
    {
      kind: 'task',
      key: taskKey,
      contactKey: subject.key,
      title,
      assignee,
      dueAt,
      createdAt: move.at,
      status: 'open',
    },
    {
      kind: 'timer',
      key: `task-due:${taskKey}`,
      dueAt,
      contactKey: subject.key,
      payload: { kind: 'task_due', task: taskKey, title, assignee },
    },
    {
      kind: 'outbox',
      key: `cs-handoff:${deal.id}`,
      type: 'cs_handoff',
      contactKey: subject.key,
      at: move.at,
      payload: {
        to: assignee,
        deal: deal.id,
        name: deal.name ?? deal.id,
        amount: deal.amount ?? null,
        salesOwner: deal.owner ?? null,
        contacts: deal.contacts.map((c) => c.contactKey),
        kickoffDue: new Date(dueAt).toISOString(),
      },
    },
  ];
  if (policy.stopSequences)
    for (const c of deal.contacts)
      effects.push({
        kind: 'outbox',
        key: `sequence-stop:${deal.id}:${c.contactKey}`,
        type: 'sequence',
        contactKey: c.contactKey,
        at: move.at,
        payload: { op: 'stop', sequence: 'sales', reason: `deal ${deal.id} closed won` },
      });
  return { deal: next, effects };
}

/** Amount per year: a multi-year amount is spread over its years. */
export function annualValue(deal: DealState): number | undefined {
  if (deal.amount === undefined) return undefined;
  const term = deal.fields['termMonths'];
  return typeof term === 'number' && term > 12 ? (deal.amount * 12) / term : deal.amount;
}

const ownerRecipient = (deal: DealState): string =>
  deal.owner === undefined ? 'unassigned' : `rep:${deal.owner}`;

/** The contact actions and templates see: the command's contact with the deal's owner. */
function subjectOf(deal: DealState, env: DealEnv): ContactState {
  const base: ContactState = env.contact ?? {
    key: deal.contacts[0]?.contactKey ?? `deal:${deal.id}`,
    attributes: {},
    companyAttributes: {},
    stage: deal.stage,
    stageEnteredAt: deal.stageEnteredAt,
    flags: [],
    createdAt: deal.createdAt,
    updatedAt: deal.updatedAt,
    eventCount: 0,
  };
  const owned = Object.assign({}, base);
  if (deal.owner === undefined) delete (owned as { owner?: string }).owner;
  else (owned as { owner?: string }).owner = deal.owner;
  return owned;
}

function fillDeal(text: string, subject: ContactState, deal: DealState): string {
  const company = subject.companyAttributes['name']?.value;
  return text.replace(
    /\{company\.name\}/g,
    typeof company === 'string' ? company : (deal.name ?? deal.account ?? deal.id),
  );
}

function forecastReviewEffects(
  deal: DealState,
  push: DealState['pushes'][number],
  subject: ContactState,
  env: DealEnv,
): Effect[] {
  const manager = deal.owner === undefined ? undefined : env.reps.managerOf(deal.owner);
  return [ownerRecipient(deal), ...(manager === undefined ? [] : [`rep:${manager}`])].map((to, i) => ({
    kind: 'outbox' as const,
    key: `forecast-review:${deal.id}:${i}`,
    type: 'forecast_review',
    contactKey: subject.key,
    at: push.at,
    payload: {
      to,
      deal: deal.id,
      name: deal.name ?? deal.id,
      pushes: deal.pushes.length,
      closeDate: push.to,
      slipDays: deal.pushes.reduce((sum, p) => sum + p.slipDays, 0),
      lastReason: push.reason,
    },
  }));
}

function refusalEffect(
  deal: DealState,
  command: DealCommand,
  refusal: DealRefusal,
  subject: ContactState,
  _env: DealEnv,
): Effect {
  return {
    kind: 'outbox',
    key: `deal-refused:${deal.id}:${command.cause}`,
    type: 'deal_change_refused',
    contactKey: subject.key,
    at: command.at,
    payload: {
      to: ownerRecipient(deal),
      deal: deal.id,
      code: refusal.code,
      message: refusal.message,
      ...(refusal.missing === undefined ? {} : { missing: [...refusal.missing] }),
    },
  };
}
