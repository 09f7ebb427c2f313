/**
 * "Setting this up in Salesforce": concrete steps derived from the config. This file holds the
 * entry point and the lifecycle and scoring steps; salesforceSales.ts holds routing, pipeline and
 * metrics, salesforceFlows.ts the wording they share.
 */
import type { RevopsConfig } from '../../schema/index.ts';
import { formatDuration, formatNumber, formatPoints } from '../format.ts';
import { blocks, bullets, code, fence, heading, numbered, table, text } from '../markdown.ts';
import { engagementMaximum, fitMaximum } from '../scoring.ts';
import { clocksForStage } from '../sla.ts';
import { isContactStage, salesforceAction, salesforceClock, stageValue } from './salesforceFlows.ts';
import { salesforcePipeline } from './salesforcePipeline.ts';
import { salesforceMetrics, salesforceRouting } from './salesforceSales.ts';
import {
  allFlags,
  customField,
  eventCriteria,
  engagementSignalTable,
  negativeSignalTable,
  salesforceCriteria,
  salesforceFormula,
  type CrmGuide,
} from './shared.ts';

type Bucket = RevopsConfig['scoring']['fit']['groups'][number]['buckets'][number];

/** The Salesforce setup steps for each document. */
export const SALESFORCE_GUIDE: CrmGuide = {
  name: 'Salesforce',
  sections: {
    'lifecycle-stages': salesforceLifecycle,
    'scoring-specification': salesforceScoring,
    'routing-rules': salesforceRouting,
    'pipeline-configuration': salesforcePipeline,
    'metrics-dashboard': salesforceMetrics,
  },
};

function salesforceLifecycle(config: RevopsConfig): string {
  const { stages, reasonCodes, recycling } = config.lifecycle;
  const leadStages = stages.filter((s) => !isContactStage(s));
  const converting = leadStages.filter((s) =>
    s.next.some((n) => stages.some((x) => x.id === n && isContactStage(x))),
  );
  const flags = allFlags(config);
  const withWork = stages.filter((s) => s.onEntry.length > 0 || clocksForStage(config, s.id).length > 0);
  return blocks(
    heading(3, 'Fields and picklists'),
    bullets([
      `A picklist ${code('Lifecycle_Stage__c')} on both Lead and Contact with the values ${stages.map((s) => `“${text(s.name)}”`).join(', ')}; map the Lead field to the Contact field in lead conversion settings.`,
      `A date/time ${code('Lifecycle_Stage_Date__c')} set whenever the stage changes, and ${code('First_Touch_At__c')} set by the first logged call, email or meeting.`,
      `A picklist ${code('Rejection_Reason__c')} with the values ${reasonCodes.map((rc) => `“${rc.code} ${text(rc.reason)}”`).join(', ')}.`,
      `Dates ${code('MQL_Date__c')} and ${code('Recycle_Date__c')}; checkboxes ${flags.map((f) => code(customField(f))).join(', ')}.`,
      `Lead Status values, one per stage before conversion: ${leadStages.map((s) => `“${text(s.name)}”`).join(', ')}.` +
        (converting.length > 0
          ? ` Mark “${text(converting[0]?.name ?? '')}” as the converted status: a lead is converted to a contact and an opportunity when it moves on.`
          : ''),
    ]),
    heading(3, 'Record-triggered flows per stage'),
    'One after-save flow per stage, on the object that holds the contact at that point, triggered when the lifecycle field changes to the stage. Set the stage date first, then the elements below.',
    withWork.map((s) => {
      const object = isContactStage(s) ? 'Contact' : 'Lead';
      const clocks = clocksForStage(config, s.id);
      return blocks(
        `**Flow “Lifecycle: ${text(s.name)}”** on ${object}: ${code('Lifecycle_Stage__c')} is changed to “${stageValue(config, s.id)}”.`,
        s.onEntry.length > 0 && numbered(s.onEntry.map((a) => salesforceAction(config, a))),
        clocks.map((c) => salesforceClock(config, c, 'Lifecycle_Stage_Date__c')),
      );
    }),
    heading(3, 'Rejection and recycling flow'),
    `**Flow “Recycling”** on Lead: ${code('Rejection_Reason__c')} is changed and not blank. Set ${code('Recycle_Date__c')} to today, then a Decision on the reason:`,
    table(
      ['Reason', 'Outcome'],
      reasonCodes.map((rc) => [
        `${code(rc.code)} ${text(rc.reason)}`,
        rc.action === 'archive'
          ? `Lead Status “${text(stages.find((s) => s.id === 'disqualified')?.name ?? 'Disqualified')}”; remove from every cadence`
          : `${recycling.resetEngagement ? `${code('Engagement_Score__c')} = 0; ` : ''}${code('Lifecycle_Stage__c')} = “${stageValue(config, recycling.stage)}”; ${
              rc.action === 'recycle' && rc.after !== undefined
                ? `scheduled path ${formatDuration(rc.after)} later: `
                : ''
            }add to “${text(recycling.nurtureSequence)}”`,
      ]),
    ),
    `Leads that qualify again get ${code(customField(recycling.flag))} = true; recycled leads with no engagement for ${formatDuration(recycling.archiveAfter)} are archived by a scheduled flow.`,
  );
}

/** `MAX(IF(cond, 15, 0), IF(cond, 5, 0))` for a group; undefined when a bucket does not translate. */
function groupFormula(buckets: readonly Bucket[]): string | undefined {
  const parts: string[] = [];
  for (const b of buckets) {
    let cel: string | undefined;
    if (b.range !== undefined) {
      const r = b.range;
      cel = [
        r.min !== undefined ? `${r.attribute} >= ${r.min}` : '',
        r.max !== undefined ? `${r.attribute} <= ${r.max}` : '',
      ]
        .filter((x) => x !== '')
        .join(' && ');
    } else if (b.in !== undefined)
      cel = `${b.in.attribute} in [${b.in.values.map((v) => JSON.stringify(v)).join(', ')}]`;
    else cel = b.when?.source;
    const formula = cel === undefined ? undefined : salesforceFormula(cel);
    if (formula === undefined) return undefined;
    parts.push(`IF(${formula}, ${b.points}, 0)`);
  }
  return parts.length === 1 ? parts[0] : `MAX(${parts.join(', ')})`;
}

function salesforceScoring(config: RevopsConfig): string {
  const s = config.scoring;
  const fitMax = fitMaximum(s);
  const engMax = engagementMaximum(s);
  const weighted = s.model === 'weighted';
  const groups = s.fit.groups.map((g) => groupFormula(g.buckets));
  const fitFormula = groups.every((g) => g !== undefined) ? groups.join('\n+ ') : undefined;
  const fitMinPoints = weighted ? (s.fitMin / 100) * fitMax : s.fitMin;
  const engMinPoints = weighted ? (s.engagementMin / 100) * engMax : s.engagementMin;
  const total = weighted
    ? `MIN(Fit_Score__c, ${formatNumber(fitMax)}) / ${formatNumber(fitMax)} * ${formatNumber(s.weights.fit * 100)}\n+ MIN(Engagement_Score__c, ${formatNumber(engMax)}) / ${formatNumber(engMax)} * ${formatNumber(s.weights.engagement * 100)}\n+ Negative_Score__c`
    : 'Fit_Score__c + Engagement_Score__c + Negative_Score__c';
  return blocks(
    heading(3, 'Score fields on Lead and Contact'),
    fitFormula !== undefined
      ? blocks(
          `${code('Fit_Score__c')}: a number formula, one term per fit group (the best bucket wins):`,
          fence('text', fitFormula),
        )
      : blocks(
          `${code('Fit_Score__c')}: a number field set by a before-save flow with one Decision per fit group; the buckets:`,
          table(
            ['Group', 'Bucket', 'Criteria', 'Points'],
            s.fit.groups.flatMap((g) =>
              g.buckets.map((b) => [
                text(g.label),
                text(b.label),
                b.when !== undefined ? salesforceCriteria(b.when) : (groupFormula([b]) ?? ''),
                formatPoints(b.points),
              ]),
            ),
          ),
        ),
    `${code('Engagement_Score__c')} and ${code('Negative_Score__c')}: number fields kept by flows (or by Account Engagement scoring rules) from the signals below. ${code('Lead_Score__c')}: a number formula:`,
    fence('text', total),
    `${code('Meets_MQL_Rule__c')}: a checkbox formula:`,
    fence(
      'text',
      `AND(Lead_Score__c >= ${s.threshold}, Fit_Score__c >= ${formatNumber(fitMinPoints)}, Engagement_Score__c >= ${formatNumber(engMinPoints)})`,
    ),
    heading(3, 'Engagement points'),
    'Account Engagement applies score decay through automation rules on days since last activity; set one per decay step and treat the engine\u2019s score as the reference.',
    engagementSignalTable(s),
    s.negative.length > 0 && heading(3, 'Negative points'),
    s.negative.length > 0 && negativeSignalTable(config, 'salesforce'),
    heading(3, 'MQL flows'),
    numbered([
      `**Flow “Auto-MQL”** on Lead: ${code('Meets_MQL_Rule__c')} changes to true. Set ${code('Lifecycle_Stage__c')} = “${stageValue(config, 'mql')}” and ${code('MQL_Date__c')} = now.`,
      ...s.fastTrack.map(
        (f) =>
          `**Flow “Fast track: ${text(f.label)}”**: on ${eventCriteria(f.event, f.when)} (web-to-lead or campaign member), when ${code('Fit_Score__c')} is at least ${formatNumber(fitMinPoints)}, set ${code('Lifecycle_Stage__c')} = “${stageValue(config, 'mql')}”.`,
      ),
      `**Scheduled flow “Buying committee”** (daily): count contacts per account with ${code('Engagement_Score__c')} of at least ${formatNumber(s.account.buyingCommittee.minEngagement)} engaged in the last ${formatDuration(s.account.buyingCommittee.within)} into ${code('Engaged_Contacts__c')}; at ${s.account.buyingCommittee.contacts} or more, notify the account owner.`,
    ]),
    `Put a ${s.recalibration} recalibration review on the RevOps calendar and rebuild the formulas from this document after each change.`,
  );
}
