/**
 * Firing due timers. A batch is claimed (leased to this worker, so a crash leaves it to be retried
 * when the lease ends), then fired in ONE transaction: the timers' contacts are locked as ingest
 * locks them and read, core decides each timer (`decideTimer`), the decision is written — contact,
 * stage history, effects, and a reassignment through routing when one is asked for — and every
 * timer of the batch is completed. Fetch, decide, write: nothing is written outside that transaction.
 */
import { decideTimer, type DecisionModel, type TimerDecision } from '../core/contact/decide.ts';
import { handOverClocks, slaTimerRef } from '../core/sla/ladder.ts';
import { isRunning, type SlaClock } from '../core/sla/model.ts';
import type { Building } from '../core/building.ts';
import type { FiredTimer, OutboxEffect } from '../core/effects.ts';
import { RevopsError, type IssueCode } from '../core/errors.ts';
import type { Store, StoreTx } from '../core/ports.ts';
import type { ContactKey, ContactState, Millis } from '../core/types.ts';
import { checkReassignRequest, reassignInTx, type ReassignRequest } from './reassign.ts';
import { subjectKeys } from './subjects.ts';
import { Writes } from './writes.ts';
import { DealBatch } from './deals.ts';
import { dealOfTimer, decideDealTimer } from '../core/pipeline/timer.ts';

/** The `payload.kind` of a deal-desk approval SLA timer. */
export const APPROVAL_TIMER = 'approval_due';

/** What one fired timer did. */
export interface TimerOutcome {
  readonly key: string;
  readonly dueAt: Millis;
  readonly contactKey?: ContactKey;
  /** The timer's `payload.kind` (`task_due`, …), or undefined when it has none. */
  readonly kind?: string;
  /** The instant it fired as: the later of its due time and the batch's `now`. */
  readonly at: Millis;
  /** Effects the decision asked for (outbox rows, timers, cancellations, tasks). */
  readonly effects: number;
  /** Whether the decision changed the contact (and how many stage moves it recorded). */
  readonly contactChanged: boolean;
  readonly stageChanges: number;
  /** The reassignment carried out: the lead went from `from` to `owner` (or a queue). */
  readonly reassigned?: {
    readonly from: string;
    readonly kind: string;
    readonly owner?: string;
    readonly queue?: string;
  };
  /**
   * A reassignment that was asked for and refused — most often `routing.owner_changed` (somebody
   * else took the lead first). Not a failure: it is recorded as a `timer_reassign_refused` outbox
   * row and the timer completes.
   */
  readonly refused?: { readonly code: IssueCode; readonly message: string };
}

/** One committed batch. */
export interface FiredBatch {
  /** The `now` the batch was claimed and fired at. */
  readonly now: Millis;
  readonly timers: readonly TimerOutcome[];
}

export interface FireOptions {
  /** Timers per claim and transaction (default 500). */
  readonly limit?: number;
  /** How long a claim holds before another worker may take the timer (default: the engine's). */
  readonly leaseMs?: number;
  /** Stops between batches once aborted (the batch in flight commits). */
  readonly signal?: AbortSignal;
  /** Called after each batch commits. A throwing listener does not undo the batch; it is rethrown. */
  readonly onBatch?: (batch: FiredBatch) => void;
}

/** The writes of one timer transaction not yet flushed, and the contacts as the timers left them. */
export interface TimerBatchState {
  writes: Writes;
  readonly contacts: Map<ContactKey, ContactState>;
  /** Running SLA clocks by clock key, as the timers of the batch leave them (absent: none read). */
  readonly clocks?: Map<string, SlaClock>;
}

/** The outbox type recording a reassignment a timer asked for and routing refused. */
export const REASSIGN_REFUSED = 'timer_reassign_refused';

function contactQuery(keys: Iterable<ContactKey>): { emails: string[]; externalIds: string[] } {
  const emails: string[] = [];
  const externalIds: string[] = [];
  for (const key of keys) {
    if (key.startsWith('email:')) emails.push(key.slice(6));
    else if (key.startsWith('id:')) externalIds.push(key.slice(3));
  }
  return { emails, externalIds };
}

/**
 * Writes one timer's decision into `state` inside `tx`: the changed contact (also kept in
 * `state.contacts` for later timers of the batch), its stage history and the effects are gathered
 * in `state.writes`; a reassignment flushes what is gathered (so routing reads the contact as the
 * timer left it), runs `reassignInTx` with the timer's key as the cause and `expectedOwner` as the
 * guard, then re-reads the contact and starts a fresh `state.writes`. A reassignment routing
 * refuses (`RevopsError`: the owner changed, no owner, no routing) is recorded as a
 * `timer_reassign_refused` outbox row and in the outcome. The caller flushes `state.writes` and
 * completes the timer. Throws only if storage fails.
 */
export async function applyTimerDecision(
  tx: StoreTx,
  model: DecisionModel,
  state: TimerBatchState,
  timer: FiredTimer,
  decision: TimerDecision,
  at: Millis,
): Promise<TimerOutcome> {
  const { writes, contacts } = state;
  if (decision.contact !== undefined) {
    writes.contacts.set(decision.contact.key, decision.contact);
    contacts.set(decision.contact.key, decision.contact);
  }
  if (decision.stageChanges !== undefined) writes.history.push(...decision.stageChanges);
  writes.addEffects(decision.effects);
  if (decision.clocks !== undefined) {
    writes.addClocks(decision.clocks);
    for (const clock of decision.clocks) state.clocks?.set(clock.key, clock);
  }
  const contactKey = decision.contact?.key ?? timer.contactKey;
  const kind = timer.payload['kind'];
  // Built key by key (one per fired timer); `reassigned` or `refused` is added last.
  const base: Building<TimerOutcome> = { key: timer.key, dueAt: timer.dueAt };
  if (contactKey !== undefined) base.contactKey = contactKey;
  if (typeof kind === 'string') base.kind = kind;
  base.at = at;
  base.effects = decision.effects.length;
  base.contactChanged = decision.contact !== undefined;
  base.stageChanges = decision.stageChanges?.length ?? 0;
  const ask = decision.reassign;
  if (ask === undefined) return base as TimerOutcome;

  const request: ReassignRequest = {
    contact: contactKey ?? '',
    at,
    reason: ask.reason,
    cause: `timer:${timer.key}`,
    ...(ask.expectedOwner === undefined ? {} : { expectedOwner: ask.expectedOwner }),
  };
  try {
    if (contactKey === undefined)
      throw new RevopsError('routing.unknown_contact', `timer ${timer.key} names no contact to reassign`, {
        hint: 'a timer that reassigns must carry the contact key of its lead',
      });
    const routing = checkReassignRequest(model, request, at);
    await writes.flush(tx);
    state.writes = new Writes();
    const result = await reassignInTx(tx, model, routing, request, at);
    const [after] = await tx.findContacts(contactQuery([result.contactKey]));
    if (after !== undefined) contacts.set(after.key, after);
    // Every clock the old owner ran for this lead goes with it: afresh to the new owner, or ended
    // with the queue's own clocks started (decision 011).
    if (model.sla !== undefined && state.clocks !== undefined && after !== undefined) {
      const to =
        result.owner !== undefined
          ? { owner: result.owner }
          : result.queue !== undefined
            ? { queue: result.queue }
            : undefined;
      const running = [...state.clocks.values()].filter((c) => c.contactKey === after.key);
      if (to !== undefined) {
        const handed = handOverClocks({
          model: model.sla,
          clocks: running,
          from: result.from,
          to,
          contact: { key: after.key, stage: after.stage },
          at,
          cause: `timer:${timer.key}`,
        });
        state.writes.addClocks(handed.clocks);
        state.writes.addEffects(handed.effects);
        for (const clock of handed.clocks) state.clocks.set(clock.key, clock);
      }
    }
    const reassigned: Building<NonNullable<TimerOutcome['reassigned']>> = {
      from: result.from,
      kind: result.kind,
    };
    if (result.owner !== undefined) reassigned.owner = result.owner;
    if (result.queue !== undefined) reassigned.queue = result.queue;
    base.reassigned = reassigned as NonNullable<TimerOutcome['reassigned']>;
    return base as TimerOutcome;
  } catch (error) {
    if (!(error instanceof RevopsError)) throw error;
    const notice: Building<OutboxEffect> = {
      kind: 'outbox',
      key: `reassign-refused:${timer.key}:${timer.dueAt}`,
      type: REASSIGN_REFUSED,
    };
    if (contactKey !== undefined) notice.contactKey = contactKey;
    notice.at = at;
    notice.payload = {
      timer: timer.key,
      code: error.code,
      message: error.message,
      reason: ask.reason,
      ...(ask.expectedOwner === undefined ? {} : { expectedOwner: ask.expectedOwner }),
    };
    state.writes.addEffects([notice as OutboxEffect]);
    base.refused = { code: error.code, message: error.message };
    return base as TimerOutcome;
  }
}

/**
 * Fires claimed timers in one transaction `tx`: locks their contacts (`lockSubjects`, as ingest
 * does, so an event for the lead and its timer take turns), reads them, decides each timer in due
 * order at `max(now, dueAt)` against the contact as earlier timers of the batch left it, writes
 * everything and completes each timer (`completeTimer`: a timer rescheduled meanwhile survives).
 * `decide` is core's `decideTimer` (tests pass hand-built decisions). Throws only if storage fails;
 * the caller's transaction then writes nothing.
 */
export async function fireTimerBatch(
  tx: StoreTx,
  model: DecisionModel,
  timers: readonly FiredTimer[],
  now: Millis,
  decide: typeof decideTimer = decideTimer,
): Promise<TimerOutcome[]> {
  const keys = new Set<ContactKey>();
  for (const timer of timers) if (timer.contactKey !== undefined) keys.add(timer.contactKey);
  const query = contactQuery(keys);
  const contacts = new Map<ContactKey, ContactState>();
  if (keys.size > 0) {
    await tx.lockSubjects(subjectKeys(query));
    for (const c of await tx.findContacts(query)) contacts.set(c.key, c);
  }
  // SLA timers read their lead's running clocks.
  const slaKeys = new Set<ContactKey>();
  for (const t of timers)
    if (t.contactKey !== undefined && slaTimerRef(t) !== undefined) slaKeys.add(t.contactKey);
  const clocks = new Map<string, SlaClock>();
  if (slaKeys.size > 0 && model.sla !== undefined) {
    for (const clock of await tx.openClocksOf([...slaKeys])) clocks.set(clock.key, clock);
  }
  const state: TimerBatchState = { writes: new Writes(), contacts, clocks };
  const outcomes: TimerOutcome[] = [];
  // Deal timers (stale alerts, approval SLAs) read their deals, locked as deal commands lock them.
  const dealIds = [...new Set(timers.flatMap((t) => dealOfAnyTimer(t) ?? []))];
  const deals =
    dealIds.length === 0 || model.pipeline === undefined
      ? undefined
      : await DealBatch.open(tx, model, dealIds);
  for (const timer of timers) {
    const contact = timer.contactKey === undefined ? undefined : contacts.get(timer.contactKey);
    const at = Math.max(now, timer.dueAt);
    if (deals !== undefined && dealOfAnyTimer(timer) !== undefined) {
      const decision = decideDealTimerIn(deals, model, timer, at);
      outcomes.push(await applyTimerDecision(tx, model, state, timer, decision, at));
      continue;
    }
    const running = slaKeys.has(timer.contactKey ?? '')
      ? [...clocks.values()].filter((c) => c.contactKey === timer.contactKey && isRunning(c))
      : [];
    const decision = decide(model, timer, contact, at, running);
    outcomes.push(await applyTimerDecision(tx, model, state, timer, decision, at));
  }
  await state.writes.flush(tx);
  await deals?.flush();
  for (const timer of timers) await tx.completeTimer(timer.key, timer.dueAt);
  return outcomes;
}

/** The deal a stale or approval timer is about (an approval id is `<deal id>:<n>`). */
function dealOfAnyTimer(timer: FiredTimer): string | undefined {
  const deal = dealOfTimer(timer);
  if (deal !== undefined) return deal;
  const approval = timer.payload['approval'];
  if (timer.payload['kind'] !== APPROVAL_TIMER || typeof approval !== 'string') return undefined;
  const cut = approval.lastIndexOf(':');
  return cut > 0 ? approval.slice(0, cut) : undefined;
}

/** A stale alert or an approval SLA firing, decided against the batch's deals (kept there). */
function decideDealTimerIn(
  deals: DealBatch,
  model: DecisionModel,
  timer: FiredTimer,
  at: Millis,
): TimerDecision {
  const dealId = dealOfAnyTimer(timer) ?? '';
  const deal = deals.deals.get(dealId);
  if (timer.payload['kind'] === APPROVAL_TIMER) {
    const approvalId = timer.payload['approval'];
    const request = typeof approvalId === 'string' ? deals.approvals.get(approvalId) : undefined;
    if (request === undefined || model.dealDesk === undefined) return { effects: [] };
    const escalated = model.dealDesk.escalate(request, at, deal);
    deals.keepApproval(escalated.request);
    return { effects: escalated.effects };
  }
  if (model.pipeline === undefined) return { effects: [] };
  const decided = decideDealTimer(deal, timer, model.pipeline, model, at);
  if (decided.deal !== undefined) deals.keepDeal(decided.deal);
  return { effects: decided.effects };
}

export interface TimerFiring {
  readonly store: Store;
  readonly model: DecisionModel;
  /** The lease owner written on claims (one per engine). */
  readonly worker: string;
  readonly leaseMs: number;
  /** The instant of each claim when the caller gave none (read again for every batch). */
  readonly now: () => Millis;
}

/**
 * Claims and fires due timers batch after batch until a claim comes back empty (nothing more is
 * due and unleased, including timers the batches just scheduled) or `signal` aborts; returns how
 * many fired. `at` fixes the instant of every
 * claim; without it the clock is read per batch, so timers falling due meanwhile are taken too.
 * Throws only if storage fails: the batch in flight is then not written, and its timers wait for
 * their lease to end.
 */
export async function fireDueTimers(
  firing: TimerFiring,
  at: Millis | undefined,
  options: FireOptions = {},
): Promise<number> {
  const limit = Math.max(1, options.limit ?? 500);
  const leaseMs = options.leaseMs ?? firing.leaseMs;
  let fired = 0;
  while (options.signal?.aborted !== true) {
    const now = at ?? firing.now();
    const timers = await firing.store.claimDueTimers(now, limit, leaseMs, firing.worker);
    if (timers.length === 0) break;
    const outcomes = await firing.store.transaction((tx) => fireTimerBatch(tx, firing.model, timers, now));
    fired += timers.length;
    options.onBatch?.({ now, timers: outcomes });
    // No early stop on a short claim: a fired SLA timer schedules its clock's next one, which may
    // already be due (a step at the due time), and is taken by the next claim.
  }
  return fired;
}
