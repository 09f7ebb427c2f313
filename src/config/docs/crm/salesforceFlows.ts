/**
 * Salesforce wording shared by the setup sections: where each lifecycle stage lives (Lead Status
 * before conversion, a lifecycle field on Lead and Contact), actions as Flow elements, SLA clocks
 * as scheduled paths, and deal fields as API names.
 */
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
import type { FormulaKind } from './celFilter.ts';
import { backupPairs, customField, ownerManagers } from './shared.ts';

type Stage = RevopsConfig['lifecycle']['stages'][number];

const CONTACT_STAGE_IDS = new Set(['opportunity', 'customer', 'evangelist']);
const CONTACT_OWNERS = new Set(['ae', 'cs', 'cs_and_marketing']);

/** True when the stage lives on the Contact (after lead conversion) rather than the Lead. */
export function isContactStage(stage: Stage): boolean {
  return CONTACT_STAGE_IDS.has(stage.id) || CONTACT_OWNERS.has(stage.owner);
}

/** The picklist value for a stage: its name as written. */
export function stageValue(config: RevopsConfig, id: string): string {
  return text(config.lifecycle.stages.find((s) => s.id === id)?.name ?? id);
}

/** An action as a Flow element. */
export function salesforceAction(config: RevopsConfig, action: Action): string {
  switch (action.do) {
    case 'notify': {
      const to = (Array.isArray(action.to) ? action.to : [action.to]) as readonly string[];
      return `Send Custom Notification${action.urgent ? ' and an email alert' : ''} to ${joinAnd(to.map((r) => describeRecipient(config, r)))}: “${text(action.message)}”`;
    }
    case 'create_task':
      return `Create Records: Task “${text(action.title)}” for ${describeRecipient(config, action.assignee)}, due in ${formatDuration(action.due)} (ActivityDate plus a reminder)`;
    case 'assign':
      return action.via === 'reassign'
        ? 'Reassign through the routing flow, leaving out the current owner'
        : `Assign the owner with the lead assignment rule${action.team !== undefined ? `, limited to ${teamPhrase(config, action.team)}` : ''} (see the routing rules document)`;
    case 'set_stage':
      return `Update Records: ${code('Lifecycle_Stage__c')} = “${stageValue(config, action.stage)}”`;
    case 'sequence':
      return action.op === 'enroll' || action.op === 'resume'
        ? `Assign Target to Sales Cadence “${text(action.sequence)}”`
        : `Remove Target from Sales Cadence (or marketing program) “${text(action.sequence)}”`;
    case 'reset_engagement':
      return `Update Records: ${code('Engagement_Score__c')} = 0`;
    case 'set_flag':
      return `Update Records: ${code(customField(action.flag))} = true`;
    case 'log_activity':
      return `Add the last ${formatDuration(action.window)} of activity to the email alert (activity history)`;
    case 'request_approval':
      return 'Submit for Approval (see “Approval processes”)';
    case 'webhook':
      return `HTTP callout to the ${code(action.channel)} endpoint`;
  }
}

function stopCheck(config: RevopsConfig, clock: Clock): string {
  return joinAnd(
    clock.stop.map((stop) => {
      if (stop === 'touch') return `${code('First_Touch_At__c')} is blank`;
      if (stop === 'meeting_booked') return `${code('Meeting_Booked__c')} is false`;
      if (stop === 'meeting_held') return 'no completed meeting (Event) is logged';
      if (stop === 'sales_decision') return `${code('Rejection_Reason__c')} is blank`;
      if (stop === 'deal_created') return 'no opportunity exists';
      if (stop === 'stage_exit') return `${code('Lifecycle_Stage__c')} is unchanged`;
      if ('stage' in stop)
        return `${code('Lifecycle_Stage__c')} is not yet “${stageValue(config, stop.stage)}”`;
      return `nothing shows that ${describeStop(config, stop)}`;
    }),
  );
}

function escalation(config: RevopsConfig, step: EscalationStep): string {
  const message = step.message !== undefined ? `: “${text(step.message)}”` : '';
  switch (step.action) {
    case 'notify_rep':
      return `Send Custom Notification to the owner${message}`;
    case 'notify_backup':
      return `Send Custom Notification to the owner's backup, a ${code('Backup__c')} user lookup (${backupPairs(config)})${message}`;
    case 'notify_manager': {
      const m = ownerManagers(config);
      return `Send Custom Notification to the owner's manager (${m.single ?? (m.pairs || 'the Manager field')})${message}`;
    }
    case 'notify_channel':
      return `Send a Slack message to ${code(step.channel ?? 'the team channel')}${message}`;
    case 'reassign':
      return 'Reassign through the routing flow, leaving out the current owner, with an urgent task for the new owner';
    case 'flag':
      return `Update Records: ${code(customField(step.flag ?? 'sla_breached'))} = true`;
  }
}

/** A clock as scheduled paths on a record-triggered flow. */
export function salesforceClock(config: RevopsConfig, clock: Clock, anchor: string): string {
  const steps = clock.escalation.map(
    (step) =>
      `Scheduled path ${formatDuration(step.after)} after ${code(anchor)}. Decision: ${stopCheck(config, clock)}. Then: ${escalation(config, step)}`,
  );
  if (steps.length === 0)
    steps.push(
      `Scheduled path ${formatDuration(clock.target)} after ${code(anchor)}. Decision: ${stopCheck(config, clock)}. Then: Update Records: ${code(customField(`${clock.id}_breached`))} = true.`,
    );
  const business = clock.target.business || clock.escalation.some((s) => s.after.business);
  return blocks(
    `**${text(clock.name)}** (target ${formatDuration(clock.target)}):`,
    numbered(steps),
    business &&
      `Scheduled paths count calendar time. For business-time steps, compute the due time with the org's Business Hours (${describeCalendar(config)}) in an invocable action, and use that field as the anchor.`,
  );
}

/** Deal fields: [API name, kind] of the built-in ones. */
const DEAL_FIELDS: Readonly<Record<string, readonly [string, FormulaKind | 'lookup']>> = {
  name: ['Name', 'text'],
  account: ['AccountId', 'lookup'],
  owner: ['OwnerId', 'lookup'],
  amount: ['Amount', 'number'],
  currency: ['CurrencyIsoCode', 'picklist'],
  closeDate: ['CloseDate', 'number'],
  source: ['LeadSource', 'picklist'],
  fitScore: ['Fit_Score__c', 'number'],
  lossReason: ['Loss_Reason__c', 'picklist'],
  competitor: ['Competitor__c', 'text'],
  signedContract: ['Signed_Contract__c', 'checkbox'],
  paymentTerms: ['Payment_Terms__c', 'picklist'],
  discountPercent: ['Discount_Percent__c', 'number'],
  termMonths: ['Term_Months__c', 'number'],
};

/** The API name of a deal field. */
export function dealFieldApi(id: string): string {
  return DEAL_FIELDS[id]?.[0] ?? customField(id);
}

/** A formula that is true when the deal field is empty; undefined for contact roles. */
export function blankCheck(config: RevopsConfig, id: string): string | undefined {
  if (id === 'contacts') return undefined;
  const declared = config.pipeline.fields.find((f) => f.id === id);
  const kind =
    DEAL_FIELDS[id]?.[1] ??
    (declared?.type === 'boolean'
      ? 'checkbox'
      : declared?.type === 'list' && declared.options !== undefined
        ? 'picklist'
        : 'text');
  const api = dealFieldApi(id);
  if (kind === 'checkbox') return `NOT(${api})`;
  if (kind === 'picklist') return `ISPICKVAL(${api}, "")`;
  return `ISBLANK(${api})`;
}
