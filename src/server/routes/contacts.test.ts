/**
 * `GET /v1/contacts` and `GET /v1/contacts/{ref}` over the shipped examples ingested through
 * `POST /v1/events` (mid-market template; the figures are explained in src/engine/engine.test.ts
 * and src/engine/replay.test.ts). No timer fires: Ava is still Priya's, as routed at 14:12.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, EXAMPLE_EVENTS, type ApiServer } from '../../../test/support/apiServer.ts';

let api: ApiServer;
beforeAll(async () => {
  api = await apiServer();
  const res = await api.post('/v1/events', EXAMPLE_EVENTS);
  if (res.statusCode !== 200) throw new Error(res.body);
});
afterAll(async () => {
  expect(api.bugs).toEqual([]);
  await api.close();
});

interface Page {
  items: { key: string; stage: string; owner: string | null; score: { total: number } | null }[];
  nextCursor: string | null;
}
const page = async (query: string): Promise<Page> => {
  const res = await api.get(`/v1/contacts${query}`);
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as Page;
};
const keys = async (query: string) => (await page(query)).items.map((c) => c.key);

describe('GET /v1/contacts/{ref}', () => {
  it('shows Ava in full: stage, owner, score with its ledger, history, routing, clocks, task', async () => {
    const res = await api.get('/v1/contacts/Ava.Chen@Northwind.io');
    expect(res.statusCode).toBe(200);
    const ava = JSON.parse(res.body) as Record<string, unknown> & {
      explanation: { ledger: { ruleId: string; dimension: string; points: number }[] } & Record<
        string,
        unknown
      >;
      stageHistory: unknown[];
      assignments: { kind: string; owner: string; team: string; rule: string; at: string }[];
      slaClocks: {
        clock: string;
        owner: string;
        status: string;
        dueAt: string;
        running: boolean;
        overdueMs: number;
        timezone: string;
      }[];
      tasks: unknown[];
    };
    expect(ava).toMatchObject({
      key: 'email:ava.chen@northwind.io',
      email: 'ava.chen@northwind.io',
      account: 'northwind.io',
      stage: 'mql',
      stageEnteredAt: '2026-11-02T14:12:00.000Z',
      owner: 'priya',
      score: { fit: 60, engagement: 40, negative: 0, total: 75, mql: true, at: '2026-11-07T12:00:00.000Z' },
      eventCount: 6,
      attributes: { title: 'VP Marketing', phone: '+1 415 555 0134', firstName: 'Ava' },
      attributeSources: {
        title: { at: '2026-11-02T14:05:00.000Z', eventId: 'ev-0001', source: 'web' },
        phone: { at: '2026-11-02T14:12:00.000Z', eventId: 'ev-0004', source: 'api' },
      },
      accountRecord: { domain: 'northwind.io', contactCount: 2 },
    });
    // As of the request (2026-11-09 13:00): still 75, the pricing visit decays at 14:07:10.
    expect(ava.explanation).toMatchObject({
      asOf: '2026-11-09T13:00:00.000Z',
      fit: 60,
      engagement: 40,
      total: 75,
      mql: true,
      mqlReason: 'total 75 ≥ threshold 65, fit 100% ≥ 30%, engagement 50% ≥ 30%',
      grades: { fit: 'A', engagement: 2 },
      nextChangeAt: '2026-11-09T14:07:10.000Z',
    });
    const fit = ava.explanation.ledger.filter((e) => e.dimension === 'fit');
    expect(fit.map((e) => [e.ruleId, e.points])).toEqual([
      ['company-size', 15],
      ['industry', 10],
      ['title', 15],
      ['geography', 10],
      ['complementary-tool', 10],
    ]);
    const engagement = ava.explanation.ledger.filter((e) => e.dimension === 'engagement');
    expect(engagement.reduce((sum, e) => sum + e.points, 0)).toBe(40);
    expect(ava.stageHistory).toEqual([
      {
        from: null,
        to: 'subscriber',
        at: '2026-11-02T14:05:00.000Z',
        cause: 'ev-0001',
        reason: 'first seen: lifecycle.initialStage',
      },
      expect.objectContaining({ from: 'subscriber', to: 'lead', cause: 'ev-0001' }),
      expect.objectContaining({ from: 'lead', to: 'mql', at: '2026-11-02T14:12:00.000Z', cause: 'ev-0004' }),
    ]);
    expect(ava.assignments.map((a) => [a.kind, a.owner, a.team, a.rule, a.at])).toEqual([
      ['assigned', 'priya', 'west', 'territory', '2026-11-02T14:12:00.000Z'],
    ]);
    expect(ava.tasks).toEqual([
      {
        key: expect.stringMatching(/^task:email:ava\.chen@northwind\.io:mql:/) as string,
        contact: 'email:ava.chen@northwind.io',
        title: 'Follow up with Ava Chen',
        assignee: 'rep:priya',
        dueAt: '2026-11-02T18:12:00.000Z',
        createdAt: '2026-11-02T14:12:00.000Z',
        status: 'open',
        overdue: true,
      },
    ]);
    // Priya works in Los Angeles: Monday 06:12 PT is before opening, so 09:00 + 4 business hours =
    // 13:00 PT = 21:00Z. As of the request (Monday 2026-11-09 13:00Z) every one is overdue.
    expect(
      ava.slaClocks.map((c) => [c.clock, c.owner, c.status, c.running, c.dueAt, c.overdueMs, c.timezone]),
    ).toEqual([
      [
        'mql-first-touch',
        'priya',
        'open',
        true,
        '2026-11-02T21:00:00.000Z',
        576_000_000,
        'America/Los_Angeles',
      ],
      [
        'qualification-decision',
        'priya',
        'open',
        true,
        '2026-11-04T14:12:00.000Z',
        427_680_000,
        'America/New_York',
      ],
      [
        'speed-to-lead',
        'priya',
        'open',
        true,
        '2026-11-02T14:17:00.000Z',
        600_180_000,
        'America/Los_Angeles',
      ],
    ]);
  });

  it('finds a contact by key or by contact.id, and answers 404 contact.not_found otherwise', async () => {
    const byKey = await api.get('/v1/contacts/email:ben.ortiz@northwind.io');
    expect(JSON.parse(byKey.body)).toMatchObject({
      key: 'email:ben.ortiz@northwind.io',
      stage: 'lead',
      owner: null,
    });
    const byId = await api.get('/v1/contacts/crm-1001');
    expect(JSON.parse(byId.body)).toMatchObject({ key: 'id:crm-1001', email: null, externalId: 'crm-1001' });
    const missing = await api.get('/v1/contacts/nobody@nowhere.example');
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      error: {
        code: 'contact.not_found',
        message: 'no contact `nobody@nowhere.example`',
        hint: 'name it by email (ava@northwind.io), key (email:…, id:…) or contact.id; GET /v1/contacts lists them',
        issues: [],
      },
    });
  });
});

describe('GET /v1/contacts', () => {
  it('filters by stage, owner, MQL, score range and update time', async () => {
    expect(await keys('')).toEqual([
      'email:ava.chen@northwind.io',
      'email:ben.ortiz@northwind.io',
      'email:carla.m@gmail.com',
      'email:dan.kim@acme-logistics.com',
      'id:crm-1001',
    ]);
    expect(await keys('?stage=lead')).toEqual([
      'email:ben.ortiz@northwind.io',
      'email:dan.kim@acme-logistics.com',
    ]);
    expect(await keys('?stage=mql,subscriber')).toEqual([
      'email:ava.chen@northwind.io',
      'email:carla.m@gmail.com',
      'id:crm-1001',
    ]);
    expect(await keys('?owner=priya')).toEqual(['email:ava.chen@northwind.io']);
    expect(await keys('?owner=none&stage=lead')).toEqual([
      'email:ben.ortiz@northwind.io',
      'email:dan.kim@acme-logistics.com',
    ]);
    expect(await keys('?mql=true')).toEqual(['email:ava.chen@northwind.io']);
    // Ben 50, Dan 19 (Carla and Eve 0, Ava 75).
    expect(await keys('?minScore=19&maxScore=50')).toEqual([
      'email:ben.ortiz@northwind.io',
      'email:dan.kim@acme-logistics.com',
    ]);
    expect(await keys('?updatedSince=2026-11-07T00:00:00Z')).toEqual([
      'email:ava.chen@northwind.io',
      'email:ben.ortiz@northwind.io',
      'email:dan.kim@acme-logistics.com',
    ]);
  });

  it('pages with an opaque cursor until nextCursor is null', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const next: Page = await page(
        `?limit=2${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
      );
      seen.push(...next.items.map((c) => c.key));
      cursor = next.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual(await keys('?limit=500'));
  });

  it('refuses an unknown stage, a reversed range and a forged cursor 400 http.invalid_query', async () => {
    const cases: [string, string, string][] = [
      [
        '?stage=mqll',
        'unknown stage `mqll`',
        'the stages are subscriber, lead, mql, sql, opportunity, customer, evangelist, recycled, disqualified',
      ],
      ['?minScore=60&maxScore=10', '`minScore` is above `maxScore`', 'give a range with minScore ≤ maxScore'],
      [
        '?cursor=bm90LWEtY3Vyc29y',
        '`cursor` is not a cursor of this list (contacts)',
        'start again without `cursor`, then pass each page’s `nextCursor` unchanged',
      ],
    ];
    for (const [query, message, hint] of cases) {
      const res = await api.get(`/v1/contacts${query}`);
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'http.invalid_query', message, hint } });
    }
    const tasksCursor = JSON.parse((await api.get('/v1/accounts?limit=1')).body) as { nextCursor: string };
    const crossed = await api.get(`/v1/contacts?cursor=${tasksCursor.nextCursor}`);
    expect(crossed.statusCode).toBe(400);
  });
});

describe('query parameters a route does not take', () => {
  const TAKES = 'it takes stage, owner, mql, minScore, maxScore, updatedSince, limit, cursor';

  it('are refused 400 http.invalid_query, naming them and the closest parameter, instead of being ignored', async () => {
    const cases: [string, string][] = [
      [
        '?score_min=80',
        `\`score_min\` is not a query parameter of this route (did you mean \`minScore\`?); ${TAKES}`,
      ],
      ['?stge=mql', `\`stge\` is not a query parameter of this route (did you mean \`stage\`?); ${TAKES}`],
      ['?stage=mql&color=red&x=1', `\`color\`, \`x\` are not query parameters of this route; ${TAKES}`],
    ];
    for (const [query, detail] of cases) {
      const res = await api.get(`/v1/contacts${query}`);
      expect(res.statusCode).toBe(400);
      expect(JSON.parse(res.body)).toEqual({
        error: {
          code: 'http.invalid_query',
          message: `the request querystring is not valid: ${detail}`,
          hint: 'check the request querystring against the route’s schema at /docs',
          issues: [{ code: 'http.invalid_query', path: '', message: detail }],
        },
      });
    }
  });

  it('a route that declares no query parameter takes none, so a flag it ignored cannot pass unnoticed', async () => {
    const res = await api.get('/v1/contacts/crm-1001?verbose=1');
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      error: {
        code: 'http.invalid_query',
        message:
          'the request querystring is not valid: `verbose` is not a query parameter of this route; it takes none',
      },
    });
    const stored = await api.store.counts();
    const dry = await api.post('/v1/events?dryRun=true', [
      { id: 'dry-1', type: 'page_view', at: '2026-11-02T12:00:00Z', contact: { email: 'dry@run.example' } },
    ]);
    expect(dry.statusCode).toBe(400);
    expect(await api.store.counts()).toEqual(stored);
    expect((await api.get('/v1/contacts/crm-1001')).statusCode).toBe(200);
  });
});

describe('accounts', () => {
  it('lists accounts by domain, paged, and shows one with its members and contacts', async () => {
    const list = JSON.parse((await api.get('/v1/accounts?limit=2')).body) as {
      items: { domain: string; contactCount: number }[];
      nextCursor: string;
    };
    expect(list.items.map((a) => [a.domain, a.contactCount])).toEqual([
      ['acme-logistics.com', 1],
      ['globex.example', 1],
    ]);
    const rest = JSON.parse((await api.get(`/v1/accounts?limit=2&cursor=${list.nextCursor}`)).body) as {
      items: { domain: string }[];
      nextCursor: string | null;
    };
    expect([rest.items.map((a) => a.domain), rest.nextCursor]).toEqual([['northwind.io'], null]);

    const res = await api.get('/v1/accounts/Northwind.io');
    expect(res.statusCode).toBe(200);
    const northwind = JSON.parse(res.body) as {
      domain: string;
      owner: string;
      attributes: Record<string, unknown>;
      members: { contact: string; total: number }[];
      contacts: { key: string }[];
    };
    expect(northwind).toMatchObject({
      domain: 'northwind.io',
      owner: 'priya',
      contactCount: 2,
      attributes: { name: 'Northwind', employees: 400, state: 'CA' },
    });
    expect(northwind.members.map((m) => [m.contact, m.total])).toEqual([
      ['email:ava.chen@northwind.io', 75],
      ['email:ben.ortiz@northwind.io', 50],
    ]);
    expect(northwind.contacts.map((c) => c.key)).toEqual([
      'email:ava.chen@northwind.io',
      'email:ben.ortiz@northwind.io',
    ]);
    const missing = await api.get('/v1/accounts/nowhere.example');
    expect([
      missing.statusCode,
      (JSON.parse(missing.body) as { error: { code: string } }).error.code,
    ]).toEqual([404, 'account.not_found']);
  });
});
