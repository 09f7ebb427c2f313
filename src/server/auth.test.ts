// API-key authentication through Fastify inject on a temp SQLite database: where the key comes
// from, what each failure answers, scopes, per-key rate limits and the last-use stamp.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { adminServer, type AdminServer } from '../../test/support/adminServer.ts';
import { requestActor } from './auth.ts';

let server: AdminServer | undefined;
afterEach(async () => {
  expect(server?.bugs ?? []).toEqual([]);
  await server?.close();
  server = undefined;
});

/** Test routes: one per scope, one declaring none, one public; each answers who called. */
function probeRoutes(app: FastifyInstance): void {
  const who = (request: Parameters<typeof requestActor>[0]) => ({ actor: requestActor(request) ?? null });
  app.get('/probe/public', { config: { scope: 'public' } }, (request) => who(request));
  app.get('/probe/read', { config: { scope: 'read' } }, (request) => who(request));
  app.post('/probe/ingest', { config: { scope: 'ingest' } }, (request) => who(request));
  app.get('/probe/unscoped', (request) => who(request));
}

async function start(options: Parameters<typeof adminServer>[0] = {}): Promise<AdminServer> {
  server = await adminServer({ routes: probeRoutes, ...options });
  return server;
}

describe('registerAuth', () => {
  it('lets a public route through without a key', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/probe/public' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ actor: null });
  });

  it('answers 401 auth.missing_key in the envelope when no key is sent', async () => {
    const { app } = await start();
    const res = await app.inject({ method: 'GET', url: '/probe/read' });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({
      error: {
        code: 'auth.missing_key',
        message: 'GET /probe/read needs an API key',
        hint: 'send it as `Authorization: Bearer <key>` or `x-api-key: <key>`; create one with `revops keys create --name NAME --scopes ingest,read`',
        issues: [],
      },
    });
  });

  it('takes the key from Authorization: Bearer or from x-api-key, and knows who called', async () => {
    const { app, bearer } = await start();
    const { authorization, key, id } = await bearer(['read']);
    const viaBearer = await app.inject({ method: 'GET', url: '/probe/read', headers: { authorization } });
    expect(viaBearer.statusCode).toBe(200);
    expect(viaBearer.json()).toEqual({ actor: `key:${id}` });
    const viaHeader = await app.inject({ method: 'GET', url: '/probe/read', headers: { 'x-api-key': key } });
    expect(viaHeader.statusCode).toBe(200);
    const lower = await app.inject({
      method: 'GET',
      url: '/probe/read',
      headers: { authorization: `bearer  ${key} ` },
    });
    expect(lower.statusCode).toBe(200);
  });

  it('refuses an Authorization header that is not Bearer', async () => {
    const { app } = await start();
    const res = await app.inject({
      method: 'GET',
      url: '/probe/read',
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('auth.missing_key');
    expect(res.json().error.message).toBe('the Authorization header does not carry a Bearer key');
  });

  it('answers 401 auth.invalid_key for an unknown key, a wrong secret and a revoked key', async () => {
    const { app, bearer, store } = await start({ authOptions: { cacheMs: 0 } });
    const { key, id } = await bearer(['admin'], 'ops');
    const unknown = await app.inject({
      method: 'GET',
      url: '/probe/read',
      headers: { authorization: `Bearer rk_000000000000_${'0'.repeat(48)}` },
    });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().error.code).toBe('auth.invalid_key');
    expect(unknown.json().error.message).toBe('the API key is not valid');
    const wrongSecret = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    const wrong = await app.inject({
      method: 'GET',
      url: '/probe/read',
      headers: { 'x-api-key': wrongSecret },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe('the API key is not valid');

    await store.revokeApiKey(id, Date.parse('2026-11-25T08:00:00Z'));
    const revoked = await app.inject({ method: 'GET', url: '/probe/read', headers: { 'x-api-key': key } });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().error).toMatchObject({
      code: 'auth.invalid_key',
      message: `the API key ${id} (ops) was revoked on 2026-11-25T08:00:00.000Z`,
    });
  });

  it('answers 403 auth.insufficient_scope naming the scope; admin allows everything; no scope means admin', async () => {
    const { app, bearer } = await start();
    const reader = await bearer(['read'], 'dashboard');
    const ingest = await app.inject({
      method: 'POST',
      url: '/probe/ingest',
      headers: { authorization: reader.authorization },
    });
    expect(ingest.statusCode).toBe(403);
    expect(ingest.json().error).toEqual({
      code: 'auth.insufficient_scope',
      message: `POST /probe/ingest needs the \`ingest\` scope; the API key ${reader.id} (dashboard) has read`,
      hint: 'use a key with the ingest (or admin) scope: `revops keys create --name NAME --scopes ingest`',
      issues: [],
    });
    const unscoped = await app.inject({
      method: 'GET',
      url: '/probe/unscoped',
      headers: { authorization: reader.authorization },
    });
    expect(unscoped.statusCode).toBe(403);
    expect(unscoped.json().error.message).toContain('needs the `admin` scope');

    const admin = await bearer(['admin']);
    for (const [method, url] of [
      ['GET', '/probe/read'],
      ['POST', '/probe/ingest'],
      ['GET', '/probe/unscoped'],
    ] as const) {
      const res = await app.inject({ method, url, headers: { authorization: admin.authorization } });
      expect(res.statusCode).toBe(200);
    }
  });

  it('leaves unknown paths to the not-found handler (404, not 401)', async () => {
    const { app } = await start();
    expect((await app.inject({ method: 'GET', url: '/v1/nothing-here' })).statusCode).toBe(404);
  });

  it('stamps the key’s last use at most once a minute', async () => {
    let wall = Date.parse('2026-11-24T16:00:00Z');
    const { app, bearer, store } = await start({ authOptions: { cacheMs: 0, wallNow: () => wall } });
    const { authorization, id } = await bearer(['read']);
    expect((await store.apiKey(id))?.lastUsedAt).toBeUndefined();
    await app.inject({ method: 'GET', url: '/probe/read', headers: { authorization } });
    expect((await store.apiKey(id))?.lastUsedAt).toBe(wall);
    const first = wall;
    wall += 30_000;
    await app.inject({ method: 'GET', url: '/probe/read', headers: { authorization } });
    expect((await store.apiKey(id))?.lastUsedAt).toBe(first);
    wall += 30_000;
    await app.inject({ method: 'GET', url: '/probe/read', headers: { authorization } });
    expect((await store.apiKey(id))?.lastUsedAt).toBe(first + 60_000);
  });

  it('needs no key with auth off', async () => {
    const { app } = await start({ auth: false });
    const res = await app.inject({ method: 'GET', url: '/probe/unscoped' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ actor: null });
  });
});

describe('rate limits', () => {
  it('gives each key its own bucket: 429 http.rate_limited with Retry-After and RateLimit headers, then refills', async () => {
    let clock = 0;
    const { app, bearer } = await start({ requestsPerMinute: 3, authOptions: { monotonicNow: () => clock } });
    const a = await bearer(['read']);
    const b = await bearer(['read']);
    const get = (authorization: string) =>
      app.inject({ method: 'GET', url: '/probe/read', headers: { authorization } });
    const first = await get(a.authorization);
    expect(first.headers['ratelimit-policy']).toBe('3;w=60');
    expect(first.headers['ratelimit']).toBe('limit=3, remaining=2, reset=20');
    await get(a.authorization);
    expect((await get(a.authorization)).headers['ratelimit']).toBe('limit=3, remaining=0, reset=60');
    const refused = await get(a.authorization);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('20');
    expect(refused.headers['ratelimit']).toBe('limit=3, remaining=0, reset=60');
    expect(refused.json().error).toMatchObject({
      code: 'http.rate_limited',
      message: `the API key ${a.id} (test-read) made more than 3 requests in a minute`,
    });
    expect((await get(b.authorization)).statusCode).toBe(200);
    clock += 19_999;
    expect((await get(a.authorization)).statusCode).toBe(429);
    clock += 1;
    expect((await get(a.authorization)).statusCode).toBe(200);
  });

  it('slows down a client whose keys keep failing, before looking its next key up', async () => {
    const { app, bearer } = await start({ requestsPerMinute: 2, authOptions: { monotonicNow: () => 0 } });
    const good = await bearer(['read']);
    const bad = `rk_000000000000_${'0'.repeat(48)}`;
    for (let i = 0; i < 2; i++) {
      const res = await app.inject({ method: 'GET', url: '/probe/read', headers: { 'x-api-key': bad } });
      expect(res.statusCode).toBe(401);
    }
    const blocked = await app.inject({
      method: 'GET',
      url: '/probe/read',
      headers: { authorization: good.authorization },
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.message).toBe('this client made more than 2 requests in a minute');
  });

  it('is off with requestsPerMinute 0', async () => {
    const { app, bearer } = await start({ requestsPerMinute: 0, authOptions: { monotonicNow: () => 0 } });
    const { authorization } = await bearer(['read']);
    for (let i = 0; i < 20; i++) {
      const res = await app.inject({ method: 'GET', url: '/probe/read', headers: { authorization } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['ratelimit']).toBeUndefined();
    }
  });
});
