/**
 * The database as Kysely sees it: one interface per table, snake_case columns. Times are epoch
 * milliseconds (BIGINT; the PostgreSQL pool parses int8 to a number). JSON columns hold JSON text
 * (TEXT on SQLite, `json` on PostgreSQL): the store stringifies on write and parses on read, so key
 * order survives the round trip on both. Booleans are INTEGER 0/1 on both.
 */
import type { Generated } from 'kysely';

/** JSON text as stored in a JSON column. */
export type JsonText = string;

export interface EventsTable {
  seq: Generated<number>;
  id: string;
  type: string;
  at: number;
  source: string;
  received_at: number;
  contact_key: string | null;
  contact: JsonText;
  company: JsonText;
  properties: JsonText;
}

export interface ContactsTable {
  key: string;
  email: string | null;
  external_id: string | null;
  account_domain: string | null;
  attributes: JsonText;
  company_attributes: JsonText;
  stage: string;
  stage_entered_at: number;
  owner: string | null;
  flags: JsonText;
  created_at: number;
  updated_at: number;
  last_activity_at: number | null;
  last_touch_at: number | null;
  event_count: number;
  scoring: JsonText | null;
  score: JsonText | null;
  next_decay_at: number | null;
}

export interface AccountsTable {
  domain: string;
  attributes: JsonText;
  owner: string | null;
  contact_count: number;
  created_at: number;
  updated_at: number;
  last_activity_at: number | null;
  members: JsonText | null;
  score: JsonText | null;
  named: JsonText | null;
}

export interface StageHistoryTable {
  id: Generated<number>;
  contact_key: string;
  from_stage: string | null;
  to_stage: string;
  at: number;
  cause: string;
  reason: string;
}

export interface TouchesTable {
  id: Generated<number>;
  contact_key: string;
  at: number;
  kind: string;
  rep: string | null;
  event_id: string;
}

export interface TimersTable {
  key: string;
  due_at: number;
  contact_key: string | null;
  payload: JsonText;
  attempts: number;
  lease_until: number | null;
  lease_owner: string | null;
  created_at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  key: string;
  type: string;
  contact_key: string | null;
  at: number;
  payload: JsonText;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  /** Migration 0008: the last claimer, the destinations done (JSON array), when it was settled. */
  lease_owner: string | null;
  delivered_to: JsonText | null;
  settled_at: number | null;
}

export interface TasksTable {
  key: string;
  contact_key: string;
  title: string;
  assignee: string;
  due_at: number | null;
  created_at: number;
  status: string;
  completed_at: number | null;
}

export interface AssignmentsTable {
  id: Generated<number>;
  contact_key: string;
  owner: string | null;
  rule: string;
  at: number;
  kind: string;
  trace: JsonText;
  queue: string | null;
  team: string | null;
}

export interface SlaClocksTable {
  key: string;
  contact_key: string;
  clock_id: string;
  name: string;
  owner: string | null;
  started_at: number;
  due_at: number;
  /** open | met | breached | cancelled */
  status: string;
  target: string;
  /** 0 or 1: lateness counts business time. */
  business: number;
  timezone: string;
  start_stage: string | null;
  cause: string;
  stopped_at: number | null;
  stop_reason: string | null;
  met_at: number | null;
  breached_at: number | null;
  late_ms: number | null;
  late_wall_ms: number | null;
  /** `lengthBucket(late_wall_ms)`; null without a lateness (migration 0015). */
  late_bucket: number | null;
  /** The escalation steps fired, as JSON. */
  steps: JsonText;
  /** How many escalation steps fired: the length of `steps` (migration 0015). */
  escalations: number;
  created_at: number;
  updated_at: number;
}

export interface RoutingCountersTable {
  team: string;
  state: JsonText;
}

export interface RepsTable {
  id: string;
  data: JsonText;
}

export interface TeamsTable {
  id: string;
  data: JsonText;
}

export interface ConfigVersionsTable {
  hash: string;
  text: string;
  created_at: number;
  /** 0 or 1; exactly one row (the latest saved) is 1. */
  active: number;
  note: string | null;
  /** Who stored it (`key:<id>`); null for a version recorded from a config file. */
  created_by: string | null;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  /** JSON array of scopes. */
  scopes: JsonText;
  /** Hex SHA-256 of the whole key. */
  hash: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface RepOverridesTable {
  rep_id: string;
  /** The override as JSON (active, pto, capacity). */
  data: JsonText;
  updated_at: number;
  updated_by: string | null;
}

export interface ConfigActivationsTable {
  id: Generated<number>;
  hash: string;
  at: number;
  by: string | null;
  note: string | null;
}

export interface DealsTable {
  id: string;
  pipeline: string;
  stage: string;
  /** open | won | lost */
  status: string;
  owner: string | null;
  account_domain: string | null;
  amount: number | null;
  close_date: string | null;
  created_at: number;
  updated_at: number;
  stage_entered_at: number;
  closed_at: number | null;
  /** The whole DealState as JSON. */
  data: JsonText;
  /** `dealHash(data)`: changes whenever the JSON does (migration 0016). */
  data_hash: string | null;
}

export interface ApprovalsTable {
  id: string;
  deal_id: string;
  /** pending | approved | rejected */
  status: string;
  requested_at: number;
  due_at: number;
  decided_at: number | null;
  /** The whole ApprovalRequest as JSON. */
  data: JsonText;
}

/** Every table of the store. */
/** Lead facts (core/metrics/facts.ts): one row per contact. */
export interface MetricLeadsTable {
  contact_key: string;
  created_at: number;
  source: string;
  owner: string | null;
  rank: number;
  /** Rejection reason codes separated by spaces ('' for none; codes hold no spaces). */
  rejections: string;
}

/** One row per entry into MQL. */
export interface MetricMqlEntriesTable {
  contact_key: string;
  seq: number;
  at: number;
  /** The next MQL entry; null for none. */
  until_at: number | null;
  recycled: number;
  first_touch_at: number | null;
  /** 1 met, 0 breached, null no clock verdict. */
  clock_verdict: number | null;
  reached_sql: number;
  hour: number;
  weekday: string;
  source: string;
  owner: string | null;
  /** `lengthBucket(first_touch_at - at)`; null when not touched (migration 0013). */
  response_bucket: number | null;
  /** `responseClass(first_touch_at - at)`; null when not touched (migration 0018). */
  response_class: number | null;
  /** Sales' decision before the next MQL entry: 1 accepted, 0 rejected, null pending (migration 0015). */
  decision: number | null;
}

/** One row per closed stay in a lifecycle stage. */
export interface MetricStaysTable {
  contact_key: string;
  seq: number;
  stage: string;
  entered_at: number;
  left_at: number;
  source: string;
  owner: string | null;
  /** `left_at - entered_at`. */
  length: number;
  /** `lengthBucket(length)`; -1 for a stay of zero length. */
  bucket: number;
}

/** Leads created on one UTC day (`floor(created_at / 86,400,000)`), counted by what the funnel tells apart. */
export interface MetricLeadDaysTable {
  day: number;
  source: string;
  /** '' for unowned leads. */
  owner: string;
  rank: number;
  rejections: string;
  n: number;
}

/** Closed stays of positive length by the UTC day they closed, stage and length bucket. */
export interface MetricStayDaysTable {
  day: number;
  stage: string;
  bucket: number;
  /** The stays' owner, '' for none (migration 0017). */
  owner: string;
  n: number;
  /** The sum of their lengths. */
  total: number;
}

/** The open stay of each contact that has one. */
export interface MetricOpenStaysTable {
  contact_key: string;
  stage: string;
  entered_at: number;
  source: string;
  owner: string | null;
}

/** The open stays counted by stage, UTC day of entry, owner ('' for none) and source (migration 0017). */
export interface MetricOpenStayDaysTable {
  stage: string;
  day: number;
  owner: string;
  source: string;
  n: number;
}

/** The figures of each SLA clock the SLA report counts, as of the last facts refresh (migration 0019). */
export interface MetricClocksTable {
  started_at: number;
  key: string;
  contact_key: string;
  clock_id: string;
  name: string;
  owner: string | null;
  status: string;
  due_at: number;
  late_wall_ms: number | null;
  late_bucket: number | null;
  escalations: number;
}

/**
 * The clock facts counted per UTC day of start, clock id, owner ('' for none), status, lateness
 * bucket (`NO_LATENESS` for none) and name (migration 0019).
 */
export interface MetricClockDaysTable {
  day: number;
  clock_id: string;
  owner: string;
  status: string;
  late_bucket: number;
  name: string;
  n: number;
  escalations: number;
}

/** Contacts whose facts are out of date; `gen` grows with every mark. */
export interface MetricDirtyTable {
  contact_key: string;
  gen: number;
}

/** What the facts were built under (`id` = 'facts'). */
export interface MetricStateTable {
  id: string;
  fingerprint: string;
  built_at: number;
}

export interface Database {
  events: EventsTable;
  contacts: ContactsTable;
  accounts: AccountsTable;
  stage_history: StageHistoryTable;
  touches: TouchesTable;
  timers: TimersTable;
  outbox: OutboxTable;
  tasks: TasksTable;
  assignments: AssignmentsTable;
  routing_counters: RoutingCountersTable;
  sla_clocks: SlaClocksTable;
  reps: RepsTable;
  teams: TeamsTable;
  config_versions: ConfigVersionsTable;
  api_keys: ApiKeysTable;
  rep_overrides: RepOverridesTable;
  config_activations: ConfigActivationsTable;
  deals: DealsTable;
  approvals: ApprovalsTable;
  metric_leads: MetricLeadsTable;
  metric_mql_entries: MetricMqlEntriesTable;
  metric_stays: MetricStaysTable;
  metric_lead_days: MetricLeadDaysTable;
  metric_stay_days: MetricStayDaysTable;
  metric_open_stays: MetricOpenStaysTable;
  metric_open_stay_days: MetricOpenStayDaysTable;
  metric_clocks: MetricClocksTable;
  metric_clock_days: MetricClockDaysTable;
  metric_dirty: MetricDirtyTable;
  metric_state: MetricStateTable;
}
