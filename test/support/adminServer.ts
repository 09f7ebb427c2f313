/**
 * The HTTP app on a store the test gives (or a temp SQLite file), running the mid-market template
 * with a simulated clock, no port (tests call `app.inject`). By default the real app (`buildApp`);
 * with `authOptions` (clocks and cache times for the key checks) a minimal one with what the admin
 * side needs: the zod compilers, the real error handler, authentication, the rep and config routes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { openMigratedStore } from '../../src/compose.ts';
import { readTemplate } from '../../src/config/templates/index.ts';
import type { Store } from '../../src/core/ports.ts';
import type { SimulatedClock } from '../../src/engine/clock.ts';
import { createApiKey } from '../../src/server/apiKeys.ts';
import { buildApp } from '../../src/server/app.ts';
import { registerAuthWith, type AuthOptions } from '../../src/server/auth.ts';
import { DEFAULT_LIMITS, type GrantedScope, type ServerContext } from '../../src/server/context.ts';
import { createErrorHandler } from '../../src/server/errorHandler.ts';
import { configRoutes } from '../../src/server/routes/config.ts';
import { repRoutes } from '../../src/server/routes/reps.ts';
import { testServerContext } from './serverContext.ts';

/** Tuesday 2026-11-24 15:00 UTC (10:00 in New York): a working morning. */
export const ADMIN_T0 = Date.parse('2026-11-24T15:00:00Z');

export interface AdminServer {
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  readonly store: Store;
  readonly clock: SimulatedClock;
  /** Errors the handler took for bugs (a 5xx): a test expects none. */
  readonly bugs: unknown[];
  /** A new key with these scopes, as a `Bearer` authorization header. */
  readonly bearer: (
    scopes: readonly GrantedScope[],
    name?: string,
  ) => Promise<{ authorization: string; id: string; key: string }>;
  readonly close: () => Promise<void>;
}

/** The minimal app: only what authentication and the admin routes need. */
async function minimalApp(
  ctx: ServerContext,
  bugs: unknown[],
  options: AuthOptions,
): Promise<FastifyInstance> {
  const app = Fastify({ bodyLimit: ctx.limits.maxBodyBytes });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(createErrorHandler((error) => bugs.push(error), ctx.limits));
  await registerAuthWith(app, ctx, options);
  await app.register((scope) => repRoutes(scope, ctx));
  await app.register((scope) => configRoutes(scope, ctx));
  return app;
}

export async function adminServer(
  options: {
    readonly store?: Store;
    readonly auth?: boolean;
    readonly requestsPerMinute?: number;
    /** Clocks and cache times for the key checks: builds the minimal app instead of the real one. */
    readonly authOptions?: AuthOptions;
    /** More routes (registered before `ready`). */
    readonly routes?: (app: FastifyInstance) => void;
  } = {},
): Promise<AdminServer> {
  const dir = options.store === undefined ? mkdtempSync(join(tmpdir(), 'revops-admin-')) : undefined;
  const store = options.store ?? (await openMigratedStore(join(dir ?? '', 'revops.db')));
  const { ctx, clock } = await testServerContext(store, {
    text: readTemplate('mid-market'),
    at: ADMIN_T0,
    recordedAt: ADMIN_T0 - 86_400_000,
    limits: { requestsPerMinute: options.requestsPerMinute ?? DEFAULT_LIMITS.requestsPerMinute },
    auth: options.auth ?? true,
  });
  const bugs: unknown[] = [];
  const app =
    options.authOptions === undefined
      ? await buildApp(ctx, { onBug: (error) => bugs.push(error) })
      : await minimalApp(ctx, bugs, options.authOptions);
  options.routes?.(app);
  await app.ready();
  return {
    app,
    ctx,
    store,
    clock,
    bugs,
    bearer: async (scopes, name = `test-${scopes.join('-')}`) => {
      const { key, record } = await createApiKey(store, { name, scopes, at: ADMIN_T0 });
      return { authorization: `Bearer ${key}`, id: record.id, key };
    },
    close: async () => {
      await app.close();
      if (options.store === undefined) await store.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
