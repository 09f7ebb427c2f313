/**
 * The OpenAPI document, generated from the same zod schemas the routes validate with
 * (fastify-type-provider-zod + @fastify/swagger), served as JSON at `/docs/json` and browsable at
 * `/docs` (@fastify/swagger-ui). Each operation says the API-key scope its route declares.
 */
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

const DESCRIPTION = `The RevOps Engine HTTP API: events in, leads scored, staged, routed and held to their SLAs.

Authenticate with an API key: \`Authorization: Bearer <key>\`. Each operation names the scope it needs
(ingest, read or admin; a deal-desk vote needs the approver's own key, \`approve:rep:<id>\` or
\`approve:role:<role>\`, or admin); \`public\` ones need no key.

Every error is \`{ "error": { "code", "message", "hint", "issues": [...] } }\` with a 4xx for anything the
client can fix; a 5xx is a bug. Lists page with an opaque \`cursor\` (the \`nextCursor\` of the previous page).`;

/**
 * Registers the document and the UI at `/docs`; call before any route so every route is seen. Does not throw.
 */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'RevOps Engine API', version, description: DESCRIPTION },
      tags: [
        { name: 'events', description: 'Signals in: one event or a batch, idempotent by id' },
        {
          name: 'contacts',
          description: 'Leads: score explained, stage history, routing, SLA clocks, tasks',
        },
        { name: 'accounts', description: 'Accounts: roll-up score, named-account entry, members' },
        { name: 'tasks', description: 'Follow-up tasks: list and complete' },
        { name: 'sla', description: 'SLA clocks: running, breached, met' },
        { name: 'routing', description: 'What-if routing under the running config' },
        { name: 'health', description: 'Liveness, readiness and Prometheus metrics' },
      ],
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key' } },
      },
    },
    transform: (document) => {
      const transformed = jsonSchemaTransform(document);
      const scope = document.route.config?.scope ?? 'admin';
      if (transformed.schema === undefined || (transformed.schema as { hide?: boolean }).hide === true)
        return transformed;
      const extra =
        scope === 'public'
          ? { security: [], 'x-revops-scope': scope }
          : { security: [{ apiKey: [] }], 'x-revops-scope': scope };
      return { schema: Object.assign({}, transformed.schema, extra), url: transformed.url };
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(async (docs) => {
    // The UI's own routes are public: they carry no scope of their own.
    docs.addHook('onRoute', (route) => {
      route.config = Object.assign({}, route.config, { scope: 'public' as const });
    });
    await docs.register(fastifySwaggerUi, { routePrefix: '/docs' });
  });
}
