/**
 * Inbound webhooks: third-party payloads mapped onto the event catalog (src/server/adapters/) and
 * ingested through the engine, all-or-nothing, answered after the commit.
 *
 * - `POST /v1/webhooks/segment`: Segment-compatible calls or a batch; authenticated by the source's
 *   write key (Basic auth, as Segment, RudderStack and Jitsu send it), so `scope: public`.
 * - `POST /v1/webhooks/calendly` and `/v1/webhooks/generic`: Standard Webhooks signatures over the
 *   raw body (`scope: public`, checked here); event ids derive from the delivery id, so a redelivery
 *   is a duplicate.
 * - `POST /v1/webhooks/forms/{formId}`: JSON or url-encoded fields through the form's mapping,
 *   with an API key of scope `ingest`.
 *
 * The plugin is encapsulated: its content-type parsers (raw bytes; url-encoded forms) reach only
 * these routes. Register it without a prefix.
 */
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { RevopsError } from '../../core/errors.ts';
import { verifyWebhook, type VerifyFailure } from '../../net/standardWebhooks.ts';
import { mapCalendly } from '../adapters/calendly.ts';
import { mapForm } from '../adapters/form.ts';
import { mapGeneric } from '../adapters/generic.ts';
import { mapSegment } from '../adapters/segment.ts';
import type { ServerContext } from '../context.ts';
import { checkWriteKey, ingestMapped, parseJson, rawBody, secretsOf, unknownSource } from '../inbound.ts';
import { errorResponses } from '../schemas/common.ts';
import { IngestBodySchema } from '../schemas/events.ts';
import {
  CalendlyBodySchema,
  FormBodySchema,
  FormParamsSchema,
  SegmentBodySchema,
  WebhookResultSchema,
} from '../schemas/webhooks.ts';

const SIGNATURE_HINTS: Readonly<Record<VerifyFailure, (envName: string) => string>> = {
  missing_signature: () =>
    'sign each delivery with the Standard Webhooks headers webhook-id, webhook-timestamp and webhook-signature (docs/webhooks.md)',
  invalid_signature: (envName) =>
    `sign \`<webhook-id>.<webhook-timestamp>.<body>\` with HMAC-SHA256 and the secret in ${envName}, over the body exactly as sent`,
  timestamp_out_of_range: () =>
    "sign every delivery (and redelivery) when it is sent, with a webhook-timestamp in Unix seconds; check the sender's clock",
};

/** The delivery id of a correctly signed request, with its raw body. Throws the `webhook.*` 401s. */
function verified(ctx: ServerContext, request: FastifyRequest, source: string, envName: string) {
  const secrets = secretsOf(ctx, source, envName);
  const raw = rawBody(request.body);
  const result = verifyWebhook(secrets, request.headers, raw, ctx.clock.now());
  if (!result.ok)
    throw new RevopsError(`webhook.${result.reason}`, result.message, {
      hint: SIGNATURE_HINTS[result.reason](envName),
    });
  return { deliveryId: result.id, raw };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const answers = Object.assign({ 200: WebhookResultSchema }, errorResponses(400, 401, 404, 413, 415, 422));

/** Registers the `/v1/webhooks/*` endpoints in their own encapsulated context. Does not throw. */
export async function webhookRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(async (scope) => {
    const hooks = scope.withTypeProvider<ZodTypeProvider>();
    // Signatures cover the bytes as sent: every body arrives here as a Buffer.
    scope.removeAllContentTypeParsers();
    // Body schemas document the payloads in OpenAPI only: the adapters check the body themselves,
    // naming every problem; params are still validated by zod.
    scope.setValidatorCompiler<ZodType>((route) =>
      route.httpPart === 'body' ? (data: unknown) => ({ value: data }) : validatorCompiler(route),
    );
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: ctx.limits.maxBodyBytes },
      (_request, body, done) => {
        done(null, body);
      },
    );

    hooks.post(
      '/v1/webhooks/segment',
      {
        config: { scope: 'public' },
        schema: {
          tags: ['webhooks'],
          summary: 'Segment-compatible track / identify / page / group calls, one or a batch',
          description:
            'Authenticated by the write key in `inbound.segment.writeKeyEnv`, sent as the Basic-auth username. Unmapped `track` names and anonymous calls are listed as ignored.',
          consumes: ['application/json'],
          body: SegmentBodySchema,
          response: answers,
        },
      },
      async (request) => {
        const { config, runtime } = ctx.workspace.current();
        const source = config.inbound.segment;
        if (source === undefined) throw unknownSource('segment', 'inbound.segment');
        const keys = secretsOf(ctx, 'segment', source.writeKeyEnv);
        checkWriteKey(request.headers.authorization, keys, source.writeKeyEnv);
        const body = parseJson(rawBody(request.body), header(request, 'content-type'));
        const result = mapSegment(body, {
          track: source.track,
          pages: source.pages,
          customTypes: config.events.custom.map((t) => t.type),
          maxBatch: ctx.limits.maxBatch,
        });
        return ingestMapped(runtime, result, 'segment', ctx.clock.now());
      },
    );

    hooks.post(
      '/v1/webhooks/calendly',
      {
        config: { scope: 'public' },
        schema: {
          tags: ['webhooks'],
          summary: 'Calendly-shaped bookings, cancellations and no-shows (Standard Webhooks signed)',
          description:
            '`invitee.created` → meeting booked, `invitee.canceled` → canceled, `invitee_no_show.created` → no_show. Signed with the secret in `inbound.calendly.secretEnv`.',
          consumes: ['application/json'],
          body: CalendlyBodySchema,
          response: answers,
        },
      },
      async (request) => {
        const { config, runtime } = ctx.workspace.current();
        const source = config.inbound.calendly;
        if (source === undefined) throw unknownSource('calendly', 'inbound.calendly');
        const { deliveryId, raw } = verified(ctx, request, 'calendly', source.secretEnv);
        const body = parseJson(raw, header(request, 'content-type'));
        const repsByEmail = new Map(config.team.reps.map((rep) => [rep.email.toLowerCase(), rep.id]));
        return ingestMapped(
          runtime,
          mapCalendly(body, { deliveryId, repsByEmail }),
          'calendly',
          ctx.clock.now(),
        );
      },
    );

    hooks.post(
      '/v1/webhooks/generic',
      {
        config: { scope: 'public' },
        schema: {
          tags: ['webhooks'],
          summary: 'Events in the catalog shape, Standard Webhooks signed',
          description:
            'One event, a list, or `{ "events": [...] }`, signed with the secret in `inbound.generic.secretEnv`. Events without an id get `generic:<webhook-id>:<index>`.',
          consumes: ['application/json'],
          body: IngestBodySchema,
          response: answers,
        },
      },
      async (request) => {
        const { config, runtime } = ctx.workspace.current();
        const source = config.inbound.generic;
        if (source === undefined) throw unknownSource('generic', 'inbound.generic');
        const { deliveryId, raw } = verified(ctx, request, 'generic', source.secretEnv);
        const body = parseJson(raw, header(request, 'content-type'));
        const result = mapGeneric(body, { deliveryId, maxBatch: ctx.limits.maxBatch });
        return ingestMapped(runtime, result, 'webhook', ctx.clock.now());
      },
    );

    await scope.register(async (forms) => {
      await forms.register(formbody, { bodyLimit: ctx.limits.maxBodyBytes });
      forms.withTypeProvider<ZodTypeProvider>().post(
        '/v1/webhooks/forms/:formId',
        {
          config: { scope: 'ingest' },
          schema: {
            tags: ['webhooks'],
            summary: 'A form submission (JSON or url-encoded) through its field mapping',
            description:
              'Fields map onto an event as `inbound.forms.<formId>` says. Send `Idempotency-Key` (or configure `idField`) to make resubmissions harmless; otherwise identical submissions on one day are one.',
            params: FormParamsSchema,
            consumes: ['application/json', 'application/x-www-form-urlencoded'],
            body: FormBodySchema,
            response: answers,
          },
        },
        async (request) => {
          const { config, runtime } = ctx.workspace.current();
          const { formId } = request.params;
          const form = Object.hasOwn(config.inbound.forms, formId) ? config.inbound.forms[formId] : undefined;
          if (form === undefined) throw unknownSource(`forms/${formId}`, `inbound.forms.${formId}`);
          const body =
            Buffer.isBuffer(request.body) || request.body === undefined
              ? parseJson(rawBody(request.body), header(request, 'content-type'))
              : request.body;
          const now = ctx.clock.now();
          const result = mapForm(body, {
            formId,
            form,
            idempotencyKey: header(request, 'idempotency-key'),
            receivedDay: new Date(now).toISOString().slice(0, 10),
          });
          return ingestMapped(runtime, result, `form:${formId}`, now);
        },
      );
    });
  });
}
