/** `team`: reps, teams, territories and queues — who can own a lead and when. */
import { z } from 'zod';
import { condition, duration, id, isoDate, money } from './primitives.ts';
import { hoursSchema } from './calendar.ts';
import { RESET_PERIODS, TEAM_STRATEGIES } from '../../core/routing/model.ts';

export const REP_ROLES = [
  'sdr',
  'bdr',
  'ae',
  'am',
  'cs',
  'manager',
  'vp_sales',
  'deal_desk',
  'finance',
  'legal',
  'marketing',
  'sales_ops',
] as const;
export { RESET_PERIODS, TEAM_STRATEGIES } from '../../core/routing/model.ts';

const ptoSchema = z.strictObject({
  from: isoDate.describe('First day away (in the rep time zone).'),
  to: isoDate.describe('Last day away, inclusive.'),
  note: z.string().optional(),
});

export const repSchema = z.strictObject({
  id,
  name: z.string().min(1),
  email: z.email({ error: 'expected an email address' }),
  role: z.enum(REP_ROLES),
  timezone: z.string().optional().describe('Defaults to the calendar time zone.'),
  manager: id.optional().describe('The rep id of their manager (escalations go there).'),
  backup: id.optional().describe('The rep id alerted when they miss the speed-to-lead window.'),
  active: z.boolean().default(true),
  weight: z
    .number()
    .positive({ error: 'a weight must be above 0; set `active: false` to take a rep out' })
    .default(1),
  skills: z
    .array(z.string().min(1))
    .default([])
    .describe('Languages, product lines: `spanish`, `analytics`.'),
  capacity: z
    .strictObject({
      maxOpenLeads: z.number().int().positive().optional(),
      maxPerDay: z.number().int().positive().optional(),
    })
    .prefault({}),
  quota: money.optional().describe('Quota for the metrics period (metrics.quotaPeriod).'),
  pto: z.array(ptoSchema).default([]),
  hours: hoursSchema.partial().optional().describe('Working hours when they differ from the calendar.'),
  slack: z.string().optional().describe('Slack member id or handle for direct alerts.'),
});

export const teamSchema = z.strictObject({
  id,
  name: z.string().min(1),
  manager: id.optional(),
  members: z.array(id).min(1, { error: 'a team needs at least one member' }),
  strategy: z.enum(TEAM_STRATEGIES).default('weighted_round_robin'),
  reset: z.enum(RESET_PERIODS).default('weekly').describe('When round-robin counts start again.'),
  respectWorkingHours: z.boolean().default(false).describe('Skip reps outside their working hours.'),
  quotaPriority: z.boolean().default(false).describe('Reps below quota attainment get slight priority.'),
  channel: z.string().optional().describe('Notification channel id for team alerts.'),
});

export const territorySchema = z.strictObject({
  id,
  name: z.string().min(1),
  when: condition('attributes').describe('Which leads belong here, e.g. `company.state in ["CA", "WA"]`.'),
  team: id.describe('The team that owns the territory.'),
});

export const queueSchema = z.strictObject({
  id,
  name: z.string().min(1),
  team: id.optional().describe('Who works the queue.'),
  sla: duration.describe('How soon a queued lead must be picked up.'),
});

export const teamSectionSchema = z
  .strictObject({
    reps: z.array(repSchema).min(1, { error: 'list at least one rep' }),
    teams: z.array(teamSchema).default([]),
    territories: z.array(territorySchema).default([]),
    queues: z.array(queueSchema).default([]),
  })
  .describe('Reps, teams, territories and queues.');
