/**
 * A routing decision's trace on the lead page: the rules tried in order (matched or not, and why)
 * and every rep each team pick looked at. The trace is stored as JSON; anything that does not have
 * the expected shape is shown as JSON rather than dropped. Pure; nothing here throws.
 */
import { badge, table, type Cell } from '../components.ts';
import { markup, type SafeHtml } from '../html.ts';

type Json = unknown;

const text = (value: Json): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
const num = (value: Json): number | null => (typeof value === 'number' ? value : null);
const record = (value: Json): Record<string, Json> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, Json>)
    : undefined;
const records = (value: Json): Record<string, Json>[] | undefined =>
  Array.isArray(value) ? value.map(record).filter((r) => r !== undefined) : undefined;

const OUTCOME_TONE: Readonly<Record<string, 'good' | 'warn' | 'bad' | 'neutral'>> = {
  placed: 'good',
  no_match: 'neutral',
  nobody_available: 'warn',
  no_territory: 'warn',
  error: 'bad',
};

/** The trace as two tables: rules tried, reps considered. */
export function traceTables(trace: Json, caption: string): SafeHtml {
  const t = record(trace);
  const steps = records(t?.['steps']);
  const candidates = records(t?.['candidates']);
  if (t === undefined || steps === undefined)
    return markup`<pre class="json">${JSON.stringify(trace, null, 2)}</pre>`;
  const stepRows: Cell[][] = steps.map((s) => [
    markup`${text(s['name']) ?? ''} <code>${text(s['rule']) ?? ''}</code>`,
    text(s['path']) ?? null,
    s['matched'] === true ? 'yes' : 'no',
    badge(text(s['outcome']) ?? '?', OUTCOME_TONE[text(s['outcome']) ?? ''] ?? 'neutral'),
    text(s['detail']) ?? null,
  ]);
  const rules = table({
    caption: `${caption}: rules tried, in order`,
    columns: ['Rule', 'Config path', 'Matched', 'Outcome', 'Why'],
    rows: stepRows,
    className: 'compact',
  });
  const reps =
    candidates === undefined || candidates.length === 0
      ? ''
      : table({
          caption: `${caption}: reps considered`,
          columns: [
            'Rep',
            'Team',
            'Status',
            'Why',
            { label: 'Count', numeric: true },
            { label: 'Weight', numeric: true },
            { label: 'Target', numeric: true },
            { label: 'Deficit', numeric: true },
            { label: 'Open leads', numeric: true },
          ],
          rows: candidates.map((c) => [
            text(c['rep']) ?? null,
            text(c['team']) ?? null,
            badge(
              text(c['status']) ?? '?',
              c['status'] === 'chosen' ? 'good' : c['status'] === 'skipped' ? 'warn' : 'neutral',
            ),
            [text(c['reason']), text(c['detail'])].filter((x) => x !== undefined).join(': ') || null,
            num(c['count']),
            num(c['weight']),
            num(c['target']),
            num(c['deficit']),
            num(c['openLeads']),
          ]),
          className: 'compact',
        });
  const cause = text(t['cause']);
  return markup`${cause === undefined ? '' : markup`<p class="muted">Caused by <code>${cause}</code>.</p>`}${rules}${reps}`;
}
