/**
 * The sales view: open pipeline by stage, stage conversion and velocity, forecast categories, SLA
 * compliance by clock and rep, rep load and round-robin fairness, stale deals and slipped close
 * dates. Pure; nothing here throws. Definitions: docs/metrics.md.
 */
import { UNKNOWN_SOURCE } from '../../core/metrics/context.ts';
import type { Figure } from '../../core/metrics/index.ts';
import type { DealState } from '../../core/pipeline/types.ts';
import { formatDuration, formatInstant } from '../format.ts';
import type { ViewSection, ViewTable } from '../view.ts';
import { figureTone } from './metricFormat.ts';
import { dealStageName, Parts, pct, plural, spec, type Of, type ViewBase, type ViewMetricsOf } from './metricParts.ts';

/** Rows a deal table lists at most. */
export const DEAL_ROWS = 50;

const sourceIn = (d: ViewBase, deal: DealState): boolean =>
  d.query.source === undefined || (deal.source ?? UNKNOWN_SOURCE) === d.query.source;

const dealName = (deal: DealState): string => deal.name ?? deal.account ?? deal.id;

function staleTable(d: ViewBase, deals: readonly DealState[]): ViewTable {
  const stale = deals
    .filter((x) => x.status === 'open' && x.flags.stale !== undefined)
    .sort((a, b) => (a.flags.stale?.since ?? 0) - (b.flags.stale?.since ?? 0));
  return {
    caption: `Stale deals: open past their stage's time limit, longest first${stale.length > DEAL_ROWS ? ` (${DEAL_ROWS} of ${stale.length})` : ''}`,
    columns: ['Deal', 'Stage', 'Owner', { label: 'Amount', numeric: true }, 'Stale since', 'Limit passed'],
    rows: stale.slice(0, DEAL_ROWS).map((x) => {
      const flag = x.flags.stale;
      const limit = flag === undefined ? null : formatDuration(flag.limitMs);
      return [
        dealName(x),
        dealStageName(d, x.pipeline, x.stage),
        x.owner ?? null,
        x.amount === undefined ? null : d.format.money(x.amount),
        flag === undefined ? null : formatInstant(flag.since, d.zone),
        flag?.basis === 'average' ? `${limit ?? ''} (from the stage average)` : limit,
      ];
    }),
    empty: 'No open deal is stale.',
  };
}

function slippedTable(d: ViewBase, deals: readonly DealState[]): ViewTable {
  const { from, to } = d.query;
  const slipped = deals
    .filter((x) => x.createdAt < to && (x.closedAt === undefined || x.closedAt >= from))
    .map((x) => ({ deal: x, pushes: x.pushes.filter((p) => p.at < to) }))
    .filter((x) => x.pushes.length > 0)
    .map((x) => ({ deal: x.deal, pushes: x.pushes, days: x.pushes.reduce((n, p) => n + p.slipDays, 0) }))
    .sort((a, b) => b.days - a.days || b.pushes.length - a.pushes.length || a.deal.id.localeCompare(b.deal.id));
  return {
    caption: `Slipped close dates: deals of the range whose close date was pushed, most days first${slipped.length > DEAL_ROWS ? ` (${DEAL_ROWS} of ${slipped.length})` : ''}`,
    columns: [
      'Deal',
      'Stage',
      'Owner',
      { label: 'Amount', numeric: true },
      'Close date',
      { label: 'Pushes', numeric: true },
      { label: 'Days slipped', numeric: true },
      'Last reason',
    ],
    rows: slipped.slice(0, DEAL_ROWS).map(({ deal, pushes, days }) => [
      dealName(deal),
      dealStageName(d, deal.pipeline, deal.stage),
      deal.owner ?? null,
      deal.amount === undefined ? null : d.format.money(deal.amount),
      pushes[pushes.length - 1]?.to ?? deal.closeDate ?? null,
      pushes.length,
      days,
      pushes[pushes.length - 1]?.reason ?? null,
    ]),
    empty: 'No close date of these deals was pushed.',
  };
}

const CATEGORY_NAMES = { commit: 'Commit', best_case: 'Best case', pipeline: 'Pipeline', omitted: 'Omitted' };

export function salesSections(s: Of<'sales'>, d: ViewMetricsOf<'sales'>): ViewSection[] {
  const f = d.format;
  const { pipeline: p, sla, routing } = d.areas;
  const deals = d.deals.filter((x) => sourceIn(d, x));

  const openStages = d.model.pipelines.flatMap((pl) =>
    pl.stages.filter((st) => st.kind === 'open').map((st) => ({ pipeline: pl.id, stage: st.id })),
  );
  const open = deals.filter((x) => x.status === 'open');
  const amountIn = (pl: string, st: string) =>
    open.filter((x) => x.pipeline === pl && x.stage === st).reduce((n, x) => n + (x.amount ?? 0), 0);
  const countIn = (pl: string, st: string) =>
    open.filter((x) => x.pipeline === pl && x.stage === st).length;
  const stageLabels = openStages.map((x) => dealStageName(d, x.pipeline, x.stage));
  const pipeline = new Parts().chart(
    spec(
      'pipeline-by-stage',
      'bar',
      'Open pipeline by stage',
      'Stage',
      stageLabels,
      [{ label: 'Amount', data: openStages.map((x) => amountIn(x.pipeline, x.stage)) }],
    ),
  );
  pipeline.table({
    caption: 'Open deals by stage',
    columns: ['Stage', { label: 'Deals', numeric: true }, { label: 'Amount', numeric: true }],
    rows: openStages.map((x, i) => [
      stageLabels[i] ?? x.stage,
      countIn(x.pipeline, x.stage),
      f.money(amountIn(x.pipeline, x.stage)),
    ]),
  });

  const rowLabels = s.stageConversion.map((r) => dealStageName(d, r.pipeline, r.stage));
  const stages = new Parts()
    .chart(
      spec('stage-conversion', 'bar', 'Stage conversion', 'Stage', rowLabels, [
        { label: 'Advanced (%)', data: s.stageConversion.map((r) => pct(r.conversion)) },
      ]),
      'No deal created in this range has left a stage yet.',
    )
    .chart(
      spec('stage-velocity', 'bar', 'Median days in stage', 'Stage', rowLabels, [
        { label: 'Median days', data: s.stageConversion.map((r) => r.medianDays) },
      ]),
      'No stay in a deal stage ended in this range.',
    )
    .table({
      caption: 'Deal stages: the deals created in the range, and the stays that ended in it',
      columns: [
        'Stage',
        { label: 'Entered', numeric: true },
        { label: 'Advanced', numeric: true },
        { label: 'Conversion', numeric: true },
        { label: 'Still in', numeric: true },
        { label: 'Stays ended', numeric: true },
        { label: 'Average days', numeric: true },
        { label: 'Median days', numeric: true },
      ],
      rows: s.stageConversion.map((r, i) => [
        rowLabels[i] ?? r.stage,
        r.entered,
        r.advanced,
        f.value(r.conversion, 'rate'),
        r.stillIn,
        r.stays,
        r.averageDays,
        r.medianDays,
      ]),
    });

  const categories = s.forecast.categories;
  const forecast = new Parts().chart(
    spec(
      'forecast-categories',
      'bar',
      'Open deals by forecast category',
      'Category',
      categories.map((c) => CATEGORY_NAMES[c.category]),
      [
        { label: 'Amount', data: categories.map((c) => c.amount) },
        { label: 'Weighted by stage probability', data: categories.map((c) => c.weighted) },
      ],
    ),
    'No open deal has an amount.',
  );
  const weighted = categories.reduce((n, c) => n + c.weighted, 0);

  const clocks = new Parts()
    .chart(
      spec(
        'sla-by-clock',
        'bar',
        'SLA compliance by clock',
        'Clock',
        sla.byClock.map((c) => c.name),
        [{ label: 'Met (%)', data: sla.byClock.map((c) => pct(c.compliance)) }],
        sla.byClock.map((c) =>
          c.compliance === null ? 'neutral' : figureTone(inBand(c.compliance, sla.compliance.benchmark)),
        ),
      ),
      'No SLA clock started in this range was met or breached yet.',
    )
    .chart(
      spec(
        'sla-by-rep',
        'bar',
        'SLA clocks met and breached by rep',
        'Rep',
        sla.byRep.map((r) => r.rep),
        [
          { label: 'Met', data: sla.byRep.map((r) => r.met) },
          { label: 'Breached', data: sla.byRep.map((r) => r.breached) },
        ],
      ),
      'No SLA clock started in this range was met or breached yet.',
    );

  const fairRows = routing.fairness.flatMap((t) => t.reps.map((r) => ({ team: t.team, r })));
  const load = new Parts()
    .chart(
      spec(
        'rep-load',
        'bar',
        'Leads routed to each rep',
        'Rep',
        routing.byRep.map((r) => r.rep),
        [
          { label: 'Assigned', data: routing.byRep.map((r) => r.assigned) },
          { label: 'Kept (already owned)', data: routing.byRep.map((r) => r.kept) },
        ],
      ),
      'No lead was routed in this range.',
    )
    .chart(
      spec(
        'routing-fairness',
        'bar',
        'Round-robin fairness: share of the team’s assignments against the weighted target',
        'Rep (team)',
        fairRows.map((x) => `${x.r.rep} (${x.team})`),
        [
          { label: 'Share (%)', data: fairRows.map((x) => pct(x.r.share)) },
          { label: 'Target (%)', data: fairRows.map((x) => pct(x.r.target)) },
        ],
      ),
      'No team assigned a lead by round robin in this range.',
    );
  const worst = routing.fairness.reduce<{ team: string; maxDeviation: number } | undefined>(
    (a, t) => (a === undefined || t.maxDeviation > a.maxDeviation ? t : a),
    undefined,
  );

  const hygiene = new Parts().table(staleTable(d, deals)).table(slippedTable(d, deals));

  return [
    pipeline.section('pipeline', 'Pipeline', 'Deals open now, and the deals won or lost in the range.', [
      f.plain('Open pipeline', p.open.amount, 'money', plural(p.open.deals, 'open deal')),
      f.card('Win rate', s.winRate, 'rate', `${p.closed.won} won, ${p.closed.lost} lost`),
      f.card('Pipeline velocity', s.velocityPerDay, 'moneyPerDay'),
      f.plain('Average won deal', p.averageWonAmount, 'money'),
      f.plain('Sales cycle', p.averageCycleDays, 'days', 'average, creation to close'),
    ]),
    stages.section(
      'stages',
      'Stage conversion and velocity',
      'Of the deals created in the range: how many entered each stage and how many moved on; and how long the stays that ended in the range lasted.',
      [],
    ),
    forecast.section(
      'forecast',
      'Forecast',
      'Open deals by forecast category (commit from 75% stage probability, best case from 40%; a stale deal or one in forecast review drops a category).',
      [
        f.plain('Weighted pipeline', weighted, 'money'),
        f.plain('Commit', categories.find((c) => c.category === 'commit')?.amount ?? 0, 'money'),
        f.card('Forecast accuracy', s.forecast.vsActual.accuracy, 'rate', 'won ÷ weighted forecast'),
        f.plain('In forecast review', p.forecastReview, 'count', 'close date pushed twice or more'),
      ],
    ),
    clocks.section(
      'sla',
      'SLA compliance and speed to lead',
      'Clocks started in the range: met ÷ (met + breached), by clock and by rep.',
      [
        f.card('SLA compliance', s.slaCompliance, 'rate', `${sla.total.met} met, ${sla.total.breached} breached`),
        f.card('Median speed to lead', s.speedToLead.medianMs, 'duration'),
        f.card('Contacted within the SLA', s.speedToLead.withinSla, 'rate'),
        f.plain('Escalations', sla.total.escalations, 'count', 'steps fired on late clocks'),
      ],
    ),
    load.section('routing', 'Rep load and routing fairness', 'Routing decisions made in the range.', [
      f.plain('Routing decisions', routing.decisions.total, 'count'),
      f.plain('Assigned', routing.decisions.assigned, 'count'),
      f.plain(
        'Queued or sent to review',
        routing.decisions.queued + routing.decisions.review,
        'count',
        undefined,
        routing.decisions.queued + routing.decisions.review > 0 ? 'warn' : undefined,
      ),
      f.plain(
        'Largest gap from target',
        worst === undefined ? null : worst.maxDeviation,
        'rate',
        worst === undefined ? 'no round robin in this range' : `team ${worst.team}`,
      ),
    ]),
    hygiene.section(
      'hygiene',
      'Stale deals and slipped close dates',
      'Open deals past their stage’s time limit now, and the deals of the range whose close date moved later.',
      [
        f.plain('Stale deals', s.stale, 'count', undefined, s.stale > 0 ? 'warn' : 'good'),
        f.plain('Slip rate', s.slip.slipRate, 'rate', `${s.slip.slipped} of ${plural(s.slip.deals, 'deal')}`),
        f.plain('Close-date pushes', s.slip.pushes, 'count', 'made in the range'),
        f.plain('Average slip', s.slip.averageSlipDays, 'days'),
      ],
    ),
  ];
}

/** A value read against a band, as the metrics core reads it (`figure()`, ends included). */
function inBand(value: number, benchmark: Figure['benchmark']): Figure {
  const status =
    benchmark === undefined
      ? 'n/a'
      : benchmark.min !== undefined && value < benchmark.min
        ? 'low'
        : benchmark.max !== undefined && value > benchmark.max
          ? 'high'
          : 'ok';
  return benchmark === undefined ? { value, status } : { value, benchmark, status };
}

