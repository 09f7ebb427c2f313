/**
 * Where the marketing, sales and executive views get their numbers: a `ViewSource` turns a view
 * name and the filters into a `ViewData` of KPI cards, charts and tables. The dashboard uses
 * `metricViews` (metricViews.ts), built on the metrics module (docs/dashboard.md).
 */
import type { ServerContext } from '../../server/context.ts';
import type { RangeFilters } from '../query.ts';
import type { ViewData } from '../view.ts';

export const VIEW_NAMES = ['marketing', 'sales', 'executive'] as const;
export type ViewName = (typeof VIEW_NAMES)[number];

export interface ViewRequest {
  readonly name: ViewName;
  readonly range: RangeFilters;
  /** The company time zone the range was read in. */
  readonly zone: string;
  readonly now: number;
}

/**
 * Builds a view's data. Rejects if the store fails, and — for a range the metrics refuse (a `from`
 * after today) — with `metrics.invalid_range`, which the route answers with the 400 page.
 */
export type ViewSource = (ctx: ServerContext, request: ViewRequest) => Promise<ViewData>;
