import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, splitLines, unifiedDiff } from './lineDiff.ts';

/** Length of the longest common subsequence, by the textbook table (the reference for minimality). */
function lcs(a: readonly string[], b: readonly string[]): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (const x of a) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      row[j] = x === b[j - 1] ? diagonal + 1 : Math.max(above, row[j - 1] ?? 0);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** Applies a unified diff to `a` the way `patch` would (hunks in order, context checked). */
function applyPatch(a: readonly string[], patch: string): string[] {
  const out: string[] = [];
  let next = 0;
  const lines = splitLines(patch).slice(2);
  for (let i = 0; i < lines.length;) {
    const header = /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@$/.exec(lines[i] ?? '');
    if (header === null) throw new Error(`not a hunk header: ${lines[i]}`);
    const start = Number(header[2]) === 0 ? Number(header[1]) : Number(header[1]) - 1;
    while (next < start) out.push(a[next++] ?? '');
    i++;
    while (i < lines.length && !(lines[i] ?? '').startsWith('@@')) {
      const line = lines[i] ?? '';
      const text = line.slice(1);
      if (line.startsWith('+')) out.push(text);
      else {
        if (a[next] !== text) throw new Error(`context mismatch at ${next}: ${a[next]} vs ${text}`);
        if (line.startsWith(' ')) out.push(text);
        next++;
      }
      i++;
    }
  }
  while (next < a.length) out.push(a[next++] ?? '');
  return out;
}

const lines = fc.array(fc.constantFrom('a', 'b', 'c', 'd', ''), { maxLength: 30 });

describe('diffLines', () => {
  it('rebuilds both sides and is a shortest edit script (checked against the LCS table)', () => {
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const script = diffLines(a, b);
        expect(script.filter((l) => l.op !== 'insert').map((l) => l.text)).toEqual(a);
        expect(script.filter((l) => l.op !== 'delete').map((l) => l.text)).toEqual(b);
        expect(script.filter((l) => l.op !== 'equal').length).toBe(a.length + b.length - 2 * lcs(a, b));
      }),
      { numRuns: 1000 },
    );
  });

  it('past maxEdits reports the differing middle as removed then added, still rebuilding both sides', () => {
    const a = ['keep', 'x1', 'x2', 'x3', 'end'];
    const b = ['keep', 'y1', 'y2', 'end'];
    expect(diffLines(a, b, 2)).toEqual([
      { op: 'equal', text: 'keep' },
      { op: 'delete', text: 'x1' },
      { op: 'delete', text: 'x2' },
      { op: 'delete', text: 'x3' },
      { op: 'insert', text: 'y1' },
      { op: 'insert', text: 'y2' },
      { op: 'equal', text: 'end' },
    ]);
  });

  it('splits on LF and CRLF, without an empty line for the final newline', () => {
    expect(splitLines('a\r\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\n\n')).toEqual(['a', '']);
    expect(splitLines('')).toEqual([]);
  });
});

describe('unifiedDiff', () => {
  it('is empty for the same text', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', { from: 'x', to: 'y' })).toBe('');
  });

  it('writes hunks with three lines of context, merging close changes', () => {
    const before = [
      'one',
      'two',
      'three',
      'four',
      'five',
      'six',
      'seven',
      'eight',
      'nine',
      'ten',
      'eleven',
      'twelve',
    ];
    const after = [...before];
    after[1] = 'TWO';
    after.splice(10, 1);
    const text = unifiedDiff(`${before.join('\n')}\n`, `${after.join('\n')}\n`, { from: 'aaa', to: 'bbb' });
    expect(text).toBe(
      [
        '--- aaa',
        '+++ bbb',
        '@@ -1,5 +1,5 @@',
        ' one',
        '-two',
        '+TWO',
        ' three',
        ' four',
        ' five',
        '@@ -8,5 +8,4 @@',
        ' eight',
        ' nine',
        ' ten',
        '-eleven',
        ' twelve',
        '',
      ].join('\n'),
    );
  });

  it('numbers an insertion into an empty file from line 0', () => {
    expect(unifiedDiff('', 'a\n', { from: 'x', to: 'y' })).toBe('--- x\n+++ y\n@@ -0,0 +1,1 @@\n+a\n');
  });

  it('applies: patching the old text with it gives the new text', () => {
    fc.assert(
      fc.property(lines, lines, fc.integer({ min: 0, max: 3 }), (a, b, context) => {
        const patch = unifiedDiff(
          a.map((l) => `${l}\n`).join(''),
          b.map((l) => `${l}\n`).join(''),
          { from: 'a', to: 'b' },
          context,
        );
        expect(patch === '' ? [...a] : applyPatch(a, patch)).toEqual(b);
      }),
      { numRuns: 1000 },
    );
  });
});
