/**
 * A line diff (Myers' O((N+M)·D) greedy algorithm, shortest edit script) and its unified-diff text,
 * for `GET /v1/config/diff`. Common leading and trailing lines are set aside first; past
 * `maxEdits` differences the middle is reported as removed then added (a correct, not minimal,
 * diff), so a huge unrelated pair cannot take quadratic time or memory.
 */

/** One line of the edit script: kept, removed from `a`, or added from `b`. */
export interface DiffLine {
  readonly op: 'equal' | 'delete' | 'insert';
  readonly text: string;
}

/** Splits text into lines; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The edit script turning `a` into `b`, shortest when the lines differ in at most `maxEdits` places. */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits = 2000): DiffLine[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head = a.slice(0, start).map((text): DiffLine => ({ op: 'equal', text }));
  const tail = a.slice(endA).map((text): DiffLine => ({ op: 'equal', text }));
  const middle = myers(a.slice(start, endA), b.slice(start, endB), maxEdits);
  return [...head, ...middle, ...tail];
}

/** Myers' forward greedy search, keeping each round's frontier for the walk back. */
function myers(a: readonly string[], b: readonly string[], maxEdits: number): DiffLine[] {
  const n = a.length;
  const m = b.length;
  const replaceAll = (): DiffLine[] => [
    ...a.map((text): DiffLine => ({ op: 'delete', text })),
    ...b.map((text): DiffLine => ({ op: 'insert', text })),
  ];
  if (n === 0 || m === 0) return replaceAll();
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] ?? 0) < (v[offset + k + 1] ?? 0));
      let x = down ? (v[offset + k + 1] ?? 0) : (v[offset + k - 1] ?? 0) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(a, b, trace, d);
    }
  }
  return replaceAll();
}

/** Walks the saved frontiers back from (n, m) to (0, 0), collecting the script. */
function backtrack(
  a: readonly string[],
  b: readonly string[],
  trace: readonly Int32Array[],
  last: number,
): DiffLine[] {
  const out: DiffLine[] = [];
  let x = a.length;
  let y = b.length;
  for (let d = last; d > 0; d--) {
    const frontier = trace[d] ?? new Int32Array(0);
    // frontier[i] is V[k] for k = i - d - 1 at the start of round d (after round d - 1).
    const at = (k: number): number => frontier[k + d + 1] ?? 0;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      y--;
      out.push({ op: 'equal', text: a[--x] ?? '' });
    }
    if (down) out.push({ op: 'insert', text: b[--y] ?? '' });
    else out.push({ op: 'delete', text: a[--x] ?? '' });
  }
  while (x > 0 && y > 0) {
    y--;
    out.push({ op: 'equal', text: a[--x] ?? '' });
  }
  return out.reverse();
}

/**
 * The unified diff of `a` → `b` (`--- from`, `+++ to`, `@@ -l,n +l,n @@` hunks with `context`
 * unchanged lines around each change); empty text when they are the same. Never throws.
 */
export function unifiedDiff(
  a: string,
  b: string,
  labels: { readonly from: string; readonly to: string },
  context = 3,
): string {
  const script = diffLines(splitLines(a), splitLines(b));
  const changed = script.map((line, i) => (line.op === 'equal' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  // Line numbers (1-based) in a and b before each script entry.
  const lineA: number[] = [];
  const lineB: number[] = [];
  let na = 1;
  let nb = 1;
  for (const line of script) {
    lineA.push(na);
    lineB.push(nb);
    if (line.op !== 'insert') na++;
    if (line.op !== 'delete') nb++;
  }
  let i = 0;
  while (i < changed.length) {
    const first = changed[i] ?? 0;
    let lastChange = first;
    while (i + 1 < changed.length && (changed[i + 1] ?? 0) - lastChange <= 2 * context + 1) {
      i++;
      lastChange = changed[i] ?? lastChange;
    }
    i++;
    const from = Math.max(0, first - context);
    const to = Math.min(script.length, lastChange + context + 1);
    const hunk = script.slice(from, to);
    const countA = hunk.filter((l) => l.op !== 'insert').length;
    const countB = hunk.filter((l) => l.op !== 'delete').length;
    const startA = countA === 0 ? (lineA[from] ?? 1) - 1 : (lineA[from] ?? 1);
    const startB = countB === 0 ? (lineB[from] ?? 1) - 1 : (lineB[from] ?? 1);
    out.push(`@@ -${startA},${countA} +${startB},${countB} @@`);
    for (const line of hunk)
      out.push(`${line.op === 'equal' ? ' ' : line.op === 'delete' ? '-' : '+'}${line.text}`);
  }
  return `${out.join('\n')}\n`;
}
