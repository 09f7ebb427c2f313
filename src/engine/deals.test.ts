// Deals through the real engine and store, on every dialect, with the mid-market template:
// `deal` events through `engine.ingest`, strict API commands through `engine.deal` and
// `engine.decideApproval`, deal timers through `engine.fireDueTimers`. A 25% discount proposal
// waits on the VP of Sales and escalates to the owner's manager after 2 business days (New York);
// a 36-month term needs finance and legal; 29 days in negotiation (limit 21) is stale, with the
// owner's alert task stored and the manager told 7 days later; a refused strict command writes
// nothing; and the event log replays into a fresh store to the same deals.
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/support/dialects.ts';
import { runtime } from '../compose.ts';
import { safeLoadConfigText } from '../config/loader.ts';
import { readTemplate } from '../config/templates/index.ts';
import { RevopsError } from '../core/errors.ts';
import type { Store } from '../core/ports.ts';
import type { InboundEvent } from '../core/types.ts';
import { SimulatedClock } from './clock.ts';
import type { Engine } from './engine.ts';

const DAY = 86_400_000;

function midMarket() {
  const loaded = safeLoadConfigText(readTemplate('mid-market'), 'mid-market.yaml');
  if (!loaded.ok) throw new Error(loaded.issues.map((i) => i.message).join('\n'));
  return loaded.config;
}
const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

const AVA = 'ava@northwind.io';
const BEN = 'ben@northwind.io';
const CY = 'cy@cobaltworks.com';

/** Monday 2026-03-02 09:00 New York (EST). */
const START = '2026-03-02T14:00:00Z';
/** The deal enters proposal: Monday 2026-03-09 10:00 EDT (the clocks went forward on the 8th). */
const PROPOSAL_AT = '2026-03-09T14:00:00Z';
/** Two business days later: Wednesday 2026-03-11 10:00 EDT. */
const APPROVAL_DUE = '2026-03-11T14:00:00Z';
/** The deal enters negotiation: Thursday 2026-03-12 11:00 EDT. */
const NEGOTIATION_AT = '2026-03-12T15:00:00Z';
/** 21 days later: the stale timer's due time. */
const STALE_DUE = '2026-04-02T15:00:00Z';
/** 29 days in negotiation: Friday 2026-04-10 11:00 EDT. */
const DAY_29 = '2026-04-10T15:00:00Z';

function identify(email: string, when: string) {
  return {
    id: `id-${email}`,
    type: 'identify',
    at: when,
    contact: {
      email,
      firstName: 'Ava',
      lastName: 'Stone',
      title: 'VP Sales',
      seniority: 'vp',
      department: 'sales',
    },
    company: {
      domain: 'northwind.io',
      name: 'Northwind',
      employees: 600,
      industry: 'Software',
      country: 'US',
      state: 'NY',
    },
  };
}

function dealEvent(id: string, when: string, properties: Record<string, unknown>, email = AVA) {
  return { id, type: 'deal', at: when, source: 'crm', contact: { email }, properties };
}

/** D-100 from creation to proposal (25% off, 12 months, $36,000), by CRM events. */
const TO_PROPOSAL = [
  identify(AVA, START),
  dealEvent('d-1', '2026-03-02T15:00:00Z', {
    action: 'created',
    dealId: 'D-100',
    name: 'Northwind platform',
    owner: 'sofia',
    amount: 36000,
    source: 'demo_request',
    fitScore: 72,
    closeDate: '2026-06-30',
  }),
  dealEvent('d-2', '2026-03-03T15:00:00Z', {
    action: 'stage_changed',
    dealId: 'D-100',
    stage: 'discovery',
    painPoints: 'Lead routing by spreadsheet',
    currentSolution: 'Spreadsheets',
    timeline: 'This quarter',
  }),
  dealEvent('d-3', '2026-03-05T15:00:00Z', {
    action: 'stage_changed',
    dealId: 'D-100',
    stage: 'demo',
    technicalRequirements: 'SSO, Salesforce sync',
    decisionMakers: ['ava@northwind.io', 'cfo@northwind.io'],
  }),
  dealEvent('d-4', PROPOSAL_AT, {
    action: 'stage_changed',
    dealId: 'D-100',
    stage: 'proposal',
    discountPercent: 25,
    termMonths: 12,
    paymentTerms: 'net-30',
    stakeholderMap: 'Ava (champion), CFO (economic buyer)',
  }),
];

const NEGOTIATION = dealEvent('d-5', NEGOTIATION_AT, {
  action: 'stage_changed',
  dealId: 'D-100',
  stage: 'negotiation',
  redlines: 'Liability cap at 12 months of fees',
  approvalChain: ['legal', 'cfo'],
});

/** The strict command error a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<RevopsError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RevopsError) return error;
    throw error;
  }
  throw new Error('the command was not refused');
}

/** Everything a store holds about deals, for before/after and store/store comparisons. */
async function snapshot(store: Store) {
  return {
    deals: await store.listDeals(),
    approvals: await store.listApprovals(),
    events: (await store.listEvents()).map((e) => e.event.id),
    outbox: (await store.listOutbox()).map((o) => [o.key, o.type, o.contactKey, o.at, o.payload]),
    tasks: await store.listTasks(),
    timers: (await store.listTimers()).map((t) => [t.key, t.dueAt, t.contactKey, t.payload]),
  };
}

let open: Store[] = [];
afterEach(async () => {
  for (const store of open) await store.close();
  open = [];
});

describe.each(DIALECTS)('deals on $name', (dialect) => {
  async function setup(start = START) {
    const store = await dialect.open();
    open.push(store);
    const clock = new SimulatedClock(at(start));
    const { engine } = runtime(store, midMarket(), clock);
    return { store, engine, clock };
  }

  async function ingest(engine: Engine, clock: SimulatedClock, events: readonly { at: string }[]) {
    for (const e of events) clock.advanceTo(at(e.at));
    const result = await engine.ingest(events);
    expect(result.items.map((i) => i.status)).toEqual(events.map(() => 'accepted'));
  }

  it('a 25% discount proposal waits on the VP of Sales; the desk reviews it; 2 business days later the manager hears', async () => {
    const { store, engine, clock } = await setup();
    await ingest(engine, clock, TO_PROPOSAL);

    const deal = await store.findDeal('D-100');
    expect(deal?.history.map((h) => [h.from, h.to, iso(h.at), h.cause, h.skipped])).toEqual([
      [undefined, 'qualified', '2026-03-02T15:00:00.000Z', 'd-1', []],
      ['qualified', 'discovery', '2026-03-03T15:00:00.000Z', 'd-2', []],
      ['discovery', 'demo', '2026-03-05T15:00:00.000Z', 'd-3', []],
      ['demo', 'proposal', '2026-03-09T14:00:00.000Z', 'd-4', []],
    ]);
    expect(deal?.contacts).toEqual([{ contactKey: `email:${AVA}`, role: 'primary' }]);
    expect([deal?.account, deal?.owner, deal?.amount, deal?.closeDate]).toEqual([
      'northwind.io',
      'sofia',
      36000,
      '2026-06-30',
    ]);

    const [request] = await store.listApprovals({ dealId: 'D-100' });
    expect(request).toMatchObject({
      id: 'D-100:1',
      status: 'pending',
      requestedAt: at(PROPOSAL_AT),
      requestedBy: 'rep:sofia',
      dueAt: at(APPROVAL_DUE),
      terms: { amount: 36000, discountPercent: 25, termMonths: 12, paymentTerms: 'net-30' },
      exceptions: [
        { kind: 'acv_over_threshold', detail: 'ACV $36,000 over the $25,000 threshold' },
        { kind: 'discount', detail: '25% discount' },
      ],
      escalations: [],
    });
    expect(request?.steps).toEqual([
      {
        tier: 'vp-sales',
        name: '20-40% discount',
        approvers: ['role:vp_sales'],
        mode: 'all',
        votes: [],
        status: 'pending',
      },
    ]);
    const outbox = await store.listOutbox();
    expect(
      outbox
        .filter((o) => o.type === 'approval_requested')
        .map((o) => [o.key, o.payload['to'], o.payload['dueAt']]),
    ).toEqual([['approval-requested:D-100:1:role:vp_sales', 'role:vp_sales', '2026-03-11T14:00:00.000Z']]);
    expect(outbox.filter((o) => o.type === 'deal_desk_review').map((o) => [o.key, o.payload])).toEqual([
      [
        `deal-desk:D-100:proposal:${at(PROPOSAL_AT)}`,
        {
          to: 'role:deal_desk',
          deal: 'D-100',
          name: 'Northwind platform',
          stage: 'proposal',
          acv: 36000,
          threshold: 25000,
        },
      ],
    ]);
    expect((await store.listTimers()).find((t) => t.key === 'approval-due:D-100:1')?.dueAt).toBe(
      at(APPROVAL_DUE),
    );

    // A minute early: nothing. At the due time: escalated to dan (sofia's manager).
    clock.advanceTo(at(APPROVAL_DUE) - 60_000);
    await engine.fireDueTimers(at(APPROVAL_DUE) - 60_000);
    expect((await store.listOutbox()).filter((o) => o.type === 'approval_escalated')).toEqual([]);
    clock.advanceTo(at(APPROVAL_DUE));
    await engine.fireDueTimers(at(APPROVAL_DUE));
    const escalated = (await store.listOutbox()).filter((o) => o.type === 'approval_escalated');
    expect(escalated.map((o) => [o.key, o.contactKey, iso(o.at), o.payload])).toEqual([
      [
        'approval-escalated:D-100:1:1',
        `email:${AVA}`,
        '2026-03-11T14:00:00.000Z',
        {
          to: 'rep:dan',
          recipient: 'manager',
          approval: 'D-100:1',
          deal: 'D-100',
          escalation: 1,
          waitingOn: ['role:vp_sales'],
          requestedAt: '2026-03-09T14:00:00.000Z',
          overdueSince: '2026-03-11T14:00:00.000Z',
          exceptions: [
            { kind: 'acv_over_threshold', detail: 'ACV $36,000 over the $25,000 threshold' },
            { kind: 'discount', detail: '25% discount' },
          ],
          dueAt: '2026-03-13T14:00:00.000Z',
        },
      ],
    ]);
    const after = await store.findApproval('D-100:1');
    expect([after?.status, after?.escalations, iso(after?.dueAt)]).toEqual([
      'pending',
      [{ to: 'rep:dan', at: at(APPROVAL_DUE) }],
      '2026-03-13T14:00:00.000Z',
    ]);

    // The VP approves (a strict command): decided, the owner hears, the SLA timer goes.
    clock.advanceTo(at('2026-03-11T16:00:00Z'));
    const approved = await engine.decideApproval({
      approvalId: 'D-100:1',
      approver: 'role:vp_sales',
      decision: 'approve',
      by: 'maya',
    });
    expect([approved.status, approved.decidedAt, approved.steps[0]?.votes]).toEqual([
      'approved',
      at('2026-03-11T16:00:00Z'),
      [{ approver: 'role:vp_sales', decision: 'approve', at: at('2026-03-11T16:00:00Z'), by: 'maya' }],
    ]);
    const decided = (await store.listOutbox()).find((o) => o.type === 'approval_decided');
    expect([decided?.key, decided?.payload['to'], decided?.payload['status']]).toEqual([
      'approval-decided:D-100:1',
      'rep:sofia',
      'approved',
    ]);
    expect((await store.listTimers()).map((t) => t.key)).not.toContain('approval-due:D-100:1');
  });

  it('29 days in negotiation (limit 21): the timer makes the deal stale, stores the alert task, tells the manager 7 days later', async () => {
    const { store, engine, clock } = await setup();
    await ingest(engine, clock, TO_PROPOSAL);
    await ingest(engine, clock, [NEGOTIATION]);
    const stale = (await store.listTimers()).find((t) => t.key === 'deal-stale:D-100');
    expect([stale?.dueAt, stale?.payload]).toEqual([
      at(STALE_DUE),
      {
        kind: 'deal_stale',
        deal: 'D-100',
        stage: 'negotiation',
        enteredAt: at(NEGOTIATION_AT),
        basis: 'limit',
        limitMs: 21 * DAY,
      },
    ]);

    clock.advanceTo(at(DAY_29));
    await engine.fireDueTimers(at(DAY_29));
    const deal = await store.findDeal('D-100');
    expect(deal?.flags.stale).toEqual({
      stage: 'negotiation',
      since: at(STALE_DUE),
      basis: 'limit',
      limitMs: 21 * DAY,
      managerAlerted: false,
    });
    const taskKey = `task:deal:D-100:stale:${at(NEGOTIATION_AT)}`;
    // Friday 11:00 EDT + 3 business days = Wednesday 2026-04-15 11:00 EDT.
    expect((await store.listTasks()).filter((t) => t.key === taskKey)).toEqual([
      {
        key: taskKey,
        contactKey: `email:${AVA}`,
        title: 'Update or close the deal: Northwind platform (29 days in Negotiation)',
        assignee: 'rep:sofia',
        dueAt: at('2026-04-15T15:00:00Z'),
        createdAt: at(DAY_29),
        status: 'open',
      },
    ]);
    expect(
      (await store.listOutbox())
        .filter((o) => o.type === 'deal_stale')
        .map((o) => [o.key, o.contactKey, iso(o.at), o.payload]),
    ).toEqual([
      [
        `deal-stale:D-100:${at(NEGOTIATION_AT)}`,
        `email:${AVA}`,
        '2026-04-10T15:00:00.000Z',
        {
          to: 'rep:sofia',
          deal: 'D-100',
          name: 'Northwind platform',
          stage: 'negotiation',
          daysInStage: 29,
          basis: 'limit',
          limitDays: 21,
        },
      ],
    ]);
    const manager = (await store.listTimers()).find((t) => t.key === 'deal-stale-manager:D-100');
    expect(iso(manager?.dueAt)).toBe('2026-04-17T15:00:00.000Z');

    clock.advanceTo(at('2026-04-17T15:00:00Z'));
    await engine.fireDueTimers(at('2026-04-17T15:00:00Z'));
    expect((await store.findDeal('D-100'))?.flags.stale?.managerAlerted).toBe(true);
    expect(
      (await store.listOutbox())
        .filter((o) => o.type === 'deal_stale_manager')
        .map((o) => [o.payload['to'], o.payload['daysInStage']]),
    ).toEqual([['rep:dan', 36]]);
  });

  it('a deal that left negotiation before day 21 is not flagged when its old timer fires', async () => {
    const { store, engine, clock } = await setup();
    await ingest(engine, clock, [...TO_PROPOSAL, NEGOTIATION]);
    await ingest(engine, clock, [
      dealEvent('d-6', '2026-03-20T15:00:00Z', {
        action: 'closed_won',
        dealId: 'D-100',
        signedContract: true,
      }),
    ]);
    expect((await store.listTimers()).map((t) => t.key)).not.toContain('deal-stale:D-100');
    clock.advanceTo(at(DAY_29));
    await engine.fireDueTimers(at(DAY_29));
    const deal = await store.findDeal('D-100');
    expect([deal?.status, deal?.flags.stale]).toEqual(['won', undefined]);
    expect((await store.listOutbox()).filter((o) => o.type === 'deal_stale')).toEqual([]);
  });

  it('closed won: grace (CS) gets the kickoff 2 business days later, the sequences stop, the contact becomes a customer', async () => {
    const { store, engine, clock } = await setup();
    await ingest(engine, clock, [...TO_PROPOSAL, NEGOTIATION]);
    // Thursday 2026-07-02 11:00 EDT; Friday 3 July is Independence Day (observed).
    await ingest(engine, clock, [
      dealEvent('d-6', '2026-07-02T15:00:00Z', {
        action: 'closed_won',
        dealId: 'D-100',
        signedContract: true,
      }),
    ]);
    const deal = await store.findDeal('D-100');
    expect([deal?.stage, deal?.status, iso(deal?.closedAt), deal?.csOwner]).toEqual([
      'closed_won',
      'won',
      '2026-07-02T15:00:00.000Z',
      'grace',
    ]);
    const kickoff = (await store.listTasks()).find((t) => t.key === 'task:deal:D-100:kickoff');
    expect([kickoff?.title, kickoff?.assignee, iso(kickoff?.dueAt)]).toEqual([
      'Schedule kickoff call with Northwind',
      'rep:grace',
      '2026-07-07T15:00:00.000Z',
    ]);
    const outbox = await store.listOutbox();
    expect(outbox.find((o) => o.type === 'cs_handoff')?.payload).toEqual({
      to: 'rep:grace',
      deal: 'D-100',
      name: 'Northwind platform',
      amount: 36000,
      salesOwner: 'sofia',
      contacts: [`email:${AVA}`],
      kickoffDue: '2026-07-07T15:00:00.000Z',
    });
    expect(outbox.filter((o) => o.key.startsWith('sequence-stop:')).map((o) => [o.key, o.payload])).toEqual([
      [
        `sequence-stop:D-100:email:${AVA}`,
        { op: 'stop', sequence: 'sales', reason: 'deal D-100 closed won' },
      ],
    ]);
    expect((await store.listContacts()).find((c) => c.key === `email:${AVA}`)?.stage).toBe('customer');

    // Closed: a later move is refused (strict) and writes nothing.
    const before = await snapshot(store);
    const error = await refusal(
      engine.deal({ action: 'stage_changed', dealId: 'D-100', stage: 'negotiation' }),
    );
    expect([error.code, error.message]).toEqual([
      'pipeline.deal_closed',
      'deal `D-100` is closed (closed_won); it cannot move to negotiation',
    ]);
    expect(await snapshot(store)).toEqual(before);
  });

  // Every contact on a won deal becomes a customer (pipeline.closedWon.contactsBecome), not only the
  // contact the closed_won event names: Ben, the deal's champion, follows.
  it('closed won moves every contact on the deal to `contactsBecome` (customer)', async () => {
    const { store, engine, clock } = await setup();
    await ingest(engine, clock, [...TO_PROPOSAL, NEGOTIATION]);
    await ingest(engine, clock, [
      dealEvent(
        'd-ben',
        '2026-03-13T15:00:00Z',
        { action: 'updated', dealId: 'D-100', role: 'champion' },
        BEN,
      ),
    ]);
    expect((await store.findDeal('D-100'))?.contacts.map((c) => [c.contactKey, c.role])).toEqual([
      [`email:${AVA}`, 'primary'],
      [`email:${BEN}`, 'champion'],
    ]);
    await ingest(engine, clock, [
      dealEvent('d-6', '2026-03-20T15:00:00Z', {
        action: 'closed_won',
        dealId: 'D-100',
        signedContract: true,
      }),
    ]);
    const stages = new Map((await store.listContacts()).map((c) => [c.key, c.stage]));
    expect([stages.get(`email:${AVA}`), stages.get(`email:${BEN}`)]).toEqual(['customer', 'customer']);
  });

  it('a 36-month term needs finance AND legal (strict commands); others cannot vote', async () => {
    const { store, engine, clock } = await setup();
    const command = async (request: Parameters<Engine['deal']>[0], when: string) => {
      clock.advanceTo(at(when));
      return engine.deal(Object.assign({ at: at(when) }, request));
    };
    const created = await command(
      {
        action: 'created',
        dealId: 'D-200',
        contact: CY,
        fields: {
          name: 'Cobalt Works 3-year',
          owner: 'sofia',
          amount: 90000,
          source: 'outbound',
          fitScore: 64,
        },
      },
      '2026-03-02T15:00:00Z',
    );
    expect([created.stage, created.account, created.contacts]).toEqual([
      'qualified',
      'cobaltworks.com',
      [{ contactKey: `email:${CY}`, role: 'primary' }],
    ]);
    await command(
      {
        action: 'stage_changed',
        dealId: 'D-200',
        stage: 'discovery',
        fields: { painPoints: 'Renewals', currentSolution: 'Spreadsheets', timeline: 'Q2' },
      },
      '2026-03-03T15:00:00Z',
    );
    await command(
      {
        action: 'stage_changed',
        dealId: 'D-200',
        stage: 'demo',
        fields: { technicalRequirements: 'SSO', decisionMakers: ['cfo@cobaltworks.com'] },
      },
      '2026-03-04T15:00:00Z',
    );
    const proposal = await command(
      {
        action: 'stage_changed',
        dealId: 'D-200',
        stage: 'proposal',
        fields: { discountPercent: 0, termMonths: 36, paymentTerms: 'net-30', stakeholderMap: 'CFO signs' },
      },
      '2026-03-05T15:00:00Z',
    );
    expect(proposal.stage).toBe('proposal');

    const request = await store.findApproval('D-200:1');
    expect(request?.status).toBe('pending');
    expect(request?.exceptions.map((e) => e.kind)).toEqual(['acv_over_threshold', 'multi_year']);
    expect(request?.steps.map((s) => [s.tier, s.approvers, s.mode, s.status])).toEqual([
      ['standard', [], 'all', 'approved'],
      ['multi-year', ['role:finance', 'role:legal'], 'all', 'pending'],
    ]);
    // $90,000 over 36 months is $30,000 a year: over the $25,000 threshold.
    expect(
      (await store.listOutbox()).filter((o) => o.type === 'deal_desk_review').map((o) => o.payload['acv']),
    ).toEqual([30000]);
    expect(
      (await store.listOutbox()).filter((o) => o.type === 'approval_requested').map((o) => o.payload['to']),
    ).toEqual(['role:finance', 'role:legal']);

    clock.advanceTo(at('2026-03-05T16:00:00Z'));
    const finance = await engine.decideApproval({
      approvalId: 'D-200:1',
      approver: 'role:finance',
      decision: 'approve',
      at: at('2026-03-05T16:00:00Z'),
    });
    expect([
      finance.status,
      finance.steps[1]?.status,
      finance.steps[1]?.votes.map((v) => v.approver),
    ]).toEqual(['pending', 'pending', ['role:finance']]);

    // Not on the request: refused, nothing written.
    const before = await snapshot(store);
    const outsider = await refusal(
      engine.decideApproval({ approvalId: 'D-200:1', approver: 'role:vp_sales', decision: 'approve' }),
    );
    expect([outsider.code, outsider.message]).toEqual([
      'approval.not_an_approver',
      'role:vp_sales is not an approver of approval D-200:1; it waits on role:legal',
    ]);
    const twice = await refusal(
      engine.decideApproval({ approvalId: 'D-200:1', approver: 'role:finance', decision: 'approve' }),
    );
    expect(twice.code).toBe('approval.invalid_request');
    expect(await snapshot(store)).toEqual(before);

    const legal = await engine.decideApproval({
      approvalId: 'D-200:1',
      approver: 'role:legal',
      decision: 'approve',
      at: at('2026-03-05T17:00:00Z'),
    });
    expect([legal.status, legal.decidedAt, legal.steps.map((s) => s.status)]).toEqual([
      'approved',
      at('2026-03-05T17:00:00Z'),
      ['approved', 'approved'],
    ]);
    // Decided: a third approver is refused as well.
    const third = await refusal(
      engine.decideApproval({ approvalId: 'D-200:1', approver: 'role:deal_desk', decision: 'approve' }),
    );
    expect([third.code, third.message]).toEqual([
      'approval.not_pending',
      'approval D-200:1 is already approved',
    ]);
  });

  it('a refused strict command leaves no event and no deal change', async () => {
    const { store, engine, clock } = await setup();
    clock.advanceTo(at('2026-03-02T15:00:00Z'));
    await engine.deal({
      action: 'created',
      dealId: 'D-300',
      contact: CY,
      fields: {
        name: 'Cobalt pilot',
        owner: 'sofia',
        amount: 8000,
        source: 'outbound',
        fitScore: 55,
        closeDate: '2026-06-30',
      },
    });
    const before = await snapshot(store);
    expect(before.events).toHaveLength(1);
    clock.advanceTo(at('2026-03-03T15:00:00Z'));
    // Into demo without its fields, changing the amount on the way: all or nothing.
    const missing = await refusal(
      engine.deal({
        action: 'stage_changed',
        dealId: 'D-300',
        stage: 'demo',
        fields: { amount: 9000, timeline: 'Q3' },
      }),
    );
    expect([missing.code, missing.message, missing.hint]).toEqual([
      'pipeline.required_fields_missing',
      'Demo / evaluation needs Technical requirements (`technicalRequirements`), Decision makers (`decisionMakers`) before deal `D-300` can enter it',
      'fill technicalRequirements, decisionMakers and move it again',
    ]);
    expect(missing.issues.map((i) => [i.code, i.path])).toEqual([
      ['pipeline.required_fields_missing', ['technicalRequirements']],
      ['pipeline.required_fields_missing', ['decisionMakers']],
    ]);
    // A push without a reason, with another change beside it.
    const push = await refusal(
      engine.deal({
        action: 'close_date_changed',
        dealId: 'D-300',
        fields: { closeDate: '2026-09-30', amount: 9500 },
      }),
    );
    expect(push.code).toBe('pipeline.push_reason_required');
    const blocked = await refusal(engine.deal({ action: 'stage_changed', dealId: 'D-300', stage: 'won' }));
    expect(blocked.code).toBe('pipeline.unknown_stage');
    expect(await snapshot(store)).toEqual(before);

    // With the reason the push is taken and recorded.
    const pushed = await engine.deal({
      action: 'close_date_changed',
      dealId: 'D-300',
      fields: { closeDate: '2026-09-30' },
      reason: 'budget moves to Q3',
    });
    expect(pushed.pushes).toEqual([
      {
        at: at('2026-03-03T15:00:00Z'),
        from: '2026-06-30',
        to: '2026-09-30',
        slipDays: 92,
        reason: 'budget moves to Q3',
        cause: (await store.listEvents()).at(-1)?.event.id,
      },
    ]);
  });

  it('creation: a strict command with empty entry fields is refused; the same as a CRM event creates the deal and tells the owner', async () => {
    const { store, engine, clock } = await setup();
    clock.advanceTo(at('2026-03-02T15:00:00Z'));
    const error = await refusal(
      engine.deal({
        action: 'created',
        dealId: 'D-400',
        contact: CY,
        fields: { name: 'Cobalt', owner: 'sofia' },
      }),
    );
    expect([error.code, error.issues.map((i) => i.path)]).toEqual([
      'pipeline.required_fields_missing',
      [['source'], ['fitScore']],
    ]);
    expect(await store.findDeal('D-400')).toBeUndefined();
    expect(await store.listEvents()).toEqual([]);

    await ingest(engine, clock, [
      dealEvent(
        'crm-1',
        '2026-03-02T15:00:00Z',
        { action: 'created', dealId: 'D-400', name: 'Cobalt', owner: 'sofia' },
        CY,
      ),
    ]);
    const deal = await store.findDeal('D-400');
    expect([deal?.stage, deal?.history.length]).toEqual(['qualified', 1]);
    expect(
      (await store.listOutbox())
        .filter((o) => o.type === 'deal_fields_missing')
        .map((o) => [o.key, o.payload['to'], o.payload['missing']]),
    ).toEqual([['deal-fields-missing:D-400:crm-1', 'rep:sofia', ['source', 'fitScore']]]);
  });

  // Stage averages see the stays that ended earlier in the same batch: five deals that each spent 3
  // days in discovery, then a sixth entering discovery — its stale timer is due after 2 × 3 = 6 days
  // (basis `average`) whether the events came one per call or in one `engine.ingest` batch.
  it('a batch decides like the same events one at a time (stage averages see the batch)', async () => {
    const T = at('2026-03-02T15:00:00Z');
    const events: ReturnType<typeof dealEvent>[] = [];
    const stamp = (ms: number) => new Date(ms).toISOString();
    for (let i = 0; i < 5; i++) {
      const email = `p${i}@northwind.io`;
      events.push(
        dealEvent(
          `c${i}`,
          stamp(T + i * 1000),
          { action: 'created', dealId: `P${i}`, owner: 'sofia', source: 'x', fitScore: 50 },
          email,
        ),
        dealEvent(
          `s${i}`,
          stamp(T + DAY + i * 1000),
          {
            action: 'stage_changed',
            dealId: `P${i}`,
            stage: 'discovery',
            painPoints: 'a',
            currentSolution: 'b',
            timeline: 'c',
          },
          email,
        ),
        dealEvent(
          `m${i}`,
          stamp(T + 4 * DAY + i * 1000),
          {
            action: 'stage_changed',
            dealId: `P${i}`,
            stage: 'demo',
            technicalRequirements: 'a',
            decisionMakers: ['x'],
          },
          email,
        ),
      );
    }
    events.sort((a, b) => at(a.at) - at(b.at));
    const entered = T + 10 * DAY + 1000;
    events.push(
      dealEvent(
        'cz',
        stamp(T + 10 * DAY),
        { action: 'created', dealId: 'Z', owner: 'sofia', source: 'x', fitScore: 50 },
        'z@northwind.io',
      ),
      dealEvent(
        'sz',
        stamp(entered),
        {
          action: 'stage_changed',
          dealId: 'Z',
          stage: 'discovery',
          painPoints: 'a',
          currentSolution: 'b',
          timeline: 'c',
        },
        'z@northwind.io',
      ),
    );
    const staleTimer = async (store: Store) => {
      const timer = (await store.listTimers()).find((t) => t.key === 'deal-stale:Z');
      return [timer?.dueAt, timer?.payload['basis']];
    };
    const single = await setup(stamp(T + 20 * DAY));
    for (const e of events) await single.engine.ingest([e]);
    expect(await staleTimer(single.store)).toEqual([entered + 6 * DAY, 'average']);
    const batch = await setup(stamp(T + 20 * DAY));
    await batch.engine.ingest(events);
    expect(await staleTimer(batch.store)).toEqual([entered + 6 * DAY, 'average']);
  });

  it('replays: the deal event log run through a fresh store gives the same deals, approvals, tasks and messages', async () => {
    /** Each step: events (CRM or strict commands) or timers firing at an instant. */
    type Step = { readonly events: readonly InboundEvent[] } | { readonly fire: number };
    const script: Step[] = [];
    const first = await setup();
    let seen = 0;
    /** Runs `act` on the first store and records the events it stored. */
    const record = async (when: string, act: () => Promise<unknown>) => {
      first.clock.advanceTo(at(when));
      await act();
      const stored = await first.store.listEvents({ afterSeq: seen });
      seen = stored.at(-1)?.seq ?? seen;
      script.push({ events: stored.map((s) => s.event) });
    };
    const fire = async (when: string) => {
      first.clock.advanceTo(at(when));
      await first.engine.fireDueTimers(at(when));
      script.push({ fire: at(when) });
    };
    for (const e of TO_PROPOSAL) await record(e.at, () => first.engine.ingest([e]));
    await fire(APPROVAL_DUE);
    await record('2026-03-11T16:00:00Z', () =>
      first.engine.decideApproval({ approvalId: 'D-100:1', approver: 'role:vp_sales', decision: 'approve' }),
    );
    await record('2026-03-12T09:00:00Z', () =>
      first.engine.deal({
        action: 'close_date_changed',
        dealId: 'D-100',
        fields: { closeDate: '2026-07-15' },
        reason: 'legal review',
      }),
    );
    await record(NEGOTIATION_AT, () => first.engine.ingest([NEGOTIATION]));
    await record('2026-03-13T15:00:00Z', () =>
      first.engine.ingest([
        dealEvent(
          'd-ben',
          '2026-03-13T15:00:00Z',
          { action: 'updated', dealId: 'D-100', role: 'champion' },
          BEN,
        ),
      ]),
    );
    await fire(DAY_29);
    await record('2026-04-13T15:00:00Z', () =>
      first.engine.ingest([
        dealEvent('d-push', '2026-04-13T15:00:00Z', {
          action: 'close_date_changed',
          dealId: 'D-100',
          closeDate: '2026-08-31',
          reason: 'CFO on leave',
        }),
      ]),
    );
    await fire('2026-04-20T15:00:00Z');
    await record('2026-07-02T15:00:00Z', () =>
      first.engine.deal({ action: 'closed_won', dealId: 'D-100', fields: { signedContract: true } }),
    );
    await fire('2026-07-08T15:00:00Z');

    const original = await snapshot(first.store);
    const d = original.deals[0];
    expect([d?.stage, d?.pushes.length, d?.flags.forecastReview, d?.csOwner]).toEqual([
      'closed_won',
      2,
      true,
      'grace',
    ]);
    expect(original.events).toHaveLength(11);
    const types = new Set(original.outbox.map((o) => o[1]));
    for (const type of [
      'approval_escalated',
      'approval_decided',
      'deal_stale',
      'deal_stale_manager',
      'forecast_review',
      'cs_handoff',
    ])
      expect(types).toContain(type);

    const second = await setup();
    for (const step of script) {
      if ('fire' in step) {
        second.clock.advanceTo(step.fire);
        await second.engine.fireDueTimers(step.fire);
        continue;
      }
      for (const e of step.events) second.clock.advanceTo(e.at);
      const result = await second.engine.ingest(
        step.events.map((e) => ({
          id: e.id,
          type: e.type,
          at: new Date(e.at).toISOString(),
          source: e.source,
          contact: e.contact,
          company: e.company,
          properties: e.properties,
        })),
      );
      expect(result.accepted).toBe(step.events.length);
    }
    expect(await snapshot(second.store)).toEqual(original);
  });
});
