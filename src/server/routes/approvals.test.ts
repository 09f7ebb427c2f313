/**
 * The approval routes on the mid-market template's deal desk (10–20% off → the owner's manager,
 * 20–40% → role:vp_sales, termMonths > 12 → role:finance AND role:legal; ACV over $25,000 and
 * payment terms other than net-30 are logged as exceptions). Deals are owned by priya, whose manager
 * is dan. The clock starts at Tuesday 2026-11-24 15:00 UTC; the approval SLA is 2 business days on
 * the New York calendar, past Thanksgiving (Thursday 2026-11-26): due Friday 2026-11-27 15:00 UTC.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { adminServer, type AdminServer } from '../../../test/support/adminServer.ts';
import { apiServer, type ApiServer } from '../../../test/support/apiServer.ts';

const T0 = Date.parse('2026-11-24T15:00:00Z');
const HOUR = 3_600_000;

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

interface Approval {
  id: string;
  deal: string;
  status: string;
  requestedAt: string;
  requestedBy: string;
  terms: Record<string, unknown>;
  exceptions: { kind: string; detail: string }[];
  steps: {
    tier: string;
    name: string;
    approvers: string[];
    mode: string;
    status: string;
    votes: { approver: string; decision: string; comment: string | null; at: string; by: string | null }[];
  }[];
  waitingOn: string[];
  dueAt: string;
  overdue: boolean;
  escalations: unknown[];
  decidedAt: string | null;
}
interface ErrorBody {
  error: { code: string; message: string; hint: string };
}

const json = <T>(res: { body: string }) => JSON.parse(res.body) as T;
let app: FastifyInstance;
let headers: Record<string, string> = {};

async function start(): Promise<void> {
  api = await apiServer({ at: T0 });
  app = api.app;
  headers = {};
}

const send = (method: 'POST' | 'PATCH', url: string, body: unknown) =>
  app.inject({
    method,
    url,
    payload: JSON.stringify(body),
    headers: Object.assign({ 'content-type': 'application/json' }, headers),
  });
const get = (url: string) => app.inject({ method: 'GET', url, headers });
const decide = (id: string, body: Record<string, string>) =>
  send('POST', `/v1/approvals/${encodeURIComponent(id)}/decision`, body);

/** Deal `id` (owner priya) created and moved straight to proposal with these terms (a flagged skip). */
async function atProposal(id: string, terms: Record<string, unknown>): Promise<Approval | undefined> {
  const created = await send('POST', '/v1/deals', {
    id,
    contact: `buyer@${id}.example`,
    owner: 'priya',
    source: 'inbound',
    fields: { fitScore: 62 },
  });
  if (created.statusCode !== 201) throw new Error(created.body);
  const moved = await send('PATCH', `/v1/deals/${id}`, {
    stage: 'proposal',
    amount: terms['amount'] ?? 20000,
    fields: Object.assign(
      { termMonths: 12, paymentTerms: 'net-30', stakeholderMap: 'CFO signs' },
      Object.fromEntries(Object.entries(terms).filter(([k]) => k !== 'amount')),
    ),
  });
  if (moved.statusCode !== 200) throw new Error(moved.body);
  return json<{ approvals: Approval[] }>(moved).approvals[0];
}

describe('POST /v1/approvals/{id}/decision', () => {
  it('a multi-year deal needs finance AND legal: finance alone leaves it pending, legal approves it', async () => {
    await start();
    const request = await atProposal('globex-1', { amount: 36000, discountPercent: 5, termMonths: 36 });
    expect(request).toEqual({
      id: 'globex-1:1',
      deal: 'globex-1',
      status: 'pending',
      requestedAt: '2026-11-24T15:00:00.000Z',
      requestedBy: 'rep:priya',
      terms: { amount: 36000, discountPercent: 5, termMonths: 36, paymentTerms: 'net-30' },
      exceptions: [{ kind: 'multi_year', detail: '36-month term' }],
      steps: [
        {
          tier: 'standard',
          name: 'Standard pricing (under 10% off, no custom terms)',
          approvers: [],
          mode: 'all',
          status: 'approved',
          votes: [],
        },
        {
          tier: 'multi-year',
          name: 'Multi-year contract',
          approvers: ['role:finance', 'role:legal'],
          mode: 'all',
          status: 'pending',
          votes: [],
        },
      ],
      waitingOn: ['role:finance', 'role:legal'],
      dueAt: '2026-11-27T15:00:00.000Z',
      overdue: false,
      escalations: [],
      decidedAt: null,
    });

    api?.clock.advanceTo(T0 + HOUR);
    const finance = await decide('globex-1:1', { approver: 'role:finance', decision: 'approve' });
    expect(finance.statusCode).toBe(200);
    expect(json<Approval>(finance)).toMatchObject({
      status: 'pending',
      waitingOn: ['role:legal'],
      decidedAt: null,
    });
    expect(json<Approval>(finance).steps[1]?.votes).toEqual([
      {
        approver: 'role:finance',
        decision: 'approve',
        comment: null,
        at: '2026-11-24T16:00:00.000Z',
        by: null,
      },
    ]);

    api?.clock.advanceTo(T0 + 2 * HOUR);
    const legal = await decide('globex-1:1', {
      approver: 'role:legal',
      decision: 'approve',
      comment: 'Standard MSA',
    });
    expect(json<Approval>(legal)).toMatchObject({
      status: 'approved',
      waitingOn: [],
      decidedAt: '2026-11-24T17:00:00.000Z',
      steps: [{ status: 'approved' }, { status: 'approved' }],
    });
    expect(json<Approval>(await get('/v1/approvals/globex-1:1')).status).toBe('approved');
    const late = await decide('globex-1:1', { approver: 'role:finance', decision: 'approve' });
    expect([late.statusCode, json<ErrorBody>(late).error.code]).toEqual([409, 'approval.not_pending']);
  });

  it('10–20% goes to the owner’s manager (rep:dan); someone else is 403; a rejection needs a comment', async () => {
    await start();
    const request = await atProposal('initech-1', { discountPercent: 15 });
    expect(request?.steps.map((s) => [s.tier, s.approvers])).toEqual([['sales-manager', ['rep:dan']]]);
    expect(request?.exceptions).toEqual([{ kind: 'discount', detail: '15% discount' }]);

    const vp = await decide('initech-1:1', { approver: 'role:vp_sales', decision: 'approve' });
    expect(vp.statusCode).toBe(403);
    expect(json<ErrorBody>(vp).error).toEqual({
      code: 'approval.not_an_approver',
      message: 'role:vp_sales is not an approver of approval initech-1:1; it waits on rep:dan',
      hint: 'vote as one of: rep:dan',
      issues: [],
    });
    const bare = await decide('initech-1:1', { approver: 'rep:dan', decision: 'reject' });
    expect([bare.statusCode, json<ErrorBody>(bare).error.code]).toEqual([422, 'approval.invalid_request']);
    const rejected = await decide('initech-1:1', {
      approver: 'rep:dan',
      decision: 'reject',
      comment: 'Offer 10% with a 2-year term instead',
    });
    expect(json<Approval>(rejected)).toMatchObject({
      status: 'rejected',
      decidedAt: '2026-11-24T15:00:00.000Z',
    });
    const unknown = await decide('initech-1:9', { approver: 'rep:dan', decision: 'approve' });
    expect([unknown.statusCode, json<ErrorBody>(unknown).error.code]).toEqual([
      404,
      'approval.unknown_request',
    ]);
    const wrong = await send('POST', '/v1/approvals/initech-1%3A1/decision', {
      approver: 'rep:dan',
      decision: 'ok',
    });
    expect([wrong.statusCode, json<ErrorBody>(wrong).error.code]).toEqual([400, 'http.invalid_body']);
  });

  it('takes a vote only from the approver’s own key (or an admin key), and records that key as `by`', async () => {
    admin = await adminServer();
    const writer = await admin.bearer(['ingest', 'read'], 'deal-desk-bot');
    const finance = await admin.bearer(['approve:role:finance'], 'finance-inbox');
    const maya = await admin.bearer(['approve:rep:maya'], 'maya-phone');
    app = admin.app;
    headers = { authorization: writer.authorization };
    await atProposal('umbrella-1', { discountPercent: 25 });
    const vote = { approver: 'role:vp_sales', decision: 'approve' };

    // A key that may write events may not vote as whoever it names.
    const bot = await decide('umbrella-1:1', vote);
    expect([bot.statusCode, json<ErrorBody>(bot).error]).toEqual([
      403,
      {
        code: 'auth.insufficient_scope',
        message: `POST /v1/approvals/:id/decision needs an approver's key; the API key ${writer.id} (deal-desk-bot) has ingest, read`,
        hint: 'votes need a key bound to the approver: `revops keys create --name NAME --scopes approve:rep:<rep id>` (or approve:role:<role>; admin keys may vote as anyone)',
        issues: [],
      },
    ]);
    // An approver's key votes as that approver only.
    headers = { authorization: finance.authorization };
    const other = await decide('umbrella-1:1', vote);
    expect([other.statusCode, json<ErrorBody>(other).error]).toEqual([
      403,
      {
        code: 'auth.not_this_approver',
        message: `the API key ${finance.id} (finance-inbox) may vote as role:finance, not as role:vp_sales`,
        hint: "send the vote with role:vp_sales's own key: `revops keys create --name NAME --scopes approve:role:vp_sales` (an admin key may vote as anyone)",
        issues: [],
      },
    ]);
    // Maya's key votes as Maya and as her role in team.reps (vp_sales).
    headers = { authorization: maya.authorization };
    const voted = await decide('umbrella-1:1', vote);
    expect(voted.statusCode).toBe(200);
    expect(json<Approval>(voted).status).toBe('approved');
    expect(json<Approval>(voted).steps[0]?.votes[0]?.by).toBe(`key:${maya.id}`);
  });
});

describe('GET /v1/approvals and the exceptions report', () => {
  /** A: 25% off $30,000 (approved); B: 36 months (approved); C: 25% off $20,000 (rejected). */
  async function threeDecided(): Promise<void> {
    await start();
    await atProposal('a', { amount: 30000, discountPercent: 25 });
    await decide('a:1', { approver: 'role:vp_sales', decision: 'approve' });
    api?.clock.advanceTo(T0 + HOUR);
    await atProposal('b', { amount: 36000, discountPercent: 5, termMonths: 36 });
    await decide('b:1', { approver: 'role:finance', decision: 'approve' });
    await decide('b:1', { approver: 'role:legal', decision: 'approve' });
    api?.clock.advanceTo(T0 + 2 * HOUR);
    await atProposal('c', { discountPercent: 25 });
  }

  it('lists newest first, by status and deal, in pages', async () => {
    await threeDecided();
    const ids = async (query: string) =>
      json<{ items: Approval[] }>(await get(`/v1/approvals${query}`)).items.map((a) => [a.id, a.status]);
    expect(await ids('')).toEqual([
      ['c:1', 'pending'],
      ['b:1', 'approved'],
      ['a:1', 'approved'],
    ]);
    expect(await ids('?status=pending')).toEqual([['c:1', 'pending']]);
    expect(await ids('?deal=b')).toEqual([['b:1', 'approved']]);
    const first = json<{ items: Approval[]; nextCursor: string }>(await get('/v1/approvals?limit=2'));
    expect(first.items.map((a) => a.id)).toEqual(['c:1', 'b:1']);
    const rest = json<{ items: Approval[]; nextCursor: string | null }>(
      await get(`/v1/approvals?limit=2&cursor=${first.nextCursor}`),
    );
    expect([rest.items.map((a) => a.id), rest.nextCursor]).toEqual([['a:1'], null]);
    const missing = await get('/v1/approvals/zzz:1');
    expect([missing.statusCode, json<ErrorBody>(missing).error.code]).toEqual([
      404,
      'approval.unknown_request',
    ]);
  });

  it('ranks the exceptions and recommends making the common, always-granted ones standard', async () => {
    await threeDecided();
    await decide('c:1', { approver: 'role:vp_sales', decision: 'reject', comment: 'Too deep for this size' });
    const report = await get('/v1/approvals/exceptions');
    expect(report.statusCode).toBe(200);
    expect(json<unknown>(report)).toEqual({
      from: null,
      to: null,
      requests: 3,
      makeStandardWhen: { share: 0.3, approvalRate: 0.8 },
      rows: [
        {
          kind: 'discount',
          bucket: '20-40%',
          count: 2,
          share: 2 / 3,
          approved: 1,
          rejected: 1,
          pending: 0,
          approvalRate: 0.5,
          recommendation: null,
        },
        {
          kind: 'acv_over_threshold',
          bucket: null,
          count: 1,
          share: 1 / 3,
          approved: 1,
          rejected: 0,
          pending: 0,
          approvalRate: 1,
          recommendation: 'make_standard',
        },
        {
          kind: 'multi_year',
          bucket: null,
          count: 1,
          share: 1 / 3,
          approved: 1,
          rejected: 0,
          pending: 0,
          approvalRate: 1,
          recommendation: 'make_standard',
        },
      ],
    });
    // From 15:30: only B and C.
    const later = json<{
      from: string;
      requests: number;
      rows: { kind: string; recommendation: string | null }[];
    }>(await get('/v1/approvals/exceptions?from=2026-11-24T15:30:00Z'));
    expect([later.from, later.requests]).toEqual(['2026-11-24T15:30:00.000Z', 2]);
    expect(later.rows.map((r) => [r.kind, r.recommendation])).toEqual([
      ['discount', null],
      ['multi_year', 'make_standard'],
    ]);
    const none = json<{ requests: number; rows: unknown[] }>(
      await get('/v1/approvals/exceptions?from=2026-11-25'),
    );
    expect([none.requests, none.rows]).toEqual([0, []]);
    const backwards = await get('/v1/approvals/exceptions?from=2026-11-25&to=2026-11-24');
    expect([backwards.statusCode, json<ErrorBody>(backwards).error.code]).toEqual([
      400,
      'http.invalid_query',
    ]);
    const garbage = await get('/v1/approvals/exceptions?from=last-quarter');
    expect([garbage.statusCode, json<ErrorBody>(garbage).error.code]).toEqual([400, 'http.invalid_query']);
  });
});
