/** Reassignment: exclusions along a ladder, the fairness credit, capacity, the queue, the record. */
import { describe, expect, it } from 'vitest';
import type { AssignmentRow, TaskRow } from '../ports.ts';
import {
  counters,
  duration,
  FRI_1000_NY,
  MON_1000_NY,
  rep,
  routingModel,
  rule,
  team,
} from '../routing/__fixtures__/builders.ts';
import type { ContactState } from '../types.ts';
import { earlierOwners, reassignContact, type ReassignInput } from './reassign.ts';
import { routeContact, type RoutingState } from './routeContact.ts';

const HOUR = 3_600_000;
const T1 = MON_1000_NY + HOUR; // Monday 11:00 New York, ISO week 2026-W49
const T2 = MON_1000_NY + 2 * HOUR;
const T3 = MON_1000_NY + 3 * HOUR;
const KEY = 'email:lead@acme.example';
const REASON = 'sla speed-to-lead breached';
const CONTEXT = { contact: {}, company: {}, account: {}, lead: {} };

/** ana, ben, cat (weight 1) in `pool` (weekly); everything to team:pool; fallback queue `inbound`. */
const MODEL = routingModel();

function lead(owner: string, overrides: Partial<ContactState> = {}): ContactState & { owner: string } {
  return {
    key: KEY,
    email: 'lead@acme.example',
    attributes: {},
    companyAttributes: {},
    stage: 'mql',
    stageEnteredAt: MON_1000_NY,
    flags: [],
    createdAt: MON_1000_NY,
    updatedAt: MON_1000_NY,
    eventCount: 1,
    ...overrides,
    owner,
  };
}

/** An assignment row; `from` makes it a recorded reassignment. */
function row(
  owner: string,
  at: number,
  extra: { team?: string; rule?: string; from?: string } = {},
): AssignmentRow {
  return {
    contactKey: KEY,
    kind: 'assigned',
    owner,
    rule: extra.rule ?? 'pool',
    at,
    trace: extra.from === undefined ? { cause: 'ev-1' } : { cause: 'x', reassignment: { from: extra.from } },
    ...(extra.team === undefined ? {} : { team: extra.team }),
  };
}

/** Week 49: one lead each so far (this lead was ana's), one open lead each. */
const STATE: RoutingState = {
  counters: new Map([['pool', counters('2026-W49', { ana: 1, ben: 1, cat: 1 })]]),
  openLeads: new Map([
    ['ana', 1],
    ['ben', 1],
    ['cat', 1],
  ]),
  assignedPerDay: new Map([['ana', new Map([['2026-11-30', 1]])]]),
};
const ANA_GOT_IT = row('ana', MON_1000_NY, { team: 'pool' });

function reassign(overrides: Partial<ReassignInput> & { contact: ReassignInput['contact'] }) {
  return reassignContact({
    model: MODEL,
    state: STATE,
    account: undefined,
    context: CONTEXT,
    at: T1,
    cause: 'sla:lead@acme.example:speed_to_lead',
    reason: REASON,
    history: [ANA_GOT_IT],
    ...overrides,
  });
}

describe('reassigning a lead', () => {
  const first = reassign({ contact: lead('ana') });

  it('routes again without the owner; the trace says why the owner was passed over', () => {
    expect(first.decision).toMatchObject({ kind: 'assigned', owner: 'ben', rule: 'pool', team: 'pool' });
    expect(first.contact.owner).toBe('ben');
    expect(first.excluded).toEqual(['ana']);
    expect(first.decision.trace.steps[0]).toEqual({
      rule: 'keep_owner',
      name: 'Keep existing owner',
      path: 'routing.keepExistingOwner',
      matched: true,
      outcome: 'nobody_available',
      detail: 'owner not kept: ana is excluded from this lead (a previous owner)',
    });
    expect(first.decision.trace.candidates).toEqual([
      {
        rep: 'ana',
        team: 'pool',
        status: 'skipped',
        reason: 'excluded',
        detail: 'ana is excluded from this lead (a previous owner)',
        count: 0,
        weight: 1,
        target: 0,
        deficit: 0,
        due: 0,
        openLeads: 0,
      },
      {
        rep: 'ben',
        team: 'pool',
        status: 'chosen',
        count: 1,
        weight: 1,
        target: 1.5,
        deficit: 0.5,
        due: 4,
        openLeads: 1,
      },
      {
        rep: 'cat',
        team: 'pool',
        status: 'eligible',
        count: 1,
        weight: 1,
        target: 1.5,
        deficit: 0.5,
        due: 4,
        openLeads: 1,
      },
    ]);
  });

  it('gives ana back the count of a lead she never worked; ben is counted as usual', () => {
    expect(first.credit).toEqual({ team: 'pool', period: '2026-W49', rep: 'ana', before: 1, after: 0 });
    // Before: ana 1, ben 1, cat 1 (3 leads). After: ana 0, ben 2, cat 1 — still 3 leads, each
    // counted for the rep working it; ana stays in rotation (not "back from absence" next time).
    expect(first.state.counters.get('pool')).toEqual(
      counters('2026-W49', { ana: 0, ben: 2, cat: 1 }, ['ana', 'ben', 'cat']),
    );
  });

  it('moves the open lead from ana to ben; the day count keeps what each received', () => {
    expect(Object.fromEntries(first.state.openLeads)).toEqual({ ana: 0, ben: 2, cat: 1 });
    const perDay = [...first.state.assignedPerDay].map(([rep, days]) => [rep, Object.fromEntries(days)]);
    expect(Object.fromEntries(perDay)).toEqual({ ana: { '2026-11-30': 1 }, ben: { '2026-11-30': 1 } });
  });

  it('records a new row naming the previous owner and the reason', () => {
    expect(first.assignment).toEqual({
      contactKey: KEY,
      at: T1,
      trace: {
        cause: 'sla:lead@acme.example:speed_to_lead',
        reassignment: {
          from: 'ana',
          reason: REASON,
          note: 'reassigned from ana: sla speed-to-lead breached',
          excluded: ['ana'],
          fairness: 'team pool 2026-W49: ana 1 → 0 (the lead was counted this period and never worked)',
          credit: { team: 'pool', period: '2026-W49', rep: 'ana', before: 1, after: 0 },
        },
        steps: expect.any(Array),
        candidates: expect.any(Array),
      },
      kind: 'assigned',
      owner: 'ben',
      rule: 'pool',
      team: 'pool',
    });
  });

  it('tells ben it is a reassignment from ana, and ana that the lead left her', () => {
    expect(first.effects).toEqual([
      {
        kind: 'outbox',
        key: `assigned:${KEY}:${T1}:from:ana`,
        type: 'assigned',
        contactKey: KEY,
        at: T1,
        payload: { to: 'rep:ben', rule: 'pool', team: 'pool', reassigned: true, from: 'ana', reason: REASON },
      },
      {
        kind: 'outbox',
        key: `reassigned:${KEY}:${T1}:ana`,
        type: 'reassigned',
        contactKey: KEY,
        at: T1,
        payload: { to: 'rep:ana', reason: REASON, outcome: 'assigned', owner: 'ben' },
      },
    ]);
  });

  it('the next ordinary lead goes to ana at her credited count, without a calibration bump', () => {
    const { owner: _none, ...fresh } = lead('ana', { key: 'email:next@acme.example' });
    const next = routeContact({
      model: MODEL,
      state: first.state,
      contact: fresh,
      account: undefined,
      context: CONTEXT,
      at: T1,
      cause: 'ev-2',
    });
    // ana 0, ben 2, cat 1 → targets 1 each (4 leads / 3): ana is furthest below.
    expect(next.decision).toMatchObject({ kind: 'assigned', owner: 'ana' });
    const ana = next.decision.trace.candidates.find((c) => c.rep === 'ana');
    expect(ana).toEqual({
      rep: 'ana',
      team: 'pool',
      status: 'chosen',
      count: 0,
      weight: 1,
      target: 1.3333,
      deficit: 1.3333,
      due: 3,
      openLeads: 0,
    });
  });
});

describe('a ladder of reassignments', () => {
  const first = reassign({ contact: lead('ana') });
  const second = reassign({
    contact: lead('ben'),
    state: first.state,
    at: T2,
    history: [ANA_GOT_IT, first.assignment],
  });
  const third = reassign({
    contact: lead('cat'),
    state: second.state,
    at: T3,
    history: [ANA_GOT_IT, first.assignment, second.assignment],
  });

  it('never bounces back: every owner of the run is excluded', () => {
    expect(second.excluded).toEqual(['ben', 'ana']);
    expect(second.decision).toMatchObject({ kind: 'assigned', owner: 'cat', team: 'pool' });
    // ben got it by the reassignment pick (counted): he gets that count back.
    expect(second.credit).toEqual({ team: 'pool', period: '2026-W49', rep: 'ben', before: 2, after: 1 });
    expect(second.state.counters.get('pool')).toEqual(
      counters('2026-W49', { ana: 0, ben: 1, cat: 2 }, ['ana', 'ben', 'cat']),
    );
  });

  it('nobody left: the lead goes to the fallback queue and cat loses it all the same', () => {
    expect(third.excluded).toEqual(['cat', 'ben', 'ana']);
    expect(third.decision).toMatchObject({ kind: 'queued', queue: 'inbound', rule: 'fallback' });
    expect(third.contact.owner).toBeUndefined();
    expect('owner' in third.contact).toBe(false);
    expect(third.decision.trace.candidates.map((c) => [c.rep, c.status, c.reason])).toEqual([
      ['ana', 'skipped', 'excluded'],
      ['ben', 'skipped', 'excluded'],
      ['cat', 'skipped', 'excluded'],
    ]);
    expect(third.credit).toEqual({ team: 'pool', period: '2026-W49', rep: 'cat', before: 2, after: 1 });
    expect(third.state.counters.get('pool')).toEqual(
      counters('2026-W49', { ana: 0, ben: 1, cat: 1 }, ['ana', 'ben', 'cat']),
    );
    expect(Object.fromEntries(third.state.openLeads)).toEqual({ ana: 0, ben: 1, cat: 1 });
    expect(third.assignment).toMatchObject({ kind: 'queued', queue: 'inbound', rule: 'fallback' });
    expect(third.effects).toEqual([
      {
        kind: 'outbox',
        key: `queued:${KEY}:${T3}:from:cat`,
        type: 'queued',
        contactKey: KEY,
        at: T3,
        payload: {
          to: 'queue:inbound',
          queue: 'inbound',
          rule: 'fallback',
          sla: '1h',
          reassigned: true,
          from: 'cat',
          reason: REASON,
        },
      },
      {
        kind: 'outbox',
        key: `reassigned:${KEY}:${T3}:cat`,
        type: 'reassigned',
        contactKey: KEY,
        at: T3,
        payload: { to: 'rep:cat', reason: REASON, outcome: 'queued', queue: 'inbound' },
      },
    ]);
  });

  it('a later ordinary routing decision starts a new run', () => {
    const kept: AssignmentRow = {
      contactKey: KEY,
      kind: 'kept',
      owner: 'cat',
      rule: 'keep_owner',
      at: T3,
      trace: {},
    };
    expect(earlierOwners([ANA_GOT_IT, first.assignment, second.assignment])).toEqual(['ben', 'ana']);
    expect(earlierOwners([ANA_GOT_IT, first.assignment, second.assignment, kept])).toEqual([]);
    expect(earlierOwners([])).toEqual([]);
  });
});

describe('the fairness credit', () => {
  it('none when the lead was counted in a period that is over', () => {
    const done = reassign({ contact: lead('ana'), history: [row('ana', FRI_1000_NY, { team: 'pool' })] });
    expect(done.credit).toBeUndefined();
    expect(done.fairness).toBe(
      "no credit: counted in team pool's period 2026-W48, which is over (now 2026-W49)",
    );
    expect(done.state.counters.get('pool')?.counts).toEqual({ ana: 1, ben: 2, cat: 1 });
  });

  it('none when no team counted it (a named account, the account owner, a direct rep)', () => {
    const done = reassign({
      contact: lead('ana'),
      history: [row('ana', MON_1000_NY, { rule: 'same_account' })],
    });
    expect(done.credit).toBeUndefined();
    expect(done.fairness).toBe("no credit: ana got the lead by rule same_account, not a team's round-robin");
  });

  it('none when there is no record of the assignment', () => {
    expect(reassign({ contact: lead('ana'), history: [] }).fairness).toBe(
      'no credit: no recorded assignment gave ana the lead',
    );
  });
});

describe('what the caller adds', () => {
  it('extra exclusions are honoured', () => {
    const done = reassign({ contact: lead('ana'), exclude: ['ben'] });
    expect(done.excluded).toEqual(['ana', 'ben']);
    expect(done.decision).toMatchObject({ kind: 'assigned', owner: 'cat' });
  });

  it('a lead outside the open stages frees no open-lead slot', () => {
    const done = reassign({ contact: lead('ana', { stage: 'lead' }) });
    expect(done.state.openLeads.get('ana')).toBe(1);
  });

  it('a queue with a team: the team hears about the lead', () => {
    const model = routingModel({
      reps: [rep('ana'), rep('ben')],
      teams: [team('pool', ['ana', 'ben'])],
      rules: [rule('pool', 'team:pool')],
      queues: new Map([['inbound', { id: 'inbound', name: 'Inbound', team: 'pool', sla: duration('1h') }]]),
    });
    const done = reassign({ model, contact: lead('ana'), exclude: ['ben'] });
    expect(done.decision.kind).toBe('queued');
    expect(done.effects[0]?.payload['to']).toBe('team:pool');
  });
});

describe("the previous owner's open tasks", () => {
  const task = (
    key: string,
    assignee: string,
    dueAt: number,
    status: TaskRow['status'] = 'open',
  ): TaskRow => ({
    key,
    contactKey: KEY,
    title: `Task ${key}`,
    assignee,
    dueAt,
    createdAt: MON_1000_NY,
    status,
  });
  const tasks = [
    task('due-later', 'rep:ana', T1 + HOUR),
    task('overdue', 'rep:ana', T1 - HOUR),
    task('managers', 'rep:dan', T1 + HOUR),
    task('done', 'rep:ana', T1 + HOUR, 'done'),
  ];

  it('go with the lead; a task not yet due gets its reminder again, for the new owner', () => {
    const moved = reassign({ contact: lead('ana'), tasks });
    expect(moved.movedTasks.map((t) => [t.key, t.assignee])).toEqual([
      ['due-later', 'rep:ben'],
      ['overdue', 'rep:ben'],
    ]);
    expect(moved.taskEffects.map((e) => [e.kind, e.key])).toEqual([
      ['task', 'due-later'],
      ['timer', 'task-due:due-later'],
      ['task', 'overdue'],
    ]);
    expect(moved.taskEffects[1]).toEqual({
      kind: 'timer',
      key: 'task-due:due-later',
      dueAt: T1 + HOUR,
      contactKey: KEY,
      payload: { kind: 'task_due', task: 'due-later', title: 'Task due-later', assignee: 'rep:ben' },
    });
    expect(moved.effects.at(-1)?.payload['tasks']).toEqual(['due-later', 'overdue']);
  });

  it('go to the queue when nobody else can take the lead', () => {
    const queued = reassign({
      contact: lead('ana'),
      exclude: ['ben', 'cat'],
      tasks: [task('due-later', 'rep:ana', T1 + HOUR)],
    });
    expect(queued.decision.kind).toBe('queued');
    expect(queued.movedTasks.map((t) => t.assignee)).toEqual(['queue:inbound']);
  });
});
