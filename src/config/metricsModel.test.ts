/**
 * The metrics model compiled from the three templates, pinned to the reference tables
 * (revops-SKILL.md "Key Metrics" benchmarks, "Pipeline Metrics" coverage of 3-4x) and to the
 * templates' quotas; local time in the company calendar (New York).
 */
import { describe, expect, it } from 'vitest';
import { economicsMetrics } from '../core/metrics/economics.ts';
import { periodBounds } from '../core/metrics/period.ts';
import { speedToLeadMetrics } from '../core/metrics/speedToLead.ts';
import { createBusinessCalendar } from '../core/time/calendar.ts';
import type { ContactState } from '../core/types.ts';
import { loadConfigFile } from './loader.ts';
import { metricsModel } from './metricsModel.ts';
import type { RevopsConfig } from './schema/index.ts';
import { TEMPLATE_NAMES, templatePath, type TemplateName } from './templates/index.ts';

function load(name: TemplateName, edit: (c: RevopsConfig) => RevopsConfig = (c) => c) {
  const config = edit(loadConfigFile(templatePath(name)));
  const calendar = createBusinessCalendar({
    timezone: config.calendar.timezone ?? config.company.timezone,
    hours: config.calendar.hours,
    holidays: config.calendar.holidays,
  });
  return metricsModel(config, calendar);
}

describe.each(TEMPLATE_NAMES.map((template) => ({ template })))(
  '$template: the metrics model',
  ({ template }) => {
    const model = load(template);

    it('carries the reference benchmarks as fractions and ratios', () => {
      expect(model.benchmarks).toEqual({
        leadToMql: { min: 0.05, max: 0.15 },
        mqlToSql: { min: 0.3, max: 0.5 },
        sqlToOpportunity: { min: 0.5, max: 0.7 },
        winRate: { min: 0.2, max: 0.3 },
        speedToLeadMs: 300_000,
        contactedWithinSla: 0.9,
        ltvToCac: { min: 3, max: 5 },
        pipelineCoverage: { min: 3, max: 4 },
      });
      expect(model.speedToLeadClock).toBe('speed-to-lead');
    });

    it('ranks the funnel stages (an evangelist counts as a customer) and knows the recycling stage', () => {
      expect(model.funnelRank).toEqual({
        lead: 0,
        mql: 1,
        sql: 2,
        opportunity: 3,
        customer: 4,
        evangelist: 4,
      });
      expect(model.recyclingStage).toBe('recycled');
      expect(model.reasonCodes['FIT-01']).toBe('Company too small');
    });

    it('keeps the deal stages with their kinds and probabilities', () => {
      expect(model.pipelines[0]?.stages.map((s) => [s.id, s.kind, s.probability])).toEqual([
        ['qualified', 'open', 0.1],
        ['discovery', 'open', 0.2],
        ['demo', 'open', 0.4],
        ['proposal', 'open', 0.6],
        ['negotiation', 'open', 0.8],
        ['closed_won', 'won', 1],
        ['closed_lost', 'lost', 0],
      ]);
    });

    it('tells local dates and periods in New York', () => {
      expect(new Date(model.startOfDate('2026-01-01')).toISOString()).toBe('2026-01-01T05:00:00.000Z');
      // 03:00 UTC on 1 January is still New Year's Eve in New York
      expect(model.localTime(Date.UTC(2026, 0, 1, 3))).toMatchObject({ date: '2025-12-31', weekday: 'wed' });
    });
  },
);

describe('sales-led quotas and economics', () => {
  const model = load('sales-led');

  it('takes team quotas from metrics.teamQuotas, else the members’ rep quotas', () => {
    expect(model.quotaPeriod).toBe('quarter');
    expect(model.teamQuotas).toMatchObject({
      general: 900_000, // metrics.teamQuotas: 3 AEs × $300K
      international: 200_000,
      enterprise: 600_000, // priya and sofia, $300K each
    });
    expect(model.totalQuota).toBe(1_100_000);
    expect(model.reps.find((r) => r.id === 'priya')).toEqual({
      id: 'priya',
      weight: 1.2,
      active: true,
      teams: ['enterprise', 'west', 'general'],
      quota: 300_000,
    });
  });

  it('bounds a quarter by New York midnights (EST to EDT)', () => {
    expect(periodBounds('2026-Q1', model)).toEqual({
      id: '2026-Q1',
      from: Date.UTC(2026, 0, 1, 5),
      to: Date.UTC(2026, 3, 1, 4),
    });
  });
});

describe('mid-market economics with a monthly churn', () => {
  it('gives LTV = $1,000 ARPA × 80% margin ÷ 1.5% churn', () => {
    const model = load('mid-market', (c) =>
      Object.assign({}, c, {
        metrics: Object.assign({}, c.metrics, {
          economics: Object.assign({}, c.metrics.economics, { monthlyChurn: 0.015 }),
        }),
      }),
    );
    const empty = { contacts: [], history: [], touches: [], assignments: [], clocks: [], deals: [] };
    const range = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2026, 3, 1) };
    expect(economicsMetrics(empty, model, range, range.to).ltv).toEqual({ value: 53_333.33, status: 'n/a' });
  });

  it('buckets arrivals by the New York hour', () => {
    const model = load('mid-market');
    const at = Date.UTC(2026, 0, 5, 14, 5); // Monday 09:05 in New York
    const contact: ContactState = {
      key: 'x',
      attributes: {},
      companyAttributes: {},
      stage: 'mql',
      stageEnteredAt: at,
      flags: [],
      createdAt: at,
      updatedAt: at,
      eventCount: 1,
    };
    const rows = {
      contacts: [contact],
      history: [{ contactKey: 'x', to: 'mql', at, cause: 'e1', reason: 'first seen' }],
      touches: [{ contactKey: 'x', at: at + 60_000, kind: 'call', rep: 'maya', eventId: 't1' }],
      assignments: [],
      clocks: [],
      deals: [],
    };
    const s = speedToLeadMetrics(rows, model, { from: at - 1, to: at + 1 }, at + 3_600_000);
    expect(s.byHour.filter((h) => h.mqls > 0).map((h) => [h.hour, h.medianMs])).toEqual([[9, 60_000]]);
    expect(s.byWeekday.filter((w) => w.mqls > 0).map((w) => w.weekday)).toEqual(['mon']);
  });
});
