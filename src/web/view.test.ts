/**
 * The view renderer on a hand-built view (what a metrics source will hand it): KPI cards with
 * benchmark and status in words, each chart as a canvas carrying its spec beside a table of the
 * same numbers, tables with captions and header scopes, everything escaped.
 */
import { describe, expect, it } from 'vitest';
import { renderViewPage } from './pages/view.ts';
import { chartFigure, hasCharts, renderView, safeId, type ChartSpec, type ViewData } from './view.ts';

const FUNNEL: ChartSpec = {
  id: 'funnel',
  type: 'bar',
  title: 'Funnel, November',
  labels: ['Lead', 'MQL', 'SQL'],
  datasets: [{ label: 'Contacts', data: [1540, 184, 69] }],
  labelHeader: 'Stage',
};

const VIEW: ViewData = {
  title: 'Marketing',
  intro: 'Lead volume and conversion.',
  sections: [
    {
      id: 'Funnel & conversion',
      title: 'Funnel',
      kpis: [
        {
          label: 'Lead → MQL',
          value: '11.9%',
          benchmark: '5–15%',
          status: 'good',
          note: '184 of 1,540 leads',
        },
        { label: 'Speed to lead', value: '7 min', benchmark: '≤ 5 min', status: 'bad' },
        { label: 'Leads', value: '1,540' },
      ],
      charts: [FUNNEL],
      tables: [
        {
          caption: 'Leads by source',
          columns: ['Source', { label: 'Leads', numeric: true }],
          rows: [
            ['web', 900],
            [{ text: '<b>event</b>', href: '/leads?source=event' }, null],
          ],
        },
      ],
    },
  ],
};

describe('renderView', () => {
  const body = renderView(VIEW).text;

  it('writes KPI cards with the benchmark and the status in words', () => {
    expect(body).toContain(`<div class="kpi kpi-good">
<dt>Lead → MQL</dt>
<dd class="kpi-value">11.9%</dd>
<dd class="kpi-note">184 of 1,540 leads</dd><dd class="kpi-benchmark">Benchmark 5–15%</dd><dd class="kpi-status"><span class="badge badge-good">on target</span></dd>
</div>`);
    expect(body).toContain('<dd class="kpi-status"><span class="badge badge-bad">off target</span></dd>');
    // No status, no badge.
    expect(body).toContain('<dt>Leads</dt>\n<dd class="kpi-value">1,540</dd>\n\n</div>');
  });

  it('draws a chart as a canvas with its spec and a table of the same numbers', () => {
    expect(body).toContain(
      '<canvas id="chart-funnel" data-chart="{&quot;type&quot;:&quot;bar&quot;,&quot;labels&quot;:[&quot;Lead&quot;,&quot;MQL&quot;,&quot;SQL&quot;],&quot;datasets&quot;:[{&quot;label&quot;:&quot;Contacts&quot;,&quot;data&quot;:[1540,184,69]}]}" role="img"',
    );
    expect(body).toContain('<caption>Funnel, November — data</caption>');
    expect(body).toContain(
      '<tr><th scope="row">Lead</th><td class="num">1,540</td></tr><tr><th scope="row">MQL</th><td class="num">184</td></tr>',
    );
    expect(body).toContain(
      '<thead><tr><th scope="col">Stage</th><th scope="col" class="num">Contacts</th></tr></thead>',
    );
  });

  it('writes tables with captions, links and escaped text, and — for no value', () => {
    expect(body).toContain('<caption>Leads by source</caption>');
    expect(body).toContain(
      '<tr><th scope="row"><a href="/leads?source=event">&lt;b&gt;event&lt;/b&gt;</a></th><td class="num">—</td></tr>',
    );
    expect(body).toContain(
      '<section class="panel" id="funnel-conversion" aria-labelledby="funnel-conversion-title">',
    );
    expect(hasCharts(VIEW)).toBe(true);
    expect(hasCharts({ title: 'x', sections: [{ id: 'a', title: 'A' }] })).toBe(false);
  });

  it('shows a notice, and escapes titles', () => {
    const text = renderView({ title: '<i>Sales</i>', notice: 'Metrics are being wired', sections: [] }).text;
    expect(text).toBe('<p class="notice" role="status">Metrics are being wired</p>\n');
    const page = renderViewPage({
      view: { title: '<i>Sales</i>', intro: 'a & b', sections: [] },
      active: 'sales',
      path: '/views/sales',
      zone: 'UTC',
    });
    expect(page).toContain('<h1>&lt;i&gt;Sales&lt;/i&gt;</h1>\n<p class="lede">a &amp; b</p>');
    expect(page).toContain('<title>&lt;i&gt;Sales&lt;/i&gt; — RevOps Engine</title>');
  });

  it('ends a section with its link, escaped', () => {
    const text = renderView({
      title: 'Overview',
      sections: [
        {
          id: 'sales',
          title: 'Sales',
          link: { text: 'Open <the> sales view', href: '/views/sales?a=1&b=2' },
        },
      ],
    }).text;
    expect(text).toContain(
      '<p class="more"><a href="/views/sales?a=1&amp;b=2">Open &lt;the&gt; sales view</a></p>\n</section>',
    );
  });

  it('draws only the table of a chart whose series are longer than its labels', () => {
    const broken = chartFigure(
      Object.assign({}, FUNNEL, { datasets: [{ label: 'x', data: [1, 2, 3, 4] }] }),
    ).text;
    expect(broken).not.toContain('<canvas');
    expect(broken).toContain('<caption>Funnel, November — data</caption>');
  });

  it('makes ids safe for attributes', () => {
    expect(['Speed to lead', '"><script>', '', 'a--b'].map(safeId)).toEqual([
      'speed-to-lead',
      'script',
      'x',
      'a-b',
    ]);
  });
});
