// revops serve: starts on a port, answers over loopback, stops on a signal; bad options exit 2.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRevops } from '../../test/support/cli.ts';
import { templatePath } from '../config/templates/index.ts';
import { serveCommand } from './commands/serve.ts';
import type { CliIo } from './io.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revops-serve-'));
  copyFileSync(templatePath('mid-market'), join(dir, 'revops.yaml'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function captureIo(): { io: CliIo; stdout: () => string; stderr: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: string[] = [];
  const errors: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  err.on('data', (c: Buffer) => errors.push(c.toString()));
  return {
    io: { stdout: out, stderr: err, stdin: Readable.from(['']), cwd: dir, interactive: false },
    stdout: () => chunks.join(''),
    stderr: () => errors.join(''),
  };
}

async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 25));
}

describe('revops serve', () => {
  it('serves the API until a signal stops it', async () => {
    const { io, stdout, stderr } = captureIo();
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => {
      stop = resolve;
    });
    const running = serveCommand(
      io,
      { config: 'revops.yaml', db: 'revops.db', port: '0', host: '127.0.0.1' },
      stopped,
    );
    await until(() => stdout().includes('Ctrl-C stops.'));
    const lines = stdout().split('\n');
    const url = /^RevOps Engine API on (http:\/\/127\.0\.0\.1:\d+)$/.exec(lines[0] ?? '')?.[1];
    expect(url).toBeDefined();
    expect(lines.slice(1, 8)).toEqual([
      `  docs:      ${url ?? ''}/docs`,
      expect.stringMatching(/^ {2}config: {4}revops\.yaml \(version [0-9a-f]{12}\)$/) as string,
      `  database:  sqlite:${join(dir, 'revops.db')}`,
      '  timers:    fired as they come due',
      '  outbox:    kept (no delivery section: docs/delivery.md)',
      'Requests need an API key (Authorization: Bearer <key>): revops keys create --name NAME --scopes ingest,read',
      'Ctrl-C stops.',
    ]);
    const ready = await fetch(`${url ?? ''}/readyz`);
    expect(ready.status).toBe(200);
    const contacts = await fetch(`${url ?? ''}/v1/contacts`);
    expect(contacts.status).toBe(401);

    stop('SIGTERM');
    expect(await running).toBe(0);
    expect(stdout().split('\n').slice(8)).toEqual(['SIGTERM: stopping…', 'stopped.', '']);
    expect(stderr()).toBe('');
    await expect(fetch(`${url ?? ''}/healthz`)).rejects.toThrow();
  });

  it('exits 2 for a port that is not a number, and for a config that does not load', async () => {
    const port = await runRevops(dir, ['serve', '--port', 'eighty']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain(
      'error cli.invalid_option: --port (or PORT) must be a port number, not `eighty`',
    );
    const config = await runRevops(dir, ['serve', '--config', 'missing.yaml', '--port', '0']);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain('missing.yaml is not a valid config');
  });

  it('is listed in --help with its options', async () => {
    const help = await runRevops(dir, ['serve', '--help']);
    expect(help.code).toBe(0);
    for (const option of [
      '--config <file>',
      '--db <target>',
      '--port <n>',
      '--host <host>',
      '--log',
      '--no-timers',
    ])
      expect(help.stdout).toContain(option);
    expect(help.stdout).toContain('(env: PORT)');
  });
});
