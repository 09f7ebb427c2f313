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

/** `{ [key]: value }` when the column holds a value, `{}` when it is NULL. */
function opt<K extends string, V>(key: K, value: V | null): { [P in K]?: V } {
  return (value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

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
  return {
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
    ...opt('contactKey', row.contact_key),
  };
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
  return {
    key: row.key,
    ...opt('email', row.email),
    ...opt('externalId', row.external_id),
    ...opt('accountDomain', row.account_domain),
    attributes: parse<Attributes>(row.attributes),
    companyAttributes: parse<Attributes>(row.company_attributes),
    stage: row.stage,
    stageEnteredAt: row.stage_entered_at,
    ...opt('owner', row.owner),
    flags: parse<string[]>(row.flags),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...opt('lastActivityAt', row.last_activity_at),
    ...opt('lastTouchAt', row.last_touch_at),
    eventCount: row.event_count,
    ...(row.scoring === null ? {} : { scoring: parse<ScoringMemory>(row.scoring) }),
    ...(row.score === null ? {} : { score: parse<ContactScore>(row.score) }),
    ...opt('nextDecayAt', row.next_decay_at),
  };
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
  return {
    domain: row.domain,
    attributes: value<Attributes>('attributes', row.attributes),
    ...opt('owner', row.owner),
    contactCount: row.contact_count,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...opt('lastActivityAt', row.last_activity_at),
    ...(row.members === null
      ? {}
      : { members: value<Record<ContactKey, AccountMember>>('members', row.members) }),
    ...(row.score === null ? {} : { score: value<AccountScore>('score', row.score) }),
    ...(row.named === null ? {} : { named: value<NonNullable<AccountState['named']>>('named', row.named) }),
  };
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
  return {
    contactKey: row.contact_key,
    ...opt('from', row.from_stage),
    to: row.to_stage,
    at: row.at,
    cause: row.cause,
    reason: row.reason,
  };
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
  return {
    contactKey: row.contact_key,
    at: row.at,
    kind: row.kind,
    ...opt('rep', row.rep),
    eventId: row.event_id,
  };
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
  return {
    key: row.key,
    dueAt: row.due_at,
    ...opt('contactKey', row.contact_key),
    payload: parse<JsonObject>(row.payload),
    attempts: row.attempts,
  };
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
  return {
    kind: 'outbox',
    key: row.key,
    type: row.type,
    ...opt('contactKey', row.contact_key),
    at: row.at,
    payload: parse<JsonObject>(row.payload),
    status: row.status as OutboxRow['status'],
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
  };
}

/** An outbox row with its delivery bookkeeping (migration 0008). */
export function outboxItem(row: Selectable<OutboxTable>): OutboxItem {
  return Object.assign(outboxEntry(row), {
    id: Number(row.id),
    ...opt('lastError', row.last_error),
    deliveredTo: row.delivered_to === null ? [] : parse<string[]>(row.delivered_to),
    ...opt('leaseOwner', row.lease_owner),
    ...opt('settledAt', row.settled_at),
  });
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
  return {
    key: row.key,
    contactKey: row.contact_key,
    title: row.title,
    assignee: row.assignee,
    ...opt('dueAt', row.due_at),
    createdAt: row.created_at,
    status: row.status as TaskRow['status'],
  };
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
  return {
    contactKey: row.contact_key,
    kind: row.kind as AssignmentRow['kind'],
    ...opt('owner', row.owner),
    ...opt('queue', row.queue),
    ...opt('team', row.team),
    rule: row.rule,
    at: row.at,
    trace: parse<JsonObject>(row.trace),
  };
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
  return {
    key: row.key,
    contactKey: row.contact_key,
    clockId: row.clock_id,
    name: row.name,
    ...opt('owner', row.owner),
    startedAt: Number(row.started_at),
    dueAt: Number(row.due_at),
    status: row.status as SlaClockStatus,
    target: row.target,
    business: Number(row.business) !== 0,
    timezone: row.timezone,
    ...opt('startStage', row.start_stage),
    cause: row.cause,
    ...opt('stoppedAt', row.stopped_at === null ? null : Number(row.stopped_at)),
    ...opt('stopReason', row.stop_reason),
    ...opt('metAt', row.met_at === null ? null : Number(row.met_at)),
    ...opt('breachedAt', row.breached_at === null ? null : Number(row.breached_at)),
    ...opt('lateMs', row.late_ms === null ? null : Number(row.late_ms)),
    ...opt('lateWallMs', row.late_wall_ms === null ? null : Number(row.late_wall_ms)),
    steps: parse<SlaStepRecord[]>(row.steps),
    updatedAt: Number(row.updated_at),
  };
}
