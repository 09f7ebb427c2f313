// The config API through Fastify inject on a temp SQLite database running the mid-market template:
// validation with positions, activation (audited, swapping the running engine), versions and diffs.
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { adminServer, type AdminServer } from '../../../test/support/adminServer.ts';
import { readTemplate } from '../../config/templates/index.ts';
import type { SqlStore } from '../../store/index.ts';

const TEMPLATE = readTemplate('mid-market');
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
/** The template with two mistakes: an email (line 94) and a team strategy (line 176). */
const BROKEN = TEMPLATE.replace('strategy: least_loaded', 'strategy: least_load').replace(
  'email: daniel.reyes@example.com',
  'email: daniel.reyes',
);
/** The template with Leo renamed: a one-line change. */
const RENAMED = TEMPLATE.replace('name: Leo Brandt', 'name: Leo Brandt-Okoro');

let server: AdminServer | undefined;
afterEach(async () => {
  expect(server?.bugs ?? []).toEqual([]);
  await server?.close();
  server = undefined;
});

async function start() {
  server = await adminServer();
  const s = server;
  const admin = await s.bearer(['admin'], 'ops-admin');
  const reader = await s.bearer(['read'], 'dashboard');
  const post = (url: string, payload: string, type = 'application/yaml', who = admin) =>
    s.app.inject({
      method: 'POST',
      url,
      payload,
      headers: { authorization: who.authorization, 'content-type': type },
    });
  const get = (url: string) =>
    s.app.inject({ method: 'GET', url, headers: { authorization: reader.authorization } });
  return { s, admin, reader, post, get };
}

const BROKEN_ISSUES = [
  {
    code: 'config.invalid_value',
    path: 'team.reps[1].email',
    message: '`team.reps[1].email`: expected an email address, got the text `daniel.reyes`',
    severity: 'error',
    at: 'revops.yaml:94:14',
  },
  {
    code: 'config.invalid_value',
    path: 'team.teams[0].strategy',
    message: '`team.teams[0].strategy` cannot be the text `least_load` — did you mean `least_loaded`?',
    hint: 'expected `weighted_round_robin`, `round_robin` or `least_loaded`',
    severity: 'error',
    at: 'revops.yaml:176:17',
  },
];

describe('POST /v1/config/validate', () => {
  it('checks YAML with the read scope: valid, or every issue with file:line:col; nothing stored', async () => {
    const { post, reader, s } = await start();
    const good = await post('/v1/config/validate', TEMPLATE, 'text/yaml', reader);
    expect(good.statusCode).toBe(200);
    expect(good.json()).toEqual({ valid: true, hash: sha(TEMPLATE), issues: [] });
    const bad = await post('/v1/config/validate', BROKEN, 'application/yaml; charset=utf-8', reader);
    expect(bad.json()).toEqual({ valid: false, hash: sha(BROKEN), issues: BROKEN_ISSUES });
    expect((await s.store.configHistory()).length).toBe(1);
  });

  it('takes JSON: a `{ text }` wrapper, or a config document whose positions point into the JSON sent', async () => {
    const { post } = await start();
    const wrapped = await post('/v1/config/validate', JSON.stringify({ text: BROKEN }), 'application/json');
    expect(wrapped.json().issues).toEqual(BROKEN_ISSUES);
    const doc = parse(TEMPLATE) as { team: { teams: { strategy?: string }[] } };
    expect((await post('/v1/config/validate', JSON.stringify(doc), 'application/json')).json().valid).toBe(
      true,
    );
    const teams = doc.team.teams;
    if (teams[0] !== undefined) teams[0].strategy = 'least_load';
    const json = JSON.stringify(doc, null, 2);
    const rows = json.split('\n');
    const line = rows.findIndex((l) => l.includes('"least_load"'));
    const column = (rows[line] ?? '').indexOf('"least_load"') + 1;
    const res = await post('/v1/config/validate', json, 'application/json');
    expect(res.json().issues).toEqual([
      expect.objectContaining({ path: 'team.teams[0].strategy', at: `revops.yaml:${line + 1}:${column}` }),
    ]);
  });

  it('answers 400 for JSON that does not parse and 415 for another media type', async () => {
    const { post } = await start();
    const broken = await post('/v1/config/validate', '{"text": ', 'application/json');
    expect(broken.statusCode).toBe(400);
    expect(broken.json().error.code).toBe('http.invalid_body');
    const xml = await post('/v1/config/validate', '<config/>', 'application/xml');
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('http.unsupported_media_type');
  });
});

describe('POST /v1/config', () => {
  it('needs the admin scope', async () => {
    const { post, reader } = await start();
    const res = await post('/v1/config', RENAMED, 'application/yaml', reader);
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toContain('needs the `admin` scope');
  });

  it('refuses an invalid config with 422 config.rejected listing every issue; nothing is stored', async () => {
    const { post, s } = await start();
    const res = await post('/v1/config', BROKEN);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toEqual({
      code: 'config.rejected',
      message: 'the config has 2 problems; nothing was stored',
      hint: 'fix every issue listed (each names its line and column in `message`); POST /v1/config/validate checks without storing',
      issues: BROKEN_ISSUES.map((i) => ({
        code: i.code,
        path: i.path,
        message: `${i.at} ${i.message}`,
        ...(i.hint === undefined ? {} : { hint: i.hint }),
      })),
    });
    expect((await s.store.configHistory()).map((v) => v.hash)).toEqual([sha(TEMPLATE)]);
    expect(s.ctx.workspace.current().hash).toBe(sha(TEMPLATE));
  });

  it('stores, audits and activates a new version: the running engine and the reps change at once', async () => {
    const { post, get, admin, s } = await start();
    const res = await post('/v1/config?note=Leo%20married', RENAMED);
    expect(res.statusCode).toBe(201);
    const version = {
      hash: sha(RENAMED),
      createdAt: '2026-11-24T15:00:00.000Z',
      createdBy: { key: admin.id, name: 'ops-admin' },
      note: 'Leo married',
      active: true,
      activations: [
        { at: '2026-11-24T15:00:00.000Z', by: { key: admin.id, name: 'ops-admin' }, note: 'Leo married' },
      ],
    };
    expect(res.json()).toEqual({ version, changed: true, previous: sha(TEMPLATE), warnings: [] });
    expect(s.ctx.workspace.current().hash).toBe(sha(RENAMED));
    expect((await get('/v1/reps/leo')).json().name).toBe('Leo Brandt-Okoro');
    expect((await (s.store as SqlStore).team()).reps.find((r) => r['id'] === 'leo')?.['name']).toBe(
      'Leo Brandt-Okoro',
    );

    const again = await post(
      '/v1/config',
      JSON.stringify({ text: RENAMED, note: 'again' }),
      'application/json',
    );
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ changed: false, previous: sha(RENAMED) });
  });

  it('rolls back by posting an older text: one more activation of that version', async () => {
    const { post, get, admin, s } = await start();
    await post('/v1/config', RENAMED);
    s.clock.advanceTo(Date.parse('2026-11-24T16:00:00Z'));
    const back = await post('/v1/config?note=undo', TEMPLATE);
    expect(back.statusCode).toBe(201);
    const versions = (await get('/v1/config/versions')).json().versions as {
      hash: string;
      active: boolean;
      createdBy: unknown;
      activations: unknown[];
    }[];
    expect(versions.map((v) => [v.hash, v.active])).toEqual([
      [sha(RENAMED), false],
      [sha(TEMPLATE), true],
    ]);
    expect(versions[1]).toMatchObject({
      createdBy: null,
      activations: [
        { at: '2026-11-23T15:00:00.000Z', by: null, note: null },
        { at: '2026-11-24T16:00:00.000Z', by: { key: admin.id, name: 'ops-admin' }, note: 'undo' },
      ],
    });
  });
});

describe('GET /v1/config/versions/{hash} and /v1/config/diff', () => {
  it('returns a version’s text by hash or a 7+ character prefix; 404 config.unknown_version otherwise', async () => {
    const { get } = await start();
    const hash = sha(TEMPLATE);
    const full = await get(`/v1/config/versions/${hash}`);
    expect(full.statusCode).toBe(200);
    expect(full.json()).toMatchObject({ hash, active: true, text: TEMPLATE });
    expect((await get(`/v1/config/versions/${hash.slice(0, 7)}`)).json().hash).toBe(hash);
    const missing = await get('/v1/config/versions/0000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toEqual({
      code: 'config.unknown_version',
      message: 'no stored config version has the hash hash `0000000`',
      hint: `the newest versions are ${hash.slice(0, 12)} (active); GET /v1/config/versions lists them all`,
      issues: [],
    });
  });

  it('diffs two versions as a unified diff; by default the active one against the one before', async () => {
    const { post, get } = await start();
    await post('/v1/config', RENAMED);
    const lines = TEMPLATE.split('\n');
    const at = lines.findIndex((l) => l.includes('name: Leo Brandt'));
    const expected = [
      `--- ${sha(TEMPLATE)}`,
      `+++ ${sha(RENAMED)}`,
      `@@ -${at - 2},7 +${at - 2},7 @@`,
      ...lines.slice(at - 3, at).map((l) => ` ${l}`),
      `-${lines[at] ?? ''}`,
      `+${(lines[at] ?? '').replace('Leo Brandt', 'Leo Brandt-Okoro')}`,
      ...lines.slice(at + 1, at + 4).map((l) => ` ${l}`),
      '',
    ].join('\n');
    const explicit = await get(`/v1/config/diff?from=${sha(TEMPLATE).slice(0, 10)}&to=${sha(RENAMED)}`);
    expect(explicit.statusCode).toBe(200);
    expect(explicit.json()).toEqual({
      from: sha(TEMPLATE),
      to: sha(RENAMED),
      added: 1,
      removed: 1,
      diff: expected,
    });
    expect((await get('/v1/config/diff')).json()).toEqual(explicit.json());
    const reverse = (await get(`/v1/config/diff?from=${sha(RENAMED)}&to=${sha(TEMPLATE)}`)).json();
    expect(reverse).toMatchObject({ added: 1, removed: 1 });
    const unknown = await get('/v1/config/diff?from=abcdef0');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('config.unknown_version');
  });
});

describe('the OpenAPI document', () => {
  it('lists the admin routes with their scopes, and the config bodies as YAML or JSON', async () => {
    const { s } = await start();
    type Operation = { 'x-revops-scope': string; requestBody?: { content: Record<string, unknown> } };
    const doc = (await s.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const scopes = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/v1/reps') || path.startsWith('/v1/config'))
      .flatMap(([path, ops]) =>
        Object.entries(ops).map(([method, op]) => `${method} ${path} ${op['x-revops-scope']}`),
      );
    expect(scopes.sort()).toEqual([
      'get /v1/config/diff read',
      'get /v1/config/versions read',
      'get /v1/config/versions/{hash} read',
      'get /v1/reps read',
      'get /v1/reps/{id} read',
      'patch /v1/reps/{id} admin',
      'post /v1/config admin',
      'post /v1/config/validate read',
    ]);
    expect(Object.keys(doc.paths['/v1/config']?.['post']?.requestBody?.content ?? {})).toEqual([
      'application/yaml',
      'application/x-yaml',
      'text/yaml',
      'text/x-yaml',
      'application/json',
    ]);
  });
});
