/** A metrics view page (overview, marketing, sales, executive): the layout around `renderView`. Pure. */
import { layout, type NavId } from '../layout.ts';
import type { RangeFilters } from '../query.ts';
import { hasCharts, renderView, type ViewData } from '../view.ts';

export interface ViewPage {
  readonly view: ViewData;
  readonly active: NavId;
  /** The page's path, where the filter form submits. */
  readonly path: string;
  /** The filters the view was built with; absent: the page has no filter form (the overview). */
  readonly range?: RangeFilters | undefined;
  readonly zone: string;
  readonly user?: string | undefined;
}

/** The whole document. */
export function renderViewPage(page: ViewPage): string {
  return layout({
    title: page.view.title,
    lede: page.view.intro,
    active: page.active,
    body: renderView(page.view),
    user: page.user,
    charts: hasCharts(page.view),
    filters:
      page.range === undefined
        ? undefined
        : {
            action: page.path,
            from: page.range.from,
            to: page.range.to,
            source: page.range.source,
            note: `Dates are in ${page.zone}; both days are included.`,
          },
  });
}
