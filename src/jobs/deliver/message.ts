/**
 * What an outbox row says, in words people read: one headline per effect type and the lead's
 * context as labelled facts (owner, score and why, the routing rule, the SLA due time). Slack and
 * email share the wording and differ only in `MessageFormat` (mrkdwn and mentions, or plain text).
 */
import type { OutboxRow } from '../../core/ports.ts';
import type { JsonObject, JsonValue, Millis } from '../../core/types.ts';

/** A rep as messages name them (from team.reps). */
export interface Person {
  readonly id: string;
  readonly name: string;
  readonly email?: string;
  /** Slack member id (`U024BE7LH`) or handle, from team.reps[].slack. */
  readonly slack?: string;
}

export interface ScoreReason {
  readonly label: string;
  readonly points: number;
}

/** The lead an outbox row is about, read when it is delivered. */
export interface LeadContext {
  readonly key: string;
  /** `First Last`, else the email, else the key. */
  readonly name: string;
  readonly email?: string;
  readonly company?: string;
  readonly stage: string;
  readonly owner?: string;
  readonly score?: {
    readonly total: number;
    readonly fit: number;
    readonly engagement: number;
    readonly mql: boolean;
  };
  /** The largest contributions to the score, largest first (at most three). */
  readonly reasons: readonly ScoreReason[];
  /** The open SLA clock due first. */
  readonly sla?: { readonly name: string; readonly dueAt: Millis };
}

export interface MessageInput {
  readonly row: OutboxRow;
  readonly lead?: LeadContext;
  /** Reps by id. */
  readonly people: ReadonlyMap<string, Person>;
}

export interface MessageFormat {
  /** Escapes text taken from data. */
  text(value: string): string;
  strong(value: string): string;
  /** A rep (as `rep:<id>` or a known person) or another recipient (`team:…`, `queue:…`). */
  recipient(value: string, people: ReadonlyMap<string, Person>): string;
  time(at: Millis): string;
}

/** `2026-11-24 15:06 UTC`. */
export function utcText(at: Millis): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** How a recipient reads in plain text: a rep's name, `team x`, `queue x`, `#channel`, `role sales_ops`. */
export function recipientText(value: string, people: ReadonlyMap<string, Person>): string {
  const [kind, ref] = value.includes(':')
    ? [value.slice(0, value.indexOf(':')), value.slice(value.indexOf(':') + 1)]
    : [value, ''];
  switch (kind) {
    case 'rep':
      return people.get(ref)?.name ?? ref;
    case 'channel':
      return `#${ref}`;
    case 'team':
    case 'queue':
    case 'role':
      return `${kind} ${ref}`;
    case 'unassigned':
      return 'nobody (unassigned)';
    default:
      return value;
  }
}

const str = (payload: JsonObject, key: string): string | undefined => {
  const value: JsonValue | undefined = payload[key];
  return typeof value === 'string' && value !== ''
    ? value
    : typeof value === 'number'
      ? String(value)
      : undefined;
};

/** A deal payload's name: `name`, else the `deal` object's name or id, else the `deal` id. */
function dealName(p: JsonObject): string {
  const deal = p['deal'];
  if (deal !== null && typeof deal === 'object' && !Array.isArray(deal)) {
    const object = deal as JsonObject;
    return str(object, 'name') ?? str(object, 'id') ?? '?';
  }
  return str(p, 'name') ?? str(p, 'deal') ?? '?';
}

/** A payload's list, each item written by `write`, joined with commas (`?` when absent). */
function list(p: JsonObject, key: string, write: (value: string) => string): string {
  const value = p[key];
  return Array.isArray(value) && value.length > 0 ? value.map((v) => write(String(v))).join(', ') : '?';
}

/** The headline of `row`. */
export function headline(input: MessageInput, f: MessageFormat): string {
  const { row, lead, people } = input;
  const p = row.payload;
  const who =
    lead === undefined
      ? f.strong(row.contactKey ?? 'a lead')
      : `${f.strong(lead.name)}${lead.company === undefined ? '' : ` (${f.text(lead.company)})`}`;
  const to = (fallback = 'unassigned') => f.recipient(str(p, 'to') ?? fallback, people);
  const message = str(p, 'message');
  const deal = () => f.strong(dealName(p));
  switch (row.type) {
    case 'assigned':
      return p['reassigned'] === true ? `${who} was reassigned to ${to()}` : `New lead for ${to()}: ${who}`;
    case 'queued':
      return `${who} is waiting in the ${f.strong(str(p, 'queue') ?? '?')} queue`;
    case 'routing_review':
      return `${who} needs a routing review: it matches several accounts`;
    case 'reassigned': {
      const owner = str(p, 'owner');
      const next =
        owner === undefined
          ? `the ${f.strong(str(p, 'queue') ?? '?')} queue`
          : f.recipient(`rep:${owner}`, people);
      return `${who} moved from ${to()} to ${next}`;
    }
    case 'account_contact':
      return `New contact at your account ${f.strong(str(p, 'account') ?? '?')}: ${who}`;
    case 'mql':
      return `${who} is now a marketing-qualified lead`;
    case 'buying_committee':
      return `A buying committee is forming at ${f.strong(str(p, 'account') ?? '?')}: ${str(p, 'engagedContacts') ?? '?'} engaged contacts within ${str(p, 'within') ?? '?'}`;
    case 'notify':
      return message === undefined ? `Notification about ${who}` : f.text(message);
    case 'sla_breached':
      return `SLA breached: ${f.strong(str(p, 'clockName') ?? '?')} for ${who}`;
    case 'sla_escalation':
      return `SLA escalation (${f.text(str(p, 'clockName') ?? '?')}): ${message === undefined ? who : f.text(message)}`;
    case 'task_overdue':
      return `Task overdue for ${to()}: ${f.text(str(p, 'title') ?? str(p, 'task') ?? '?')}`;
    case 'sql_refused':
      return `${who} was not accepted as an SQL${message === undefined ? '' : `: ${f.text(message)}`}`;
    case 'timer_reassign_refused':
      return `Reassigning ${who} was refused${message === undefined ? '' : `: ${f.text(message)}`}`;
    case 'sequence':
      return `${who}: ${f.text(str(p, 'op') ?? '?')} sequence ${f.strong(str(p, 'sequence') ?? '?')}`;
    case 'activity_context':
      return `Recent activity of ${who}`;
    case 'deal_fields_missing':
    case 'deal_change_refused':
      return `Deal ${deal()} ${row.type === 'deal_fields_missing' ? 'lacks required fields' : 'change was refused'}${message === undefined ? '' : `: ${f.text(message)}`}`;
    case 'deal_stage_skipped':
      return `Deal ${deal()} skipped ${list(p, 'skipped', (v) => f.text(v))} on its way to ${f.strong(str(p, 'stage') ?? '?')}`;
    case 'deal_desk_review':
      return `Deal desk review: ${deal()} at ${f.strong(str(p, 'stage') ?? '?')} is worth ${f.text(str(p, 'acv') ?? '?')} a year (threshold ${f.text(str(p, 'threshold') ?? '?')})`;
    case 'forecast_review':
      return `Forecast review: ${deal()} has pushed its close date ${str(p, 'pushes') ?? '?'} times, now ${f.text(str(p, 'closeDate') ?? '?')}`;
    case 'deal_stale':
      return `Deal ${deal()} is stale: ${str(p, 'daysInStage') ?? '?'} days in ${f.strong(str(p, 'stage') ?? '?')}`;
    case 'deal_stale_manager':
      return `Still stale: ${deal()} of ${f.recipient(str(p, 'owner') ?? 'unassigned', people)} has ${str(p, 'daysInStage') ?? '?'} days in ${f.strong(str(p, 'stage') ?? '?')}`;
    case 'cs_handoff':
      return `Closed won: ${deal()} is handed to ${to()} for onboarding, kickoff due ${f.text(str(p, 'kickoffDue')?.slice(0, 10) ?? '?')}`;
    case 'approval_requested':
      return `Approval needed from ${to()}: ${deal()}`;
    case 'approval_decided':
      return `Approval ${f.strong(str(p, 'status') ?? '?')} for ${deal()} by ${f.recipient(str(p, 'decidedBy') ?? '?', people)}`;
    case 'approval_escalated':
      return `Approval overdue (escalation ${str(p, 'escalation') ?? '?'}): ${deal()} waits on ${list(p, 'waitingOn', (v) => f.recipient(v, people))}`;
    default:
      return `${f.text(row.type)} for ${who}`;
  }
}

const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/** The labelled facts under the headline; absent ones are left out. */
export function facts(input: MessageInput, f: MessageFormat): [string, string][] {
  const { row, lead, people } = input;
  const p = row.payload;
  const out: [string, string][] = [];
  if (lead?.owner !== undefined) out.push(['Owner', f.recipient(`rep:${lead.owner}`, people)]);
  const atCrossing = row.type === 'mql' && typeof p['total'] === 'number';
  const score = atCrossing
    ? { total: Number(p['total']), fit: Number(p['fit']), engagement: Number(p['engagement']), mql: true }
    : lead?.score;
  if (score !== undefined)
    out.push([
      'Score',
      `${score.total} (fit ${score.fit} · engagement ${score.engagement})${score.mql ? ' · MQL' : ''}`,
    ]);
  const reasons = lead?.reasons ?? [];
  if (reasons.length > 0)
    out.push(['Why', reasons.map((r) => `${signed(r.points)} ${f.text(r.label)}`).join(' · ')]);
  const rule = str(p, 'rule');
  if (rule !== undefined) out.push(['Rule', f.text(rule)]);
  const clockName = str(p, 'clockName');
  const dueAt = typeof p['dueAt'] === 'string' ? Date.parse(p['dueAt']) : Number.NaN;
  if (clockName !== undefined && !Number.isNaN(dueAt))
    out.push(['SLA', `${f.text(clockName)} due ${f.time(dueAt)}`]);
  else if (lead?.sla !== undefined)
    out.push(['SLA', `${f.text(lead.sla.name)} due ${f.time(lead.sla.dueAt)}`]);
  if (lead !== undefined) out.push(['Stage', f.text(lead.stage)]);
  if (lead?.email !== undefined) out.push(['Email', f.text(lead.email)]);
  return out;
}

/** Plain text: no markup, reps by name. */
export const plainFormat: MessageFormat = {
  text: (value) => value,
  strong: (value) => value,
  recipient: recipientText,
  time: utcText,
};
