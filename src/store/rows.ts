/**
 * Rows ↔ domain values. A NULL column becomes an absent property (never `undefined`, never null:
 * `exactOptionalPropertyTypes` is on); JSON columns are parsed; insert rows are built flat so a
 * multi-row INSERT can bind them directly.
 */
import type { FiredTimer, OutboxEffect, TimerEffect } from '../core/effects.ts';
import { lengthBucket } from '../core/metrics/facts.ts';
import type { ScoringMemory } from '../core/scoring/memory.ts';
import type { SlaClock, SlaClockStatus, SlaStepRecord } from '../core/sla/model.ts';
import type {
  AssignmentRow,
  OutboxItem,
  OutboxRow,
  RoutingCounters,
  StoredEvent,
  TaskRow,
} from '../core/ports.ts';
import type {
  AccountMember,
  AccountScore,
  AccountState,
  ContactKey,
  ContactScore,
  Attributes,
  ContactState,
  JsonObject,
  StageChange,
  Touch,
} from '../core/types.ts';
import type { Insertable, Selectable } from 'kysely';
import type { Building } from '../core/building.ts';
import type { JsonMemo } from './jsonMemo.ts';
import type {
  AccountsTable,
  AssignmentsTable,
  RoutingCountersTable,
  SlaClocksTable,
  ContactsTable,
  EventsTable,
  OutboxTable,
  StageHistoryTable,
  TasksTable,
  TimersTable,
  TouchesTable,
} from './schema.ts';

const json = (value: unknown): string => JSON.stringify(value);
const parse = <T>(text: string): T => JSON.parse(text) as T;

// Values read from rows are built property by property, in key order (golden tests compare their
// JSON), with `if (column !== null)` for each optional one: a spread in an object literal (`...opt()`)
// takes V8's slow path on Node 20 (docs/decisions/008-no-leading-spread.md), and these run per row.

// ---- events

export function eventRow(row: StoredEvent): Insertable<EventsTable> {
  const { event } = row;
  return {
    id: event.id,
    type: event.type,
    at: event.at,
    source: event.source,
    received_at: row.receivedAt,
    contact_key: row.contactKey ?? null,
    contact: json(event.contact),
    company: json(event.company),
    properties: json(event.properties),
  };
}

export function storedEvent(row: Selectable<EventsTable>): StoredEvent & { readonly seq: number } {
  const stored: Building<StoredEvent & { seq: number }> = {
    seq: row.seq,
    event: {
      id: row.id,
      type: row.type,
      at: row.at,
      source: row.source,
      contact: parse(row.contact),
      company: parse(row.company),
      properties: parse(row.properties),
    },
    receivedAt: row.received_at,
  };
  if (row.contact_key !== null) stored.contactKey = row.contact_key;
  return stored as StoredEvent & { readonly seq: number };
}

// ---- contacts and accounts

export function contactRow(contact: ContactState): Insertable<ContactsTable> {
  return {
    key: contact.key,
    email: contact.email ?? null,
    external_id: contact.externalId ?? null,
    account_domain: contact.accountDomain ?? null,
    attributes: json(contact.attributes),
    company_attributes: json(contact.companyAttributes),
    stage: contact.stage,
    stage_entered_at: contact.stageEnteredAt,
    owner: contact.owner ?? null,
    flags: json(contact.flags),
    created_at: contact.createdAt,
    updated_at: contact.updatedAt,
    last_activity_at: contact.lastActivityAt ?? null,
    last_touch_at: contact.lastTouchAt ?? null,
    event_count: contact.eventCount,
    scoring: contact.scoring === undefined ? null : json(contact.scoring),
    score: contact.score === undefined ? null : json(contact.score),
    next_decay_at: contact.nextDecayAt ?? null,
  };
}

export function contactState(row: Selectable<ContactsTable>): ContactState {
  const state: Building<ContactState> = { key: row.key };
  if (row.email !== null) state.email = row.email;
  if (row.external_id !== null) state.externalId = row.external_id;
  if (row.account_domain !== null) state.accountDomain = row.account_domain;
  state.attributes = parse<Attributes>(row.attributes);
  state.companyAttributes = parse<Attributes>(row.company_attributes);
  state.stage = row.stage;
  state.stageEnteredAt = row.stage_entered_at;
  if (row.owner !== null) state.owner = row.owner;
  state.flags = parse<string[]>(row.flags);
  state.createdAt = row.created_at;
  state.updatedAt = row.updated_at;
  if (row.last_activity_at !== null) state.lastActivityAt = row.last_activity_at;
  if (row.last_touch_at !== null) state.lastTouchAt = row.last_touch_at;
  state.eventCount = row.event_count;
  if (row.scoring !== null) state.scoring = parse<ScoringMemory>(row.scoring);
  if (row.score !== null) state.score = parse<ContactScore>(row.score);
  if (row.next_decay_at !== null) state.nextDecayAt = row.next_decay_at;
  return state as ContactState;
}

/** `memo`: the store's memo of account JSON (jsonMemo.ts): unchanged values reuse their text. */
export function accountRow(account: AccountState, memo?: JsonMemo): Insertable<AccountsTable> {
  const text = (column: string, value: unknown) =>
    memo === undefined ? json(value) : memo.stringify(`${account.domain}\u0000${column}`, value);
  return {
    domain: account.domain,
    attributes: text('attributes', account.attributes),
    owner: account.owner ?? null,
    contact_count: account.contactCount,
    created_at: account.createdAt,
    updated_at: account.updatedAt,
    last_activity_at: account.lastActivityAt ?? null,
    members:
      account.members === undefined
        ? null
        : memo === undefined
          ? json(account.members)
          : memo.stringifyRecord(`${account.domain}\u0000members`, account.members),
    score: account.score === undefined ? null : text('score', account.score),
    named: account.named === undefined ? null : text('named', account.named),
  };
}

/** `memo`: the store's memo of account JSON (jsonMemo.ts): unchanged text reuses its value. */
export function accountState(row: Selectable<AccountsTable>, memo?: JsonMemo): AccountState {
  const value = <T>(column: string, text: string): T =>
    memo === undefined ? parse<T>(text) : memo.parse<T>(`${row.domain}\u0000${column}`, text);
  const state: Building<AccountState> = {
    domain: row.domain,
    attributes: value<Attributes>('attributes', row.attributes),
  };
  if (row.owner !== null) state.owner = row.owner;
  state.contactCount = row.contact_count;
  state.createdAt = row.created_at;
  state.updatedAt = row.updated_at;
  if (row.last_activity_at !== null) state.lastActivityAt = row.last_activity_at;
  if (row.members !== null) state.members = value<Record<ContactKey, AccountMember>>('members', row.members);
  if (row.score !== null) state.score = value<AccountScore>('score', row.score);
  if (row.named !== null) state.named = value<NonNullable<AccountState['named']>>('named', row.named);
  return state as AccountState;
}

// ---- history

export function stageHistoryRow(change: StageChange): Insertable<StageHistoryTable> {
  return {
    contact_key: change.contactKey,
    from_stage: change.from ?? null,
    to_stage: change.to,
    at: change.at,
    cause: change.cause,
    reason: change.reason,
  };
}

export function stageChange(row: Selectable<StageHistoryTable>): StageChange {
  const change: Building<StageChange> = { contactKey: row.contact_key };
  if (row.from_stage !== null) change.from = row.from_stage;
  change.to = row.to_stage;
  change.at = row.at;
  change.cause = row.cause;
  change.reason = row.reason;
  return change as StageChange;
}

export function touchRow(touch: Touch): Insertable<TouchesTable> {
  return {
    contact_key: touch.contactKey,
    at: touch.at,
    kind: touch.kind,
    rep: touch.rep ?? null,
    event_id: touch.eventId,
  };
}

export function touch(row: Selectable<TouchesTable>): Touch {
  const record: Building<Touch> = { contactKey: row.contact_key, at: row.at, kind: row.kind };
  if (row.rep !== null) record.rep = row.rep;
  record.eventId = row.event_id;
  return record as Touch;
}

// ---- effects

export function timerRow(timer: TimerEffect, createdAt: number): Insertable<TimersTable> {
  return {
    key: timer.key,
    due_at: timer.dueAt,
    contact_key: timer.contactKey ?? null,
    payload: json(timer.payload),
    attempts: 0,
    lease_until: null,
    lease_owner: null,
    created_at: createdAt,
  };
}

type TimerColumns = Pick<Selectable<TimersTable>, 'key' | 'due_at' | 'contact_key' | 'payload' | 'attempts'>;

export function firedTimer(row: TimerColumns): FiredTimer {
  const timer: Building<FiredTimer> = { key: row.key, dueAt: row.due_at };
  if (row.contact_key !== null) timer.contactKey = row.contact_key;
  timer.payload = parse<JsonObject>(row.payload);
  timer.attempts = row.attempts;
  return timer as FiredTimer;
}

export function listedTimer(row: TimerColumns): TimerEffect & { readonly attempts: number } {
  return { kind: 'timer', ...firedTimer(row) };
}

export function outboxRow(effect: OutboxEffect): Insertable<OutboxTable> {
  return {
    key: effect.key,
    type: effect.type,
    contact_key: effect.contactKey ?? null,
    at: effect.at,
    payload: json(effect.payload),
    status: 'pending',
    attempts: 0,
    next_attempt_at: effect.at,
    last_error: null,
  };
}

export function outboxEntry(row: Selectable<OutboxTable>): OutboxRow {
  const entry: Building<OutboxRow> = { kind: 'outbox', key: row.key, type: row.type };
  if (row.contact_key !== null) entry.contactKey = row.contact_key;
  entry.at = row.at;
  entry.payload = parse<JsonObject>(row.payload);
  entry.status = row.status as OutboxRow['status'];
  entry.attempts = row.attempts;
  entry.nextAttemptAt = row.next_attempt_at;
  return entry as OutboxRow;
}

/** An outbox row with its delivery bookkeeping (migration 0008). */
export function outboxItem(row: Selectable<OutboxTable>): OutboxItem {
  // The entry is a fresh object: the bookkeeping goes on after its keys.
  const item: Building<OutboxItem> = outboxEntry(row);
  item.id = Number(row.id);
  if (row.last_error !== null) item.lastError = row.last_error;
  item.deliveredTo = row.delivered_to === null ? [] : parse<string[]>(row.delivered_to);
  if (row.lease_owner !== null) item.leaseOwner = row.lease_owner;
  if (row.settled_at !== null) item.settledAt = row.settled_at;
  return item as OutboxItem;
}

/** The row for a task; a closed one (`done`, `cancelled`) is stamped completed at `now`. */
export function taskRow(task: TaskRow, now: number): Insertable<TasksTable> {
  return {
    key: task.key,
    contact_key: task.contactKey,
    title: task.title,
    assignee: task.assignee,
    due_at: task.dueAt ?? null,
    created_at: task.createdAt,
    status: task.status,
    completed_at: task.status === 'open' ? null : now,
  };
}

export function taskEntry(row: Selectable<TasksTable>): TaskRow {
  const task: Building<TaskRow> = {
    key: row.key,
    contactKey: row.contact_key,
    title: row.title,
    assignee: row.assignee,
  };
  if (row.due_at !== null) task.dueAt = row.due_at;
  task.createdAt = row.created_at;
  task.status = row.status as TaskRow['status'];
  return task as TaskRow;
}

// ---- routing

export function assignmentRow(row: AssignmentRow): Insertable<AssignmentsTable> {
  return {
    contact_key: row.contactKey,
    kind: row.kind,
    owner: row.owner ?? null,
    queue: row.queue ?? null,
    team: row.team ?? null,
    rule: row.rule,
    at: row.at,
    trace: json(row.trace),
  };
}

export function assignment(row: Selectable<AssignmentsTable>): AssignmentRow {
  const decision: Building<AssignmentRow> = {
    contactKey: row.contact_key,
    kind: row.kind as AssignmentRow['kind'],
  };
  if (row.owner !== null) decision.owner = row.owner;
  if (row.queue !== null) decision.queue = row.queue;
  if (row.team !== null) decision.team = row.team;
  decision.rule = row.rule;
  decision.at = row.at;
  decision.trace = parse<JsonObject>(row.trace);
  return decision as AssignmentRow;
}

export function routingCounters(state: string): RoutingCounters {
  return parse<RoutingCounters>(state);
}

export function routingCountersRow(
  team: string,
  counters: RoutingCounters,
): Insertable<RoutingCountersTable> {
  return { team, state: json(counters) };
}

// ---- SLA clocks

/** The row for a clock; `createdAt` stamps a new row (an update keeps the first). */
export function slaClockRow(clock: SlaClock, createdAt: number): Insertable<SlaClocksTable> {
  return {
    key: clock.key,
    contact_key: clock.contactKey,
    clock_id: clock.clockId,
    name: clock.name,
    owner: clock.owner ?? null,
    started_at: clock.startedAt,
    due_at: clock.dueAt,
    status: clock.status,
    target: clock.target,
    business: clock.business ? 1 : 0,
    timezone: clock.timezone,
    start_stage: clock.startStage ?? null,
    cause: clock.cause,
    stopped_at: clock.stoppedAt ?? null,
    stop_reason: clock.stopReason ?? null,
    met_at: clock.metAt ?? null,
    breached_at: clock.breachedAt ?? null,
    late_ms: clock.lateMs ?? null,
    late_wall_ms: clock.lateWallMs ?? null,
    late_bucket: clock.lateWallMs === undefined ? null : lengthBucket(clock.lateWallMs),
    steps: json(clock.steps),
    escalations: clock.steps.length,
    created_at: createdAt,
    updated_at: clock.updatedAt,
  };
}

export function slaClock(row: Selectable<SlaClocksTable>): SlaClock {
  const clock: Building<SlaClock> = {
    key: row.key,
    contactKey: row.contact_key,
    clockId: row.clock_id,
    name: row.name,
  };
  if (row.owner !== null) clock.owner = row.owner;
  clock.startedAt = Number(row.started_at);
  clock.dueAt = Number(row.due_at);
  clock.status = row.status as SlaClockStatus;
  clock.target = row.target;
  clock.business = Number(row.business) !== 0;
  clock.timezone = row.timezone;
  if (row.start_stage !== null) clock.startStage = row.start_stage;
  clock.cause = row.cause;
  if (row.stopped_at !== null) clock.stoppedAt = Number(row.stopped_at);
  if (row.stop_reason !== null) clock.stopReason = row.stop_reason;
  if (row.met_at !== null) clock.metAt = Number(row.met_at);
  if (row.breached_at !== null) clock.breachedAt = Number(row.breached_at);
  if (row.late_ms !== null) clock.lateMs = Number(row.late_ms);
  if (row.late_wall_ms !== null) clock.lateWallMs = Number(row.late_wall_ms);
  clock.steps = parse<SlaStepRecord[]>(row.steps);
  clock.updatedAt = Number(row.updated_at);
  return clock as SlaClock;
}
