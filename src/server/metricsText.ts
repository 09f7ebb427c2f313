/**
 * The Prometheus text exposition format (version 0.0.4), written by hand: `# HELP` and `# TYPE` per
 * family, one line per series, label values escaped (backslash, double quote, newline).
 */

export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly series: readonly { readonly labels?: Readonly<Record<string, string>>; readonly value: number }[];
}

const escapeLabel = (value: string): string =>
  value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const escapeHelp = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** The families as exposition text (ends with a newline). Does not throw. */
export function exposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const { labels, value } of family.series) {
      const entries = Object.entries(labels ?? {});
      const labelText =
        entries.length === 0 ? '' : `{${entries.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
      lines.push(`${family.name}${labelText} ${formatValue(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** One series per key of `counts`, plus a 0 for each of `always` not present. Does not throw. */
export function labelled(
  label: string,
  counts: Readonly<Record<string, number>>,
  always: readonly string[] = [],
): { labels: Record<string, string>; value: number }[] {
  const keys = [...new Set([...always, ...Object.keys(counts)])];
  return keys.map((key) => ({ labels: { [label]: key }, value: counts[key] ?? 0 }));
}
