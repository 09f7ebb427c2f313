/**
 * Actions on stage entry become effects: notifications and sequence changes go to the outbox,
 * tasks get a due time (business time from the calendar) and a timer that fires when they are
 * overdue. Keys are derived from the contact, stage and entry time, so a decision written twice
 * produces no second effect.
 */
import type { Building } from '../building.ts';
import type { Effect } from '../effects.ts';
import { wallMinutes, type Duration } from '../time/duration.ts';
import type { AttributeValue, Attributes, ContactState, JsonObject, JsonValue, Millis } from '../types.ts';

export type StageAction =
  | {
      readonly do: 'notify';
      readonly to: string | readonly string[];
      readonly message: string;
      readonly urgent: boolean;
    }
  | { readonly do: 'create_task'; readonly title: string; readonly due: Duration; readonly assignee: string }
  | { readonly do: 'sequence'; readonly op: string; readonly sequence: string }
  | { readonly do: 'set_flag'; readonly flag: string }
  | { readonly do: 'set_stage'; readonly stage: string }
  | { readonly do: 'webhook'; readonly channel: string; readonly payload?: string | undefined }
  | { readonly do: 'log_activity'; readonly window: Duration }
  | { readonly do: 'reset_engagement' }
  | { readonly do: 'assign' | 'request_approval' };

export interface RepDirectory {
  readonly managerOf: (rep: string) => string | undefined;
  readonly backupOf: (rep: string) => string | undefined;
}

export interface ActionEnvironment {
  readonly reps: RepDirectory;
  /** Adds a (business or wall-clock) duration to an instant. */
  readonly addTime: (start: Millis, duration: Duration) => Millis;
}

export interface ActionOutcome {
  readonly effects: Effect[];
  readonly flags: string[];
  /** A `set_stage` action asks for a further move. */
  readonly setStage?: string;
  /** A `reset_engagement` action: the caller resets the contact's engagement to its baseline. */
  readonly resetEngagement?: true;
  /** A `request_approval` action: the deal's terms go to the deal desk. */
  readonly requestApproval?: true;
}

/**
 * What the contact did in the `window` before `at`, from its scoring memory: each engagement
 * signal with its occurrences in the window, the latest first. Sales reads it as context.
 */
export function recentActivity(
  contact: ContactState,
  at: Millis,
  window: Duration,
): { signal: string; count: number; lastAt: string }[] {
  const since = at - wallMinutes(window) * 60_000;
  const rows: { signal: string; count: number; last: Millis }[] = [];
  for (const [signal, memory] of Object.entries(contact.scoring?.signals ?? {})) {
    const times = memory.times.filter((t) => t >= since && t <= at);
    const last = times.at(-1);
    if (last !== undefined) rows.push({ signal, count: times.length, last });
  }
  rows.sort((a, b) => b.last - a.last || (a.signal < b.signal ? -1 : 1));
  return rows.map((r) => ({ signal: r.signal, count: r.count, lastAt: new Date(r.last).toISOString() }));
}

/** Resolves `owner`, `manager`, `backup`, `rep:x`; other recipients (`team:`, `channel:`, `role:`) stay symbolic. */
export function resolveRecipient(recipient: string, contact: ContactState, reps: RepDirectory): string {
  const owner = contact.owner;
  switch (recipient) {
    case 'owner':
      return owner === undefined ? 'unassigned' : `rep:${owner}`;
    case 'manager': {
      const manager = owner === undefined ? undefined : reps.managerOf(owner);
      return manager === undefined ? 'unassigned' : `rep:${manager}`;
    }
    case 'backup': {
      const backup = owner === undefined ? undefined : reps.backupOf(owner);
      return backup === undefined ? 'unassigned' : `rep:${backup}`;
    }
    default:
      return recipient;
  }
}

/** Fills `{contact.name}`, `{contact.email}`, `{company.name}` and any `{contact.x}` / `{company.x}`. */
export function fillTemplate(text: string, contact: ContactState): string {
  // Fields are read where they are asked for: every stage action fills its texts.
  const own = (attributes: Attributes, field: string): AttributeValue | undefined =>
    Object.hasOwn(attributes, field) ? attributes[field]?.value : undefined;
  return text.replace(/\{(contact|company)\.([a-zA-Z]+)\}/g, (_m, scope: string, field: string) => {
    if (scope === 'contact' && field === 'name') {
      const name = [own(contact.attributes, 'firstName'), own(contact.attributes, 'lastName')]
        .filter((p) => typeof p === 'string')
        .join(' ');
      return name !== '' ? name : (contact.email ?? contact.key);
    }
    if (scope === 'contact' && field === 'email') return contact.email ?? '';
    const value = own(scope === 'contact' ? contact.attributes : contact.companyAttributes, field);
    return value === undefined ? `(no ${scope}.${field})` : String(value);
  });
}

export function stageEntryEffects(
  actions: readonly StageAction[],
  contact: ContactState,
  stage: string,
  enteredAt: Millis,
  env: ActionEnvironment,
  /** What the effects' keys start from (default `<contact key>:<stage>:<entered at>`; deals pass their own). */
  keyBase?: string,
): ActionOutcome {
  const effects: Effect[] = [];
  const flags: string[] = [];
  let setStage: string | undefined;
  let resetEngagement = false;
  let requestApproval = false;
  const base = keyBase ?? `${contact.key}:${stage}:${enteredAt}`;
  actions.forEach((action, index) => {
    const key = `${base}:${index}`;
    switch (action.do) {
      case 'notify': {
        const recipients = typeof action.to === 'string' ? [action.to] : action.to;
        recipients.forEach((to, r) => {
          const payload: JsonObject = {
            to: resolveRecipient(to, contact, env.reps),
            recipient: to,
            message: fillTemplate(action.message, contact),
            urgent: action.urgent,
            stage,
          };
          effects.push({
            kind: 'outbox',
            key: `notify:${key}:${r}`,
            type: 'notify',
            contactKey: contact.key,
            at: enteredAt,
            payload,
          });
        });
        break;
      }
      case 'create_task': {
        const dueAt = env.addTime(enteredAt, action.due);
        const taskKey = `task:${key}`;
        const assignee = resolveRecipient(action.assignee, contact, env.reps);
        const title = fillTemplate(action.title, contact);
        effects.push({
          kind: 'task',
          key: taskKey,
          contactKey: contact.key,
          title,
          assignee,
          dueAt,
          createdAt: enteredAt,
          status: 'open',
        });
        effects.push({
          kind: 'timer',
          key: `task-due:${taskKey}`,
          dueAt,
          contactKey: contact.key,
          payload: { kind: 'task_due', task: taskKey, title, assignee },
        });
        break;
      }
      case 'sequence':
        effects.push({
          kind: 'outbox',
          key: `sequence:${key}`,
          type: 'sequence',
          contactKey: contact.key,
          at: enteredAt,
          payload: { op: action.op, sequence: action.sequence, stage },
        });
        break;
      case 'webhook':
        effects.push({
          kind: 'outbox',
          key: `webhook:${key}`,
          type: 'webhook',
          contactKey: contact.key,
          at: enteredAt,
          payload: {
            channel: action.channel,
            stage,
            ...(action.payload === undefined ? {} : { body: action.payload }),
          },
        });
        break;
      case 'set_flag':
        flags.push(action.flag);
        break;
      case 'set_stage':
        setStage = action.stage;
        break;
      case 'reset_engagement':
        resetEngagement = true;
        break;
      case 'log_activity': {
        const activity = recentActivity(contact, enteredAt, action.window);
        // A CRM timeline entry for the owner to read, not a message to send: no `to`.
        const payload: { [key: string]: JsonValue } = {
          owner: resolveRecipient('owner', contact, env.reps),
          stage,
          window: action.window.source,
          activity,
        };
        if (contact.lastActivityAt !== undefined)
          payload['lastActivityAt'] = new Date(contact.lastActivityAt).toISOString();
        if (contact.score !== undefined)
          payload['score'] = {
            fit: contact.score.fit,
            engagement: contact.score.engagement,
            total: contact.score.total,
          };
        effects.push({
          kind: 'outbox',
          key: `activity:${key}`,
          type: 'activity_context',
          contactKey: contact.key,
          at: enteredAt,
          payload,
        });
        break;
      }
      case 'request_approval':
        // Deal stages only: the pipeline asks the deal desk (core/pipeline/decide.ts).
        requestApproval = true;
        break;
      default:
        // assign: customer-success assignment is the pipeline's closed-won handoff.
        break;
    }
  });
  const outcome: Building<ActionOutcome> = { effects, flags };
  if (setStage !== undefined) outcome.setStage = setStage;
  if (resetEngagement) outcome.resetEngagement = true;
  if (requestApproval) outcome.requestApproval = true;
  return outcome as ActionOutcome;
}
