import { describe, expect, it } from 'vitest';
import {
  clock,
  DAY_MS,
  HOUR_MS,
  input,
  JAN,
  lead,
  MINUTE_MS,
  model,
  MON,
  MON_0900,
} from './__fixtures__/builders.ts';
import { slaMetrics } from './sla.ts';

const NOW = MON + 7 * DAY_MS;
const step = (index: number, at: number) => ({ index, action: 'notify_rep' as const, at });

function clocks() {
  const t = MON_0900;
  return input({
    leads: [
      lead({ key: 'p1', source: 'paid' }),
      lead({ key: 'p2', source: 'paid' }),
      lead({ key: 'w1', source: 'webinar' }),
    ],
    clocks: [
      clock({ contactKey: 'p1', startedAt: t, owner: 'ana', status: 'met' }),
      clock({
        contactKey: 'p2',
        startedAt: t,
        owner: 'ana',
        status: 'breached',
        lateWallMs: 10 * MINUTE_MS,
        steps: [step(0, t + 5 * MINUTE_MS), step(1, t + 15 * MINUTE_MS)],
      }),
      clock({
        contactKey: 'w1',
        startedAt: t,
        owner: 'cy',
        status: 'breached',
        lateWallMs: 30 * MINUTE_MS,
        steps: [step(0, t + 5 * MINUTE_MS)],
      }),
      clock({ contactKey: 'w1', startedAt: t + HOUR_MS, owner: 'cy', status: 'open' }),
      clock({ contactKey: 'w1', startedAt: t, owner: 'di', status: 'cancelled' }),
      clock({
        contactKey: 'w1',
        startedAt: t,
        clockId: 'qualification-decision',
        name: 'MQL qualification decision',
        status: 'met',
      }),
      // started before the range
      clock({ contactKey: 'p1', startedAt: MON - DAY_MS, owner: 'ana', status: 'breached' }),
    ],
  });
}

describe('SLA compliance', () => {
  it('counts clocks by status per clock, rep and team', () => {
    const s = slaMetrics(clocks(), model(), JAN, NOW);
    expect(s.total).toEqual({
      clocks: 6,
      met: 2,
      breached: 2,
      open: 1,
      cancelled: 1,
      compliance: 0.5,
      escalations: 3,
      medianLateMs: 20 * MINUTE_MS,
    });
    expect(s.compliance).toEqual({ value: 0.5, benchmark: { min: 0.9 }, status: 'low' });
    expect(s.byClock.map((c) => [c.clockId, c.name, c.clocks, c.compliance])).toEqual([
      ['qualification-decision', 'MQL qualification decision', 1, 1],
      ['speed-to-lead', 'Speed to lead', 5, 0.3333],
    ]);
    expect(s.byRep.map((r) => [r.rep, r.clocks, r.met, r.breached, r.escalations, r.compliance])).toEqual([
      ['ana', 2, 1, 1, 2, 0.5],
      ['cy', 2, 0, 1, 1, 0],
      ['di', 1, 0, 0, 0, null],
      ['unassigned', 1, 1, 0, 0, 1],
    ]);
    expect(s.byTeam.map((t) => [t.team, t.clocks, t.breached, t.escalations])).toEqual([
      ['east', 2, 1, 2],
      ['west', 3, 1, 1],
    ]);
  });

  it('filters by the lead source and the owner’s team', () => {
    const paid = slaMetrics(clocks(), model(), Object.assign({ source: 'paid' }, JAN), NOW);
    expect([paid.total.clocks, paid.total.met, paid.total.breached]).toEqual([2, 1, 1]);
    const west = slaMetrics(clocks(), model(), Object.assign({ team: 'west' }, JAN), NOW);
    expect([west.total.clocks, west.total.breached, west.total.open, west.total.cancelled]).toEqual([
      3, 1, 1, 1,
    ]);
  });
});
