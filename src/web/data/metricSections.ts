/**
 * The sections of the marketing, sales and executive views (each in its own file), and the headline
 * figures of each for the overview. Pure; nothing here throws.
 */
import type { MetricsView } from '../../core/metrics/index.ts';
import type { KpiCard, ViewSection } from '../view.ts';
import { executiveSections } from './executiveView.ts';
import { marketingSections } from './marketingView.ts';
import type { MetricFormat } from './metricFormat.ts';
import { plural, type ViewMetrics } from './metricParts.ts';
import { salesSections } from './salesView.ts';
export type { ViewMetrics };

/** The sections of one view. */
export function viewSections(d: ViewMetrics): ViewSection[] {
  if (d.name === 'marketing') return marketingSections(d.view, d);
  if (d.name === 'sales') return salesSections(d.view, d);
  return executiveSections(d.view, d);
}

/** A view's three or four headline figures, for the overview. */
export function headlineKpis(v: MetricsView, f: MetricFormat): KpiCard[] {
  if (v.view === 'marketing')
    return [
      f.plain('Leads', v.volume.leads, 'count'),
      f.card('Lead → MQL', v.mqlRate, 'rate'),
      f.card('MQL → SQL', v.mqlToSql, 'rate'),
      f.card('Sales acceptance', v.scoring.acceptance, 'rate'),
    ];
  if (v.view === 'sales')
    return [
      f.plain('Open pipeline', v.pipelineValue.amount, 'money', plural(v.pipelineValue.deals, 'open deal')),
      f.card('Win rate', v.winRate, 'rate'),
      f.card('SLA compliance', v.slaCompliance, 'rate'),
      f.card('Median speed to lead', v.speedToLead.medianMs, 'duration'),
    ];
  return [
    f.card('Pipeline coverage', v.coverage, 'multiple'),
    f.card('Quota attainment', v.revenue.attainment, 'rate', v.revenue.period),
    f.card('LTV:CAC', v.ltvToCac, 'ratio'),
    f.card('CAC', v.cac, 'money'),
  ];
}
