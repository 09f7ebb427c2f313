/**
 * The marketing view: lead volume and the funnel from lead to MQL, MQLs per week, speed to lead by
 * response time, leads by source with their cost per MQL, and scoring health (acceptance, warnings,
 * rejections, where leads stall). Pure; nothing here throws. Definitions: docs/metrics.md.
 */
import { formatDuration } from '../format.ts';
import type { ViewSection } from '../view.ts';
import { lifecycleName, Parts, plural, spec, type Of, type ViewMetricsOf } from './metricParts.ts';

export function marketingSections(m: Of<'marketing'>, d: ViewMetricsOf<'marketing'>): ViewSection[] {
  const f = d.format;
  const v = m.volume;
  const speed = d.areas.speedToLead;

  const funnel = new Parts().chart(
    spec(
      'funnel',
      'bar',
      'Funnel: the cohort at each stage',
      'Stage',
      ['Lead', 'MQL', 'SQL', 'Opportunity', 'Customer'],
      [{ label: 'Contacts', data: [v.leads, v.mqls, v.sqls, v.opportunities, v.customers] }],
    ),
    'No lead was created in this range.',
  );
  const weekly = new Parts().chart(
    spec(
      'mqls-per-week',
      'line',
      'MQLs per week',
      'Week of',
      m.scoring.weeks.map((w) => w.week),
      [
        { label: 'MQLs', data: m.scoring.weeks.map((w) => w.mqls) },
        { label: 'Average of the 4 weeks before', data: m.scoring.weeks.map((w) => w.trailingAverage) },
      ],
    ),
    'No lead became an MQL in these weeks.',
  );
  const response = new Parts().chart(
    spec(
      'speed-to-lead',
      'bar',
      'Speed to lead: MQLs by time to first touch',
      'First touch within',
      speed.byResponse.map((b) => b.label),
      [
        { label: 'MQLs', data: speed.byResponse.map((b) => b.leads) },
        { label: 'Reached SQL', data: speed.byResponse.map((b) => b.sqls) },
      ],
    ),
    'No MQL of this range was contacted yet.',
  );
  const spend = new Map(m.costPerMql.bySource.map((s) => [s.source, s]));
  const sources = new Parts()
    .chart(
      spec(
        'leads-by-source',
        'bar',
        'Leads and MQLs by source',
        'Source',
        m.sources.map((s) => s.source),
        [
          { label: 'Leads', data: m.sources.map((s) => s.leads) },
          { label: 'MQLs', data: m.sources.map((s) => s.mqls) },
        ],
      ),
      'No lead was created in this range.',
    )
    .table({
      caption: 'Source attribution: the cohort by lead source',
      columns: [
        'Source',
        { label: 'Leads', numeric: true },
        { label: 'MQLs', numeric: true },
        { label: 'Lead → MQL', numeric: true },
        { label: 'SQLs', numeric: true },
        { label: 'Customers', numeric: true },
        { label: 'Marketing spend', numeric: true },
        { label: 'Cost per MQL', numeric: true },
      ],
      rows: m.sources.map((s) => {
        const cost = spend.get(s.source);
        return [
          { text: s.source, href: d.sourceHref(s.source) },
          s.leads,
          s.mqls,
          f.value(s.leadToMql, 'rate'),
          s.sqls,
          s.customers,
          cost === undefined ? null : f.value(cost.spend, 'money'),
          cost === undefined ? null : f.value(cost.costPerMql, 'money'),
        ];
      }),
      empty: 'No lead was created in this range.',
    });
  const stall = m.stall;
  const scoring = new Parts()
    .table({
      caption: 'Scoring warnings',
      columns: ['Warning', 'What to do', 'Week of'],
      rows: m.scoring.warnings.map((w) => [w.message, w.hint, w.week ?? null]),
      empty: 'No warning: sales accepts enough MQLs and no week spiked without new deals.',
    })
    .table({
      caption: 'Sales rejections by reason',
      columns: ['Code', 'Reason', { label: 'Rejections', numeric: true }, { label: 'Share', numeric: true }],
      rows: m.rejections.byCode.map((r) => [r.code, r.reason, r.count, f.value(r.share, 'rate')]),
      empty: 'Sales rejected no MQL of this cohort.',
    });

  return [
    funnel.section(
      'funnel',
      'Lead volume and conversion',
      'Contacts created in the range, each counted at every stage up to the furthest it has reached.',
      [
        f.plain('Leads', v.leads, 'count', `of ${plural(v.contacts, 'contact')} created`),
        f.plain('MQLs', v.mqls, 'count'),
        f.card('Lead → MQL', m.mqlRate, 'rate', `${v.mqls} of ${plural(v.leads, 'lead')}`),
        f.card('MQL → SQL', m.mqlToSql, 'rate', `${v.sqls} of ${plural(v.mqls, 'MQL')}`),
        f.card('Cost per MQL', m.costPerMql.total, 'money'),
        f.plain(
          'Recycled MQLs',
          m.recycled.mqls,
          'count',
          `${m.recycled.sqls} reached SQL; tracked apart from the cohort`,
        ),
      ],
    ),
    weekly.section(
      'weekly',
      'MQLs per week',
      'Entries into MQL per local week (Monday first), against the average of the four weeks before: a week over 1.5× that average is a spike.',
      [],
    ),
    response.section(
      'speed',
      'Speed to lead',
      `Time from becoming an MQL to the first touch by a rep; the target is ${formatDuration(speed.sla.targetMs)}.`,
      [
        f.card('Median time to first touch', speed.medianMs, 'duration'),
        f.card(
          'Contacted within the SLA',
          speed.withinSla,
          'rate',
          `${speed.judged.within} of ${plural(speed.judged.within + speed.judged.missed, 'judged MQL')}`,
        ),
        f.card('Average time to first touch', speed.averageMs, 'duration'),
        f.plain(
          'Not contacted',
          speed.notContacted,
          'count',
          `${speed.pending} still within the SLA`,
          speed.notContacted - speed.pending > 0 ? 'bad' : undefined,
        ),
      ],
    ),
    sources.section('sources', 'Leads by source', 'The cohort by lead source (the contact.source attribute), largest first.', []),
    scoring.section(
      'scoring',
      'Scoring health',
      'Whether the MQLs scoring sends are ones sales accepts, and where leads stall.',
      [
        f.card('Sales acceptance of MQLs', m.scoring.acceptance, 'rate'),
        f.plain(
          'Scoring warnings',
          m.scoring.warnings.length,
          'count',
          undefined,
          m.scoring.warnings.length > 0 ? 'warn' : 'good',
        ),
        f.plain('Sales rejections', m.rejections.total, 'count'),
        {
          label: 'Where leads stall',
          value: stall === null ? '—' : lifecycleName(d, stall.stage),
          note:
            stall === null
              ? 'no stay in a funnel stage yet'
              : stall.basis === 'past_p90'
                ? `${plural(stall.pastP90, 'open stay')} past the 90th percentile`
                : `the longest median stay (${formatDuration(stall.medianMs ?? 0)})`,
          status: 'neutral',
        },
      ],
    ),
  ];
}

