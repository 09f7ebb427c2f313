/**
 * The page around every dashboard screen: head (stylesheet, chart scripts when the page has
 * charts), a skip link, the navigation, who is signed in (with a sign-out button), the filter form
 * (a plain GET form: date range, source, and the page's own fields) under the page's heading, and
 * the main content. Pure.
 */
import { markup, type HtmlValue, type SafeHtml } from './html.ts';

export const NAV = [
  { id: 'overview', label: 'Overview', href: '/' },
  { id: 'marketing', label: 'Marketing', href: '/views/marketing' },
  { id: 'sales', label: 'Sales', href: '/views/sales' },
  { id: 'executive', label: 'Executive', href: '/views/executive' },
  { id: 'sla', label: 'SLA board', href: '/sla' },
  { id: 'routing', label: 'Routing log', href: '/routing' },
  { id: 'leads', label: 'Leads', href: '/leads' },
] as const;
export type NavId = (typeof NAV)[number]['id'];

/** The filter form: where it submits and the values it shows. */
export interface FilterForm {
  /** The page's path (the form submits to it with GET). */
  readonly action: string;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly source?: string | undefined;
  /** Without the date range and source (a page that has no use for them). */
  readonly noRange?: boolean;
  /** More labelled fields (`field()`). */
  readonly extra?: HtmlValue;
  /** A line under the form: `Dates are in America/New_York.` */
  readonly note?: string;
}

export interface LayoutOptions {
  /** The document title, and the page's `<h1>` unless `heading` says otherwise. */
  readonly title: string;
  /** The `<h1>` (default: the title); false: the body has its own (the sign-in page). */
  readonly heading?: string | false;
  /** A sentence under the heading, above the filters. */
  readonly lede?: string | undefined;
  /** The navigation item to mark current (none on the sign-in and error pages). */
  readonly active?: NavId | undefined;
  readonly body: HtmlValue;
  readonly filters?: FilterForm | undefined;
  /** The signed-in key's name; absent: no sign-out button (auth off, or signed out). */
  readonly user?: string | undefined;
  /** Load Chart.js and the drawing script. */
  readonly charts?: boolean;
  /** Leave out the navigation (the sign-in page). */
  readonly bare?: boolean;
}

/** One labelled input of the filter form. */
export function field(
  name: string,
  label: string,
  value: string | undefined,
  options: { readonly type?: string; readonly placeholder?: string } = {},
): SafeHtml {
  const id = `f-${name}`;
  const placeholder = options.placeholder === undefined ? '' : markup` placeholder="${options.placeholder}"`;
  return markup`<div class="field"><label for="${id}">${label}</label>
<input id="${id}" name="${name}" type="${options.type ?? 'text'}" value="${value ?? ''}"${placeholder}></div>`;
}

/** A labelled `<select>`; the empty option means "any". */
export function selectField(
  name: string,
  label: string,
  value: string | undefined,
  choices: readonly { readonly value: string; readonly label: string }[],
): SafeHtml {
  const id = `f-${name}`;
  const options = choices.map((c) => {
    const selected = c.value === value ? markup` selected` : '';
    return markup`<option value="${c.value}"${selected}>${c.label}</option>`;
  });
  return markup`<div class="field"><label for="${id}">${label}</label>
<select id="${id}" name="${name}"><option value="">Any</option>${options}</select></div>`;
}

function filterForm(form: FilterForm): SafeHtml {
  const range = form.noRange === true;
  const note = form.note === undefined ? '' : markup`<p class="filter-note">${form.note}</p>`;
  return markup`<form class="filters" method="get" action="${form.action}" role="search" aria-label="Filters">
${range ? '' : field('from', 'From', form.from, { type: 'date' })}
${range ? '' : field('to', 'To', form.to, { type: 'date' })}
${range ? '' : field('source', 'Source', form.source, { placeholder: 'any (web, event, …)' })}
${form.extra}
<div class="field actions"><button type="submit">Apply</button> <a href="${form.action}">Clear</a></div>
${note}
</form>`;
}

function nav(active: NavId | undefined): SafeHtml {
  const items = NAV.map((item) => {
    const current = item.id === active ? markup` aria-current="page"` : '';
    return markup`<li><a href="${item.href}"${current}>${item.label}</a></li>`;
  });
  return markup`<nav aria-label="Dashboard"><ul>${items}</ul></nav>`;
}

/** The whole HTML document. */
export function layout(options: LayoutOptions): string {
  const bare = options.bare === true;
  const scripts =
    options.charts === true
      ? markup`<script src="/assets/chart.js" defer></script>
<script src="/assets/dashboard.js" defer></script>`
      : '';
  const user =
    options.user === undefined
      ? ''
      : markup`<form class="signout" method="post" action="/logout"><span>Signed in as <strong>${options.user}</strong></span> <button type="submit">Sign out</button></form>`;
  const heading = options.heading === false ? '' : markup`<h1>${options.heading ?? options.title}</h1>`;
  const lede = options.lede === undefined ? '' : markup`<p class="lede">${options.lede}</p>`;
  return markup`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} — RevOps Engine</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/dashboard.css">
${scripts}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="/">RevOps Engine</a>
${bare ? '' : nav(options.active)}
${user}
</header>
<main id="main" tabindex="-1">
${heading}
${lede}
${options.filters === undefined ? '' : filterForm(options.filters)}
${options.body}
</main>
</body>
</html>
`.text;
}
