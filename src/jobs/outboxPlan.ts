/**
 * Where each outbox row goes, from the config and the environment. Two kinds of destination:
 *
 * - subscriptions in `delivery` — webhooks and Slack webhooks taking the effect types they list,
 *   and email to each row's recipients (reps, a team's manager, a role) for the types it lists;
 * - the notification channels of `notifications.channels`, for rows addressed to them
 *   (`to: channel:<id>`, or a lifecycle `webhook` action's `channel`).
 *
 * A `delivery` destination whose URL or secret variable is unset is still a target, and the row
 * goes dead naming the variable (set it, then `revops outbox retry`); a notification channel
 * without its URL is simply not a destination (the templates ship channels to fill in later).
 */
import type { RevopsConfig } from '../config/schema/index.ts';
import { ALERT_TYPES } from '../config/schema/delivery.ts';
import type { OutboxRow } from '../core/ports.ts';
import type { SmtpSettings } from './deliver/email.ts';
import type { Person } from './deliver/message.ts';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Destination {
  /** `webhook:<id>`, `slack:<id>`, `email` or `channel:<id>`: recorded in `deliveredTo`. */
  readonly id: string;
  readonly kind: 'webhook' | 'slack' | 'email';
  /** The effect types a subscription takes (`'*'`: all); absent on notification channels. */
  readonly types?: ReadonlySet<string> | '*';
  readonly url?: string;
  readonly secret?: string;
  /** A notification channel's own email recipients. */
  readonly to?: readonly string[];
  /** Why it cannot send (an environment variable not set); the row goes dead with it. */
  readonly problem?: string;
}

export interface DeliveryPlan {
  readonly subscriptions: readonly Destination[];
  readonly channels: ReadonlyMap<string, Destination>;
  /** Channels that exist but cannot be used, with why. */
  readonly unusableChannels: ReadonlyMap<string, string>;
  readonly smtp?: SmtpSettings;
  readonly smtpProblem?: string;
  readonly allowPrivate: readonly string[];
  readonly people: ReadonlyMap<string, Person>;
  readonly config: RevopsConfig;
}

/** One destination a row goes to; `emails` for email. */
export interface Target {
  readonly destination: Destination;
  readonly emails?: readonly string[];
}

const typeSet = (types: readonly string[]): ReadonlySet<string> | '*' =>
  types.includes('*') ? '*' : new Set(types);

function fromEnv(env: Env, name: string, what: string): { value?: string; problem?: string } {
  const value = env[name];
  return value === undefined || value === '' ? { problem: `${name} is not set (${what})` } : { value };
}

/** The URL and secret of a destination, or what is missing. */
function endpoint(
  env: Env,
  where: string,
  spec: {
    readonly url?: string | undefined;
    readonly urlEnv?: string | undefined;
    readonly secretEnv?: string | undefined;
  },
): { url?: string; secret?: string; problem?: string } {
  const url =
    spec.url !== undefined ? { value: spec.url } : fromEnv(env, spec.urlEnv ?? '', `${where}.urlEnv`);
  const secret = spec.secretEnv === undefined ? {} : fromEnv(env, spec.secretEnv, `${where}.secretEnv`);
  const problems = [url.problem, secret.problem].filter((p): p is string => p !== undefined);
  return Object.assign(
    {},
    url.value === undefined ? {} : { url: url.value },
    secret.value === undefined ? {} : { secret: secret.value },
    problems.length === 0 ? {} : { problem: problems.join('; ') },
  );
}

/** The plan for `config` with `env`; undefined when the config has no `delivery` section. */
export function deliveryPlan(config: RevopsConfig, env: Env): DeliveryPlan | undefined {
  const delivery = config.delivery;
  if (delivery === undefined) return undefined;
  const subscriptions: Destination[] = [];
  delivery.webhooks.forEach((w, i) =>
    subscriptions.push(
      Object.assign(
        { id: `webhook:${w.id}`, kind: 'webhook' as const, types: typeSet(w.types) },
        endpoint(env, `delivery.webhooks[${i}]`, w),
      ),
    ),
  );
  delivery.slack.forEach((s, i) =>
    subscriptions.push(
      Object.assign(
        { id: `slack:${s.id}`, kind: 'slack' as const, types: typeSet(s.types ?? ALERT_TYPES) },
        endpoint(env, `delivery.slack[${i}]`, s),
      ),
    ),
  );
  let smtp: SmtpSettings | undefined;
  let smtpProblem: string | undefined;
  const email = delivery.email;
  if (email !== undefined) {
    const host =
      email.host !== undefined
        ? { value: email.host }
        : fromEnv(env, email.hostEnv ?? '', 'delivery.email.hostEnv');
    const user = email.userEnv === undefined ? {} : fromEnv(env, email.userEnv, 'delivery.email.userEnv');
    const password =
      email.passwordEnv === undefined ? {} : fromEnv(env, email.passwordEnv, 'delivery.email.passwordEnv');
    const problems = [host.problem, user.problem, password.problem].filter(
      (p): p is string => p !== undefined,
    );
    if (problems.length > 0) smtpProblem = problems.join('; ');
    else
      smtp = Object.assign(
        { host: host.value ?? '', port: email.port, secure: email.secure, from: email.from },
        user.value === undefined ? {} : { user: user.value },
        password.value === undefined ? {} : { password: password.value },
      );
    subscriptions.push(
      Object.assign(
        { id: 'email', kind: 'email' as const, types: typeSet(email.types ?? ALERT_TYPES) },
        smtpProblem === undefined ? {} : { problem: smtpProblem },
      ),
    );
  }
  const channels = new Map<string, Destination>();
  const unusableChannels = new Map<string, string>();
  config.notifications.channels.forEach((c, i) => {
    const id = `channel:${c.id}`;
    if (c.kind === 'email') {
      if (c.to === undefined || c.to.length === 0)
        unusableChannels.set(c.id, `channel ${c.id} lists no \`to\` addresses`);
      else if (email === undefined)
        unusableChannels.set(c.id, `channel ${c.id} is email, and delivery.email is not configured`);
      else channels.set(c.id, { id, kind: 'email', to: c.to });
      return;
    }
    const found = endpoint(env, `notifications.channels[${i}]`, c);
    if (found.url === undefined)
      unusableChannels.set(c.id, `channel ${c.id} has no URL: ${found.problem ?? ''}`);
    else channels.set(c.id, Object.assign({ id, kind: c.kind }, found));
  });
  const people = new Map<string, Person>(
    config.team.reps.map((r) => [
      r.id,
      Object.assign(
        { id: r.id, name: r.name, email: r.email },
        r.slack === undefined ? {} : { slack: r.slack },
      ),
    ]),
  );
  return Object.assign(
    {
      subscriptions,
      channels,
      unusableChannels,
      allowPrivate: [...delivery.allowPrivate, ...config.notifications.allowPrivateDestinations],
      people,
      config,
    },
    smtp === undefined ? {} : { smtp },
    smtpProblem === undefined ? {} : { smtpProblem },
  );
}

/**
 * Whom a row is for: its payload's `to` (one recipient or a list), a lifecycle webhook's channel,
 * else the lead's owner.
 */
export function recipientsOf(row: OutboxRow, owner: string | undefined): string[] {
  const to = row.payload['to'];
  const listed =
    typeof to === 'string'
      ? [to]
      : Array.isArray(to)
        ? to.filter((t): t is string => typeof t === 'string')
        : [];
  const channel = row.payload['channel'];
  if (row.type === 'webhook' && typeof channel === 'string') listed.push(`channel:${channel}`);
  if (listed.length === 0 && owner !== undefined) listed.push(`rep:${owner}`);
  return listed;
}

/** Email addresses for recipients: reps (unless reps get Slack only), teams, queues' teams, roles. */
export function emailsOf(recipients: readonly string[], config: RevopsConfig): string[] {
  const reps = new Map(config.team.reps.map((r) => [r.id, r]));
  const teams = new Map(config.team.teams.map((t) => [t.id, t]));
  const queues = new Map(config.team.queues.map((q) => [q.id, q]));
  const toReps = config.notifications.repDelivery !== 'slack';
  const out = new Set<string>();
  const ofRep = (id: string | undefined) => {
    const email = id === undefined ? undefined : reps.get(id)?.email;
    if (email !== undefined) out.add(email);
  };
  const ofTeam = (id: string | undefined) => {
    const team = id === undefined ? undefined : teams.get(id);
    if (team === undefined) return;
    if (team.manager !== undefined) ofRep(team.manager);
    else team.members.forEach(ofRep);
  };
  for (const recipient of recipients) {
    const cut = recipient.indexOf(':');
    const kind = cut < 0 ? recipient : recipient.slice(0, cut);
    const ref = cut < 0 ? '' : recipient.slice(cut + 1);
    if (kind === 'rep' && toReps) ofRep(ref);
    else if (kind === 'team') ofTeam(ref);
    else if (kind === 'queue') ofTeam(queues.get(ref)?.team);
    else if (kind === 'role')
      config.team.reps.filter((r) => r.role === ref && r.active).forEach((r) => ofRep(r.id));
  }
  return [...out];
}

const takes = (destination: Destination, type: string) =>
  destination.types === '*' || (destination.types !== undefined && destination.types.has(type));

/**
 * The targets of `row`, and when there are none, why (for `skipped`). `owner`: the lead's owner,
 * the recipient of rows that name none.
 */
export function targetsOf(
  row: OutboxRow,
  plan: DeliveryPlan,
  owner: string | undefined,
): { targets: Target[]; why: string } {
  const recipients = recipientsOf(row, owner);
  const targets: Target[] = [];
  const notes: string[] = [];
  for (const destination of plan.subscriptions) {
    if (!takes(destination, row.type)) continue;
    if (destination.kind !== 'email') {
      targets.push({ destination });
      continue;
    }
    const emails = emailsOf(
      recipients.filter((r) => !r.startsWith('channel:')),
      plan.config,
    );
    if (emails.length > 0) targets.push({ destination, emails });
    else
      notes.push(
        `email: no recipient with an address among ${recipients.length === 0 ? '(none)' : recipients.join(', ')}`,
      );
  }
  for (const recipient of recipients) {
    if (!recipient.startsWith('channel:')) continue;
    const id = recipient.slice(8);
    const channel = plan.channels.get(id);
    if (channel === undefined) {
      notes.push(plan.unusableChannels.get(id) ?? `channel ${id} is not in notifications.channels`);
      continue;
    }
    if (targets.some((t) => t.destination.id === channel.id)) continue;
    targets.push(
      channel.kind === 'email'
        ? { destination: channel, emails: channel.to ?? [] }
        : { destination: channel },
    );
  }
  return { targets, why: notes.length > 0 ? notes.join('; ') : `no destination takes \`${row.type}\`` };
}
