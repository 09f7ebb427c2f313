/** Runs the `revops` command line in-process against a working directory, capturing its output. */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { templatePath } from '../../src/config/templates/index.ts';
import type { CliIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runRevops(cwd: string, args: readonly string[], input = ''): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const io: CliIo = { stdout, stderr, stdin: Readable.from([input]), cwd, interactive: false };
  const code = await main(['node', 'revops', ...args], io);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() };
}

/**
 * A demo request from a fit enough lead (Tuesday 2026-11-24 15:01 UTC): an MQL at once, routed by
 * the mid-market template's round-robin to priya, with its follow-up task due 4 business hours later.
 */
export const DEMO_REQUEST = {
  id: 'demo-1',
  type: 'form_submit',
  at: '2026-11-24T15:01:00Z',
  contact: { email: 'lee@company1.com', firstName: 'Lee', lastName: 'Number1', seniority: 'vp' },
  company: { name: 'Company 1', employees: 400 },
  properties: { form: 'demo_request' },
} as const;

/**
 * A temp working directory with the mid-market template as `revops.yaml`, `DEMO_REQUEST` in
 * `events.ndjson` and, with `ingest`, a SQLite `revops.db` that has ingested it. The caller removes it.
 */
export async function routedLeadWorkspace(
  prefix: string,
  options: { ingest?: boolean } = {},
): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  copyFileSync(templatePath('mid-market'), join(dir, 'revops.yaml'));
  writeFileSync(join(dir, 'events.ndjson'), `${JSON.stringify(DEMO_REQUEST)}\n`);
  if (options.ingest !== false) {
    const ingested = await runRevops(dir, ['ingest', 'events.ndjson', '--db', 'revops.db']);
    if (ingested.code !== 0) throw new Error(`ingest failed: ${ingested.stderr}`);
  }
  return dir;
}
