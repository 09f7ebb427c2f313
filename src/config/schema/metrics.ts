/** `metrics`: quotas, spend, unit-economics inputs and the benchmarks each figure is compared with. */
import { z } from 'zod';
import { duration, id, money, percent } from './primitives.ts';

const range = z.strictObject({ min: percent.optional(), max: percent.optional() });
const ratioRange = z.strictObject({
  min: z.number().positive().optional(),
  max: z.number().positive().optional(),
});

export const benchmarksSchema = z
  .strictObject({
    leadToMql: range.prefault({ min: '5%', max: '15%' }),
    mqlToSql: range.prefault({ min: '30%', max: '50%' }),
    sqlToOpportunity: range.prefault({ min: '50%', max: '70%' }),
    winRate: range.prefault({ min: '20%', max: '30%' }),
    speedToLead: duration.prefault('5m'),
    contactedWithinSla: percent.prefault('90%'),
    ltvToCac: ratioRange.prefault({ min: 3, max: 5 }),
    pipelineCoverage: ratioRange.prefault({ min: 3, max: 4 }),
  })
  .describe('Targets shown beside each figure; figures outside are flagged.');

export const metricsSchema = z
  .strictObject({
    quotaPeriod: z.enum(['month', 'quarter', 'year']).default('quarter'),
    teamQuotas: z.array(z.strictObject({ team: id, amount: money })).default([]),
    spend: z
      .array(
        z.strictObject({
          period: z
            .string()
            .regex(/^\d{4}-(Q[1-4]|\d{2})$/, { error: 'expected a period like `2026-Q3` or `2026-10`' }),
          sales: money,
          marketing: money,
          bySource: z.record(z.string(), money).optional(),
        }),
      )
      .default([]),
    economics: z
      .strictObject({
        arpa: money.optional().describe('Average revenue per account per month.'),
        grossMargin: percent.prefault('80%'),
        monthlyChurn: percent.optional(),
      })
      .prefault({}),
    benchmarks: benchmarksSchema.prefault({}),
    goals: z
      .array(z.string().min(1))
      .default([])
      .describe('Goals the dashboard tracks (from init or the product-marketing doc).'),
  })
  .describe('Metrics inputs and benchmarks.');
