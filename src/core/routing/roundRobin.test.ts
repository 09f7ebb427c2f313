import { describe, expect, it } from 'vitest';
import { COMPANY, counters, MON_1000_NY, rep, team } from './__fixtures__/builders.ts';
import type { RepModel, TeamModel } from './model.ts';
import { pickFromTeam, type PickInput, type TeamCounters } from './roundRobin.ts';

const reps = (...list: RepModel[]) => new Map(list.map((r) => [r.id, r]));
const ABC = reps(rep('ana'), rep('ben'), rep('cat'));

function pick(t: TeamModel, directory: ReadonlyMap<string, RepModel>, input: Partial<PickInput> = {}) {
  return pickFromTeam(t, directory, { now: MON_1000_NY, calendar: COMPANY, load: new Map(), ...input });
}

/** `n` picks in a row, each storing the counters the previous one returned. */
function sequence(t: TeamModel, directory: ReadonlyMap<string, RepModel>, n: number, start?: TeamCounters) {
  const chosen: string[] = [];
  let stored = start;
  for (let i = 0; i < n; i++) {
    const result = pick(t, directory, { counters: stored });
    chosen.push(result.chosen ?? '-');
    stored = result.counters;
  }
  return { chosen, counters: stored };
}

describe('pickFromTeam', () => {
  it('weights 2:1 give 2:1, interleaved', () => {
    const directory = reps(rep('ana', { weight: 2 }), rep('ben'));
    const t = team('pool', ['ana', 'ben']);
    expect(sequence(t, directory, 6).chosen).toEqual(['ana', 'ben', 'ana', 'ana', 'ben', 'ana']);
    expect(sequence(t, directory, 30).counters?.counts).toEqual({ ana: 20, ben: 10 });
  });

  it('round_robin ignores weights; ties go to member order', () => {
    const directory = reps(rep('ana', { weight: 3 }), rep('ben'));
    const t = team('pool', ['ben', 'ana'], { strategy: 'round_robin' });
    expect(sequence(t, directory, 4).chosen).toEqual(['ben', 'ana', 'ben', 'ana']);
  });

  it('traces every member: the chosen one, the eligible ones and the skipped ones with the reason', () => {
    const directory = reps(rep('ana'), rep('ben', { capacity: { maxPerDay: 3 } }), rep('cat'));
    const result = pick(team('pool', ['ana', 'ben', 'cat']), directory, {
      counters: counters('2026-W49', { ana: 2, ben: 0, cat: 1 }),
      load: new Map([['ben', { openLeads: 2, today: 3 }]]),
    });
    expect(result.chosen).toBe('cat');
    expect(result.candidates).toEqual([
      {
        rep: 'ana',
        team: 'pool',
        status: 'eligible',
        count: 2,
        weight: 1,
        target: 2,
        deficit: 0,
        due: 6,
        openLeads: 0,
      },
      {
        rep: 'ben',
        team: 'pool',
        status: 'skipped',
        reason: 'at_capacity_day',
        detail: 'ben has 3 leads today (maxPerDay 3)',
        count: 0,
        weight: 1,
        target: 0,
        deficit: 0,
        due: 0,
        openLeads: 2,
      },
      {
        rep: 'cat',
        team: 'pool',
        status: 'chosen',
        count: 1,
        weight: 1,
        target: 2,
        deficit: 1,
        due: 4,
        openLeads: 0,
      },
    ]);
    // ben keeps its count while skipped; the present set is who was eligible.
    expect(result.counters).toEqual({
      period: '2026-W49',
      counts: { ana: 2, ben: 0, cat: 2 },
      present: ['ana', 'cat'],
    });
  });

  it('starts the counts again in a new ISO week (counts from last week are ignored)', () => {
    const t = team('pool', ['ana', 'ben']);
    const directory = reps(rep('ana'), rep('ben'));
    const lastWeek = counters('2026-W48', { ana: 0, ben: 9 });
    expect(pick(t, directory, { counters: lastWeek }).chosen).toBe('ana');
    expect(pick(t, directory, { counters: lastWeek }).counters).toEqual({
      period: '2026-W49',
      counts: { ana: 1, ben: 0 },
      present: ['ana', 'ben'],
    });
    const thisWeek = counters('2026-W49', { ana: 9, ben: 0 });
    expect(pick(t, directory, { counters: thisWeek }).chosen).toBe('ben');
  });

  it('keeps counting across weeks with reset: never', () => {
    const t = team('pool', ['ana', 'ben'], { reset: 'never' });
    const result = pick(t, reps(rep('ana'), rep('ben')), { counters: counters('all', { ana: 9, ben: 0 }) });
    expect(result.chosen).toBe('ben');
    expect(result.counters.period).toBe('all');
  });

  it('calibrates a returning rep to the level of the reps in rotation instead of flooding it', () => {
    const t = team('pool', ['ana', 'ben', 'cat']);
    // cat was away (not eligible at the last pick) while ana and ben took ten each.
    const stored = counters('2026-W49', { ana: 10, ben: 10, cat: 2 }, ['ana', 'ben']);
    const first = pick(t, ABC, { counters: stored });
    expect(first.candidates.find((c) => c.rep === 'cat')).toMatchObject({
      status: 'eligible',
      count: 10,
      detail: 'calibrated from 2 to 10 (not eligible at the last pick)',
    });
    expect(first.chosen).toBe('ana');
    expect(sequence(t, ABC, 6, stored).chosen).toEqual(['ana', 'ben', 'cat', 'ana', 'ben', 'cat']);
  });

  it('leaves a returning rep already above the level where it is', () => {
    const stored = counters('2026-W49', { ana: 2, ben: 2, cat: 7 }, ['ana', 'ben']);
    const result = pick(team('pool', ['ana', 'ben', 'cat']), ABC, { counters: stored });
    expect(result.candidates.find((c) => c.rep === 'cat')).toMatchObject({ count: 7 });
    expect(result.candidates.find((c) => c.rep === 'cat')?.detail).toBeUndefined();
  });

  it('stays within one lead of every weighted share where "highest deficit wins" falls 1.06 behind', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const directory = reps(...ids.map((id, i) => rep(id, { weight: i < 4 ? 0.5 : 1.5 })));
    const t = team('pool', ids, { reset: 'never' });
    let stored: TeamCounters | undefined;
    let worst = 0;
    for (let n = 1; n <= 120; n++) {
      stored = pick(t, directory, { counters: stored }).counters;
      for (const [i, id] of ids.entries()) {
        const share = ((i < 4 ? 0.5 : 1.5) / 8) * n;
        worst = Math.max(worst, Math.abs((stored.counts[id] ?? 0) - share));
      }
    }
    expect(worst).toBeLessThan(1);
  });

  it('least_loaded takes the fewest open leads, ties by the round-robin order', () => {
    const t = team('pool', ['ana', 'ben', 'cat'], { strategy: 'least_loaded' });
    const load = new Map([
      ['ana', { openLeads: 3, today: 0 }],
      ['ben', { openLeads: 1, today: 0 }],
      ['cat', { openLeads: 1, today: 0 }],
    ]);
    expect(pick(t, ABC, { load }).chosen).toBe('ben');
    expect(pick(t, ABC, { load, counters: counters('2026-W49', { ana: 0, ben: 4, cat: 0 }) }).chosen).toBe(
      'cat',
    );
  });

  it('quotaPriority gives a rep below quota a slight priority', () => {
    const directory = reps(rep('ana'), rep('ben'));
    const attainment = new Map([
      ['ana', 1.0],
      ['ben', 0.2],
    ]);
    const withPriority = pick(team('pool', ['ana', 'ben'], { quotaPriority: true }), directory, {
      attainment,
    });
    expect(withPriority.chosen).toBe('ben');
    expect(withPriority.candidates.map((c) => [c.rep, c.deficit, c.detail])).toEqual([
      ['ana', 0.5, 'quota attainment 100%: deficit +0'],
      ['ben', 0.9, 'quota attainment 20%: deficit +0.4'],
    ]);
    expect(pick(team('pool', ['ana', 'ben']), directory, { attainment }).chosen).toBe('ana');
    // Half a lead of priority: one lead behind beats it.
    const behind = counters('2026-W49', { ana: 0, ben: 1 });
    expect(
      pick(team('pool', ['ana', 'ben'], { quotaPriority: true }), directory, { attainment, counters: behind })
        .chosen,
    ).toBe('ana');
  });

  it('chooses nobody when every member is skipped, and returns the counts unchanged', () => {
    const stored = counters('2026-W49', { ana: 1, ben: 2, cat: 0 });
    const result = pick(team('pool', ['ana', 'ben', 'cat']), ABC, {
      counters: stored,
      exclude: ['ana', 'ben', 'cat'],
    });
    expect(result.chosen).toBeUndefined();
    expect(result.candidates.map((c) => c.reason)).toEqual(['excluded', 'excluded', 'excluded']);
    expect(result.counters).toEqual(stored);
  });

  it('skips a member missing from the rep directory', () => {
    const result = pick(team('pool', ['ghost', 'ana']), reps(rep('ana')));
    expect(result.chosen).toBe('ana');
    expect(result.candidates[0]).toMatchObject({
      rep: 'ghost',
      status: 'skipped',
      reason: 'inactive',
      detail: 'ghost is not in team.reps',
    });
  });
});
