/**
 * The HTTP app: Fastify with zod validation and serialization, the error envelope for every
 * failure (errorHandler.ts), 404/405 for unknown routes, the OpenAPI document at `/docs`, API-key
 * authentication before every route, and the route plugins — each in its own encapsulated scope,
 * so a plugin may add its own content-type parsers (the webhooks read raw bodies for signatures).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { strictQueryValidatorCompiler, takesNoQueryUnlessDeclared } from './queryValidator.ts';
import { registerAuth } from './auth.ts';
import type { ServerContext } from './context.ts';
import { createErrorHandler, logBugToStderr, type BugListener } from './errorHandler.ts';
import { HttpMetrics } from './httpMetrics.ts';
import { registerOpenApi } from './openapi.ts';
import { RouteTable } from './routeTable.ts';
import { accountRoutes } from './routes/accounts.ts';
import { approvalRoutes } from './routes/approvals.ts';
import { configRoutes } from './routes/config.ts';
import { contactRoutes } from './routes/contacts.ts';
import { dashboardRoutes } from './routes/dashboard.ts';
import { dealRoutes } from './routes/deals.ts';
import { eventRoutes } from './routes/events.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { metricsApiRoutes } from './routes/metricsApi.ts';
import { repRoutes } from './routes/reps.ts';
import { routingRoutes } from './routes/routing.ts';
import { slaRoutes } from './routes/sla.ts';
import { taskRoutes } from './routes/tasks.ts';
import { webhookRoutes } from './routes/webhooks.ts';

export const API_VERSION = '0.1.0';

/** The longest path segment a route parameter may be (longer: 400 `http.bad_request`). */
export const MAX_PARAM_LENGTH = 1000;

export interface AppOptions {
  /** Fastify's request log (pino, JSON lines on stdout); off by default: nothing per request. */
  readonly logger?: boolean;
  /** Hears every bug answered 500 (default: its stack on stderr). */
  readonly onBug?: BugListener;
}

type RoutePlugin = (app: FastifyInstance, ctx: ServerContext) => Promise<void>;

/** Every route plugin, each registered in its own scope. */
const ROUTES: readonly RoutePlugin[] = [
  healthRoutes,
  eventRoutes,
  contactRoutes,
  accountRoutes,
  taskRoutes,
  dealRoutes,
  approvalRoutes,
  slaRoutes,
  metricsApiRoutes,
  routingRoutes,
  repRoutes,
  configRoutes,
  webhookRoutes,
  dashboardRoutes,
];

/**
 * Builds the app on `ctx` (not listening; `app.inject` or `app.listen` readies it). Callers may
 * register more routes before it is ready. Throws only if a plugin fails to register.
 */
export async function buildApp(ctx: ServerContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const onBug = options.onBug ?? logBugToStderr;
  const handleError = createErrorHandler(onBug, ctx.limits);
  const routes = new RouteTable();
  const http = new HttpMetrics();
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: ctx.limits.maxBodyBytes,
    // Emails (up to 254 characters) and task keys travel as path segments.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Malformed URLs and the like are answered with the envelope too.
    frameworkErrors: (error, request, reply) => {
      void handleError(error, request, reply);
    },
  });
  app.setValidatorCompiler(strictQueryValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(routes.notFound);
  // JSON only (415 for anything else); a plugin adds its own parsers in its scope.
  app.removeContentTypeParser('text/plain');
  app.addHook('onRoute', (route) => {
    routes.add(route);
    takesNoQueryUnlessDeclared(route);
  });
  app.addHook('onResponse', (request, reply, done) => {
    http.observe(request.method, request.routeOptions.url, reply.statusCode);
    done();
  });

  await registerOpenApi(app, API_VERSION);
  await registerAuth(app, ctx);
  for (const plugin of ROUTES) await app.register((scope) => plugin(scope, ctx));
  await app.register((scope) => metricsRoutes(scope, ctx, http));
  return app;
}
