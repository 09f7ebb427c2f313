/**
 * Document 5, metrics dashboard: each metric with its formula, the events and records that feed
 * it and its benchmark, the three dashboard views, the inputs (quotas, spend, unit economics) and
 * the goals.
 */
import type { RevopsConfig } from '../schema/index.ts';
import { docHeader, facts } from './common.ts';
import { stageName, teamName } from './describe.ts';
import {
  formatDuration,
  formatMoney,
  formatPercent,
  formatPercentRange,
  formatRatioRange,
  joinAnd,
} from './format.ts';
import { blocks, bullets, code, heading, table, text } from './markdown.ts';
import { speedToLeadClocks } from './routing.ts';

type View = 'marketing' | 'sales' | 'executive';

interface Metric {
  readonly name: string;
  readonly formula: string;
  readonly sources: string;
  readonly benchmark: string;
  readonly views: readonly View[];
}

/** The metrics, in dashboard order, worded from the config (stage names, clocks, benchmarks). */
export function metricList(config: RevopsConfig): Metric[] {
  const b = config.metrics.benchmarks;
  const stage = (id: string): string => stageName(config, id);
  const stale = config.pipeline.pipelines
    .flatMap((p) => p.stages)
    .filter((s) => s.staleAfter !== undefined)
    .map((s) => `${text(s.name)} ${s.staleAfter !== undefined ? formatDuration(s.staleAfter) : ''}`);
  const clocks = config.sla.clocks.map((c) => text(c.name));
  const firstTouch = speedToLeadClocks(config).map((c) => text(c.name));
  const history = 'stage history (every stage move with its time)';
  return [
    {
      name: 'New leads',
      formula: `contacts entering ${stage('lead')} in the period, by source`,
      sources: `${history}; ${code('identify')}, ${code('form_submit')} and ${code('content_download')} events`,
      benchmark: 'trend only',
      views: ['marketing'],
    },
    {
      name: 'Lead-to-MQL rate',
      formula: `${stage('mql')} entries ÷ ${stage('lead')} entries`,
      sources: `${history}; score changes`,
      benchmark: formatPercentRange(b.leadToMql),
      views: ['marketing'],
    },
    {
      name: 'MQL-to-SQL rate',
      formula: `${stage('sql')} entries ÷ ${stage('mql')} entries`,
      sources: `${history}; ${code('sales_decision')} events`,
      benchmark: formatPercentRange(b.mqlToSql),
      views: ['marketing', 'sales'],
    },
    {
      name: 'SQL-to-opportunity rate',
      formula: `${stage('opportunity')} entries ÷ ${stage('sql')} entries`,
      sources: `${history}; ${code('deal')} events (${code('created')})`,
      benchmark: formatPercentRange(b.sqlToOpportunity),
      views: ['sales'],
    },
    {
      name: 'Win rate (overall and by source)',
      formula: 'deals closed won ÷ all deals closed in the period',
      sources: `deals; ${code('deal')} events (${code('closed_won')}, ${code('closed_lost')}); deal source`,
      benchmark: formatPercentRange(b.winRate),
      views: ['marketing', 'sales', 'executive'],
    },
    {
      name: 'Rejection reasons',
      formula: 'rejected MQLs by reason code ÷ all rejected MQLs',
      sources: `${code('sales_decision')} events (${code('reject')}, reason code)`,
      benchmark: 'trend only',
      views: ['marketing'],
    },
    {
      name: 'Recycled-MQL conversion',
      formula: `recycled leads that return to ${stage('mql')} and reach ${stage('sql')} ÷ recycled leads that return to ${stage('mql')}`,
      sources: `${history}; the ${code(config.lifecycle.recycling.flag)} flag`,
      benchmark: 'reported on its own, beside the first-time rate',
      views: ['marketing'],
    },
    {
      name: 'Time in stage',
      formula: 'median and average days spent in each lifecycle and deal stage',
      sources: `${history}; ${code('deal')} events (${code('stage_changed')})`,
      benchmark: stale.length > 0 ? `stale limits: ${stale.join(', ')}` : 'compared with the stage average',
      views: ['sales'],
    },
    {
      name: 'Deal stage conversion',
      formula: 'deals that reach the next stage ÷ deals that entered the stage',
      sources: `deal stage history; ${code('deal')} events`,
      benchmark: 'trend only; shows where deals die',
      views: ['sales'],
    },
    {
      name: 'Pipeline value',
      formula: 'sum of open deal amounts, also weighted by stage probability',
      sources: 'deals (amount, stage, close date)',
      benchmark: 'see coverage',
      views: ['sales'],
    },
    {
      name: 'Pipeline velocity',
      formula: 'open deals × average deal size × win rate ÷ average sales cycle in days',
      sources: 'deals; win rate; time from first touch to closed won',
      benchmark: `varies with contract value; plan: ${formatMoney(config.company.acv, config.company.currency)} ACV over ${config.company.salesCycleDays} days`,
      views: ['sales'],
    },
    {
      name: 'Pipeline coverage',
      formula: `open pipeline closing this ${config.metrics.quotaPeriod} ÷ quota still to close`,
      sources: 'deals; team and rep quotas (below)',
      benchmark: formatRatioRange(b.pipelineCoverage),
      views: ['executive'],
    },
    {
      name: 'Forecast accuracy',
      formula: 'revenue closed won in the period ÷ the probability-weighted pipeline forecast at its start',
      sources: 'deal snapshots; stage probabilities',
      benchmark: 'as close to 100% as possible',
      views: ['sales'],
    },
    {
      name: 'Speed to lead',
      formula:
        'time from routing to the first rep touch: average, median, share within SLA, by hour of day, and conversion by response time (under 5 minutes, 5–10, 10–30, 30–60 minutes, 1–24 hours, over 24 hours)',
      sources: `${code('rep_activity')} events; routing log; ${firstTouch.length > 0 ? `the ${joinAnd(firstTouch)} ${firstTouch.length === 1 ? 'clock' : 'clocks'}` : 'first-touch SLA clocks'}`,
      benchmark: `under ${formatDuration(b.speedToLead)}; at least ${formatPercent(b.contactedWithinSla)} within SLA`,
      views: ['sales'],
    },
    {
      name: 'SLA compliance',
      formula: 'clocks stopped before their target ÷ clocks started, per clock',
      sources: `SLA clock log${clocks.length > 0 ? ` (${joinAnd(clocks)})` : ''}`,
      benchmark: `at least ${formatPercent(b.contactedWithinSla)}`,
      views: ['sales'],
    },
    {
      name: 'Cost per MQL',
      formula: `marketing spend ÷ ${stage('mql')} entries`,
      sources: `${code('metrics.spend')}; ${history}`,
      benchmark: 'trend only',
      views: ['marketing'],
    },
    {
      name: 'Customer acquisition cost (CAC)',
      formula: '(sales spend + marketing spend) ÷ new customers',
      sources: `${code('metrics.spend')}; deals closed won`,
      benchmark: `low enough for LTV:CAC of ${formatRatioRange(b.ltvToCac)}`,
      views: ['executive'],
    },
    {
      name: 'LTV:CAC',
      formula:
        'customer lifetime value ÷ CAC; lifetime value = monthly revenue per account × gross margin ÷ monthly churn',
      sources: `${code('metrics.economics')}; CAC`,
      benchmark: formatRatioRange(b.ltvToCac),
      views: ['executive'],
    },
    {
      name: 'Revenue against target',
      formula: `revenue closed won this ${config.metrics.quotaPeriod} ÷ quota`,
      sources: 'deals closed won; team and rep quotas',
      benchmark: '100% of quota',
      views: ['executive'],
    },
  ];
}

export function renderMetrics(config: RevopsConfig): string {
  const metrics = metricList(config);
  const view = (v: View, title: string, purpose: string): string =>
    blocks(
      heading(3, title),
      purpose,
      bullets(metrics.filter((m) => m.views.includes(v)).map((m) => text(m.name))),
    );
  return blocks(
    docHeader(
      config,
      'Metrics dashboard',
      'It defines each figure on the dashboard: how it is computed, what feeds it, and the benchmark it is held against.',
    ),
    heading(2, 'Metrics'),
    'A figure outside its benchmark is flagged on the dashboard. Rates count the contacts or deals that entered the first stage in the period (cohorts), so a slow month does not flatter the next one.',
    table(
      ['Metric', 'Formula', 'Data sources', 'Benchmark'],
      metrics.map((m) => [`**${text(m.name)}**`, m.formula, m.sources, m.benchmark]),
    ),
    benchmarks(config),
    heading(2, 'Dashboard views'),
    view('marketing', 'Marketing view', 'Is marketing creating enough of the right leads, at what cost?'),
    view('sales', 'Sales view', 'Is the pipeline healthy and is every handoff answered on time?'),
    view('executive', 'Executive view', 'Is growth efficient and on target?'),
    inputs(config),
    goals(config),
  );
}

function benchmarks(config: RevopsConfig): string {
  const b = config.metrics.benchmarks;
  return blocks(
    heading(2, 'Benchmarks'),
    table(
      ['Benchmark', 'Target'],
      [
        ['Lead-to-MQL rate', formatPercentRange(b.leadToMql)],
        ['MQL-to-SQL rate', formatPercentRange(b.mqlToSql)],
        ['SQL-to-opportunity rate', formatPercentRange(b.sqlToOpportunity)],
        ['Win rate', formatPercentRange(b.winRate)],
        ['Speed to lead', `under ${formatDuration(b.speedToLead)}`],
        ['Leads contacted within SLA', `at least ${formatPercent(b.contactedWithinSla)}`],
        ['LTV:CAC', formatRatioRange(b.ltvToCac)],
        ['Pipeline coverage', formatRatioRange(b.pipelineCoverage)],
      ],
    ),
  );
}

function inputs(config: RevopsConfig): string {
  const m = config.metrics;
  const money = (n: number): string => formatMoney(n, config.company.currency);
  const reps = config.team.reps.filter((r) => r.quota !== undefined);
  const e = m.economics;
  const ltv =
    e.arpa !== undefined && e.monthlyChurn !== undefined && e.monthlyChurn > 0
      ? (e.arpa * e.grossMargin) / e.monthlyChurn
      : undefined;
  return blocks(
    heading(2, 'Inputs'),
    facts([
      ['Quota period', m.quotaPeriod],
      [
        'Team quotas',
        m.teamQuotas.map((q) => `${teamName(config, q.team)} ${money(q.amount)}`).join(', ') || 'none set',
      ],
      ['Rep quotas', reps.map((r) => `${text(r.name)} ${money(r.quota ?? 0)}`).join(', ') || 'none set'],
      ['Monthly revenue per account', e.arpa !== undefined ? money(e.arpa) : 'not set (needed for LTV)'],
      ['Gross margin', formatPercent(e.grossMargin)],
      [
        'Monthly churn',
        e.monthlyChurn !== undefined ? formatPercent(e.monthlyChurn) : 'not set (needed for LTV)',
      ],
      [
        'Lifetime value',
        ltv !== undefined
          ? `${money(Math.round(ltv))} (${money(e.arpa ?? 0)} × ${formatPercent(e.grossMargin)} ÷ ${formatPercent(e.monthlyChurn ?? 0)})`
          : `not computable until ${joinAnd([...(e.arpa === undefined ? ['revenue per account'] : []), ...(e.monthlyChurn === undefined || e.monthlyChurn === 0 ? ['monthly churn'] : [])])} ${e.arpa === undefined && (e.monthlyChurn === undefined || e.monthlyChurn === 0) ? 'are' : 'is'} set`,
      ],
    ]),
    m.spend.length > 0
      ? table(
          ['Period', 'Sales spend', 'Marketing spend', 'Total', 'Marketing by source'],
          m.spend.map((s) => [
            s.period,
            money(s.sales),
            money(s.marketing),
            money(s.sales + s.marketing),
            Object.entries(s.bySource ?? {})
              .map(([source, amount]) => `${text(source)} ${money(amount)}`)
              .join(', '),
          ]),
        )
      : `No spend recorded yet: CAC and cost per MQL stay empty until ${code('metrics.spend')} has a period.`,
  );
}

function goals(config: RevopsConfig): string {
  const all = [...new Set([...config.company.goals, ...config.metrics.goals])];
  return blocks(
    heading(2, 'Goals'),
    all.length > 0
      ? bullets(all.map(text))
      : 'No goals written yet: add them to `company.goals` or `metrics.goals`.',
  );
}
