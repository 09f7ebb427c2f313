// The reference's lifecycle and SLA tables, run by `revops replay --json` on each shipped template:
// four MQLs from the same week, one carried to customer (accepted with BANT, meeting, discovery,
// deal through demo and proposal, won), one rejected FIT-02 (archived), one ENG-01 (recycled, with
// the nurture held 90 days), one nobody answers (the 5/15/30/60 ladder climbs three owners and ends
// in the fallback queue, then QUAL-03). Every figure is from the reference: speed-to-lead 5 minutes,
// first touch 4 business hours, decision 48 hours, meeting 5 and discovery 3 business days,
// opportunity 5 business days, proposal 5 business days after the demo, queue pickup 1 hour.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMPLATE_NAMES, templatePath } from '../src/config/templates/index.ts';
import { runRevops } from './support/cli.ts';

interface Lead {
  readonly email: string;
  readonly first: string;
  readonly last: string;
  readonly domain: string;
  readonly company: string;
}

const LEADS: readonly Lead[] = [
  {
    email: 'zoe@acme-widgets.com',
    first: 'Zoe',
    last: 'Ng',
    domain: 'acme-widgets.com',
    company: 'Acme Widgets',
  },
  { email: 'bo@brightlane.io', first: 'Bo', last: 'Lind', domain: 'brightlane.io', company: 'Brightlane' },
  {
    email: 'cy@cobaltworks.com',
    first: 'Cy',
    last: 'Moss',
    domain: 'cobaltworks.com',
    company: 'Cobalt Works',
  },
  { email: 'di@dunmore.co', first: 'Di', last: 'Park', domain: 'dunmore.co', company: 'Dunmore' },
];
const [ZOE, BO, CY, DI] = LEADS.map((l) => l.email) as [string, string, string, string];

function history(): object[] {
  const events: object[] = [];
  let n = 0;
  const add = (type: string, at: string, email: string, properties?: object): void => {
    n += 1;
    events.push({ id: `h${String(n).padStart(2, '0')}`, type, at, contact: { email }, properties });
  };
  LEADS.forEach((lead, i) => {
    n += 1;
    // A VP of Sales at a 600-person software company in New York: fit enough everywhere.
    events.push({
      id: `h${String(n).padStart(2, '0')}`,
      type: 'identify',
      at: `2026-01-0${5 + i}T15:00:00Z`,
      contact: {
        email: lead.email,
        firstName: lead.first,
        lastName: lead.last,
        title: 'VP Sales',
        seniority: 'vp',
        department: 'sales',
      },
      company: {
        domain: lead.domain,
        name: lead.company,
        employees: 600,
        industry: 'Software',
        country: 'US',
        state: 'NY',
        techStack: ['hubspot', 'salesforce'],
      },
    });
    // 16:30 New York, Monday to Thursday: a demo request makes each an MQL at once.
    add('form_submit', `2026-01-0${5 + i}T21:30:00Z`, lead.email, { form: 'demo_request' });
  });
  add('rep_activity', '2026-01-05T21:38:00Z', ZOE, { kind: 'call' });
  add('sales_decision', '2026-01-06T15:00:00Z', ZOE, { decision: 'accept', bant: ['budget', 'authority'] });
  add('meeting', '2026-01-07T15:00:00Z', ZOE, { action: 'booked', startsAt: '2026-01-08T16:00:00Z' });
  add('meeting', '2026-01-08T17:00:00Z', ZOE, { action: 'held' });
  // Each move carries the fields its stage requires (pipeline section); demo skips discovery (flagged).
  add('deal', '2026-01-09T15:00:00Z', ZOE, {
    action: 'created',
    dealId: 'd1',
    amount: 30000,
    source: 'demo_request',
  });
  add('deal', '2026-01-13T15:00:00Z', ZOE, {
    action: 'stage_changed',
    dealId: 'd1',
    stage: 'demo',
    technicalRequirements: 'SSO',
    decisionMakers: ['VP Sales'],
  });
  add('deal', '2026-01-22T15:00:00Z', ZOE, {
    action: 'stage_changed',
    dealId: 'd1',
    stage: 'proposal',
    discountPercent: 0,
    termMonths: 12,
    paymentTerms: 'net-30',
    stakeholderMap: 'Champion and economic buyer',
  });
  add('deal', '2026-02-20T15:00:00Z', ZOE, { action: 'closed_won', dealId: 'd1', signedContract: true });
  add('sales_decision', '2026-01-07T15:00:00Z', BO, { decision: 'reject', reasonCode: 'FIT-02' });
  add('sales_decision', '2026-01-08T15:00:00Z', CY, { decision: 'reject', reasonCode: 'ENG-01' });
  add('rep_activity', '2026-01-12T15:10:00Z', DI, { kind: 'email', rep: 'sofia' });
  add('sales_decision', '2026-01-12T16:00:00Z', DI, { decision: 'reject', reasonCode: 'QUAL-03' });
  return events;
}

interface Report {
  contacts: {
    email: string;
    stage: string;
    owner: string | null;
    flags: string[];
    history: { stage: string; at: string }[];
  }[];
  assignments: {
    email: string;
    kind: string;
    owner: string | null;
    queue: string | null;
    rule: string;
    at: string;
  }[];
  sla: {
    email: string;
    clock: string;
    owner: string | null;
    startedAt: string;
    dueAt: string;
    status: string;
    lateMs?: number | null;
    stoppedAt?: string | null;
  }[];
  escalations: { email: string; sla: string; step: number; at: string; action: string; to: string }[];
  tasks: { email: string; owner: string; title: string; dueAt: string; status: string }[];
  events: { accepted: number; rejected: number };
}

const dir = mkdtempSync(join(tmpdir(), 'revops-template-lifecycle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(
  join(dir, 'history.ndjson'),
  `${history()
    .map((e) => JSON.stringify(e))
    .join('\n')}\n`,
);

const hhmm = (iso: string | null | undefined): string => (iso ?? '').slice(5, 16);

describe.each(TEMPLATE_NAMES)('the %s template: lifecycle and SLA in replay', (template) => {
  let report: Report;
  it('replays the history with every event accepted', async () => {
    const run = await runRevops(dir, [
      'replay',
      '--config',
      templatePath(template),
      '--events',
      'history.ndjson',
      '--at',
      '2026-04-20T00:00:00Z',
      '--json',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    report = JSON.parse(run.stdout) as Report;
    expect(report.events).toMatchObject({ accepted: 20, rejected: 0 });
  });

  it('moves each lead through the reference lifecycle, with the cause of every move', () => {
    expect(
      report.contacts.map((c) => [
        c.email,
        c.stage,
        c.owner,
        c.flags,
        c.history.map((h) => `${h.stage}@${hhmm(h.at)}`),
      ]),
    ).toEqual([
      [
        BO,
        'disqualified',
        null,
        [],
        ['subscriber@01-06T15:00', 'lead@01-06T15:00', 'mql@01-06T21:30', 'disqualified@01-07T15:00'],
      ],
      // ENG-01: recycled at once (the nurture is held 90 days), engagement reset, fit kept.
      [
        CY,
        'recycled',
        null,
        ['recycled'],
        ['subscriber@01-07T15:00', 'lead@01-07T15:00', 'mql@01-07T21:30', 'recycled@01-08T15:00'],
      ],
      [
        DI,
        'disqualified',
        null,
        [],
        ['subscriber@01-08T15:00', 'lead@01-08T15:00', 'mql@01-08T21:30', 'disqualified@01-12T16:00'],
      ],
      [
        ZOE,
        'customer',
        'sofia',
        ['bant:authority', 'bant:budget'],
        [
          'subscriber@01-05T15:00',
          'lead@01-05T15:00',
          'mql@01-05T21:30',
          'sql@01-06T15:00',
          'opportunity@01-09T15:00',
          'customer@02-20T15:00',
        ],
      ],
    ]);
  });

  it('routes by territory, then reassigns every hour past the three New York reps into the queue', () => {
    const ladder = (email: string, day: string, next: string) => [
      [email, 'assigned', 'sofia', 'territory', `01-${day}T21:30`],
      [email, 'assigned', 'priya', 'round-robin', `01-${day}T22:30`],
      [email, 'assigned', 'leo', 'round-robin', `01-${day}T23:30`],
      [email, 'queued', 'inbound', 'fallback', `01-${next}T00:30`],
    ];
    expect(report.assignments.map((a) => [a.email, a.kind, a.owner ?? a.queue, a.rule, hhmm(a.at)])).toEqual([
      [ZOE, 'assigned', 'sofia', 'territory', '01-05T21:30'],
      ...ladder(BO, '06', '07'),
      ...ladder(CY, '07', '08'),
      ...ladder(DI, '08', '09'),
    ]);
  });

  const clocksOf = (email: string) =>
    report.sla
      .filter((s) => s.email === email)
      .map((s) => [
        s.clock,
        s.owner,
        hhmm(s.startedAt),
        hhmm(s.dueAt),
        s.status,
        s.lateMs ?? null,
        hhmm(s.stoppedAt),
      ]);

  it('runs every handoff clock at its reference target for the lead carried to customer', () => {
    expect(clocksOf(ZOE)).toEqual([
      // 5 wall minutes; touched at 16:38, three minutes late.
      ['speed-to-lead', 'sofia', '01-05T21:30', '01-05T21:35', 'breached', 180_000, '01-05T21:38'],
      // 4 business hours from Monday 16:30 New York: Tuesday 12:30.
      ['mql-first-touch', 'sofia', '01-05T21:30', '01-06T17:30', 'met', null, '01-05T21:38'],
      ['qualification-decision', 'sofia', '01-05T21:30', '01-07T21:30', 'met', null, '01-06T15:00'],
      // From the SQL on Tuesday 10:00: discovery in 3 business days, meeting and opportunity in 5.
      ['sql-discovery', 'sofia', '01-06T15:00', '01-09T15:00', 'met', null, '01-08T17:00'],
      ['meeting-scheduled', 'sofia', '01-06T15:00', '01-13T15:00', 'met', null, '01-07T15:00'],
      ['opportunity-created', 'sofia', '01-06T15:00', '01-13T15:00', 'met', null, '01-09T15:00'],
      // Demo on Tuesday 13th: 5 business days skip Martin Luther King Day, due Wednesday 21st; the
      // proposal a day later is one business day (8 hours) late.
      ['proposal-after-demo', 'sofia', '01-13T15:00', '01-21T15:00', 'breached', 28_800_000, '01-22T15:00'],
    ]);
  });

  it('hands every clock to the next owner at each reassignment, then starts the queue pickup clock', () => {
    expect(clocksOf(DI)).toEqual([
      ['speed-to-lead', 'sofia', '01-08T21:30', '01-08T21:35', 'breached', 3_300_000, '01-08T22:30'],
      ['speed-to-lead', 'priya', '01-08T22:30', '01-08T22:35', 'breached', 3_300_000, '01-08T23:30'],
      ['speed-to-lead', 'leo', '01-08T23:30', '01-08T23:35', 'breached', 3_300_000, '01-09T00:30'],
      // Picked up by Sofia's touch on Monday at 10:10: 85 h 40 min past the 1-hour target.
      ['queue-inbound', null, '01-09T00:30', '01-09T01:30', 'breached', 308_400_000, '01-12T15:10'],
      // Each owner's first-touch clock runs in their own calendar (Priya in Los Angeles) until the
      // lead leaves them.
      ['mql-first-touch', 'sofia', '01-08T21:30', '01-09T17:30', 'cancelled', null, '01-08T22:30'],
      ['mql-first-touch', 'priya', '01-08T22:30', '01-09T18:30', 'cancelled', null, '01-08T23:30'],
      ['mql-first-touch', 'leo', '01-08T23:30', '01-09T19:00', 'cancelled', null, '01-09T00:30'],
      ['qualification-decision', 'sofia', '01-08T21:30', '01-10T21:30', 'cancelled', null, '01-08T22:30'],
      ['qualification-decision', 'priya', '01-08T22:30', '01-10T22:30', 'cancelled', null, '01-08T23:30'],
      ['qualification-decision', 'leo', '01-08T23:30', '01-10T23:30', 'cancelled', null, '01-09T00:30'],
    ]);
    // The rejections end the queue clock: Bo's and Cy's pickups are late only until the decision.
    expect(clocksOf(BO).filter(([id]) => id === 'queue-inbound')).toEqual([
      ['queue-inbound', null, '01-07T00:30', '01-07T01:30', 'breached', 48_600_000, '01-07T15:00'],
    ]);
    expect(clocksOf(CY)).toHaveLength(10);
  });

  it('climbs the ladder at 5, 15, 30 and 60 minutes for each owner, and alerts the manager on a late proposal', () => {
    const steps = report.escalations.map((e) => [e.email, e.sla, e.step, hhmm(e.at), e.action, e.to]);
    expect(steps.filter(([email]) => email === ZOE)).toEqual([
      [ZOE, 'speed-to-lead', 0, '01-05T21:35', 'notify_rep', 'rep:sofia'],
      [ZOE, 'proposal-after-demo', 0, '01-21T15:00', 'notify_manager', 'rep:dan'],
    ]);
    expect(steps.filter(([email]) => email === DI)).toEqual([
      [DI, 'speed-to-lead', 0, '01-08T21:35', 'notify_rep', 'rep:sofia'],
      [DI, 'speed-to-lead', 1, '01-08T21:45', 'notify_backup', 'rep:priya'],
      [DI, 'speed-to-lead', 2, '01-08T22:00', 'notify_manager', 'rep:dan'],
      [DI, 'speed-to-lead', 3, '01-08T22:30', 'reassign', 'rep:sofia'],
      [DI, 'speed-to-lead', 0, '01-08T22:35', 'notify_rep', 'rep:priya'],
      [DI, 'speed-to-lead', 1, '01-08T22:45', 'notify_backup', 'rep:leo'],
      [DI, 'speed-to-lead', 2, '01-08T23:00', 'notify_manager', 'rep:dan'],
      [DI, 'speed-to-lead', 3, '01-08T23:30', 'reassign', 'rep:priya'],
      [DI, 'speed-to-lead', 0, '01-08T23:35', 'notify_rep', 'rep:leo'],
      [DI, 'speed-to-lead', 1, '01-08T23:45', 'notify_backup', 'rep:sofia'],
      [DI, 'speed-to-lead', 2, '01-09T00:00', 'notify_manager', 'rep:dan'],
      [DI, 'speed-to-lead', 3, '01-09T00:30', 'reassign', 'rep:leo'],
    ]);
    // No first-touch or decision alert reaches the managers of reps who no longer own the lead.
    expect(steps.filter(([, sla]) => sla !== 'speed-to-lead' && sla !== 'proposal-after-demo')).toEqual([]);
  });

  it('creates the follow-up tasks due in business time; the touch and the sales decisions close them', () => {
    expect(report.tasks.map((t) => [t.email, t.owner, t.title, hhmm(t.dueAt), t.status])).toEqual([
      [ZOE, 'rep:sofia', 'Follow up with Zoe Ng', '01-06T17:30', 'done'],
      // Queued with the lead after the ladder, then closed by the rejection (FIT-02, ENG-01, QUAL-03).
      [BO, 'team:general', 'Follow up with Bo Lind', '01-07T17:30', 'done'],
      [CY, 'team:general', 'Follow up with Cy Moss', '01-08T17:30', 'done'],
      [DI, 'team:general', 'Follow up with Di Park', '01-09T17:30', 'done'],
      [ZOE, 'rep:sofia', 'Plan the demo and proposal for Acme Widgets', '01-13T15:00', 'open'],
      // The deal's stages: demo and proposal tasks for the deal owner, the stale alert 10 days into
      // the proposal (Sunday 1 February; due in 3 business days), the kickoff for the CS owner.
      [ZOE, 'rep:sofia', 'Prepare the demo environment', '01-15T15:00', 'open'],
      [ZOE, 'rep:sofia', 'Send the proposal', '01-29T15:00', 'open'],
      [ZOE, 'rep:sofia', 'Update or close the deal: d1 (10 days in Proposal)', '02-05T14:00', 'open'],
      [ZOE, 'rep:grace', 'Schedule kickoff call with Acme Widgets', '02-24T15:00', 'open'],
    ]);
  });
});
