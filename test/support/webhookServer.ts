/**
 * The whole HTTP app (`buildApp`) with inbound webhook sources configured and their secrets in the
 * context's environment, on a store the test gives, running the mid-market template plus an
 * `inbound` section on a simulated clock. Tests call `app.inject`; bugs (5xx) are collected.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { readTemplate } from '../../src/config/templates/index.ts';
import type { Store } from '../../src/core/ports.ts';
import type { SimulatedClock } from '../../src/engine/clock.ts';
import { signWebhook } from '../../src/net/standardWebhooks.ts';
import { createApiKey } from '../../src/server/apiKeys.ts';
import { buildApp } from '../../src/server/app.ts';
import type { ServerContext, ServerLimits } from '../../src/server/context.ts';
import { testServerContext } from './serverContext.ts';

/** Tuesday 2026-11-24 18:30 UTC, after every sample in examples/webhooks/. */
export const WEBHOOK_T0 = Date.parse('2026-11-24T18:30:00Z');

export const CALENDLY_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const GENERIC_SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';
/** Two write keys: the variable holds both while one rotates. */
export const SEGMENT_KEYS = ['seg_live_7c1d2e', 'seg_next_93ab44'] as const;

export const WEBHOOK_ENV: Readonly<Record<string, string>> = {
  REVOPS_SEGMENT_WRITE_KEY: SEGMENT_KEYS.join(' '),
  REVOPS_CALENDLY_SECRET: CALENDLY_SECRET,
  REVOPS_WEBHOOK_SECRET: GENERIC_SECRET,
};

export const INBOUND_YAML = `
inbound:
  segment:
    writeKeyEnv: REVOPS_SEGMENT_WRITE_KEY
  calendly: { secretEnv: REVOPS_CALENDLY_SECRET }
  generic: { secretEnv: REVOPS_WEBHOOK_SECRET }
  forms:
    contact-us:
      properties: { form: contact_sales }
      idField: submission_id
      fields:
        email: email
        first_name: firstName
        last_name: lastName
        company: company.name
        employees: company.employees
        message: properties.message
`;

/** A sample payload from examples/webhooks/, as text. */
export function sampleText(name: string): string {
  return readFileSync(new URL(`../../examples/webhooks/${name}`, import.meta.url), 'utf8');
}

export interface WebhookServer {
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  readonly clock: SimulatedClock;
  readonly bugs: unknown[];
  /** POST with a raw body, signed with `secret` as delivery `id` at the clock's time. */
  signed(
    url: string,
    body: string,
    secret: string,
    id: string,
    atMs?: number,
  ): Promise<LightMyRequestResponse>;
  /** `Authorization: Bearer <key>` for a new key with these scopes. */
  bearer(scopes: readonly ('ingest' | 'read' | 'admin')[]): Promise<string>;
  /** Which of these event ids the store holds. */
  stored(ids: readonly string[]): Promise<string[]>;
  close(): Promise<void>;
}

export async function webhookServer(
  store: Store,
  options: {
    readonly inbound?: string;
    readonly env?: Readonly<Record<string, string>>;
    readonly limits?: Partial<ServerLimits>;
  } = {},
): Promise<WebhookServer> {
  const { ctx, clock } = await testServerContext(store, {
    text: readTemplate('mid-market') + (options.inbound ?? INBOUND_YAML),
    at: WEBHOOK_T0,
    limits: options.limits,
    auth: true,
    env: options.env ?? WEBHOOK_ENV,
  });
  const bugs: unknown[] = [];
  const app = await buildApp(ctx, { onBug: (error) => bugs.push(error) });
  await app.ready();
  return {
    app,
    ctx,
    clock,
    bugs,
    signed: (url, body, secret, id, atMs) =>
      app.inject({
        method: 'POST',
        url,
        payload: body,
        headers: {
          'content-type': 'application/json',
          ...signWebhook(secret, id, atMs ?? clock.now(), body),
        },
      }),
    async bearer(scopes) {
      const { key } = await createApiKey(store, {
        name: `test-${scopes.join('-')}`,
        scopes,
        at: clock.now(),
      });
      return `Bearer ${key}`;
    },
    async stored(ids) {
      const known = await store.transaction((tx) => tx.knownEventIds(ids));
      return ids.filter((id) => known.has(id));
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
