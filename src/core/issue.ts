/**
 * Coded issues: every user-caused problem is a value with a stable `code`, a path, a message that
 * says what is wrong, and a hint that says what to do. Formatting happens at the edge (cli/, server/).
 */
import type { IssueCode } from './errors.ts';

/** A position in a source file, 1-based line and column. */
export interface SourcePosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface Issue {
  readonly code: IssueCode;
  /** Path into the document (`scoring.fit.groups[0].buckets[1].points`). Empty for the whole file. */
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
  readonly source?: SourcePosition;
  /** `error` blocks loading; `warning` is reported and the config still loads. */
  readonly severity: 'error' | 'warning';
}

/** Renders `a.b[0].c` from a path. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}
