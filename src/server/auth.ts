/**
 * API-key authentication for every route, as one `onRequest` hook: the key comes from
 * `Authorization: Bearer <key>` or `x-api-key`; the route names the scope it needs in
 * `config.scope` (absent: `admin`; `public`: no key). Each key has its own rate limit, and failed
 * key checks are limited per client address. Failures are `RevopsError`s the error handler maps:
 * `auth.missing_key` and `auth.invalid_key` 401, `auth.insufficient_scope` 403, `http.rate_limited` 429.
 * A route needing `approve` lets in admin keys and keys with an `approve:<approver>` scope; the route
 * itself checks the approver a vote is for (`mayVoteAs`).
 */
import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RevopsError } from '../core/errors.ts';
import type { ApiKeyRecord } from '../core/ports.ts';
import type { Millis } from '../core/types.ts';
import { hasScope } from './apiKeys.ts';
import type { RouteScope, ServerContext } from './context.ts';
import { createKeyVerifier, type KeyVerifier, type KeyVerifierOptions } from './keyVerifier.ts';
import { rateLimitHeaders, RateLimiter, type RateDecision } from './rateLimit.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The API-key scope the route needs; absent means `admin`. */
    scope?: RouteScope;
  }
  interface FastifyRequest {
    /** The key the request was authenticated with; undefined on public routes and with auth off. */
    apiKey: ApiKeyRecord | undefined;
  }
}

/** Who made a request, as the audit records it: `key:<id>`, or undefined without a key. */
export function requestActor(request: FastifyRequest): string | undefined {
  return request.apiKey === undefined ? undefined : `key:${request.apiKey.id}`;
}

export interface AuthOptions extends KeyVerifierOptions {
  /** Milliseconds for the rate-limit buckets (default `performance.now`: wall time, never jumps). */
  readonly monotonicNow?: () => number;
  /** Epoch milliseconds for the key cache and last-use stamps (default `Date.now`). */
  readonly wallNow?: () => Millis;
}

const CREATE_HINT = 'create one with `revops keys create --name NAME --scopes ingest,read`';

/** The key a request presents: `Authorization: Bearer <key>`, else `x-api-key`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] === undefined)
      throw new RevopsError('auth.missing_key', 'the Authorization header does not carry a Bearer key', {
        hint: `send \`Authorization: Bearer <key>\` or \`x-api-key: <key>\`; ${CREATE_HINT}`,
      });
    return match[1];
  }
  const header = request.headers['x-api-key'];
  const value = Array.isArray(header) ? header[0] : header;
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function refuse(reply: FastifyReply, decision: RateDecision, who: string): never {
  void reply.headers(rateLimitHeaders(decision));
  throw new RevopsError('http.rate_limited', `${who} made more than ${decision.limit} requests in a minute`, {
    hint: `wait ${decision.retryAfterSeconds} s (Retry-After) and slow down; batch events (up to 1,000 per POST /v1/events) to send more with fewer requests`,
  });
}

/**
 * Registers the authentication hook on the root instance: call it directly (not through
 * `app.register`) before any route, so the hook and the `request.apiKey` decoration reach every
 * route. With `ctx.auth` false it only decorates. Does not throw.
 */
export async function registerAuth(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await registerAuthWith(app, ctx, {});
}

/** `registerAuth` with clocks and cache times chosen by the caller (tests). Does not throw. */
export function registerAuthWith(
  app: FastifyInstance,
  ctx: ServerContext,
  options: AuthOptions,
): Promise<void> {
  app.decorateRequest('apiKey', undefined);
  if (!ctx.auth) return Promise.resolve();
  const verifier: KeyVerifier = createKeyVerifier(
    ctx.store,
    Object.assign({}, options, {
      onTouchError:
        options.onTouchError ??
        ((error: unknown) => app.log.warn({ err: error }, 'could not stamp API key use')),
    }),
  );
  const limiter = new RateLimiter(ctx.limits.requestsPerMinute);
  const monotonic = options.monotonicNow ?? (() => performance.now());
  const wall = options.wallNow ?? Date.now;

  app.addHook('onRequest', async (request, reply) => {
    if (request.is404) return;
    const needed: RouteScope = request.routeOptions.config.scope ?? 'admin';
    if (needed === 'public') return;
    const address = `ip:${request.ip}`;
    const key = presentedKey(request);
    if (key === undefined)
      throw new RevopsError('auth.missing_key', `${request.method} ${request.url} needs an API key`, {
        hint: `send it as \`Authorization: Bearer <key>\` or \`x-api-key: <key>\`; ${CREATE_HINT}`,
      });
    // A client whose keys keep failing is slowed down before its next key is even looked up.
    if (!limiter.peek(address, monotonic())) refuse(reply, limiter.take(address, monotonic()), 'this client');
    const check = await verifier.verify(key, wall());
    if (!check.ok) {
      limiter.take(address, monotonic());
      if (check.reason === 'revoked')
        throw new RevopsError(
          'auth.invalid_key',
          `the API key ${check.key.id} (${check.key.name}) was revoked on ${new Date(check.key.revokedAt ?? 0).toISOString()}`,
          { hint: `ask an admin for a new key; ${CREATE_HINT}` },
        );
      throw new RevopsError('auth.invalid_key', 'the API key is not valid', {
        hint: `check it was copied whole (keys look like rk_<12 hex>_<48 hex> and are shown once, at creation); ${CREATE_HINT}`,
      });
    }
    if (!hasScope(check.key.scopes, needed)) throw insufficient(check.key, needed, request);
    request.apiKey = check.key;
    const decision = limiter.take(`key:${check.key.id}`, monotonic());
    if (!decision.allowed) refuse(reply, decision, `the API key ${check.key.id} (${check.key.name})`);
    if (limiter.enabled) void reply.headers(rateLimitHeaders(decision));
  });
  return Promise.resolve();
}

function insufficient(
  key: ApiKeyRecord,
  needed: Exclude<RouteScope, 'public'>,
  request: FastifyRequest,
): RevopsError {
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  const has = `the API key ${key.id} (${key.name}) has ${key.scopes.join(', ')}`;
  if (needed === 'approve')
    return new RevopsError('auth.insufficient_scope', `${route} needs an approver's key; ${has}`, {
      hint: 'votes need a key bound to the approver: `revops keys create --name NAME --scopes approve:rep:<rep id>` (or approve:role:<role>; admin keys may vote as anyone)',
    });
  return new RevopsError('auth.insufficient_scope', `${route} needs the \`${needed}\` scope; ${has}`, {
    hint: `use a key with the ${needed === 'admin' ? 'admin' : `${needed} (or admin)`} scope: \`revops keys create --name NAME --scopes ${needed}\``,
  });
}
