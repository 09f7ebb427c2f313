/**
 * Per-key rate limits: one token bucket per API key (and one per client address for failed key
 * checks), in memory. A bucket holds a minute's worth of requests and refills continuously, so a
 * client may burst up to the limit and then goes at the limit's pace. Time is an argument.
 */
import type { Millis } from '../core/types.ts';

/** What one request was allowed, with the figures the `RateLimit` headers carry. */
export interface RateDecision {
  readonly allowed: boolean;
  /** Requests per minute. */
  readonly limit: number;
  /** Whole tokens left after this request. */
  readonly remaining: number;
  /** Seconds until the bucket is full again (RateLimit `reset`). */
  readonly resetSeconds: number;
  /** When refused: seconds until one request is allowed (`Retry-After`, at least 1). */
  readonly retryAfterSeconds: number;
}

/** Milliseconds as whole seconds, rounded up (a float's last-digit noise is not a second). */
function wholeSeconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000 - EPSILON));
}

interface Bucket {
  tokens: number;
  at: Millis;
}

const MINUTE = 60_000;
/** Refills are fractions of a token: a token counts once within rounding of a whole one. */
const EPSILON = 1e-9;
/** Past this many buckets, full ones are dropped (they hold nothing a fresh bucket would not). */
const PRUNE_ABOVE = 10_000;

/** Token buckets by name (`key:<id>`, `ip:<address>`). */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #buckets = new Map<string, Bucket>();

  /** `perMinute` 0 turns the limit off (every request is allowed). */
  constructor(perMinute: number) {
    this.#perMinute = Math.max(0, Math.floor(perMinute));
  }

  get enabled(): boolean {
    return this.#perMinute > 0;
  }

  /** How many buckets are held (for tests and metrics). */
  get size(): number {
    return this.#buckets.size;
  }

  /** Takes one token from `name`'s bucket at `now` if it has one. Never throws. */
  take(name: string, now: Millis): RateDecision {
    const limit = this.#perMinute;
    if (limit === 0) return { allowed: true, limit, remaining: 0, resetSeconds: 0, retryAfterSeconds: 0 };
    const bucket = this.#refilled(name, now);
    const allowed = bucket.tokens >= 1 - EPSILON;
    if (allowed) bucket.tokens = Math.max(0, bucket.tokens - 1);
    const perMs = limit / MINUTE;
    return {
      allowed,
      limit,
      remaining: Math.floor(bucket.tokens + EPSILON),
      resetSeconds: wholeSeconds((limit - bucket.tokens) / perMs),
      retryAfterSeconds: allowed ? 0 : Math.max(1, wholeSeconds((1 - bucket.tokens) / perMs)),
    };
  }

  /** Whether `name` has a token left at `now`, without taking it. */
  peek(name: string, now: Millis): boolean {
    return this.#perMinute === 0 || this.#refilled(name, now).tokens >= 1 - EPSILON;
  }

  #refilled(name: string, now: Millis): Bucket {
    const limit = this.#perMinute;
    let bucket = this.#buckets.get(name);
    if (bucket === undefined) {
      if (this.#buckets.size >= PRUNE_ABOVE) this.#prune(now);
      bucket = { tokens: limit, at: now };
      this.#buckets.set(name, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.at);
    bucket.tokens = Math.min(limit, bucket.tokens + (elapsed * limit) / MINUTE);
    bucket.at = Math.max(bucket.at, now);
    return bucket;
  }

  #prune(now: Millis): void {
    const limit = this.#perMinute;
    for (const [name, bucket] of this.#buckets) {
      if (bucket.tokens + ((now - bucket.at) * limit) / MINUTE >= limit) this.#buckets.delete(name);
    }
  }
}

/**
 * The response headers of a decision: `RateLimit-Policy` and `RateLimit` (IETF draft
 * ratelimit-headers, the form express-rate-limit calls draft-7), and `Retry-After` when refused.
 */
export function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  const headers: Record<string, string> = {
    'ratelimit-policy': `${decision.limit};w=60`,
    ratelimit: `limit=${decision.limit}, remaining=${decision.remaining}, reset=${decision.resetSeconds}`,
  };
  if (!decision.allowed) headers['retry-after'] = String(decision.retryAfterSeconds);
  return headers;
}
