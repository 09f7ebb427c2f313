/** The answer of every `/v1/webhooks/*` endpoint, as a named OpenAPI component. */
import { z } from 'zod';

/** The 200 answer of every webhook endpoint. */
export const WebhookResultSchema = z
  .object({
    source: z.string().describe('`segment`, `calendly`, `generic` or `form:<id>`'),
    received: z.number().int().describe('Calls or events in the payload (mapped plus ignored)'),
    accepted: z.number().int().describe('Events stored by this request (after the commit)'),
    duplicates: z.number().int().describe('Events already stored: a redelivery changes nothing'),
    rejected: z.number().int().describe('Always 0: a payload with a bad item is refused whole (422)'),
    ignored: z
      .array(z.object({ path: z.string(), reason: z.string() }))
      .describe('Well-formed calls that carry nothing the engine takes (anonymous, unmapped `track` names)'),
    items: z.array(
      z.object({
        id: z
          .string()
          .describe(
            'The event id, derived from the delivery: `segment:<messageId>`, `calendly:<webhook-id>:0`',
          ),
        type: z.string(),
        path: z
          .string()
          .describe('Where in the payload the event came from (`batch[3]`; empty for the whole body)'),
        status: z.enum(['accepted', 'duplicate', 'rejected']),
      }),
    ),
  })
  .meta({ id: 'WebhookResult' });

/** `{formId}` of `POST /v1/webhooks/forms/{formId}`. */
export const FormParamsSchema = z.object({
  formId: z.string().min(1).max(100).describe('The form id under `inbound.forms` in revops.yaml'),
});

/** One Segment call (the Segment spec's common fields; anything else is kept or ignored). */
const SegmentCallSchema = z
  .object({
    type: z.enum(['track', 'identify', 'page', 'group', 'screen', 'alias']),
    messageId: z
      .string()
      .describe('Unique per call, kept across retries: the event id is `segment:<messageId>`'),
    userId: z.string().optional().describe('Becomes `contact.id`'),
    anonymousId: z.string().optional().describe('Not enough alone: anonymous calls are ignored'),
    event: z
      .string()
      .optional()
      .describe('`track`: the event name, mapped by `inbound.segment.track` or the Segment spec'),
    timestamp: z
      .string()
      .optional()
      .describe('When it happened (ISO); `originalTimestamp`, `sentAt` otherwise'),
    traits: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('`identify`: email, firstName, title, company…'),
    properties: z.record(z.string(), z.unknown()).optional(),
    context: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('`context.traits` (email) and `context.page.url`'),
  })
  .meta({ id: 'SegmentCall' });

/** One Segment call or a `{ batch }` (documentation only: the adapter checks the body). */
export const SegmentBodySchema = z.union([
  SegmentCallSchema,
  z.object({ batch: z.array(SegmentCallSchema), context: z.record(z.string(), z.unknown()).optional() }),
]);

/** A Calendly webhook body (documentation only: the adapter checks the body). */
export const CalendlyBodySchema = z
  .object({
    event: z
      .string()
      .describe('`invitee.created`, `invitee.canceled` or `invitee_no_show.created`; others are ignored'),
    created_at: z.string().optional(),
    payload: z
      .object({
        email: z.string(),
        first_name: z.string().nullable().optional(),
        last_name: z.string().nullable().optional(),
        created_at: z.string().optional(),
        rescheduled: z.boolean().optional(),
        cancellation: z.record(z.string(), z.unknown()).nullable().optional(),
        no_show: z.record(z.string(), z.unknown()).nullable().optional(),
        scheduled_event: z
          .record(z.string(), z.unknown())
          .optional()
          .describe('name, start_time, event_memberships'),
      })
      .describe('The invitee'),
  })
  .meta({ id: 'CalendlyWebhook' });

/** A form submission (documentation only: the adapter checks the body). */
export const FormBodySchema = z
  .record(z.string(), z.unknown())
  .describe('The form fields (JSON or url-encoded); mapped as `inbound.forms.<formId>.fields` says');
