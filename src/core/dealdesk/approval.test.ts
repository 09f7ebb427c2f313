import { fc, it as prop } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RevopsError } from '../errors.ts';
import type { ApprovalRequest, DealState } from '../pipeline/types.ts';
import {
  MAX_ESCALATIONS,
  approvalTimerRef,
  decideApproval,
  escalateApproval,
  matchTiers,
  requestApproval,
  waitingOn,
  type ApprovalOutcome,
  type ApprovalVoteInput,
} from './approval.ts';
import {
  THU_1000,
  TUE_1000,
  addTime,
  at,
  deal,
  dur,
  model,
  resolve,
  rule,
  show,
  tier,
} from './__fixtures__/builders.ts';
import type { DealDeskModel } from './model.ts';

const CONTACT = 'email:ava@northwind.io';
const DEAL_JSON = {
  id: 'deal-1',
  name: 'Northwind platform',
  amount: 12000,
  currency: 'USD',
  owner: 'sofia',
};

function open(d: DealState, m: DealDeskModel = model(), when = TUE_1000, sequence = 1): ApprovalOutcome {
  return requestApproval(d, m, { at: when, requestedBy: 'rep:sofia', sequence, resolve, addTime });
}

function vote(
  request: ApprovalRequest,
  d: DealState,
  approver: string,
  decision: 'approve' | 'reject' = 'approve',
  extra: Partial<ApprovalVoteInput> = {},
): ApprovalOutcome {
  return decideApproval(request, { approver, decision, at: at('2026-03-11T11:00'), ...extra }, d);
}

function codeOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    if (error instanceof RevopsError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('did not throw');
}

describe('requestApproval', () => {
  it('approves a standard deal at once ($12,000, 0%, net-30, 12 months): no exceptions, no effects', () => {
    const { request, effects } = open(deal());
    expect(request).toEqual({
      id: 'deal-1:1',
      dealId: 'deal-1',
      status: 'approved',
      requestedAt: TUE_1000,
      requestedBy: 'rep:sofia',
      terms: { amount: 12000, discountPercent: 0, termMonths: 12, paymentTerms: 'net-30' },
      exceptions: [],
      steps: [
        { tier: 'standard', name: 'standard', approvers: [], mode: 'all', votes: [], status: 'approved' },
      ],
      dueAt: TUE_1000,
      decidedAt: TUE_1000,
      escalations: [],
    });
    expect(effects).toEqual([]);
  });

  it('sends a 25% discount to the VP of Sales alone, due two business days later', () => {
    const d = deal({ discountPercent: 25 });
    const { request, effects } = open(d);
    expect(request.status).toBe('pending');
    expect(request.steps).toEqual([
      {
        tier: 'vp-sales',
        name: 'vp-sales',
        approvers: ['role:vp_sales'],
        mode: 'all',
        votes: [],
        status: 'pending',
      },
    ]);
    expect(request.exceptions).toEqual([{ kind: 'discount', detail: '25% discount' }]);
    expect(show(request.dueAt)).toBe('2026-03-12T10:00:00.000-04:00');
    expect(request.dueAt).toBe(THU_1000);
    expect(effects).toEqual([
      {
        kind: 'outbox',
        key: 'approval-requested:deal-1:1:role:vp_sales',
        type: 'approval_requested',
        contactKey: CONTACT,
        at: TUE_1000,
        payload: {
          to: 'role:vp_sales',
          approval: 'deal-1:1',
          deal: DEAL_JSON,
          tier: 'vp-sales',
          tiers: [{ id: 'vp-sales', name: 'vp-sales', mode: 'all', approvers: ['role:vp_sales'] }],
          exceptions: [{ kind: 'discount', detail: '25% discount' }],
          requestedBy: 'rep:sofia',
          dueAt: '2026-03-12T14:00:00.000Z',
        },
      },
      {
        kind: 'timer',
        key: 'approval-due:deal-1:1',
        dueAt: THU_1000,
        contactKey: CONTACT,
        payload: { kind: 'approval_due', approval: 'deal-1:1' },
      },
    ]);
  });

  it.each([
    [5, ['standard'], []],
    [10, ['sales-manager'], ['rep:dan']],
    [15, ['sales-manager'], ['rep:dan']],
    [20, ['vp-sales'], ['role:vp_sales']],
    [39.9, ['vp-sales'], ['role:vp_sales']],
    [40, ['deal-desk'], ['role:deal_desk']],
    [55, ['deal-desk'], ['role:deal_desk']],
  ])('%s%% off → tiers %j, approvers %j', (percent, tiers, approvers) => {
    const { request } = open(deal({ discountPercent: percent }));
    expect(request.steps.map((s) => s.tier)).toEqual(tiers);
    expect(request.steps.flatMap((s) => s.approvers)).toEqual(approvers);
  });

  it("sends a 15% discount to the owner's manager, resolved to a rep", () => {
    const { request, effects } = open(deal({ discountPercent: 15 }));
    expect(request.steps).toEqual([
      {
        tier: 'sales-manager',
        name: 'sales-manager',
        approvers: ['rep:dan'],
        mode: 'all',
        votes: [],
        status: 'pending',
      },
    ]);
    expect(effects.map((e) => e.key)).toEqual([
      'approval-requested:deal-1:1:rep:dan',
      'approval-due:deal-1:1',
    ]);
  });

  it('sends custom terms to the deal desk', () => {
    const { request } = open(deal({ customTerms: true }));
    expect(request.steps.map((s) => [s.tier, s.approvers])).toEqual([['deal-desk', ['role:deal_desk']]]);
    expect(request.exceptions).toEqual([{ kind: 'custom_terms', detail: 'custom terms' }]);
  });

  it('a 36-month contract needs finance and legal both; the standard tier approves itself', () => {
    const d = deal({ termMonths: 36 }, { amount: 90000 });
    const { request, effects } = open(d);
    expect(request.steps.map((s) => [s.tier, s.approvers, s.mode, s.status])).toEqual([
      ['standard', [], 'all', 'approved'],
      ['multi-year', ['role:finance', 'role:legal'], 'all', 'pending'],
    ]);
    expect(request.exceptions).toEqual([
      { kind: 'acv_over_threshold', detail: 'ACV $30,000 over the $25,000 threshold' },
      { kind: 'multi_year', detail: '36-month term' },
    ]);
    expect(effects.map((e) => [e.kind, e.key])).toEqual([
      ['outbox', 'approval-requested:deal-1:1:role:finance'],
      ['outbox', 'approval-requested:deal-1:1:role:legal'],
      ['timer', 'approval-due:deal-1:1'],
    ]);
  });

  it('under `match: all` a 25%, 24-month deal needs the VP and finance + legal; under `first` the VP only', () => {
    const d = deal({ discountPercent: 25, termMonths: 24 });
    expect(open(d).request.steps.map((s) => s.tier)).toEqual(['vp-sales', 'multi-year']);
    expect(open(d, model({ match: 'first' })).request.steps.map((s) => s.tier)).toEqual(['vp-sales']);
  });

  it('a deal no tier matches is approved at once (the tiers decide, exceptions are only logged)', () => {
    const m = model({
      tiers: [
        tier(
          'big',
          rule('big', () => false),
          ['role:cfo'],
        ),
      ],
    });
    const { request, effects } = open(deal({ paymentTerms: 'net-90' }), m);
    expect(request.status).toBe('approved');
    expect(request.steps).toEqual([]);
    expect(request.exceptions).toEqual([{ kind: 'payment_terms', detail: 'net-90 payment terms' }]);
    expect(effects).toEqual([]);
  });

  it('messages an approver named by two tiers once, listing both tiers', () => {
    const m = model({
      tiers: [
        tier(
          'a',
          rule('a', () => true),
          ['role:deal_desk'],
        ),
        tier(
          'b',
          rule('b', () => true),
          ['role:deal_desk', 'role:legal'],
        ),
      ],
    });
    const { effects } = open(deal(), m);
    expect(effects.map((e) => e.key)).toEqual([
      'approval-requested:deal-1:1:role:deal_desk',
      'approval-requested:deal-1:1:role:legal',
      'approval-due:deal-1:1',
    ]);
    const first = effects[0];
    expect(first?.kind === 'outbox' ? first.payload['tiers'] : undefined).toEqual([
      { id: 'a', name: 'a', mode: 'all', approvers: ['role:deal_desk'] },
      { id: 'b', name: 'b', mode: 'all', approvers: ['role:deal_desk', 'role:legal'] },
    ]);
  });

  it('names the request by the deal and the sequence, and files effects without a contact when there is none', () => {
    const { request, effects } = open(deal({ discountPercent: 25 }, { contacts: [] }), model(), TUE_1000, 3);
    expect(request.id).toBe('deal-1:3');
    expect(effects.every((e) => !('contactKey' in e))).toBe(true);
    expect(() => open(deal(), model(), TUE_1000, 0)).toThrow(RangeError);
  });

  it('the same request twice gives the same request and the same effect keys', () => {
    const d = deal({ discountPercent: 25, termMonths: 36 });
    expect(open(d)).toEqual(open(d));
  });

  prop.prop([
    fc.option(fc.integer({ min: 0, max: 90 }), { nil: undefined }),
    fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }),
    fc.option(fc.boolean(), { nil: undefined }),
    fc.constantFrom('all' as const, 'first' as const),
  ])(
    'approved at once ⇔ no effects; otherwise one message per waiting approver and one timer',
    (discountPercent, termMonths, customTerms, match) => {
      const fields: Record<string, number | boolean> = {};
      if (discountPercent !== undefined) fields['discountPercent'] = discountPercent;
      if (termMonths !== undefined) fields['termMonths'] = termMonths;
      if (customTerms !== undefined) fields['customTerms'] = customTerms;
      const d = deal({}, { fields });
      const { request, effects } = open(d, model({ match }));
      const keys = effects.map((e) => e.key);
      expect(new Set(keys).size).toBe(keys.length);
      if (request.status === 'approved') {
        expect(effects).toEqual([]);
      } else {
        expect(request.status).toBe('pending');
        expect(effects.filter((e) => e.kind === 'outbox')).toHaveLength(waitingOn(request).length);
        expect(effects.filter((e) => e.kind === 'timer')).toHaveLength(1);
      }
      if (match === 'first') expect(request.steps.length).toBeLessThanOrEqual(1);
    },
  );
});

describe('matchTiers', () => {
  it('traces every tier, with the runtime error of a rule that needed a missing field', () => {
    const { tiers, trace } = matchTiers(deal({}, { fields: {} }), model());
    expect(tiers.map((t) => t.id)).toEqual(['standard']);
    expect(trace).toEqual([
      { tier: 'standard', matched: true },
      { tier: 'sales-manager', matched: false, error: 'no such key' },
      { tier: 'vp-sales', matched: false, error: 'no such key' },
      { tier: 'deal-desk', matched: false },
      { tier: 'multi-year', matched: false, error: 'no such key' },
    ]);
  });
});

describe('decideApproval', () => {
  const multiYear = deal({ termMonths: 36 }, { amount: 90000 });

  it('finance alone leaves a multi-year request pending; legal then approves it', () => {
    const { request } = open(multiYear);
    const afterFinance = vote(request, multiYear, 'role:finance', 'approve', {
      comment: 'ok',
      by: 'user:maria',
    });
    expect(afterFinance.effects).toEqual([]);
    expect(afterFinance.request.status).toBe('pending');
    expect(afterFinance.request.steps[1]?.status).toBe('pending');
    expect(afterFinance.request.steps[1]?.votes).toEqual([
      {
        approver: 'role:finance',
        decision: 'approve',
        at: at('2026-03-11T11:00'),
        comment: 'ok',
        by: 'user:maria',
      },
    ]);
    expect(waitingOn(afterFinance.request)).toEqual(['role:legal']);

    const legalAt = at('2026-03-11T15:30');
    const done = decideApproval(
      afterFinance.request,
      { approver: 'role:legal', decision: 'approve', at: legalAt },
      multiYear,
    );
    expect(done.request.status).toBe('approved');
    expect(done.request.decidedAt).toBe(legalAt);
    expect(done.request.steps.map((s) => s.status)).toEqual(['approved', 'approved']);
    expect(done.effects).toEqual([
      {
        kind: 'outbox',
        key: 'approval-decided:deal-1:1',
        type: 'approval_decided',
        contactKey: CONTACT,
        at: legalAt,
        payload: {
          to: 'rep:sofia',
          approval: 'deal-1:1',
          deal: { id: 'deal-1', name: 'Northwind platform', amount: 90000, currency: 'USD', owner: 'sofia' },
          status: 'approved',
          decidedBy: 'role:legal',
          decidedAt: '2026-03-11T19:30:00.000Z',
          exceptions: [
            { kind: 'acv_over_threshold', detail: 'ACV $30,000 over the $25,000 threshold' },
            { kind: 'multi_year', detail: '36-month term' },
          ],
        },
      },
      { kind: 'cancelTimer', key: 'approval-due:deal-1:1' },
    ]);
  });

  it('one approval is enough in an `any` step', () => {
    const m = model({
      tiers: [
        tier(
          'multi-year',
          rule('my', () => true),
          ['role:finance', 'role:legal'],
          'any',
        ),
      ],
    });
    const d = deal();
    const { request } = open(d, m);
    const done = vote(request, d, 'role:legal');
    expect(done.request.status).toBe('approved');
    expect(done.effects.map((e) => e.key)).toEqual(['approval-decided:deal-1:1', 'approval-due:deal-1:1']);
  });

  it('refuses a rejection without a comment (the reference wants a reason), blank included', () => {
    const d = deal({ discountPercent: 25 });
    const { request } = open(d);
    expect(codeOf(() => vote(request, d, 'role:vp_sales', 'reject'))).toEqual({
      code: 'approval.invalid_request',
      message: 'a rejection of approval deal-1:1 needs a comment',
    });
    expect(codeOf(() => vote(request, d, 'role:vp_sales', 'reject', { comment: '  ' })).code).toBe(
      'approval.invalid_request',
    );
  });

  it('a rejection with a reason rejects the whole request and tells the owner', () => {
    const d = deal({ discountPercent: 25, termMonths: 24 });
    const { request } = open(d);
    const { request: rejected, effects } = vote(request, d, 'role:vp_sales', 'reject', {
      comment: ' Max 20% for a 2-year term ',
    });
    expect(rejected.status).toBe('rejected');
    expect(rejected.decidedAt).toBe(at('2026-03-11T11:00'));
    expect(rejected.steps.map((s) => [s.tier, s.status])).toEqual([
      ['vp-sales', 'rejected'],
      ['multi-year', 'pending'],
    ]);
    expect(effects).toHaveLength(2);
    expect(effects[0]).toMatchObject({
      kind: 'outbox',
      key: 'approval-decided:deal-1:1',
      type: 'approval_decided',
      payload: {
        to: 'rep:sofia',
        status: 'rejected',
        decidedBy: 'role:vp_sales',
        comment: 'Max 20% for a 2-year term',
      },
    });
    expect(effects[1]).toEqual({ kind: 'cancelTimer', key: 'approval-due:deal-1:1' });
    expect(codeOf(() => vote(rejected, d, 'role:finance'))).toEqual({
      code: 'approval.not_pending',
      message: 'approval deal-1:1 is already rejected',
    });
  });

  it('refuses someone on no pending step, listing who can decide', () => {
    const d = deal({ termMonths: 36 });
    const { request } = open(d);
    expect(codeOf(() => vote(request, d, 'rep:maria'))).toEqual({
      code: 'approval.not_an_approver',
      message: 'rep:maria is not an approver of approval deal-1:1; it waits on role:finance, role:legal',
    });
  });

  it('refuses a second vote by the same approver', () => {
    const d = deal({ termMonths: 36 });
    const { request } = open(d);
    const once = vote(request, d, 'role:finance');
    expect(codeOf(() => vote(once.request, d, 'role:finance'))).toEqual({
      code: 'approval.invalid_request',
      message: 'role:finance has already voted on approval deal-1:1',
    });
  });

  it('refuses a vote on an approved request and a deal that is not the request’s', () => {
    const d = deal();
    const { request } = open(d);
    expect(codeOf(() => vote(request, d, 'role:vp_sales')).code).toBe('approval.not_pending');
    const pending = open(deal({ discountPercent: 25 })).request;
    expect(codeOf(() => vote(pending, deal({}, { id: 'deal-2' }), 'role:vp_sales')).code).toBe(
      'approval.invalid_request',
    );
  });

  it('sends the decision to `unassigned` when the deal has no owner', () => {
    const d = deal({ discountPercent: 25 }, { owner: undefined, contacts: [] });
    const { request } = open(d);
    const { effects } = vote(request, d, 'role:vp_sales');
    expect(effects[0]).toMatchObject({ kind: 'outbox', payload: { to: 'unassigned' } });
    expect(effects[0] !== undefined && 'contactKey' in effects[0]).toBe(false);
  });
});

describe('escalateApproval', () => {
  // Thursday 2 July 2026, 15:00 New York; Friday 3 July is the observed Independence Day.
  const THU_0702 = at('2026-07-02T15:00');
  const ctx = {
    resolve,
    addTime,
    escalateTo: 'manager',
    approvalSla: dur('2 business days'),
    contactKey: CONTACT,
  };
  const d = deal({ discountPercent: 25 });

  it('is due two business days later, over the holiday: Tuesday 7 July 15:00', () => {
    const { request } = open(d, model(), THU_0702);
    expect(show(request.dueAt)).toBe('2026-07-07T15:00:00.000-04:00');
  });

  it('escalates to the manager at exactly the due time and gives one more SLA', () => {
    const { request } = open(d, model(), THU_0702);
    const due = at('2026-07-07T15:00');
    expect(escalateApproval(request, due - 1, ctx)).toEqual({ request, effects: [] });
    const { request: escalated, effects } = escalateApproval(request, due, ctx);
    expect(escalated.escalations).toEqual([{ to: 'rep:dan', at: due }]);
    expect(show(escalated.dueAt)).toBe('2026-07-09T15:00:00.000-04:00');
    expect(escalated.status).toBe('pending');
    expect(effects).toEqual([
      {
        kind: 'outbox',
        key: 'approval-escalated:deal-1:1:1',
        type: 'approval_escalated',
        contactKey: CONTACT,
        at: due,
        payload: {
          to: 'rep:dan',
          recipient: 'manager',
          approval: 'deal-1:1',
          deal: 'deal-1',
          escalation: 1,
          waitingOn: ['role:vp_sales'],
          requestedAt: '2026-07-02T19:00:00.000Z',
          overdueSince: '2026-07-07T19:00:00.000Z',
          exceptions: [{ kind: 'discount', detail: '25% discount' }],
          dueAt: '2026-07-09T19:00:00.000Z',
        },
      },
      {
        kind: 'timer',
        key: 'approval-due:deal-1:1',
        dueAt: at('2026-07-09T15:00'),
        contactKey: CONTACT,
        payload: { kind: 'approval_due', approval: 'deal-1:1' },
      },
    ]);
    // The same timer firing again before the new due time changes nothing.
    expect(escalateApproval(escalated, due + 60_000, ctx).effects).toEqual([]);
  });

  it(`notifies ${MAX_ESCALATIONS} times, then only records`, () => {
    let request = open(d, model(), THU_0702).request;
    const notices: string[] = [];
    for (let i = 0; i < MAX_ESCALATIONS + 1; i++) {
      const out = escalateApproval(request, request.dueAt, ctx);
      notices.push(...out.effects.map((e) => `${e.kind}@${show(request.dueAt)}`));
      request = out.request;
    }
    expect(notices).toEqual([
      'outbox@2026-07-07T15:00:00.000-04:00',
      'timer@2026-07-07T15:00:00.000-04:00',
      'outbox@2026-07-09T15:00:00.000-04:00',
      'timer@2026-07-09T15:00:00.000-04:00',
      'outbox@2026-07-13T15:00:00.000-04:00',
      'timer@2026-07-13T15:00:00.000-04:00',
    ]);
    expect(request.escalations.map((e) => show(e.at))).toEqual([
      '2026-07-07T15:00:00.000-04:00',
      '2026-07-09T15:00:00.000-04:00',
      '2026-07-13T15:00:00.000-04:00',
      '2026-07-15T15:00:00.000-04:00',
    ]);
    expect(show(request.dueAt)).toBe('2026-07-15T15:00:00.000-04:00');
  });

  it('does nothing for a decided request', () => {
    const { request } = open(d, model(), THU_0702);
    const decided = decideApproval(
      request,
      { approver: 'role:vp_sales', decision: 'approve', at: THU_0702 },
      d,
    ).request;
    expect(escalateApproval(decided, at('2026-07-07T15:00'), ctx)).toEqual({ request: decided, effects: [] });
  });

  it('reads the request id back from a fired timer', () => {
    const { effects } = open(d);
    const timer = effects.find((e) => e.kind === 'timer');
    expect(timer?.kind === 'timer' ? approvalTimerRef(timer) : undefined).toBe('deal-1:1');
    expect(approvalTimerRef({ payload: { kind: 'sla_due', approval: 'x' } })).toBeUndefined();
  });
});
