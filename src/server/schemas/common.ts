/**
 * Schemas every route shares: the error envelope, ISO times, cursor pages. Each schema with a
 * `meta({ id })` becomes a named component of the OpenAPI document (src/server/openapi.ts).
 */
import { z } from 'zod';
import type { Millis } from '../../core/types.ts';

/** An instant as the API writes it: ISO 8601 UTC. Does not throw. */
export const iso = (at: Millis): string => new Date(at).toISOString();
/** `iso(at)`, or null when there is no instant. Does not throw. */
export const isoOrNull = (at: Millis | undefined): string | null => (at === undefined ? null : iso(at));

/** One problem of a request, with where it is (`[2].contact.email`, `limit`). */
export const HttpIssueSchema = z
  .object({
    code: z.string().describe('Stable error code, `area.snake_case`'),
    path: z
      .string()
      .describe('Where in the request: `contact.email`, `[3].type`, `limit`; empty for the whole'),
    message: z.string(),
    hint: z.string().optional(),
  })
  .meta({ id: 'Issue' });

/** `{ "error": { code, message, hint, issues } }`: every error the API answers. */
export const ErrorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().describe('Stable error code, `area.snake_case` (docs/api.md lists them)'),
      message: z.string().describe('What is wrong'),
      hint: z.string().describe('What to do about it'),
      issues: z.array(HttpIssueSchema).describe('Every problem found (may be empty)'),
    }),
  })
  .meta({ id: 'Error' });

/** The error responses a route documents, by status. Does not throw. */
export function errorResponses<const S extends readonly number[]>(
  ...statuses: S
): { [K in S[number]]: typeof ErrorEnvelopeSchema } {
  const out: Record<number, typeof ErrorEnvelopeSchema> = {};
  for (const status of statuses) out[status] = ErrorEnvelopeSchema;
  return out;
}

/** An instant as ISO 8601 UTC text (`2026-11-24T15:01:00.000Z`). */
export const IsoTime = z.string().describe('ISO 8601 instant, UTC');

/** An ISO time in a query, parsed to epoch milliseconds. */
export const IsoTimeQuery = z.iso
  .datetime({ offset: true })
  .describe('ISO 8601 instant with a zone, e.g. 2026-11-24T15:01:00Z')
  .transform((text) => Date.parse(text));

/** `?limit=`: 1..500, default 50. */
export const LimitQuery = z.coerce
  .number()
  .int()
  .min(1)
  .max(500)
  .default(50)
  .describe('Page size, 1 to 500 (default 50)');

/** `?cursor=`: the `nextCursor` of the previous page. */
export const CursorQuery = z
  .string()
  .min(1)
  .max(2000)
  .optional()
  .describe('The `nextCursor` of the previous page (opaque); absent for the first page');

/** A page of `item`: the rows and the cursor of the next page (null on the last). Does not throw. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
  });
}

/** An attribute value as events carry it. */
export const AttributeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);

/** Where an attribute value came from. */
export const AttributeSourceSchema = z
  .object({ at: IsoTime, eventId: z.string(), source: z.string() })
  .meta({ id: 'AttributeSource' });

/** Plain JSON (traces, payloads): any value. */
export const JsonSchema = z.record(z.string(), z.unknown());
