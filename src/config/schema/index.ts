/** The whole revops.yaml: one strict object per section. Types come from here. */
import { z } from 'zod';
import { automationsSchema } from './automations.ts';
import { calendarSchema } from './calendar.ts';
import { companySchema } from './company.ts';
import { dealDeskSchema } from './dealDesk.ts';
import { deliverySchema } from './delivery.ts';
import { eventsSchema } from './events.ts';
import { hygieneSchema } from './hygiene.ts';
import { inboundSchema } from './inbound.ts';
import { lifecycleSchema } from './lifecycle.ts';
import { metricsSchema } from './metrics.ts';
import { notificationsSchema } from './notifications.ts';
import { pipelineSchema } from './pipeline.ts';
import { routingSchema } from './routing.ts';
import { scoringSchema } from './scoring.ts';
import { slaSchema } from './sla.ts';
import { teamSectionSchema } from './team.ts';

export const CONFIG_VERSION = 1;

export const configSchema = z
  .strictObject({
    version: z.literal(CONFIG_VERSION, { error: `expected \`version: ${CONFIG_VERSION}\`` }),
    company: companySchema,
    calendar: calendarSchema.prefault({}),
    team: teamSectionSchema,
    lifecycle: lifecycleSchema,
    scoring: scoringSchema,
    routing: routingSchema,
    sla: slaSchema.prefault({}),
    pipeline: pipelineSchema,
    dealDesk: dealDeskSchema,
    hygiene: hygieneSchema.prefault({}),
    automations: automationsSchema.default([]),
    notifications: notificationsSchema.prefault({}),
    metrics: metricsSchema.prefault({}),
    events: eventsSchema.prefault({}),
    delivery: deliverySchema.optional(),
    inbound: inboundSchema.prefault({}),
  })
  .describe('RevOps Engine configuration: your funnel as code.');

/** revops.yaml as written (durations, money and percentages as text). */
export type RevopsConfigInput = z.input<typeof configSchema>;
/** revops.yaml after parsing: durations, money, percentages and conditions compiled. */
export type RevopsConfig = z.output<typeof configSchema>;

/** The JSON Schema for editors (`revops schema > revops.schema.json`). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' });
}
