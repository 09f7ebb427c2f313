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
import type { SlaClock } from '../core/sla/model.ts';
import { replay, replayReport, type ReplayLine } from './replay.ts';

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
    // Each move says where from, what caused it (the event id) and why.
    expect(report.contacts[0]?.history).toStrictEqual([
      {
        stage: 'subscriber',
        at: '2026-11-01T09:00:00.000Z',
        from: null,
        cause: 'ev-0015',
        reason: 'first seen: lifecycle.initialStage',
      },
      {
        stage: 'lead',
        at: '2026-11-02T14:05:00.000Z',
        from: 'subscriber',
        cause: 'ev-0001',
        reason:
          'entry criterion lifecycle.stages[1].entry[0].when matched: A known person with name, email and company, from a form, enrichment or an import.',
      },
      {
        stage: 'mql',
        at: '2026-11-02T14:12:00.000Z',
        from: 'lead',
        cause: 'ev-0004',
        reason:
          'entry criterion lifecycle.stages[2].entry[0].when matched: Meets the MQL threshold with enough fit and enough engagement (scoring section).',
      },
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
    // (Monday 09:12 New York + 4 h = 13:12) go to her; the task's timer reminds its assignee when
    // overdue. Nobody touches Ava, so the speed-to-lead ladder (5 min rep, 15 min backup, 30 min
    // manager, 60 min reassign) runs three times: to Leo, to Sofia (round-robin of the general team,
    // never back to an earlier owner), then, with nobody left, to the inbound queue. The task
    // follows the lead to the queue's team.
    expect(report.tasks).toEqual([
      {
        email: 'ava.chen@northwind.io',
        owner: 'team:general',
        title: 'Follow up with Ava Chen',
        dueAt: '2026-11-02T18:12:00.000Z',
        status: 'open',
      },
    ]);
    expect(
      report.assignments.map((a) => [a.email, a.kind, a.owner ?? a.queue, a.team, a.rule, a.at]),
    ).toEqual([
      ['ava.chen@northwind.io', 'assigned', 'priya', 'west', 'territory', '2026-11-02T14:12:00.000Z'],
      ['ava.chen@northwind.io', 'assigned', 'leo', 'general', 'round-robin', '2026-11-02T15:12:00.000Z'],
      ['ava.chen@northwind.io', 'assigned', 'sofia', 'general', 'round-robin', '2026-11-02T16:12:00.000Z'],
      ['ava.chen@northwind.io', 'queued', 'inbound', null, 'fallback', '2026-11-02T17:12:00.000Z'],
    ]);
    expect(report.contacts.map((c) => c.owner)).toEqual([null, null, null, null, null]);
    // Each owner's clocks: at each reassignment every clock the old owner ran ends and restarts for
    // the new owner (decision 011); the ended speed-to-lead clock keeps its breach and lateness
    // (14:17 → 15:12 = 55 min), the others are cancelled. MQL first touch counts 4 business hours in
    // the owner's calendar: for Priya (Los Angeles) Monday 06:12 is before opening, so 09:00 + 4 h =
    // 13:00 PT = 21:00Z; for Leo and Sofia (New York) 10:12 + 4 h and 11:12 + 4 h. Qualification: 48h.
    // Queued at 17:12, the lead starts the inbound queue's 1-hour pickup clock.
    const Z = (hhmm: string, day = '02') => `2026-11-${day}T${hhmm}:00.000Z`;
    expect(
      report.sla.map((c) => [c.clock, c.owner, c.startedAt, c.dueAt, c.status, c.breachedAt, c.stoppedAt]),
    ).toEqual([
      ['speed-to-lead', 'priya', Z('14:12'), Z('14:17'), 'breached', Z('14:17'), Z('15:12')],
      ['speed-to-lead', 'leo', Z('15:12'), Z('15:17'), 'breached', Z('15:17'), Z('16:12')],
      ['speed-to-lead', 'sofia', Z('16:12'), Z('16:17'), 'breached', Z('16:17'), Z('17:12')],
      ['queue-inbound', null, Z('17:12'), Z('18:12'), 'breached', Z('18:12'), null],
      ['mql-first-touch', 'leo', Z('15:12'), Z('19:12'), 'cancelled', null, Z('16:12')],
      ['mql-first-touch', 'sofia', Z('16:12'), Z('20:12'), 'cancelled', null, Z('17:12')],
      ['mql-first-touch', 'priya', Z('14:12'), Z('21:00'), 'cancelled', null, Z('15:12')],
      ['qualification-decision', 'priya', Z('14:12'), Z('14:12', '04'), 'cancelled', null, Z('15:12')],
      ['qualification-decision', 'leo', Z('15:12'), Z('15:12', '04'), 'cancelled', null, Z('16:12')],
      ['qualification-decision', 'sofia', Z('16:12'), Z('16:12', '04'), 'cancelled', null, Z('17:12')],
    ]);
    expect(report.sla.slice(0, 2).map((c) => [c.name, c.metAt, c.lateMs, c.stoppedAt])).toEqual([
      ['Speed to lead', null, 55 * 60_000, '2026-11-02T15:12:00.000Z'],
      ['Speed to lead', null, 55 * 60_000, '2026-11-02T16:12:00.000Z'],
    ]);
    // Still waiting in the queue at the report's instant (Mon 2026-11-09 13:00Z): late by a wall-clock
    // week minus the hour = 6 days 18 h 48 min.
    expect(report.sla[3]?.lateMs).toBe(((6 * 24 + 18) * 60 + 48) * 60_000);
    const step = (at: string, clock: string, index: number, action: string, to: string) => [
      'ava.chen@northwind.io',
      clock,
      index,
      `2026-11-${at}:00.000Z`,
      action,
      to,
    ];
    expect(report.escalations.map((e) => [e.email, e.sla, e.step, e.at, e.action, e.to])).toEqual([
      step('02T14:17', 'speed-to-lead', 0, 'notify_rep', 'rep:priya'),
      step('02T14:27', 'speed-to-lead', 1, 'notify_backup', 'rep:leo'),
      step('02T14:42', 'speed-to-lead', 2, 'notify_manager', 'rep:dan'),
      step('02T15:12', 'speed-to-lead', 3, 'reassign', 'rep:priya'),
      step('02T15:17', 'speed-to-lead', 0, 'notify_rep', 'rep:leo'),
      step('02T15:27', 'speed-to-lead', 1, 'notify_backup', 'rep:sofia'),
      step('02T15:42', 'speed-to-lead', 2, 'notify_manager', 'rep:dan'),
      step('02T16:12', 'speed-to-lead', 3, 'reassign', 'rep:leo'),
      step('02T16:17', 'speed-to-lead', 0, 'notify_rep', 'rep:sofia'),
      step('02T16:27', 'speed-to-lead', 1, 'notify_backup', 'rep:priya'),
      step('02T16:42', 'speed-to-lead', 2, 'notify_manager', 'rep:dan'),
      step('02T17:12', 'speed-to-lead', 3, 'reassign', 'rep:sofia'),
    ]);
    // Ben, new at an account Priya owns, is announced to her (multi-contact handling); every
    // notifying ladder step is also a notification.
    const note = (type: string, to: string, at: string, email = 'ava.chen@northwind.io') => [
      type,
      to,
      `2026-11-${at}:00.000Z`,
      email,
    ];
    expect(report.notifications.map((n) => [n.type, n.to, n.at, n.email])).toEqual([
      note('assigned', 'rep:priya', '02T14:12'),
      note('notify', 'rep:priya', '02T14:12'),
      note('sla_escalation', 'rep:priya', '02T14:17'),
      note('sla_escalation', 'rep:leo', '02T14:27'),
      note('sla_escalation', 'rep:dan', '02T14:42'),
      note('assigned', 'rep:leo', '02T15:12'),
      note('reassigned', 'rep:priya', '02T15:12'),
      note('sla_escalation', 'rep:leo', '02T15:17'),
      note('sla_escalation', 'rep:sofia', '02T15:27'),
      note('sla_escalation', 'rep:dan', '02T15:42'),
      note('assigned', 'rep:sofia', '02T16:12'),
      note('reassigned', 'rep:leo', '02T16:12'),
      note('sla_escalation', 'rep:sofia', '02T16:17'),
      note('sla_escalation', 'rep:priya', '02T16:27'),
      note('sla_escalation', 'rep:dan', '02T16:42'),
      note('queued', 'team:general', '02T17:12'),
      note('reassigned', 'rep:sofia', '02T17:12'),
      note('task_overdue', 'team:general', '02T18:12'),
      note('account_contact', 'rep:priya', '03T09:30', 'ben.ortiz@northwind.io'),
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

// The report's `sla` and `escalations` read the clock rows the engine writes (sla_clocks): here
// written through the store as the SLA timers write them, for a lead that becomes an MQL on
// Friday 16:30 New York. Speed to lead (5 min wall time) breaches and climbs its 5/15/30/60-minute
// ladder to a reassignment, which ends the clock and starts a fresh one for the new owner; the
// MQL first-touch clock (4 business hours: due Monday 12:30) is met by a call on Monday 09:10.
describe('replay report: SLA clocks and escalations', () => {
  const MIN = 60_000;
  const FRI_1630_NY = Date.parse('2026-01-09T21:30:00Z');
  const base = (overrides: Partial<SlaClock> & Pick<SlaClock, 'clockId' | 'startedAt'>): SlaClock => ({
    key: `sla:email:ava.chen@northwind.io:${overrides.clockId}:${overrides.startedAt}`,
    contactKey: 'email:ava.chen@northwind.io',
    name: 'Speed to lead',
    owner: 'priya',
    dueAt: overrides.startedAt + 5 * MIN,
    status: 'open',
    target: '5m',
    business: false,
    timezone: 'America/Los_Angeles',
    cause: 'ev-1',
    steps: [],
    updatedAt: overrides.startedAt,
    ...overrides,
  });
  const CLOCKS: SlaClock[] = [
    base({
      clockId: 'speed-to-lead',
      startedAt: FRI_1630_NY,
      status: 'breached',
      breachedAt: FRI_1630_NY + 5 * MIN,
      stoppedAt: FRI_1630_NY + 60 * MIN,
      stopReason: 'reassigned',
      lateMs: 55 * MIN,
      lateWallMs: 55 * MIN,
      steps: [
        { index: 0, action: 'notify_rep', at: FRI_1630_NY + 5 * MIN, to: 'rep:priya' },
        { index: 1, action: 'notify_backup', at: FRI_1630_NY + 15 * MIN, to: 'rep:leo' },
        { index: 2, action: 'notify_manager', at: FRI_1630_NY + 30 * MIN, to: 'rep:maya' },
        { index: 3, action: 'reassign', at: FRI_1630_NY + 60 * MIN, to: 'rep:priya' },
      ],
    }),
    base({
      clockId: 'speed-to-lead',
      owner: 'leo',
      startedAt: FRI_1630_NY + 60 * MIN,
      cause: 'reassign:sla:email:ava.chen@northwind.io:speed-to-lead',
    }),
    base({
      clockId: 'mql-first-touch',
      name: 'MQL first contact attempt',
      startedAt: FRI_1630_NY,
      dueAt: Date.parse('2026-01-12T17:30:00Z'),
      target: '4 business hours',
      business: true,
      status: 'met',
      metAt: Date.parse('2026-01-12T14:10:00Z'),
      stoppedAt: Date.parse('2026-01-12T14:10:00Z'),
      stopReason: 'touch',
    }),
    // Breached at its due time (lateness 0 then) and never stopped: as late as the report's instant.
    base({
      clockId: 'qualification-decision',
      name: 'MQL qualification decision',
      startedAt: FRI_1630_NY,
      dueAt: FRI_1630_NY + 48 * 60 * MIN,
      target: '48h',
      status: 'breached',
      breachedAt: FRI_1630_NY + 48 * 60 * MIN,
      lateMs: 0,
      lateWallMs: 0,
    }),
  ];

  it('lists every clock by due time and every fired step in time order, with the lead', async () => {
    const store = await openMigratedStore(':memory:');
    try {
      const clock = new SimulatedClock(FRI_1630_NY);
      const { engine } = runtime(store, MID_MARKET, clock);
      const ava = EXAMPLES.find((l) => (l.raw as { id?: string } | undefined)?.id === 'ev-0001')?.raw;
      expect((await engine.ingest([ava])).accepted).toBe(1);
      await store.transaction((tx) => tx.upsertClocks(CLOCKS));
      const report = await replayReport(
        engine,
        Date.parse('2026-01-12T15:00:00Z'),
        { accepted: 1, duplicates: 0, rejected: 0 },
        [],
      );
      expect(report.sla).toStrictEqual([
        {
          email: 'ava.chen@northwind.io',
          name: 'Speed to lead',
          startedAt: '2026-01-09T21:30:00.000Z',
          dueAt: '2026-01-09T21:35:00.000Z',
          status: 'breached',
          metAt: null,
          breachedAt: '2026-01-09T21:35:00.000Z',
          clock: 'speed-to-lead',
          owner: 'priya',
          target: '5m',
          lateMs: 55 * MIN,
          stoppedAt: '2026-01-09T22:30:00.000Z',
        },
        {
          email: 'ava.chen@northwind.io',
          name: 'Speed to lead',
          startedAt: '2026-01-09T22:30:00.000Z',
          dueAt: '2026-01-09T22:35:00.000Z',
          status: 'open',
          metAt: null,
          breachedAt: null,
          clock: 'speed-to-lead',
          owner: 'leo',
          target: '5m',
          lateMs: null,
          stoppedAt: null,
        },
        {
          email: 'ava.chen@northwind.io',
          name: 'MQL qualification decision',
          startedAt: '2026-01-09T21:30:00.000Z',
          dueAt: '2026-01-11T21:30:00.000Z',
          status: 'breached',
          metAt: null,
          breachedAt: '2026-01-11T21:30:00.000Z',
          clock: 'qualification-decision',
          owner: 'priya',
          target: '48h',
          // Sunday 21:30 to Monday 15:00 UTC, wall time.
          lateMs: 17.5 * 60 * MIN,
          stoppedAt: null,
        },
        {
          email: 'ava.chen@northwind.io',
          name: 'MQL first contact attempt',
          startedAt: '2026-01-09T21:30:00.000Z',
          dueAt: '2026-01-12T17:30:00.000Z',
          status: 'met',
          metAt: '2026-01-12T14:10:00.000Z',
          breachedAt: null,
          clock: 'mql-first-touch',
          owner: 'priya',
          target: '4 business hours',
          lateMs: null,
          stoppedAt: '2026-01-12T14:10:00.000Z',
        },
      ]);
      const ladder = (step: number, minutes: number, action: string, to: string) => ({
        email: 'ava.chen@northwind.io',
        sla: 'speed-to-lead',
        step,
        at: new Date(FRI_1630_NY + minutes * MIN).toISOString(),
        action,
        to,
      });
      expect(report.escalations).toStrictEqual([
        ladder(0, 5, 'notify_rep', 'rep:priya'),
        ladder(1, 15, 'notify_backup', 'rep:leo'),
        ladder(2, 30, 'notify_manager', 'rep:maya'),
        ladder(3, 60, 'reassign', 'rep:priya'),
      ]);
    } finally {
      await store.close();
    }
  });
});

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

describe('replay: deals and approvals', () => {
  // Thursday 2026-03-05, 15:00 UTC = 10:00 New York; the mid-market pipeline and deal desk.
  const deal = (id: string, at: string, properties: Record<string, unknown>) => ({
    raw: {
      id,
      type: 'deal',
      at,
      contact: { email: 'ann@acme.com' },
      company: { domain: 'acme.com', name: 'Acme' },
      properties: Object.assign({ dealId: 'D-1' }, properties),
    },
  });
  const lines: ReplayLine[] = [
    deal('d1', '2026-03-05T15:00:00Z', {
      action: 'created',
      amount: 60000,
      source: 'web',
      fitScore: 50,
      owner: 'priya',
      closeDate: '2026-04-30',
    }),
    // Straight to proposal: discovery and demo are skipped (flagged: skips: flag).
    deal('d2', '2026-03-06T15:00:00Z', {
      action: 'stage_changed',
      stage: 'proposal',
      discountPercent: 25,
      termMonths: 36,
      paymentTerms: 'net-30',
      stakeholderMap: 'Champion',
    }),
    deal('d3', '2026-03-09T15:00:00Z', {
      action: 'approval_decided',
      approvalId: 'D-1:1',
      approver: 'role:finance',
      decision: 'approve',
    }),
    deal('d4', '2026-03-10T15:00:00Z', {
      action: 'close_date_changed',
      closeDate: '2026-05-15',
      reason: 'legal',
    }),
    deal('d5', '2026-03-11T15:00:00Z', {
      action: 'close_date_changed',
      closeDate: '2026-05-29',
      reason: 'budget',
    }),
  ].map((l, i) => Object.assign({ line: i + 1 }, l));

  it('reports each deal with its moves, skips, pushes, staleness at `at`, and its approval steps', async () => {
    // 10 days after entering proposal (its staleAfter) the deal is stale.
    const report = await run(MID_MARKET, lines, '2026-03-17T15:00:00Z');
    expect(report.deals).toHaveLength(1);
    const d = report.deals[0];
    expect(d).toMatchObject({
      id: 'D-1',
      stage: 'proposal',
      status: 'open',
      owner: 'priya',
      account: 'acme.com',
      amount: 60000,
      closeDate: '2026-05-29',
      contacts: [{ email: 'ann@acme.com', role: 'primary' }],
    });
    expect(d?.history.map((h) => [h.from, h.stage, h.skipped])).toEqual([
      [null, 'qualified', []],
      ['qualified', 'proposal', ['discovery', 'demo']],
    ]);
    expect(d?.pushes.map((p) => [p.from, p.to, p.slipDays, p.reason])).toEqual([
      ['2026-04-30', '2026-05-15', 15, 'legal'],
      ['2026-05-15', '2026-05-29', 14, 'budget'],
    ]);
    expect(d?.flags).toEqual({
      skipped: ['discovery', 'demo'],
      stale: { stage: 'proposal', since: '2026-03-16T15:00:00.000Z', basis: 'limit', managerAlerted: false },
      pushes: 2,
      forecastReview: true,
    });
    // 25% off for 36 months: VP Sales, and finance AND legal; finance alone leaves it pending.
    expect(report.approvals).toHaveLength(1);
    const a = report.approvals[0];
    expect(a?.status).toBe('pending');
    expect(a?.steps.map((s) => [s.tier, s.approvers, s.status, s.votes.map((v) => v.approver)])).toEqual([
      ['vp-sales', ['role:vp_sales'], 'pending', []],
      ['multi-year', ['role:finance', 'role:legal'], 'pending', ['role:finance']],
    ]);
    // $60,000 over 36 months is $20,000 a year: under the $25,000 deal-desk threshold.
    expect(a?.exceptions.map((e) => e.kind)).toEqual(['discount', 'multi_year']);
    const types = report.notifications.map((n) => n.type);
    expect(types).toContain('deal_stage_skipped');
    expect(types).toContain('forecast_review');
    expect(types).toContain('deal_stale');
  });
});
