/**
 * `startServer`: the API on a port, with the timer runner firing timers as they come due (and any
 * other background job the caller passes, such as the outbox dispatcher) — what `revops serve` and
 * `npm start` run. It records the config version it runs with, builds the workspace and the app,
 * listens, and returns the URL and a `close` that stops everything it started (the HTTP server
 * first, then the runner and the jobs, then the store).
 */
import type { FastifyInstance } from 'fastify';
import { recordConfig } from '../compose.ts';
import type { RevopsConfig } from '../config/schema/index.ts';
import type { Store } from '../core/ports.ts';
import { systemClock, type Clock } from '../engine/clock.ts';
import type { Engine } from '../engine/engine.ts';
import { startDispatcher } from '../jobs/outboxDispatcher.ts';
import { startTimerRunner, type TimerRunner } from '../jobs/timerRunner.ts';
import { buildApp } from './app.ts';
import { DEFAULT_LIMITS, type ServerContext, type ServerLimits } from './context.ts';
import type { BugListener } from './errorHandler.ts';
import { createWorkspace } from './workspace.ts';

export interface StartServerOptions {
  /** An open, migrated store; `close()` closes it. */
  readonly store: Store;
  readonly config: RevopsConfig;
  /** The config's source text (its hash names the version recorded). */
  readonly text: string;
  /** Default 3000; 0 takes a free port (the URL says which). */
  readonly port?: number;
  /** Default 127.0.0.1 (this machine only); `0.0.0.0` listens on every interface. */
  readonly host?: string;
  readonly clock?: Clock;
  readonly limits?: Partial<ServerLimits>;
  /** Default true; false only for tests and local experiments. */
  readonly auth?: boolean;
  /** Fire timers as they come due (default true). */
  readonly timers?: boolean;
  /**
   * Deliver outbox rows to the config's `delivery` destinations and notification channels (default
   * true; with no `delivery` section nothing is claimed). URLs and secrets come from `env`.
   */
  readonly outbox?: boolean;
  /** Fastify's request log as JSON lines on stdout (default off). */
  readonly logger?: boolean;
  /** The environment inbound webhooks read their secrets from (default none). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Hears bugs answered 500 (default: their stacks on stderr). */
  readonly onBug?: BugListener;
  /** Hears a timer runner that failed (it starts again a second later; default: stderr). */
  readonly onRunnerError?: (error: unknown) => void;
  /** Hears the timer runner's idle and restart lines (default: nothing). */
  readonly onLog?: (line: string) => void;
  /**
   * More background work to run beside the server (the outbox dispatcher): each is started once the
   * server listens and stopped by `close()`, after the HTTP server and before the store closes.
   */
  readonly jobs?: readonly ((ctx: ServerContext) => BackgroundJob)[];
}

/** Work started with the server; `stop` resolves once what is in flight is recorded. */
export interface BackgroundJob {
  stop(): Promise<void> | void;
}

export interface RunningServer {
  /** `http://127.0.0.1:3000` */
  readonly url: string;
  /** The browsable API documentation: `<url>/docs`. */
  readonly docsUrl: string;
  readonly app: FastifyInstance;
  readonly ctx: ServerContext;
  /** Stops accepting requests, lets those in flight finish, stops the runner, closes the store. */
  close(): Promise<void>;
}

/** A wait the runner's restart can cut short. */
const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Keeps a timer runner going on the workspace's current engine (a config activated later fires
 * the next batch); a runner that fails (the database went away) is reported and started again
 * after a second.
 */
function superviseTimers(
  ctx: ServerContext,
  onFailure: (error: unknown) => void,
  onLog?: (line: string) => void,
) {
  const engine: Pick<Engine, 'store' | 'clock' | 'fireDueTimers'> = {
    store: ctx.store,
    clock: ctx.clock,
    fireDueTimers: (at, fireOptions) => ctx.workspace.current().runtime.engine.fireDueTimers(at, fireOptions),
  };
  const stopping = new AbortController();
  let runner: TimerRunner | undefined;
  const loop = (async () => {
    while (!stopping.signal.aborted) {
      runner = startTimerRunner({ engine, ...(onLog === undefined ? {} : { onLog }) });
      try {
        await runner.done;
      } catch (error) {
        if (stopping.signal.aborted) return;
        onFailure(error);
        onLog?.('timer runner failed; starting again in 1 s');
        await pause(1000, stopping.signal);
      }
    }
  })();
  return {
    async stop() {
      stopping.abort();
      runner?.stop();
      await loop;
    },
  };
}

/**
 * Records the config version, builds the app and listens. Throws when the port cannot be taken
 * (`EADDRINUSE`, `EACCES`: the store is left open for the caller to close) or storage fails.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const clock = options.clock ?? systemClock;
  const { store } = options;
  await recordConfig(store, options.config, options.text, clock.now());
  const ctx: ServerContext = Object.assign(
    {
      store,
      workspace: createWorkspace(store, clock, options.config, options.text),
      clock,
      limits: Object.assign({}, DEFAULT_LIMITS, options.limits),
      auth: options.auth ?? true,
    },
    options.env === undefined ? {} : { env: options.env },
  );
  const appOptions = Object.assign(
    { logger: options.logger ?? false },
    options.onBug === undefined ? {} : { onBug: options.onBug },
  );
  const app = await buildApp(ctx, appOptions);
  const host = options.host ?? '127.0.0.1';
  try {
    await app.listen({ port: options.port ?? 3000, host });
  } catch (error) {
    await app.close();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : (options.port ?? 3000);
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shown}:${port}`;
  const reportFailure =
    options.onRunnerError ??
    ((error: unknown) => {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      process.stderr.write(`revops: the timer runner failed:\n${text}\n`);
    });
  const timers = options.timers === false ? undefined : superviseTimers(ctx, reportFailure, options.onLog);
  const jobs = (options.jobs ?? []).map((start) => start(ctx));
  if (options.outbox !== false) {
    jobs.push(
      startDispatcher({
        store,
        clock,
        config: () => ctx.workspace.current().config,
        env: options.env ?? {},
        onLog: options.onLog ?? ((line) => process.stderr.write(`revops: ${line}\n`)),
      }),
    );
  }
  let closed: Promise<void> | undefined;
  return {
    url,
    docsUrl: `${url}/docs`,
    app,
    ctx,
    close() {
      closed ??= (async () => {
        await app.close();
        await timers?.stop();
        for (const job of jobs) await job.stop();
        await store.close();
      })();
      return closed;
    },
  };
}
