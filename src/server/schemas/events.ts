/**
 * `POST /v1/events`: the body (one event, an array, or `{ "events": [...] }`) and the per-item
 * answer. The event schema documents the catalog (docs/events.md); the engine validates each event
 * on its own, so one bad event is rejected with its reasons while the others are stored.
 */
import { z } from 'zod';
import { EVENT_TYPES } from '../../core/events/catalog.ts';
import { AttributeValueSchema, HttpIssueSchema } from './common.ts';

export const EventSchema = z
  .object({
    id: z.string().max(200).describe('The idempotency key: the same id twice changes nothing'),
    type: z
      .string()
      .describe(`One of ${EVENT_TYPES.join(', ')}, or a custom type declared under \`events.custom\``),
    at: z
      .string()
      .optional()
      .describe('When it happened: ISO time with a zone, or epoch ms; the arrival time when absent'),
    source: z
      .string()
      .optional()
      .describe('Provenance of its attributes (`web`, `hubspot`, …; default `api`)'),
    contact: z
      .object({
        email: z.string().optional(),
        id: z.string().optional().describe('An external id, when there is no email'),
        firstName: z.string().optional(),
        lastName: z.string().optional(),
        title: z.string().optional(),
        seniority: z.string().optional(),
      })
      .catchall(AttributeValueSchema)
      .describe('Names the subject (email or id) and carries contact attributes'),
    company: z
      .object({
        domain: z.string().optional(),
        name: z.string().optional(),
        employees: z.number().optional(),
      })
      .catchall(AttributeValueSchema)
      .optional(),
    properties: z.record(z.string(), z.unknown()).optional().describe('The event type’s own fields'),
  })
  .meta({ id: 'Event', description: 'An event of the catalog (docs/events.md)' });

export const IngestBodySchema = z.union([
  EventSchema,
  z.array(EventSchema).describe('A batch (at most the server’s batch limit, 1,000 by default)'),
  z.object({ events: z.array(EventSchema) }),
]);

export const IngestItemSchema = z.object({
  index: z.number().int().describe('Position in the request (0 for a single event)'),
  id: z.string().nullable().describe('The event id, when it had a usable one'),
  status: z.enum(['accepted', 'duplicate', 'rejected']),
  issues: z.array(HttpIssueSchema).describe('Why it was rejected (empty otherwise)'),
});

export const IngestResultSchema = z
  .object({
    accepted: z.number().int(),
    duplicates: z.number().int().describe('Ids already stored (or repeated in the request): nothing changed'),
    rejected: z.number().int(),
    items: z.array(IngestItemSchema),
  })
  .meta({ id: 'IngestResult' });

export type IngestResultView = z.infer<typeof IngestResultSchema>;
