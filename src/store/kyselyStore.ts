/**
 * The `Store` port over Kysely, shared by SQLite and PostgreSQL. What differs between databases
 * arrives as a `SqlProfile` (abilities and limits as data); this file never asks which database it
 * is talking to. Bulk writes are multi-row statements chunked under the bind-parameter limit.
 */
import {
  Migrator,
  sql,
  type Compilable,
  type Insertable,
  type Kysely,
  type OnConflictDatabase,
  type OnConflictTables,
  type UpdateObject,
} from 'kysely';
import type { FiredTimer, OutboxEffect, TimerEffect } from '../core/effects.ts';
import type { RepOverride } from '../core/routing/overrides.ts';
import type { SlaClock } from '../core/sla/model.ts';
import { ASSIGNMENT_SLOT_MS } from '../core/ports.ts';
import type {
  ApiKeyRecord,
  AssignedSlot,
  ApprovalQuery,
  MetricFactsRefresh,
  MetricFactsRefreshResult,
  MetricFactsStatus,
  OpenStaysQuery,
  MetricFactsQuery,
  SpeedToLeadQuery,
  ScoringCountsQuery,
  ScoringSpanCounts,
  FunnelFactsQuery,
  RoutingCountsQuery,
  AssignmentLogQuery,
  SlaSummaryQuery,
  EconomicsCountsQuery,
  DealQuery,
  AssignmentRow,
  ClockQuery,
  ConfigVersionSummary,
  ContactSearch,
  OutboxItem,
  OutboxOutcome,
  OutboxQuery,
  OutboxRow,
  OutboxStatus,
  RepOverrideRecord,
  RoutingCounters,
  ScoreUpdate,
  Store,
  StoreCapabilities,
  StoreCounts,
  StoredEvent,
  StoreStats,
  StoreTx,
  TaskQuery,
  TaskRow,
} from '../core/ports.ts';
import type {
  AccountState,
  ContactKey,
  ContactState,
  InboundEvent,
  JsonObject,
  Millis,
  StageChange,
  Touch,
} from '../core/types.ts';
import * as admin from './adminStore.ts';
import * as deals from './dealStore.ts';
import * as metricFacts from './metricFacts.ts';
import { readSpeedToLead } from './metricSpeedToLead.ts';
import { readScoringCounts } from './metricScoring.ts';
import { readEconomicsCounts } from './metricEconomics.ts';
import { readRoutingCounts } from './metricRouting.ts';
import { readSlaSummary } from './metricSla.ts';
import type { SlaSummary } from '../core/metrics/sla.ts';
import type { RoutingCounts } from '../core/metrics/routing.ts';
import type { EconomicsCounts } from '../core/metrics/economics.ts';
import {
  LEAD_FACT_FIELDS,
  type MetricsFacts,
  type OpenStaySummary,
  type SpeedToLeadSummary,
} from '../core/metrics/facts.ts';
import type { ApprovalRequest, DealState } from '../core/pipeline/types.ts';
import { migrationProvider } from './migrations/index.ts';
import type { SqlProfile, StoreOptions } from './profile.ts';
import { groupByChange } from './changedColumns.ts';
import { JsonMemo } from './jsonMemo.ts';
import { PendingStates, type CachedContact, type StateCache } from './stateCache.ts';
import * as rows from './rows.ts';
import type { ContactsTable, Database } from './schema.ts';
import { StatementCache, statementChunks } from './statements.ts';

/** A stored config version (not on the port: for the CLI, the API and tests). */
export interface ConfigVersion {
  readonly hash: string;
  readonly text: string;
  readonly at: Millis;
  readonly active: boolean;
  readonly note?: string;
}

/** The `Store` port plus the reads the port does not list yet. */
export interface SqlStore extends Store {
  /** Every saved config version, oldest first. Does not throw except on a database failure. */
  configVersions(): Promise<ConfigVersion[]>;
  /** The reps and teams last synced, each by id. Does not throw except on a database failure. */
  team(): Promise<{ reps: JsonObject[]; teams: JsonObject[] }>;
}

type Db = Kysely<Database>;

/** Most rows (or IN-list values) in one statement; fewer when the parameter limit says so. */
const MAX_ROWS_PER_STATEMENT = 512;

/** Every contact column but the key, in table order: what an upsert may set. */
const CONTACT_COLUMNS = [
  'email',
  'external_id',
  'account_domain',
  'attributes',
  'company_attributes',
  'stage',
  'stage_entered_at',
  'owner',
  'flags',
  'created_at',
  'updated_at',
  'last_activity_at',
  'last_touch_at',
  'event_count',
  'scoring',
  'score',
  'next_decay_at',
] as const satisfies readonly (keyof ContactsTable)[];

/** The column of each contact field the metric facts read (`LEAD_FACT_FIELDS`). */
const FACT_COLUMN_OF: Readonly<Record<(typeof LEAD_FACT_FIELDS)[number], keyof ContactsTable>> = {
  key: 'key',
  owner: 'owner',
  stage: 'stage',
  createdAt: 'created_at',
  attributes: 'attributes',
};
const FACT_COLUMNS = LEAD_FACT_FIELDS.map((field) => FACT_COLUMN_OF[field]);

/**
 * Whether writing `next` over `stored` (the row as this transaction read or last wrote it;
 * undefined: not read) can change the contact's metric facts: always for a contact not read, else
 * when a column the facts read differs.
 */
function factsMayChange(stored: object | undefined, next: Insertable<ContactsTable>): boolean {
  if (stored === undefined) return true;
  const read = stored as Readonly<Record<string, unknown>>;
  return FACT_COLUMNS.some((column) => read[column] !== next[column]);
}

/** `ON CONFLICT … DO UPDATE SET column = excluded.column` for each of `columns`. */
function excludedSet<T extends keyof Database>(
  columns: readonly string[],
): (eb: {
  ref(reference: string): unknown;
}) => UpdateObject<OnConflictDatabase<Database, T>, OnConflictTables<T>> {
  return (eb) => {
    const set: Record<string, unknown> = {};
    for (const column of columns) set[column] = eb.ref(`excluded.${column}`);
    return set as UpdateObject<OnConflictDatabase<Database, T>, OnConflictTables<T>>;
  };
}

/** Keeps one row per key: the last one (a later write replaces an earlier one). */
function lastPerKey<T>(items: readonly T[], key: (item: T) => string): readonly T[] {
  const byKey = new Map<string, T>();
  for (const item of items) byKey.set(key(item), item);
  return items.length === byKey.size ? items : [...byKey.values()];
}

/** Keeps one row per key: the first one (a later duplicate is ignored). */
function firstPerKey<T>(items: readonly T[], key: (item: T) => string): readonly T[] {
  const byKey = new Map<string, T>();
  for (const item of items) if (!byKey.has(key(item))) byKey.set(key(item), item);
  return items.length === byKey.size ? items : [...byKey.values()];
}

/** Byte-order comparison, the same as the databases' `ORDER BY key` on ASCII keys. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** SLA clocks by `query` in (due_at, key) order; the (status, due_at) index serves a status filter. */
async function selectClocks(db: Db, query: ClockQuery = {}): Promise<SlaClock[]> {
  const { status, contactKey, dueFrom, dueBefore, limit, after } = query;
  const statuses = status === undefined ? undefined : typeof status === 'string' ? [status] : [...status];
  const found = await db
    .selectFrom('sla_clocks')
    .selectAll()
    .$if(statuses !== undefined, (qb) => qb.where('status', 'in', statuses ?? []))
    .$if(contactKey !== undefined, (qb) => qb.where('contact_key', '=', contactKey ?? ''))
    .$if(dueFrom !== undefined, (qb) => qb.where('due_at', '>=', dueFrom ?? 0))
    .$if(dueBefore !== undefined, (qb) => qb.where('due_at', '<', dueBefore ?? 0))
    .$if(after !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('due_at', '>', after?.dueAt ?? 0),
          eb.and([eb('due_at', '=', after?.dueAt ?? 0), eb('key', '>', after?.key ?? '')]),
        ]),
      ),
    )
    .orderBy('due_at')
    .orderBy('key')
    .$if(limit !== undefined, (qb) => qb.limit(limit ?? 0))
    .execute();
  return found.map(rows.slaClock);
}

/** Tasks by `query` in (created_at, key) order; the (assignee, status) and (contact_key, status) indexes serve the filters. */
async function selectTasks(db: Db, query: TaskQuery = {}): Promise<TaskRow[]> {
  const { status, assignee, contactKey, limit, after } = query;
  const statuses = status === undefined ? undefined : typeof status === 'string' ? [status] : [...status];
  const found = await db
    .selectFrom('tasks')
    .selectAll()
    .$if(statuses !== undefined, (qb) => qb.where('status', 'in', statuses ?? []))
    .$if(assignee !== undefined, (qb) => qb.where('assignee', '=', assignee ?? ''))
    .$if(contactKey !== undefined, (qb) => qb.where('contact_key', '=', contactKey ?? ''))
    .$if(after !== undefined, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('created_at', '>', after?.createdAt ?? 0),
          eb.and([eb('created_at', '=', after?.createdAt ?? 0), eb('key', '>', after?.key ?? '')]),
        ]),
      ),
    )
    .orderBy('created_at')
    .orderBy('key')
    .$if(limit !== undefined, (qb) => qb.limit(limit ?? 0))
    .execute();
  return found.map(rows.taskEntry);
}

/**
 * The stored score's total and MQL flag, read from the JSON column with `->>` / `->`, which SQLite
 * (3.38+) and PostgreSQL both understand; the casts give a number and `true`/`false` text on both.
 */
const scoreTotal = sql<number>`cast(score ->> 'total' as double precision)`;
const scoreMql = sql<string>`cast(score -> 'mql' as text)`;

/** `select key, count(*)` as a record. */
function countsBy(
  found: readonly { key: string | null; n: number | string | bigint }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of found) out[row.key ?? ''] = Number(row.n);
  return out;
}

/** The writes of one transaction. */
class KyselyStoreTx implements StoreTx {
  constructor(
    private readonly db: Db,
    private readonly profile: SqlProfile,
    private readonly statements: StatementCache,
    private readonly now: () => Millis,
    /** The store's memo of account JSON, shared by its transactions. */
    private readonly accountJson: JsonMemo,
    /** States kept between transactions (single-connection stores only; stateCache.ts). */
    private readonly cache: StateCache | undefined = undefined,
  ) {}

  /** What this transaction read and wrote, for the cache once it commits. */
  readonly pending = new PendingStates();

  /** Contacts and accounts whose rows this transaction wrote: the cache's copy is not theirs. */
  private readonly writtenContacts = new Set<ContactKey>();
  private readonly writtenAccounts = new Set<string>();
  /** Accounts that had a row when this transaction asked for them (admitted to the cache). */
  private readonly seenAccounts = new Set<string>();

  /** The cached contact, unless this transaction wrote it (then the database has the newer row). */
  private cachedContact(found: CachedContact | undefined): CachedContact | undefined {
    return found === undefined || this.writtenContacts.has(found.state.key) ? undefined : found;
  }

  /** Each contact row as this transaction read or last wrote it, by key (`upsertContacts`). */
  private readonly contactRows = new Map<ContactKey, Readonly<Record<string, unknown>>>();

  /** Contacts this transaction has marked dirty already (`markMetricsDirty`). */
  private readonly markedDirty = new Set<ContactKey>();

  /** Writes `rows` in as few cached statement shapes as fit the parameter limit; returns rows affected. */
  private async write<R extends object>(
    name: string,
    rows: readonly R[],
    build: (chunk: readonly R[]) => Compilable<unknown>,
  ): Promise<number> {
    const first = rows[0];
    if (first === undefined) return 0;
    const largest = Math.min(MAX_ROWS_PER_STATEMENT, this.profile.maxParameters / Object.keys(first).length);
    let affected = 0;
    for (const chunk of statementChunks(rows, largest)) {
      const result = await this.statements.execute(this.db, name, chunk, build);
      affected += Number(result.numAffectedRows ?? 0n);
    }
    return affected;
  }

  /** Runs `build` over `values` (deduplicated) in IN-list chunks and gathers any rows returned. */
  private async inList<O>(
    name: string,
    values: readonly string[],
    build: (chunk: readonly string[]) => Compilable<O>,
  ): Promise<O[]> {
    const found: O[] = [];
    const unique = [...new Set(values)];
    for (const chunk of statementChunks(
      unique,
      Math.min(MAX_ROWS_PER_STATEMENT, this.profile.maxParameters),
    )) {
      found.push(...(await this.statements.execute(this.db, name, chunk, build)).rows);
    }
    return found;
  }

  /** Which of these ids are stored (chunked IN lists). */
  async knownEventIds(ids: readonly string[]): Promise<Set<string>> {
    const found = await this.inList('known_event_ids', ids, (chunk) =>
      this.db.selectFrom('events').select('id').where('id', 'in', chunk),
    );
    return new Set(found.map((row) => row.id));
  }

  /** Appends events; throws on a stored id (the unique index), rolling the transaction back. */
  async insertEvents(events: readonly StoredEvent[]): Promise<void> {
    await this.write('insert_events', events.map(rows.eventRow), (chunk) =>
      this.db.insertInto('events').values(chunk),
    );
  }

  /** Contacts matching any email or external id, by key. */
  async findContacts(query: {
    readonly emails: readonly string[];
    readonly externalIds: readonly string[];
  }): Promise<ContactState[]> {
    const found = new Map<string, ContactState>();
    let { emails, externalIds } = query;
    const cache = this.cache;
    if (cache !== undefined) {
      // Kept contacts answer for themselves; only the others are read.
      const hit = (entry: CachedContact): void => {
        this.contactRows.set(entry.state.key, entry.row);
        found.set(entry.state.key, entry.state);
      };
      emails = emails.filter((email) => {
        const entry = this.cachedContact(cache.contactByEmail(email));
        if (entry !== undefined) hit(entry);
        return entry === undefined;
      });
      externalIds = externalIds.filter((id) => {
        const entry = this.cachedContact(cache.contactByExternalId(id));
        if (entry !== undefined) hit(entry);
        return entry === undefined;
      });
    }
    const byEmail = await this.inList('contacts_by_email', emails, (chunk) =>
      this.db.selectFrom('contacts').selectAll().where('email', 'in', chunk),
    );
    const byExternalId = await this.inList('contacts_by_external_id', externalIds, (chunk) =>
      this.db.selectFrom('contacts').selectAll().where('external_id', 'in', chunk),
    );
    for (const row of [...byEmail, ...byExternalId]) {
      if (found.has(row.key)) continue;
      const state = rows.contactState(row);
      this.contactRows.set(row.key, row);
      found.set(row.key, state);
      if (cache !== undefined && !this.writtenContacts.has(row.key))
        this.pending.contacts.set(row.key, { state, row });
    }
    return [...found.values()].sort((a, b) => compare(a.key, b.key));
  }

  /** Contacts whose next decay step is due, earliest first (the index on next_decay_at serves it). */
  async contactsDueForRescore(now: Millis, limit: number): Promise<ContactState[]> {
    const found = await this.db
      .selectFrom('contacts')
      .selectAll()
      .where('next_decay_at', '<=', now)
      .orderBy('next_decay_at')
      .orderBy('key')
      .limit(limit)
      .execute();
    return found.map(rows.contactState);
  }

  /** Accounts with these domains, by domain. */
  async findAccounts(domains: readonly string[]): Promise<AccountState[]> {
    const cache = this.cache;
    const kept: AccountState[] = [];
    const missing =
      cache === undefined
        ? domains
        : domains.filter((domain) => {
            const state = this.writtenAccounts.has(domain) ? undefined : cache.account(domain);
            if (state !== undefined) kept.push(state);
            return state === undefined;
          });
    for (const state of kept) this.seenAccounts.add(state.domain);
    const found = await this.inList('accounts_by_domain', missing, (chunk) =>
      this.db.selectFrom('accounts').selectAll().where('domain', 'in', chunk),
    );
    const read = found.map((row) => rows.accountState(row, this.accountJson));
    if (cache !== undefined) {
      for (const state of read) {
        this.seenAccounts.add(state.domain);
        if (!this.writtenAccounts.has(state.domain)) this.pending.accounts.set(state.domain, state);
      }
    }
    // A domain asked twice is answered once, as the IN list would.
    const byDomain = new Map<string, AccountState>();
    for (const state of [...kept, ...read]) byDomain.set(state.domain, state);
    return [...byDomain.values()].sort((a, b) => compare(a.domain, b.domain));
  }

  /** Each contact's stored events in (at, seq) order (the index on events.contact_key serves it). */
  async eventsOf(contactKeys: readonly ContactKey[]): Promise<Map<ContactKey, InboundEvent[]>> {
    const found = await this.inList('events_of_contacts', contactKeys, (chunk) =>
      this.db.selectFrom('events').selectAll().where('contact_key', 'in', chunk),
    );
    const byContact = new Map<ContactKey, (StoredEvent & { readonly seq: number })[]>();
    for (const row of found) {
      const stored = rows.storedEvent(row);
      const key = stored.contactKey;
      if (key === undefined) continue;
      const list = byContact.get(key) ?? [];
      list.push(stored);
      byContact.set(key, list);
    }
    return new Map(
      [...byContact].map(([key, list]) => [
        key,
        list.sort((a, b) => a.event.at - b.event.at || a.seq - b.seq).map((s) => s.event),
      ]),
    );
  }

  /** Contacts after `afterKey` in key order (byte order on every database). */
  async contactsAfter(afterKey: ContactKey | undefined, limit: number): Promise<ContactState[]> {
    const found = await this.db
      .selectFrom('contacts')
      .selectAll()
      .$if(afterKey !== undefined, (qb) => qb.where('key', '>', afterKey ?? ''))
      .orderBy('key')
      .limit(limit)
      .execute();
    return found.map(rows.contactState);
  }

  /**
   * Sets score and next decay step by key, many rows per statement: a VALUES list joined to the
   * contacts (`UPDATE … FROM`), so a rescore rewrites two columns, not the whole row.
   */
  async updateScores(updates: readonly ScoreUpdate[]): Promise<void> {
    // Rewritten in SQL, not from a row: forget what this transaction and the cache hold of them.
    for (const update of updates) {
      this.contactRows.delete(update.key);
      this.pending.contacts.delete(update.key);
      this.writtenContacts.add(update.key);
      this.cache?.dropContact(update.key);
    }
    const values = lastPerKey(updates, (u) => u.key).map((u) => ({
      key: u.key,
      score: JSON.stringify(u.score),
      next: u.nextDecayAt ?? null,
    }));
    const typed = this.profile.jsonType === 'json';
    await this.write('update_scores', values, (chunk) => {
      const query = sql`with v(key, score, next_decay_at) as (values ${sql.join(
        chunk.map((r) => sql`(${r.key}, ${r.score}, ${r.next})`),
      )}) update contacts set score = ${typed ? sql`cast(v.score as json)` : sql`v.score`}, next_decay_at = ${
        typed ? sql`cast(v.next_decay_at as bigint)` : sql`v.next_decay_at`
      } from v where contacts.key = v.key`;
      return { compile: () => query.compile(this.db) };
    });
  }

  /**
   * Marks contacts whose metric facts these writes change (migration 0010): each write of a
   * contact, its stage history, touches or SLA clocks calls it, in the same transaction.
   */
  private async markMetricsDirty(keys: Iterable<ContactKey>): Promise<void> {
    // Once per contact and transaction: a batch writes a contact, its history and its clocks, and
    // the refresh only needs to see that the mark changed since it read the contact.
    const values: { contact_key: ContactKey; gen: number }[] = [];
    for (const contact_key of keys) {
      if (this.markedDirty.has(contact_key)) continue;
      this.markedDirty.add(contact_key);
      values.push({ contact_key, gen: 1 });
    }
    await this.write('mark_metrics_dirty', values, (chunk) =>
      this.db
        .insertInto('metric_dirty')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('contact_key').doUpdateSet((eb) => ({ gen: eb(eb.ref('metric_dirty.gen'), '+', 1) })),
        ),
    );
  }

  /**
   * Inserts or replaces contacts by key; a key repeated in the batch: the last wins. A contact this
   * transaction read (or wrote) has only its changed columns set (changedColumns.ts); one it did
   * not read is written whole; one that changed nothing is not written.
   */
  async upsertContacts(contacts: readonly ContactState[]): Promise<void> {
    const values = lastPerKey(contacts, (c) => c.key).map(rows.contactRow);
    const cache = this.cache;
    const storedRow = (key: ContactKey) =>
      this.contactRows.get(key) ?? this.cachedContact(cache?.contact(key))?.row;
    // A page view changes no column the facts read: its contact's facts stay clean.
    await this.markMetricsDirty(
      values.filter((row) => factsMayChange(storedRow(row.key), row)).map((row) => row.key),
    );
    // Kept from now on: contacts that had a row already. A contact's first event does not enter the
    // cache, its next one does: a stream of new leads, each seen once, keeps nothing (admission on
    // the second sighting keeps one-off contacts from pushing out the ones that come back).
    const known =
      cache === undefined
        ? undefined
        : new Set(values.filter((r) => storedRow(r.key) !== undefined).map((r) => r.key));
    const groups = groupByChange(values, (row) => storedRow(row.key), CONTACT_COLUMNS);
    for (const { columns, rows: chunkRows } of groups) {
      await this.write(`upsert_contacts:${columns.join(',')}`, chunkRows, (chunk) =>
        this.db
          .insertInto('contacts')
          .values(chunk)
          .onConflict((oc) => oc.column('key').doUpdateSet(excludedSet<'contacts'>(columns))),
      );
    }
    for (const row of values) {
      this.contactRows.set(row.key, row);
      this.writtenContacts.add(row.key);
    }
    if (known !== undefined && known.size > 0) {
      const byKey = new Map(contacts.map((c) => [c.key, c]));
      for (const row of values) {
        const state = byKey.get(row.key);
        if (state !== undefined && known.has(row.key)) this.pending.contacts.set(row.key, { state, row });
      }
    }
  }

  /** Inserts or replaces accounts by domain; a domain repeated in the batch: the last wins. */
  async upsertAccounts(accounts: readonly AccountState[]): Promise<void> {
    const last = lastPerKey(accounts, (a) => a.domain);
    for (const state of last) {
      // Kept only when it had a row already (found in this transaction), as contacts are; any other
      // copy the cache holds is dropped now, so the write is read back from its row.
      if (this.seenAccounts.has(state.domain)) this.pending.accounts.set(state.domain, state);
      else this.cache?.dropAccount(state.domain);
      this.writtenAccounts.add(state.domain);
    }
    const values = last.map((a) => rows.accountRow(a, this.accountJson));
    await this.write('upsert_accounts', values, (chunk) =>
      this.db
        .insertInto('accounts')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('domain').doUpdateSet((eb) => ({
            attributes: eb.ref('excluded.attributes'),
            owner: eb.ref('excluded.owner'),
            contact_count: eb.ref('excluded.contact_count'),
            created_at: eb.ref('excluded.created_at'),
            updated_at: eb.ref('excluded.updated_at'),
            last_activity_at: eb.ref('excluded.last_activity_at'),
            members: eb.ref('excluded.members'),
            score: eb.ref('excluded.score'),
            named: eb.ref('excluded.named'),
          })),
        ),
    );
  }

  /** Appends stage changes (kept in insertion order within the same `at`). */
  async appendStageHistory(changes: readonly StageChange[]): Promise<void> {
    await this.markMetricsDirty(changes.map((c) => c.contactKey));
    await this.write('append_stage_history', changes.map(rows.stageHistoryRow), (chunk) =>
      this.db.insertInto('stage_history').values(chunk),
    );
  }

  /** Appends touches (kept in insertion order within the same `at`). */
  async appendTouches(touches: readonly Touch[]): Promise<void> {
    await this.markMetricsDirty(touches.map((t) => t.contactKey));
    await this.write('append_touches', touches.map(rows.touchRow), (chunk) =>
      this.db.insertInto('touches').values(chunk),
    );
  }

  /** Schedules timers; an existing key gets the new due time, contact and payload, attempts 0, no lease. */
  async upsertTimers(timers: readonly TimerEffect[]): Promise<void> {
    if (timers.length === 0) return;
    const createdAt = this.now();
    const values = lastPerKey(timers, (t) => t.key).map((t) => rows.timerRow(t, createdAt));
    await this.write('upsert_timers', values, (chunk) =>
      this.db
        .insertInto('timers')
        .values(chunk)
        .onConflict((oc) =>
          // created_at stays: the timer's key was first scheduled then.
          oc.column('key').doUpdateSet((eb) => ({
            due_at: eb.ref('excluded.due_at'),
            contact_key: eb.ref('excluded.contact_key'),
            payload: eb.ref('excluded.payload'),
            attempts: eb.ref('excluded.attempts'),
            lease_until: eb.ref('excluded.lease_until'),
            lease_owner: eb.ref('excluded.lease_owner'),
          })),
        ),
    );
  }

  /** Deletes these timers; unknown keys are ignored. */
  async deleteTimers(keys: readonly string[]): Promise<void> {
    await this.inList('delete_timers', keys, (chunk) =>
      this.db.deleteFrom('timers').where('key', 'in', chunk),
    );
  }

  /** Deletes the timer only while its due time is still `dueAt` (a reschedule survives). */
  async completeTimer(key: string, dueAt: Millis): Promise<void> {
    await this.db.deleteFrom('timers').where('key', '=', key).where('due_at', '=', dueAt).execute();
  }

  /** Adds pending outbox rows; a stored key (or one repeated in the batch) is skipped. Returns rows added. */
  async insertOutbox(effects: readonly OutboxEffect[]): Promise<number> {
    const values = firstPerKey(effects, (e) => e.key).map(rows.outboxRow);
    return this.write('insert_outbox', values, (chunk) =>
      this.db
        .insertInto('outbox')
        .values(chunk)
        .onConflict((oc) => oc.column('key').doNothing()),
    );
  }

  /**
   * Open leads per owner (contacts in `openStages`, counted on the (stage, owner) index) and
   * assignments since `assignedSince` per owner and quarter hour (counted on the (kind, at, owner)
   * index): both are aggregated by the database, so a routing batch reads a few rows per rep.
   */
  async ownerLoads(
    openStages: readonly string[],
    assignedSince: Millis,
  ): Promise<{ openLeads: Map<string, number>; assigned: Map<string, AssignedSlot[]> }> {
    const openLeads = new Map<string, number>();
    if (openStages.length > 0) {
      const open = await this.db
        .selectFrom('contacts')
        .select(['owner', (eb) => eb.fn.countAll<number | string>().as('n')])
        .where('owner', 'is not', null)
        .where('stage', 'in', openStages)
        .groupBy('owner')
        .execute();
      for (const row of open) if (row.owner !== null) openLeads.set(row.owner, Number(row.n));
    }
    const slot = sql<number | string>`"at" - "at" % ${sql.lit(ASSIGNMENT_SLOT_MS)}`;
    const slots = await this.db
      .selectFrom('assignments')
      .select(['owner', slot.as('slot'), (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('kind', '=', 'assigned')
      .where('at', '>=', assignedSince)
      .where('owner', 'is not', null)
      .groupBy(['owner', slot])
      .orderBy('owner')
      .orderBy(slot)
      .execute();
    const assigned = new Map<string, AssignedSlot[]>();
    for (const row of slots) {
      if (row.owner === null) continue;
      const list = assigned.get(row.owner) ?? [];
      list.push({ at: Number(row.slot), n: Number(row.n) });
      assigned.set(row.owner, list);
    }
    return { openLeads, assigned };
  }

  async lockSubjects(subjects: readonly string[]): Promise<void> {
    if (!this.profile.capabilities.concurrentWriters || subjects.length === 0) return;
    // One 64-bit key per subject, locked in ascending key order within one statement.
    await sql`select pg_advisory_xact_lock(k) from (select distinct hashtextextended(s, 0) as k from unnest(${[...new Set(subjects)]}::text[]) as s) as keys order by k`.execute(
      this.db,
    );
  }

  async openTasksOf(contactKey: ContactKey): Promise<TaskRow[]> {
    const found = await this.db
      .selectFrom('tasks')
      .selectAll()
      .where('contact_key', '=', contactKey)
      .where('status', '=', 'open')
      .orderBy('created_at')
      .orderBy('key')
      .execute();
    return found.map(rows.taskEntry);
  }

  /** The tasks with these keys, in key order. */
  async findTasks(keys: readonly string[]): Promise<TaskRow[]> {
    const found = await this.inList('tasks_by_key', keys, (chunk) =>
      this.db.selectFrom('tasks').selectAll().where('key', 'in', chunk),
    );
    return found.map(rows.taskEntry).sort((a, b) => compare(a.key, b.key));
  }

  /** Inserts or replaces clocks by key; `created_at` stays the first write's (the store's clock). */
  async upsertClocks(clocks: readonly SlaClock[]): Promise<void> {
    if (clocks.length === 0) return;
    for (const clock of clocks) {
      this.pending.noClocks.delete(clock.contactKey);
      this.cache?.dropNoClocks(clock.contactKey);
    }
    await this.markMetricsDirty(clocks.map((c) => c.contactKey));
    const createdAt = this.now();
    const values = lastPerKey(clocks, (c) => c.key).map((c) => rows.slaClockRow(c, createdAt));
    await this.write('upsert_sla_clocks', values, (chunk) =>
      this.db
        .insertInto('sla_clocks')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            contact_key: eb.ref('excluded.contact_key'),
            clock_id: eb.ref('excluded.clock_id'),
            name: eb.ref('excluded.name'),
            owner: eb.ref('excluded.owner'),
            started_at: eb.ref('excluded.started_at'),
            due_at: eb.ref('excluded.due_at'),
            status: eb.ref('excluded.status'),
            target: eb.ref('excluded.target'),
            business: eb.ref('excluded.business'),
            timezone: eb.ref('excluded.timezone'),
            start_stage: eb.ref('excluded.start_stage'),
            cause: eb.ref('excluded.cause'),
            stopped_at: eb.ref('excluded.stopped_at'),
            stop_reason: eb.ref('excluded.stop_reason'),
            met_at: eb.ref('excluded.met_at'),
            breached_at: eb.ref('excluded.breached_at'),
            late_ms: eb.ref('excluded.late_ms'),
            late_wall_ms: eb.ref('excluded.late_wall_ms'),
            late_bucket: eb.ref('excluded.late_bucket'),
            steps: eb.ref('excluded.steps'),
            escalations: eb.ref('excluded.escalations'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        ),
    );
  }

  /** Running clocks (open, or breached and not stopped) of these leads; the (contact_key, status) index serves it. */
  async openClocksOf(contactKeys: readonly ContactKey[]): Promise<SlaClock[]> {
    // Leads the cache knows to have no running clock are not looked up (a known visitor's page view).
    const cache = this.cache;
    const asked = cache === undefined ? contactKeys : contactKeys.filter((key) => !cache.hasNoClocks(key));
    if (asked.length === 0) return [];
    const found = await this.inList('open_sla_clocks_of', asked, (chunk) =>
      this.db
        .selectFrom('sla_clocks')
        .selectAll()
        .where('contact_key', 'in', chunk)
        .where('status', 'in', ['open', 'breached'])
        .where('stopped_at', 'is', null),
    );
    if (cache !== undefined) {
      const withClocks = new Set(found.map((row) => row.contact_key));
      for (const key of asked) if (!withClocks.has(key)) this.pending.noClocks.add(key);
    }
    return found
      .map(rows.slaClock)
      .sort(
        (a, b) => compare(a.contactKey, b.contactKey) || a.startedAt - b.startedAt || compare(a.key, b.key),
      );
  }

  listClocks(query?: ClockQuery): Promise<SlaClock[]> {
    return selectClocks(this.db, query);
  }

  /** Counters by team; with concurrent writers the rows are created if missing and locked in team order. */
  async lockRoutingCounters(teams: readonly string[]): Promise<Map<string, RoutingCounters>> {
    const found = new Map<string, RoutingCounters>();
    if (teams.length === 0) return found;
    const sorted = [...new Set(teams)].sort(compare);
    if (this.profile.capabilities.concurrentWriters) {
      await this.db
        .insertInto('routing_counters')
        .values(sorted.map((team) => rows.routingCountersRow(team, { period: '', counts: {}, present: [] })))
        .onConflict((oc) => oc.column('team').doNothing())
        .execute();
    }
    const selected = await this.db
      .selectFrom('routing_counters')
      .selectAll()
      .where('team', 'in', sorted)
      .orderBy('team')
      .$if(this.profile.capabilities.concurrentWriters, (qb) => qb.forUpdate())
      .execute();
    for (const row of selected) {
      const counters = rows.routingCounters(row.state);
      if (counters.period !== '') found.set(row.team, counters);
    }
    return found;
  }

  async saveRoutingCounters(counters: ReadonlyMap<string, RoutingCounters>): Promise<void> {
    const values = [...counters].map(([team, value]) => rows.routingCountersRow(team, value));
    await this.write('save_routing_counters', values, (chunk) =>
      this.db
        .insertInto('routing_counters')
        .values(chunk)
        .onConflict((oc) => oc.column('team').doUpdateSet((eb) => ({ state: eb.ref('excluded.state') }))),
    );
  }

  async appendAssignments(assignments: readonly AssignmentRow[]): Promise<void> {
    await this.write('append_assignments', assignments.map(rows.assignmentRow), (chunk) =>
      this.db.insertInto('assignments').values(chunk),
    );
  }

  /** One contact's assignments in (at, id) order. */
  async assignmentsOf(contactKey: ContactKey): Promise<AssignmentRow[]> {
    const found = await this.db
      .selectFrom('assignments')
      .selectAll()
      .where('contact_key', '=', contactKey)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return found.map(rows.assignment);
  }

  /** Inserts or replaces tasks by key; closing one stamps `completed_at` with the store's clock. */
  async upsertTasks(tasks: readonly TaskRow[]): Promise<void> {
    if (tasks.length === 0) return;
    const now = this.now();
    const values = lastPerKey(tasks, (t) => t.key).map((t) => rows.taskRow(t, now));
    await this.write('upsert_tasks', values, (chunk) =>
      this.db
        .insertInto('tasks')
        .values(chunk)
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            contact_key: eb.ref('excluded.contact_key'),
            title: eb.ref('excluded.title'),
            assignee: eb.ref('excluded.assignee'),
            due_at: eb.ref('excluded.due_at'),
            created_at: eb.ref('excluded.created_at'),
            status: eb.ref('excluded.status'),
            // Closing keeps the first closing time; reopening clears it.
            completed_at: eb
              .case()
              .when('excluded.status', '=', 'open')
              .then(null)
              .else(eb.fn.coalesce('tasks.completed_at', 'excluded.completed_at'))
              .end(),
          })),
        ),
    );
  }

  /** The reps' availability overrides by rep id (src/store/adminStore.ts). */
  repOverrides(): Promise<Map<string, RepOverride>> {
    return admin.repOverrideMap(this.db);
  }

  findDeals(ids: readonly string[]): Promise<DealState[]> {
    return deals.findDeals(this.db, ids);
  }

  upsertDeals(rows: readonly DealState[]): Promise<void> {
    return deals.upsertDeals(this.db, rows);
  }

  listDeals(query?: DealQuery): Promise<DealState[]> {
    return deals.listDeals(this.db, query);
  }

  findApprovals(ids: readonly string[]): Promise<ApprovalRequest[]> {
    return deals.findApprovals(this.db, ids);
  }

  approvalsOfDeals(dealIds: readonly string[]): Promise<ApprovalRequest[]> {
    return deals.approvalsOfDeals(this.db, dealIds);
  }

  upsertApprovals(rows: readonly ApprovalRequest[]): Promise<void> {
    return deals.upsertApprovals(this.db, rows);
  }
}

/** The shared store: built by `createSqliteStore` and `createPostgresStore`. */
export class KyselyStore implements SqlStore {
  readonly capabilities: StoreCapabilities;
  private readonly now: () => Millis;
  private readonly statements = new StatementCache();
  /** The deals of the last `reportDeals`, parsed, for the next one. */
  private readonly parsedDeals = new deals.ParsedDeals();
  /** Accounts' JSON as last written or read (jsonMemo.ts); 5,000 accounts, a few MB. */
  private readonly accountJson = new JsonMemo(5_000);

  constructor(
    private readonly db: Db,
    private readonly profile: SqlProfile,
    readonly description: string,
    options: StoreOptions = {},
    /** Contacts and accounts kept between transactions; only for a store on a single connection. */
    private readonly stateCache?: StateCache,
  ) {
    this.capabilities = profile.capabilities;
    this.now = options.now ?? Date.now;
  }

  /**
   * Brings the schema up to date; returns the names of the migrations applied (`[]` when already
   * current). Throws when a migration fails (earlier ones of the same run roll back with it).
   */
  async migrate(): Promise<string[]> {
    const migrator = await this.migrator();
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results.find((r) => r.status === 'Error')?.migrationName ?? '(migrator)';
      const reason = error instanceof Error ? error.message : JSON.stringify(error);
      throw new Error(`migration ${failed} failed on ${this.description}: ${reason}`, { cause: error });
    }
    return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  /** The migrations not applied yet, by name (reads the bookkeeping table; applies nothing). */
  async pendingMigrations(): Promise<string[]> {
    const migrations = await (await this.migrator()).getMigrations();
    return migrations.filter((m) => m.executedAt === undefined).map((m) => m.name);
  }

  /** Kysely's migrator over our migrations, its bookkeeping in the connection's schema (PostgreSQL). */
  private async migrator(): Promise<Migrator> {
    const schema = this.profile.namedSchemas
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(this.db)).rows[0]?.schema
      : undefined;
    return new Migrator({
      db: this.db,
      provider: migrationProvider(this.profile),
      ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    });
  }

  /**
   * Runs `fn` in one transaction; rolls back and rethrows if it throws. With a state cache, the
   * cache is checked first (`StateCache.validate`, under the write lock) and takes what the
   * transaction read and wrote once `fn` has succeeded, right before COMMIT, while the connection
   * is still this transaction's: the next transaction, which may be waiting for the connection,
   * can only see the cache with them. A COMMIT that fails empties the cache (sqlite.ts's driver).
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    const cache = this.stateCache;
    return this.db.transaction().execute(async (trx) => {
      cache?.validate();
      const tx = new KyselyStoreTx(trx, this.profile, this.statements, this.now, this.accountJson, cache);
      const result = await fn(tx);
      if (cache !== undefined) tx.pending.commitTo(cache);
      return result;
    });
  }

  /**
   * Claims up to `limit` due, unleased (or lease-expired: `lease_until <= now`) timers, earliest
   * first, leasing them to `owner` until `now + leaseMs` and counting the attempt. With
   * `skipLocked` the selection skips rows another claimer holds, so concurrent claimers get
   * disjoint timers; without it the store has a single writer. Returns them in (dueAt, key) order.
   */
  async claimDueTimers(now: Millis, limit: number, leaseMs: number, owner: string): Promise<FiredTimer[]> {
    if (limit <= 0) return [];
    const due = this.db
      .selectFrom('timers')
      .select('key')
      .where('due_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .orderBy('due_at')
      .orderBy('key')
      .limit(limit)
      .$if(this.capabilities.skipLocked, (qb) => qb.forUpdate().skipLocked());
    const claimed = await this.db
      .updateTable('timers')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), lease_until: now + leaseMs, lease_owner: owner }))
      .where('key', 'in', due)
      .returning(['key', 'due_at', 'contact_key', 'payload', 'attempts'])
      .execute();
    return claimed.sort((a, b) => a.due_at - b.due_at || compare(a.key, b.key)).map(rows.firedTimer);
  }

  /**
   * When the next timer can be claimed: its due time, or the end of its lease when a claimer holds
   * it past that. Undefined when no timer is stored.
   *
   * Two index lookups instead of a scan of every timer: the earliest unleased timer (the first
   * (due_at, key) index entry with no lease: with a million timers pending, the lease-free front of
   * the index) and the latest-of(due, lease end) over the leased ones, which the partial index
   * `timers_leased_idx` (lease_until IS NOT NULL, migration 0006) lists without touching the rest.
   */
  async nextTimerDue(): Promise<Millis | undefined> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb
          .selectFrom('timers')
          .select('due_at')
          .where('lease_until', 'is', null)
          .orderBy('due_at')
          .limit(1)
          .as('free'),
        eb
          .selectFrom('timers')
          .select(
            sql<number | null>`min(case when lease_until > due_at then lease_until else due_at end)`.as(
              'next',
            ),
          )
          .where('lease_until', 'is not', null)
          .as('leased'),
      ])
      .executeTakeFirst();
    const found = [row?.free, row?.leased]
      .filter((v): v is number => v !== null && v !== undefined)
      .map(Number);
    return found.length === 0 ? undefined : Math.min(...found);
  }

  async counts(): Promise<StoreCounts> {
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('events').select(eb.fn.countAll<number>().as('n')).as('events'),
        eb.selectFrom('contacts').select(eb.fn.countAll<number>().as('n')).as('contacts'),
        eb.selectFrom('accounts').select(eb.fn.countAll<number>().as('n')).as('accounts'),
        eb.selectFrom('stage_history').select(eb.fn.countAll<number>().as('n')).as('stageHistory'),
        eb.selectFrom('touches').select(eb.fn.countAll<number>().as('n')).as('touches'),
        eb.selectFrom('timers').select(eb.fn.countAll<number>().as('n')).as('timers'),
        eb.selectFrom('outbox').select(eb.fn.countAll<number>().as('n')).as('outbox'),
        eb.selectFrom('tasks').select(eb.fn.countAll<number>().as('n')).as('tasks'),
        eb.selectFrom('sla_clocks').select(eb.fn.countAll<number>().as('n')).as('slaClocks'),
      ])
      .executeTakeFirstOrThrow();
    return {
      events: Number(row.events),
      contacts: Number(row.contacts),
      accounts: Number(row.accounts),
      stageHistory: Number(row.stageHistory),
      touches: Number(row.touches),
      timers: Number(row.timers),
      outbox: Number(row.outbox),
      tasks: Number(row.tasks),
      slaClocks: Number(row.slaClocks),
    };
  }

  /** Contacts by key (byte order), after `afterKey` when given. */
  async listContacts(options: { readonly limit?: number; readonly afterKey?: ContactKey } = {}) {
    const { limit, afterKey } = options;
    const found = await this.db
      .selectFrom('contacts')
      .selectAll()
      .$if(afterKey !== undefined, (qb) => qb.where('key', '>', afterKey ?? ''))
      .orderBy('key')
      .$if(limit !== undefined, (qb) => qb.limit(limit ?? 0))
      .execute();
    return found.map(rows.contactState);
  }

  /** Contacts matching every filter of `query`, in key order (the primary key serves the paging). */
  async searchContacts(query: ContactSearch): Promise<ContactState[]> {
    const { stages, owner, mql, scoreMin, scoreMax, updatedSince, accountDomain, afterKey } = query;
    const found = await this.db
      .selectFrom('contacts')
      .selectAll()
      .$if(stages !== undefined, (qb) => qb.where('stage', 'in', stages ?? []))
      .$if(owner === null, (qb) => qb.where('owner', 'is', null))
      .$if(typeof owner === 'string', (qb) => qb.where('owner', '=', owner ?? ''))
      .$if(mql === true, (qb) => qb.where(scoreMql, '=', 'true'))
      .$if(mql === false, (qb) =>
        qb.where((eb) =>
          eb.or([eb('score', 'is', null), eb(scoreMql, 'is', null), eb(scoreMql, '<>', 'true')]),
        ),
      )
      .$if(scoreMin !== undefined, (qb) => qb.where(scoreTotal, '>=', scoreMin ?? 0))
      .$if(scoreMax !== undefined, (qb) => qb.where(scoreTotal, '<=', scoreMax ?? 0))
      .$if(updatedSince !== undefined, (qb) => qb.where('updated_at', '>=', updatedSince ?? 0))
      .$if(accountDomain !== undefined, (qb) => qb.where('account_domain', '=', accountDomain ?? ''))
      .$if(afterKey !== undefined, (qb) => qb.where('key', '>', afterKey ?? ''))
      .orderBy('key')
      .limit(query.limit)
      .execute();
    return found.map(rows.contactState);
  }

  /** Accounts by domain (byte order), after `afterDomain` when given. */
  async listAccounts(
    options: { readonly limit?: number; readonly afterDomain?: string } = {},
  ): Promise<AccountState[]> {
    const { limit, afterDomain } = options;
    const found = await this.db
      .selectFrom('accounts')
      .selectAll()
      .$if(afterDomain !== undefined, (qb) => qb.where('domain', '>', afterDomain ?? ''))
      .orderBy('domain')
      .$if(limit !== undefined, (qb) => qb.limit(limit ?? 0))
      .execute();
    return found.map((row) => rows.accountState(row));
  }

  /** Stage changes in (at, insertion) order, of one contact when given. */
  async stageHistory(contactKey?: ContactKey): Promise<StageChange[]> {
    const found = await this.db
      .selectFrom('stage_history')
      .selectAll()
      .$if(contactKey !== undefined, (qb) => qb.where('contact_key', '=', contactKey ?? ''))
      .orderBy('at')
      .orderBy('id')
      .execute();
    return found.map(rows.stageChange);
  }

  /** Touches in (at, insertion) order, of one contact when given. */
  async touches(contactKey?: ContactKey): Promise<Touch[]> {
    const found = await this.db
      .selectFrom('touches')
      .selectAll()
      .$if(contactKey !== undefined, (qb) => qb.where('contact_key', '=', contactKey ?? ''))
      .orderBy('at')
      .orderBy('id')
      .execute();
    return found.map(rows.touch);
  }

  /** Tasks by `query`, in (createdAt, key) order. */
  listTasks(query?: TaskQuery): Promise<TaskRow[]> {
    return selectTasks(this.db, query);
  }

  /** Grouped counts: one statement per table, each an index or table scan of one column. */
  async stats(now: Millis): Promise<StoreStats> {
    const grouped = <T extends 'contacts' | 'assignments' | 'outbox' | 'tasks' | 'sla_clocks'>(
      table: T,
      column: 'stage' | 'kind' | 'status',
    ) =>
      sql<{ key: string | null; n: number }>`select ${sql.ref(column)} as key, count(*) as n from ${sql.table(
        table,
      )} group by ${sql.ref(column)}`.execute(this.db);
    const [stages, kinds, outbox, tasks, clocks] = await Promise.all([
      grouped('contacts', 'stage'),
      grouped('assignments', 'kind'),
      grouped('outbox', 'status'),
      grouped('tasks', 'status'),
      grouped('sla_clocks', 'status'),
    ]);
    const row = await this.db
      .selectNoFrom((eb) => [
        eb.selectFrom('events').select(eb.fn.countAll<number>().as('n')).as('events'),
        eb.selectFrom('timers').select(eb.fn.countAll<number>().as('n')).as('timers'),
        eb
          .selectFrom('timers')
          .select(eb.fn.countAll<number>().as('n'))
          .where('due_at', '<=', now)
          .as('overdue'),
      ])
      .executeTakeFirstOrThrow();
    return {
      events: Number(row.events),
      contactsByStage: countsBy(stages.rows),
      assignmentsByKind: countsBy(kinds.rows),
      timersPending: Number(row.timers),
      timersOverdue: Number(row.overdue),
      outboxByStatus: countsBy(outbox.rows),
      tasksByStatus: countsBy(tasks.rows),
      slaClocksByStatus: countsBy(clocks.rows),
      ...(this.stateCache === undefined ? {} : { stateCache: this.stateCache.figures() }),
    };
  }

  /** SLA clocks by `query`, in (dueAt, key) order. */
  listClocks(query?: ClockQuery): Promise<SlaClock[]> {
    return selectClocks(this.db, query);
  }

  /** Assignments in (at, id) order, of one contact when given. */
  async listAssignments(contactKey?: ContactKey): Promise<AssignmentRow[]> {
    const found = await this.db
      .selectFrom('assignments')
      .selectAll()
      .$if(contactKey !== undefined, (qb) => qb.where('contact_key', '=', contactKey ?? ''))
      .orderBy('at')
      .orderBy('id')
      .execute();
    return found.map(rows.assignment);
  }

  async assignmentLog(query: AssignmentLogQuery): Promise<{ rows: AssignmentRow[]; matched: number }> {
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        const matching = () =>
          trx
            .selectFrom('assignments')
            .$if(query.from !== undefined, (qb) => qb.where('at', '>=', query.from ?? 0))
            .$if(query.to !== undefined, (qb) => qb.where('at', '<', query.to ?? 0))
            .$if(query.owner !== undefined, (qb) => qb.where('owner', '=', query.owner ?? ''))
            .$if(query.rule !== undefined, (qb) => qb.where('rule', '=', query.rule ?? ''));
        const found = await matching()
          .selectAll()
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .$if(query.limit !== undefined, (qb) => qb.limit(query.limit ?? 0))
          .execute();
        const counted = await matching()
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow();
        return { rows: found.map(rows.assignment), matched: Number(counted.n) };
      });
  }

  /**
   * The first decision of each rule, in the order the rules first appear: the earliest `at` per
   * rule from the decision-time index, then the decision of that rule at that instant written first.
   */
  async firstAssignmentOfRules(): Promise<AssignmentRow[]> {
    const firsts = await this.db
      .selectFrom('assignments')
      .select((eb) => ['rule', eb.fn.min('at').as('at')])
      .groupBy('rule')
      .execute();
    const found: { id: number; row: AssignmentRow }[] = [];
    for (const { rule, at } of firsts) {
      const row = await this.db
        .selectFrom('assignments')
        .selectAll()
        .where('at', '=', Number(at))
        .where('rule', '=', rule)
        .orderBy('id')
        .limit(1)
        .executeTakeFirstOrThrow();
      found.push({ id: Number(row.id), row: rows.assignment(row) });
    }
    return found.sort((a, b) => a.row.at - b.row.at || a.id - b.id).map((f) => f.row);
  }

  /** Outbox rows in insertion order. */
  async listOutbox(): Promise<OutboxRow[]> {
    const found = await this.db.selectFrom('outbox').selectAll().orderBy('id').execute();
    return found.map(rows.outboxEntry);
  }

  /**
   * Claims due pending outbox rows for `owner`, as `claimDueTimers` claims timers: one UPDATE over
   * the (status, next_attempt_at) index, the selection skipping rows another claimer holds when the
   * database can (`skipLocked`). The lease is the next attempt time itself: `now + leaseMs`.
   */
  async claimDueOutbox(now: Millis, limit: number, leaseMs: number, owner: string): Promise<OutboxItem[]> {
    if (limit <= 0) return [];
    const due = this.db
      .selectFrom('outbox')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .$if(this.capabilities.skipLocked, (qb) => qb.forUpdate().skipLocked());
    const claimed = await this.db
      .updateTable('outbox')
      .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: now + leaseMs, lease_owner: owner }))
      .where('id', 'in', due)
      .returningAll()
      .execute();
    return claimed.map(rows.outboxItem).sort((a, b) => a.id - b.id);
  }

  /** Records a claimed attempt's outcome while the row is still pending at `attempt`. */
  async settleOutbox(id: number, attempt: number, outcome: OutboxOutcome): Promise<boolean> {
    const done = (list: readonly string[]) => JSON.stringify(list);
    const values =
      outcome.status === 'pending'
        ? {
            next_attempt_at: outcome.nextAttemptAt,
            last_error: outcome.error,
            delivered_to: done(outcome.deliveredTo),
          }
        : outcome.status === 'delivered'
          ? { status: 'delivered', settled_at: outcome.at, delivered_to: done(outcome.deliveredTo) }
          : outcome.status === 'dead'
            ? {
                status: 'dead',
                settled_at: outcome.at,
                last_error: outcome.error,
                delivered_to: done(outcome.deliveredTo),
              }
            : { status: 'skipped', settled_at: outcome.at, last_error: outcome.error };
    const result = await this.db
      .updateTable('outbox')
      .set(values)
      .where('id', '=', id)
      .where('attempts', '=', attempt)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Outbox rows by status, in id order, after `afterId` when given. */
  async listOutboxItems(query: OutboxQuery = {}): Promise<OutboxItem[]> {
    const { status, limit, afterId } = query;
    const found = await this.db
      .selectFrom('outbox')
      .selectAll()
      .$if(status !== undefined, (qb) => qb.where('status', '=', status ?? ''))
      .$if(afterId !== undefined, (qb) => qb.where('id', '>', afterId ?? 0))
      .orderBy('id')
      .$if(limit !== undefined, (qb) => qb.limit(limit ?? 0))
      .execute();
    return found.map(rows.outboxItem);
  }

  /** One outbox row by id (a number) or key (a string). */
  async findOutboxItem(idOrKey: number | string): Promise<OutboxItem | undefined> {
    const row = await (
      typeof idOrKey === 'number'
        ? this.db.selectFrom('outbox').selectAll().where('id', '=', idOrKey)
        : this.db.selectFrom('outbox').selectAll().where('key', '=', idOrKey)
    ).executeTakeFirst();
    return row === undefined ? undefined : rows.outboxItem(row);
  }

  /** Outbox rows per status (0 for a status no row has). */
  async countOutbox(): Promise<Record<OutboxStatus, number>> {
    const found = await this.db
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('status')
      .execute();
    const counts: Record<OutboxStatus, number> = { pending: 0, delivered: 0, dead: 0, skipped: 0 };
    for (const row of found) counts[row.status as OutboxStatus] = Number(row.n);
    return counts;
  }

  /** Dead rows back to pending, due at `now`, attempts reset; returns the ids revived, ascending. */
  async reviveOutbox(ids: readonly number[] | 'all-dead', now: Millis): Promise<number[]> {
    const revive = (chunk: readonly number[] | undefined) =>
      this.db
        .updateTable('outbox')
        .set({ status: 'pending', attempts: 0, next_attempt_at: now, settled_at: null })
        .where('status', '=', 'dead')
        .$if(chunk !== undefined, (qb) => qb.where('id', 'in', chunk ?? []))
        .returning('id')
        .execute();
    const revived: number[] = [];
    if (ids === 'all-dead') revived.push(...(await revive(undefined)).map((r) => Number(r.id)));
    else
      for (const chunk of statementChunks([...new Set(ids)], MAX_ROWS_PER_STATEMENT)) {
        revived.push(...(await revive(chunk)).map((r) => Number(r.id)));
      }
    return revived.sort((a, b) => a - b);
  }

  /** Timers in (dueAt, key) order, with their attempt counts. */
  async listTimers(): Promise<(TimerEffect & { readonly attempts: number })[]> {
    const found = await this.db.selectFrom('timers').selectAll().orderBy('due_at').orderBy('key').execute();
    return found.map(rows.listedTimer);
  }

  /** Events in arrival (seq) order, after `afterSeq` when given. */
  async listEvents(options: { readonly limit?: number; readonly afterSeq?: number } = {}) {
    const { limit, afterSeq } = options;
    const found = await this.db
      .selectFrom('events')
      .selectAll()
      .$if(afterSeq !== undefined, (qb) => qb.where('seq', '>', afterSeq ?? 0))
      .orderBy('seq')
      .$if(limit !== undefined, (qb) => qb.limit(limit ?? 0))
      .execute();
    return found.map(rows.storedEvent);
  }

  /**
   * Records a config version and makes it the only active one. Saving a known hash again
   * re-activates it (keeping its first text and time; a given note replaces the old one).
   */
  async saveConfigVersion(version: {
    readonly hash: string;
    readonly text: string;
    readonly at: Millis;
    readonly note?: string;
    readonly by?: string;
    readonly replaceNote?: boolean;
  }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await admin.auditActivation(trx, version);
      await trx.updateTable('config_versions').set({ active: 0 }).where('active', '<>', 0).execute();
      await trx
        .insertInto('config_versions')
        .values({
          hash: version.hash,
          text: version.text,
          created_at: version.at,
          active: 1,
          note: version.note ?? null,
          created_by: version.by ?? null,
        })
        // Activating a stored version again keeps its own note (the activation's goes to the audit
        // above); a version stored without one takes this one; `replaceNote` replaces it.
        .onConflict((oc) =>
          oc.column('hash').doUpdateSet({
            active: 1,
            note:
              version.replaceNote === true && version.note !== undefined
                ? version.note
                : sql<string | null>`coalesce(config_versions.note, excluded.note)`,
          }),
        )
        .execute();
    });
  }

  async configVersions(): Promise<ConfigVersion[]> {
    const found = await this.db
      .selectFrom('config_versions')
      .selectAll()
      .orderBy('created_at')
      .orderBy('hash')
      .execute();
    return found.map((row) => ({
      hash: row.hash,
      text: row.text,
      at: row.created_at,
      active: row.active !== 0,
      ...(row.note === null ? {} : { note: row.note }),
    }));
  }

  /**
   * Replaces the synced reps and teams, in one transaction. Throws (changing nothing) when an
   * entry has no string `id` or two entries share one.
   */
  async syncTeam(team: {
    readonly reps: readonly JsonObject[];
    readonly teams: readonly JsonObject[];
  }): Promise<void> {
    const reps = teamRows(team.reps, 'reps');
    const teams = teamRows(team.teams, 'teams');
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('reps').execute();
      await trx.deleteFrom('teams').execute();
      for (const chunk of statementChunks(reps, MAX_ROWS_PER_STATEMENT)) {
        await trx.insertInto('reps').values(chunk).execute();
      }
      for (const chunk of statementChunks(teams, MAX_ROWS_PER_STATEMENT)) {
        await trx.insertInto('teams').values(chunk).execute();
      }
    });
  }

  async team(): Promise<{ reps: JsonObject[]; teams: JsonObject[] }> {
    const reps = await this.db.selectFrom('reps').select('data').orderBy('id').execute();
    const teams = await this.db.selectFrom('teams').select('data').orderBy('id').execute();
    return {
      reps: reps.map((r) => JSON.parse(r.data) as JsonObject),
      teams: teams.map((t) => JSON.parse(t.data) as JsonObject),
    };
  }

  // ---- API keys, rep overrides, the config audit: src/store/adminStore.ts
  insertApiKey(key: ApiKeyRecord): Promise<void> {
    return admin.insertApiKey(this.db, key);
  }
  apiKey(id: string): Promise<ApiKeyRecord | undefined> {
    return admin.apiKey(this.db, id);
  }
  listApiKeys(): Promise<ApiKeyRecord[]> {
    return admin.listApiKeys(this.db);
  }
  revokeApiKey(id: string, at: Millis): Promise<ApiKeyRecord | undefined> {
    return admin.revokeApiKey(this.db, id, at);
  }
  markApiKeyUsed(id: string, at: Millis): Promise<void> {
    return admin.markApiKeyUsed(this.db, id, at);
  }
  repOverrides(): Promise<RepOverrideRecord[]> {
    return admin.repOverrides(this.db);
  }
  saveRepOverride(record: RepOverrideRecord): Promise<void> {
    return admin.saveRepOverride(this.db, record);
  }
  configHistory(): Promise<ConfigVersionSummary[]> {
    return admin.configHistory(this.db);
  }
  configText(hash: string): Promise<string | undefined> {
    return admin.configText(this.db, hash);
  }

  listDeals(query?: DealQuery): Promise<DealState[]> {
    return deals.listDeals(this.db, query);
  }

  reportDeals(query: DealQuery = {}): Promise<readonly DealState[]> {
    return this.parsedDeals.read(this.db, query);
  }

  async findDeal(id: string): Promise<DealState | undefined> {
    return (await deals.findDeals(this.db, [id]))[0];
  }

  listApprovals(query?: ApprovalQuery): Promise<ApprovalRequest[]> {
    return deals.listApprovals(this.db, query);
  }

  refreshMetricFacts(options: MetricFactsRefresh): Promise<MetricFactsRefreshResult> {
    return metricFacts.refreshFacts(
      this.db,
      Object.assign({}, options, { lockRows: this.capabilities.concurrentWriters }),
    );
  }

  async metricFactsStatus(): Promise<MetricFactsStatus> {
    const [fingerprint, dirty] = await Promise.all([
      metricFacts.factsFingerprintOf(this.db),
      metricFacts.dirtyCount(this.db),
    ]);
    return fingerprint === undefined ? { dirty } : { fingerprint, dirty };
  }

  metricFacts(query: MetricFactsQuery): Promise<Omit<MetricsFacts, 'openStays'>> {
    return metricFacts.readFacts(this.db, query);
  }

  metricOpenStays(query: OpenStaysQuery): Promise<Map<string, OpenStaySummary>> {
    return metricFacts.readOpenStays(this.db, query);
  }

  metricEconomicsCounts(query: EconomicsCountsQuery): Promise<EconomicsCounts> {
    return readEconomicsCounts(this.db, query);
  }

  metricSlaSummary(query: SlaSummaryQuery): Promise<SlaSummary> {
    return readSlaSummary(this.db, query);
  }

  metricRoutingCounts(query: RoutingCountsQuery): Promise<RoutingCounts> {
    return readRoutingCounts(this.db, query);
  }

  metricFunnelFacts(query: FunnelFactsQuery): Promise<MetricsFacts> {
    return metricFacts.readFunnelFacts(this.db, query);
  }

  metricSpeedToLead(query: SpeedToLeadQuery): Promise<SpeedToLeadSummary> {
    return readSpeedToLead(this.db, query);
  }

  metricScoringCounts(query: ScoringCountsQuery): Promise<ScoringSpanCounts> {
    return readScoringCounts(this.db, query);
  }

  metricLeadSources(): Promise<string[]> {
    return metricFacts.readLeadSources(this.db);
  }

  dealSources(): Promise<string[]> {
    return deals.dealSources(this.db);
  }

  async findApproval(id: string): Promise<ApprovalRequest | undefined> {
    return (await deals.findApprovals(this.db, [id]))[0];
  }

  /** Closes the connection (SQLite) or the pool (PostgreSQL). */
  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/** Rows for `reps` or `teams`; throws when an entry has no string `id` or repeats one. */
function teamRows(entries: readonly JsonObject[], name: string): { id: string; data: string }[] {
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const id = entry['id'];
    if (typeof id !== 'string' || id === '') throw new Error(`syncTeam: ${name}[${i}] has no string "id"`);
    if (seen.has(id)) throw new Error(`syncTeam: ${name}[${i}] repeats the id "${id}"`);
    seen.add(id);
    return { id, data: JSON.stringify(entry) };
  });
}
