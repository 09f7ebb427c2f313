/**
 * The dashboard: server-rendered pages for people, beside the API. Pages are `public` to the API's
 * key check and guarded here instead: a signed-in browser carries its API key in an HttpOnly,
 * SameSite=Strict cookie (web/session.ts); without a valid one every page redirects to `/login`.
 * `GET /?key=…` signs in and drops the key from the address. Failures are pages too: 400 with what
 * to fix (a range the metrics refuse included), 404; a bug goes on to the app's error handler (500,
 * reported).
 */
import { performance } from 'node:perf_hooks';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RevopsError } from '../../core/errors.ts';
import { loadAssets } from '../../web/assets.ts';
import { loadLead } from '../../web/data/lead.ts';
import { exactLead, loadLeads } from '../../web/data/leads.ts';
import { loadOverview } from '../../web/data/overview.ts';
import { loadRoutingLog } from '../../web/data/routing.ts';
import { loadSlaBoard } from '../../web/data/sla.ts';
import { metricViews, viewFilterIssues } from '../../web/data/metricViews.ts';
import { VIEW_NAMES, type ViewSource } from '../../web/data/views.ts';
import { stageChoices, zoneOf } from '../../web/data/workspace.ts';
import { leadHref } from '../../web/leadRef.ts';
import { renderErrorPage, type ErrorPage } from '../../web/pages/error.ts';
import { renderLead } from '../../web/pages/lead.ts';
import { renderLeads } from '../../web/pages/leads.ts';
import { renderLoginPage } from '../../web/pages/login.ts';
import { renderRoutingLog } from '../../web/pages/routing.ts';
import { renderSlaBoard } from '../../web/pages/sla.ts';
import { renderViewPage } from '../../web/pages/view.ts';
import type { ViewData } from '../../web/view.ts';
import { QueryReader, type QueryIssue } from '../../web/query.ts';
import { clearedCookie, safeNext, sessionCookie, sessionKey, SessionGate } from '../../web/session.ts';
import type { ServerContext } from '../context.ts';
import { classifyError } from '../errorHandler.ts';
import { createKeyVerifier } from '../keyVerifier.ts';

/** Where the marketing, sales and executive views get their numbers (web/data/metricViews.ts). */
const VIEWS: ViewSource = metricViews;

/** Headers of every page: no caching of private data, no framing, scripts and styles from here only. */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Pages are public to the API's key check (the guard checks the session) and left out of the API docs. */
const PUBLIC = { config: { scope: 'public' as const }, schema: { hide: true } };

function send(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(page);
}

const user = (request: FastifyRequest) => request.apiKey?.name;

function badRequest(
  reply: FastifyReply,
  request: FastifyRequest,
  issues: readonly QueryIssue[],
): FastifyReply {
  return send(
    reply,
    400,
    renderErrorPage({
      status: 400,
      title: 'These filters need fixing',
      message: `The page cannot be shown with ${issues.length === 1 ? 'this value' : 'these values'}:`,
      issues,
      hint: 'Change the filters and apply them again, or clear them.',
      user: user(request),
    }),
  );
}

function notFound(reply: FastifyReply, request: FastifyRequest, message: string, hint: string): FastifyReply {
  return send(
    reply,
    404,
    renderErrorPage({ status: 404, title: 'Not found', message, hint, user: user(request) }),
  );
}

const secure = (request: FastifyRequest) => request.protocol === 'https';

/** Registers the dashboard pages, its sign-in and its assets. Throws only if its own asset files are missing. */
export async function dashboardRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  const assets = loadAssets();
  const gate = new SessionGate(
    createKeyVerifier(ctx.store, {
      onTouchError: (error: unknown) => app.log.warn({ err: error }, 'could not stamp API key use'),
    }),
    () => performance.now(),
    Date.now,
  );

  app.setErrorHandler((error, request, reply) => {
    const { status, body, bug } = classifyError(error, ctx.limits);
    // A bug is the app's to report and answer (500, nothing internal).
    if (bug) throw error instanceof Error ? error : new Error(String(error));
    const page: ErrorPage = {
      status,
      title: status === 404 ? 'Not found' : 'This request cannot be answered',
      message: body.error.message,
      hint: body.error.hint,
      user: user(request),
    };
    return send(reply, status, renderErrorPage(page));
  });

  /** Lets a signed-in reader through; anyone else goes to the sign-in page and comes back after. */
  async function guard(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
    if (!ctx.auth) return undefined;
    const key = sessionKey(request.headers.cookie);
    const next = encodeURIComponent(safeNext(request.url));
    if (key === undefined) return reply.redirect(`/login?next=${next}`, 303);
    const check = await gate.check(key, request.ip);
    if (!check.ok)
      return reply
        .header('set-cookie', clearedCookie(secure(request)))
        .redirect(`/login?next=${next}&ended=1`, 303);
    request.apiKey = check.key;
    return undefined;
  }

  async function signIn(request: FastifyRequest, reply: FastifyReply, key: string, next: string) {
    if (!ctx.auth) return reply.redirect(next, 303);
    const check = await gate.check(key, request.ip);
    if (!check.ok) return send(reply, check.status, renderLoginPage({ next, error: check.message }));
    return reply.header('set-cookie', sessionCookie(key.trim(), secure(request))).redirect(next, 303);
  }

  app.get<{ Params: { name: string } }>('/assets/:name', PUBLIC, (request, reply) => {
    const asset = assets.get(request.params.name);
    if (asset === undefined)
      return reply.code(404).type('text/plain; charset=utf-8').send(`no asset ${request.params.name}\n`);
    return reply
      .type(asset.type)
      .headers({ 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' })
      .send(asset.body);
  });

  app.get('/login', PUBLIC, async (request, reply) => {
    const query = new QueryReader(request.query);
    const next = safeNext(query.text('next', 2000));
    const key = sessionKey(request.headers.cookie);
    if (ctx.auth && key !== undefined && (await gate.check(key, request.ip)).ok)
      return reply.redirect(next, 303);
    const message =
      query.text('ended') !== undefined
        ? 'Your sign-in has ended (the key is no longer valid): sign in again.'
        : query.text('out') !== undefined
          ? 'You are signed out.'
          : undefined;
    return send(reply, 200, renderLoginPage({ next, message }));
  });

  app.post('/login', PUBLIC, async (request, reply) => {
    const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<
      string,
      unknown
    >;
    const next = safeNext(typeof body['next'] === 'string' ? body['next'] : undefined);
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== 'null') {
      let host: string | undefined;
      try {
        host = new URL(origin).host;
      } catch {
        host = undefined;
      }
      if (host !== request.headers.host)
        return send(
          reply,
          403,
          renderLoginPage({ next, error: 'Sign in from the dashboard’s own sign-in page.' }),
        );
    }
    const key = typeof body['key'] === 'string' ? body['key'].trim() : '';
    if (key === '') return send(reply, 400, renderLoginPage({ next, error: 'Paste an API key to sign in.' }));
    return signIn(request, reply, key, next);
  });

  const logout = (request: FastifyRequest, reply: FastifyReply) =>
    reply.header('set-cookie', clearedCookie(secure(request))).redirect('/login?out=1', 303);
  app.get('/logout', PUBLIC, logout);
  app.post('/logout', PUBLIC, logout);

  app.get('/', Object.assign({ onRequest: keyThenGuard }, PUBLIC), async (request, reply) => {
    const view = await loadOverview(ctx);
    return send(
      reply,
      200,
      renderViewPage({ view, active: 'overview', path: '/', zone: zoneOf(ctx), user: user(request) }),
    );
  });

  /** `/?key=…`: signs in (the key leaves the address bar with the redirect); otherwise the guard. */
  async function keyThenGuard(request: FastifyRequest, reply: FastifyReply) {
    const key = new QueryReader(request.query).text('key', 1000);
    if (key !== undefined) return signIn(request, reply, key, '/');
    return guard(request, reply);
  }

  const guarded = Object.assign({ onRequest: guard }, PUBLIC);

  app.get<{ Params: { name: string } }>('/views/:name', guarded, async (request, reply) => {
    const name = VIEW_NAMES.find((n) => n === request.params.name);
    if (name === undefined)
      return notFound(
        reply,
        request,
        `There is no view \`${request.params.name}\`.`,
        `The views are ${VIEW_NAMES.join(', ')}.`,
      );
    const zone = zoneOf(ctx);
    const query = new QueryReader(request.query);
    const range = query.range(zone);
    if (query.issues.length > 0) return badRequest(reply, request, query.issues);
    const now = ctx.clock.now();
    let view: ViewData;
    try {
      view = await VIEWS(ctx, { name, range, zone, now });
    } catch (error) {
      // A range the metrics refuse (a `from` after today) is the reader's to fix, like any bad filter.
      const issues = viewFilterIssues(error, range, zone, now);
      if (issues !== undefined) return badRequest(reply, request, issues);
      throw error;
    }
    return send(
      reply,
      200,
      renderViewPage({ view, active: name, path: `/views/${name}`, range, zone, user: user(request) }),
    );
  });

  app.get('/sla', guarded, async (request, reply) => {
    const query = new QueryReader(request.query);
    const range = query.range(zoneOf(ctx));
    const owner = query.text('owner', 100);
    if (query.issues.length > 0) return badRequest(reply, request, query.issues);
    const page = await loadSlaBoard(ctx, { range, owner });
    return send(reply, 200, renderSlaBoard(Object.assign({ user: user(request) }, page)));
  });

  app.get('/routing', guarded, async (request, reply) => {
    const query = new QueryReader(request.query);
    const range = query.range(zoneOf(ctx));
    const rep = query.text('rep', 100);
    const rule = query.text('rule', 200);
    const limit = query.int('limit', 1, 1000, 100);
    if (query.issues.length > 0) return badRequest(reply, request, query.issues);
    const page = await loadRoutingLog(ctx, { range, rep, rule, limit });
    return send(reply, 200, renderRoutingLog(Object.assign({ user: user(request) }, page)));
  });

  app.get('/leads', guarded, async (request, reply) => {
    const query = new QueryReader(request.query);
    const q = query.text('q', 300);
    const stage = query.oneOf(
      'stage',
      stageChoices(ctx).map((s) => s.value),
    );
    const owner = query.text('owner', 100);
    const source = query.text('source', 100);
    const after = query.text('after', 1000);
    if (query.issues.length > 0) return badRequest(reply, request, query.issues);
    if (q !== undefined && stage === undefined && owner === undefined && after === undefined) {
      const exact = await exactLead(ctx, q);
      if (exact !== undefined) return reply.redirect(leadHref(exact), 303);
    }
    const page = await loadLeads(ctx, {
      q,
      stage,
      owner,
      after,
      range: source === undefined ? {} : { source },
    });
    return send(reply, 200, renderLeads(Object.assign({ user: user(request) }, page)));
  });

  app.get<{ Params: { key: string } }>('/leads/:key', guarded, async (request, reply) => {
    try {
      const page = await loadLead(ctx, request.params.key);
      return send(reply, 200, renderLead(Object.assign({ user: user(request) }, page)));
    } catch (error) {
      if (error instanceof RevopsError && error.code === 'contact.not_found')
        return notFound(
          reply,
          request,
          `No lead \`${request.params.key}\`.`,
          'Search for it on the Leads page by email, name or company.',
        );
      throw error;
    }
  });
}
