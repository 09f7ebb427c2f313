/**
 * The whole HTTP app (`buildApp`) on a temp SQLite file (or a store the test gives), running the
 * mid-market template on a simulated clock, without a port: tests call `app.inject`. Bugs (5xx) are
 * collected in `bugs` instead of printed; a test expects none.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openMigratedStore } from '../../src/compose.ts';
import { readTemplate } from '../../src/config/templates/index.ts';
import type { Store } from '../../src/core/ports.ts';
import type { SimulatedClock } from '../../src/engine/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import type { ServerContext, ServerLimits } from '../../src/server/context.ts';
import { testServerContext } from './serverContext.ts';

/** The shipped example events (17 lines: 16 events and one re-sent id), as objects. */
export const EXAMPLE_EVENTS: Record<string, unknown>[] = readFileSync(
  new URL('../../examples/events.ndjson', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Record<string, unknown>);

/** Monday 2026-11-09 13:00 UTC: the last example event. */
export const EXAMPLES_END = Date.parse('2026-11-09T13:00:00Z');

export interface ApiServer {
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  readonly store: Store;
  readonly clock: SimulatedClock;
  readonly bugs: unknown[];
  /** `app.inject` with a JSON body. */
  post(url: string, body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function apiServer(
  options: {
    readonly store?: Store;
    readonly text?: string;
    readonly at?: number;
    readonly auth?: boolean;
    readonly limits?: Partial<ServerLimits>;
  } = {},
): Promise<ApiServer> {
  const dir = options.store === undefined ? mkdtempSync(join(tmpdir(), 'revops-api-')) : undefined;
  const store = options.store ?? (await openMigratedStore(join(dir ?? '', 'revops.db')));
  const { ctx, clock } = await testServerContext(store, {
    text: options.text ?? readTemplate('mid-market'),
    at: options.at ?? EXAMPLES_END,
    limits: options.limits,
    auth: options.auth ?? false,
  });
  const bugs: unknown[] = [];
  const app = await buildApp(ctx, { onBug: (error) => bugs.push(error) });
  await app.ready();
  return {
    app,
    ctx,
    store,
    clock,
    bugs,
    post: (url, body, headers = {}) =>
      app.inject({
        method: 'POST',
        url,
        payload: JSON.stringify(body),
        headers: Object.assign({ 'content-type': 'application/json' }, headers),
      }),
    get: (url, headers = {}) => app.inject({ method: 'GET', url, headers }),
    async close() {
      await app.close();
      await store.close();
      if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
