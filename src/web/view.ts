/**
 * A metrics view as plain data, and its rendering: sections of KPI cards (value, benchmark,
 * status), charts and tables. The marketing, sales and executive views (and the overview) are each
 * a `ViewData` built from numbers computed elsewhere; this file only draws them. Nothing here
 * throws: a chart whose spec does not hold together is drawn as its table only.
 */
import { badge, table, type Cell, type Column } from './components.ts';
import { markup, type SafeHtml } from './html.ts';

export const CHART_TYPES = ['bar', 'line', 'doughnut'] as const;
export type ChartType = (typeof CHART_TYPES)[number];

/** A chart: what Chart.js needs, and nothing else (serialised into the page as `data-chart`). */
export interface ChartSpec {
  /** Unique on the page: `[a-z0-9-]`. */
  readonly id: string;
  readonly type: ChartType;
  readonly title: string;
  /** One per bar, point or slice. */
  readonly labels: readonly string[];
  /** One series per dataset, one value per label (null: no value). */
  readonly datasets: readonly { readonly label: string; readonly data: readonly (number | null)[] }[];
  /** The header of the label column in the fallback table (default: empty). */
  readonly labelHeader?: string;
  /** One tone per label, colouring a one-series chart by meaning (met green, breached red). */
  readonly tones?: readonly KpiStatus[];
}

export const KPI_STATUSES = ['good', 'warn', 'bad', 'neutral'] as const;
export type KpiStatus = (typeof KPI_STATUSES)[number];

export interface KpiCard {
  readonly label: string;
  /** As shown: `11.9%`, `1,705`, `4 h 10 min`. */
  readonly value: string;
  /** The benchmark or target it is read against: `5–15%`. */
  readonly benchmark?: string;
  readonly status?: KpiStatus;
  /** One line under the value: `184 of 1,540 leads`. */
  readonly note?: string;
}

/** A plain-data table cell: text, a number, a link; null shows as `—`. */
export type ViewCell = string | number | null | { readonly text: string; readonly href: string };

export interface ViewTable {
  readonly caption: string;
  readonly columns: readonly (string | Column)[];
  readonly rows: readonly (readonly ViewCell[])[];
  readonly empty?: string;
}

export interface ViewSection {
  /** Anchor id (`[a-z0-9-]`). */
  readonly id: string;
  readonly title: string;
  readonly intro?: string;
  readonly kpis?: readonly KpiCard[];
  readonly charts?: readonly ChartSpec[];
  readonly tables?: readonly ViewTable[];
  /** A link under the section (`Open the sales view`). */
  readonly link?: { readonly text: string; readonly href: string };
}

export interface ViewData {
  readonly title: string;
  readonly intro?: string;
  /** A notice above the sections (a view not wired yet, data missing for the range). */
  readonly notice?: string;
  readonly sections: readonly ViewSection[];
}

const STATUS_WORDS: Readonly<Record<KpiStatus, string>> = {
  good: 'on target',
  warn: 'watch',
  bad: 'off target',
  neutral: '',
};

/** An id safe for `id` attributes: lower-case letters, digits and dashes. */
export function safeId(text: string): string {
  const id = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return id === '' ? 'x' : id;
}

/** KPI cards as a description list. */
export function kpiCards(cards: readonly KpiCard[]): SafeHtml {
  const items = cards.map((card) => {
    const status = card.status ?? 'neutral';
    const note = card.note === undefined ? '' : markup`<dd class="kpi-note">${card.note}</dd>`;
    const benchmark =
      card.benchmark === undefined ? '' : markup`<dd class="kpi-benchmark">Benchmark ${card.benchmark}</dd>`;
    const word =
      status === 'neutral' ? '' : markup`<dd class="kpi-status">${badge(STATUS_WORDS[status], status)}</dd>`;
    return markup`<div class="kpi kpi-${status}">
<dt>${card.label}</dt>
<dd class="kpi-value">${card.value}</dd>
${note}${benchmark}${word}
</div>`;
  });
  return markup`<dl class="kpis">${items}</dl>`;
}

/** Whether the spec can be drawn: a known type, and no series longer than the labels. */
function drawable(spec: ChartSpec): boolean {
  return (
    (CHART_TYPES as readonly string[]).includes(spec.type) &&
    spec.datasets.length > 0 &&
    spec.datasets.every((d) => d.data.length <= spec.labels.length)
  );
}

/** The chart's numbers as a table: one row per label, one column per dataset. */
export function chartTable(spec: ChartSpec): SafeHtml {
  const columns: Column[] = [
    { label: spec.labelHeader ?? '' },
    ...spec.datasets.map((d) => ({ label: d.label, numeric: true })),
  ];
  const rows: Cell[][] = spec.labels.map((label, i) => [
    label,
    ...spec.datasets.map((d) => d.data[i] ?? null),
  ]);
  return table({ caption: `${spec.title} — data`, columns, rows, className: 'compact' });
}

/** A chart: the canvas (drawn by dashboard.js) and the same numbers as a table. */
export function chartFigure(spec: ChartSpec): SafeHtml {
  const id = `chart-${safeId(spec.id)}`;
  const data = JSON.stringify({
    type: spec.type,
    labels: spec.labels,
    datasets: spec.datasets.map((d) => ({ label: d.label, data: d.data })),
    tones: spec.tones,
  });
  const label = `${spec.title} (${spec.type} chart; the table beside it has the numbers)`;
  const canvas = drawable(spec)
    ? markup`<div class="chart-box"><canvas id="${id}" data-chart="${data}" role="img" aria-label="${label}"></canvas></div>`
    : '';
  return markup`<figure class="chart" aria-labelledby="${id}-title">
<figcaption id="${id}-title">${spec.title}</figcaption>
${canvas}
${chartTable(spec)}
</figure>`;
}

/** A section of a view. */
function viewSection(s: ViewSection): SafeHtml {
  const id = safeId(s.id);
  const intro = s.intro === undefined ? '' : markup`<p class="intro">${s.intro}</p>`;
  const kpis = s.kpis === undefined || s.kpis.length === 0 ? '' : kpiCards(s.kpis);
  const charts =
    s.charts === undefined || s.charts.length === 0
      ? ''
      : markup`<div class="charts">${s.charts.map(chartFigure)}</div>`;
  const more =
    s.link === undefined ? '' : markup`<p class="more"><a href="${s.link.href}">${s.link.text}</a></p>`;
  return markup`<section class="panel" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${s.title}</h2>
${intro}${kpis}${charts}${(s.tables ?? []).map((t) => table(t))}${more}
</section>`;
}

/** The body of a view page under its heading (the layout writes the title, intro, navigation and filters). */
export function renderView(view: ViewData): SafeHtml {
  const notice =
    view.notice === undefined ? '' : markup`<p class="notice" role="status">${view.notice}</p>\n`;
  return markup`${notice}${view.sections.map(viewSection)}`;
}

/** Whether any section has a chart (the page then loads the chart scripts). */
export function hasCharts(view: ViewData): boolean {
  return view.sections.some((s) => (s.charts?.length ?? 0) > 0);
}
