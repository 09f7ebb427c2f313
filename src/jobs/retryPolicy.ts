/**
 * When a failed delivery is tried again, and when it is given up. Up to `MAX_ATTEMPTS` (10)
 * attempts; after failed attempt n the next waits 9 s × 3^(n−1) with ±20% jitter:
 *
 *   after attempt  1   2    3      4      5       6       7         8         9
 *   wait           9s  27s  1m21s  4m03s  12m09s  36m27s  1h49m21s  5h28m03s  16h24m09s
 *
 * so the tenth attempt comes about 24.6 hours after the first (19.7 h to 29.5 h with jitter); if it
 * fails too the row is dead. A `Retry-After` header (seconds or an HTTP date) replaces the backoff,
 * up to 24 hours. Nothing here reads a clock or a random source: both are arguments.
 */
import type { Millis } from '../core/types.ts';

export const MAX_ATTEMPTS = 10;
export const BASE_DELAY_MS = 9_000;
export const BACKOFF_FACTOR = 3;
/** The delay is scaled by a factor drawn uniformly from [1 − JITTER, 1 + JITTER). */
export const JITTER = 0.2;
/** The longest wait a `Retry-After` header can ask for. */
export const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/** The wait before the attempt after failed attempt `attempt` (1-based); `random` in [0, 1). */
export function backoffDelay(attempt: number, random: () => number): Millis {
  const base = BASE_DELAY_MS * BACKOFF_FACTOR ** Math.max(0, attempt - 1);
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

/**
 * A `Retry-After` value as a wait from `now`: whole seconds (`120`) or an HTTP date; a date in the
 * past is 0; capped at `MAX_RETRY_AFTER_MS`. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: Millis): Millis | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  let wait: number;
  if (/^\d+$/.test(text)) wait = Number(text) * 1000;
  else {
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
    wait = Math.max(0, at - now);
  }
  return Math.min(wait, MAX_RETRY_AFTER_MS);
}

/** What one delivery attempt to one destination came to. */
export type AttemptVerdict =
  | { readonly kind: 'delivered' }
  /** Worth another try: network errors, 408, 429, 5xx; `waitMs` when the server said when. */
  | { readonly kind: 'retry'; readonly error: string; readonly waitMs?: Millis }
  /** Another try would fail the same way: other 4xx, redirects, a refused or misconfigured destination. */
  | { readonly kind: 'dead'; readonly error: string };

/** Statuses worth retrying: request timeout, too many requests, and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** An HTTP response's verdict (`excerpt`: the start of the body, for `last_error`). */
export function httpVerdict(
  status: number,
  excerpt: string,
  retryAfter: string | undefined,
  now: Millis,
): AttemptVerdict {
  if (status >= 200 && status < 300) return { kind: 'delivered' };
  const error = `HTTP ${status}${excerpt === '' ? '' : `: ${excerpt}`}`;
  if (status >= 300 && status < 400)
    return { kind: 'dead', error: `${error} (redirects are not followed: use the final URL)` };
  if (!isRetryableStatus(status)) return { kind: 'dead', error };
  const waitMs = parseRetryAfter(retryAfter, now);
  return waitMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, waitMs };
}

/** How a row's attempt ends, from its destinations' verdicts (`attempt`: the attempt just made). */
export type RowStep =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly waitMs: Millis; readonly error: string }
  | { readonly kind: 'dead'; readonly error: string };

/**
 * One permanent failure makes the row dead (destinations that took it stay done, and a revived row
 * sends only to the rest); otherwise any retryable failure retries — after the longest wait any of
 * them asked for — until the last attempt, which makes it dead. `errors` name their destination.
 */
export function rowStep(
  verdicts: readonly { readonly destination: string; readonly verdict: AttemptVerdict }[],
  attempt: number,
  random: () => number,
): RowStep {
  const failed = verdicts.filter((v) => v.verdict.kind !== 'delivered');
  if (failed.length === 0) return { kind: 'delivered' };
  const error = failed
    .map((v) => `${v.destination}: ${v.verdict.kind === 'delivered' ? '' : v.verdict.error}`)
    .join('; ');
  if (failed.some((v) => v.verdict.kind === 'dead')) return { kind: 'dead', error };
  if (attempt >= MAX_ATTEMPTS) return { kind: 'dead', error: `gave up after ${attempt} attempts: ${error}` };
  const asked = failed.map((v) => (v.verdict.kind === 'retry' ? v.verdict.waitMs : undefined));
  const waits = asked.filter((w): w is Millis => w !== undefined);
  const waitMs =
    waits.length === asked.length ? Math.max(...waits) : Math.max(backoffDelay(attempt, random), ...waits);
  return { kind: 'retry', waitMs, error };
}
