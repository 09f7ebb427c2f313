// A deal's stale timers firing. The case: a deal 29 days in negotiation (limit 21) is
// stale — the owner gets "Update or close the deal" due in 3 business days (New York calendar), a
// `deal_stale` message, and the manager a timer 7 days later; when that fires with the deal still
// there, the manager hears once. A timer for a stay that has ended does nothing.
import { describe, expect, it } from 'vitest';
import { ACTIONS, at, command, DAY, deal, env, fired, MODEL, timers } from './__fixtures__/builders.ts';
import { decideDeal } from './decide.ts';
import { dealOfTimer, decideDealTimer } from './timer.ts';
import type { FiredTimer } from '../effects.ts';
import type { DealState } from './types.ts';

/** Monday 2026-03-02 15:00 UTC (10:00 EST): the deal enters negotiation. */
const ENTERED = at('2026-03-02T15:00:00Z');
/** Day 29: Tuesday 2026-03-31 15:00 UTC (11:00 EDT, after the DST change). */
const DAY_29 = ENTERED + 29 * DAY;

/** The deal entering negotiation from proposal, and the stale timer that entry set. */
function entered(): { deal: DealState; timer: FiredTimer } {
  const decision = decideDeal(
    deal('proposal', {}, ENTERED - 4 * DAY),
    command('stage_changed', { stage: 'negotiation', at: ENTERED, cause: 'ev-neg' }),
    env(),
  );
  const timer = timers(decision.effects).find((t) => t.key === 'deal-stale:d1');
  if (decision.deal === undefined || timer === undefined) throw new Error('no stale timer');
  return { deal: decision.deal, timer: fired(timer) };
}

describe('dealOfTimer', () => {
  it('names the deal of stale timers only', () => {
    const base = { key: 'k', dueAt: 0, attempts: 1 };
    expect(dealOfTimer(Object.assign({ payload: { kind: 'deal_stale', deal: 'd1' } }, base))).toBe('d1');
    expect(dealOfTimer(Object.assign({ payload: { kind: 'deal_stale_manager', deal: 'd9' } }, base))).toBe(
      'd9',
    );
    expect(dealOfTimer(Object.assign({ payload: { kind: 'task_due', deal: 'd1' } }, base))).toBeUndefined();
    expect(dealOfTimer(Object.assign({ payload: { kind: 'deal_stale', deal: 7 } }, base))).toBeUndefined();
  });
});

describe('the stale timer', () => {
  it('is due exactly 21 days after entering negotiation', () => {
    const { timer } = entered();
    expect(timer.dueAt).toBe(at('2026-03-23T15:00:00Z'));
    expect(timer.dueAt - ENTERED).toBe(21 * DAY);
  });

  it('fired 29 days in: stale since day 21, an alert task for the owner, a message, the manager timer 7 days later', () => {
    const { deal: d, timer } = entered();
    const out = decideDealTimer(d, timer, MODEL, ACTIONS, DAY_29);
    expect(out.deal?.flags.stale).toEqual({
      stage: 'negotiation',
      since: at('2026-03-23T15:00:00Z'),
      basis: 'limit',
      limitMs: 21 * DAY,
      managerAlerted: false,
    });
    const taskKey = `task:deal:d1:stale:${ENTERED}`;
    const title = 'Update or close the deal: Northwind platform (29 days in Negotiation)';
    // Tuesday 11:00 New York + 3 business days = Friday 2026-04-03 11:00 EDT.
    const taskDue = at('2026-04-03T15:00:00Z');
    expect(out.effects).toEqual([
      {
        kind: 'task',
        key: taskKey,
        contactKey: 'email:ava@northwind.io',
        title,
        assignee: 'rep:sofia',
        dueAt: taskDue,
        createdAt: DAY_29,
        status: 'open',
      },
      {
        kind: 'timer',
        key: `task-due:${taskKey}`,
        dueAt: taskDue,
        contactKey: 'email:ava@northwind.io',
        payload: { kind: 'task_due', task: taskKey, title, assignee: 'rep:sofia' },
      },
      {
        kind: 'outbox',
        key: `deal-stale:d1:${ENTERED}`,
        type: 'deal_stale',
        contactKey: 'email:ava@northwind.io',
        at: DAY_29,
        payload: {
          to: 'rep:sofia',
          deal: 'd1',
          name: 'Northwind platform',
          stage: 'negotiation',
          daysInStage: 29,
          basis: 'limit',
          limitDays: 21,
        },
      },
      {
        kind: 'timer',
        key: 'deal-stale-manager:d1',
        dueAt: DAY_29 + 7 * DAY,
        contactKey: 'email:ava@northwind.io',
        payload: { kind: 'deal_stale_manager', deal: 'd1', stage: 'negotiation', enteredAt: ENTERED },
      },
    ]);
    // Nothing else about the deal changes.
    expect(Object.assign({}, out.deal, { flags: d.flags })).toEqual(d);
  });

  it('the manager timer alerts dan (sofia’s manager) once, while the deal is still there', () => {
    const { deal: d, timer } = entered();
    const stale = decideDealTimer(d, timer, MODEL, ACTIONS, DAY_29);
    const managerTimer = timers(stale.effects).find((t) => t.key === 'deal-stale-manager:d1')!;
    const firedAt = managerTimer.dueAt;
    const out = decideDealTimer(stale.deal, fired(managerTimer), MODEL, ACTIONS, firedAt);
    expect(out.deal?.flags.stale?.managerAlerted).toBe(true);
    expect(out.effects).toEqual([
      {
        kind: 'outbox',
        key: `deal-stale-manager:d1:${ENTERED}`,
        type: 'deal_stale_manager',
        contactKey: 'email:ava@northwind.io',
        at: firedAt,
        payload: {
          to: 'rep:dan',
          owner: 'rep:sofia',
          deal: 'd1',
          name: 'Northwind platform',
          stage: 'negotiation',
          daysInStage: 36,
        },
      },
    ]);
    // Fired again: already alerted.
    expect(decideDealTimer(out.deal, fired(managerTimer, 2), MODEL, ACTIONS, firedAt + DAY)).toEqual({
      effects: [],
    });
  });

  it('the manager timer does nothing for a deal that was never flagged stale', () => {
    const { deal: d } = entered();
    const managerTimer: FiredTimer = {
      key: 'deal-stale-manager:d1',
      dueAt: DAY_29,
      payload: { kind: 'deal_stale_manager', deal: 'd1', stage: 'negotiation', enteredAt: ENTERED },
      attempts: 1,
    };
    expect(decideDealTimer(d, managerTimer, MODEL, ACTIONS, DAY_29)).toEqual({ effects: [] });
  });

  it('a deal without an owner: the task and messages go to `unassigned`', () => {
    const { deal: d, timer } = entered();
    const { owner: _owner, ...orphan } = d;
    const out = decideDealTimer(orphan, timer, MODEL, ACTIONS, DAY_29);
    expect(
      out.effects.map((e) =>
        e.kind === 'task' ? e.assignee : e.kind === 'outbox' ? e.payload['to'] : e.kind,
      ),
    ).toEqual(['unassigned', 'timer', 'unassigned', 'timer']);
  });

  describe('a timer whose stay ended does nothing', () => {
    const { deal: d, timer } = entered();
    it.each<[string, DealState | undefined]>([
      ['the deal is unknown', undefined],
      ['the deal moved on', Object.assign({}, d, { stage: 'closed_lost', status: 'lost' as const })],
      ['the deal was won', Object.assign({}, d, { stage: 'closed_won', status: 'won' as const })],
      [
        'the deal moved back to proposal',
        Object.assign({}, d, { stage: 'proposal', stageEnteredAt: ENTERED + DAY }),
      ],
      [
        'the deal left and re-entered negotiation',
        Object.assign({}, d, { stageEnteredAt: ENTERED + 3 * DAY }),
      ],
    ])('%s', (_name, now) => {
      expect(decideDealTimer(now, timer, MODEL, ACTIONS, DAY_29)).toEqual({ effects: [] });
    });
  });
});
