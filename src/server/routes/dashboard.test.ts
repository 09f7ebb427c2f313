/**
 * The dashboard through `app.inject` on a temp SQLite store running the mid-market template, with
 * authentication on: sign-in by form and by `/?key=`, redirects without a session (never a JSON
 * 401), the lead page of a lead ingested here (stage history, both routing decisions with their
 * rules, the SLA timeline), the SLA board's order, the routing log's filters, escaping of hostile
 * names, and 400/404 pages for bad input; then the metric views over the hand-built October history
 * (their own server, at the end). The examples are ingested, then the timers due by Monday
 * 2026-11-02 16:00Z fire: Ava's 5-minute speed-to-lead clock breaches and reassigns her from Priya
 * to Leo. The request clock stays at Monday 2026-11-09 13:00Z (08:00 in New York).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, EXAMPLE_EVENTS, type ApiServer } from '../../../test/support/apiServer.ts';
import { openMigratedStore } from '../../compose.ts';
import { METRICS_NOW, seedMetricsHistory } from '../../engine/__fixtures__/metricsHistory.ts';
import { createApiKey, revokeApiKey } from '../apiKeys.ts';

let api: ApiServer;
let reader: string;
let ingestOnly: string;
let session: string;

const HOSTILE_NAME = '<script>alert("owned")</script>';
const HOSTILE_COMPANY = '<img src=x onerror=alert(1)>';

beforeAll(async () => {
  api = await apiServer({ auth: true });
  const at = api.clock.now();
  const writer = (await createApiKey(api.store, { name: 'writer', scopes: ['ingest', 'read'], at })).key;
  reader = (await createApiKey(api.store, { name: 'reader', scopes: ['read'], at })).key;
  ingestOnly = (await createApiKey(api.store, { name: 'forwarder', scopes: ['ingest'], at })).key;
  const events = [
    ...EXAMPLE_EVENTS,
    {
      id: 'n1',
      type: 'identify',
      at: '2026-11-09T12:40:00Z',
      contact: {
        email: 'nia.okafor@initech.example',
        firstName: 'Nia',
        lastName: 'Okafor',
        title: 'VP Sales',
      },
      company: { name: 'Initech', domain: 'initech.example', employees: 300, industry: 'Software' },
    },
    {
      id: 'n2',
      type: 'form_submit',
      at: '2026-11-09T12:50:00Z',
      contact: { email: 'nia.okafor@initech.example' },
      properties: { form: 'demo_request' },
    },
    {
      id: 'x1',
      type: 'identify',
      at: '2026-11-05T10:00:00Z',
      contact: {
        email: 'mallory@evil.example',
        firstName: HOSTILE_NAME,
        title: 'VP Marketing',
        seniority: 'vp',
      },
      company: { name: HOSTILE_COMPANY, domain: 'evil.example', employees: 400, industry: 'Software' },
    },
    {
      id: 'x2',
      type: 'form_submit',
      at: '2026-11-05T10:05:00Z',
      contact: { email: 'mallory@evil.example' },
      properties: { form: 'demo_request' },
    },
  ];
  const res = await api.post('/v1/events', events, { authorization: `Bearer ${writer}` });
  if (res.statusCode !== 200) throw new Error(res.body);
  await api.ctx.workspace.current().runtime.engine.fireDueTimers(Date.parse('2026-11-02T16:00:00Z'));
  session = `revops_session=${reader}`;
});

afterAll(async () => {
  expect(api.bugs).toEqual([]);
  await api.close();
});

const page = (url: string, cookie = session) => api.app.inject({ method: 'GET', url, headers: { cookie } });
const form = (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  api.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(fields).toString(),
    headers: Object.assign({ 'content-type': 'application/x-www-form-urlencoded' }, headers),
  });

/** Text of some HTML: tags dropped, the five entities decoded, white space collapsed. */
function text(fragment: string): string {
  return fragment
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The body rows of the table whose caption starts with `caption`, as cell texts. */
function rows(body: string, caption: string): string[][] {
  const at = body.indexOf(`<caption>${caption}`);
  if (at < 0) throw new Error(`no table captioned ${caption}`);
  const tbody = body.slice(body.indexOf('<tbody>', at), body.indexOf('</table>', at));
  return [...tbody.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1] ?? '')),
  );
}

const cookieOf = (res: { headers: Record<string, string | string[] | number | undefined> }) => {
  const value = res.headers['set-cookie'];
  return Array.isArray(value) ? value.join('\n') : String(value ?? '');
};

describe('signing in', () => {
  it('redirects every page to the sign-in page without a session, coming back after', async () => {
    for (const url of [
      '/',
      '/views/sales',
      '/sla?owner=leo',
      '/routing',
      '/leads',
      '/leads/ava.chen@northwind.io',
    ]) {
      const res = await page(url, '');
      expect([url, res.statusCode, res.headers['location']]).toEqual([
        url,
        303,
        `/login?next=${encodeURIComponent(url)}`,
      ]);
    }
    const login = await page('/login?next=%2Fsla', '');
    expect(login.statusCode).toBe(200);
    expect(login.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(login.body).toContain('<label for="key">API key</label>');
    expect(login.body).toContain('<input type="hidden" name="next" value="/sla">');
  });

  it('signs in with the form: an HttpOnly, SameSite=Strict cookie, then the page asked for', async () => {
    const res = await form('/login', { key: reader, next: '/sla?owner=leo' });
    expect(res.statusCode).toBe(303);
    expect(res.headers['location']).toBe('/sla?owner=leo');
    expect(cookieOf(res)).toBe(`revops_session=${reader}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200`);
    const sla = await page('/sla?owner=leo', cookieOf(res).split(';')[0]);
    expect(sla.statusCode).toBe(200);
    expect(sla.body).toContain('Signed in as <strong>reader</strong>');
  });

  it('refuses a wrong key 401, a key without read 403 and no key 400, as the sign-in page', async () => {
    const wrong = await form('/login', { key: 'rk_000000000000_' + '0'.repeat(48), next: '/' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(text(wrong.body)).toContain('That key is not valid: check it was copied whole');
    const ingest = await form('/login', { key: ingestOnly, next: '/' });
    expect(ingest.statusCode).toBe(403);
    expect(text(ingest.body)).toContain(
      '(forwarder) has the ingest scope; the dashboard needs read (or admin).',
    );
    expect(cookieOf(ingest)).toBe('');
    expect((await form('/login', { key: ' ', next: '/' })).statusCode).toBe(400);
  });

  it('goes back only to a page of this site, and refuses a sign-in posted from another site', async () => {
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example', '/logout'])
      expect((await form('/login', { key: reader, next })).headers['location']).toBe('/');
    const forged = await form('/login', { key: reader, next: '/' }, { origin: 'https://evil.example' });
    expect(forged.statusCode).toBe(403);
    expect(cookieOf(forged)).toBe('');
  });

  it('signs in from one printed URL: /?key= sets the cookie and drops the key from the address', async () => {
    const res = await page(`/?key=${encodeURIComponent(reader)}`, '');
    expect([res.statusCode, res.headers['location']]).toEqual([303, '/']);
    expect(cookieOf(res)).toContain(`revops_session=${reader};`);
    const bad = await page('/?key=nope', '');
    expect(bad.statusCode).toBe(401);
    expect(bad.body).toContain('role="alert"');
  });

  it('ends a session whose key was revoked, and signs out', async () => {
    const doomed = await createApiKey(api.store, { name: 'doomed', scopes: ['read'], at: api.clock.now() });
    await revokeApiKey(api.store, doomed.record.id, api.clock.now());
    const res = await page('/sla', `revops_session=${doomed.key}`);
    expect([res.statusCode, res.headers['location']]).toEqual([303, '/login?next=%2Fsla&ended=1']);
    expect(cookieOf(res)).toContain('revops_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    const out = await api.app.inject({ method: 'POST', url: '/logout', headers: { cookie: session } });
    expect([out.statusCode, out.headers['location']]).toEqual([303, '/login?out=1']);
    expect(cookieOf(out)).toContain('Max-Age=0');
  });

  it('leaves the API as it was: the cookie is not an API key', async () => {
    const res = await api.get('/v1/contacts', { cookie: session });
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('auth.missing_key');
    expect((await api.get('/v1/contacts', { authorization: `Bearer ${reader}` })).statusCode).toBe(200);
  });
});

describe('the lead page', () => {
  it('shows the stage history, both routing decisions with their rules, and the SLA timeline', async () => {
    const res = await page('/leads/ava.chen@northwind.io');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Ava Chen</h1>');
    expect(rows(res.body, 'Stage history')).toEqual([
      ['Mon 2 Nov 2026, 09:05 EST', '(new)', 'subscriber', 'ev-0001', 'first seen: lifecycle.initialStage'],
      expect.arrayContaining(['Mon 2 Nov 2026, 09:05 EST', 'subscriber', 'lead', 'ev-0001']),
      expect.arrayContaining(['Mon 2 Nov 2026, 09:12 EST', 'lead', 'mql', 'ev-0004']),
    ]);
    expect(rows(res.body, 'Routing decisions')).toEqual([
      ['Mon 2 Nov 2026, 09:12 EST', 'assigned', 'territory', 'priya', 'west'],
      ['Mon 2 Nov 2026, 11:00 EST', 'assigned', 'round-robin', 'leo', 'general'],
    ]);
    // The first decision's trace: the rule that placed her, and Priya chosen.
    const first = rows(res.body, 'Decision 1: rules tried');
    expect(first.find((r) => r[3] === 'placed')?.slice(0, 3)).toEqual([
      'Territory territory',
      'routing.rules[3]',
      'yes',
    ]);
    expect(rows(res.body, 'Decision 1: reps considered').map((r) => [r[0], r[2]])).toContainEqual([
      'priya',
      'chosen',
    ]);
    const sla = rows(res.body, 'SLA clocks');
    expect(sla.map((r) => [r[0], r[1]?.split(' ')[0], r[2]])).toEqual([
      ['Speed to lead (5m)', 'Breached', 'priya'],
      ['MQL first contact attempt (4 business hours)', 'Cancelled', 'priya'],
      ['MQL qualification decision (48h)', 'Cancelled', 'priya'],
      ['Speed to lead (5m)', 'Open', 'leo'],
      ['MQL first contact attempt (4 business hours)', 'Open', 'leo'],
      ['MQL qualification decision (48h)', 'Open', 'leo'],
    ]);
    expect(sla[0]?.[1]).toBe('Breached (stopped)');
    // Every rung of the ladder fired when the timers ran at 16:00Z (08:00 in Los Angeles, Priya's zone).
    expect(sla[0]?.[7]).toBe(
      [
        'notify_rep → rep:priya',
        'notify_backup → rep:leo',
        'notify_manager → rep:dan',
        'reassign → rep:priya',
      ]
        .map((step) => `${step}, Mon 2 Nov 2026, 08:00 PST`)
        .join(' '),
    );
    expect(res.body).toContain('<caption>Score ledger as of Mon 9 Nov 2026, 08:00 EST: every rule');
    expect(rows(res.body, 'Score ledger').slice(0, 2)).toEqual([
      [
        'Company size: 50-1,000 employees company-size',
        'fit',
        '15',
        '0',
        'company.employees = 400 in 50..1000',
      ],
      [
        'Industry: Target industry industry',
        'fit',
        '10',
        '0',
        'company.industry = "Software" is one of Software, Financial Services',
      ],
    ]);
  });

  it('answers an unknown lead with a 404 page, not the API’s JSON', async () => {
    const res = await page('/leads/nobody@nowhere.example');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(text(res.body)).toContain('No lead `nobody@nowhere.example`.');
  });

  it('finds leads by part of a name or company, and goes straight to a lead by email', async () => {
    const byName = await page('/leads?q=okafor');
    expect(rows(byName.body, 'Leads matching').map((r) => [r[0], r[1], r[3], r[4]])).toEqual([
      ['Nia Okafor', 'Initech', 'mql', 'sofia'],
    ]);
    const byEmail = await page('/leads?q=Ava.Chen%40Northwind.io');
    expect([byEmail.statusCode, byEmail.headers['location']]).toEqual([
      303,
      '/leads/email%3Aava.chen%40northwind.io',
    ]);
    const unassigned = await page('/leads?owner=none&stage=lead');
    expect(rows(unassigned.body, 'Leads, by key').map((r) => r[0])).toEqual(['Ben Ortiz', 'Dan Kim']);
  });
});

describe('the SLA board and the routing log', () => {
  it('lists running clocks overdue first, then soonest due, with the time left in business terms', async () => {
    const res = await page('/sla');
    expect(res.statusCode).toBe(200);
    const running = rows(res.body, 'Running SLA clocks');
    expect(running.map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['Ava Chen', 'Speed to lead (5m)', 'leo', 'Overdue'],
      ['Ava Chen', 'MQL first contact attempt (4 business hours)', 'leo', 'Overdue'],
      ['Ava Chen', 'MQL qualification decision (48h)', 'leo', 'Overdue'],
      [HOSTILE_NAME, 'Speed to lead (5m)', 'priya', 'Overdue'],
      [HOSTILE_NAME, 'MQL first contact attempt (4 business hours)', 'priya', 'Overdue'],
      [HOSTILE_NAME, 'MQL qualification decision (48h)', 'priya', 'Overdue'],
      ['Nia Okafor', 'Speed to lead (5m)', 'sofia', 'Overdue'],
      ['Nia Okafor', 'ABM tier 2 response (Top 100 target accounts) (4h)', 'sofia', 'Open'],
      ['Nia Okafor', 'MQL first contact attempt (4 business hours)', 'sofia', 'Open'],
      ['Nia Okafor', 'MQL qualification decision (48h)', 'sofia', 'Open'],
    ]);
    // 08:00 in New York: 4 business hours until 13:00, 5 hours on the clock; the ABM clock is wall time.
    expect(running[8]?.[6]).toBe('4 h of business time left (5 h on the clock)');
    expect(running[7]?.[6]).toBe('due in 3 h 50 min');
    expect(running[6]?.[6]).toBe('overdue by 5 min');
    expect(rows(res.body, 'Recent breaches').map((r) => [r[0], r[1], r[2], r[4], r[5]])).toEqual([
      ['Ava Chen', 'Speed to lead', 'priya', '1 h 43 min', 'Breached (stopped)'],
    ]);
  });

  it('filters the board by owner and the breaches by date', async () => {
    const sofia = rows((await page('/sla?owner=sofia')).body, 'Running SLA clocks');
    expect(sofia.map((r) => r[0])).toEqual(['Nia Okafor', 'Nia Okafor', 'Nia Okafor', 'Nia Okafor']);
    const later = await page('/sla?from=2026-11-03&to=2026-11-09');
    expect(rows(later.body, 'Recent breaches')).toEqual([['No breach in this range.']]);
  });

  it('lists routing decisions latest first, by rep and by rule, each linked to its lead', async () => {
    const res = await page('/routing');
    expect(rows(res.body, 'Routing decisions').map((r) => [r[1], r[3], r[4], r[5]])).toEqual([
      ['Nia Okafor', 'Named account named-account', 'rep sofia', '—'],
      [HOSTILE_NAME, 'Default round-robin round-robin', 'rep priya', 'general'],
      ['Ava Chen', 'Default round-robin round-robin', 'rep leo', 'general'],
      ['Ava Chen', 'Territory territory', 'rep priya', 'west'],
    ]);
    expect(res.body).toContain('<a href="/leads/email%3Aava.chen%40northwind.io">Ava Chen</a>');
    const priya = rows((await page('/routing?rep=priya')).body, 'Routing decisions');
    expect(priya.map((r) => r[1])).toEqual([HOSTILE_NAME, 'Ava Chen']);
    const named = rows((await page('/routing?rule=named-account&from=2026-11-09')).body, 'Routing decisions');
    expect(named.map((r) => r[1])).toEqual(['Nia Okafor']);
  });
});

describe('escaping and bad input', () => {
  it('shows a hostile name and company as text on every page', async () => {
    for (const url of ['/leads/mallory@evil.example', '/routing', '/sla', '/leads?q=evil']) {
      const res = await page(url);
      expect([url, res.statusCode]).toEqual([url, 200]);
      expect(res.body).not.toContain('<script>alert');
      expect(res.body).not.toContain('<img src=x');
      expect(res.body).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
    }
    const lead = await page('/leads/mallory@evil.example');
    expect(lead.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    const missing = await page('/leads/%3Cscript%3Ex%3C%2Fscript%3E');
    expect(missing.statusCode).toBe(404);
    expect(missing.body).not.toContain('<script>x');
    expect(missing.body).toContain('&lt;script&gt;x&lt;/script&gt;');
  });

  it('answers bad filters with a 400 page that says what to fix', async () => {
    const bad = await page('/routing?from=2026-13-45&to=yesterday&limit=0');
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toBe('text/html; charset=utf-8');
    const issues = bad.body.slice(bad.body.indexOf('<ul class="issues">'));
    expect([...issues.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => text(m[1] ?? ''))).toEqual([
      'from : `from` is `2026-13-45`, which is not a date — give the date as YYYY-MM-DD, e.g. 2026-11-01.',
      'to : `to` is `yesterday`, which is not a date — give the date as YYYY-MM-DD, e.g. 2026-11-01.',
      'limit : `limit` is `0`, not a whole number from 1 to 1000 — give a number from 1 to 1000, e.g. 100.',
    ]);
    const cases: [string, number][] = [
      ['/sla?from=2026-11-09&to=2026-11-01', 400],
      ['/sla?owner=a&owner=b', 400],
      ['/views/marketing?to=11/09/2026', 400],
      ['/leads?stage=nonsense', 400],
      ['/leads?q=' + 'x'.repeat(400), 400],
      ['/views/finance', 404],
      ['/leads/%00', 404],
      ['/assets/nothing.js', 404],
    ];
    for (const [url, status] of cases) expect([url, (await page(url)).statusCode]).toEqual([url, status]);
  });
});

describe('pages and assets', () => {
  it('draws the overview from the store: each chart with a table of the same numbers', async () => {
    const res = await page('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<script src="/assets/chart.js" defer></script>');
    const stats = await api.store.stats(api.clock.now());
    const stages = rows(res.body, 'Contacts by lifecycle stage — data');
    expect(Object.fromEntries(stages.filter((r) => r[1] !== '0').map((r) => [r[0], Number(r[1])]))).toEqual({
      Subscriber: stats.contactsByStage['subscriber'],
      Lead: stats.contactsByStage['lead'],
      'Marketing qualified lead': stats.contactsByStage['mql'],
    });
    const canvas = /<canvas id="chart-stages" data-chart="([^"]+)"/.exec(res.body)?.[1] ?? '';
    const spec = JSON.parse(canvas.replace(/&quot;/g, '"')) as {
      type: string;
      labels: string[];
      datasets: { data: number[] }[];
    };
    expect(spec.type).toBe('bar');
    expect(spec.labels.slice(0, 3)).toEqual(['Subscriber', 'Lead', 'Marketing qualified lead']);
    expect(spec.datasets[0]?.data.slice(0, 3)).toEqual(stages.slice(0, 3).map((r) => Number(r[1])));
  });

  it('shows the metric views with their filters and their figures', async () => {
    const res = await page('/views/sales?from=2026-11-01&to=2026-11-09');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a href="/views/sales" aria-current="page">Sales</a>');
    expect(res.body).toContain('<input id="f-from" name="from" type="date" value="2026-11-01">');
    expect(text(res.body)).not.toContain('Metrics are being wired');
    // Ava's speed-to-lead clock breached; the other two clocks of Priya's were cancelled at the reassignment.
    expect(rows(res.body, 'SLA clocks met and breached by rep — data')).toContainEqual(['priya', '0', '1']);
    const web = await page('/views/sales?from=2026-11-01&to=2026-11-09&source=web');
    expect(web.body).toContain('<input id="f-source" name="source" type="text" value="web"');
  });

  it('serves the stylesheet, the drawing script and Chart.js', async () => {
    const css = await page('/assets/dashboard.css', '');
    expect([css.statusCode, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    const chart = await page('/assets/chart.js', '');
    expect([chart.statusCode, chart.headers['content-type']]).toEqual([
      200,
      'text/javascript; charset=utf-8',
    ]);
    expect(chart.body).toContain('Chart.js v4');
    expect((await page('/assets/dashboard.js', '')).body).toContain('canvas[data-chart]');
  });

  it('keeps the pages out of the API document', async () => {
    const doc = JSON.parse((await api.get('/docs/json')).body) as { paths: Record<string, unknown> };
    const paths = Object.keys(doc.paths);
    expect(paths).toContain('/v1/sla');
    expect(paths.filter((p) => !p.startsWith('/v1/'))).toEqual(['/healthz', '/readyz', '/metrics']);
  });

  it('opens without a session when the server runs without authentication', async () => {
    const open = await apiServer({ auth: false });
    const res = await open.get('/sla');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('Sign out');
    expect(open.bugs).toEqual([]);
    await open.close();
  });
});

/**
 * The marketing, sales and executive views over the hand-built October history
 * (src/engine/__fixtures__/metricsHistory.ts), the clock at Monday 2026-11-02 12:00Z.
 */
describe('the metric views', () => {
  let metrics: ApiServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'revops-dashboard-metrics-'));
    const store = await openMigratedStore(join(dir, 'revops.db'));
    await seedMetricsHistory(store);
    metrics = await apiServer({ store, at: METRICS_NOW });
  });
  afterAll(async () => {
    expect(metrics.bugs).toEqual([]);
    await metrics.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string) => metrics.app.inject({ method: 'GET', url });
  /** The value of the KPI card labelled `label`. */
  const kpi = (body: string, label: string) =>
    new RegExp(`<dt>${label}</dt>\\n<dd class="kpi-value">([^<]*)</dd>`).exec(body)?.[1];
  const OCTOBER = 'from=2026-10-01&to=2026-10-31';

  it('answers each view with its figures for October', async () => {
    const marketing = await get(`/views/marketing?${OCTOBER}`);
    expect(marketing.statusCode).toBe(200);
    expect([kpi(marketing.body, 'Leads'), kpi(marketing.body, 'Lead → MQL')]).toEqual(['6', '66.7%']);
    expect(marketing.body).toContain(`<div class="kpi kpi-bad">
<dt>Lead → MQL</dt>
<dd class="kpi-value">66.7%</dd>
<dd class="kpi-note">4 of 6 leads</dd><dd class="kpi-benchmark">Benchmark 5–15%</dd><dd class="kpi-status"><span class="badge badge-bad">off target</span></dd>
</div>`);
    expect(marketing.body).toContain('<canvas id="chart-funnel" data-chart="');
    expect(rows(marketing.body, 'Funnel: the cohort at each stage — data')).toEqual([
      ['Lead', '6'],
      ['MQL', '4'],
      ['SQL', '3'],
      ['Opportunity', '2'],
      ['Customer', '1'],
    ]);
    const sales = await get(`/views/sales?${OCTOBER}`);
    expect(sales.statusCode).toBe(200);
    expect([
      kpi(sales.body, 'Open pipeline'),
      kpi(sales.body, 'Win rate'),
      kpi(sales.body, 'SLA compliance'),
    ]).toEqual(['$24,000', '100%', '94.4%']);
    const executive = await get(`/views/executive?${OCTOBER}`);
    expect(executive.statusCode).toBe(200);
    expect([kpi(executive.body, 'Pipeline coverage'), kpi(executive.body, 'LTV:CAC')]).toEqual([
      '0.04×',
      '—',
    ]);
    expect(text(executive.body)).toContain('LTV:CAC — set metrics.economics.monthlyChurn');
  });

  it('changes the numbers with ?source=', async () => {
    const organic = await get(`/views/marketing?${OCTOBER}&source=organic`);
    expect([kpi(organic.body, 'Leads'), kpi(organic.body, 'Lead → MQL')]).toEqual(['3', '100%']);
    const paid = await get(`/views/marketing?${OCTOBER}&source=PAID_SEARCH`);
    expect([kpi(paid.body, 'Leads'), kpi(paid.body, 'Lead → MQL')]).toEqual(['3', '33.3%']);
    // The deals carry no source: filtered by one, the pipeline is empty.
    const sales = await get(`/views/sales?${OCTOBER}&source=organic`);
    expect(kpi(sales.body, 'Open pipeline')).toBe('$0');
  });

  it('answers a bad or empty range with the 400 page, never a 500', async () => {
    const future = await get('/views/marketing?from=2026-12-01');
    expect(future.statusCode).toBe(400);
    expect(future.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(text(future.body)).toContain(
      'from : the range starts (2026-12-01) after it ends (today (Mon 2 Nov 2026)) — give a `from` on or before `to` (or on or before today when `to` is left out).',
    );
    for (const url of [
      '/views/sales?from=2026-13-45',
      '/views/executive?from=2026-10-31&to=2026-10-01',
      '/views/marketing?source=a&source=b',
    ])
      expect([url, (await get(url)).statusCode]).toEqual([url, 400]);
  });

  it('links the overview to each view with its headline figures', async () => {
    const res = await get('/');
    expect(res.statusCode).toBe(200);
    for (const name of ['marketing', 'sales', 'executive'])
      expect(res.body).toContain(`<a href="/views/${name}">Open the ${name} view</a>`);
    expect(kpi(res.body, 'Open pipeline')).toBe('$24,000');
  });
});
