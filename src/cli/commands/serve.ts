/**
 * `revops serve`: the HTTP API on a port, with the timer worker, against a database — until SIGINT
 * or SIGTERM, which stop it cleanly (requests in flight finish, the timer batch in flight commits,
 * the database closes).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { databaseTarget, openMigratedStore } from '../../compose.ts';
import { RevopsError } from '../../core/errors.ts';
import { DEFAULT_LIMITS } from '../../server/context.ts';
import { startServer } from '../../server/index.ts';
import { configHash } from '../../server/workspace.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { loadConfigOrReport } from './configArg.ts';

export interface ServeOptions {
  readonly config: string;
  readonly db?: string;
  readonly port?: string;
  readonly host: string;
  readonly log?: boolean;
  readonly timers?: boolean;
  readonly outbox?: boolean;
  readonly rateLimit?: string;
}

const SERVE_HELP = `
Serves the HTTP API (docs/api.md; browsable at /docs) on the database (the same one \`revops ingest\`
writes), runs the timer worker beside it (task reminders, SLA steps; as \`revops timers run\`), and
records the config as the active version. Every request but /healthz, /readyz, /metrics and /docs
needs an API key (\`Authorization: Bearer <key>\`): create one with
  revops keys create --name crm-sync --scopes ingest,read

Ctrl-C (SIGINT) or SIGTERM stops it: requests in flight are answered, the timer batch in flight
commits, the database is closed.

Examples:
  revops serve
  revops serve --config revops.yaml --port 8080 --host 0.0.0.0
  DATABASE_URL=postgres://revops@db/revops PORT=8080 revops serve --log`;

/** Registers `serve` on the program. */
export function registerServe(cli: Command, io: CliIo, done: (code: number | Promise<number>) => void): void {
  cli
    .command('serve')
    .description('Serve the HTTP API (and fire timers) on a database until stopped')
    .option('-c, --config <file>', 'the config the engine runs', 'revops.yaml')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .addOption(new Option('--port <n>', 'the port to listen on (default 3000)').env('PORT'))
    .option('--host <host>', 'the interface to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--log', 'log every request as a JSON line on stdout (off by default)')
    .option('--no-timers', 'do not fire timers here (another process runs `revops timers run`)')
    .addOption(
      new Option('--rate-limit <n>', 'requests per minute per API key (default 60000; 0: no limit)').env(
        'REVOPS_RATE_LIMIT',
      ),
    )
    .option('--no-outbox', 'do not deliver webhooks, Slack and email from here (docs/delivery.md)')
    .addHelpText('after', SERVE_HELP)
    .action((options: ServeOptions) => done(serveCommand(io, options, untilSignal())));
}

/** Resolves with the first SIGINT or SIGTERM (and stops listening for either). */
export function untilSignal(): Promise<string> {
  return new Promise((resolveSignal) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolveSignal(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export function parsePort(text: string | undefined): number {
  if (text === undefined) return 3000;
  const port = Number(text);
  if (!/^\d+$/.test(text.trim()) || port > 65535)
    throw new RevopsError('cli.invalid_option', `--port (or PORT) must be a port number, not \`${text}\``, {
      hint: 'give a number from 1 to 65535 (0 picks a free port)',
    });
  return port;
}

function parseRateLimit(text: string | undefined): number {
  if (text === undefined) return DEFAULT_LIMITS.requestsPerMinute;
  if (!/^\d+$/.test(text.trim()))
    throw new RevopsError(
      'cli.invalid_option',
      `--rate-limit (or REVOPS_RATE_LIMIT) must be a whole number, not \`${text}\``,
      {
        hint: 'give requests per minute per API key, e.g. 60000; 0 turns the limit off',
      },
    );
  return Number(text);
}

/** Serves until `stop` resolves (with the signal's name); returns the exit code. */
export async function serveCommand(io: CliIo, options: ServeOptions, stop: Promise<string>): Promise<number> {
  const port = parsePort(options.port);
  const config = loadConfigOrReport(io, options.config);
  if (config === undefined) return EXIT.user;
  const text = readFileSync(resolve(io.cwd, options.config), 'utf8');
  const store = await openMigratedStore(databaseTarget(options.db, io.cwd));
  let server;
  try {
    server = await startServer({
      store,
      config,
      text,
      port,
      host: options.host,
      logger: options.log === true,
      timers: options.timers !== false,
      outbox: options.outbox !== false,
      env: process.env,
      limits: { requestsPerMinute: parseRateLimit(options.rateLimit) },
    });
  } catch (error) {
    await store.close();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES')
      throw new RevopsError(
        'cli.invalid_option',
        code === 'EADDRINUSE'
          ? `port ${port} on ${options.host} is already in use`
          : `no permission to listen on port ${port} (${options.host})`,
        { hint: 'pick another with --port (or PORT), or stop what is using it', cause: error },
      );
    throw error;
  }
  write(
    io.stdout,
    [
      `RevOps Engine API on ${server.url}`,
      `  docs:      ${server.docsUrl}`,
      `  config:    ${options.config} (version ${configHash(text).slice(0, 12)})`,
      `  database:  ${store.description}`,
      `  timers:    ${options.timers === false ? 'not fired here (run `revops timers run`)' : 'fired as they come due'}`,
      `  outbox:    ${options.outbox === false ? 'not delivered here' : config.delivery === undefined ? 'kept (no delivery section: docs/delivery.md)' : 'delivered to the delivery section'}`,
      'Requests need an API key (Authorization: Bearer <key>): revops keys create --name NAME --scopes ingest,read',
      'Ctrl-C stops.',
    ].join('\n'),
  );
  const signal = await stop;
  write(io.stdout, `${signal}: stopping…`);
  await server.close();
  write(io.stdout, 'stopped.');
  return EXIT.ok;
}
