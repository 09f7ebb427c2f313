/**
 * The app's edges: every failure is the error envelope with the status its code maps to (404, 405,
 * 415, 400, 413, 500 for a bug, without internals), the OpenAPI document and its UI, health checks.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISSUE_CODES, RevopsError } from '../core/errors.ts';
import { apiServer, type ApiServer } from '../../test/support/apiServer.ts';
import { buildApp } from './app.ts';
import { statusOf } from './errorHandler.ts';

let api: ApiServer;
beforeAll(async () => {
  api = await apiServer({ limits: { maxBodyBytes: 4096 } });
});
afterAll(() => api.close());

const envelope = (body: string) => JSON.parse(body) as { error: Record<string, unknown> };

describe('errors', () => {
  it('answers an unknown path 404 http.not_found', async () => {
    const res = await api.get('/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(envelope(res.body)).toEqual({
      error: {
        code: 'http.not_found',
        message: 'no route GET /v1/nothing-here',
        hint: 'GET /docs lists every route',
        issues: [],
      },
    });
  });

  it('answers a known path with the wrong method 405 with Allow', async () => {
    const res = await api.app.inject({ method: 'DELETE', url: '/v1/contacts/ava@northwind.io' });
    expect(res.statusCode).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD');
    expect(envelope(res.body).error).toMatchObject({
      code: 'http.method_not_allowed',
      message: 'DELETE is not allowed on /v1/contacts/ava@northwind.io',
    });
    const events = await api.get('/v1/events');
    expect(events.statusCode).toBe(405);
    expect(events.headers['allow']).toBe('POST');
  });

  it('refuses bodies that are not JSON 415, and bad JSON 400', async () => {
    const text = await api.app.inject({
      method: 'POST',
      url: '/v1/events',
      payload: 'id=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.statusCode).toBe(415);
    expect(envelope(text.body).error).toMatchObject({
      code: 'http.unsupported_media_type',
      hint: 'send the body as JSON with `content-type: application/json`',
    });
    const bad = await api.app.inject({
      method: 'POST',
      url: '/v1/events',
      payload: '{"id": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.statusCode).toBe(400);
    expect(envelope(bad.body).error).toMatchObject({
      code: 'http.invalid_body',
      message: 'the body is not valid JSON',
    });
  });

  it('refuses __proto__ and constructor.prototype keys as bad JSON, storing nothing', async () => {
    for (const payload of [
      '{"id":"p1","type":"identify","contact":{"email":"a@b.co"},"__proto__":{"x":1}}',
      '[{"id":"p2","type":"identify","contact":{"email":"a@b.co","constructor":{"prototype":{"x":1}}}}]',
    ]) {
      const res = await api.app.inject({
        method: 'POST',
        url: '/v1/events',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(400);
      expect(envelope(res.body).error['code']).toBe('http.invalid_body');
    }
    expect((await api.store.counts()).events).toBe(0);
  });

  it('refuses a body over the size limit 413', async () => {
    const res = await api.post('/v1/events', {
      id: 'big',
      type: 'identify',
      contact: { note: 'x'.repeat(5000) },
    });
    expect(res.statusCode).toBe(413);
    expect(envelope(res.body)).toEqual({
      error: {
        code: 'http.body_too_large',
        message: 'the body is larger than 4096 bytes',
        hint: 'send a smaller body: split the batch',
        issues: [],
      },
    });
  });

  it('names each bad query parameter 400 http.invalid_query', async () => {
    const res = await api.get('/v1/contacts?limit=0&mql=yes');
    expect(res.statusCode).toBe(400);
    const { error } = envelope(res.body);
    expect(error['code']).toBe('http.invalid_query');
    expect((error['issues'] as { path: string; code: string }[]).map((i) => [i.code, i.path])).toEqual([
      ['http.invalid_query', 'mql'],
      ['http.invalid_query', 'limit'],
    ]);
  });

  it('answers a malformed URL 400 http.bad_request', async () => {
    const res = await api.get('/v1/contacts/%E0%A4%A');
    expect(res.statusCode).toBe(400);
    expect(envelope(res.body).error['code']).toBe('http.bad_request');
  });

  it('answers hostile bodies and queries with a 4xx, never a bug, storing nothing', async () => {
    const deepArray = '['.repeat(100_000) + ']'.repeat(100_000);
    const deepObject = '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000);
    const identify = (extra: string) => `{"id":"h","type":"identify","contact":{"email":"a@b.co"${extra}}}`;
    const roomy = await apiServer();
    const bodies: [string, string, number][] = [
      ['/v1/events', deepArray, 422],
      ['/v1/events', deepObject, 422],
      ['/v1/events', `{"events":${deepArray}}`, 422],
      ['/v1/events', identify(`,"firstName":${deepArray}`), 422],
      [
        '/v1/events',
        `{"id":"h","type":"identify","contact":{"email":"a@b.co"},"properties":${deepObject}}`,
        422,
      ],
      ['/v1/events', '"\\ud800"', 400],
      ['/v1/events', 'null', 400],
      ['/v1/events', `{"id":${'9'.repeat(400)},"type":"identify","contact":{"email":"a@b.co"}}`, 422],
      [
        '/v1/events',
        '{"id":"h","type":"identify","at":"2026-13-45T99:99:99Z","contact":{"email":"a@b.co"}}',
        422,
      ],
      ['/v1/routing/preview', `{"contact":${deepObject}}`, 400],
      ['/v1/tasks/x/complete', deepObject, 404],
    ];
    for (const [url, payload, status] of bodies) {
      const res = await roomy.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect([url, payload.slice(0, 30), res.statusCode]).toEqual([url, payload.slice(0, 30), status]);
    }
    const queries: [string, number][] = [
      ['/v1/contacts?limit=1e3', 400],
      ['/v1/contacts?minScore=NaN', 400],
      ['/v1/contacts?updatedSince=yesterday', 400],
      ['/v1/contacts?owner=a&owner=b', 400],
      ['/v1/contacts?cursor=%00', 400],
      ['/v1/contacts/%00', 404],
      [`/v1/contacts/${'a'.repeat(300)}@example.com`, 404],
      [`/v1/accounts/${'a'.repeat(5000)}`, 400],
    ];
    for (const [url, status] of queries)
      expect([url, (await roomy.get(url)).statusCode]).toEqual([url, status]);
    expect((await roomy.store.counts()).events).toBe(0);
    expect(roomy.bugs).toEqual([]);
    await roomy.close();
  });

  it('answers a bug 500 without internals, and reports it', async () => {
    const bugs: unknown[] = [];
    const app = await buildApp(api.ctx, { onBug: (error) => bugs.push(error) });
    app.get('/boom', { config: { scope: 'public' } }, () => {
      throw new Error('secret detail: password=hunter2');
    });
    app.get('/coded', { config: { scope: 'public' } }, () => {
      throw new RevopsError('contact.not_found', 'no contact `x`', { hint: 'look it up first' });
    });
    const boom = await app.inject({ method: 'GET', url: '/boom' });
    expect(boom.statusCode).toBe(500);
    expect(boom.body).not.toContain('hunter2');
    expect(envelope(boom.body).error).toMatchObject({
      code: 'http.internal_error',
      message: expect.stringMatching(
        /^internal error \(a bug in revops\); it has been logged as request req-\w+$/,
      ),
      issues: [],
    });
    expect(bugs.map((b) => (b as Error).message)).toEqual(['secret detail: password=hunter2']);
    const coded = await app.inject({ method: 'GET', url: '/coded' });
    expect([coded.statusCode, envelope(coded.body).error]).toEqual([
      404,
      { code: 'contact.not_found', message: 'no contact `x`', hint: 'look it up first', issues: [] },
    ]);
    await app.close();
  });

  it('maps every error code to a 4xx, except a bug (500) and an unreachable store (503)', () => {
    const statuses = Object.fromEntries(ISSUE_CODES.map((code) => [code, statusOf(code)]));
    const not4xx = Object.entries(statuses).filter(([, status]) => status < 400 || status >= 500);
    expect(not4xx).toEqual([
      ['store.unavailable', 503],
      ['http.internal_error', 500],
    ]);
    expect(
      [
        'http.not_found',
        'http.method_not_allowed',
        'http.invalid_body',
        'http.body_too_large',
        'http.batch_too_large',
        'http.unsupported_media_type',
        'http.rate_limited',
        'event.rejected',
        'contact.not_found',
        'task.not_found',
        'task.not_open',
        'auth.missing_key',
        'auth.insufficient_scope',
        'routing.not_configured',
        'routing.invalid_request',
      ].map((code) => statusOf(code as (typeof ISSUE_CODES)[number])),
    ).toEqual([404, 405, 400, 413, 413, 415, 429, 422, 404, 404, 409, 401, 403, 409, 422]);
  });
});

describe('docs and health', () => {
  it('serves the OpenAPI document from the zod schemas, each operation with its scope', async () => {
    const res = await api.get('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = JSON.parse(res.body) as {
      openapi: string;
      paths: Record<string, Record<string, { 'x-revops-scope': string; security: unknown[] }>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe('3.1.0');
    const scopes = Object.fromEntries(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op['x-revops-scope']]),
      ),
    );
    expect(scopes).toMatchObject({
      'POST /v1/events': 'ingest',
      'GET /v1/contacts': 'read',
      'GET /v1/contacts/{ref}': 'read',
      'GET /v1/accounts': 'read',
      'GET /v1/accounts/{ref}': 'read',
      'GET /v1/tasks': 'read',
      'POST /v1/tasks/{key}/complete': 'ingest',
      'GET /v1/sla': 'read',
      'POST /v1/routing/preview': 'read',
      'GET /healthz': 'public',
      'GET /readyz': 'public',
      'GET /metrics': 'public',
    });
    expect(doc.paths['/healthz']?.['get']?.security).toEqual([]);
    expect(doc.paths['/v1/contacts']?.['get']?.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Error',
        'Event',
        'IngestResult',
        'Contact',
        'ContactDetail',
        'Account',
        'Task',
        'SlaClock',
      ]),
    );
  });

  it('serves the browsable UI at /docs', async () => {
    const res = await api.get('/docs');
    const page = res.statusCode === 302 ? await api.get(String(res.headers['location'])) : res;
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger');
  });

  it('answers /healthz always and /readyz while the store is current', async () => {
    const health = await api.get('/healthz');
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ok' });
    const ready = await api.get('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({
      status: 'ready',
      store: api.store.description,
      configHash: api.ctx.workspace.current().hash,
    });
  });
});

describe('readiness without a database', () => {
  it('answers /readyz 503 store.unavailable once the store is gone', async () => {
    const broken = await apiServer();
    await broken.store.close();
    const res = await broken.get('/readyz');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(envelope(res.body).error).toMatchObject({
      code: 'store.unavailable',
      message: `the database does not answer (${broken.store.description})`,
    });
    expect(broken.bugs).toEqual([]);
    await broken.close();
  });
});
