/**
 * What the engine needs from storage, in the engine's own words (no driver types). Implemented by
 * `store/` for SQLite and PostgreSQL; one contract test suite runs against both.
 */
import type { FiredTimer, OutboxEffect, TaskEffect, TimerEffect } from './effects.ts';
import type { SlaClock, SlaClockStatus } from './sla/model.ts';
import type {
  AccountState,
  ContactKey,
  ContactScore,
  ContactState,
  InboundEvent,
  JsonObject,
  Millis,
  StageChange,
  Touch,
} from './types.ts';

/** What a store can do, so callers branch on abilities, never on the database's name. */
export interface StoreCapabilities {
  /** Claims may use `FOR UPDATE SKIP LOCKED`: several workers can claim timers at once. */
  readonly skipLocked: boolean;
  /** Several processes may write at the same time (otherwise: one writer). */
  readonly concurrentWriters: boolean;
}

/** An accepted event as stored (append-only, unique by id). */
export interface StoredEvent {
  readonly event: InboundEvent;
  readonly receivedAt: Millis;
  readonly contactKey?: ContactKey;
}

export interface OutboxRow extends OutboxEffect {
  readonly status: 'pending' | 'sent' | 'dead';
  readonly attempts: number;
  readonly nextAttemptAt: Millis;
}

export type TaskRow = Omit<TaskEffect, 'kind'>;

/** Counts for summaries, health checks and tests. */
export interface StoreCounts {
  readonly events: number;
  readonly contacts: number;
  readonly accounts: number;
  readonly stageHistory: number;
  readonly touches: number;
  readonly timers: number;
  readonly outbox: number;
  readonly tasks: number;
  readonly slaClocks: number;
}

/** Which SLA clocks `listClocks` returns, and from where (keyset paging in (dueAt, key) order). */
export interface ClockQuery {
  /** Only clocks with this status (or any of these). */
  readonly status?: SlaClockStatus | readonly SlaClockStatus[];
  /** Only this lead's clocks. */
  readonly contactKey?: ContactKey;
  readonly limit?: number;
  /** Clocks after this one in (dueAt, key) order: the last row of the previous page. */
  readonly after?: { readonly dueAt: Millis; readonly key: string };
}

/** Everything done inside one transaction: all of it commits, or none of it. */
export interface StoreTx {
  /** Which of these event ids are already stored. Does not throw for unknown ids. */
  knownEventIds(ids: readonly string[]): Promise<Set<string>>;
  /** Appends events; the caller has removed known ids. Throws on a duplicate id (a bug). */
  insertEvents(rows: readonly StoredEvent[]): Promise<void>;
  /** Contacts matching any of these emails or external ids. */
  findContacts(query: {
    readonly emails: readonly string[];
    readonly externalIds: readonly string[];
  }): Promise<ContactState[]>;
  findAccounts(domains: readonly string[]): Promise<AccountState[]>;
  /** Up to `limit` contacts whose next score change (`nextDecayAt`) is due at `now`, earliest first. */
  contactsDueForRescore(now: Millis, limit: number): Promise<ContactState[]>;
  /** The stored events of these contacts, each contact's in (at, arrival) order. */
  eventsOf(contactKeys: readonly ContactKey[]): Promise<Map<ContactKey, InboundEvent[]>>;
  /** Up to `limit` contacts with keys after `afterKey` (all when undefined), in key order. */
  contactsAfter(afterKey: ContactKey | undefined, limit: number): Promise<ContactState[]>;
  /** Replaces only the stored score and next decay step of existing contacts (a rescore). */
  updateScores(rows: readonly ScoreUpdate[]): Promise<void>;
  /** Inserts or replaces contacts by key. */
  upsertContacts(rows: readonly ContactState[]): Promise<void>;
  /**
   * What routing needs of the reps: per owner, contacts in `openStages`, and the times of their
   * assignments at or after `assignedSince`. Does not throw for an empty stage list.
   */
  ownerLoads(
    openStages: readonly string[],
    assignedSince: Millis,
  ): Promise<{ openLeads: Map<string, number>; assignedAt: Map<string, Millis[]> }>;
  /**
   * Makes transactions that touch the same contacts or accounts take turns, for the rest of this
   * transaction: `subjects` are identity keys (`email:…`, `id:…`, `account:…`). Where several writers
   * exist (PostgreSQL) they are transaction-level advisory locks, taken in one global order so two
   * batches cannot deadlock; with a single writer (SQLite) there is nothing to do. Call it before
   * reading the subjects, and before `lockRoutingCounters`.
   */
  lockSubjects(subjects: readonly string[]): Promise<void>;
  /**
   * The round-robin counters of these teams; where several writers exist (`concurrentWriters`) the
   * rows are locked until the transaction ends, so two routings never take the same last slot.
   */
  lockRoutingCounters(teams: readonly string[]): Promise<Map<string, RoutingCounters>>;
  saveRoutingCounters(rows: ReadonlyMap<string, RoutingCounters>): Promise<void>;
  appendAssignments(rows: readonly AssignmentRow[]): Promise<void>;
  /** One contact's routing decisions in (at, insertion) order; empty for an unknown key. */
  assignmentsOf(contactKey: ContactKey): Promise<AssignmentRow[]>;
  /** Inserts or replaces accounts by domain. */
  upsertAccounts(rows: readonly AccountState[]): Promise<void>;
  appendStageHistory(rows: readonly StageChange[]): Promise<void>;
  appendTouches(rows: readonly Touch[]): Promise<void>;
  /** Schedules timers; an existing key is replaced (new due time, attempts and lease reset). */
  upsertTimers(rows: readonly TimerEffect[]): Promise<void>;
  deleteTimers(keys: readonly string[]): Promise<void>;
  /**
   * Removes a fired timer, but only if it still has the due time it was claimed with: a timer
   * rescheduled while it was firing survives.
   */
  completeTimer(key: string, dueAt: Millis): Promise<void>;
  /** Writes outbox rows; a key already present is left as it is. Returns how many were new. */
  insertOutbox(rows: readonly OutboxEffect[]): Promise<number>;
  /** Inserts or replaces tasks by key. */
  upsertTasks(rows: readonly TaskRow[]): Promise<void>;
  /** The lead's open tasks, in (createdAt, key) order. */
  openTasksOf(contactKey: ContactKey): Promise<TaskRow[]>;
  /**
   * Inserts or replaces SLA clocks by key (a key repeated in the batch: the last wins); a new row
   * is stamped created by the store's clock. Throws only if storage fails.
   */
  upsertClocks(rows: readonly SlaClock[]): Promise<void>;
  /**
   * The running SLA clocks of these leads (status `open`, or `breached` and not yet stopped), in
   * (contactKey, startedAt, key) order; none for unknown keys. Throws only if storage fails.
   */
  openClocksOf(contactKeys: readonly ContactKey[]): Promise<SlaClock[]>;
  /** SLA clocks by `query`, in (dueAt, key) order (inside the transaction). Throws only if storage fails. */
  listClocks(query?: ClockQuery): Promise<SlaClock[]>;
}

/** Round-robin counters of one team (as core/routing keeps them). */
export interface RoutingCounters {
  /** The period the counts belong to: `2026-11-27`, `2026-W48`, `2026-11` or `all`. */
  readonly period: string;
  readonly counts: Readonly<Record<string, number>>;
  /** Reps eligible at the last pick (a rep not among them is calibrated on return). */
  readonly present: readonly string[];
}

/** One routing decision as recorded: where the lead went, by which rule, and the full trace. */
export interface AssignmentRow {
  readonly contactKey: ContactKey;
  readonly kind: 'assigned' | 'kept' | 'queued' | 'review';
  readonly owner?: string | undefined;
  readonly queue?: string | undefined;
  readonly team?: string | undefined;
  readonly rule: string;
  readonly at: Millis;
  readonly trace: JsonObject;
}

export interface ScoreUpdate {
  readonly key: ContactKey;
  readonly score: ContactScore;
  readonly nextDecayAt?: Millis | undefined;
}

/** A database the engine runs on. */
export interface Store {
  readonly capabilities: StoreCapabilities;
  /** For messages and logs only: `sqlite:./data/revops.db`, `postgres://host/db`. */
  readonly description: string;
  /** Brings the schema up to date; returns the migrations applied. Safe to call at every start. */
  migrate(): Promise<string[]>;
  /** Runs `fn` in one transaction; rolls back if it throws, and rethrows. */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /**
   * Claims up to `limit` timers due at `now` that are not leased (or whose lease ran out), leasing
   * them to `owner` until `now + leaseMs` and counting the attempt. Concurrent callers never get
   * the same timer while its lease holds.
   */
  claimDueTimers(now: Millis, limit: number, leaseMs: number, owner: string): Promise<FiredTimer[]>;
  /** The earliest due time of any timer, or undefined when none is pending. */
  nextTimerDue(): Promise<Millis | undefined>;

  // ---- reads (for replay output, the CLI and the API)
  counts(): Promise<StoreCounts>;
  listContacts(options?: {
    readonly limit?: number;
    readonly afterKey?: ContactKey;
  }): Promise<ContactState[]>;
  listAccounts(): Promise<AccountState[]>;
  stageHistory(contactKey?: ContactKey): Promise<StageChange[]>;
  touches(contactKey?: ContactKey): Promise<Touch[]>;
  listTasks(): Promise<TaskRow[]>;
  /**
   * SLA clocks by `query` (all when absent), in (dueAt, key) order: `revops sla`, replay output and
   * the API page through them with `after`. Throws only if storage fails.
   */
  listClocks(query?: ClockQuery): Promise<SlaClock[]>;
  listOutbox(): Promise<OutboxRow[]>;
  /** Routing decisions in (at, insertion) order, of one contact when given. */
  listAssignments(contactKey?: ContactKey): Promise<AssignmentRow[]>;
  listTimers(): Promise<(TimerEffect & { readonly attempts: number })[]>;
  /** Stored events in arrival order, for rebuilds. */
  listEvents(options?: {
    readonly limit?: number;
    readonly afterSeq?: number;
  }): Promise<(StoredEvent & { readonly seq: number })[]>;
  /** Records a config version (by content hash) and marks it active. */
  saveConfigVersion(version: {
    readonly hash: string;
    readonly text: string;
    readonly at: Millis;
    readonly note?: string;
  }): Promise<void>;
  /** Replaces the synced reps and teams with these (from config). */
  syncTeam(team: {
    readonly reps: readonly JsonObject[];
    readonly teams: readonly JsonObject[];
  }): Promise<void>;
  close(): Promise<void>;
}
