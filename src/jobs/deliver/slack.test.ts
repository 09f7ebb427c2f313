import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../core/types.ts';
import { AT, LEE_KEY, leeContext, outboxRow } from './fixtures.ts';
import type { LeadContext, Person } from './message.ts';
import { escapeMrkdwn, slackMessage } from './slack.ts';

const LEE = leeContext({
  reasons: [
    { label: 'Demo request or trial signup', points: 25 },
    { label: 'Company size: 50-1,000 employees', points: 15 },
    { label: 'Job title: Manager to VP', points: 15 },
  ],
});

const PEOPLE = new Map<string, Person>([
  [
    'priya',
    { id: 'priya', name: 'Priya Natarajan', email: 'priya.natarajan@example.com', slack: 'U024BE7LH' },
  ],
  ['leo', { id: 'leo', name: 'Leo Brandt', email: 'leo.brandt@example.com' }],
]);

const text = (type: string, payload: JsonObject, lead: LeadContext | undefined = LEE) =>
  slackMessage(
    Object.assign({ row: outboxRow(type, payload), people: PEOPLE }, lead === undefined ? {} : { lead }),
  ).text;

describe('slackMessage', () => {
  it('an assignment: headline with a mention, the lead context as fields, a footer with the key', () => {
    expect(
      slackMessage({
        row: outboxRow('assigned', { to: 'rep:priya', rule: 'round-robin', team: 'general' }),
        lead: LEE,
        people: PEOPLE,
      }),
    ).toEqual({
      text: ':inbox_tray: New lead for <@U024BE7LH>: *Lee Number1* (Company 1)',
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: ':inbox_tray: New lead for <@U024BE7LH>: *Lee Number1* (Company 1)' },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Owner*\n<@U024BE7LH>' },
            { type: 'mrkdwn', text: '*Score*\n41 (fit 30 · engagement 25) · MQL' },
            {
              type: 'mrkdwn',
              text: '*Why*\n+25 Demo request or trial signup · +15 Company size: 50-1,000 employees · +15 Job title: Manager to VP',
            },
            { type: 'mrkdwn', text: '*Rule*\nround-robin' },
            {
              type: 'mrkdwn',
              text: '*SLA*\nSpeed to lead due <!date^1795532760^{date_short_pretty} at {time}|2026-11-24 15:06 UTC>',
            },
            { type: 'mrkdwn', text: '*Stage*\nmql' },
            { type: 'mrkdwn', text: '*Email*\nlee@company1.com' },
          ],
        },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: `RevOps Engine · assigned · assigned:${LEE_KEY}:${AT}` }],
        },
      ],
      unfurl_links: false,
      unfurl_media: false,
    });
  });

  it('an MQL shows the score at the crossing, and an SLA row its own clock', () => {
    const mql = slackMessage({
      row: outboxRow('mql', { total: 38, fit: 30, engagement: 25, negative: -17 }),
      lead: LEE,
      people: PEOPLE,
    });
    expect(mql.text).toBe(':fire: *Lee Number1* (Company 1) is now a marketing-qualified lead');
    expect(mql.blocks[1]?.fields?.[1]).toEqual({
      type: 'mrkdwn',
      text: '*Score*\n38 (fit 30 · engagement 25) · MQL',
    });
    const breach = slackMessage({
      row: outboxRow('sla_breached', {
        clockName: 'MQL first contact attempt',
        dueAt: '2026-11-24T21:00:00.000Z',
        owner: 'priya',
      }),
      lead: LEE,
      people: PEOPLE,
    });
    expect(breach.text).toBe(
      ':rotating_light: SLA breached: *MQL first contact attempt* for *Lee Number1* (Company 1)',
    );
    expect(breach.blocks[1]?.fields?.[3]).toEqual({
      type: 'mrkdwn',
      text: '*SLA*\nMQL first contact attempt due <!date^1795554000^{date_short_pretty} at {time}|2026-11-24 21:00 UTC>',
    });
  });

  it.each([
    [
      'queued',
      { to: 'queue:inbound', queue: 'inbound', rule: 'fallback' },
      ':hourglass_flowing_sand: *Lee Number1* (Company 1) is waiting in the *inbound* queue',
    ],
    [
      'assigned',
      { to: 'rep:leo', rule: 'pool', reassigned: true, from: 'priya' },
      ':inbox_tray: *Lee Number1* (Company 1) was reassigned to Leo Brandt',
    ],
    [
      'reassigned',
      { to: 'rep:priya', reason: 'PTO', outcome: 'assigned', owner: 'leo' },
      ':arrows_counterclockwise: *Lee Number1* (Company 1) moved from <@U024BE7LH> to Leo Brandt',
    ],
    [
      'notify',
      { to: 'channel:sales-alerts', message: 'New MQL Lee <3 & co' },
      ':bell: New MQL Lee &lt;3 &amp; co',
    ],
    [
      'sla_escalation',
      { to: 'rep:dan', clockName: 'Speed to lead', message: 'No touch yet.' },
      ':warning: SLA escalation (Speed to lead): No touch yet.',
    ],
    [
      'task_overdue',
      { to: 'rep:leo', task: 'task:1', title: 'Call Lee' },
      ':alarm_clock: Task overdue for Leo Brandt: Call Lee',
    ],
    [
      'buying_committee',
      { to: 'rep:priya', account: 'company1.com', engagedContacts: 3, within: '30d' },
      ':busts_in_silhouette: A buying committee is forming at *company1.com*: 3 engaged contacts within 30d',
    ],
    [
      'sql_refused',
      { to: 'rep:priya', message: 'budget is not confirmed' },
      ':no_entry: *Lee Number1* (Company 1) was not accepted as an SQL: budget is not confirmed',
    ],
    [
      'routing_review',
      { to: 'role:sales_ops' },
      ':mag: *Lee Number1* (Company 1) needs a routing review: it matches several accounts',
    ],
    [
      'sequence',
      { op: 'pause', sequence: 'lead-nurture' },
      ':envelope: *Lee Number1* (Company 1): pause sequence *lead-nurture*',
    ],
    [
      'deal_stale',
      { to: 'rep:leo', deal: 'd-1', name: 'Company 1 — Platform', stage: 'negotiation', daysInStage: 29 },
      ':snail: Deal *Company 1 — Platform* is stale: 29 days in *negotiation*',
    ],
    [
      'deal_stale_manager',
      { to: 'rep:dan', owner: 'rep:leo', deal: 'd-1', stage: 'negotiation', daysInStage: 36 },
      ':snail: Still stale: *d-1* of Leo Brandt has 36 days in *negotiation*',
    ],
    [
      'deal_stage_skipped',
      { to: 'rep:leo', deal: 'd-1', from: 'discovery', stage: 'negotiation', skipped: ['demo', 'proposal'] },
      ':fast_forward: Deal *d-1* skipped demo, proposal on its way to *negotiation*',
    ],
    [
      'deal_desk_review',
      { to: 'role:deal_desk', deal: 'd-1', name: 'Big', stage: 'proposal', acv: 120000, threshold: 100000 },
      ':moneybag: Deal desk review: *Big* at *proposal* is worth 120000 a year (threshold 100000)',
    ],
    [
      'deal_change_refused',
      { to: 'rep:leo', deal: 'd-1', code: 'pipeline.required_fields_missing', message: 'amount is required' },
      ':no_entry: Deal *d-1* change was refused: amount is required',
    ],
    [
      'forecast_review',
      { to: 'rep:dan', deal: 'd-1', name: 'Big', pushes: 2, closeDate: '2026-12-31' },
      ':calendar: Forecast review: *Big* has pushed its close date 2 times, now 2026-12-31',
    ],
    [
      'cs_handoff',
      { to: 'rep:leo', deal: 'd-1', name: 'Big', kickoffDue: '2026-07-07T09:00:00.000Z' },
      ':handshake: Closed won: *Big* is handed to Leo Brandt for onboarding, kickoff due 2026-07-07',
    ],
    [
      'approval_requested',
      { to: 'role:vp_sales', approval: 'a-1', deal: { id: 'd-1', name: 'Big', amount: 90000 } },
      ':ballot_box_with_check: Approval needed from role vp_sales: *Big*',
    ],
    [
      'approval_decided',
      { to: 'rep:leo', approval: 'a-1', deal: { id: 'd-1' }, status: 'rejected', decidedBy: 'rep:dan' },
      ':white_check_mark: Approval *rejected* for *d-1* by dan',
    ],
    [
      'approval_escalated',
      { to: 'rep:dan', approval: 'a-1', deal: 'd-1', escalation: 1, waitingOn: ['role:finance'] },
      ':warning: Approval overdue (escalation 1): *d-1* waits on role finance',
    ],
    ['custom_thing', {}, ':bell: custom_thing for *Lee Number1* (Company 1)'],
  ])('%s → %s', (type, payload, expected) => {
    expect(text(type, payload)).toBe(expected);
  });

  it('without a stored lead it names the contact key and shows what the row has', () => {
    const message = slackMessage({
      row: outboxRow('assigned', { to: 'rep:ghost', rule: 'pool' }),
      people: PEOPLE,
    });
    expect(message.text).toBe(`:inbox_tray: New lead for ghost: *${LEE_KEY}*`);
    expect(message.blocks[1]).toEqual({
      type: 'section',
      fields: [{ type: 'mrkdwn', text: '*Rule*\npool' }],
    });
  });

  it('escapes the three mrkdwn control characters only', () => {
    expect(escapeMrkdwn('a < b && c > d *e*')).toBe('a &lt; b &amp;&amp; c &gt; d *e*');
  });
});
