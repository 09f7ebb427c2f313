/** HubSpot wording shared by the setup sections: lifecycle stage values, workflow actions and SLA workflows. */
import type { RevopsConfig } from '../../schema/index.ts';
import { describeCalendar } from '../common.ts';
import {
  describeRecipient,
  describeStop,
  teamPhrase,
  type Action,
  type Clock,
  type EscalationStep,
} from '../describe.ts';
import { formatDuration, joinAnd } from '../format.ts';
import { blocks, code, numbered, text } from '../markdown.ts';
import { backupPairs, delayBetween, ownerManagers } from './shared.ts';

export const HUBSPOT_STAGES: Readonly<Record<string, string>> = {
  subscriber: 'Subscriber',
  lead: 'Lead',
  mql: 'Marketing Qualified Lead',
  sql: 'Sales Qualified Lead',
  opportunity: 'Opportunity',
  customer: 'Customer',
  evangelist: 'Evangelist',
};

/** The HubSpot lifecycle stage value for one of our stages (a custom stage when HubSpot has none). */
export function hubspotStage(config: RevopsConfig, id: string): string {
  return HUBSPOT_STAGES[id] ?? text(config.lifecycle.stages.find((s) => s.id === id)?.name ?? id);
}

/** An action as a HubSpot workflow action. */
export function hubspotAction(config: RevopsConfig, action: Action): string {
  switch (action.do) {
    case 'notify': {
      const to = (Array.isArray(action.to) ? action.to : [action.to]) as readonly string[];
      const slack = action.urgent ? ', plus a Slack notification through the HubSpot Slack app' : '';
      return `Send internal notification to ${joinAnd(to.map((r) => describeRecipient(config, r)))}: “${text(action.message)}”${slack}`;
    }
    case 'create_task':
      return `Create task “${text(action.title)}”, assigned to ${describeRecipient(config, action.assignee)}, due in ${formatDuration(action.due)}`;
    case 'assign':
      return action.via === 'reassign'
        ? 'Rotate record to owner among the team, leaving out the current owner'
        : `Assign the owner with the routing workflow${action.team !== undefined ? `, limited to ${teamPhrase(config, action.team)}` : ''} (see the routing rules document)`;
    case 'set_stage':
      return `Set lifecycle stage to “${hubspotStage(config, action.stage)}” (clear the property first when moving backwards)`;
    case 'sequence':
      return action.op === 'enroll' || action.op === 'resume'
        ? `Enroll in sequence “${text(action.sequence)}”`
        : `Unenroll from “${text(action.sequence)}” (sequence or nurture workflow)`;
    case 'reset_engagement':
      return 'Set “Engagement score” to 0';
    case 'set_flag':
      return `Set the checkbox property ${code(action.flag)} to Yes`;
    case 'log_activity':
      return `Include the last ${formatDuration(action.window)} of page views, form fills and email clicks in the owner notification`;
    case 'request_approval':
      return 'Create the deal desk approval tasks (see “Deal desk”)';
    case 'webhook':
      return `Send a webhook to the ${code(action.channel)} endpoint`;
  }
}

function hubspotStopCheck(config: RevopsConfig, clock: Clock): string {
  return joinAnd(
    clock.stop.map((stop) => {
      if (stop === 'touch') return '“Last contacted” is still unknown';
      if (stop === 'meeting_booked') return '“Last meeting booked” is still unknown';
      if (stop === 'sales_decision') return '“Sales rejection reason” is unknown';
      if (stop === 'meeting_held') return 'no meeting has been logged as held';
      if (stop === 'deal_created') return '“Number of associated deals” is 0';
      if (stop === 'stage_exit') return 'the lifecycle stage is unchanged';
      if (typeof stop !== 'string' && 'stage' in stop)
        return `lifecycle stage is not yet “${hubspotStage(config, stop.stage)}”`;
      return `nothing shows that ${describeStop(config, stop)}`;
    }),
  );
}

function hubspotEscalation(config: RevopsConfig, step: EscalationStep): string {
  const message = step.message !== undefined ? `: “${text(step.message)}”` : '';
  switch (step.action) {
    case 'notify_rep':
      return `send internal notification to the contact owner${message}`;
    case 'notify_backup':
      return `branch on contact owner and notify their backup (${backupPairs(config)})${message}`;
    case 'notify_manager': {
      const m = ownerManagers(config);
      if (m.single !== undefined) return `send internal notification to ${m.single}${message}`;
      return `branch on contact owner and notify their manager (${m.pairs || 'set managers in the config'})${message}`;
    }
    case 'notify_channel':
      return `send a Slack notification to ${code(step.channel ?? 'the team channel')}${message}`;
    case 'reassign':
      return 'rotate record to owner among the team, leaving out the current owner, and create an urgent task for the new owner';
    case 'flag':
      return `set the checkbox property ${code(step.flag ?? 'sla_breached')} to Yes`;
  }
}

/** A clock as a HubSpot workflow with delays and if/then branches. */
export function hubspotClockWorkflow(config: RevopsConfig, clock: Clock, trigger: string): string {
  const steps: string[] = [];
  let previous: Clock['target'] | undefined;
  for (const step of clock.escalation) {
    steps.push(
      `Delay ${delayBetween(previous, step.after)}; then, if ${hubspotStopCheck(config, clock)}, ${hubspotEscalation(config, step)}`,
    );
    previous = step.after;
  }
  if (steps.length === 0)
    steps.push(
      `Delay ${formatDuration(clock.target)}; then, if ${hubspotStopCheck(config, clock)}, add the contact to the “${text(clock.name)} breached” list.`,
    );
  const business = clock.target.business || clock.escalation.some((s) => s.after.business);
  return blocks(
    `**Workflow “SLA: ${text(clock.name)}”** (target ${formatDuration(clock.target)}). Trigger: ${trigger}. Turn on re-enrollment, so every new entry starts a fresh clock.`,
    numbered(steps),
    business &&
      `HubSpot delays count calendar time. In the workflow settings, limit when actions run to your business hours: ${describeCalendar(config)}.`,
  );
}
