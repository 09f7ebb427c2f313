// Stale deals (revops-SKILL.md "Pipeline Stage Management"): discovery 14 days, proposal 10,
// negotiation 21, or 2 × the average time deals spent in the stage once 5 stays have ended —
// whichever comes first. Entering a stage with a limit sets a `deal-stale:<id>` timer due at that
// instant; `staleness` answers the same question at any instant ("a deal 29 days in negotiation
// (limit 21) is stale").
import { describe, expect, it } from 'vitest';
import {
  addTime,
  command,
  contact,
  DAY,
  deal,
  env,
  NEW_BUSINESS,
  T0,
  timers,
} from './__fixtures__/builders.ts';
import { decideDeal } from './decide.ts';
import { MIN_SAMPLES, stageAverages, staleDue, staleness, type StageAverages } from './stale.ts';
import type { DealState, DealStageMove } from './types.ts';

/** A deal that went qualified → discovery → demo, `days` days in discovery. */
function pastDeal(id: string, days: number, start = T0 - 60 * DAY): DealState {
  const history: DealStageMove[] = [
    { to: 'qualified', at: start, cause: `${id}-0`, skipped: [] },
    { from: 'qualified', to: 'discovery', at: start + DAY, cause: `${id}-1`, skipped: [] },
    { from: 'discovery', to: 'demo', at: start + DAY + days * DAY, cause: `${id}-2`, skipped: [] },
  ];
  return deal('demo', { id, history, stageEnteredAt: start + DAY + days * DAY });
}

const averagesOf = (days: readonly number[]): StageAverages =>
  stageAverages(days.map((d, i) => pastDeal(`p${i}`, d)));

describe('stageAverages', () => {
  it('averages the stays that ended, per pipeline and stage, with their count', () => {
    const still = deal('discovery', { id: 'open-1' }, T0 - 40 * DAY);
    const averages = stageAverages([...[2, 3, 4, 3, 3].map((d, i) => pastDeal(`p${i}`, d)), still]);
    expect(averages.get('new-business:discovery')).toEqual({ averageMs: 3 * DAY, samples: 5 });
    // Each past deal spent one day in qualified; the open deal's qualified stay ended too.
    expect(averages.get('new-business:qualified')).toEqual({ averageMs: DAY, samples: 6 });
    // Stays still running (demo for the past deals, discovery for the open one) do not count.
    expect(averages.get('new-business:demo')).toBeUndefined();
  });
});

describe('staleDue', () => {
  it('negotiation: exactly 21 days (wall clock) after entry, on the limit', () => {
    expect(staleDue(NEW_BUSINESS, 'negotiation', T0, addTime, undefined)).toEqual({
      dueAt: T0 + 21 * DAY,
      basis: 'limit',
      limitMs: 21 * DAY,
    });
    expect(staleDue(NEW_BUSINESS, 'discovery', T0, addTime, undefined)?.dueAt).toBe(T0 + 14 * DAY);
    expect(staleDue(NEW_BUSINESS, 'proposal', T0, addTime, undefined)?.dueAt).toBe(T0 + 10 * DAY);
  });

  it('stages without a limit, closed stages and unknown stages never go stale', () => {
    for (const stage of ['qualified', 'demo', 'closed_won', 'closed_lost', 'nowhere'])
      expect(staleDue(NEW_BUSINESS, stage, T0, addTime, undefined)).toBeUndefined();
  });

  it(`with ${MIN_SAMPLES} past stays averaging 3 days, 2 × average (6 days) beats the 14-day limit`, () => {
    expect(MIN_SAMPLES).toBe(5);
    expect(staleDue(NEW_BUSINESS, 'discovery', T0, addTime, averagesOf([2, 3, 4, 3, 3]))).toEqual({
      dueAt: T0 + 6 * DAY,
      basis: 'average',
      limitMs: 6 * DAY,
    });
  });

  it('four stays are too few for the average to count', () => {
    expect(staleDue(NEW_BUSINESS, 'discovery', T0, addTime, averagesOf([2, 3, 4, 3]))).toEqual({
      dueAt: T0 + 14 * DAY,
      basis: 'limit',
      limitMs: 14 * DAY,
    });
  });

  it('an average whose double passes the limit leaves the limit in charge', () => {
    // 8 days on average: 16 > 14.
    expect(staleDue(NEW_BUSINESS, 'discovery', T0, addTime, averagesOf([8, 8, 8, 8, 8]))?.basis).toBe(
      'limit',
    );
  });

  it('a stage without a limit goes stale on the average alone', () => {
    const averages: StageAverages = new Map([['new-business:demo', { averageMs: 2.5 * DAY, samples: 7 }]]);
    expect(staleDue(NEW_BUSINESS, 'demo', T0, addTime, averages)).toEqual({
      dueAt: T0 + 5 * DAY,
      basis: 'average',
      limitMs: 5 * DAY,
    });
  });
});

describe('staleness', () => {
  const inNegotiation = deal('negotiation', {}, T0);

  it('a deal 29 days in negotiation (limit 21) is stale since day 21', () => {
    expect(staleness(inNegotiation, NEW_BUSINESS, T0 + 29 * DAY, addTime)).toEqual({
      stage: 'negotiation',
      since: T0 + 21 * DAY,
      basis: 'limit',
      limitMs: 21 * DAY,
      managerAlerted: false,
    });
  });

  it('at day 20 it is not; at exactly day 21 it is', () => {
    expect(staleness(inNegotiation, NEW_BUSINESS, T0 + 20 * DAY, addTime)).toBeUndefined();
    expect(staleness(inNegotiation, NEW_BUSINESS, T0 + 21 * DAY - 1, addTime)).toBeUndefined();
    expect(staleness(inNegotiation, NEW_BUSINESS, T0 + 21 * DAY, addTime)?.since).toBe(T0 + 21 * DAY);
  });

  it('a closed deal is never stale', () => {
    const won = deal('closed_won', { status: 'won' }, T0);
    expect(staleness(won, NEW_BUSINESS, T0 + 400 * DAY, addTime)).toBeUndefined();
  });

  it('the flag the timer set is kept for its stage; a flag from another stage is ignored', () => {
    const flag = {
      stage: 'negotiation',
      since: T0 + 21 * DAY,
      basis: 'limit',
      limitMs: 21 * DAY,
      managerAlerted: true,
    } as const;
    const flagged = deal('negotiation', { flags: { skipped: [], forecastReview: false, stale: flag } }, T0);
    expect(staleness(flagged, NEW_BUSINESS, T0 + DAY, addTime)).toBe(flag);
    const moved = deal('demo', { flags: { skipped: [], forecastReview: false, stale: flag } }, T0);
    expect(staleness(moved, NEW_BUSINESS, T0 + 100 * DAY, addTime)).toBeUndefined();
  });

  it('uses the average when given', () => {
    const inDiscovery = deal('discovery', {}, T0);
    const averages = averagesOf([3, 3, 3, 3, 3]);
    expect(staleness(inDiscovery, NEW_BUSINESS, T0 + 6 * DAY, addTime, averages)?.basis).toBe('average');
    expect(staleness(inDiscovery, NEW_BUSINESS, T0 + 6 * DAY, addTime)).toBeUndefined();
  });
});

describe('the stale timer set on entry', () => {
  it('entering negotiation cancels the old alerts and sets `deal-stale:d1` exactly 21 days later', () => {
    const enteredAt = T0 + 3 * DAY;
    const decision = decideDeal(
      deal('proposal'),
      command('stage_changed', { stage: 'negotiation', at: enteredAt, cause: 'ev-neg' }),
      env({ contact: contact() }),
    );
    expect(decision.effects.slice(0, 2)).toEqual([
      { kind: 'cancelTimer', key: 'deal-stale:d1' },
      { kind: 'cancelTimer', key: 'deal-stale-manager:d1' },
    ]);
    expect(timers(decision.effects)).toEqual([
      {
        kind: 'timer',
        key: 'deal-stale:d1',
        dueAt: enteredAt + 21 * DAY,
        contactKey: 'email:ava@northwind.io',
        payload: {
          kind: 'deal_stale',
          deal: 'd1',
          stage: 'negotiation',
          enteredAt,
          basis: 'limit',
          limitMs: 21 * DAY,
        },
      },
    ]);
  });

  it('entering discovery with 5 past stays averaging 3 days sets it 6 days later, on the average', () => {
    const decision = decideDeal(
      deal('qualified'),
      command('stage_changed', { stage: 'discovery', at: T0 + DAY }),
      env({ averages: averagesOf([2, 3, 4, 3, 3]) }),
    );
    const stale = timers(decision.effects).find((t) => t.key === 'deal-stale:d1');
    expect([stale?.dueAt, stale?.payload['basis'], stale?.payload['limitMs']]).toEqual([
      T0 + DAY + 6 * DAY,
      'average',
      6 * DAY,
    ]);
  });

  it('a move clears the stale flag; a stage without a limit sets no new timer', () => {
    const flagged = deal('negotiation', {
      flags: {
        skipped: ['demo'],
        forecastReview: true,
        stale: { stage: 'negotiation', since: T0, basis: 'limit', limitMs: 21 * DAY, managerAlerted: false },
      },
    });
    const decision = decideDeal(
      flagged,
      command('closed_lost', { changes: { lossReason: 'budget' } }),
      env(),
    );
    expect(decision.deal?.flags).toEqual({ skipped: ['demo'], forecastReview: true });
    expect(timers(decision.effects).filter((t) => t.key.startsWith('deal-stale'))).toEqual([]);
    expect(decision.effects.slice(0, 2)).toEqual([
      { kind: 'cancelTimer', key: 'deal-stale:d1' },
      { kind: 'cancelTimer', key: 'deal-stale-manager:d1' },
    ]);
  });
});
