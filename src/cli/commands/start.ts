/**
 * `revops start` — what `npm start` runs: the demo workspace (seeded through the engine on first
 * start, reused after), a demo API key, then the API and the dashboard with the timer worker and
 * the outbox dispatcher, until SIGINT or SIGTERM.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { databaseTarget, isPostgresTarget, openMigratedStore } from '../../compose.ts';
import { demoConfig } from '../../demo/index.ts';
import { ensureKey } from '../../server/apiKeys.ts';
import { startServer } from '../../server/index.ts';
import { EXIT, write, type CliIo } from '../io.ts';
import { demoCommand } from './demo.ts';
import { parsePort, untilSignal } from './serve.ts';

export interface StartOptions {
  readonly db?: string;
  readonly port?: string;
  readonly host: string;
}

/** Where a generated demo key is kept so that every start shows the same one (SQLite: next to the db). */
function keyFile(target: string, cwd: string): string {
  return isPostgresTarget(target) ? join(cwd, 'data', 'demo-api-key') : join(dirname(target), 'demo-api-key');
}

function readKey(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8').trim();
  return text === '' ? undefined : text;
}

/** Seeds or reuses the demo, installs the key, serves until `stop` resolves; returns the exit code. */
export async function startCommand(io: CliIo, options: StartOptions, stop: Promise<string>): Promise<number> {
  const port = parsePort(options.port);
  const target = databaseTarget(options.db, io.cwd);
  write(
    io.stdout,
    'RevOps Engine: the demo workspace (mid-market template, its demo team, 90 days of activity).',
  );
  const seeded = await demoCommand(io, options.db === undefined ? {} : { db: options.db });
  if (seeded !== EXIT.ok) return seeded;

  const { config, text } = demoConfig();
  const store = await openMigratedStore(target);
  const fromEnv = process.env['REVOPS_API_KEY'];
  const file = keyFile(target, io.cwd);
  const saved = fromEnv === undefined || fromEnv.trim() === '' ? readKey(file) : fromEnv;
  let server;
  try {
    const key = await ensureKey(store, saved, 'demo', ['admin']);
    if (saved === undefined) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${key.key}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
    }
    server = await startServer({ store, config, text, port, host: options.host, env: process.env });
    const source = fromEnv !== undefined && fromEnv.trim() !== '' ? 'from REVOPS_API_KEY' : `kept in ${file}`;
    write(
      io.stdout,
      [
        '',
        `RevOps Engine API on ${server.url}`,
        `  dashboard: ${server.url}/?key=${encodeURIComponent(key.key)}  (opening it signs this browser in)`,
        `  docs:     ${server.docsUrl}`,
        `  database: ${store.description}`,
        `  API key:  ${key.key}  (admin; ${source})`,
        '',
        'Try:',
        `  export REVOPS_API_KEY=${key.key}`,
        `  curl -s '${server.url}/v1/contacts?stage=mql&limit=5' -H "Authorization: Bearer $REVOPS_API_KEY"`,
        `  curl -s '${server.url}/v1/sla?status=breached' -H "Authorization: Bearer $REVOPS_API_KEY"`,
        `  curl -s ${server.url}/metrics`,
        'Ctrl-C stops.',
      ].join('\n'),
    );
  } catch (error) {
    if (server === undefined) await store.close();
    throw error;
  }
  const signal = await stop;
  write(io.stdout, `${signal}: stopping…`);
  await server.close();
  write(io.stdout, 'stopped.');
  return EXIT.ok;
}

/** Registers `start` on the program. */
export function registerStart(cli: Command, io: CliIo, done: (code: number | Promise<number>) => void): void {
  cli
    .command('start')
    .description('The demo: seed (or reuse) the demo workspace, then serve the API with it (npm start)')
    .option(
      '--db <target>',
      'a PostgreSQL URL or SQLite file (default: $DATABASE_URL, else ./data/revops.db)',
    )
    .option('--port <n>', 'the port to listen on (default: $PORT, else 3000)')
    .option('--host <host>', 'the interface to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .addHelpText(
      'after',
      `
The first start seeds the database with the demo workspace through the engine (about half a minute:
the mid-market template, its demo team and 90 days of deterministic activity ending today); later
starts reuse it. It prints the URL, a dashboard link that signs the browser in, the API docs URL
and an admin API key: REVOPS_API_KEY sets it, otherwise one is generated and kept in
data/demo-api-key. For your own config use \`revops serve\`.

Examples:
  npm start
  PORT=8080 REVOPS_API_KEY=$(openssl rand -hex 24) npm start`,
    )
    .action((options: StartOptions) =>
      done(
        startCommand(
          io,
          Object.assign({}, options, { port: options.port ?? process.env['PORT'] }),
          untilSignal(),
        ),
      ),
    );
}
