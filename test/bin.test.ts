// The real binary, as a user runs it: tsx loading, exit codes and the `npm start` tour.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = new URL('../bin/revops.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'revops-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    input: '',
    timeout: 60_000,
  });
}

describe('bin/revops.js', () => {
  it('validates a template config with exit 0, a broken one with exit 2', () => {
    expect(run('init', '--template', 'sales-led', '--yes').status).toBe(0);
    const ok = run('validate');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^revops\.yaml: valid — sales-led motion/);
    writeFileSync(
      join(dir, 'bad.yaml'),
      'version: 1\ncompany: { name: X, gtm: plg, acv: 1k, salesCycleDays: 3, bogus: 1 }\n',
    );
    const bad = run('validate', 'bad.yaml');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad.yaml:2:');
    expect(bad.stderr).toContain('unknown key `bogus` in `company`');
  });

  it('stops quietly when its output pipe closes early (revops … | head)', () => {
    const piped = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" schema | head -n 1`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(piped.stdout).toBe('{\n');
    expect(piped.stderr).toBe('');
  });

  it('runs the tour that `npm start` runs', () => {
    const tour = run('tour', '--dir', 'tour');
    expect(tour.stderr).not.toContain('internal error');
    expect(tour.status).toBe(0);
    expect(tour.stdout).toContain('tour/revops.yaml: valid');
    expect(readdirSync(join(dir, 'tour', 'docs'))).toHaveLength(5);
    expect(existsSync(join(dir, 'tour', 'revops.schema.json'))).toBe(true);
  });
});
