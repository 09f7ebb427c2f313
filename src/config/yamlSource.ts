/**
 * YAML text with source positions: parse once, then answer "where is this path?" so every issue
 * can name `file:line:col`, including a column inside a CEL expression.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node } from 'yaml';
import type { Issue, SourcePosition } from '../core/issue.ts';

export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  /** Parse errors and warnings as issues (empty when the YAML is well-formed). */
  readonly issues: readonly Issue[];
  /** Position of the value at `path`, or of the deepest ancestor that exists. */
  positionOf(path: readonly PropertyKey[], options?: { key?: boolean; offset?: number }): SourcePosition;
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: false });

  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { file, line, column: col };
  };

  const issues: Issue[] = doc.errors.map((error) => {
    const duplicate = error.code === 'DUPLICATE_KEY';
    const firstLine = error.message.split('\n')[0] ?? error.message;
    return {
      code: duplicate ? 'config.duplicate_key' : 'config.yaml_syntax',
      path: [],
      message: duplicate
        ? 'this key appears twice in the same mapping; YAML keeps only one of them'
        : `YAML syntax: ${firstLine.replace(/ at line \d+, column \d+:?$/, '')}`,
      hint: duplicate
        ? 'delete or rename one of the two keys'
        : 'check indentation (spaces, not tabs), colons after keys and closing quotes or brackets',
      source: at(error.pos[0]),
      severity: 'error',
    } satisfies Issue;
  });

  const positionOf = (
    path: readonly PropertyKey[],
    options: { key?: boolean; offset?: number } = {},
  ): SourcePosition => {
    let node: unknown = doc.contents;
    let keyNode: unknown = undefined;
    for (const part of path) {
      if (isMap(node)) {
        const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === part);
        if (!pair) break;
        keyNode = pair.key;
        node = pair.value;
      } else if (isSeq(node) && typeof part === 'number') {
        const item: unknown = node.items[part];
        if (item === undefined) break;
        keyNode = undefined;
        node = item;
      } else {
        break;
      }
    }
    const target = options.key && keyNode !== undefined ? keyNode : node;
    const range = (target as Node | null | undefined)?.range;
    if (!range) return at(0);
    if (options.offset !== undefined && isScalar(target) && typeof target.value === 'string') {
      return at(offsetInScalar(text, target, options.offset));
    }
    return at(range[0]);
  };

  return { file, text, doc, issues, positionOf };
}

/** Maps a character offset inside a string scalar's value to an offset in the file text. */
function offsetInScalar(text: string, scalar: Scalar, offset: number): number {
  const [start, end] = scalar.range ?? [0, 0];
  const value = String(scalar.value);
  if (scalar.type === Scalar.PLAIN && !value.includes('\n')) return start + offset;
  if (
    (scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE) &&
    !text.slice(start, end).includes('\n')
  ) {
    return start + 1 + offset;
  }
  // Multi-line scalars: find the line of the value holding the offset, then that line in the file.
  const before = value.slice(0, offset);
  const lineIndex = before.split('\n').length - 1;
  const column = offset - (before.lastIndexOf('\n') + 1);
  const line = value.split('\n')[lineIndex] ?? '';
  const found = line.trim() === '' ? -1 : text.indexOf(line.trim(), start);
  if (found < 0 || found > end) return start;
  return found + (column - (line.length - line.trimStart().length));
}
