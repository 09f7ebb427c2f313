/**
 * "Setting this up in HubSpot": concrete steps derived from the config. This file holds the entry
 * point and the lifecycle and scoring steps; hubspotSales.ts holds routing, pipeline and metrics,
 * hubspotWorkflows.ts the wording they share.
 */
import type { RevopsConfig } from '../../schema/index.ts';
import { formatDuration, formatNumber, formatPoints } from '../format.ts';
import { blocks, code, heading, numbered, table, text } from '../markdown.ts';
import { engagementMaximum, fitMaximum } from '../scoring.ts';
import { clocksForStage } from '../sla.ts';
import { hubspotMetrics, hubspotPipeline, hubspotRouting } from './hubspotSales.ts';
import { HUBSPOT_STAGES, hubspotAction, hubspotClockWorkflow, hubspotStage } from './hubspotWorkflows.ts';
import {
  allFlags,
  eventCriteria,
  hubspotFilter,
  engagementSignalTable,
  negativeSignalTable,
  type CrmGuide,
} from './shared.ts';

/** The HubSpot setup steps for each document. */
export const HUBSPOT_GUIDE: CrmGuide = {
  name: 'HubSpot',
  sections: {
    'lifecycle-stages': hubspotLifecycle,
    'scoring-specification': hubspotScoring,
    'routing-rules': hubspotRouting,
    'pipeline-configuration': hubspotPipeline,
    'metrics-dashboard': hubspotMetrics,
  },
};

function hubspotLifecycle(config: RevopsConfig): string {
  const { stages, reasonCodes, recycling } = config.lifecycle;
  const flags = allFlags(config);
  const withWork = stages.filter((s) => s.onEntry.length > 0);
  const clocks = stages.flatMap((s) => clocksForStage(config, s.id).map((c) => [s, c] as const));
  return blocks(
    heading(3, 'Lifecycle stage property'),
    'Use the built-in “Lifecycle stage” contact property. HubSpot only moves it forwards on its own, so any workflow that moves a contact back (to recycling, for example) must clear the property before setting the new value.',
    table(
      ['Our stage', 'HubSpot lifecycle stage', 'How'],
      stages.map((s) => [
        text(s.name),
        `“${hubspotStage(config, s.id)}”`,
        HUBSPOT_STAGES[s.id] !== undefined ? 'built in' : 'add as a custom lifecycle stage',
      ]),
    ),
    heading(3, 'Contact properties to create'),
    table(
      ['Property', 'Type', 'Values'],
      [
        [
          'Sales rejection reason',
          'dropdown select',
          reasonCodes.map((rc) => `${rc.code} ${text(rc.reason)}`).join('; '),
        ],
        ['MQL date', 'date picker', 'set when the contact becomes an MQL'],
        ['Recycle date', 'date picker', 'set when sales rejects the lead'],
        ...flags.map((f) => [code(f), 'single checkbox', 'Yes / No']),
      ],
    ),
    withWork.length > 0 && heading(3, 'Stage entry workflows'),
    withWork.map((s) =>
      blocks(
        `**Workflow “Lifecycle: ${text(s.name)}”.** Trigger: lifecycle stage is changed to “${hubspotStage(config, s.id)}”.`,
        numbered(s.onEntry.map((a) => hubspotAction(config, a))),
      ),
    ),
    clocks.length > 0 && heading(3, 'SLA workflows'),
    clocks.map(([s, c]) =>
      hubspotClockWorkflow(config, c, `lifecycle stage is changed to “${hubspotStage(config, s.id)}”`),
    ),
    heading(3, 'Rejection and recycling workflow'),
    `**Workflow “Recycling”.** Trigger: “Sales rejection reason” is known. Set “Recycle date” to the enrollment date, then branch on the reason:`,
    table(
      ['Reason', 'Branch actions'],
      reasonCodes.map((rc) => [
        `${code(rc.code)} ${text(rc.reason)}`,
        rc.action === 'archive'
          ? 'Unenroll from every sequence; set lifecycle stage to “Other”'
          : `${recycling.resetEngagement ? 'Set “Engagement score” to 0; ' : ''}set lifecycle stage to “${hubspotStage(config, recycling.stage)}”; ${
              rc.action === 'recycle' && rc.after !== undefined
                ? `delay ${formatDuration(rc.after)}, then `
                : ''
            }enroll in “${text(recycling.nurtureSequence)}”`,
      ]),
    ),
    `When a recycled contact qualifies again, the MQL workflow sets ${code(recycling.flag)} to Yes so its conversion is reported on its own. Contacts in “${hubspotStage(config, recycling.stage)}” with no engagement for ${formatDuration(recycling.archiveAfter)} are archived.`,
  );
}

function hubspotScoring(config: RevopsConfig): string {
  const s = config.scoring;
  const fitMax = fitMaximum(s);
  const engMax = engagementMaximum(s);
  const weighted = s.model === 'weighted';
  const fitMinPoints = weighted ? (s.fitMin / 100) * fitMax : s.fitMin;
  const engMinPoints = weighted ? (s.engagementMin / 100) * engMax : s.engagementMin;
  const bucketFilter = (b: (typeof s.fit.groups)[number]['buckets'][number]): string => {
    if (b.range !== undefined) {
      const r = b.range;
      return hubspotFilter(
        [
          r.min !== undefined ? `${r.attribute} >= ${r.min}` : '',
          r.max !== undefined ? `${r.attribute} <= ${r.max}` : '',
        ]
          .filter((x) => x !== '')
          .join(' && '),
      );
    }
    if (b.in !== undefined)
      return hubspotFilter(`${b.in.attribute} in [${b.in.values.map((v) => JSON.stringify(v)).join(', ')}]`);
    return b.when !== undefined ? hubspotFilter(b.when) : 'always';
  };
  const formula = weighted
    ? `fit_score / ${formatNumber(fitMax)} * ${formatNumber(s.weights.fit * 100)} + engagement_score / ${formatNumber(engMax)} * ${formatNumber(s.weights.engagement * 100)} + negative_points`
    : 'fit_score + engagement_score + negative_points';
  return blocks(
    heading(3, 'Score properties'),
    `Create three scores with HubSpot lead scoring (or as number properties on older portals): “Fit score” (${code('fit_score')}), “Engagement score” (${code('engagement_score')}) and “Negative points” (${code('negative_points')}). Then add a calculation property “RevOps score” with this formula:`,
    code(formula),
    weighted &&
      `Set a score limit of ${formatNumber(fitMax)} on the fit score and ${formatNumber(engMax)} on the engagement score, so neither can pass 100% of its maximum.`,
    heading(3, 'Fit score criteria'),
    'Give each group a limit equal to its best bucket, so a contact earns only one bucket per group.',
    table(
      ['Group', 'Criteria', 'Points'],
      s.fit.groups.flatMap((g) =>
        g.buckets.map((b) => [text(g.label), bucketFilter(b), formatPoints(b.points)]),
      ),
      ['left', 'left', 'right'],
    ),
    heading(3, 'Engagement score criteria'),
    'HubSpot decay lowers a whole score after a period rather than step by step per signal; choose the setting closest to the decay column and treat the engine\u2019s score as the reference.',
    engagementSignalTable(s),
    s.negative.length > 0 && heading(3, 'Negative points criteria'),
    s.negative.length > 0 && negativeSignalTable(config, 'hubspot'),
    heading(3, 'MQL workflows'),
    numbered([
      `**Workflow “Auto-MQL”.** Trigger: “RevOps score” is at least ${s.threshold}, “Fit score” is at least ${formatNumber(fitMinPoints)} and “Engagement score” is at least ${formatNumber(engMinPoints)}; leave out customers and competitors. Actions: set lifecycle stage to “${hubspotStage(config, 'mql')}”, set “MQL date” to today.`,
      ...s.fastTrack.map(
        (f) =>
          `**Workflow “Fast track: ${text(f.label)}”.** Trigger: ${eventCriteria(f.event, f.when)}, and “Fit score” is at least ${formatNumber(fitMinPoints)}. Action: set lifecycle stage to “${hubspotStage(config, 'mql')}”.`,
      ),
    ]),
    heading(3, 'Account roll-up'),
    `Add a company roll-up property counting associated contacts with “Engagement score” of at least ${formatNumber(s.account.buyingCommittee.minEngagement)}, and a company workflow that alerts the company owner when it reaches ${s.account.buyingCommittee.contacts}. Review the scoring ${s.recalibration}: add a recurring task for the RevOps owner.`,
  );
}
