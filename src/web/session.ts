/**
 * The dashboard's sign-in: the API key itself is the session, kept in an HttpOnly, SameSite=Strict
 * cookie and checked on every page with the same key verifier the API uses (docs/dashboard.md says
 * why). Failed checks are limited per client address. Nothing here throws except on a store
 * failure (the verifier's).
 */
import type { ApiKeyRecord } from '../core/ports.ts';
import { hasScope } from '../server/apiKeys.ts';
import type { KeyVerifier } from '../server/keyVerifier.ts';
import { RateLimiter } from '../server/rateLimit.ts';

export const SESSION_COOKIE = 'revops_session';
/** How long a sign-in lasts in the browser. */
export const SESSION_SECONDS = 12 * 60 * 60;
/** Failed sign-ins (and bad cookies) allowed per client address per minute. */
export const FAILED_SIGNINS_PER_MINUTE = 30;

export type SignIn =
  | { readonly ok: true; readonly key: ApiKeyRecord }
  | { readonly ok: false; readonly status: 401 | 403 | 429; readonly message: string };

/** The session cookie's value in a `Cookie` header; undefined when absent or not decodable. */
export function sessionKey(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== SESSION_COOKIE) continue;
    try {
      const value = decodeURIComponent(part.slice(eq + 1).trim());
      return value === '' ? undefined : value;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** `Set-Cookie` for a session with `key` (`secure` over HTTPS). */
export function sessionCookie(key: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(key)}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_SECONDS}${secure ? '; Secure' : ''}`;
}

/** `Set-Cookie` that removes the session. */
export function clearedCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}

/**
 * Where to go after signing in: a path of this site (`/sla?owner=priya`), never another site
 * (`//evil.example`, `https://…`, `/\evil`); `/` otherwise.
 */
export function safeNext(next: string | undefined): string {
  if (next === undefined || next.length > 2000) return '/';
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  // Control characters (a CR/LF in a Location header, a NUL) never belong in a path.
  if ([...next].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return '/';
  if (/^\/(login|logout)(?:[/?#]|$)/.test(next)) return '/';
  return next;
}

/** Checks keys presented to the dashboard: verified, not revoked, allowed to read. */
export class SessionGate {
  readonly #verifier: KeyVerifier;
  readonly #failures = new RateLimiter(FAILED_SIGNINS_PER_MINUTE);
  readonly #monotonic: () => number;
  readonly #wall: () => number;

  constructor(verifier: KeyVerifier, monotonic: () => number, wall: () => number) {
    this.#verifier = verifier;
    this.#monotonic = monotonic;
    this.#wall = wall;
  }

  /** Whether `key` may open the dashboard for a client at `address`. Rejects only if the store fails. */
  async check(key: string, address: string): Promise<SignIn> {
    const bucket = `ip:${address}`;
    if (!this.#failures.peek(bucket, this.#monotonic())) {
      const wait = this.#failures.take(bucket, this.#monotonic()).retryAfterSeconds;
      return {
        ok: false,
        status: 429,
        message: `Too many failed sign-ins from this address: wait ${wait} s and try again.`,
      };
    }
    const result = await this.#verifier.verify(key.trim(), this.#wall());
    if (!result.ok) {
      this.#failures.take(bucket, this.#monotonic());
      return result.reason === 'revoked'
        ? {
            ok: false,
            status: 401,
            message: `The key ${result.key.id} (${result.key.name}) was revoked: ask an admin for a new one.`,
          }
        : {
            ok: false,
            status: 401,
            message:
              'That key is not valid: check it was copied whole (keys look like rk_<12 hex>_<48 hex>).',
          };
    }
    if (!hasScope(result.key.scopes, 'read'))
      return {
        ok: false,
        status: 403,
        message: `The key ${result.key.id} (${result.key.name}) has the ${result.key.scopes.join(', ')} scope; the dashboard needs read (or admin).`,
      };
    return { ok: true, key: result.key };
  }
}
