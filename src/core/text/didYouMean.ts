/** "Did you mean …?" suggestions for misspelt keys, ids and values. */
import { distance } from 'fastest-levenshtein';

/** The closest candidate within a small edit distance, or undefined. */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const needle = input.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(needle, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(1, Math.min(3, Math.floor(Math.max(needle.length, best.length) / 3)));
  return bestDistance <= allowed ? best : undefined;
}

/** ` — did you mean `x`?` or an empty string. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const match = closest(input, candidates);
  return match === undefined ? '' : ` — did you mean \`${match}\`?`;
}

/** `a`, `b` or `c` for messages, shortened past `limit` items. */
export function listOf(values: readonly string[], limit = 12): string {
  const shown = values.slice(0, limit).map((v) => `\`${v}\``);
  const more = values.length > limit ? `, … (${values.length - limit} more)` : '';
  if (shown.length <= 1) return shown.join('') + more;
  return `${shown.slice(0, -1).join(', ')} or ${shown.at(-1) ?? ''}${more}`;
}
