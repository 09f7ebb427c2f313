/**
 * Recycling: a rejected lead goes back to marketing. Entering the recycling stage resets
 * engagement to its baseline (fit is kept) and sets the `recycled` flag; a timer archives the lead
 * after `archiveAfter` without engagement (pushed back by each activity), and for a `recycle`
 * reason code a second timer starts the recycled stage's actions (the nurture) when the wait is
 * over. A recycled lead that crosses the MQL rule again carries `recycling.flag` (`recycled_mql`).
 * Pure.
 */
import type { Effect, FiredTimer, TimerEffect } from '../effects.ts';
import { resetEngagement } from '../scoring/memory.ts';
import type { Duration } from '../time/duration.ts';
import type { ContactState, Millis, StageChange } from '../types.ts';
import { ARCHIVE_STAGE } from './salesDecision.ts';

export interface RecyclingPolicy {
  readonly stage: string;
  readonly resetEngagement: boolean;
  /** Set on a recycled lead that becomes an MQL again. */
  readonly flag: string;
  readonly archiveAfter: Duration;
}

/** The flag every lead that was ever recycled carries (`lead.recycled` in rules). */
export const RECYCLED_FLAG = 'recycled';
export const NURTURE_TIMER = 'recycle_nurture';
export const ARCHIVE_TIMER = 'recycle_archive';

export const nurtureTimerKey = (contact: ContactState): string => `recycle:${contact.key}`;
export const archiveTimerKey = (contact: ContactState): string => `recycle-archive:${contact.key}`;

type AddTime = (start: Millis, duration: Duration) => Millis;

function withFlag(contact: ContactState, flag: string): ContactState {
  return contact.flags.includes(flag)
    ? contact
    : Object.assign({}, contact, { flags: [...contact.flags, flag] });
}

/**
 * The contact as it enters recycling at `at`: engagement reset (when the policy says so and the
 * contact has a scoring memory; the caller rescores it) and the `recycled` flag set.
 */
export function recycledContact(contact: ContactState, policy: RecyclingPolicy, at: Millis): ContactState {
  const flagged = withFlag(contact, RECYCLED_FLAG);
  if (!policy.resetEngagement || flagged.scoring === undefined) return flagged;
  return Object.assign({}, flagged, { scoring: resetEngagement(flagged.scoring, at) });
}

/** When a lead silent since `silentSince` is archived. */
function archiveDue(silentSince: Millis, policy: RecyclingPolicy, addTime: AddTime): Millis {
  return addTime(silentSince, policy.archiveAfter);
}

function silentSince(contact: ContactState): Millis {
  return Math.max(contact.stageEnteredAt, contact.lastActivityAt ?? contact.stageEnteredAt);
}

function archiveTimer(contact: ContactState, policy: RecyclingPolicy, addTime: AddTime): TimerEffect {
  return {
    kind: 'timer',
    key: archiveTimerKey(contact),
    dueAt: archiveDue(silentSince(contact), policy, addTime),
    contactKey: contact.key,
    payload: { kind: ARCHIVE_TIMER, stage: policy.stage, enteredAt: contact.stageEnteredAt },
  };
}

/**
 * The timers of a lead that has just entered recycling (`contact.stageEnteredAt` is the entry):
 * the archive timer, and for a held nurture (`holdFor`) the timer that starts it.
 */
export function recyclingTimers(
  contact: ContactState,
  policy: RecyclingPolicy,
  addTime: AddTime,
  hold?: { readonly holdFor: Duration; readonly code: string },
): TimerEffect[] {
  const timers = [archiveTimer(contact, policy, addTime)];
  if (hold !== undefined)
    timers.push({
      kind: 'timer',
      key: nurtureTimerKey(contact),
      dueAt: addTime(contact.stageEnteredAt, hold.holdFor),
      contactKey: contact.key,
      payload: {
        kind: NURTURE_TIMER,
        stage: policy.stage,
        enteredAt: contact.stageEnteredAt,
        reasonCode: hold.code,
        after: hold.holdFor.source,
      },
    });
  return timers;
}

/** Activity from a recycled lead pushes its archive timer back (same key: the row is replaced). */
export function onRecycledActivity(
  contact: ContactState,
  policy: RecyclingPolicy,
  addTime: AddTime,
): Effect[] {
  return contact.stage === policy.stage ? [archiveTimer(contact, policy, addTime)] : [];
}

/** A lead leaving recycling: its recycling timers are cancelled. */
export function leaveRecycling(contact: ContactState): Effect[] {
  return [
    { kind: 'cancelTimer', key: nurtureTimerKey(contact) },
    { kind: 'cancelTimer', key: archiveTimerKey(contact) },
  ];
}

/** A recycled lead that became an MQL again: flagged with `policy.flag`. */
export function flagRecycledMql(contact: ContactState, policy: RecyclingPolicy): ContactState {
  return withFlag(contact, policy.flag);
}

export interface RecyclingTimerDecision {
  readonly effects: readonly Effect[];
  readonly contact?: ContactState;
  readonly stageChanges?: readonly StageChange[];
}

/**
 * A fired recycling timer. Does nothing when the lead has left the recycling stage (or left and
 * came back) since the timer was set. The nurture timer runs the stage's actions on entry
 * (`enter`); the archive timer moves a lead silent for `archiveAfter` to `disqualified` (and runs
 * that stage's actions), or sets itself again when activity came in meanwhile.
 */
export function decideRecyclingTimer(
  timer: FiredTimer,
  contact: ContactState | undefined,
  policy: RecyclingPolicy,
  addTime: AddTime,
  enter: (
    contact: ContactState,
    stage: string,
    at: Millis,
  ) => { contact: ContactState; effects: readonly Effect[] },
): RecyclingTimerDecision {
  const kind = timer.payload['kind'];
  if (contact === undefined || contact.stage !== policy.stage) return { effects: [] };
  if (timer.payload['enteredAt'] !== contact.stageEnteredAt) return { effects: [] };
  if (kind === NURTURE_TIMER) return { effects: enter(contact, policy.stage, timer.dueAt).effects };
  if (kind !== ARCHIVE_TIMER) return { effects: [] };
  const due = archiveDue(silentSince(contact), policy, addTime);
  if (due > timer.dueAt) return { effects: [archiveTimer(contact, policy, addTime)] };
  const at = timer.dueAt;
  const moved = Object.assign({}, contact, { stage: ARCHIVE_STAGE, stageEnteredAt: at });
  const entered = enter(moved, ARCHIVE_STAGE, at);
  return {
    contact: entered.contact,
    stageChanges: [
      {
        contactKey: contact.key,
        from: contact.stage,
        to: ARCHIVE_STAGE,
        at,
        cause: `timer:${timer.key}`,
        reason: `no engagement for ${policy.archiveAfter.source} while recycled (lifecycle.recycling.archiveAfter): archived`,
      },
    ],
    effects: [...entered.effects, { kind: 'cancelTimer', key: nurtureTimerKey(contact) }],
  };
}
