/**
 * Opaque page cursors: the sort key of a page's last row, as base64url JSON tagged with the list it
 * belongs to, so a cursor from one list (or a hand-edited one) is refused with a 400, never misread.
 */
import { RevopsError } from '../core/errors.ts';

/** Encodes `position` (the last row's sort key) for the list `kind`. Does not throw. */
export function encodeCursor(kind: string, position: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([kind, ...position]), 'utf8').toString('base64url');
}

const invalid = (kind: string) =>
  new RevopsError('http.invalid_query', `\`cursor\` is not a cursor of this list (${kind})`, {
    issues: [
      {
        code: 'http.invalid_query',
        path: ['cursor'],
        message: 'pass the `nextCursor` of the previous page as it was given',
        severity: 'error',
      },
    ],
    hint: 'start again without `cursor`, then pass each page’s `nextCursor` unchanged',
  });

/**
 * Decodes a cursor of `kind` whose position has the given shape (`'s'` a string, `'n'` a finite
 * number). Throws `RevopsError` `http.invalid_query` for anything else.
 */
export function decodeCursor<const S extends readonly ('s' | 'n')[]>(
  kind: string,
  cursor: string,
  shape: S,
): { [I in keyof S]: S[I] extends 's' ? string : number } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid(kind);
  }
  if (!Array.isArray(parsed) || parsed.length !== shape.length + 1 || parsed[0] !== kind) throw invalid(kind);
  const position = parsed.slice(1) as unknown[];
  position.forEach((value, i) => {
    const ok =
      shape[i] === 's' ? typeof value === 'string' : typeof value === 'number' && Number.isFinite(value);
    if (!ok) throw invalid(kind);
  });
  return position as { [I in keyof S]: S[I] extends 's' ? string : number };
}
