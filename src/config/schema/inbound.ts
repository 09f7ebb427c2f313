/**
 * `inbound`: the third-party sources that may post to `/v1/webhooks/*` and how their payloads map
 * onto the event catalog. Secrets are named by environment variable, never written in the file.
 */
import { z } from 'zod';
import { EVENT_PROPERTIES, PAGE_CATEGORIES } from '../../core/events/catalog.ts';
import { id } from './primitives.ts';

/** The name of an environment variable holding a secret. */
export const envName = z.string().regex(/^[A-Z][A-Z0-9_]*$/, {
  error:
    'expected an environment variable name like `REVOPS_CALENDLY_SECRET` (the secret itself never goes in revops.yaml)',
});

const eventType = z.string().regex(/^[a-z][a-z0-9_]*$/, {
  error: 'expected an event type like `form_submit` (built-in or listed under events.custom)',
});

const staticProperties = z
  .record(z.string().min(1), z.union([z.string(), z.number(), z.boolean()]))
  .default({})
  .describe('Fixed properties every mapped event carries (`form: contact_sales`).');

/**
 * Where a form field goes: `contact.<attribute>`, `company.<attribute>`, `properties.<name>`, `at`
 * (the submission time), or a bare attribute name meaning `contact.<attribute>`.
 */
export const FIELD_TARGET_PATTERN =
  /^(?:at|(?:(?:contact|company|properties)\.)?[a-zA-Z][a-zA-Z0-9_]{0,63})$/;

const fieldTarget = z.string().regex(FIELD_TARGET_PATTERN, {
  error:
    'expected `contact.<attribute>`, `company.<attribute>`, `properties.<name>`, `at` or an attribute name like `email`',
});

/** A catalog property given a fixed value that the catalog does not allow. */
function checkStaticProperties(
  type: string,
  properties: Readonly<Record<string, string | number | boolean>>,
  ctx: z.RefinementCtx,
): void {
  const specs = (
    EVENT_PROPERTIES as Readonly<Record<string, (typeof EVENT_PROPERTIES)['meeting'] | undefined>>
  )[type];
  for (const spec of specs ?? []) {
    const value = properties[spec.name];
    if (value === undefined || spec.values === undefined) continue;
    if (typeof value !== 'string' || !spec.values.includes(value))
      ctx.addIssue({
        code: 'custom',
        path: ['properties', spec.name],
        message: `\`${type}\` events take \`${spec.name}\` as one of ${spec.values.join(', ')}, not ${JSON.stringify(value)}`,
      });
  }
}

export const eventMappingSchema = z
  .strictObject({ type: eventType, properties: staticProperties })
  .superRefine((mapping, ctx) => checkStaticProperties(mapping.type, mapping.properties, ctx));

export const formSchema = z
  .strictObject({
    event: eventType.default('form_submit').describe('The event type a submission becomes.'),
    properties: staticProperties,
    fields: z
      .record(z.string().min(1), fieldTarget)
      .describe(
        'Form field (a dotted path for nested JSON) → where it goes: `email: email`, `company: company.name`.',
      ),
    idField: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The field holding a unique submission id; without it, identical submissions on one day are one.',
      ),
  })
  .superRefine((form, ctx) => {
    checkStaticProperties(form.event, form.properties, ctx);
    const targets = Object.values(form.fields);
    if (!targets.some((t) => ['email', 'id', 'contact.email', 'contact.id'].includes(t)))
      ctx.addIssue({
        code: 'custom',
        path: ['fields'],
        message: 'map one form field to `email` (or `contact.id`): a submission must name its contact',
      });
  });

export const segmentSourceSchema = z.strictObject({
  writeKeyEnv: envName.describe(
    'Environment variable holding the write key Segment (or RudderStack, Jitsu) sends as Basic-auth username; several keys separated by spaces while rotating.',
  ),
  track: z
    .record(z.string().min(1), eventMappingSchema)
    .default({})
    .describe(
      '`track` event names → catalog events, over the built-in Segment spec names (`Signed Up`, `Email Opened`…).',
    ),
  pages: z
    .array(z.strictObject({ path: z.string().startsWith('/'), category: z.enum(PAGE_CATEGORIES) }))
    .default([])
    .describe('URL path prefixes → page categories, tried in order before the built-in guesses.'),
});

const signedSourceSchema = z.strictObject({
  secretEnv: envName.describe(
    'Environment variable holding the Standard Webhooks secret (`whsec_…`); several separated by spaces while rotating.',
  ),
});

export const inboundSchema = z
  .strictObject({
    segment: segmentSourceSchema
      .optional()
      .describe('Segment-compatible track / identify / page / group calls.'),
    calendly: signedSourceSchema
      .optional()
      .describe('Calendly-shaped bookings, cancellations and no-shows, signed.'),
    generic: signedSourceSchema.optional().describe('Signed webhooks carrying events in the catalog shape.'),
    forms: z
      .record(id, formSchema)
      .default({})
      .describe('Form submissions by form id, with their field mapping.'),
  })
  .describe('Inbound webhook sources: what may post to /v1/webhooks/* and how it maps onto events.');

export type InboundConfig = z.output<typeof inboundSchema>;
export type FormConfig = z.output<typeof formSchema>;
export type EventMapping = z.output<typeof eventMappingSchema>;
export type SegmentSourceConfig = z.output<typeof segmentSourceSchema>;
