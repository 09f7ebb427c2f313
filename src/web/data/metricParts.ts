/**
 * What the view sections (marketingView.ts, salesView.ts, executiveView.ts) share: the data a view
 * is built from, a collector of charts and tables that turns a chart with nothing to draw (no label,
 * or every value zero or none) into an empty table saying why (or drops it when a table beside it
 * says so) — so a quiet range never shows a blank canvas — and the names of stages. Pure; nothing here throws.
 */
import type { RevopsConfig } from '../../config/schema/index.ts';
import type { MetricsAreas, MetricsModel, MetricsQuery, MetricsView } from '../../core/metrics/index.ts';
import type { DealState } from '../../core/pipeline/types.ts';
import type { ChartSpec, KpiCard, ViewSection, ViewTable } from '../view.ts';
import type { MetricFormat } from './metricFormat.ts';
import type { ViewName } from './views.ts';

/** The areas each view's charts and tables draw beside the view itself. */
export const CHART_AREAS = {
  marketing: ['speedToLead'],
  sales: ['pipeline', 'sla', 'routing'],
  executive: ['funnel', 'pipeline', 'economics'],
} as const satisfies { readonly [V in ViewName]: readonly (keyof MetricsAreas)[] };

/** The areas of `CHART_AREAS[V]`, as `areaReport` computes them. */
export type ChartAreas<V extends ViewName> = Pick<MetricsAreas, (typeof CHART_AREAS)[V][number]>;

/** What every view's sections are built from beside the view and its areas. */
export interface ViewBase {
  readonly model: MetricsModel;
  readonly query: MetricsQuery;
  readonly now: number;
  readonly zone: string;
  readonly config: RevopsConfig;
  readonly format: MetricFormat;
  /** This view's link with the same dates and `source` (undefined: none). */
  readonly sourceHref: (source: string) => string;
}

/** What view `V`'s sections are built from. */
export interface ViewMetricsOf<V extends ViewName> extends ViewBase {
  readonly name: V;
  readonly view: Of<V>;
  readonly areas: ChartAreas<V>;
  /**
   * The deals the view's deal tables pick from (the sales view's stale deals and slipped close
   * dates): those the pipeline figures were computed from (see `metricsPageReport`), every source;
   * empty for the other views.
   */
  readonly deals: readonly DealState[];
}

/** What a view's sections are built from. */
export type ViewMetrics = { [V in ViewName]: ViewMetricsOf<V> }[ViewName];

export type Of<N extends MetricsView['view']> = Extract<MetricsView, { readonly view: N }>;
export type Dataset = ChartSpec['datasets'][number];

/** A fraction as a percentage to one place (0.6667 → 66.7), for chart data. */
export const pct = (value: number | null | undefined): number | null =>
  value === null || value === undefined ? null : Math.round(value * 1000) / 10;

export const hasData = (spec: ChartSpec): boolean =>
  spec.labels.length > 0 && spec.datasets.some((d) => d.data.some((v) => v !== null && v !== 0));

/**
 * Collects a section's charts and tables. A chart without data becomes an empty table saying `empty`,
 * or nothing when `empty` is absent (a table of the section already says so).
 */
export class Parts {
  readonly charts: ChartSpec[] = [];
  readonly tables: ViewTable[] = [];

  chart(spec: ChartSpec, empty?: string): this {
    if (hasData(spec)) this.charts.push(spec);
    else if (empty !== undefined)
      this.tables.push({
        caption: spec.title,
        columns: [spec.labelHeader ?? '', ...spec.datasets.map((d) => ({ label: d.label, numeric: true }))],
        rows: [],
        empty,
      });
    return this;
  }

  table(table: ViewTable): this {
    this.tables.push(table);
    return this;
  }

  section(id: string, title: string, intro: string, kpis: readonly KpiCard[]): ViewSection {
    return { id, title, intro, kpis, charts: this.charts, tables: this.tables };
  }
}

export function spec(
  id: string,
  type: ChartSpec['type'],
  title: string,
  labelHeader: string,
  labels: readonly string[],
  datasets: readonly Dataset[],
  tones?: ChartSpec['tones'],
): ChartSpec {
  const base: ChartSpec = { id, type, title, labels, datasets, labelHeader };
  return tones === undefined ? base : Object.assign({}, base, { tones });
}

export const lifecycleName = (d: ViewBase, stage: string): string =>
  d.config.lifecycle.stages.find((s) => s.id === stage)?.name ?? stage;

export function dealStageName(d: ViewBase, pipeline: string, stage: string): string {
  const pipelines = d.config.pipeline.pipelines;
  const p = pipelines.find((x) => x.id === pipeline);
  const name = p?.stages.find((s) => s.id === stage)?.name ?? stage;
  return pipelines.length > 1 ? `${p?.name ?? pipeline}: ${name}` : name;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

