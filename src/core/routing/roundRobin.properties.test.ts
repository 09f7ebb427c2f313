/**
 * Round-robin invariants over random teams, weights and eligibility.
 *
 * Fairness is claimed for a phase of constant eligibility from the start of a period: every
 * eligible rep stays strictly within one lead of its weighted share after every pick (the quota
 * method's guarantee). When eligibility changes mid-period the shares move under the counts, so no
 * such bound holds right after a change; what holds at every pick is that the chosen rep was below
 * its share (so no pick ever puts a rep a full lead ahead), calibration only raises counts, and
 * skipped reps keep theirs.
 */
import { fc, it as prop } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { COMPANY, counters, MON_1000_NY, rep, team } from './__fixtures__/builders.ts';
import type { RepModel, TeamStrategy } from './model.ts';
import { pickFromTeam, type TeamCounters } from './roundRobin.ts';

const UNAVAILABLE = ['excluded', 'pto', 'inactive', 'capacity'] as const;
type Unavailable = (typeof UNAVAILABLE)[number];

/**
 * One weight per rep, 1 to 8 reps: 0.1 to 5.0 in steps of 0.1, often a few far-apart values (light
 * and heavy reps together is where a plain "highest deficit wins" rule falls behind).
 */
const weights = fc.array(
  fc.oneof(
    fc.constantFrom(0.1, 0.5, 1.5, 5),
    fc.integer({ min: 1, max: 50 }).map((x) => x / 10),
  ),
  { minLength: 1, maxLength: 8 },
);
/** Per rep: available (undefined) or why not. */
const status = fc.option(fc.constantFrom(...UNAVAILABLE), { nil: undefined, freq: 2 });

function setup(
  ws: readonly number[],
  statuses: readonly (Unavailable | undefined)[],
  strategy: TeamStrategy,
) {
  const ids = ws.map((_, i) => `r${i}`);
  const directory = new Map<string, RepModel>(
    ids.map((id, i) => {
      const s = statuses[i];
      return [
        id,
        rep(id, {
          weight: ws[i] ?? 1,
          active: s !== 'inactive',
          pto: s === 'pto' ? [{ from: '2026-11-30', to: '2026-11-30' }] : [],
          capacity: { maxOpenLeads: 3 },
        }),
      ];
    }),
  );
  const load = new Map(ids.map((id, i) => [id, { openLeads: statuses[i] === 'capacity' ? 3 : 0, today: 0 }]));
  const exclude = ids.filter((_, i) => statuses[i] === 'excluded');
  const eligible = ids.filter((_, i) => statuses[i] === undefined);
  const inRotation = ids.filter((_, i) => statuses[i] === undefined || statuses[i] === 'excluded');
  const weightOf = (id: string) => (strategy === 'round_robin' ? 1 : (directory.get(id)?.weight ?? 1));
  return {
    ids,
    directory,
    load,
    exclude,
    eligible,
    inRotation,
    weightOf,
    team: team('pool', ids, { strategy }),
  };
}

describe('round-robin fairness', () => {
  prop.prop(
    [
      weights.chain((ws) =>
        fc.tuple(fc.constant(ws), fc.array(status, { minLength: ws.length, maxLength: ws.length })),
      ),
      fc.constantFrom<TeamStrategy>('weighted_round_robin', 'round_robin'),
      fc.integer({ min: 1, max: 150 }),
      fc.option(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 8 }), { nil: undefined }),
    ],
    { numRuns: 200 },
  )(
    'with constant eligibility from the start of a period, every eligible rep stays within one lead of its share',
    ([ws, statuses], strategy, picks, lastWeek) => {
      const s = setup(ws, statuses, strategy);
      // Counts from last week must not matter.
      let stored: TeamCounters | undefined =
        lastWeek === undefined
          ? undefined
          : counters('2026-W48', Object.fromEntries(lastWeek.map((c, i) => [`r${i}`, c])));
      const totalWeight = s.eligible.reduce((sum, id) => sum + s.weightOf(id), 0);
      const off: string[] = [];
      for (let n = 1; n <= picks; n++) {
        const result = pickFromTeam(s.team, s.directory, {
          now: MON_1000_NY,
          calendar: COMPANY,
          load: s.load,
          counters: stored,
          exclude: s.exclude,
        });
        stored = result.counters;
        if (s.eligible.length === 0) {
          expect(result.chosen).toBeUndefined();
          return;
        }
        if (!s.eligible.includes(result.chosen ?? ''))
          off.push(`pick ${n}: ${result.chosen} is not eligible`);
        for (const id of s.ids) {
          const count = stored.counts[id] ?? 0;
          const share = s.eligible.includes(id) ? (s.weightOf(id) / totalWeight) * n : 0;
          if (Math.abs(count - share) >= 1) off.push(`pick ${n}: ${id} has ${count}, share ${share}`);
        }
      }
      expect(off).toEqual([]);
    },
  );

  prop.prop(
    [
      weights.chain((ws) =>
        fc.tuple(
          fc.constant(ws),
          fc.array(
            fc.tuple(
              fc.array(status, { minLength: ws.length, maxLength: ws.length }),
              fc.integer({ min: 0, max: 25 }),
            ),
            { minLength: 1, maxLength: 6 },
          ),
        ),
      ),
      fc.constantFrom<TeamStrategy>('weighted_round_robin', 'round_robin', 'least_loaded'),
    ],
    { numRuns: 200 },
  )(
    'as eligibility changes, a pick only goes to a rep below its share; calibration only raises; skipped reps keep their counts',
    ([ws, phases], strategy) => {
      let stored: TeamCounters | undefined;
      const off: string[] = [];
      for (const [statuses, picks] of phases) {
        const s = setup(ws, statuses, strategy);
        for (let n = 0; n < picks; n++) {
          const before: Readonly<Record<string, number>> = stored?.counts ?? {};
          const result = pickFromTeam(s.team, s.directory, {
            now: MON_1000_NY,
            calendar: COMPANY,
            load: s.load,
            counters: stored,
            exclude: s.exclude,
          });
          const after = result.counters.counts;
          for (const id of s.ids) {
            const [was, is] = [before[id] ?? 0, after[id] ?? 0];
            if (s.eligible.includes(id) ? is < was : is !== was) off.push(`${id}: ${was} → ${is}`);
          }
          if (result.chosen === undefined) {
            if (s.eligible.length > 0) off.push(`nobody chosen among ${s.eligible.join(', ')}`);
          } else {
            const totalWeight = s.eligible.reduce((sum, id) => sum + s.weightOf(id), 0);
            const total = s.eligible.reduce((sum, id) => sum + (after[id] ?? 0), 0);
            const share = (s.weightOf(result.chosen) / totalWeight) * total;
            // least_loaded puts load first, so only the round-robin strategies promise this.
            const ahead = (after[result.chosen] ?? 0) - share;
            if (strategy !== 'least_loaded' && ahead >= 1)
              off.push(`${result.chosen} ${ahead} past its share`);
            // Excluded from this lead only: still in the rotation.
            if (result.counters.present.join() !== s.inRotation.join())
              off.push(`present ${result.counters.present.join()}`);
          }
          stored = result.counters;
        }
      }
      expect(off).toEqual([]);
    },
  );
});
