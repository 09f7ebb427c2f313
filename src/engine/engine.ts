/**
 * The engine: ingest events and fire due timers (engine/timers.ts), each through one transaction per
 * batch.
 * Built by compose.ts from a store, a decision model (from the config) and a clock.
 */
import { randomUUID } from 'node:crypto';
import type { DecisionModel } from '../core/contact/decide.ts';
import type { Store, StoreTx } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';
import type { Clock } from './clock.ts';
import { completeTask, type CompleteTaskResult } from './completeTask.ts';
import { moveStage, type MoveStageRequest, type MoveStageResult } from './moveStage.ts';
import { checkReassignRequest, reassignInTx, type ReassignRequest, type ReassignResult } from './reassign.ts';
import { rescore } from './rescore.ts';
import {
  runApprovalDecision,
  runDealCommand,
  type ApprovalDecisionRequest,
  type DealRequest,
} from './dealCommands.ts';
import type { ApprovalRequest, DealState } from '../core/pipeline/types.ts';
import { fireDueTimers, type FireOptions } from './timers.ts';
import {
  ingestValidated,
  summarize,
  validateBatch,
  type CatalogOptions,
  type IngestItemResult,
  type IngestSummary,
} from './ingest.ts';

export interface EngineOptions {
  readonly store: Store;
  readonly model: DecisionModel;
  readonly catalog: CatalogOptions;
  readonly clock: Clock;
  /** How long a claimed timer stays leased before another worker may retry it. */
  readonly timerLeaseMs?: number;
  /** The lease owner this engine writes on timer claims (default `engine-<uuid>`). */
  readonly timerWorker?: string;
}

export interface Engine {
  readonly store: Store;
  /** The decision model the engine runs (for reports that recompute scores at an instant). */
  readonly model: DecisionModel;
  readonly clock: Clock;
  /**
   * Validates and ingests a batch in one transaction; per-item results say accepted, duplicate
   * or rejected (with reasons). Resolves only after the commit. Throws only if storage fails,
   * in which case nothing of the batch was written.
   */
  ingest(raws: readonly unknown[], options?: { readonly source?: string }): Promise<IngestSummary>;
  /**
   * Fires the timers due at `now` (default: the clock, read again for every batch), earliest
   * first, in batches of `limit` (default 500), until nothing more is due and unleased or `signal`
   * aborts; returns how many fired. Each batch is claimed (leased to this engine for `leaseMs`,
   * default `timerLeaseMs`), then fired in one transaction (engine/timers.ts): the contacts are
   * locked and read, `decideTimer` decides, the contact, stage history, effects and any
   * reassignment (guarded by `expectedOwner`; a refusal is recorded, not thrown) are written and
   * the timers completed. A crash before the commit leaves the batch to whoever claims it after
   * the lease. `onBatch` hears each committed batch. Throws only if storage fails.
   */
  fireDueTimers(now?: Millis, options?: FireOptions): Promise<number>;
  /**
   * Rescores the contacts whose next decay step is due at `now` (default: the clock), in batches
   * of one transaction each; returns how many were rescored. Idle contacts cost nothing: only rows
   * whose `nextDecayAt` has come are read. Throws only if storage fails.
   */
  sweepScores(now?: Millis, options?: { readonly limit?: number }): Promise<number>;
  /**
   * Rescores every contact at `now` (default: the clock) — after a scoring model change — a page
   * of `pageSize` contacts per transaction, in key order; returns how many. Upward MQL crossings
   * write `mql` effects as on ingest; accounts' roll-ups follow.
   */
  rescoreAll(
    now?: Millis,
    options?: { readonly pageSize?: number; readonly onProgress?: (done: number) => void },
  ): Promise<number>;
  /**
   * Takes a lead away from its owner and routes it again, excluding the owner and every owner it
   * was reassigned away from since its last ordinary routing (so an escalation ladder never bounces
   * it back); nobody else available queues it in the fallback queue. The previous owner's
   * round-robin count is given back when the lead was counted this period, and the lead stops
   * counting as their open lead. Writes the contact, a new assignment row (the earlier rows stay),
   * `assigned`/`queued` and `reassigned` outbox rows and the counters in one transaction, locked as
   * routing on ingest is. Throws `RevopsError` — `routing.not_configured`, `routing.invalid_request`,
   * `routing.unknown_rep`, `routing.unknown_contact`, `routing.no_owner`, `routing.owner_changed` —
   * with nothing written; otherwise only if storage fails.
   */
  reassign(request: ReassignRequest): Promise<ReassignResult>;
  /**
   * Moves a contact to another lifecycle stage by hand at `request.at` (default: the clock), in
   * one transaction (engine/moveStage.ts): locked and read like ingest, checked against the stage's
   * allowed moves, written with a stage history row caused by `manual:<by>` and the new stage's
   * actions on entry. Throws `RevopsError` — `lifecycle.invalid_request`, `lifecycle.unknown_stage`,
   * `lifecycle.unknown_contact`, `lifecycle.transition_not_allowed` (naming the allowed moves) —
   * with nothing written; otherwise only if storage fails.
   */
  moveStage(request: MoveStageRequest): Promise<MoveStageResult>;
  /**
   * Marks a follow-up task done and cancels its overdue reminder (`task-due:<key>`), in one
   * transaction with the lead locked as ingest locks it (engine/completeTask.ts). A task already
   * done is left as it is (`changed: false`). Throws `RevopsError` — `task.not_found`,
   * `task.not_open` (cancelled) — with nothing written; otherwise only if storage fails.
   */
  completeTask(key: string): Promise<CompleteTaskResult>;
  /**
   * Creates, moves, updates or closes a deal (engine/dealCommands.ts): the command becomes a `deal`
   * event in the log, ingested in strict mode in one transaction. Throws `RevopsError` —
   * `pipeline.not_configured`, `pipeline.invalid_request`, `pipeline.unknown_deal`,
   * `pipeline.deal_exists`, `pipeline.unknown_stage`, `pipeline.required_fields_missing` (issues
   * name the fields), `pipeline.stage_skip_blocked`, `pipeline.deal_closed`,
   * `pipeline.push_reason_required` — with nothing written. Returns the deal as stored.
   */
  deal(request: DealRequest): Promise<DealState>;
  /**
   * Records an approver's answer to a deal-desk request, as a `deal` event (`approval_decided`).
   * Throws `RevopsError` — `approval.unknown_request`, `approval.not_pending`,
   * `approval.not_an_approver`, `approval.invalid_request` — with nothing written.
   */
  decideApproval(request: ApprovalDecisionRequest): Promise<ApprovalRequest>;
}

/** The event id as sent, without validating anything else. */
function rawId(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { id?: unknown }).id;
  if (typeof id === 'string') return id.trim() === '' ? undefined : id.trim();
  return typeof id === 'number' && Number.isFinite(id) ? String(id) : undefined;
}

export function createEngine(options: EngineOptions): Engine {
  const { store, model, catalog, clock } = options;
  const leaseMs = options.timerLeaseMs ?? 60_000;
  const worker = options.timerWorker ?? `engine-${randomUUID()}`;

  /** The ids of `raws` (as sent, unvalidated) already stored, read inside the ingest's transaction. */
  const storedIds = async (tx: StoreTx, raws: readonly unknown[]): Promise<Set<string>> => {
    const ids = [...new Set(raws.map(rawId).filter((id): id is string => id !== undefined))];
    return ids.length === 0 ? new Set() : tx.knownEventIds(ids);
  };

  return {
    store,
    model,
    clock,
    async ingest(raws, ingestOptions = {}) {
      const now = clock.now();
      // One transaction for the whole call: a batch of one event (an API request) paid a second
      // transaction for this look-up, as much as its own commit on SQLite.
      return store.transaction(async (tx) => {
        // Fast path for re-sent events: ids already stored are duplicates whatever else they carry,
        // and event ids are never deleted, so they are answered before any validation work.
        const stored = await storedIds(tx, raws);
        const fresh: unknown[] = [];
        const freshIndex: number[] = [];
        const earlier: IngestItemResult[] = [];
        raws.forEach((raw, index) => {
          const id = rawId(raw);
          if (id !== undefined && stored.has(id)) earlier.push({ index, id, status: 'duplicate' });
          else {
            fresh.push(raw);
            freshIndex.push(index);
          }
        });
        const { valid, results } = validateBatch(
          fresh,
          Object.assign({}, catalog, { now, defaultSource: ingestOptions.source ?? 'api' }),
        );
        if (valid.length > 0) {
          // `fresh` holds no stored id: looked up above, in this transaction.
          const known = await ingestValidated(tx, valid, model, now, { idsChecked: true });
          for (const { index, event } of valid) {
            results[index] = { index, id: event.id, status: known.has(event.id) ? 'duplicate' : 'accepted' };
          }
        }
        const items = [
          ...earlier,
          ...results.map((r) =>
            r === undefined ? r : Object.assign({}, r, { index: freshIndex[r.index] ?? r.index }),
          ),
        ].sort((a, b) => (a?.index ?? 0) - (b?.index ?? 0));
        return summarize(items);
      });
    },

    async reassign(request) {
      const at = request.at ?? clock.now();
      const routing = checkReassignRequest(model, request, at);
      return store.transaction((tx) => reassignInTx(tx, model, routing, request, at));
    },

    completeTask(key) {
      return completeTask({ store }, key);
    },

    deal(request) {
      return runDealCommand({ store, model, catalog }, request, clock.now());
    },

    decideApproval(request) {
      return runApprovalDecision({ store, model, catalog }, request, clock.now());
    },

    moveStage(request) {
      return moveStage({ store, model }, Object.assign({}, request, { at: request.at ?? clock.now() }));
    },

    async sweepScores(at, sweepOptions = {}) {
      const scoring = model.scoring;
      if (scoring === undefined) return 0;
      const now = at ?? clock.now();
      const limit = sweepOptions.limit ?? 1000;
      let swept = 0;
      const seen = new Set<string>();
      for (;;) {
        const count = await store.transaction(async (tx) => {
          // A rescored contact's next step lies after `now`; `seen` guards the loop regardless.
          const due = (await tx.contactsDueForRescore(now, limit)).filter((c) => !seen.has(c.key));
          if (due.length === 0) return 0;
          for (const c of due) seen.add(c.key);
          await rescore(tx, due, model, now);
          return due.length;
        });
        swept += count;
        if (count < limit) return swept;
      }
    },

    async rescoreAll(at, rescoreOptions = {}) {
      if (model.scoring === undefined) return 0;
      const now = at ?? clock.now();
      const pageSize = rescoreOptions.pageSize ?? 5000;
      let done = 0;
      let after: string | undefined;
      for (;;) {
        const page = await store.transaction(async (tx) => {
          const contacts = await tx.contactsAfter(after, pageSize);
          await rescore(tx, contacts, model, now);
          return contacts;
        });
        done += page.length;
        rescoreOptions.onProgress?.(done);
        const last = page[page.length - 1];
        if (last === undefined || page.length < pageSize) return done;
        after = last.key;
      }
    },

    fireDueTimers(at, fireOptions = {}) {
      return fireDueTimers({ store, model, worker, leaseMs, now: () => clock.now() }, at, fireOptions);
    },
  };
}
