/**
 * `POST /v1/routing/preview`: the same decision `revops route explain --json` gives for the same
 * lead (mid-market: California goes to the west team, Priya; New York to the east team, Sofia), and
 * nothing written.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RevopsError } from '../../core/errors.ts';
import { previewRoute } from '../../engine/routePreview.ts';
import { readTemplate, templatePath } from '../../config/templates/index.ts';
import { apiServer, type ApiServer } from '../../../test/support/apiServer.ts';
import { runRevops } from '../../../test/support/cli.ts';
import { withRulesFirst } from '../../../test/support/routingRules.ts';

/** Monday 2026-11-23 12:00 in New York: everyone at work. */
const MON_NOON_NY = '2026-11-23T17:00:00Z';

let api: ApiServer;
let dir: string;
beforeAll(async () => {
  api = await apiServer();
  dir = mkdtempSync(join(tmpdir(), 'revops-preview-'));
  copyFileSync(templatePath('mid-market'), join(dir, 'revops.yaml'));
});
afterAll(async () => {
  expect(api.bugs).toEqual([]);
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const lead = (state: string) => ({
  contact: { email: 'kim@tundra.example', lastName: 'Kim', seniority: 'vp' },
  company: { name: 'Tundra', employees: 400, state, country: 'US' },
});

interface Preview {
  lead: Record<string, unknown>;
  at: string;
  decision: {
    kind: string;
    owner: string | null;
    team: string | null;
    rule: string;
    trace: {
      steps: { rule: string; outcome: string }[];
      candidates: { rep: string; status: string; reason?: string }[];
    };
  };
}

describe('POST /v1/routing/preview', () => {
  it.each([
    ['CA', 'priya', 'west'],
    ['NY', 'sofia', 'east'],
  ])('routes a %s lead as route explain does (%s, team %s), writing nothing', async (state, owner, team) => {
    const before = await api.store.counts();
    const res = await api.post('/v1/routing/preview', Object.assign({ at: MON_NOON_NY }, lead(state)));
    expect(res.statusCode).toBe(200);
    const preview = JSON.parse(res.body) as Preview;
    expect(preview.lead).toEqual({
      contact: 'kim@tundra.example',
      account: 'tundra.example',
      named: null,
      stage: 'mql',
      owner: null,
      accountOwner: null,
    });
    expect(preview.at).toBe('2026-11-23T17:00:00.000Z');
    expect(preview.decision).toMatchObject({ kind: 'assigned', owner, team, rule: 'territory' });
    expect(preview.decision.trace.steps.map((s) => [s.rule, s.outcome])).toEqual([
      ['fuzzy_name_match', 'no_match'],
      ['named-account', 'no_match'],
      ['enterprise', 'no_match'],
      ['plg-team-usage', 'no_match'],
      ['territory', 'placed'],
    ]);
    expect(preview.decision.trace.candidates.map((c) => [c.rep, c.status])).toEqual([[owner, 'chosen']]);
    expect(await api.store.counts()).toEqual(before);

    writeFileSync(join(dir, 'lead.json'), JSON.stringify(lead(state)));
    const cli = await runRevops(dir, [
      'route',
      'explain',
      '-c',
      'revops.yaml',
      '--lead',
      'lead.json',
      '--at',
      MON_NOON_NY,
      '--json',
    ]);
    const explained = JSON.parse(cli.stdout) as { decision: Preview['decision'] };
    expect(preview.decision.trace.steps).toEqual(explained.decision.trace.steps);
    expect([preview.decision.owner, preview.decision.rule]).toEqual([
      explained.decision.owner,
      explained.decision.rule,
    ]);
  });

  it('routes with the availability set over the API: a rep on PTO by PATCH /v1/reps is skipped', async () => {
    const patch = (body: unknown) =>
      api.app.inject({
        method: 'PATCH',
        url: '/v1/reps/priya',
        payload: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
    expect((await patch({ pto: [{ from: '2026-11-23', to: '2026-11-23' }] })).statusCode).toBe(200);
    try {
      const res = await api.post('/v1/routing/preview', Object.assign({ at: MON_NOON_NY }, lead('CA')));
      const preview = JSON.parse(res.body) as Preview;
      // Team west has only Priya: the territory places nobody, and the default round-robin does.
      expect(preview.decision.trace.candidates.filter((c) => c.rep === 'priya')).toContainEqual(
        expect.objectContaining({ rep: 'priya', status: 'skipped', reason: 'pto' }),
      );
      expect(preview.decision).toMatchObject({ kind: 'assigned', rule: 'round-robin' });
      expect(preview.decision.owner).not.toBe('priya');
    } finally {
      expect((await patch({ pto: null })).statusCode).toBe(200);
    }
    const back = JSON.parse(
      (await api.post('/v1/routing/preview', Object.assign({ at: MON_NOON_NY }, lead('CA')))).body,
    ) as Preview;
    expect(back.decision.owner).toBe('priya');
  });

  it('folds a long run of rules the lead cannot match into one step; everyRule gives each', async () => {
    const generated = Array.from({ length: 10 }, (_, i) => ({
      id: `gen-${i}`,
      name: `Generated ${i}`,
      when: `company.state == "TX" && company.employees >= ${5000 + i}`,
      to: 'team:general',
    }));
    const long = await apiServer({ text: withRulesFirst(readTemplate('mid-market'), generated) });
    try {
      const body = Object.assign({ at: MON_NOON_NY }, lead('TX'));
      const folded = JSON.parse((await long.post('/v1/routing/preview', body)).body) as Preview;
      expect(folded.decision.trace.steps.slice(0, 2)).toEqual([
        expect.objectContaining({ rule: 'fuzzy_name_match' }),
        {
          rule: 'ruled_out',
          name: '10 rules the lead cannot match',
          path: 'routing.rules[0..9]',
          matched: false,
          outcome: 'no_match',
          detail:
            "gen-0 … gen-9, not evaluated: 10 a numeric bound the lead's value fails (company.employees 400)",
        },
      ]);
      const res = await long.post('/v1/routing/preview', Object.assign({ everyRule: true }, body));
      expect(res.statusCode).toBe(200);
      const every = JSON.parse(res.body) as Preview;
      expect(every.decision.trace.steps.slice(1, 11).map((s) => [s.rule, s.outcome])).toEqual(
        Array.from({ length: 10 }, (_, i) => [`gen-${i}`, 'no_match']),
      );
      expect(every.decision.trace.steps).toHaveLength(folded.decision.trace.steps.length + 9);
      expect([every.decision.owner, every.decision.rule]).toEqual([
        folded.decision.owner,
        folded.decision.rule,
      ]);
    } finally {
      expect(long.bugs).toEqual([]);
      await long.close();
    }
  });

  it('keeps an owner the lead already has (keep_owner)', async () => {
    const res = await api.post(
      '/v1/routing/preview',
      Object.assign({ at: MON_NOON_NY, owner: 'leo' }, lead('CA')),
    );
    expect(res.statusCode).toBe(200);
    const preview = JSON.parse(res.body) as Preview;
    expect(preview.lead).toMatchObject({ owner: 'leo' });
    expect(preview.decision).toMatchObject({ kind: 'kept', owner: 'leo', rule: 'keep_owner', team: null });
    expect(preview.decision.trace.steps.map((s) => [s.rule, s.outcome])).toEqual([['keep_owner', 'placed']]);
  });

  it('refuses unknown fields 400 and unusable attributes 422 routing.invalid_request', async () => {
    const unknown = await api.post('/v1/routing/preview', Object.assign({ region: 'west' }, lead('CA')));
    expect(unknown.statusCode).toBe(400);
    expect(JSON.parse(unknown.body)).toMatchObject({ error: { code: 'http.invalid_body' } });

    const noSubject = await api.post('/v1/routing/preview', { contact: { lastName: 'Kim' } });
    expect(noSubject.statusCode).toBe(422);
    const { error } = JSON.parse(noSubject.body) as { error: { code: string; issues: { code: string }[] } };
    expect(error.code).toBe('routing.invalid_request');
    expect(error.issues.map((i) => i.code)).toEqual(['event.no_subject']);

    const freeMailOwner = await api.post('/v1/routing/preview', {
      contact: { email: 'kim@gmail.com' },
      account: { owner: 'leo' },
    });
    expect(freeMailOwner.statusCode).toBe(422);
    expect(JSON.parse(freeMailOwner.body)).toMatchObject({
      error: { code: 'routing.invalid_request', message: 'an account owner needs an account' },
    });
  });

  it('refuses a preview when the config routes nobody (routing.not_configured)', () => {
    const { runtime } = api.ctx.workspace.current();
    const model = Object.assign({}, runtime.engine.model, { routing: undefined });
    const attempt = () => previewRoute(model, runtime.setup.catalog, lead('CA'), Date.parse(MON_NOON_NY));
    expect(attempt).toThrow(RevopsError);
    expect(attempt).toThrow('the active config routes nobody (no routing section)');
  });
});
