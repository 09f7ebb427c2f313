/**
 * Plain-words descriptions shared by the documents: who a recipient is, what an action does,
 * what starts and stops an SLA clock, what an escalation step does and when an automation runs.
 * Names come from the config (rep, team, queue, stage names), never ids alone.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { formatDuration, formatWithin, joinAnd } from './format.ts';
import { code, text } from './markdown.ts';

export type Action = RevopsConfig['lifecycle']['stages'][number]['onEntry'][number];
export type Clock = RevopsConfig['sla']['clocks'][number];
export type ClockStart = Clock['start'];
export type ClockStop = Clock['stop'][number];
export type EscalationStep = Clock['escalation'][number];
export type Automation = RevopsConfig['automations'][number];
export type Trigger = Automation['trigger'];

export function repName(config: RevopsConfig, id: string): string {
  return text(config.team.reps.find((r) => r.id === id)?.name ?? id);
}

export function teamName(config: RevopsConfig, id: string): string {
  return text(config.team.teams.find((t) => t.id === id)?.name ?? id);
}

/** `the SDR team`, `the Account executives team`. */
export function teamPhrase(config: RevopsConfig, id: string): string {
  const name = teamName(config, id);
  return /\bteam$/i.test(name) ? `the ${name}` : `the ${name} team`;
}

export function queueName(config: RevopsConfig, id: string): string {
  return text(config.team.queues.find((q) => q.id === id)?.name ?? id);
}

export function stageName(config: RevopsConfig, id: string): string {
  return text(config.lifecycle.stages.find((s) => s.id === id)?.name ?? id);
}

export function dealStageName(config: RevopsConfig, id: string): string {
  const stage = config.pipeline.pipelines.flatMap((p) => p.stages).find((s) => s.id === id);
  return text(stage?.name ?? id);
}

function channelName(config: RevopsConfig, id: string): string {
  const channel = config.notifications.channels.find((c) => c.id === id);
  const kind = channel?.kind === 'slack' ? 'Slack' : channel?.kind === 'email' ? 'email' : 'webhook';
  return `the ${code(id)} ${kind} channel`;
}

/** `the owner`, `Maya Chen`, `the SDR team team`, `reps with the role finance (Finn Hale)`. */
export function describeRecipient(config: RevopsConfig, recipient: string): string {
  const [kind, ref = ''] = recipient.includes(':')
    ? (recipient.split(':') as [string, string])
    : [recipient, ''];
  switch (kind) {
    case 'owner':
      return 'the owner';
    case 'backup':
      return "the owner's backup";
    case 'manager':
      return "the owner's manager";
    case 'previous_owner':
      return 'the previous owner';
    case 'cs_owner':
      return 'the customer success owner';
    case 'rep':
      return repName(config, ref);
    case 'team':
      return teamPhrase(config, ref);
    case 'queue':
      return `the ${queueName(config, ref)} queue`;
    case 'channel':
      return channelName(config, ref);
    case 'role': {
      const role = ROLE_NAMES[ref as keyof typeof ROLE_NAMES] ?? text(ref);
      const names = config.team.reps.filter((r) => r.role === ref && r.active).map((r) => text(r.name));
      if (names.length === 1) return `${names[0] ?? ''} (${role})`;
      return names.length > 0 ? `the ${role} role (${joinAnd(names)})` : `the ${role} role`;
    }
    default:
      return text(recipient);
  }
}

function recipients(config: RevopsConfig, to: string | readonly string[]): string {
  return joinAnd((typeof to === 'string' ? [to] : to).map((r) => describeRecipient(config, r)));
}

/** One action in words. */
export function describeAction(config: RevopsConfig, action: Action): string {
  switch (action.do) {
    case 'notify':
      return `${action.urgent ? 'Urgent alert' : 'Alert'} to ${recipients(config, action.to)}: “${text(action.message)}”`;
    case 'create_task':
      return `Task “${text(action.title)}” for ${describeRecipient(config, action.assignee)}, due ${formatWithin(action.due)}`;
    case 'assign': {
      const scope = action.team !== undefined ? ` within ${teamPhrase(config, action.team)}` : '';
      return action.via === 'reassign'
        ? `Reassign to another rep${scope} (never the current owner)`
        : `Assign an owner through the routing rules${scope}`;
    }
    case 'set_stage':
      return `Move the contact to ${stageName(config, action.stage)}`;
    case 'sequence':
      return `${SEQUENCE_VERBS[action.op]} sequence “${text(action.sequence)}”`;
    case 'reset_engagement':
      return 'Reset the engagement score (fit is kept)';
    case 'set_flag':
      return `Set the flag ${code(action.flag)}`;
    case 'log_activity':
      return `Send the owner a summary of the last ${formatDuration(action.window)} of activity`;
    case 'request_approval':
      return 'Request deal desk approval (see the approval tiers)';
    case 'webhook':
      return `Send a webhook to ${channelName(config, action.channel)}${action.payload !== undefined ? ` with ${code(action.payload)}` : ''}`;
  }
}

const SEQUENCE_VERBS = {
  enroll: 'Enroll in',
  suppress: 'Suppress from',
  pause: 'Pause',
  resume: 'Resume',
  stop: 'Stop',
} as const;

/** What starts a clock. */
export function describeStart(config: RevopsConfig, start: ClockStart): string {
  if ('stage' in start) return `the lead enters ${stageName(config, start.stage)}`;
  if ('dealStage' in start) return `a deal enters ${dealStageName(config, start.dealStage)}`;
  if ('assigned' in start) return 'the lead is assigned an owner';
  return `a ${code(start.event)} event arrives${start.when !== undefined ? ` where ${code(start.when.source)}` : ''}`;
}

const STOP_WORDS = {
  touch: 'a rep touches the lead (call, email, meeting or note)',
  meeting_booked: 'a meeting is booked',
  meeting_held: 'a meeting is held',
  sales_decision: 'sales accepts or rejects the lead',
  stage_exit: 'the lead leaves the stage',
  deal_created: 'a deal is created',
} as const;

/** What stops a clock. */
export function describeStop(config: RevopsConfig, stop: ClockStop): string {
  if (typeof stop === 'string') return STOP_WORDS[stop];
  if ('stage' in stop) return `the lead reaches ${stageName(config, stop.stage)}`;
  if ('dealStage' in stop) return `the deal reaches ${dealStageName(config, stop.dealStage)}`;
  return `a ${code(stop.event)} event arrives${stop.when !== undefined ? ` where ${code(stop.when.source)}` : ''}`;
}

export function describeStops(config: RevopsConfig, clock: Clock): string {
  return joinAnd(
    clock.stop.map((s) => describeStop(config, s)),
    'or',
  );
}

/** One rung of an escalation ladder. */
export function describeEscalation(config: RevopsConfig, step: EscalationStep): string {
  const message = step.message !== undefined ? `: “${text(step.message)}”` : '';
  switch (step.action) {
    case 'notify_rep':
      return `Alert the owner${message}`;
    case 'notify_backup':
      return `Alert the owner's backup rep${message}`;
    case 'notify_manager':
      return `Alert the owner's manager${message}`;
    case 'notify_channel':
      return `Post to ${step.channel !== undefined ? channelName(config, step.channel) : 'the team channel'}${message}`;
    case 'reassign':
      return `Reassign the lead to the next available rep${message}`;
    case 'flag':
      return `Raise the flag ${code(step.flag ?? 'sla_breached')}${message}`;
  }
}

/** When an automation runs. */
export function describeTrigger(config: RevopsConfig, trigger: Trigger): string {
  switch (trigger.on) {
    case 'event':
      return `a ${code(trigger.event)} event${trigger.when !== undefined ? ` where ${code(trigger.when.source)}` : ''}`;
    case 'stage_entered':
      return `the lead enters ${stageName(config, trigger.stage)}`;
    case 'score_crossed': {
      const threshold = trigger.threshold ?? config.scoring.threshold;
      return `the score crosses ${threshold} ${trigger.direction === 'up' ? 'upwards' : 'downwards'}`;
    }
    case 'sla_breached': {
      const clock = config.sla.clocks.find((c) => c.id === trigger.clock);
      return `the “${text(clock?.name ?? trigger.clock)}” SLA is breached`;
    }
    case 'deal_stage':
      return `a deal enters ${dealStageName(config, trigger.stage)}`;
    case 'schedule': {
      const day = trigger.weekday !== undefined ? ` on ${trigger.weekday}` : '';
      return `every ${trigger.every}${day}${trigger.at !== undefined ? ` at ${trigger.at}` : ''} (${config.calendar.timezone ?? config.company.timezone})`;
    }
    case 'no_show':
      return `a booked meeting passes with nothing logged for ${formatDuration(trigger.after)}`;
    case 'dormant_returns':
      return `a lead quiet for ${formatDuration(trigger.after)} comes back`;
  }
}

/** Rep roles as people say them. */
export const ROLE_NAMES = {
  sdr: 'SDR',
  bdr: 'BDR',
  ae: 'AE',
  am: 'Account manager',
  cs: 'Customer success',
  manager: 'Manager',
  vp_sales: 'VP Sales',
  deal_desk: 'Deal desk',
  finance: 'Finance',
  legal: 'Legal',
  marketing: 'Marketing',
  sales_ops: 'Sales ops',
} as const;
