/**
 * The dashboard's building blocks as HTML: data tables (`<caption>`, `<th scope>`), KPI cards, and
 * charts — a `<canvas>` carrying its spec as `data-chart` JSON (drawn by /assets/dashboard.js with
 * Chart.js) beside a table of the same numbers, so the page reads the same without scripts.
 * Every text is escaped; nothing here throws.
 */
import { markup, raw, SafeHtml, type HtmlValue } from './html.ts';
import { formatInstant, isoInstant } from './format.ts';

/** A table cell: text, a number, a link, or markup we built; null shows as `—`. */
export type Cell =
  string | number | null | undefined | SafeHtml | { readonly text: string; readonly href: string };

export interface Column {
  readonly label: string;
  /** Right-aligned (numbers). */
  readonly numeric?: boolean;
}

export interface TableSpec {
  readonly caption: string;
  readonly columns: readonly (string | Column)[];
  readonly rows: readonly (readonly Cell[])[];
  /** Shown in place of the rows when there are none. */
  readonly empty?: string;
  /** The first cell of each row is its header (`<th scope="row">`); default true. */
  readonly rowHeader?: boolean;
  /** An extra class on the table (`compact`). */
  readonly className?: string;
}

const column = (c: string | Column): Column => (typeof c === 'string' ? { label: c } : c);

/** A link with escaped text and target. */
export function link(text: string, href: string): SafeHtml {
  return markup`<a href="${href}">${text}</a>`;
}

/** `<time>` with the instant in `zone`; `—` for none. */
export function time(at: number | string | null | undefined, zone: string): SafeHtml {
  const ms = typeof at === 'string' ? Date.parse(at) : at;
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return raw('—');
  return markup`<time datetime="${isoInstant(ms)}">${formatInstant(ms, zone)}</time>`;
}

function cell(value: Cell): HtmlValue {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return Number.isFinite(value) ? value.toLocaleString('en-US') : '—';
  if (typeof value === 'string' || value instanceof SafeHtml) return value;
  return link(value.text, value.href);
}

/** A data table; columns marked numeric are right-aligned. */
export function table(spec: TableSpec): SafeHtml {
  const columns = spec.columns.map(column);
  const rowHeader = spec.rowHeader ?? true;
  const cls = (c: Column | undefined) => (c?.numeric === true ? raw(' class="num"') : '');
  const head = columns.map((c) => markup`<th scope="col"${cls(c)}>${c.label}</th>`);
  const empty = spec.empty ?? 'Nothing to show.';
  const body =
    spec.rows.length === 0
      ? markup`<tr><td colspan="${Math.max(1, columns.length)}" class="empty">${empty}</td></tr>`
      : spec.rows.map((row) => {
          const cells = row.map((value, i) =>
            i === 0 && rowHeader
              ? markup`<th scope="row"${cls(columns[i])}>${cell(value)}</th>`
              : markup`<td${cls(columns[i])}>${cell(value)}</td>`,
          );
          return markup`<tr>${cells}</tr>`;
        });
  return markup`<div class="table-wrap"><table class="${spec.className ?? ''}">
<caption>${spec.caption}</caption>
<thead><tr>${head}</tr></thead>
<tbody>${body}</tbody>
</table></div>`;
}

/** A section with a heading (`h2`) and an id to link to. */
export function section(id: string, title: string, body: HtmlValue, intro?: string): SafeHtml {
  return markup`<section class="panel" id="${id}" aria-labelledby="${id}-title">
<h2 id="${id}-title">${title}</h2>
${intro === undefined ? '' : markup`<p class="intro">${intro}</p>`}
${body}
</section>`;
}

/** A short status badge whose word carries the meaning (colour only repeats it). */
export function badge(text: string, tone: 'good' | 'warn' | 'bad' | 'neutral' = 'neutral'): SafeHtml {
  return markup`<span class="badge badge-${tone}">${text}</span>`;
}
