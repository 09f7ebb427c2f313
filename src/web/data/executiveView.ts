/**
 * The executive view: the funnel against its benchmarks, revenue against quota and pipeline
 * coverage against its band, win rate by source, unit economics (CAC, LTV, LTV:CAC, payback, each
 * with the reason when an input is missing), and forecast against actual. Pure; nothing here throws.
 * Definitions: docs/metrics.md.
 */
import type { Figure } from '../../core/metrics/index.ts';
import type { ViewSection } from '../view.ts';
import { figureTone } from './metricFormat.ts';
import { Parts, pct, plural, spec, type Of, type ViewMetricsOf } from './metricParts.ts';

export function executiveSections(e: Of<'executive'>, d: ViewMetricsOf<'executive'>): ViewSection[] {
  const f = d.format;
  const { funnel, pipeline: p, economics: econ } = d.areas;
  const c = funnel.conversions;

  const steps: readonly [string, Figure][] = [
    ['Lead → MQL', c.leadToMql],
    ['MQL → SQL', c.mqlToSql],
    ['SQL → Opportunity', c.sqlToOpportunity],
    ['Opportunity → Customer', c.opportunityToCustomer],
    ['Win rate', e.winRate],
  ];
  const conversions = new Parts().chart(
    spec(
      'funnel-vs-benchmark',
      'bar',
      'Funnel conversion against its benchmarks',
      'Step',
      steps.map(([label]) => label),
      [
        { label: 'Actual (%)', data: steps.map(([, x]) => pct(x.value)) },
        { label: 'Benchmark low (%)', data: steps.map(([, x]) => pct(x.benchmark?.min)) },
        { label: 'Benchmark high (%)', data: steps.map(([, x]) => pct(x.benchmark?.max)) },
      ],
    ),
    'No lead was created and no deal closed in this range.',
  );

  const q = e.revenue;
  const band = e.coverage.benchmark;
  const remaining = q.remaining;
  const coverage = new Parts();
  if (remaining !== null && remaining > 0 && band?.min !== undefined && band.max !== undefined)
    coverage.chart(
      spec(
        'coverage',
        'bar',
        `Pipeline coverage against the ${f.benchmark(band, 'multiple') ?? ''} band`,
        '',
        ['Open pipeline', `${band.min}× remaining quota`, `${band.max}× remaining quota`],
        [{ label: 'Amount', data: [p.open.amount, band.min * remaining, band.max * remaining] }],
        [figureTone(e.coverage), 'neutral', 'neutral'],
      ),
      'No open pipeline and no quota left.',
    );
  else
    coverage.table({
      caption: 'Pipeline coverage',
      columns: [''],
      rows: [],
      empty: e.coverage.reason ?? 'No quota to cover.',
    });

  const bySource = p.winRateBySource;
  const winRates = new Parts().chart(
    spec(
      'win-rate-by-source',
      'bar',
      'Win rate by source',
      'Source',
      bySource.map((x) => x.source),
      [{ label: 'Win rate (%)', data: bySource.map((x) => pct(x.winRate)) }],
    ),
  );
  winRates.table({
    caption: 'Deals won and lost in the range, by source',
    columns: [
      'Source',
      { label: 'Won', numeric: true },
      { label: 'Lost', numeric: true },
      { label: 'Win rate', numeric: true },
    ],
    rows: bySource.map((x) => [
      { text: x.source, href: d.sourceHref(x.source) },
      x.won,
      x.lost,
      f.value(x.winRate, 'rate'),
    ]),
    empty: 'No deal was won or lost in this range.',
  });

  const economics = new Parts();
  if (e.cac.value !== null && e.ltv.value !== null)
    economics.chart(
      spec('ltv-cac', 'bar', 'Lifetime value against the cost to acquire a customer', '', ['CAC', 'LTV'], [
        { label: 'Amount', data: [e.cac.value, e.ltv.value] },
      ]),
      'No value.',
    );

  const va = p.forecast.vsActual;
  const forecast = new Parts().chart(
    spec(
      'forecast-vs-actual',
      'bar',
      'Forecast at the start of the range against what was won',
      '',
      ['Forecast', 'Weighted forecast', 'Commit', 'Won of the forecast', 'Won in the range'],
      [
        {
          label: 'Amount',
          data: [va.forecast.amount, va.forecast.weighted, va.forecast.commit, va.actual.forecastWonAmount, va.actual.wonAmount],
        },
      ],
    ),
    'No deal was forecast to close in the range and none was won.',
  );

  return [
    conversions.section(
      'funnel',
      'Funnel against benchmarks',
      'The cohort created in the range, stage to stage; the win rate of the deals closed in it.',
      steps.map(([label, x]) => f.card(label, x, 'rate')),
    ),
    coverage.section(
      'revenue',
      'Revenue against target and pipeline coverage',
      `The quota period holding today (${q.period}): won so far against its quota, and open pipeline against what is left.`,
      [
        f.plain(
          `Won in ${q.period}`,
          q.won,
          'money',
          q.quota === null ? 'no quota set' : `of a ${f.money(q.quota)} quota`,
        ),
        f.card('Quota attainment', q.attainment, 'rate'),
        f.card(
          'Pipeline coverage',
          e.coverage,
          'multiple',
          remaining === null ? undefined : `${f.money(p.open.amount)} open ÷ ${f.money(remaining)} left`,
        ),
        f.plain('Won in the range', q.wonInRange, 'money'),
      ],
    ),
    winRates.section('win-rate', 'Win rate by source', 'Deals closed in the range, by the deal’s source.', []),
    economics.section(
      'economics',
      'Unit economics',
      'Spend from metrics.spend (its periods inside the range), the new customers won in the range, and metrics.economics for lifetime value.',
      [
        f.card('CAC', e.cac, 'money', plural(econ.newCustomers, 'new customer')),
        f.card('LTV', e.ltv, 'money'),
        f.card('LTV:CAC', e.ltvToCac, 'ratio'),
        f.card('CAC payback', e.paybackMonths, 'months'),
        f.plain(
          'Sales and marketing spend',
          econ.spend.periods.length === 0 ? null : econ.spend.total,
          'money',
          econ.spend.periods.length === 0 ? 'no metrics.spend period inside the range' : econ.spend.periods.join(', '),
        ),
      ],
    ),
    forecast.section(
      'forecast',
      'Forecast against actual',
      'The deals open at the start of the range with a close date inside it, against the amount won in it.',
      [
        f.card('Forecast accuracy', va.accuracy, 'rate', 'won ÷ weighted forecast'),
        f.plain('Forecast deals', va.forecast.deals, 'count'),
        f.plain('Won in the range', va.actual.won, 'count', f.money(va.actual.wonAmount)),
      ],
    ),
  ];
}

