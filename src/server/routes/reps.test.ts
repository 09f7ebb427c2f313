// GET/PATCH /v1/reps through Fastify inject on the mid-market template: the views, the merge-patch
// override, validation, and — on every dialect — routing honouring an override on its next decision.
import { afterEach, describe, expect, it } from 'vitest';
import { adminServer, type AdminServer } from '../../../test/support/adminServer.ts';
import { DEMO_REQUEST } from '../../../test/support/cli.ts';
import { DIALECTS } from '../../../test/support/dialects.ts';

let server: AdminServer | undefined;
afterEach(async () => {
  expect(server?.bugs ?? []).toEqual([]);
  await server?.close();
  server = undefined;
});

async function start(options: Parameters<typeof adminServer>[0] = {}) {
  server = await adminServer(options);
  const admin = await server.bearer(['admin'], 'ops-admin');
  const reader = await server.bearer(['read'], 'dashboard');
  const call = (
    method: 'GET' | 'PATCH',
    url: string,
    who: { authorization: string } = reader,
    payload?: object,
  ) =>
    server!.app.inject({
      method,
      url,
      headers: { authorization: who.authorization },
      ...(payload === undefined ? {} : { payload }),
    });
  return { server, admin, reader, call };
}

const FREE = { available: true, reason: null, detail: null };

describe('GET /v1/reps', () => {
  it('lists the config’s reps in order with teams, availability, load and whether routing would consider them now', async () => {
    const { call } = await start();
    const res = await call('GET', '/v1/reps');
    expect(res.statusCode).toBe(200);
    const reps = res.json().reps as { id: string; teams: string[] }[];
    expect(reps.map((r) => [r.id, r.teams])).toEqual([
      ['maya', []],
      ['dan', []],
      ['priya', ['enterprise', 'west', 'general']],
      ['leo', ['plg', 'central', 'general']],
      ['sofia', ['enterprise', 'east', 'general']],
      ['jonas', ['international']],
      ['grace', ['cs']],
      ['omar', []],
      ['nadia', []],
      ['theo', []],
    ]);
  });

  it('shows one rep: the config’s PTO (with its note), no override, no load', async () => {
    const { call } = await start();
    const res = await call('GET', '/v1/reps/sofia');
    expect(res.statusCode).toBe(200);
    const sofia = {
      active: true,
      pto: [{ from: '2026-12-21', to: '2027-01-01', note: 'Year-end break' }],
      capacity: { maxOpenLeads: 120, maxPerDay: 15 },
    };
    expect(res.json()).toEqual({
      id: 'sofia',
      name: 'Sofia Marquez',
      email: 'sofia.marquez@example.com',
      role: 'ae',
      timezone: 'America/New_York',
      teams: ['enterprise', 'east', 'general'],
      availability: sofia,
      configured: sofia,
      override: null,
      load: { openLeads: 0, today: 0 },
      availableNow: FREE,
    });
  });

  it('answers 404 rep.not_found with a suggestion', async () => {
    const { call } = await start();
    const res = await call('GET', '/v1/reps/pria');
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({
      code: 'rep.not_found',
      message: 'no rep `pria` in the running config — did you mean `priya`?',
      hint: 'reps are listed in team.reps by id: maya, dan, priya, leo, sofia, jonas, grace, omar, nadia, theo (GET /v1/reps)',
      issues: [],
    });
  });
});

describe('PATCH /v1/reps/{id}', () => {
  it('needs the admin scope', async () => {
    const { call, reader } = await start();
    const res = await call('PATCH', '/v1/reps/priya', reader, { active: false });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('auth.insufficient_scope');
  });

  it('sets an override, audited with the key, and the rep is unavailable at once', async () => {
    const { call, admin } = await start();
    const res = await call('PATCH', '/v1/reps/priya', admin, { active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      availability: { active: false, pto: [], capacity: { maxOpenLeads: 120, maxPerDay: 15 } },
      configured: { active: true },
      override: {
        active: false,
        updatedAt: '2026-11-24T15:00:00.000Z',
        updatedBy: { key: admin.id, name: 'ops-admin' },
      },
      availableNow: { available: false, reason: 'inactive', detail: 'priya is inactive' },
    });
    expect((await call('GET', '/v1/reps/priya')).json().availability.active).toBe(false);
  });

  it('merges: fields left out stay, null gives a field back to the config, PTO is in the rep’s zone', async () => {
    const { call, admin } = await start();
    // 2026-11-24 15:00Z is 07:00 on the 24th in Los Angeles (priya's zone).
    await call('PATCH', '/v1/reps/priya', admin, {
      pto: [{ from: '2026-11-24', to: '2026-11-25', note: 'sick' }],
    });
    const capped = await call('PATCH', '/v1/reps/priya', admin, { capacity: { maxPerDay: 3 } });
    expect(capped.json()).toMatchObject({
      availability: {
        active: true,
        pto: [{ from: '2026-11-24', to: '2026-11-25', note: 'sick' }],
        capacity: { maxOpenLeads: 120, maxPerDay: 3 },
      },
      override: { pto: [{ from: '2026-11-24', to: '2026-11-25', note: 'sick' }], capacity: { maxPerDay: 3 } },
      availableNow: {
        available: false,
        reason: 'pto',
        detail: 'priya is on PTO 2026-11-24..2026-11-25 (local date 2026-11-24 in America/Los_Angeles)',
      },
    });
    const back = await call('PATCH', '/v1/reps/priya', admin, { pto: null, capacity: null });
    expect(back.json()).toMatchObject({ override: null, availableNow: FREE });
    expect(back.json().availability).toEqual(back.json().configured);
  });

  it('refuses a bad body with 400 http.invalid_body naming each problem, and an unknown rep with 404', async () => {
    const { call, admin } = await start();
    const backwards = await call('PATCH', '/v1/reps/priya', admin, {
      pto: [{ from: '2026-12-05', to: '2026-12-01' }],
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.code).toBe('http.invalid_body');
    expect(backwards.json().error.issues).toEqual([
      {
        code: 'http.invalid_body',
        path: 'pto[0].to',
        message: '`to` is before `from`: a range runs from its first day to its last',
      },
    ]);
    const wrong = await call('PATCH', '/v1/reps/priya', admin, {
      active: 'no',
      capacity: { maxPerDay: 0 },
      vacation: true,
    });
    expect(wrong.statusCode).toBe(400);
    expect((wrong.json().error.issues as { path: string }[]).map((i) => i.path).sort()).toEqual([
      '',
      'active',
      'capacity.maxPerDay',
    ]);
    const fake = await call('PATCH', '/v1/reps/pto-bot', admin, { active: false });
    expect(fake.statusCode).toBe(404);
    expect(fake.json().error.code).toBe('rep.not_found');
  });
});

describe.each(DIALECTS)('routing honours overrides on $name', (dialect) => {
  it('a rep patched inactive is skipped on the next decision, with the reason in the trace', async () => {
    const store = await dialect.open();
    try {
      const { call, admin, server: s } = await start({ store });
      expect((await call('PATCH', '/v1/reps/priya', admin, { active: false })).statusCode).toBe(200);
      const summary = await s.ctx.workspace.current().runtime.engine.ingest([DEMO_REQUEST]);
      expect(summary.accepted).toBe(1);
      const [assignment] = await store.listAssignments();
      expect(assignment).toMatchObject({
        kind: 'assigned',
        owner: 'leo',
        rule: 'round-robin',
        team: 'general',
      });
      const candidates = (assignment?.trace['candidates'] ?? []) as {
        rep: string;
        status: string;
        reason?: string;
        detail?: string;
      }[];
      expect(candidates.find((c) => c.rep === 'priya')).toMatchObject({
        status: 'skipped',
        reason: 'inactive',
        detail: 'priya is inactive',
      });
      const leo = (await call('GET', '/v1/reps/leo')).json();
      expect(leo.load).toEqual({ openLeads: 1, today: 1 });
      // Back to the config: priya is a candidate again on the next decision.
      await call('PATCH', '/v1/reps/priya', admin, { active: null });
      await s.ctx.workspace.current().runtime.engine.ingest([
        {
          ...DEMO_REQUEST,
          id: 'demo-2',
          contact: { ...DEMO_REQUEST.contact, email: 'kim@company2.com' },
          company: { name: 'Company 2', employees: 400 },
        },
      ]);
      const second = (await store.listAssignments())[1];
      const again = (second?.trace['candidates'] ?? []) as { rep: string; status: string }[];
      expect(again.map((c) => [c.rep, c.status])).toEqual([
        ['priya', 'eligible'],
        ['leo', 'eligible'],
        ['sofia', 'chosen'],
      ]);
    } finally {
      await server?.close();
      server = undefined;
      await store.close();
    }
  });
});
