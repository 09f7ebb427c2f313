/** The page for a request the dashboard cannot answer: what went wrong and what to change. Pure. */
import { markup } from '../html.ts';
import { layout } from '../layout.ts';
import type { QueryIssue } from '../query.ts';

export interface ErrorPage {
  readonly status: number;
  readonly title: string;
  readonly message: string;
  /** What to do next. */
  readonly hint?: string | undefined;
  readonly issues?: readonly QueryIssue[];
  readonly user?: string | undefined;
}

/** The whole document. */
export function renderErrorPage(page: ErrorPage): string {
  const issues = page.issues ?? [];
  const list =
    issues.length === 0
      ? ''
      : markup`<ul class="issues">${issues.map(
          (i) => markup`<li><strong>${i.field}</strong>: ${i.message} — ${i.fix}.</li>`,
        )}</ul>`;
  const hint = page.hint === undefined ? '' : markup`<p class="hint">${page.hint}</p>`;
  const body = markup`<p class="error-message" role="alert">${page.message}</p>
${list}
${hint}
<p><a href="/">Back to the overview</a></p>`;
  return layout({ title: page.title, body, user: page.user });
}
