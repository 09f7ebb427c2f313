// What a deal command does (revops-SKILL.md "Pipeline Stage Management", mid-market template):
// required fields per stage (`false`, blank text and empty lists are empty), stage skips flagged or
// blocked, closed deals frozen, the deal desk asked on entering proposal, the customer-success
// handoff at closed won (kickoff 2 business days later in New York business time), and strict (API)
// against lenient (event) creation. A refused move keeps the rest of the command.
import { describe, expect, it } from 'vitest';
import {
  AVA,
  BEN,
  command,
  contact,
  DAY,
  deal,
  env,
  FILLED,
  modelWith,
  NEW_BUSINESS,
  outboxes,
  T0,
  tasks,
  at as instant,
} from './__fixtures__/builders.ts';
import type { Effect } from '../effects.ts';
import { annualValue, decideDeal, skippedStages } from './decide.ts';
import type { ApprovalRequest, DealFieldValue, DealState } from './types.ts';

const without = (...ids: string[]): Record<string, DealFieldValue> =>
  Object.fromEntries(Object.entries(FILLED).filter(([k]) => !ids.includes(k)));

describe('required fields', () => {
  const discovery = () => deal('discovery', { fields: without('technicalRequirements', 'decisionMakers') });

  it('moving to demo without technicalRequirements and decisionMakers is refused; the other fields apply', () => {
    const at = T0 + DAY;
    const before = discovery();
    const decision = decideDeal(
      before,
      command('stage_changed', {
        stage: 'demo',
        at,
        cause: 'ev-demo',
        changes: { timeline: 'Next month', amount: 42000 },
      }),
      env(),
    );
    const message =
      'Demo / evaluation needs Technical requirements (`technicalRequirements`), Decision makers (`decisionMakers`) before deal `d1` can enter it';
    expect(decision.refusal).toEqual({
      code: 'pipeline.required_fields_missing',
      message,
      hint: 'fill technicalRequirements, decisionMakers and move it again',
      missing: ['technicalRequirements', 'decisionMakers'],
    });
    expect(decision.move).toBeUndefined();
    expect(decision.deal).toEqual(
      Object.assign({}, before, {
        amount: 42000,
        fields: Object.assign({}, before.fields, { timeline: 'Next month' }),
        updatedAt: at,
      }),
    );
    expect(decision.effects).toEqual([
      {
        kind: 'outbox',
        key: 'deal-refused:d1:ev-demo',
        type: 'deal_change_refused',
        contactKey: AVA,
        at,
        payload: {
          to: 'rep:sofia',
          deal: 'd1',
          code: 'pipeline.required_fields_missing',
          message,
          missing: ['technicalRequirements', 'decisionMakers'],
        },
      },
    ]);
  });

  it('the fields sent with the move count: filling them in the same command moves the deal', () => {
    const decision = decideDeal(
      discovery(),
      command('stage_changed', {
        stage: 'demo',
        changes: { technicalRequirements: 'SSO', decisionMakers: ['cfo@northwind.io'] },
      }),
      env(),
    );
    expect(decision.refusal).toBeUndefined();
    expect(decision.deal?.stage).toBe('demo');
  });

  it.each<[string, Record<string, DealFieldValue>]>([
    ['blank text and an empty list', { technicalRequirements: '   ', decisionMakers: [] }],
    ['null', { technicalRequirements: null, decisionMakers: null }],
    ['empty text and an empty list', { technicalRequirements: '', decisionMakers: [] }],
  ])('%s count as empty', (_name, changes) => {
    const decision = decideDeal(
      deal('discovery'),
      command('stage_changed', { stage: 'demo', changes }),
      env(),
    );
    expect(decision.refusal?.missing).toEqual(['technicalRequirements', 'decisionMakers']);
    expect(decision.deal?.stage).toBe('discovery');
  });

  it('a value of the wrong type for a declared field is refused before any move', () => {
    const decision = decideDeal(
      deal('discovery'),
      command('stage_changed', {
        stage: 'demo',
        changes: { technicalRequirements: false, decisionMakers: ['CTO'] },
      }),
      env(),
    );
    expect(decision.refusal).toMatchObject({
      code: 'pipeline.invalid_request',
      message: '`technicalRequirements` must be text',
    });
    expect(decision.deal).toBeUndefined();
  });

  it('closed won needs a signed contract: `signedContract: false` is empty', () => {
    const decision = decideDeal(
      deal('negotiation'),
      command('closed_won', { changes: { signedContract: false } }),
      env(),
    );
    expect(decision.refusal?.code).toBe('pipeline.required_fields_missing');
    expect(decision.refusal?.missing).toEqual(['signedContract']);
    expect(decision.deal?.status).toBe('open');
    expect(decision.deal?.fields['signedContract']).toBe(false);
  });

  it('closed lost to a competitor needs the competitor', () => {
    const decision = decideDeal(
      deal('negotiation'),
      command('closed_lost', { changes: { lossReason: 'competitor' } }),
      env(),
    );
    expect(decision.refusal).toEqual({
      code: 'pipeline.required_fields_missing',
      message: 'Closed lost needs Competitor (`competitor`) before deal `d1` can enter it',
      hint: 'fill competitor and move it again',
      missing: ['competitor'],
    });
    expect(decision.deal?.stage).toBe('negotiation');
    expect(decision.deal?.fields['lossReason']).toBe('competitor');
  });

  it('closed lost needs a loss reason; with the competitor named it closes lost', () => {
    expect(decideDeal(deal('demo'), command('closed_lost'), env()).refusal?.missing).toEqual(['lossReason']);
    const at = T0 + DAY;
    const decision = decideDeal(
      deal('demo'),
      command('closed_lost', { at, changes: { lossReason: 'competitor', competitor: 'Acme CRM' } }),
      env(),
    );
    expect(decision.refusal).toBeUndefined();
    expect([decision.deal?.stage, decision.deal?.status, decision.deal?.closedAt]).toEqual([
      'closed_lost',
      'lost',
      at,
    ]);
    expect(decision.move).toEqual({ from: 'demo', to: 'closed_lost', at, cause: 'ev-1', skipped: [] });
    expect(tasks(decision.effects).map((t) => [t.title, t.assignee])).toEqual([
      ['Log the loss reason for the win/loss review', 'rep:sofia'],
    ]);
    expect(decision.contactsBecome).toBeUndefined();
  });
});

describe('stage skips', () => {
  it('skippedStages: the open stages between, forward moves into open or won stages only', () => {
    expect(skippedStages(NEW_BUSINESS, 'qualified', 'proposal')).toEqual(['discovery', 'demo']);
    expect(skippedStages(NEW_BUSINESS, 'qualified', 'closed_won')).toEqual([
      'discovery',
      'demo',
      'proposal',
      'negotiation',
    ]);
    expect(skippedStages(NEW_BUSINESS, 'qualified', 'discovery')).toEqual([]);
    expect(skippedStages(NEW_BUSINESS, 'qualified', 'closed_lost')).toEqual([]);
    expect(skippedStages(NEW_BUSINESS, 'negotiation', 'closed_won')).toEqual([]);
    expect(skippedStages(NEW_BUSINESS, 'proposal', 'qualified')).toEqual([]);
    expect(skippedStages(NEW_BUSINESS, 'nowhere', 'proposal')).toEqual([]);
  });

  it('qualified → proposal is flagged: skipped discovery and demo, and the owner hears', () => {
    const at = T0 + DAY;
    const decision = decideDeal(
      deal('qualified'),
      command('stage_changed', { stage: 'proposal', at, cause: 'ev-skip' }),
      env(),
    );
    expect(decision.refusal).toBeUndefined();
    expect(decision.move).toEqual({
      from: 'qualified',
      to: 'proposal',
      at,
      cause: 'ev-skip',
      skipped: ['discovery', 'demo'],
    });
    expect(decision.deal?.stage).toBe('proposal');
    expect(decision.deal?.stageEnteredAt).toBe(at);
    expect(decision.deal?.flags).toEqual({ skipped: ['discovery', 'demo'], forecastReview: false });
    expect(decision.deal?.history.at(-1)).toEqual(decision.move);
    expect(outboxes(decision.effects, 'deal_stage_skipped')).toEqual([
      {
        kind: 'outbox',
        key: `deal-skip:d1:${at}`,
        type: 'deal_stage_skipped',
        at,
        payload: {
          to: 'rep:sofia',
          deal: 'd1',
          from: 'qualified',
          stage: 'proposal',
          skipped: ['discovery', 'demo'],
        },
      },
    ]);
  });

  it('with `skips: block` the same move is refused and the deal stays in qualified', () => {
    const decision = decideDeal(
      deal('qualified'),
      command('stage_changed', { stage: 'proposal', cause: 'ev-skip' }),
      env({ model: modelWith({ skips: 'block' }) }),
    );
    expect(decision.refusal).toEqual({
      code: 'pipeline.stage_skip_blocked',
      message:
        'moving deal `d1` from qualified to proposal skips discovery, demo, and pipeline `new-business` blocks skips',
      hint: 'move it through discovery → demo first',
    });
    expect(decision.move).toBeUndefined();
    expect(decision.deal?.stage).toBe('qualified');
    expect(decision.deal?.flags.skipped).toEqual([]);
    expect(outboxes(decision.effects).map((e) => e.type)).toEqual(['deal_change_refused']);
  });

  it('losing from qualified is not a skip, even where skips are blocked', () => {
    for (const skips of ['flag', 'block'] as const) {
      const decision = decideDeal(
        deal('qualified'),
        command('closed_lost', { changes: { lossReason: 'no_budget' } }),
        env({ model: modelWith({ skips }) }),
      );
      expect(decision.refusal).toBeUndefined();
      expect(decision.move?.skipped).toEqual([]);
      expect(decision.deal?.flags.skipped).toEqual([]);
      expect(outboxes(decision.effects, 'deal_stage_skipped')).toEqual([]);
    }
  });
});

describe('closed deals', () => {
  const won = (): DealState =>
    decideDeal(deal('negotiation'), command('closed_won', { changes: { signedContract: true } }), env())
      .deal!;

  it.each([
    ['stage_changed', 'negotiation'],
    ['closed_lost', 'closed_lost'],
  ] as const)('a won deal refuses %s (to %s): pipeline.deal_closed', (action, to) => {
    const before = won();
    const decision = decideDeal(
      before,
      command(action, {
        at: T0 + 3 * DAY,
        ...(action === 'stage_changed' ? { stage: to } : {}),
        changes: { lossReason: 'budget' },
      }),
      env(),
    );
    expect(decision.refusal).toEqual({
      code: 'pipeline.deal_closed',
      message: `deal \`d1\` is closed (closed_won); it cannot move to ${to}`,
      hint: 'open a new deal for new business',
    });
    expect([decision.deal?.stage, decision.deal?.status, decision.deal?.history]).toEqual([
      'closed_won',
      'won',
      before.history,
    ]);
  });
});

describe('closed won: the customer-success handoff', () => {
  /** Thursday 2026-07-02 15:00 UTC = 11:00 EDT; Friday 3 July is Independence Day (observed). */
  const WON_AT = instant('2026-07-02T15:00:00Z');
  /** Two business days: Monday 6 July, Tuesday 7 July 11:00 EDT. */
  const KICKOFF_DUE = instant('2026-07-07T15:00:00Z');
  const negotiation = () =>
    deal('negotiation', {
      contacts: [
        { contactKey: AVA, role: 'primary' },
        { contactKey: BEN, role: 'champion' },
      ],
    });

  it('the CS owner gets the kickoff task 2 business days later, sales sequences stop, contacts become customers', () => {
    const decision = decideDeal(
      negotiation(),
      command('closed_won', { at: WON_AT, cause: 'ev-won', changes: { signedContract: true } }),
      env({ contact: contact(), csOwner: () => 'grace' }),
    );
    expect(decision.refusal).toBeUndefined();
    expect(decision.contactsBecome).toBe('customer');
    expect(decision.deal).toMatchObject({
      stage: 'closed_won',
      status: 'won',
      closedAt: WON_AT,
      stageEnteredAt: WON_AT,
      csOwner: 'grace',
    });
    const title = 'Schedule kickoff call with Northwind';
    const effects: Effect[] = [
      { kind: 'cancelTimer', key: 'deal-stale:d1' },
      { kind: 'cancelTimer', key: 'deal-stale-manager:d1' },
      {
        kind: 'task',
        key: 'task:deal:d1:kickoff',
        contactKey: AVA,
        title,
        assignee: 'rep:grace',
        dueAt: KICKOFF_DUE,
        createdAt: WON_AT,
        status: 'open',
      },
      {
        kind: 'timer',
        key: 'task-due:task:deal:d1:kickoff',
        dueAt: KICKOFF_DUE,
        contactKey: AVA,
        payload: { kind: 'task_due', task: 'task:deal:d1:kickoff', title, assignee: 'rep:grace' },
      },
      {
        kind: 'outbox',
        key: 'cs-handoff:d1',
        type: 'cs_handoff',
        contactKey: AVA,
        at: WON_AT,
        payload: {
          to: 'rep:grace',
          deal: 'd1',
          name: 'Northwind platform',
          amount: 36000,
          salesOwner: 'sofia',
          contacts: [AVA, BEN],
          kickoffDue: '2026-07-07T15:00:00.000Z',
        },
      },
      {
        kind: 'outbox',
        key: `sequence-stop:d1:${AVA}`,
        type: 'sequence',
        contactKey: AVA,
        at: WON_AT,
        payload: { op: 'stop', sequence: 'sales', reason: 'deal d1 closed won' },
      },
      {
        kind: 'outbox',
        key: `sequence-stop:d1:${BEN}`,
        type: 'sequence',
        contactKey: BEN,
        at: WON_AT,
        payload: { op: 'stop', sequence: 'sales', reason: 'deal d1 closed won' },
      },
    ];
    expect(decision.effects).toEqual(effects);
  });

  it('nobody free on the CS team: the kickoff goes to team:cs and no CS owner is recorded', () => {
    const decision = decideDeal(
      negotiation(),
      command('closed_won', { at: WON_AT, changes: { signedContract: true } }),
      env({ csOwner: () => undefined }),
    );
    expect(decision.deal?.csOwner).toBeUndefined();
    expect(tasks(decision.effects).map((t) => [t.assignee, t.title, t.dueAt])).toEqual([
      // Without the contact's company name the deal's name stands in.
      ['team:cs', 'Schedule kickoff call with Northwind platform', KICKOFF_DUE],
    ]);
    expect(outboxes(decision.effects, 'cs_handoff')[0]?.payload['to']).toBe('team:cs');
  });
});

describe('request_approval on entering proposal', () => {
  function asked(fields: Record<string, DealFieldValue>, amount: number) {
    const calls: { deal: DealState; at: number }[] = [];
    const request = { id: 'd1:1', dealId: 'd1', status: 'pending' } as ApprovalRequest;
    const requested: Effect = {
      kind: 'outbox',
      key: 'approval-requested:d1:1:role:vp_sales',
      type: 'approval_requested',
      at: T0 + DAY,
      payload: { to: 'role:vp_sales' },
    };
    const decision = decideDeal(
      deal('demo', { amount, fields: Object.assign({}, FILLED, fields) }),
      command('stage_changed', { stage: 'proposal', at: T0 + DAY }),
      env({
        dealDeskThreshold: 25000,
        requestApproval: (d, at) => {
          calls.push({ deal: d, at });
          return { request, effects: [requested] };
        },
      }),
    );
    return { calls, decision, request, requested };
  }

  it('asks the deal desk once with the deal as it enters; above $25K ACV the desk reviews it', () => {
    const { calls, decision, request, requested } = asked({ discountPercent: 25 }, 36000);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.at).toBe(T0 + DAY);
    expect([calls[0]?.deal.stage, calls[0]?.deal.fields['discountPercent']]).toEqual(['proposal', 25]);
    expect(decision.approvals).toEqual([request]);
    expect(decision.effects).toContainEqual(requested);
    expect(outboxes(decision.effects, 'deal_desk_review')).toEqual([
      {
        kind: 'outbox',
        key: `deal-desk:d1:proposal:${T0 + DAY}`,
        type: 'deal_desk_review',
        contactKey: AVA,
        at: T0 + DAY,
        payload: {
          to: 'role:deal_desk',
          deal: 'd1',
          name: 'Northwind platform',
          stage: 'proposal',
          acv: 36000,
          threshold: 25000,
        },
      },
    ]);
  });

  it.each([
    ['$25,000 a year is not above the threshold', {}, 25000, undefined],
    ['$90,000 over 36 months is $30,000 a year: reviewed', { termMonths: 36 }, 90000, 30000],
    ['$60,000 over 36 months is $20,000 a year: not reviewed', { termMonths: 36 }, 60000, undefined],
  ] as const)('%s', (_name, fields, amount, acv) => {
    const { calls, decision } = asked(fields, amount);
    expect(calls).toHaveLength(1);
    expect(outboxes(decision.effects, 'deal_desk_review').map((e) => e.payload['acv'])).toEqual(
      acv === undefined ? [] : [acv],
    );
  });

  it('annualValue spreads multi-year amounts over their years', () => {
    expect(annualValue(deal('proposal', { amount: 90000, fields: { termMonths: 36 } }))).toBe(30000);
    expect(annualValue(deal('proposal', { amount: 12000, fields: { termMonths: 6 } }))).toBe(12000);
    expect(annualValue(deal('proposal', { amount: undefined }))).toBeUndefined();
  });

  it('other stages never ask', () => {
    let calls = 0;
    decideDeal(
      deal('proposal'),
      command('stage_changed', { stage: 'negotiation' }),
      env({ requestApproval: () => ((calls += 1), undefined) }),
    );
    expect(calls).toBe(0);
  });
});

describe('creation: strict (API) against lenient (events)', () => {
  const at = T0;
  const create = command('created', {
    dealId: 'd2',
    at,
    cause: 'ev-new',
    changes: { name: 'Northwind pilot', owner: 'sofia', amount: 10000 },
    contact: { key: AVA },
    account: 'northwind.io',
  });
  const message = 'Qualified needs Source (`source`), Fit score (`fitScore`) before deal `d2` can enter it';

  it('strict: a creation with empty entry fields is refused and nothing is kept', () => {
    expect(decideDeal(undefined, create, env({ strict: true }))).toEqual({
      deal: undefined,
      effects: [],
      approvals: [],
      refusal: {
        code: 'pipeline.required_fields_missing',
        message,
        hint: 'fill source, fitScore and move it again',
        missing: ['source', 'fitScore'],
      },
    });
  });

  it('lenient: the deal is created where the CRM has it, and the owner hears what is missing', () => {
    const decision = decideDeal(undefined, create, env());
    expect(decision.refusal).toBeUndefined();
    expect(decision.deal).toEqual({
      id: 'd2',
      pipeline: 'new-business',
      stage: 'qualified',
      status: 'open',
      name: 'Northwind pilot',
      owner: 'sofia',
      amount: 10000,
      account: 'northwind.io',
      currency: 'USD',
      contacts: [{ contactKey: AVA, role: 'primary' }],
      fields: {},
      createdAt: at,
      updatedAt: at,
      stageEnteredAt: at,
      history: [{ to: 'qualified', at, cause: 'ev-new', skipped: [] }],
      pushes: [],
      flags: { skipped: [], forecastReview: false },
    });
    expect(outboxes(decision.effects)).toEqual([
      {
        kind: 'outbox',
        key: 'deal-fields-missing:d2:ev-new',
        type: 'deal_fields_missing',
        contactKey: AVA,
        at,
        payload: {
          to: 'rep:sofia',
          deal: 'd2',
          code: 'pipeline.required_fields_missing',
          message,
          missing: ['source', 'fitScore'],
        },
      },
    ]);
  });

  it('strict: a complete creation passes; creating it again is `pipeline.deal_exists`', () => {
    const complete = Object.assign({}, create, {
      changes: Object.assign({}, create.changes, { source: 'demo_request', fitScore: 70 }),
    });
    const decision = decideDeal(undefined, complete, env({ strict: true }));
    expect(decision.refusal).toBeUndefined();
    expect(decision.deal?.stage).toBe('qualified');
    expect(decideDeal(decision.deal, complete, env({ strict: true })).refusal?.code).toBe(
      'pipeline.deal_exists',
    );
    // An event repeating `created` updates the deal instead.
    const again = decideDeal(
      decision.deal,
      Object.assign({}, complete, { changes: { amount: 11000 } }),
      env(),
    );
    expect([again.refusal, again.deal?.amount, again.deal?.history.length]).toEqual([undefined, 11000, 1]);
  });

  it('strict: changing an unknown deal is `pipeline.unknown_deal`; events create it where they find it', () => {
    const move = command('stage_changed', { dealId: 'd3', stage: 'discovery', contact: { key: AVA } });
    expect(decideDeal(undefined, move, env({ strict: true })).refusal?.code).toBe('pipeline.unknown_deal');
    const lenient = decideDeal(undefined, move, env());
    expect([lenient.deal?.stage, lenient.deal?.history]).toEqual([
      'discovery',
      [{ to: 'discovery', at: move.at, cause: 'ev-1', skipped: [] }],
    ]);
  });

  // An `updated`, `amount_changed` or `close_date_changed` event for a deal not seen yet creates it
  // in the first stage with its creation row, as a `created` event does (the stay counts in stage
  // averages and metrics; a later move's row has the right `from`).
  it.each(['updated', 'amount_changed', 'close_date_changed'] as const)(
    'an event `%s` for an unknown deal creates it with its creation row',
    (action) => {
      const decision = decideDeal(
        undefined,
        command(action, {
          dealId: 'd4',
          at,
          cause: 'ev-x',
          changes: { amount: 5000 },
          contact: { key: AVA },
        }),
        env(),
      );
      expect(decision.deal?.stage).toBe('qualified');
      expect(decision.deal?.history).toEqual([{ to: 'qualified', at, cause: 'ev-x', skipped: [] }]);
    },
  );

  it('a creation in a later stage records no skip', () => {
    const decision = decideDeal(
      undefined,
      Object.assign({}, create, { stage: 'proposal', changes: Object.assign({}, FILLED, create.changes) }),
      env({ strict: true, model: modelWith({ skips: 'block' }) }),
    );
    expect([decision.refusal, decision.move?.skipped]).toEqual([undefined, []]);
  });
});

describe('late commands', () => {
  // A CRM event that arrives late (its `at` before the deal's current stay began) moves the deal as
  // of that stay's start: history times never go back, and no stale timer is due in the past.
  it('a move dated before the current stay does not send the history back in time', () => {
    const inDemo = deal('demo', {}, T0 + 5 * DAY);
    const decision = decideDeal(
      inDemo,
      command('stage_changed', { stage: 'proposal', at: T0 + 2 * DAY, cause: 'ev-late' }),
      env(),
    );
    const times = decision.deal?.history.map((h) => h.at) ?? [];
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(decision.deal?.stageEnteredAt).toBeGreaterThanOrEqual(T0 + 5 * DAY);
  });
});

describe('commands refused whole', () => {
  it.each([
    ['an unknown stage', command('stage_changed', { stage: 'won' }), 'pipeline.unknown_stage'],
    ['a move with no stage', command('stage_changed'), 'pipeline.invalid_request'],
    ['a negative amount', command('updated', { changes: { amount: -1 } }), 'pipeline.invalid_request'],
    [
      'an unknown pipeline',
      command('created', { dealId: 'dx', pipeline: 'renewals' }),
      'pipeline.unknown_pipeline',
    ],
  ])('%s', (_name, cmd, code) => {
    const existing = cmd.dealId === 'd1' ? deal('discovery') : undefined;
    const decision = decideDeal(existing, cmd, env());
    expect([decision.refusal?.code, decision.deal, decision.effects]).toEqual([code, undefined, []]);
  });

  it('names the stages a pipeline has', () => {
    expect(decideDeal(deal('demo'), command('stage_changed', { stage: 'won' }), env()).refusal).toEqual({
      code: 'pipeline.unknown_stage',
      message: 'pipeline `new-business` has no stage `won`',
      hint: 'stages: qualified, discovery, demo, proposal, negotiation, closed_won, closed_lost',
    });
  });
});

describe('contacts attached by commands', () => {
  it('the first is primary, later ones `contact` unless a role is given; a role can change', () => {
    const base = deal('demo', { contacts: [] });
    const one = decideDeal(base, command('updated', { contact: { key: AVA } }), env()).deal!;
    const two = decideDeal(one, command('updated', { contact: { key: BEN } }), env()).deal!;
    expect(two.contacts).toEqual([
      { contactKey: AVA, role: 'primary' },
      { contactKey: BEN, role: 'contact' },
    ]);
    const champion = decideDeal(
      two,
      command('updated', { contact: { key: BEN, role: 'champion' } }),
      env(),
    ).deal!;
    expect(champion.contacts).toEqual([
      { contactKey: AVA, role: 'primary' },
      { contactKey: BEN, role: 'champion' },
    ]);
    // Named again without a role: it keeps its role.
    const same = decideDeal(champion, command('updated', { contact: { key: BEN } }), env()).deal!;
    expect(same.contacts).toEqual(champion.contacts);
  });
});
