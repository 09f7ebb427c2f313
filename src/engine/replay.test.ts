// Replay through the real engine and store: the examples, timers firing in simulated time, and
// determinism (same input, byte-identical report) as a property over random histories.
import { readFileSync } from 'node:fs';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { openMigratedStore, runtime } from '../compose.ts';
import { safeLoadConfigText } from '../config/loader.ts';
import { readTemplate } from '../config/templates/index.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import { SimulatedClock } from './clock.ts';
import { replay, type ReplayLine } from './replay.ts';

function config(edit: (text: string) => string = (t) => t): RevopsConfig {
  const result = safeLoadConfigText(edit(readTemplate('mid-market')), 'mid-market.yaml');
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'));
  return result.config;
}
const MID_MARKET = config();
const WITH_LEAD_TASK = config((text) =>
  text.replace(
    '        - { do: sequence, op: enroll, sequence: lead-nurture }',
    "        - { do: sequence, op: enroll, sequence: lead-nurture }\n        - { do: create_task, title: 'Call {contact.name}', due: 4 business hours, assignee: rep:priya }",
  ),
);

function linesOf(text: string): ReplayLine[] {
  return text
    .split('\n')
    .map((t, i) => ({ text: t.trim(), line: i + 1 }))
    .filter((l) => l.text !== '')
    .map(({ text: t, line }) => {
      try {
        return { line, raw: JSON.parse(t) as unknown };
      } catch {
        return { line, error: { code: 'event.invalid_json' as const, path: '', message: 'not valid JSON' } };
      }
    });
}

async function run(cfg: RevopsConfig, lines: ReplayLine[], at?: string) {
  const store = await openMigratedStore(':memory:');
  try {
    const clock = new SimulatedClock(0);
    const { engine, setup } = runtime(store, cfg, clock);
    return await replay(lines, {
      engine,
      clock,
      catalog: setup.catalog,
      ...(at === undefined ? {} : { at: Date.parse(at) }),
    });
  } finally {
    await store.close();
  }
}

const EXAMPLES = linesOf(readFileSync(new URL('../../examples/events.ndjson', import.meta.url), 'utf8'));
const BAD = linesOf(readFileSync(new URL('../../examples/bad-events.ndjson', import.meta.url), 'utf8'));

describe('replay', () => {
  it('replays the shipped examples in time order', async () => {
    const report = await run(MID_MARKET, EXAMPLES);
    expect(report.at).toBe('2026-11-09T13:00:00.000Z');
    expect(report.events).toEqual({ accepted: 16, duplicates: 1, rejected: 0 });
    expect(report.contacts.map((c) => [c.email, c.id ?? null, c.stage, c.account])).toEqual([
      ['ava.chen@northwind.io', null, 'mql', 'northwind.io'],
      ['ben.ortiz@northwind.io', null, 'lead', 'northwind.io'],
      ['carla.m@gmail.com', null, 'subscriber', null],
      ['dan.kim@acme-logistics.com', null, 'lead', 'acme-logistics.com'],
      [null, 'crm-1001', 'subscriber', 'globex.example'],
    ]);
    // In time order, the late "Head of Marketing" import (2026-11-01) comes first and creates Ava.
    expect(report.contacts[0]?.history).toEqual([
      { stage: 'subscriber', at: '2026-11-01T09:00:00.000Z' },
      { stage: 'lead', at: '2026-11-02T14:05:00.000Z' },
      { stage: 'mql', at: '2026-11-02T14:12:00.000Z' },
    ]);
    // Scores as of the report's instant (mid-market): see engine.test.ts for Ava's arithmetic.
    expect(report.contacts.map((c) => [c.email ?? c.id, c.score])).toEqual([
      ['ava.chen@northwind.io', { fit: 60, engagement: 40, negative: 0, total: 75, mql: true }],
      // Manager (+15) at Northwind: size, geography and tool from the account (+35); one blog visit of 5 needed.
      ['ben.ortiz@northwind.io', { fit: 60, engagement: 0, negative: 0, total: 50, mql: false }],
      // Free mail −10, nothing else: the total stops at 0.
      ['carla.m@gmail.com', { fit: 0, engagement: 0, negative: -10, total: 0, mql: false }],
      // Director +15 (1,200 employees is outside 50–1000; Logistics not a target); executive webinar +10.
      // 0.5 × 25 + 0.5 × 12.5 = 18.75 → 19.
      ['dan.kim@acme-logistics.com', { fit: 15, engagement: 10, negative: 0, total: 19, mql: false }],
      ['crm-1001', { fit: 0, engagement: 0, negative: 0, total: 0, mql: false }],
    ]);
    // Entering mql routes Ava before the stage's actions run: Northwind (California) is in the
    // west territory, whose team is Priya alone. The alert and the task due 4 business hours later
    // (Monday 09:12 New York + 4 h = 13:12) go to her; the task's timer reminds her when overdue.
    expect(report.tasks).toEqual([
      {
        email: 'ava.chen@northwind.io',
        owner: 'rep:priya',
        title: 'Follow up with Ava Chen',
        dueAt: '2026-11-02T18:12:00.000Z',
        status: 'open',
      },
    ]);
    expect(report.assignments.map((a) => [a.email, a.kind, a.owner, a.team, a.rule, a.at])).toEqual([
      ['ava.chen@northwind.io', 'assigned', 'priya', 'west', 'territory', '2026-11-02T14:12:00.000Z'],
    ]);
    expect(report.contacts.map((c) => c.owner)).toEqual(['priya', null, null, null, null]);
    // Ben, new at an account Priya now owns, is announced to her (multi-contact handling).
    expect(report.notifications.map((n) => [n.type, n.to, n.at, n.email])).toEqual([
      ['assigned', 'rep:priya', '2026-11-02T14:12:00.000Z', 'ava.chen@northwind.io'],
      ['notify', 'rep:priya', '2026-11-02T14:12:00.000Z', 'ava.chen@northwind.io'],
      ['task_overdue', 'rep:priya', '2026-11-02T18:12:00.000Z', 'ava.chen@northwind.io'],
      ['account_contact', 'rep:priya', '2026-11-03T09:30:00.000Z', 'ben.ortiz@northwind.io'],
    ]);
    // One upward MQL crossing, with the rule that made it.
    expect(report.mql).toEqual([
      {
        email: 'ava.chen@northwind.io',
        at: '2026-11-02T14:12:00.000Z',
        total: 75,
        reason: 'total 75 ≥ threshold 65, fit 100% ≥ 30%, engagement 50% ≥ 30%',
      },
    ]);
    // Accounts roll their contacts' totals up (sum): Northwind = Ava 75 + Ben 50.
    expect(report.accounts).toEqual([
      {
        domain: 'acme-logistics.com',
        owner: null,
        contacts: 1,
        score: 19,
        engagedContacts: 1,
        buyingCommittee: false,
      },
      {
        domain: 'globex.example',
        owner: null,
        contacts: 1,
        score: 0,
        engagedContacts: 0,
        buyingCommittee: false,
      },
      {
        domain: 'northwind.io',
        owner: 'priya',
        contacts: 2,
        score: 125,
        engagedContacts: 1,
        buyingCommittee: false,
      },
    ]);
  });

  it('qualifies a lead again when it decays below the MQL rule and comes back, with no sweep run', async () => {
    // Mid-market, full fit (60 = 100%): pricing 15 (−5 per week) + case study 10 (−5 per 2 weeks)
    // = 25 of 80 → 0.5 × 100 + 0.5 × 31.25 = 66 ≥ 65. A week later pricing is at 10: 63, not an MQL.
    // Ten days on, a new pricing view brings it back to 15: 66 again, a second crossing.
    const rita = (id: string, type: string, at: string, properties: Record<string, string>) =>
      JSON.stringify({ id, type, at, contact: { email: 'rita@initech.com' }, properties });
    const lines = linesOf(
      [
        JSON.stringify({
          id: 'r1',
          type: 'identify',
          at: '2026-11-02T14:00:00Z',
          contact: { email: 'rita@initech.com', firstName: 'Rita', lastName: 'Moss', seniority: 'vp' },
          company: {
            name: 'Initech',
            domain: 'initech.com',
            employees: 400,
            industry: 'Software',
            country: 'US',
            techStack: ['salesforce'],
          },
        }),
        rita('r2', 'page_view', '2026-11-02T14:05:00Z', { category: 'pricing' }),
        rita('r3', 'content_download', '2026-11-02T14:10:00Z', { kind: 'case_study' }),
        rita('r4', 'page_view', '2026-11-12T14:00:00Z', { category: 'pricing' }),
      ].join('\n'),
    );
    const between = await run(MID_MARKET, lines.slice(0, 3), '2026-11-11T00:00:00Z');
    expect(between.contacts[0]?.score).toEqual({
      fit: 60,
      engagement: 20,
      negative: 0,
      total: 63,
      mql: false,
    });
    const report = await run(MID_MARKET, lines);
    expect(report.mql.map((m) => [m.at, m.total])).toEqual([
      ['2026-11-02T14:10:00.000Z', 66],
      ['2026-11-12T14:00:00.000Z', 66],
    ]);
  });

  describe('accounts', () => {
    const view = (id: string, person: string, at: string, category = 'pricing') =>
      JSON.stringify({
        id,
        type: 'page_view',
        at,
        contact: { email: `${person}@bigco.com` },
        properties: { category },
      });
    const form = (id: string, person: string, at: string, kind: string) =>
      JSON.stringify({
        id,
        type: 'form_submit',
        at,
        contact: { email: `${person}@bigco.com` },
        properties: { form: kind },
      });

    it('raises the buying committee once three contacts are engaged within 30 days, for the owner', async () => {
      // Mid-market: a pricing view is worth 15 (≥ 10 makes a contact engaged), −5 per week.
      const lines = linesOf(
        [
          view('a', 'ann', '2026-11-02T15:00:00Z'),
          view('b', 'bo', '2026-11-03T15:00:00Z'),
          view('c', 'cy', '2026-11-04T15:00:00Z'),
          view('d', 'di', '2026-11-05T15:00:00Z'),
        ].join('\n'),
      );
      const report = await run(MID_MARKET, lines);
      expect(report.notifications).toEqual([
        { type: 'buying_committee', to: 'unassigned', at: '2026-11-04T15:00:00.000Z', email: 'cy@bigco.com' },
      ]);
      const totals = report.contacts.map((c) => c.score?.total ?? 0);
      expect(report.accounts).toEqual([
        {
          domain: 'bigco.com',
          owner: null,
          contacts: 4,
          score: totals.reduce((a, b) => a + b, 0),
          engagedContacts: 4,
          buyingCommittee: true,
        },
      ]);
      // A week after the first view Ann has decayed to 10 (still engaged); two weeks on she is at 5.
      const later = await run(MID_MARKET, lines, '2026-11-17T15:00:00Z');
      expect(later.contacts.map((c) => c.score?.engagement)).toEqual([5, 5, 10, 10]);
      expect(later.accounts[0]).toMatchObject({ engagedContacts: 2, buyingCommittee: false });
      // Thirty days after the last activity nobody counts.
      const gone = await run(MID_MARKET, lines, '2026-12-06T15:00:01Z');
      expect(gone.accounts[0]).toMatchObject({ engagedContacts: 0, buyingCommittee: false });
    });

    it('feeds account.engagedContacts to rules: the sales-led multiple-stakeholders signal', async () => {
      // Sales-led: demo requests (30) make Ann and Bo engaged; Cy's page view then finds 2 engaged
      // contacts on the account and earns "Multiple stakeholders engaged" (+20).
      const salesLed = safeLoadConfigText(readTemplate('sales-led'), 'sales-led.yaml');
      if (!salesLed.ok) throw new Error('sales-led template does not load');
      const lines = linesOf(
        [
          form('a', 'ann', '2026-11-02T15:00:00Z', 'demo_request'),
          form('b', 'bo', '2026-11-03T15:00:00Z', 'demo_request'),
          view('c', 'cy', '2026-11-04T15:00:00Z', 'blog'),
          view('d', 'di', '2026-11-01T15:00:00Z', 'blog'),
        ].join('\n'),
      );
      const report = await run(salesLed.config, lines);
      expect(report.contacts.map((c) => [c.email, c.score?.engagement])).toEqual([
        ['ann@bigco.com', 30],
        ['bo@bigco.com', 30],
        ['cy@bigco.com', 20],
        // Di's view came before anyone was engaged.
        ['di@bigco.com', 0],
      ]);
    });
  });

  it('reports bad lines with their line numbers and replays the rest', async () => {
    const report = await run(MID_MARKET, BAD);
    expect(report.rejected.map((r) => [r.line, r.id ?? null, r.issues.map((i) => i.code)])).toEqual([
      [1, 'bad-1', ['event.unknown_type']],
      [2, 'bad-2', ['event.invalid_field']],
      [3, 'bad-3', ['event.invalid_field', 'event.invalid_property']],
      [4, 'bad-4', ['event.no_subject']],
      [5, null, ['event.invalid_json']],
    ]);
    expect(report.contacts.map((c) => c.email)).toEqual(['z@northwind.io']);
  });

  it('fires timers at their due time as the simulated clock passes them', async () => {
    const lines = linesOf(
      [
        '{"id":"a","type":"identify","at":"2026-11-20T21:30:00Z","contact":{"email":"gina@initech.com","firstName":"Gina","lastName":"Lopez"},"company":{"name":"Initech"}}',
        '{"id":"b","type":"page_view","at":"2026-11-24T15:00:00Z","contact":{"email":"gina@initech.com"},"properties":{"category":"pricing"}}',
      ].join('\n'),
    );
    const report = await run(WITH_LEAD_TASK, lines);
    expect(report.tasks).toEqual([
      {
        email: 'gina@initech.com',
        owner: 'rep:priya',
        title: 'Call Gina Lopez',
        dueAt: '2026-11-23T17:30:00.000Z',
        status: 'open',
      },
    ]);
    expect(report.notifications).toEqual([
      { type: 'task_overdue', to: 'rep:priya', at: '2026-11-23T17:30:00.000Z', email: 'gina@initech.com' },
    ]);

    const early = await run(WITH_LEAD_TASK, lines.slice(0, 1));
    expect(early.notifications).toEqual([]);
    const later = await run(WITH_LEAD_TASK, lines.slice(0, 1), '2026-11-23T17:30:00Z');
    expect(later.notifications).toHaveLength(1);
  });
});

const EMAILS = ['ava@northwind.io', 'ben@northwind.io', 'cy@gmail.com', 'dee@initech.com', 'eli@globex.com'];
const eventArb = fc.record({
  id: fc.integer({ min: 1, max: 60 }).map((n) => `e${n}`),
  email: fc.constantFrom(...EMAILS),
  minute: fc.integer({ min: 0, max: 60 * 24 * 14 }),
  kind: fc.constantFrom('identify', 'page_view', 'form_submit', 'rep_activity', 'email'),
  title: fc.constantFrom('VP Sales', 'Engineer', 'Director'),
});

interface GeneratedEvent {
  id: string;
  email: string;
  minute: number;
  kind: string;
  title: string;
}

function toLine(e: GeneratedEvent, line: number): ReplayLine {
  const at = new Date(Date.parse('2026-11-02T00:00:00Z') + e.minute * 60_000).toISOString();
  const base = { id: e.id, at, contact: { email: e.email } };
  const raw =
    e.kind === 'identify'
      ? {
          ...base,
          type: 'identify',
          contact: { email: e.email, lastName: 'X', title: e.title },
          company: { name: 'Co', employees: 300 },
        }
      : e.kind === 'page_view'
        ? { ...base, type: 'page_view', properties: { category: 'pricing' } }
        : e.kind === 'form_submit'
          ? { ...base, type: 'form_submit', properties: { form: 'newsletter' } }
          : e.kind === 'email'
            ? { ...base, type: 'email', properties: { action: 'click' } }
            : { ...base, type: 'rep_activity', properties: { kind: 'call', rep: 'ava' } };
  return { line, raw };
}

describe('replay determinism', () => {
  test.prop([fc.array(eventArb, { maxLength: 40 })], { numRuns: 25 })(
    'the same history gives byte-identical JSON',
    async (events) => {
      const lines = events.map((e, i) => toLine(e, i + 1));
      const a = JSON.stringify(await run(WITH_LEAD_TASK, lines));
      const b = JSON.stringify(await run(WITH_LEAD_TASK, lines));
      expect(a).toBe(b);
    },
  );
});
