/**
 * What the engine needs from storage, in the engine's own words (no driver types). Implemented by
 * `store/` for SQLite and PostgreSQL; one contract test suite runs against both.
 */
import type { EconomicsCounts } from './metrics/economics.ts';
import type { RoutingCounts } from './metrics/routing.ts';
import type { SlaSummary } from './metrics/sla.ts';
import type { ScoringDecisions } from './metrics/scoringHealth.ts';
import type { LeadFacts, MetricsFacts, OpenStaySummary, SpeedToLeadSummary } from './metrics/facts.ts';
import type { ApprovalRequest, ApprovalStatus, DealState, DealStatus } from './pipeline/types.ts';
import type { FiredTimer, OutboxEffect, TaskEffect, TimerEffect } from './effects.ts';
import type { RepOverride } from './routing/overrides.ts';
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

/**
 * Where an outbox row stands: waiting for its (next) attempt, delivered to every destination that
 * takes it, given up on (the dead-letter list), or taken by no destination (nothing to deliver).
 */
export type OutboxStatus = 'pending' | 'delivered' | 'dead' | 'skipped';

export interface OutboxRow extends OutboxEffect {
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Millis;
}

/** An outbox row as the dispatcher and `revops outbox` see it. */
export interface OutboxItem extends OutboxRow {
  /** The row's number (`revops outbox retry ID`). */
  readonly id: number;
  /** The last failure (or why it was skipped): destination, status and a short body excerpt. */
  readonly lastError?: string;
  /** Destinations already delivered to (a retry sends only to the others). */
  readonly deliveredTo: readonly string[];
  /** Who claimed it last (a dispatcher worker id). */
  readonly leaseOwner?: string;
  /** When it was delivered, dead-lettered or skipped. */
  readonly settledAt?: Millis;
}

/** What became of one claimed attempt (`Store.settleOutbox`). */
export type OutboxOutcome =
  | { readonly status: 'delivered'; readonly at: Millis; readonly deliveredTo: readonly string[] }
  | {
      readonly status: 'pending';
      readonly nextAttemptAt: Millis;
      readonly error: string;
      readonly deliveredTo: readonly string[];
    }
  | {
      readonly status: 'dead';
      readonly at: Millis;
      readonly error: string;
      readonly deliveredTo: readonly string[];
    }
  | { readonly status: 'skipped'; readonly at: Millis; readonly error: string };

/** Which outbox rows `listOutboxItems` returns, in id order. */
export interface OutboxQuery {
  readonly status?: OutboxStatus;
  readonly limit?: number;
  /** Rows after this id (the last of the previous page). */
  readonly afterId?: number;
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
  /** Only clocks due at or after this instant. */
  readonly dueFrom?: Millis;
  /** Only clocks due before this instant. */
  readonly dueBefore?: Millis;
  readonly limit?: number;
  /** Clocks after this one in (dueAt, key) order: the last row of the previous page. */
  readonly after?: { readonly dueAt: Millis; readonly key: string };
}

/** Which contacts `searchContacts` returns: every filter given must hold; keyset paging in key order. */
export interface ContactSearch {
  /** Only contacts in one of these stages. */
  readonly stages?: readonly string[];
  /** Only contacts this rep owns; `null`: only contacts nobody owns. */
  readonly owner?: string | null;
  /** Only MQLs (true), or only contacts that are not (false; never scored counts as not). */
  readonly mql?: boolean;
  /** Only contacts whose stored score total is at least this (never scored: left out). */
  readonly scoreMin?: number;
  /** Only contacts whose stored score total is at most this (never scored: left out). */
  readonly scoreMax?: number;
  /** Only contacts updated at or after this instant. */
  readonly updatedSince?: Millis;
  /** Only contacts of this account. */
  readonly accountDomain?: string;
  /** Contacts with keys after this one (the last of the previous page). */
  readonly afterKey?: ContactKey;
  readonly limit: number;
}

/** Which tasks `listTasks` returns, in (createdAt, key) order; keyset paging with `after`. */
export interface TaskQuery {
  readonly status?: TaskRow['status'] | readonly TaskRow['status'][];
  /** Only tasks of this assignee (`rep:priya`, `team:sdr`, …). */
  readonly assignee?: string;
  readonly contactKey?: ContactKey;
  readonly limit?: number;
  /** Tasks after this one in (createdAt, key) order: the last row of the previous page. */
  readonly after?: { readonly createdAt: Millis; readonly key: string };
}

/** Grouped counts for `/metrics` and health pages, as of `now`. */
export interface StoreStats {
  readonly events: number;
  readonly contactsByStage: Readonly<Record<string, number>>;
  /** Routing decisions by kind (assigned, kept, queued, review). */
  readonly assignmentsByKind: Readonly<Record<string, number>>;
  readonly timersPending: number;
  /** Pending timers whose due time is at or before `now`. */
  readonly timersOverdue: number;
  readonly outboxByStatus: Readonly<Record<string, number>>;
  readonly tasksByStatus: Readonly<Record<string, number>>;
  readonly slaClocksByStatus: Readonly<Record<string, number>>;
  /**
   * The contacts and accounts a single-connection store keeps between transactions (SQLite), since
   * it opened: look-ups answered from memory and not, times emptied because another connection
   * committed, and what it holds now; and the leads it knows have no running SLA clock, with the
   * clock look-ups that knowledge saved. Absent for a store that keeps nothing (PostgreSQL).
   */
  readonly stateCache?: {
    readonly hits: number;
    readonly misses: number;
    readonly cleared: number;
    readonly contacts: number;
    readonly accounts: number;
    readonly clockFree: number;
    readonly clockLookupsSkipped: number;
  };
}

/** Everything done inside one transaction: all of it commits, or none of it. */
/** Quarter hours, in ms: every time zone in use today is offset from UTC by a multiple of this. */
export const ASSIGNMENT_SLOT_MS = 900_000;

/**
 * A rep's assignments in one quarter hour (`at` is its start, a multiple of `ASSIGNMENT_SLOT_MS`
 * since the epoch): the whole slot falls on one local date in every zone whose offset is a whole
 * number of quarter hours, which is all of them since 1979, so per-day capacity counts stay exact.
 */
export interface AssignedSlot {
  readonly at: Millis;
  readonly n: number;
}

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
   * What routing needs of the reps: per owner, contacts in `openStages`, and their assignments at
   * or after `assignedSince` counted per quarter hour (`AssignedSlot`), so a busy day costs a few
   * rows per rep, not one per lead. Does not throw for an empty stage list.
   */
  ownerLoads(
    openStages: readonly string[],
    assignedSince: Millis,
  ): Promise<{ openLeads: Map<string, number>; assigned: Map<string, AssignedSlot[]> }>;
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
  /** The tasks with these keys (any status), in key order; unknown keys are left out. */
  findTasks(keys: readonly string[]): Promise<TaskRow[]>;
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
  /** The reps' availability overrides (`PATCH /v1/reps/{id}`) by rep id, for routing. Throws only if storage fails. */
  repOverrides(): Promise<Map<string, RepOverride>>;
  /** Deals by id (absent ids are left out). */
  findDeals(ids: readonly string[]): Promise<DealState[]>;
  /** Inserts or replaces deals by id. */
  upsertDeals(rows: readonly DealState[]): Promise<void>;
  /** Deals by the query (for stage averages and reports inside a transaction). */
  listDeals(query?: DealQuery): Promise<DealState[]>;
  /** Approval requests by id. */
  findApprovals(ids: readonly string[]): Promise<ApprovalRequest[]>;
  /** Every approval request of these deals, oldest first. */
  approvalsOfDeals(dealIds: readonly string[]): Promise<ApprovalRequest[]>;
  /** Inserts or replaces approval requests by id. */
  upsertApprovals(rows: readonly ApprovalRequest[]): Promise<void>;
}

/** An API key as stored: its id, name and scopes, never the key itself, only a hash of it. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  /** `ingest`, `read`, `admin`. */
  readonly scopes: readonly string[];
  /** Hex SHA-256 of the whole key text. */
  readonly hash: string;
  readonly createdAt: Millis;
  readonly revokedAt?: Millis | undefined;
  readonly lastUsedAt?: Millis | undefined;
}

/** A rep's availability override as stored, with who set it and when. */
export interface RepOverrideRecord {
  readonly repId: string;
  readonly override: RepOverride;
  readonly updatedAt: Millis;
  /** Who set it: `key:<id>` for an API key. */
  readonly updatedBy?: string | undefined;
}

/** A stored config version without its text, with its audit: who stored it and each activation. */
export interface ConfigVersionSummary {
  readonly hash: string;
  /** When it was first stored. */
  readonly at: Millis;
  readonly active: boolean;
  readonly note?: string | undefined;
  /** Who stored it (`key:<id>`); absent for a version recorded from a config file. */
  readonly by?: string | undefined;
  /** Each time it became the active version, oldest first. */
  readonly activations: readonly {
    readonly at: Millis;
    readonly by?: string | undefined;
    readonly note?: string | undefined;
  }[];
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

/** Which deals to list (all filters optional), in id order. */
export interface DealQuery {
  readonly status?: DealStatus;
  readonly stage?: string;
  readonly owner?: string;
  readonly pipeline?: string;
  readonly account?: string;
  /** Only deals open now, without a close time, or closed at or after this instant (reports). */
  readonly openOrClosedSince?: Millis;
  /** The page after this deal id. */
  readonly after?: string;
  readonly limit?: number;
}

/** Which approval requests to list, newest first. */
export interface ApprovalQuery {
  readonly status?: ApprovalStatus;
  readonly dealId?: string;
  readonly limit?: number;
}

/** Derives one contact's metric facts from its own rows, each list in time order. */
export type DeriveFacts = (
  contact: ContactState,
  history: readonly StageChange[],
  touches: readonly Touch[],
  speedClocks: readonly SlaClock[],
) => LeadFacts;

/** How to bring the metric facts up to date (`Store.refreshMetricFacts`). */
export interface MetricFactsRefresh {
  /** The fingerprint of what the facts depend on (`factsFingerprint`). */
  readonly fingerprint: string;
  readonly derive: DeriveFacts;
  /** The speed-to-lead clock id whose clocks `derive` needs; none read when absent. */
  readonly clockId?: string;
  /** Rebuild everything even when the fingerprint matches. */
  readonly full?: boolean;
  /** Contacts per transaction (1,000). */
  readonly chunk?: number;
  /** Called after each chunk with the contacts done so far and, for a rebuild, the total. */
  readonly onProgress?: (done: number, total: number | undefined) => void;
  /** Recorded as the build time. */
  readonly now: Millis;
}

export interface MetricFactsRefreshResult {
  /** Everything was rebuilt (no facts yet, another fingerprint, or asked for). */
  readonly full: boolean;
  /** Contacts whose facts were written. */
  readonly contacts: number;
}

/** The report filters as the store applies them: owners (a team's members) and a lead source. */
export interface MetricFactsFilters {
  /** Only rows owned by these reps (the team filter); all when absent. */
  readonly owners?: readonly string[];
  /** Only rows of leads of this source. */
  readonly source?: string;
}

/** The range of a report's facts, with its filters. */
export interface MetricFactsQuery extends MetricFactsFilters {
  readonly from: Millis;
  readonly to: Millis;
  /** What to read (everything when absent): the cohort, the MQL entries (all or the recycled ones), the closed stays. */
  readonly parts?: MetricFactsParts;
}

/** Which parts of the facts a report needs. */
export interface MetricFactsParts {
  readonly leads?: boolean;
  readonly mqlEntries?: 'all' | 'recycled' | 'none';
  readonly closedStays?: boolean;
}

/** The MQL entries of a range to count for speed to lead (`Store.metricSpeedToLead`). */
export interface SpeedToLeadQuery extends MetricFactsFilters {
  readonly from: Millis;
  readonly to: Millis;
  /** Untouched entries without a clock verdict are missed once `targetMs` has passed by now. */
  readonly now: Millis;
  /** The wall-clock target (`benchmarks.speedToLeadMs`) for entries no clock judged. */
  readonly targetMs: number;
}

/** A funnel report's facts: the range's, and the open stays as of `now`. */
export interface FunnelFactsQuery extends MetricFactsQuery {
  readonly now: Millis;
}

/** Which routing decisions the routing log lists (`Store.assignmentLog`). */
export interface AssignmentLogQuery {
  readonly from?: Millis | undefined;
  readonly to?: Millis | undefined;
  readonly owner?: string | undefined;
  readonly rule?: string | undefined;
  /** Undefined: every match. */
  readonly limit?: number | undefined;
}

/** The SLA clocks started in [from, to) of the owners and source given (`Store.metricSlaSummary`). */
export interface SlaSummaryQuery extends MetricFactsFilters {
  readonly from: Millis;
  readonly to: Millis;
  /** Each rep's teams (`teamsOfReps(model)`): the medians by team span their members' clocks. */
  readonly teamsOf: ReadonlyMap<string, readonly string[]>;
}

/** The routing decisions made in [from, to) to count, with the report's filters (`Store.metricRoutingCounts`). */
export interface RoutingCountsQuery {
  readonly from: Millis;
  readonly to: Millis;
  /** Only decisions made for this team or owned by one of its members; all when absent. */
  readonly team?: { readonly id: string; readonly members: readonly string[] };
  /** Only decisions about leads of this source, as the metric facts tell it; all when absent. */
  readonly source?: string;
}

/**
 * What scoring health counts (`Store.metricScoringCounts`): MQL entries of the metric facts and
 * deals created per span between consecutive `bounds` (core/metrics/scoringHealth.ts
 * `scoringWeeks`), and what sales decided about the MQL entries in [from, to). The filters take an
 * entry by its lead's owner and source as the facts hold them, a deal by its own owner and source
 * (`unknown` when it has none).
 */
export interface ScoringCountsQuery extends MetricFactsFilters {
  readonly from: Millis;
  readonly to: Millis;
  /** Ascending instants: span i is [bounds[i], bounds[i + 1]). */
  readonly bounds: readonly Millis[];
}

/** The answer to a `ScoringCountsQuery`: counts per span of `bounds`, in their order, and the decisions. */
export interface ScoringSpanCounts {
  readonly mqls: readonly number[];
  readonly deals: readonly number[];
  readonly decisions: ScoringDecisions;
}

/** The spend periods economics counts new customers and first MQLs in (`Store.metricEconomicsCounts`). */
export interface EconomicsCountsQuery {
  readonly periods: readonly { readonly from: Millis; readonly to: Millis }[];
}

/** Which open stays to sum up, as of when, against which p90 of closed stays per stage. */
export interface OpenStaysQuery extends MetricFactsFilters {
  readonly now: Millis;
  readonly p90s: ReadonlyMap<string, number>;
}

/** Where the stored metric facts stand. */
export interface MetricFactsStatus {
  /** The fingerprint of the last finished rebuild; absent when never built. */
  readonly fingerprint?: string;
  /** Contacts marked out of date since. */
  readonly dirty: number;
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
  /**
   * Contacts matching `query` (every filter given), in key order after `query.afterKey`, at most
   * `query.limit`. Throws only if storage fails.
   */
  searchContacts(query: ContactSearch): Promise<ContactState[]>;
  /** Accounts by domain, after `afterDomain` when given. */
  listAccounts(options?: { readonly limit?: number; readonly afterDomain?: string }): Promise<AccountState[]>;
  stageHistory(contactKey?: ContactKey): Promise<StageChange[]>;
  touches(contactKey?: ContactKey): Promise<Touch[]>;
  /** Tasks by `query` (all when absent), in (createdAt, key) order. Throws only if storage fails. */
  listTasks(query?: TaskQuery): Promise<TaskRow[]>;
  /** Grouped counts as of `now` (metrics). Throws only if storage fails. */
  stats(now: Millis): Promise<StoreStats>;
  /** Names of the migrations not applied yet (empty when the schema is current); does not migrate. */
  pendingMigrations(): Promise<string[]>;
  /**
   * SLA clocks by `query` (all when absent), in (dueAt, key) order: `revops sla`, replay output and
   * the API page through them with `after`. Throws only if storage fails.
   */
  listClocks(query?: ClockQuery): Promise<SlaClock[]>;
  listOutbox(): Promise<OutboxRow[]>;
  /**
   * Claims up to `limit` pending outbox rows due at `now` (`nextAttemptAt <= now`), earliest first,
   * for `owner`: counts the attempt and moves `nextAttemptAt` to `now + leaseMs`, so a claimer that
   * dies leaves the row to a later claim. With `skipLocked` concurrent claimers get disjoint rows.
   * Returns them as they are after the claim, in id order. Throws only if storage fails.
   */
  claimDueOutbox(now: Millis, limit: number, leaseMs: number, owner: string): Promise<OutboxItem[]>;
  /**
   * Records the outcome of the claim `(id, attempt)`: only while the row is still pending with that
   * attempt count (a claim that outlived its lease and was claimed again changes nothing). Returns
   * whether it was recorded. Throws only if storage fails.
   */
  settleOutbox(id: number, attempt: number, outcome: OutboxOutcome): Promise<boolean>;
  /** Outbox rows by `query` (all when absent), in id order. Throws only if storage fails. */
  listOutboxItems(query?: OutboxQuery): Promise<OutboxItem[]>;
  /** One outbox row by id or key; undefined when none has it. Throws only if storage fails. */
  findOutboxItem(idOrKey: number | string): Promise<OutboxItem | undefined>;
  /** How many outbox rows are in each status. Throws only if storage fails. */
  countOutbox(): Promise<Record<OutboxStatus, number>>;
  /**
   * Makes dead rows pending again, due at `now`, with their attempts reset (destinations already
   * delivered to stay done): these ids, or every dead row with `'all-dead'`. Rows that are not dead
   * are left as they are. Returns the ids revived. Throws only if storage fails.
   */
  reviveOutbox(ids: readonly number[] | 'all-dead', now: Millis): Promise<number[]>;
  /** Routing decisions in (at, insertion) order, of one contact when given. */
  listAssignments(contactKey?: ContactKey): Promise<AssignmentRow[]>;
  /**
   * The routing log: decisions with `at` in [from, to) (either bound optional) of the owner and rule
   * given, newest first (`at`, then insertion, both descending), at most `limit` (all when absent),
   * and how many match. Served by the decision-time index without reading other traces. Throws if
   * storage fails.
   */
  assignmentLog(query: AssignmentLogQuery): Promise<{ rows: AssignmentRow[]; matched: number }>;
  /** The first decision (in `listAssignments` order) of each rule there is, by rule. Throws if storage fails. */
  firstAssignmentOfRules(): Promise<AssignmentRow[]>;
  listTimers(): Promise<(TimerEffect & { readonly attempts: number })[]>;
  /** Stored events in arrival order, for rebuilds. */
  listEvents(options?: {
    readonly limit?: number;
    readonly afterSeq?: number;
  }): Promise<(StoredEvent & { readonly seq: number })[]>;
  /**
   * Records a config version (by content hash) and marks it active. `note` goes with the activation;
   * a version stored before keeps its own note (taking this one only if it had none) unless
   * `replaceNote` (the demo's progress marker on its version).
   */
  saveConfigVersion(version: {
    readonly hash: string;
    readonly text: string;
    readonly at: Millis;
    readonly note?: string;
    /** Who activates it (`key:<id>`), recorded with the activation. */
    readonly by?: string;
    readonly replaceNote?: boolean;
  }): Promise<void>;
  /** Replaces the synced reps and teams with these (from config). */
  syncTeam(team: {
    readonly reps: readonly JsonObject[];
    readonly teams: readonly JsonObject[];
  }): Promise<void>;

  // ---- the HTTP API's admin side: API keys, rep overrides, the config audit (none throw except on a storage failure)
  /** Stores a new API key. Throws when the id is taken. */
  insertApiKey(key: ApiKeyRecord): Promise<void>;
  /** One key by id, revoked or not; undefined when unknown. */
  apiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /** Every key, revoked ones included, in (createdAt, id) order. */
  listApiKeys(): Promise<ApiKeyRecord[]>;
  /** Revokes a key at `at` (a revoked key keeps its first time); returns it, or undefined when unknown. */
  revokeApiKey(id: string, at: Millis): Promise<ApiKeyRecord | undefined>;
  /** Stamps a key's last use (never moves it backwards). */
  markApiKeyUsed(id: string, at: Millis): Promise<void>;
  /** Every stored rep override, by rep id. */
  repOverrides(): Promise<RepOverrideRecord[]>;
  /** Replaces a rep's override; an empty one (no field set) removes it. */
  saveRepOverride(record: RepOverrideRecord): Promise<void>;
  /** The stored config versions, newest first, with their audit. */
  configHistory(): Promise<ConfigVersionSummary[]>;
  /** The text of a stored config version; undefined when unknown. */
  configText(hash: string): Promise<string | undefined>;
  listDeals(query?: DealQuery): Promise<DealState[]>;
  /**
   * The deals `query` selects, as `listDeals` returns them, for reports: the deals of the previous
   * call are kept parsed and reused while unchanged (only changed deals' JSON is parsed again). The
   * deals returned are frozen and shared between calls. Throws if storage fails.
   */
  reportDeals(query?: DealQuery): Promise<readonly DealState[]>;
  findDeal(id: string): Promise<DealState | undefined>;
  listApprovals(query?: ApprovalQuery): Promise<ApprovalRequest[]>;
  /**
   * Brings the metric facts up to date: every contact when never built, built under another
   * fingerprint or `full`; else the contacts marked since. Throws if storage fails (chunks done
   * so far stay committed).
   */
  refreshMetricFacts(options: MetricFactsRefresh): Promise<MetricFactsRefreshResult>;
  metricFactsStatus(): Promise<MetricFactsStatus>;
  /**
   * The facts of a report over [from, to) but the open stays (see core/metrics/facts.ts
   * `MetricsFacts`); the closed stays filtered by `owners` and `source` when given.
   */
  metricFacts(query: MetricFactsQuery): Promise<Omit<MetricsFacts, 'openStays'>>;
  /** The open stays by stage, summed up as `query` asks (`MetricsFacts.openStays`). */
  metricOpenStays(query: OpenStaysQuery): Promise<Map<string, OpenStaySummary>>;
  /**
   * `metricFacts` and then the open stays as of `query.now` against the p90s of the closed stays
   * read, in one snapshot (a refresh committing meanwhile is not seen). Throws if storage fails.
   */
  metricFunnelFacts(query: FunnelFactsQuery): Promise<MetricsFacts>;
  /**
   * Accounts whose first won deal closed in one of `query.periods`, and per lead source the
   * contacts whose first MQL entry (metric facts) did, in one snapshot. Throws if storage fails.
   */
  metricEconomicsCounts(query: EconomicsCountsQuery): Promise<EconomicsCounts>;
  /**
   * SLA compliance's counts and lateness medians of the clocks started in [from, to) of the owners
   * given (and, with a source, of leads of that source as the metric facts tell it), as
   * `summariseSlaClocks` computes them from the rows. Without a source it reads the clock facts,
   * as of the last `refreshMetricFacts` (the caller refreshes first). Throws if storage fails.
   */
  metricSlaSummary(query: SlaSummaryQuery): Promise<SlaSummary>;
  /**
   * What the routing report counts of the decisions made in [from, to) that pass the team filter
   * and (as the metric facts tell the lead's source) the source filter: the decisions by kind,
   * owner, team and rule, the order of each team's first assignments, and each queued decision with
   * the lead's next assignment after it (`RoutingCounts`), in one snapshot. Throws if storage fails.
   */
  metricRoutingCounts(query: RoutingCountsQuery): Promise<RoutingCounts>;
  /**
   * The MQL entries of [from, to) of the owners and source given, counted and with the medians
   * speed to lead shows (`MetricsFacts.speedToLead`). Throws if storage fails.
   */
  metricSpeedToLead(query: SpeedToLeadQuery): Promise<SpeedToLeadSummary>;
  /**
   * The MQL entries (metric facts) and deals created per span of `query.bounds`, and the decisions
   * of the MQL entries in [from, to), of the owners and source given, in one snapshot. Throws if
   * storage fails.
   */
  metricScoringCounts(query: ScoringCountsQuery): Promise<ScoringSpanCounts>;
  /**
   * Each distinct `source` of the leads in the metric facts (refresh them first), once, in no
   * particular order; read from the day roll-ups, no contact read. Throws if storage fails.
   */
  metricLeadSources(): Promise<string[]>;
  /**
   * Each distinct `source` of the deals (`unknown` for a deal without one), once, in no particular
   * order: the database reads each deal's JSON (one scan of the deals), none is parsed here. Throws
   * if storage fails.
   */
  dealSources(): Promise<string[]>;
  findApproval(id: string): Promise<ApprovalRequest | undefined>;
  close(): Promise<void>;
}
