// The demo summary as text: the pipeline lines (open deals by stage, stale, pushes, skips, refusals,
// approvals), and a workspace seeded before deals were summarized, which prints without them.
import { describe, expect, it } from 'vitest';
import { formatDemoSummary } from './format.ts';
import type { DemoSummary } from './summary.ts';

const base: DemoSummary = {
  seed: 42,
  from: '2026-08-30T00:00:00.000Z',
  anchor: '2026-11-28T00:00:00.000Z',
  days: 90,
  events: 19_697,
  eventsHash: 'a'.repeat(64),
  eventTypes: {},
  timersFired: 854,
  contacts: 1_705,
  accounts: 608,
  stages: { lead: 3 },
  reached: { lead: 10, mql: 2 },
  rates: { leadToMql: 0.2, mqlToSql: 0.5, sqlToOpportunity: 0.5, winRate: 0.25 },
  deals: { created: 8, won: 1, lost: 3 },
  assignments: { total: 2, byRep: { priya: 2 }, queued: 0, review: 0, reassigned: 0 },
  sla: { clocks: 1, open: 1, met: 0, breached: 0, escalations: 0 },
  rejections: {},
  tasks: { open: 1, done: 2 },
};

describe('formatDemoSummary', () => {
  it('ends with the pipeline: open deals by stage, the flags, and the deal desk', () => {
    const text = formatDemoSummary(
      Object.assign({}, base, {
        pipeline: {
          open: { discovery: 8, demo: 5, proposal: 3, negotiation: 9 },
          stale: 5,
          pushed: 13,
          forecastReview: 5,
          skipped: 4,
          refused: 1,
          fieldsMissing: 0,
          approvals: { pending: 2, approved: 19, rejected: 2, escalated: 5 },
        },
      }),
    );
    expect(text.split('\n').slice(-3)).toEqual([
      '  pipeline  25 open deals: discovery 8 · demo 5 · proposal 3 · negotiation 9',
      '            5 stale, 13 pushed (5 in forecast review), 4 skipped a stage, 1 change refused',
      '            approvals 2 pending, 19 approved, 2 rejected; 5 escalated',
    ]);
  });

  it('counts deals created without their fields as refused changes too, and says when none is open', () => {
    const text = formatDemoSummary(
      Object.assign({}, base, {
        pipeline: {
          open: {},
          stale: 0,
          pushed: 0,
          forecastReview: 0,
          skipped: 0,
          refused: 1,
          fieldsMissing: 2,
          approvals: { pending: 0, approved: 0, rejected: 0, escalated: 0 },
        },
      }),
    );
    expect(text.split('\n').slice(-3, -1)).toEqual([
      '  pipeline  0 open deals',
      '            0 stale, 0 pushed (0 in forecast review), 0 skipped a stage, 3 changes refused',
    ]);
  });

  it('prints a summary stored before deals were summarized without a pipeline line', () => {
    const lines = formatDemoSummary(base).split('\n');
    expect(lines.at(-1)).toBe('  tasks     1 open, 2 done');
    expect(lines.some((l) => l.includes('pipeline'))).toBe(false);
  });
});
