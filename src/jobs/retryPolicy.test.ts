import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  httpVerdict,
  MAX_ATTEMPTS,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  rowStep,
  type AttemptVerdict,
} from './retryPolicy.ts';

const NOW = Date.parse('2026-11-24T15:00:00Z');
const mid = () => 0.5;

describe('backoffDelay', () => {
  it('follows 9 s × 3^(n−1), the documented schedule, without jitter at the midpoint', () => {
    expect(Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => backoffDelay(i + 1, mid) / 1000)).toEqual([
      9, 27, 81, 243, 729, 2187, 6561, 19683, 59049,
    ]);
    const total = Array.from({ length: 9 }, (_, i) => backoffDelay(i + 1, mid)).reduce((a, b) => a + b, 0);
    expect(total).toBe(88_569_000); // the tenth attempt comes 24 h 36 min 9 s after the first
  });

  it('scales by ±20% with the random draw', () => {
    expect(backoffDelay(1, () => 0)).toBe(7_200);
    expect(backoffDelay(1, () => 0.999999)).toBe(10_800);
    expect(backoffDelay(9, () => 0)).toBe(47_239_200);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    [new Date(NOW + 30_000).toUTCString(), 30_000],
    [new Date(NOW - 60_000).toUTCString(), 0],
    ['999999', MAX_RETRY_AFTER_MS],
  ])('reads %j as %d ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW)).toBe(ms);
  });

  it.each([undefined, 'soon', '-5', '1.5', '2026-11-24'])('ignores %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('httpVerdict', () => {
  it.each([
    [200, { kind: 'delivered' }],
    [204, { kind: 'delivered' }],
    [400, { kind: 'dead', error: 'HTTP 400: bad' }],
    [401, { kind: 'dead', error: 'HTTP 401: bad' }],
    [404, { kind: 'dead', error: 'HTTP 404: bad' }],
    [410, { kind: 'dead', error: 'HTTP 410: bad' }],
    [422, { kind: 'dead', error: 'HTTP 422: bad' }],
    [301, { kind: 'dead', error: 'HTTP 301: bad (redirects are not followed: use the final URL)' }],
    [408, { kind: 'retry', error: 'HTTP 408: bad' }],
    [429, { kind: 'retry', error: 'HTTP 429: bad' }],
    [500, { kind: 'retry', error: 'HTTP 500: bad' }],
    [503, { kind: 'retry', error: 'HTTP 503: bad' }],
  ])('HTTP %d → %j', (status, verdict) => {
    expect(httpVerdict(status, 'bad', undefined, NOW)).toEqual(verdict);
  });

  it('keeps the wait a 429 or 503 asks for', () => {
    expect(httpVerdict(429, '', '120', NOW)).toEqual({ kind: 'retry', error: 'HTTP 429', waitMs: 120_000 });
    expect(httpVerdict(503, 'down', new Date(NOW + 5_000).toUTCString(), NOW)).toEqual({
      kind: 'retry',
      error: 'HTTP 503: down',
      waitMs: 5_000,
    });
    expect(httpVerdict(400, '', '120', NOW)).toEqual({ kind: 'dead', error: 'HTTP 400' });
  });
});

describe('rowStep', () => {
  const ok: AttemptVerdict = { kind: 'delivered' };
  const retry = (error: string, waitMs?: number): AttemptVerdict =>
    waitMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, waitMs };

  it('delivers when every destination took it (or none was left)', () => {
    expect(rowStep([{ destination: 'webhook:a', verdict: ok }], 1, mid)).toEqual({ kind: 'delivered' });
    expect(rowStep([], 3, mid)).toEqual({ kind: 'delivered' });
  });

  it('is dead at once when one destination refuses for good, naming each failure', () => {
    expect(
      rowStep(
        [
          { destination: 'webhook:a', verdict: { kind: 'dead', error: 'HTTP 400' } },
          { destination: 'slack:b', verdict: retry('HTTP 500') },
          { destination: 'email', verdict: ok },
        ],
        1,
        mid,
      ),
    ).toEqual({ kind: 'dead', error: 'webhook:a: HTTP 400; slack:b: HTTP 500' });
  });

  it('retries after the backoff, or the longest Retry-After when every failure gave one', () => {
    expect(rowStep([{ destination: 'a', verdict: retry('HTTP 500') }], 2, mid)).toEqual({
      kind: 'retry',
      waitMs: 27_000,
      error: 'a: HTTP 500',
    });
    expect(rowStep([{ destination: 'a', verdict: retry('HTTP 429', 2_000) }], 2, mid)).toMatchObject({
      waitMs: 2_000,
    });
    expect(
      rowStep(
        [
          { destination: 'a', verdict: retry('HTTP 429', 60_000) },
          { destination: 'b', verdict: retry('ECONNRESET') },
        ],
        1,
        mid,
      ),
    ).toMatchObject({ waitMs: 60_000 });
  });

  it('gives up after the tenth attempt', () => {
    expect(rowStep([{ destination: 'a', verdict: retry('HTTP 503') }], MAX_ATTEMPTS, mid)).toEqual({
      kind: 'dead',
      error: 'gave up after 10 attempts: a: HTTP 503',
    });
  });
});
