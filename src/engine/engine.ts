/**
 * The engine: ingest events and fire due timers, each through one transaction per batch.
 * Built by compose.ts from a store, a decision model (from the config) and a clock.
 */
import { randomUUID } from 'node:crypto';
import { decideTimer, type DecisionModel } from '../core/contact/decide.ts';
import type { Store } from '../core/ports.ts';
import type { ContactState, Millis } from '../core/types.ts';
import type { Clock } from './clock.ts';
import { checkReassignRequest, reassignInTx, type ReassignRequest, type ReassignResult } from './reassign.ts';
import { rescore } from './rescore.ts';
import { Writes } from './writes.ts';
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
   * Fires timers due at `now` (default: the clock), in due order, in batches; returns how many
   * fired. Each batch is one transaction; a crash before commit leaves the timers to be retried
   * when their lease ends (at-least-once, and handlers are idempotent by effect key).
   */
  fireDueTimers(now?: Millis, options?: { readonly limit?: number }): Promise<number>;
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
  const worker = `engine-${randomUUID()}`;

  const storedIds = async (raws: readonly unknown[]): Promise<Set<string>> => {
    const ids = [...new Set(raws.map(rawId).filter((id): id is string => id !== undefined))];
    return ids.length === 0 ? new Set() : store.transaction((tx) => tx.knownEventIds(ids));
  };

  return {
    store,
    model,
    clock,
    async ingest(raws, ingestOptions = {}) {
      const now = clock.now();
      // Fast path for re-sent events: ids already stored are duplicates whatever else they carry,
      // and event ids are never deleted, so they are answered before any validation work.
      const stored = await storedIds(raws);
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
        const known = await store.transaction((tx) => ingestValidated(tx, valid, model, now));
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
    },

    async reassign(request) {
      const at = request.at ?? clock.now();
      const routing = checkReassignRequest(model, request, at);
      return store.transaction((tx) => reassignInTx(tx, model, routing, request, at));
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

    async fireDueTimers(at, fireOptions = {}) {
      const now = at ?? clock.now();
      const limit = fireOptions.limit ?? 500;
      let fired = 0;
      for (;;) {
        const timers = await store.claimDueTimers(now, limit, leaseMs, worker);
        if (timers.length === 0) return fired;
        await store.transaction(async (tx) => {
          const emails: string[] = [];
          const externalIds: string[] = [];
          for (const timer of timers) {
            const key = timer.contactKey;
            if (key?.startsWith('email:')) emails.push(key.slice(6));
            else if (key?.startsWith('id:')) externalIds.push(key.slice(3));
          }
          const contacts = new Map<string, ContactState>();
          if (emails.length + externalIds.length > 0) {
            for (const c of await tx.findContacts({ emails, externalIds })) contacts.set(c.key, c);
          }
          const writes = new Writes();
          for (const timer of timers) {
            const contact = timer.contactKey === undefined ? undefined : contacts.get(timer.contactKey);
            writes.addEffects(decideTimer(model, timer, contact, Math.max(now, timer.dueAt)).effects);
          }
          await writes.flush(tx);
          for (const timer of timers) await tx.completeTimer(timer.key, timer.dueAt);
        });
        fired += timers.length;
        if (timers.length < limit) return fired;
      }
    },
  };
}
