// Close-date discipline (revops-SKILL.md "Pipeline Stage Management"): a later close date is a
// push — it needs a reason, its slip is recorded in calendar days, and the second push
// (`forecastReviewAfter: 2`) flags the deal for forecast review, telling the owner and the owner's
// manager. An earlier date is a pull-in, not a push. A push refused for want of a reason leaves the
// date as it was while the rest of the command applies.
import { describe, expect, it } from 'vitest';
import { command, DAY, deal, env, NEW_BUSINESS, outboxes, T0 } from './__fixtures__/builders.ts';
import { closeDateChange, daysBetween } from './closeDate.ts';
import { decideDeal } from './decide.ts';

describe('daysBetween', () => {
  it.each([
    ['2026-06-30', '2026-07-15', 15],
    ['2026-07-15', '2026-06-30', -15],
    // Across the March DST change and a leap day: calendar days, not 24-hour periods in New York.
    ['2026-03-01', '2026-03-31', 30],
    ['2028-02-28', '2028-03-01', 2],
    ['2026-12-31', '2027-01-01', 1],
  ])('%s → %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});

describe('closeDateChange', () => {
  const at = T0 + DAY;
  it('a later date with a reason is a push with its slip; the first push is not yet a review', () => {
    expect(closeDateChange(deal('proposal'), '2026-07-15', 'legal review', NEW_BUSINESS, at, 'ev-1')).toEqual(
      {
        kind: 'push',
        push: {
          at,
          from: '2026-06-30',
          to: '2026-07-15',
          slipDays: 15,
          reason: 'legal review',
          cause: 'ev-1',
        },
        forecastReview: false,
      },
    );
  });

  it('a later date without a reason needs one', () => {
    expect(closeDateChange(deal('proposal'), '2026-07-15', undefined, NEW_BUSINESS, at, 'ev-1')).toEqual({
      kind: 'reason_required',
      from: '2026-06-30',
      to: '2026-07-15',
      slipDays: 15,
    });
  });

  it('without `pushReasonRequired` a push without a reason is recorded as such', () => {
    const lax = Object.assign({}, NEW_BUSINESS, {
      closeDate: { pushReasonRequired: false, forecastReviewAfter: 2 },
    });
    expect(closeDateChange(deal('proposal'), '2026-07-01', undefined, lax, at, 'ev-1')).toEqual({
      kind: 'push',
      push: {
        at,
        from: '2026-06-30',
        to: '2026-07-01',
        slipDays: 1,
        reason: '(no reason given)',
        cause: 'ev-1',
      },
      forecastReview: false,
    });
  });

  it('an earlier date is a pull-in; the same date or a first date is no change', () => {
    expect(closeDateChange(deal('proposal'), '2026-06-01', undefined, NEW_BUSINESS, at, 'e')).toEqual({
      kind: 'pull_in',
    });
    expect(closeDateChange(deal('proposal'), '2026-06-30', undefined, NEW_BUSINESS, at, 'e')).toEqual({
      kind: 'unchanged',
    });
    expect(
      closeDateChange(
        deal('proposal', { closeDate: undefined }),
        '2026-06-30',
        undefined,
        NEW_BUSINESS,
        at,
        'e',
      ),
    ).toEqual({ kind: 'unchanged' });
  });

  it('the second push crosses `forecastReviewAfter: 2`; the third does not cross it again', () => {
    const one = { at: T0, from: '2026-06-01', to: '2026-06-30', slipDays: 29, reason: 'budget', cause: 'e0' };
    const second = closeDateChange(
      deal('proposal', { pushes: [one] }),
      '2026-07-10',
      'r',
      NEW_BUSINESS,
      at,
      'e',
    );
    expect(second.kind === 'push' && second.forecastReview).toBe(true);
    const third = closeDateChange(
      deal('proposal', { pushes: [one, one] }),
      '2026-07-10',
      'r',
      NEW_BUSINESS,
      at,
      'e',
    );
    expect(third.kind === 'push' && third.forecastReview).toBe(false);
  });
});

describe('close-date pushes through decideDeal', () => {
  const first = command('close_date_changed', {
    at: T0 + DAY,
    cause: 'ev-push-1',
    changes: { closeDate: '2026-07-15' },
    reason: 'legal review of the MSA',
  });

  it('the first push is recorded with its exact slip; no review yet', () => {
    const decision = decideDeal(deal('proposal'), first, env());
    expect(decision.refusal).toBeUndefined();
    expect(decision.deal?.closeDate).toBe('2026-07-15');
    expect(decision.deal?.pushes).toEqual([
      {
        at: T0 + DAY,
        from: '2026-06-30',
        to: '2026-07-15',
        slipDays: 15,
        reason: 'legal review of the MSA',
        cause: 'ev-push-1',
      },
    ]);
    expect(decision.deal?.flags.forecastReview).toBe(false);
    expect(decision.effects).toEqual([]);
    expect(decision.move).toBeUndefined();
  });

  it('a push without a reason is refused: the date is unchanged, the other changes apply, the owner hears', () => {
    const decision = decideDeal(
      deal('proposal'),
      command('close_date_changed', {
        cause: 'ev-push-x',
        changes: { closeDate: '2026-07-15', amount: 40000 },
      }),
      env(),
    );
    expect(decision.refusal).toEqual({
      code: 'pipeline.push_reason_required',
      message: 'moving the close date from 2026-06-30 to 2026-07-15 (15 days later) needs a reason',
      hint: 'send the push again with `reason` (why the deal slipped)',
    });
    expect(decision.deal?.closeDate).toBe('2026-06-30');
    expect(decision.deal?.pushes).toEqual([]);
    expect(decision.deal?.amount).toBe(40000);
    expect(outboxes(decision.effects)).toEqual([
      {
        kind: 'outbox',
        key: 'deal-refused:d1:ev-push-x',
        type: 'deal_change_refused',
        contactKey: 'email:ava@northwind.io',
        at: T0 + DAY,
        payload: {
          to: 'rep:sofia',
          deal: 'd1',
          code: 'pipeline.push_reason_required',
          message: 'moving the close date from 2026-06-30 to 2026-07-15 (15 days later) needs a reason',
        },
      },
    ]);
  });

  it('a refused push also stops a stage move in the same command', () => {
    const decision = decideDeal(
      deal('proposal'),
      command('stage_changed', { stage: 'negotiation', changes: { closeDate: '2026-08-01' } }),
      env(),
    );
    expect(decision.refusal?.code).toBe('pipeline.push_reason_required');
    expect(decision.move).toBeUndefined();
    expect(decision.deal?.stage).toBe('proposal');
  });

  it('the second push flags the deal for forecast review and tells the owner and the manager', () => {
    const once = decideDeal(deal('proposal'), first, env()).deal!;
    const second = command('close_date_changed', {
      at: T0 + 5 * DAY,
      cause: 'ev-push-2',
      changes: { closeDate: '2026-08-14' },
      reason: 'CFO on leave',
    });
    const decision = decideDeal(once, second, env());
    expect(decision.deal?.pushes.map((p) => [p.from, p.to, p.slipDays, p.reason])).toEqual([
      ['2026-06-30', '2026-07-15', 15, 'legal review of the MSA'],
      ['2026-07-15', '2026-08-14', 30, 'CFO on leave'],
    ]);
    expect(decision.deal?.flags.forecastReview).toBe(true);
    const payload = {
      deal: 'd1',
      name: 'Northwind platform',
      pushes: 2,
      closeDate: '2026-08-14',
      slipDays: 45,
      lastReason: 'CFO on leave',
    };
    expect(outboxes(decision.effects)).toEqual([
      {
        kind: 'outbox',
        key: 'forecast-review:d1:0',
        type: 'forecast_review',
        contactKey: 'email:ava@northwind.io',
        at: T0 + 5 * DAY,
        payload: Object.assign({ to: 'rep:sofia' }, payload),
      },
      {
        kind: 'outbox',
        key: 'forecast-review:d1:1',
        type: 'forecast_review',
        contactKey: 'email:ava@northwind.io',
        at: T0 + 5 * DAY,
        payload: Object.assign({ to: 'rep:dan' }, payload),
      },
    ]);

    // A third push keeps the flag and tells nobody again.
    const third = decideDeal(
      decision.deal,
      command('close_date_changed', {
        at: T0 + 9 * DAY,
        cause: 'ev-push-3',
        changes: { closeDate: '2026-08-31' },
        reason: 'procurement',
      }),
      env(),
    );
    expect(third.deal?.pushes).toHaveLength(3);
    expect(third.deal?.flags.forecastReview).toBe(true);
    expect(outboxes(third.effects, 'forecast_review')).toEqual([]);
  });

  it('a pull-in is not a push: the date moves, no push is recorded, no reason needed', () => {
    const decision = decideDeal(
      deal('proposal'),
      command('close_date_changed', { changes: { closeDate: '2026-06-15' } }),
      env(),
    );
    expect(decision.refusal).toBeUndefined();
    expect(decision.deal?.closeDate).toBe('2026-06-15');
    expect(decision.deal?.pushes).toEqual([]);
    expect(decision.effects).toEqual([]);
  });
});
