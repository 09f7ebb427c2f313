import { describe, expect, it } from 'vitest';
import {
  assignment,
  DAY_MS,
  HOUR_MS,
  input,
  JAN,
  MINUTE_MS,
  model,
  MON,
  MON_0900,
} from './__fixtures__/builders.ts';
import { routingFromCounts, routingMetrics, type RoutingCounts } from './routing.ts';

const T = MON_0900;
const NOW = MON + 2 * DAY_MS;

function log() {
  const west = ['cy', 'cy', 'cy', 'di', 'di', 'di'].map((owner, i) =>
    assignment({ contactKey: `w${i}`, at: T, owner, team: 'west', rule: 'round-robin-west' }),
  );
  return input({
    assignments: [
      ...west,
      assignment({ contactKey: 'e1', at: T, owner: 'ana', team: 'east', rule: 'rr-east' }),
      assignment({ contactKey: 'e2', at: T, owner: 'ana', team: 'east', rule: 'rr-east' }),
      assignment({ contactKey: 'n1', at: T, owner: 'ana', rule: 'named-account' }),
      assignment({ contactKey: 'k1', at: T, owner: 'cy', rule: 'existing-owner', kind: 'kept' }),
      assignment({ contactKey: 'q1', at: T, kind: 'queued', queue: 'fallback', rule: 'fallback' }),
      assignment({ contactKey: 'q1', at: T + 30 * MINUTE_MS, owner: 'bo', team: 'east', rule: 'pickup' }),
      assignment({ contactKey: 'q2', at: T + HOUR_MS, kind: 'queued', queue: 'fallback', rule: 'fallback' }),
      assignment({ contactKey: 'v1', at: T, kind: 'review', rule: 'review' }),
      assignment({
        contactKey: 'old',
        at: MON - DAY_MS,
        owner: 'cy',
        team: 'west',
        rule: 'round-robin-west',
      }),
    ],
  });
}

describe('routing', () => {
  it('counts decisions by kind, rep and rule', () => {
    const r = routingMetrics(log(), model(), JAN, NOW);
    expect(r.decisions).toEqual({ total: 14, assigned: 10, kept: 1, queued: 2, review: 1 });
    expect(r.byRep).toEqual([
      { rep: 'ana', assigned: 3, kept: 0, share: 0.3 },
      { rep: 'cy', assigned: 3, kept: 1, share: 0.3 },
      { rep: 'di', assigned: 3, kept: 0, share: 0.3 },
      { rep: 'bo', assigned: 1, kept: 0, share: 0.1 },
    ]);
    expect(r.byRule.map((x) => [x.rule, x.total])).toEqual([
      ['round-robin-west', 6],
      ['fallback', 2],
      ['rr-east', 2],
      ['existing-owner', 1],
      ['named-account', 1],
      ['pickup', 1],
      ['review', 1],
    ]);
  });

  it('compares each team’s shares with the weighted targets', () => {
    expect(routingMetrics(log(), model(), JAN, NOW).fairness).toEqual([
      {
        team: 'east',
        assigned: 3,
        maxDeviation: 0.1667,
        reps: [
          { rep: 'ana', weight: 1, assigned: 2, share: 0.6667, target: 0.5, deviation: 0.1667 },
          { rep: 'bo', weight: 1, assigned: 1, share: 0.3333, target: 0.5, deviation: -0.1667 },
        ],
      },
      {
        team: 'west',
        assigned: 6,
        maxDeviation: 0.1667,
        reps: [
          // cy weighs 2, di 1: targets of 2/3 and 1/3
          { rep: 'cy', weight: 2, assigned: 3, share: 0.5, target: 0.6667, deviation: -0.1667 },
          { rep: 'di', weight: 1, assigned: 3, share: 0.5, target: 0.3333, deviation: 0.1667 },
        ],
      },
    ]);
  });

  it('measures the time queued leads wait for a rep', () => {
    expect(routingMetrics(log(), model(), JAN, NOW).queues).toEqual([
      {
        queue: 'fallback',
        count: 1,
        averageMs: 30 * MINUTE_MS,
        medianMs: 30 * MINUTE_MS,
        p90Ms: 30 * MINUTE_MS,
        queued: 2,
        pickedUp: 1,
        waiting: 1,
        oldestWaitingMs: NOW - (T + HOUR_MS),
      },
    ]);
  });

  it('filters by team: the decision’s team or its owner’s', () => {
    const east = routingMetrics(log(), model(), Object.assign({ team: 'east' }, JAN), NOW);
    expect(east.decisions).toEqual({ total: 4, assigned: 4, kept: 0, queued: 0, review: 0 });
  });

  it('lists a team’s other reps after its members, by their first assignment in the log', () => {
    const east = (contactKey: string, at: number, owner: string) =>
      assignment({ contactKey, at, owner, team: 'east', rule: 'rr-east' });
    const reps = (rows: ReturnType<typeof east>[]) =>
      routingMetrics(input({ assignments: rows }), model(), JAN, NOW).fairness[0]?.reps.map((r) => r.rep);
    // zed (no rep) and cy (of west) are not members of east: the first of the two to appear comes first.
    expect(
      reps([east('a', T, 'zed'), east('b', T, 'cy'), east('c', T + 1, 'cy'), east('d', T + 2, 'ana')]),
    ).toEqual(['ana', 'bo', 'zed', 'cy']);
    expect(reps([east('a', T, 'cy'), east('b', T, 'zed'), east('c', T, 'zed')])).toEqual([
      'ana',
      'bo',
      'cy',
      'zed',
    ]);
  });

  it('builds the same report from counts in any order', () => {
    const counts: RoutingCounts = {
      decisions: [
        { kind: 'assigned', owner: 'zed', team: 'east', rule: 'rr-east', count: 2 },
        { kind: 'assigned', owner: 'ana', team: 'east', rule: 'rr-east', count: 1 },
        { kind: 'kept', owner: 'ana', rule: 'existing-owner', count: 3 },
        { kind: 'assigned', owner: 'cy', team: 'east', rule: 'pickup', count: 1 },
        { kind: 'queued', rule: 'fallback', count: 2 },
        { kind: 'review', rule: 'review', count: 1 },
      ],
      firstAssigned: [
        { team: 'east', owner: 'cy' },
        { team: 'east', owner: 'ana' },
        { team: 'east', owner: 'zed' },
      ],
      queued: [
        { at: T, pickedUpAt: T + MINUTE_MS },
        { queue: 'fallback', at: T + HOUR_MS },
      ],
    };
    const r = routingFromCounts(counts, model(), NOW);
    const reversed = {
      decisions: [...counts.decisions].reverse(),
      firstAssigned: counts.firstAssigned,
      queued: [...counts.queued].reverse(),
    };
    expect(routingFromCounts(reversed, model(), NOW)).toEqual(r);
    expect(r.decisions).toEqual({ total: 10, assigned: 4, kept: 3, queued: 2, review: 1 });
    expect(r.byRep).toEqual([
      { rep: 'zed', assigned: 2, kept: 0, share: 0.5 },
      { rep: 'ana', assigned: 1, kept: 3, share: 0.25 },
      { rep: 'cy', assigned: 1, kept: 0, share: 0.25 },
    ]);
    expect(r.fairness[0]?.reps.map((x) => [x.rep, x.assigned, x.target])).toEqual([
      ['ana', 1, 0.5],
      ['bo', 0, 0.5],
      ['cy', 1, 0],
      ['zed', 2, 0],
    ]);
    expect(r.fairness[0]?.maxDeviation).toBe(0.5);
    expect(r.queues.map((q) => [q.queue, q.queued, q.pickedUp, q.medianMs, q.oldestWaitingMs])).toEqual([
      ['(none)', 1, 1, MINUTE_MS, null],
      ['fallback', 1, 0, null, NOW - T - HOUR_MS],
    ]);
  });
});
