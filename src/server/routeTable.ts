/**
 * What the app serves, method by path pattern, so a request for a known path with the wrong method
 * gets a 405 with an `Allow` header instead of a 404 (Fastify's router answers both with "not
 * found"). Filled by an `onRoute` hook; consulted only on the not-found path.
 */
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { errorBody } from './errorHandler.ts';

interface Pattern {
  readonly regex: RegExp;
  readonly methods: Set<string>;
}

/** `/v1/contacts/:ref` → a regex matching one path segment per parameter; `*` matches the rest. */
function compile(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

/** The routes by path pattern; filled by `add`, read on the not-found path. Nothing here throws. */
export class RouteTable {
  readonly #patterns = new Map<string, Pattern>();

  /** Records a route (an `onRoute` hook). */
  add(route: Pick<RouteOptions, 'url' | 'method'>): void {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const pattern = this.#patterns.get(route.url) ?? { regex: compile(route.url), methods: new Set() };
    for (const method of methods) pattern.methods.add(String(method).toUpperCase());
    this.#patterns.set(route.url, pattern);
  }

  /** The methods some route serves at `path` (sorted; empty when no route matches it). */
  allowed(path: string): string[] {
    const found = new Set<string>();
    for (const pattern of this.#patterns.values()) {
      if (pattern.regex.test(path)) for (const method of pattern.methods) found.add(method);
    }
    return [...found].sort();
  }

  /** The not-found handler: 405 with `Allow` when the path exists under another method, else 404. */
  notFound = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = this.allowed(path);
    reply.type('application/json; charset=utf-8');
    if (allowed.length > 0)
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send(
          errorBody(
            'http.method_not_allowed',
            `${request.method} is not allowed on ${path}`,
            `use ${allowed.join(' or ')}`,
          ),
        );
    return reply
      .code(404)
      .send(errorBody('http.not_found', `no route ${request.method} ${path}`, 'GET /docs lists every route'));
  };
}
