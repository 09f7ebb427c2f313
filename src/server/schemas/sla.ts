/** SLA clocks as the API shows them, and the list's query. */
import { z } from 'zod';
import {
  isRunning,
  SLA_CLOCK_STATUSES,
  SLA_ESCALATION_ACTIONS,
  type SlaClock,
} from '../../core/sla/model.ts';
import type { Millis } from '../../core/types.ts';
import { CursorQuery, IsoTime, iso, isoOrNull, LimitQuery, pageOf } from './common.ts';

export const SlaClockSchema = z
  .object({
    key: z.string(),
    clock: z.string().describe('The clock id (`sla.clocks[].id`, or a tier or queue SLA)'),
    name: z.string(),
    contact: z.string().describe('The contact key'),
    owner: z.string().nullable(),
    status: z.enum(SLA_CLOCK_STATUSES),
    running: z.boolean().describe('Open, or breached and not yet stopped (its escalation ladder goes on)'),
    startedAt: IsoTime,
    dueAt: IsoTime,
    target: z.string().describe('As written in the config: `4 business hours`'),
    business: z.boolean(),
    timezone: z.string(),
    startStage: z.string().nullable(),
    cause: z.string(),
    stoppedAt: IsoTime.nullable(),
    stopReason: z.string().nullable(),
    metAt: IsoTime.nullable(),
    breachedAt: IsoTime.nullable(),
    lateMs: z.number().nullable().describe('Recorded lateness (business ms for business targets)'),
    lateWallMs: z.number().nullable(),
    overdueMs: z
      .number()
      .nullable()
      .describe('Running and past due: wall-clock ms since the due time, as of the request'),
    steps: z.array(
      z.object({
        index: z.number().int(),
        action: z.enum(SLA_ESCALATION_ACTIONS),
        at: IsoTime,
        to: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'SlaClock' });

export const SlaPageSchema = pageOf(SlaClockSchema).meta({ id: 'SlaClockPage' });

export const SlaListQuery = z.object({
  status: z
    .enum(['running', 'open', 'breached', 'met', 'cancelled', 'all'])
    .default('running')
    .describe('Which clocks: `running` (default: open and breached), one status, or `all`'),
  contact: z.string().optional().describe('Only this contact’s clocks: an email or a contact key'),
  limit: LimitQuery,
  cursor: CursorQuery,
});

export type SlaClockView = z.infer<typeof SlaClockSchema>;

/** A clock as listed, `overdueMs` as of `now`. Does not throw. */
export function slaClockView(c: SlaClock, now: Millis): SlaClockView {
  const running = isRunning(c);
  return {
    key: c.key,
    clock: c.clockId,
    name: c.name,
    contact: c.contactKey,
    owner: c.owner ?? null,
    status: c.status,
    running,
    startedAt: iso(c.startedAt),
    dueAt: iso(c.dueAt),
    target: c.target,
    business: c.business,
    timezone: c.timezone,
    startStage: c.startStage ?? null,
    cause: c.cause,
    stoppedAt: isoOrNull(c.stoppedAt),
    stopReason: c.stopReason ?? null,
    metAt: isoOrNull(c.metAt),
    breachedAt: isoOrNull(c.breachedAt),
    lateMs: c.lateMs ?? null,
    lateWallMs: c.lateWallMs ?? null,
    overdueMs: running && now > c.dueAt ? now - c.dueAt : null,
    steps: c.steps.map((s) => ({ index: s.index, action: s.action, at: iso(s.at), to: s.to ?? null })),
  };
}
