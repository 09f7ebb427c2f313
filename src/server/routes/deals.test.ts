/**
 * The deal routes on the mid-market template through Fastify inject: creating a deal against its
 * entry stage's required fields, stage moves (required fields, skips), close-date pushes and the
 * forecast review, staleness at the request's instant, closing won with the customer-success
 * handoff, the list's filters and pages — and the main flow on every dialect.
 *
 * The clock starts at Tuesday 2026-11-24 15:00 UTC (10:00 in New York). Business days count on the
 * template's New York calendar, where Thursday 2026-11-26 is Thanksgiving: two business days from
 * the start end on Friday 2026-11-27 at 15:00 UTC.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { adminServer, type AdminServer } from '../../../test/support/adminServer.ts';
import { apiServer, type ApiServer } from '../../../test/support/apiServer.ts';
import { DIALECTS } from '../../../test/support/dialects.ts';
import type { Store } from '../../core/ports.ts';

const T0 = Date.parse('2026-11-24T15:00:00Z');
const DAY = 86_400_000;
const CMD = expect.stringMatching(/^cmd-[0-9a-f-]{36}$/) as unknown as string;

let api: ApiServer | undefined;
let admin: AdminServer | undefined;
afterEach(async () => {
  expect(api?.bugs ?? []).toEqual([]);
  expect(admin?.bugs ?? []).toEqual([]);
  await api?.close();
  await admin?.close();
  api = undefined;
  admin = undefined;
});

async function start(store?: Store): Promise<ApiServer> {
  api = await apiServer(Object.assign({ at: T0 }, store === undefined ? {} : { store }));
  return api;
}

interface Deal {
  id: string;
  stage: string;
  status: string;
  owner: string | null;
  csOwner: string | null;
  closeDate: string | null;
  fields: Record<string, unknown>;
  closedAt: string | null;
  daysInStage: number;
  stale: boolean;
  flags: { stale: unknown; skipped: string[]; forecastReview: boolean };
  history: { from: string | null; stage: string; at: string; cause: string; skipped: string[] }[];
  pushes: { at: string; from: string; to: string; slipDays: number; reason: string }[];
  approvals: {
    id: string;
    status: string;
    exceptions: { kind: string; detail: string }[];
    steps: { tier: string; approvers: string[]; mode: string; status: string }[];
    waitingOn: string[];
  }[];
}
interface ErrorBody {
  error: { code: string; message: string; hint: string; issues: { code: string; path: string }[] };
}

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;
const send = (method: 'POST' | 'PATCH', url: string, body: unknown) =>
  (api as ApiServer).app.inject({
    method,
    url,
    payload: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
const get = (url: string) => (api as ApiServer).get(url);

/** What the qualified stage requires, filled. */
const ENTRY = { source: 'inbound', fields: { fitScore: 62 } };
const DISCOVERY = { painPoints: 'Manual reporting', currentSolution: 'Spreadsheets', timeline: 'Q1 2027' };
const DEMO = { technicalRequirements: 'SSO, Snowflake export', decisionMakers: ['cfo', 'vp-ops'] };
const proposal = (terms: Record<string, unknown>) =>
  Object.assign({ paymentTerms: 'net-30', stakeholderMap: 'CFO signs; VP Ops champions' }, terms);

/** Creates deal `id` (owner priya) and walks it up to `stage` with each stage's fields filled. */
async function dealIn(
  id: string,
  stage: 'qualified' | 'discovery' | 'demo',
  extra: Record<string, unknown> = {},
): Promise<Deal> {
  const created = await send(
    'POST',
    '/v1/deals',
    Object.assign({ id, contact: `buyer@${id}.example`, name: `Deal ${id}`, owner: 'priya' }, ENTRY, extra),
  );
  if (created.statusCode !== 201) throw new Error(created.body);
  let deal = json<Deal>(created);
  for (const [next, fields] of [
    ['discovery', DISCOVERY],
    ['demo', DEMO],
  ] as const) {
    if (deal.stage === stage) break;
    const moved = await send('PATCH', `/v1/deals/${id}`, { stage: next, fields });
    if (moved.statusCode !== 200) throw new Error(moved.body);
    deal = json<Deal>(moved);
  }
  return deal;
}

describe('POST /v1/deals', () => {
  it('refuses a deal whose entry stage fields are empty, naming each one, and writes nothing', async () => {
    await start();
    const res = await send('POST', '/v1/deals', { id: 'acme-1', contact: 'kim@acme.example' });
    expect(res.statusCode).toBe(422);
    expect(json<ErrorBody>(res)).toEqual({
      error: {
        code: 'pipeline.required_fields_missing',
        message:
          'Qualified needs Source (`source`), Fit score (`fitScore`) before deal `acme-1` can enter it',
        hint: 'fill source, fitScore and move it again',
        issues: [
          { code: 'pipeline.required_fields_missing', path: 'source', message: '`source` is required' },
          { code: 'pipeline.required_fields_missing', path: 'fitScore', message: '`fitScore` is required' },
        ],
      },
    });
    expect((await get('/v1/deals/acme-1')).statusCode).toBe(404);
    expect(json<{ items: unknown[] }>(await get('/v1/deals')).items).toEqual([]);
  });

  it('creates it in the first stage with the contact, the account from its domain and a history row; an id twice is 409', async () => {
    await start();
    const res = await send('POST', '/v1/deals', {
      id: 'acme-1',
      contact: 'Kim@Acme.example',
      name: 'Acme platform',
      amount: 24000,
      closeDate: '2026-12-15',
      owner: 'priya',
      source: 'inbound',
      fields: { fitScore: 62 },
    });
    expect(res.statusCode).toBe(201);
    expect(json<Deal>(res)).toEqual({
      id: 'acme-1',
      name: 'Acme platform',
      pipeline: 'new-business',
      stage: 'qualified',
      status: 'open',
      account: 'acme.example',
      owner: 'priya',
      csOwner: null,
      amount: 24000,
      currency: 'USD',
      closeDate: '2026-12-15',
      source: 'inbound',
      contacts: [{ contact: 'email:kim@acme.example', role: 'primary' }],
      fields: { fitScore: 62 },
      createdAt: '2026-11-24T15:00:00.000Z',
      updatedAt: '2026-11-24T15:00:00.000Z',
      stageEnteredAt: '2026-11-24T15:00:00.000Z',
      closedAt: null,
      daysInStage: 0,
      stale: false,
      flags: { stale: null, skipped: [], forecastReview: false },
      history: [{ from: null, stage: 'qualified', at: '2026-11-24T15:00:00.000Z', cause: CMD, skipped: [] }],
      pushes: [],
      approvals: [],
    });
    const again = await send(
      'POST',
      '/v1/deals',
      Object.assign({ id: 'acme-1', contact: 'x@acme.example' }, ENTRY),
    );
    expect([again.statusCode, json<ErrorBody>(again).error.code]).toEqual([409, 'pipeline.deal_exists']);
  });

  it('answers 400 for a body that is not a deal (no contact, an unknown top-level key)', async () => {
    await start();
    const noContact = await send('POST', '/v1/deals', { id: 'x' });
    expect([noContact.statusCode, json<ErrorBody>(noContact).error.code]).toEqual([400, 'http.invalid_body']);
    const stray = await send('POST', '/v1/deals', { id: 'x', contact: 'a@b.example', painPoints: 'p' });
    expect([stray.statusCode, json<ErrorBody>(stray).error.issues[0]?.path]).toEqual([400, '']);
  });
});

describe('PATCH /v1/deals/{id}', () => {
  it('refuses a move to demo without its fields, naming both, and keeps the deal as it was', async () => {
    await start();
    await dealIn('acme-1', 'discovery');
    const res = await send('PATCH', '/v1/deals/acme-1', { stage: 'demo', amount: 18000 });
    expect(res.statusCode).toBe(422);
    const body = json<ErrorBody>(res);
    expect(body.error.code).toBe('pipeline.required_fields_missing');
    expect(body.error.message).toBe(
      'Demo / evaluation needs Technical requirements (`technicalRequirements`), Decision makers (`decisionMakers`) before deal `acme-1` can enter it',
    );
    expect(body.error.issues.map((i) => i.path)).toEqual(['technicalRequirements', 'decisionMakers']);
    const after = json<Deal & { amount: number | null }>(await get('/v1/deals/acme-1'));
    expect([after.stage, after.amount, after.history.length]).toEqual(['discovery', null, 2]);

    const half = await send('PATCH', '/v1/deals/acme-1', {
      stage: 'demo',
      fields: { technicalRequirements: 'SSO' },
    });
    expect(json<ErrorBody>(half).error.issues.map((i) => i.path)).toEqual(['decisionMakers']);
    const moved = await send('PATCH', '/v1/deals/acme-1', { stage: 'demo', fields: DEMO });
    expect(moved.statusCode).toBe(200);
    expect(json<Deal>(moved).history.map((h) => [h.from, h.stage])).toEqual([
      [null, 'qualified'],
      ['qualified', 'discovery'],
      ['discovery', 'demo'],
    ]);
  });

  it('flags a skip (the template flags, not blocks) and sets fields without a move', async () => {
    await start();
    await dealIn('acme-1', 'qualified');
    const skip = await send('PATCH', '/v1/deals/acme-1', {
      stage: 'demo',
      fields: Object.assign({}, DEMO),
    });
    expect(skip.statusCode).toBe(200);
    const deal = json<Deal>(skip);
    expect(deal.flags.skipped).toEqual(['discovery']);
    expect(deal.history.at(-1)).toMatchObject({ from: 'qualified', stage: 'demo', skipped: ['discovery'] });
    const set = await send('PATCH', '/v1/deals/acme-1', {
      owner: 'leo',
      fields: { painPoints: 'Slow close' },
    });
    expect(set.statusCode).toBe(200);
    expect(json<Deal>(set)).toMatchObject({
      stage: 'demo',
      owner: 'leo',
      fields: Object.assign({ fitScore: 62, painPoints: 'Slow close' }, DEMO),
    });
  });

  it('answers 404 for an unknown deal, 422 for an empty change, an unknown stage, or status and stage that disagree', async () => {
    await start();
    const missing = await send('PATCH', '/v1/deals/nope', { stage: 'demo' });
    expect([missing.statusCode, json<ErrorBody>(missing).error.code]).toEqual([404, 'pipeline.unknown_deal']);
    await dealIn('acme-1', 'qualified');
    const cases = [
      [{}, 'pipeline.invalid_request'],
      [{ stage: 'contract' }, 'pipeline.unknown_stage'],
      [{ stage: 'demo', status: 'won' }, 'pipeline.invalid_request'],
    ] as const;
    for (const [body, code] of cases) {
      const res = await send('PATCH', '/v1/deals/acme-1', body);
      expect([res.statusCode, json<ErrorBody>(res).error.code]).toEqual([422, code]);
    }
  });
});

describe('closing a deal', () => {
  it('closed won needs a signed contract; then the CS owner is grace and the kickoff task is due 2 business days later', async () => {
    await start();
    await dealIn('acme-1', 'demo');
    const unsigned = await send('PATCH', '/v1/deals/acme-1', { stage: 'closed_won' });
    expect(json<ErrorBody>(unsigned).error.issues.map((i) => i.path)).toEqual([
      'signedContract',
      'paymentTerms',
    ]);

    const won = await send('PATCH', '/v1/deals/acme-1', {
      stage: 'closed_won',
      fields: { signedContract: true, paymentTerms: 'net-30' },
    });
    expect(won.statusCode).toBe(200);
    expect(json<Deal>(won)).toMatchObject({
      stage: 'closed_won',
      status: 'won',
      csOwner: 'grace',
      closedAt: '2026-11-24T15:00:00.000Z',
      flags: { skipped: ['proposal', 'negotiation'] },
    });
    const tasks = json<{ items: { title: string; assignee: string; dueAt: string; contact: string }[] }>(
      await get('/v1/tasks?assignee=grace'),
    );
    expect(tasks.items).toEqual([
      expect.objectContaining({
        title: 'Schedule kickoff call with Deal acme-1',
        assignee: 'rep:grace',
        contact: 'email:buyer@acme-1.example',
        dueAt: '2026-11-27T15:00:00.000Z',
      }),
    ]);
    const closed = await send('PATCH', '/v1/deals/acme-1', { stage: 'demo' });
    expect([closed.statusCode, json<ErrorBody>(closed).error.code]).toEqual([409, 'pipeline.deal_closed']);
  });

  it('`status: lost` closes it in the lost stage, which needs the loss reason (and the competitor when one won)', async () => {
    await start();
    await dealIn('acme-1', 'discovery');
    const competitor = await send('PATCH', '/v1/deals/acme-1', {
      status: 'lost',
      fields: { lossReason: 'competitor' },
    });
    expect(json<ErrorBody>(competitor).error.issues.map((i) => i.path)).toEqual(['competitor']);
    const lost = await send('PATCH', '/v1/deals/acme-1', {
      status: 'lost',
      fields: { lossReason: 'competitor', competitor: 'Dashly' },
    });
    expect(lost.statusCode).toBe(200);
    expect(json<Deal>(lost)).toMatchObject({ stage: 'closed_lost', status: 'lost', csOwner: null });
  });
});

describe('POST /v1/deals/{id}/close-date', () => {
  it('a later date needs a reason; the second push flags a forecast review; an earlier date is no push', async () => {
    await start();
    await dealIn('acme-1', 'qualified', { closeDate: '2026-12-15' });
    const bare = await send('POST', '/v1/deals/acme-1/close-date', { closeDate: '2027-01-15' });
    expect(bare.statusCode).toBe(422);
    expect(json<ErrorBody>(bare).error).toMatchObject({
      code: 'pipeline.push_reason_required',
      message: 'moving the close date from 2026-12-15 to 2027-01-15 (31 days later) needs a reason',
    });
    expect(json<Deal>(await get('/v1/deals/acme-1')).closeDate).toBe('2026-12-15');

    api?.clock.advanceTo(T0 + DAY);
    const first = json<Deal>(
      await send('POST', '/v1/deals/acme-1/close-date', { closeDate: '2027-01-15', reason: 'Budget frozen' }),
    );
    expect([first.closeDate, first.flags.forecastReview]).toEqual(['2027-01-15', false]);
    api?.clock.advanceTo(T0 + 2 * DAY);
    const second = json<Deal>(
      await send('POST', '/v1/deals/acme-1/close-date', { closeDate: '2027-01-31', reason: 'Legal review' }),
    );
    expect(second.flags.forecastReview).toBe(true);
    expect(second.pushes).toEqual([
      {
        at: '2026-11-25T15:00:00.000Z',
        from: '2026-12-15',
        to: '2027-01-15',
        slipDays: 31,
        reason: 'Budget frozen',
      },
      {
        at: '2026-11-26T15:00:00.000Z',
        from: '2027-01-15',
        to: '2027-01-31',
        slipDays: 16,
        reason: 'Legal review',
      },
    ]);
    const earlier = json<Deal>(
      await send('POST', '/v1/deals/acme-1/close-date', { closeDate: '2027-01-20' }),
    );
    expect([earlier.closeDate, earlier.pushes.length]).toEqual(['2027-01-20', 2]);
  });
});

describe('GET /v1/deals', () => {
  it('judges staleness now: discovery goes stale after 14 days; filters by stale, stage, owner, status', async () => {
    await start();
    await dealIn('a-stale', 'discovery');
    await dealIn('b-fresh', 'qualified', { owner: 'leo' });
    // A minute short of 14 days in discovery, nothing is stale yet.
    api?.clock.advanceTo(T0 + 14 * DAY - 60_000);
    expect(json<{ items: Deal[] }>(await get('/v1/deals?stale=true')).items).toEqual([]);
    api?.clock.advanceTo(T0 + 15 * DAY);
    const all = json<{ items: Deal[] }>(await get('/v1/deals'));
    expect(all.items.map((d) => [d.id, d.stage, d.daysInStage, d.stale])).toEqual([
      ['a-stale', 'discovery', 15, true],
      ['b-fresh', 'qualified', 15, false],
    ]);
    expect(all.items[0]?.flags.stale).toEqual({
      stage: 'discovery',
      since: '2026-12-08T15:00:00.000Z',
      basis: 'limit',
      limitDays: 14,
      managerAlerted: false,
    });
    const ids = async (query: string) =>
      json<{ items: Deal[] }>(await get(`/v1/deals${query}`)).items.map((d) => d.id);
    expect(await ids('?stale=true')).toEqual(['a-stale']);
    expect(await ids('?stale=false')).toEqual(['b-fresh']);
    expect(await ids('?stage=qualified')).toEqual(['b-fresh']);
    expect(await ids('?owner=priya')).toEqual(['a-stale']);
    expect(await ids('?owner=rep:leo')).toEqual(['b-fresh']);
    expect(await ids('?status=won')).toEqual([]);
    expect(await ids('?account=b-fresh.example')).toEqual(['b-fresh']);
    const detail = json<Deal>(await get('/v1/deals/a-stale'));
    expect([detail.stale, detail.daysInStage]).toEqual([true, 15]);
  });

  it('pages in id order with a cursor; a cursor of another list is a 400', async () => {
    await start();
    for (const id of ['c', 'a', 'b']) await dealIn(id, 'qualified');
    const first = json<{ items: Deal[]; nextCursor: string }>(await get('/v1/deals?limit=2'));
    expect(first.items.map((d) => d.id)).toEqual(['a', 'b']);
    const rest = json<{ items: Deal[]; nextCursor: string | null }>(
      await get(`/v1/deals?limit=2&cursor=${first.nextCursor}`),
    );
    expect([rest.items.map((d) => d.id), rest.nextCursor]).toEqual([['c'], null]);
    const staleFirst = json<{ items: Deal[]; nextCursor: string }>(
      await get('/v1/deals?limit=1&stale=false'),
    );
    expect(staleFirst.items.map((d) => d.id)).toEqual(['a']);
    const staleNext = json<{ items: Deal[] }>(
      await get(`/v1/deals?limit=5&stale=false&cursor=${staleFirst.nextCursor}`),
    );
    expect(staleNext.items.map((d) => d.id)).toEqual(['b', 'c']);
    const foreign = await get('/v1/deals?cursor=WyJ0YXNrcyIsMSwieCJd');
    expect([foreign.statusCode, json<ErrorBody>(foreign).error.code]).toEqual([400, 'http.invalid_query']);
  });
});

describe('scopes and the OpenAPI document', () => {
  it('reads need `read`, changes need `ingest`; every deal operation is in /docs/json', async () => {
    admin = await adminServer();
    const reader = await admin.bearer(['read']);
    const writer = await admin.bearer(['ingest']);
    const create = (authorization: string) =>
      admin!.app.inject({
        method: 'POST',
        url: '/v1/deals',
        headers: { authorization, 'content-type': 'application/json' },
        payload: JSON.stringify(Object.assign({ id: 'k-1', contact: 'kim@acme.example' }, ENTRY)),
      });
    const denied = await create(reader.authorization);
    expect([denied.statusCode, json<ErrorBody>(denied).error.code]).toEqual([403, 'auth.insufficient_scope']);
    const created = await create(writer.authorization);
    expect(created.statusCode).toBe(201);
    expect(json<Deal>(created).history[0]?.cause).toMatch(/^cmd-/);
    const listed = await admin.app.inject({
      method: 'GET',
      url: '/v1/deals',
      headers: { authorization: reader.authorization },
    });
    expect(json<{ items: Deal[] }>(listed).items.map((d) => d.id)).toEqual(['k-1']);

    const doc = json<{ paths: Record<string, Record<string, { 'x-revops-scope': string }>> }>(
      await admin.app.inject({ method: 'GET', url: '/docs/json' }),
    );
    const scopes = Object.fromEntries(
      Object.entries(doc.paths)
        .filter(([path]) => path.startsWith('/v1/deals') || path.startsWith('/v1/approvals'))
        .flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => [
            `${method.toUpperCase()} ${path}`,
            op['x-revops-scope'],
          ]),
        ),
    );
    expect(scopes).toEqual({
      'GET /v1/deals': 'read',
      'POST /v1/deals': 'ingest',
      'GET /v1/deals/{id}': 'read',
      'PATCH /v1/deals/{id}': 'ingest',
      'POST /v1/deals/{id}/close-date': 'ingest',
      'GET /v1/approvals': 'read',
      'GET /v1/approvals/exceptions': 'read',
      'GET /v1/approvals/{id}': 'read',
      'POST /v1/approvals/{id}/decision': 'approve',
    });
  });
});

describe.each(DIALECTS)('the main flow on $name', (dialect) => {
  it('create → discovery → demo → proposal at 25% off (VP Sales approves) → negotiation → closed won', async () => {
    await start(await dialect.open());
    await dealIn('acme-1', 'demo');
    const atProposal = await send('PATCH', '/v1/deals/acme-1', {
      stage: 'proposal',
      amount: 30000,
      fields: proposal({ discountPercent: 25, termMonths: 12 }),
    });
    expect(atProposal.statusCode).toBe(200);
    const [request] = json<Deal>(atProposal).approvals;
    expect(request).toMatchObject({
      id: 'acme-1:1',
      status: 'pending',
      exceptions: [
        { kind: 'acv_over_threshold', detail: 'ACV $30,000 over the $25,000 threshold' },
        { kind: 'discount', detail: '25% discount' },
      ],
      steps: [{ tier: 'vp-sales', approvers: ['role:vp_sales'], mode: 'all', status: 'pending' }],
      waitingOn: ['role:vp_sales'],
    });
    const approved = await send('POST', '/v1/approvals/acme-1%3A1/decision', {
      approver: 'role:vp_sales',
      decision: 'approve',
      comment: 'Strategic logo',
    });
    expect([approved.statusCode, json<{ status: string }>(approved).status]).toEqual([200, 'approved']);
    const negotiation = await send('PATCH', '/v1/deals/acme-1', {
      stage: 'negotiation',
      closeDate: '2026-12-18',
      fields: { redlines: 'Liability cap 2x', approvalChain: ['legal', 'cfo'] },
    });
    expect(negotiation.statusCode).toBe(200);
    const won = json<Deal>(
      await send('PATCH', '/v1/deals/acme-1', { status: 'won', fields: { signedContract: true } }),
    );
    expect([won.stage, won.status, won.csOwner, won.flags.skipped]).toEqual([
      'closed_won',
      'won',
      'grace',
      [],
    ]);
    expect(won.history.map((h) => h.stage)).toEqual([
      'qualified',
      'discovery',
      'demo',
      'proposal',
      'negotiation',
      'closed_won',
    ]);
    expect(won.approvals.map((a) => [a.id, a.status])).toEqual([['acme-1:1', 'approved']]);
    const kickoff = json<{ items: { title: string; dueAt: string }[] }>(
      await get('/v1/tasks?assignee=grace'),
    );
    expect(kickoff.items.map((t) => [t.title, t.dueAt])).toEqual([
      ['Schedule kickoff call with Deal acme-1', '2026-11-27T15:00:00.000Z'],
    ]);
  });
});
