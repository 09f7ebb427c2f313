import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, input, JAN, lead, model, MON, MON_0900 } from './__fixtures__/builders.ts';
import { timeInStageMetrics } from './timeInStage.ts';

const NOW = MON + 2 * DAY_MS;

/** Ten leads that became MQLs after 1…10 hours, two leads still waiting, and a few edge cases. */
function leads(withOldLead = true) {
  return [
    ...Array.from({ length: 10 }, (_, i) =>
      lead({ key: `k${i + 1}`, path: ['lead', 'mql'], step: (i + 1) * HOUR_MS }),
    ),
    ...(withOldLead ? [lead({ key: 'waiting12', at: NOW - 12 * HOUR_MS })] : []),
    lead({ key: 'waiting3', at: NOW - 3 * HOUR_MS }),
    // Passed through lead and MQL within one event: zero-length stays are left out.
    lead({ key: 'z', path: ['lead', 'mql', 'sql'], step: 0 }),
    // Its lead stay closed before the window.
    lead({ key: 'early', at: MON - 5 * DAY_MS, path: ['lead', 'mql'], step: DAY_MS }),
  ];
}

describe('time in stage', () => {
  it('gives average, median and p90 of the stays closed in the window, open stays apart', () => {
    const t = timeInStageMetrics(input({ leads: leads() }), model(), JAN, NOW);
    const row = (stage: string) => t.stages.find((s) => s.stage === stage);
    expect(row('lead')).toEqual({
      stage: 'lead',
      count: 10,
      averageMs: 5.5 * HOUR_MS,
      medianMs: 5.5 * HOUR_MS,
      p90Ms: 9 * HOUR_MS, // nearest rank: the 9th of 10
      open: 2,
      openMedianAgeMs: 7.5 * HOUR_MS,
      pastP90: 1, // waiting for 12 hours
    });
    // ten MQLs aged 29…38 hours and `early` aged 6 days: the median is the 6th, 34 hours
    expect(row('mql')).toEqual({
      stage: 'mql',
      count: 0,
      averageMs: null,
      medianMs: null,
      p90Ms: null,
      open: 11,
      openMedianAgeMs: 34 * HOUR_MS,
      pastP90: 0,
    });
    expect(row('sql')).toMatchObject({ count: 0, open: 1, openMedianAgeMs: NOW - MON_0900 });
    expect(t.stages.map((s) => s.stage)).toEqual(model().stages);
  });

  it('finds where leads stall: most stays past p90, else the longest median', () => {
    expect(timeInStageMetrics(input({ leads: leads() }), model(), JAN, NOW).stall).toEqual({
      stage: 'lead',
      basis: 'past_p90',
      pastP90: 1,
      medianMs: 5.5 * HOUR_MS,
    });
    expect(timeInStageMetrics(input({ leads: leads(false) }), model(), JAN, NOW).stall).toEqual({
      stage: 'lead',
      basis: 'longest_median',
      pastP90: 0,
      medianMs: 5.5 * HOUR_MS,
    });
    expect(timeInStageMetrics(input({}), model(), JAN, NOW).stall).toBeNull();
  });
});
