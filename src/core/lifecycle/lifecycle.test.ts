// Sales decisions, recycling timers and lifecycle signals, pure, with the reference defaults:
// 2 of 4 BANT for an SQL, FIT-02/QUAL-03 archive, ENG-01 recycles after 90 days, archive after
// 6 months without engagement, NPS 9 or more makes an evangelist.
import { describe, expect, it } from 'vitest';
import type { FiredTimer } from '../effects.ts';
import { parseDuration, type Duration } from '../time/duration.ts';
import type { ContactState, InboundEvent } from '../types.ts';
import { decideRecyclingTimer, recyclingTimers, type RecyclingPolicy } from './recycling.ts';
import { decideSalesDecision, type SalesDecisionPolicy } from './salesDecision.ts';
import { decideSignal } from './signals.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-25T15:00:00Z');
const d = (text: string): Duration => {
  const parsed = parseDuration(text);
  if (parsed === undefined) throw new Error(text);
  return parsed;
};
const wall = (start: number, duration: Duration) =>
  start +
  (duration.kind === 'duration'
    ? duration.amount * { minute: 1, hour: 60, day: 1440, week: 10080, month: 43200 }[duration.unit] * 60_000
    : 0);

const contact = (over: Partial<ContactState> = {}): ContactState => ({
  key: 'email:lee@company1.com',
  email: 'lee@company1.com',
  attributes: {},
  companyAttributes: {},
  stage: 'mql',
  stageEnteredAt: T0 - DAY,
  owner: 'priya',
  flags: [],
  createdAt: T0 - 2 * DAY,
  updatedAt: T0,
  eventCount: 3,
  ...over,
});
const event = (type: string, properties: Record<string, unknown>, at = T0): InboundEvent => ({
  id: 'ev-1',
  type,
  at,
  source: 'api',
  contact: {},
  company: {},
  properties: properties as InboundEvent['properties'],
});

const STAGES = {
  stages: [
    { id: 'mql', next: ['sql', 'recycled', 'disqualified'] },
    { id: 'lead', next: ['mql', 'disqualified'] },
    { id: 'sql', next: [] },
    { id: 'recycled', next: ['mql', 'disqualified'] },
    { id: 'disqualified', next: ['lead'] },
  ],
};
const POLICY: SalesDecisionPolicy = {
  sqlRequires: { bant: 2 },
  recyclingStage: 'recycled',
  reasonCodes: [
    { code: 'FIT-01', reason: 'Company too small', action: 'nurture' },
    { code: 'FIT-02', reason: 'Wrong industry', action: 'archive' },
    { code: 'ENG-01', reason: 'No response after 3 attempts', action: 'recycle', after: d('90d') },
    { code: 'QUAL-03', reason: 'Not a real project', action: 'archive' },
  ],
};

describe('decideSalesDecision', () => {
  it.each([
    ['FIT-02', 'disqualified', 'sales_decision reject FIT-02 (Wrong industry): archive, never recycled'],
    [
      'QUAL-03',
      'disqualified',
      'sales_decision reject QUAL-03 (Not a real project): archive, never recycled',
    ],
    ['FIT-01', 'recycled', 'sales_decision reject FIT-01 (Company too small): nurture'],
  ])('reject %s → %s', (code, to, reason) => {
    expect(
      decideSalesDecision(
        contact(),
        event('sales_decision', { decision: 'reject', reasonCode: code }),
        POLICY,
        STAGES,
      ),
    ).toMatchObject({
      kind: 'move',
      to,
      reason,
    });
  });

  it('ENG-01 recycles with the nurture held for 90 days', () => {
    const outcome = decideSalesDecision(
      contact(),
      event('sales_decision', { decision: 'reject', reasonCode: 'ENG-01' }),
      POLICY,
      STAGES,
    );
    expect(outcome).toMatchObject({ kind: 'move', to: 'recycled', action: 'recycle', code: 'ENG-01' });
    expect(outcome.kind === 'move' ? outcome.holdFor?.source : undefined).toBe('90d');
  });

  it('an accept with 2 BANT criteria moves to sql; with 1 it is refused and sql is blocked', () => {
    const two = contact({ flags: ['bant:budget', 'bant:need'] });
    expect(decideSalesDecision(two, event('sales_decision', { decision: 'accept' }), POLICY, STAGES)).toEqual(
      {
        kind: 'move',
        to: 'sql',
        reason: 'sales_decision accept with BANT budget, need (2 of 2 needed)',
      },
    );
    const one = decideSalesDecision(
      contact({ flags: ['bant:timeline'] }),
      event('sales_decision', { decision: 'accept', rep: 'leo' }),
      POLICY,
      STAGES,
    );
    expect(
      one.kind === 'refused' ? [one.block, one.effect.payload['to'], one.effect.payload['message']] : one,
    ).toEqual([
      ['sql'],
      'rep:leo',
      'lee@company1.com stays in mql: an SQL needs 2 of 4 BANT criteria confirmed (lifecycle.sqlRequires.bant), only timeline is; confirm 1 more of budget, authority, need and send the decision again with `bant`',
    ]);
  });

  it('an accept from a stage without sql in `next` is refused with the allowed moves', () => {
    const outcome = decideSalesDecision(
      contact({ stage: 'lead', flags: ['bant:budget', 'bant:need'] }),
      event('sales_decision', { decision: 'accept' }),
      POLICY,
      STAGES,
    );
    expect(outcome.kind === 'refused' ? outcome.effect.payload['message'] : outcome).toBe(
      '`lead` → `sql` is not an allowed move; from `lead` a contact may move to `mql`, `disqualified`',
    );
  });

  it('with sqlRequires.bant 0 an accept needs no BANT', () => {
    expect(
      decideSalesDecision(
        contact(),
        event('sales_decision', { decision: 'accept' }),
        { ...POLICY, sqlRequires: { bant: 0 } },
        STAGES,
      ),
    ).toEqual({ kind: 'move', to: 'sql', reason: 'sales_decision accept' });
  });
});

describe('recycling timers', () => {
  const policy: RecyclingPolicy = {
    stage: 'recycled',
    resetEngagement: true,
    flag: 'recycled_mql',
    archiveAfter: d('6 months'),
  };
  const recycled = contact({
    stage: 'recycled',
    stageEnteredAt: T0,
    lastActivityAt: T0 - 5 * DAY,
    flags: ['recycled'],
  });
  const enter = (c: ContactState, stage: string, at: number) => ({
    contact: c,
    effects: [
      { kind: 'outbox' as const, key: `enter:${stage}:${at}`, type: 'sequence', at, payload: { stage } },
    ],
  });
  const fired = (key: string, dueAt: number, payload: Record<string, string | number>): FiredTimer => ({
    key,
    dueAt,
    contactKey: recycled.key,
    payload,
    attempts: 1,
  });

  it('ENG-01: the nurture timer at +90 days and the archive timer at +6 months (180 days)', () => {
    expect(
      recyclingTimers(recycled, policy, wall, { holdFor: d('90d'), code: 'ENG-01' }).map((t) => [
        t.key,
        t.dueAt,
      ]),
    ).toEqual([
      ['recycle-archive:email:lee@company1.com', T0 + 180 * DAY],
      ['recycle:email:lee@company1.com', T0 + 90 * DAY],
    ]);
  });

  it('a silent recycled lead is archived when its timer fires; activity sets the timer again', () => {
    const due = T0 + 180 * DAY;
    const timer = fired('recycle-archive:email:lee@company1.com', due, {
      kind: 'recycle_archive',
      stage: 'recycled',
      enteredAt: T0,
    });
    const archived = decideRecyclingTimer(timer, recycled, policy, wall, enter);
    expect(archived.contact?.stage).toBe('disqualified');
    expect(archived.stageChanges).toEqual([
      {
        contactKey: recycled.key,
        from: 'recycled',
        to: 'disqualified',
        at: due,
        cause: 'timer:recycle-archive:email:lee@company1.com',
        reason: 'no engagement for 6 months while recycled (lifecycle.recycling.archiveAfter): archived',
      },
    ]);
    const active = decideRecyclingTimer(
      timer,
      { ...recycled, lastActivityAt: T0 + 20 * DAY },
      policy,
      wall,
      enter,
    );
    expect(active.contact).toBeUndefined();
    expect(active.effects).toMatchObject([{ kind: 'timer', dueAt: T0 + 200 * DAY }]);
  });

  it('a timer for a lead that left recycling (or came back since) does nothing', () => {
    const timer = fired('recycle:email:lee@company1.com', T0 + 90 * DAY, {
      kind: 'recycle_nurture',
      stage: 'recycled',
      enteredAt: T0,
    });
    expect(decideRecyclingTimer(timer, { ...recycled, stage: 'mql' }, policy, wall, enter)).toEqual({
      effects: [],
    });
    expect(
      decideRecyclingTimer(timer, { ...recycled, stageEnteredAt: T0 + DAY }, policy, wall, enter),
    ).toEqual({ effects: [] });
    expect(decideRecyclingTimer(timer, recycled, policy, wall, enter).effects).toHaveLength(1);
  });
});

describe('decideSignal', () => {
  const ids = new Set([
    'lead',
    'mql',
    'sql',
    'opportunity',
    'customer',
    'evangelist',
    'recycled',
    'disqualified',
  ]);
  const evangelist = { npsMin: 9, referral: true };
  it.each([
    ['lead', 'created', 'opportunity'],
    ['recycled', 'created', 'opportunity'],
    ['mql', 'closed_won', 'customer'],
    ['opportunity', 'closed_won', 'customer'],
  ])('%s + deal %s → %s', (stage, action, to) => {
    expect(decideSignal(contact({ stage }), event('deal', { action }), evangelist, ids)).toMatchObject({
      kind: 'move',
      to,
    });
  });
  it('never moves back, nor an archived contact', () => {
    expect(
      decideSignal(contact({ stage: 'customer' }), event('deal', { action: 'created' }), evangelist, ids),
    ).toEqual({ kind: 'none' });
    expect(
      decideSignal(
        contact({ stage: 'disqualified' }),
        event('deal', { action: 'closed_won' }),
        evangelist,
        ids,
      ),
    ).toEqual({ kind: 'none' });
  });
  it.each([
    [8, 'customer', { kind: 'none' }],
    [9, 'customer', { kind: 'move', to: 'evangelist' }],
    [10, 'mql', { kind: 'flag', flag: 'evangelist_candidate' }],
  ])('NPS %i from a %s', (score, stage, outcome) => {
    expect(decideSignal(contact({ stage }), event('nps', { score }), evangelist, ids)).toMatchObject(outcome);
  });
  it('a referral counts only when evangelist.referral is on', () => {
    expect(
      decideSignal(contact({ stage: 'customer' }), event('referral', {}), evangelist, ids),
    ).toMatchObject({ kind: 'move', to: 'evangelist' });
    expect(
      decideSignal(
        contact({ stage: 'customer' }),
        event('referral', {}),
        { npsMin: 9, referral: false },
        ids,
      ),
    ).toEqual({ kind: 'none' });
  });
});
