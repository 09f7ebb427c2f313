// `revops demo` in a temp directory: seeds a SQLite file (writing the template next to it), reuses
// it on a second run, starts over with --force, and refuses what it must not touch (bad options, a
// database with other data, --force on PostgreSQL) with exit 2 and a coded error.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_REQUEST, runRevops } from '../../test/support/cli.ts';
import { readTemplate } from '../config/templates/index.ts';
import type { DemoSummary } from '../demo/summary.ts';

const SEED_ARGS = ['--db', 'data/demo.db', '--days', '4', '--seed', '5', '--anchor', '2026-11-24'];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revops-demo-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function summaryOf(stdout: string): { reused: boolean; database: string; summary: DemoSummary } {
  return JSON.parse(stdout) as { reused: boolean; database: string; summary: DemoSummary };
}

describe('revops demo', () => {
  it('seeds a SQLite file with the template beside it, then reuses it on the next run', async () => {
    const first = await runRevops(dir, ['demo', ...SEED_ARGS]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lines = first.stdout.split('\n');
    expect(lines[0]).toBe(
      'Wrote data/revops.yaml: the mid-market template with its demo team (the config the demo runs).',
    );
    expect(lines[1]).toMatch(
      new RegExp(`^Seeded the demo workspace into sqlite:${join(dir, 'data/demo.db')} in \\d+\\.\\d s:$`),
    );
    expect(lines[2]).toMatch(
      /^ {2}history {3}4 days, 2026-11-20 → 2026-11-24 00:00 UTC \(seed 5\): [\d,]+ events through the engine, [\d,]+ timers fired$/,
    );
    expect(lines[4]).toMatch(
      /^ {2}funnel {4}lead [\d,]+ → MQL [\d,]+, \d+\.\d% \(benchmark 5–15%(, outside)?\)$/,
    );
    expect(first.stdout).toContain(
      '\nNext: `revops sla --db data/demo.db` (the SLA board: open and breached clocks)',
    );
    expect(readFileSync(join(dir, 'data/revops.yaml'), 'utf8')).toBe(readTemplate('mid-market'));

    const json = await runRevops(dir, ['demo', ...SEED_ARGS, '--json']);
    expect(json.code).toBe(0);
    const again = summaryOf(json.stdout);
    expect(again.reused).toBe(true);
    expect([again.summary.seed, again.summary.days, again.summary.anchor]).toEqual([
      5,
      4,
      '2026-11-24T00:00:00.000Z',
    ]);
    expect(first.stdout).toContain(
      `${again.summary.events.toLocaleString('en-US')} events through the engine`,
    );

    const text = await runRevops(dir, ['demo', '--db', 'data/demo.db']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe(
      `sqlite:${join(dir, 'data/demo.db')} already holds the demo workspace (seed 5, history to 2026-11-24T00:00:00.000Z): reusing it. Pass --force to start over, or --db for another database.`,
    );
    expect(text.stdout.split('\n').slice(1, 11)).toEqual(lines.slice(2, 12));
  }, 60_000);

  it('--force starts the demo file over with the new seed', async () => {
    const first = summaryOf((await runRevops(dir, ['demo', ...SEED_ARGS, '--json'])).stdout);
    const forced = await runRevops(dir, ['demo', ...SEED_ARGS, '--seed', '6', '--force', '--json']);
    expect(forced.code).toBe(0);
    const second = summaryOf(forced.stdout);
    expect(second.reused).toBe(false);
    expect(second.summary.seed).toBe(6);
    expect(second.summary.eventsHash).not.toBe(first.summary.eventsHash);
  }, 60_000);

  it('runs --config instead of the template, writing no config file', async () => {
    writeFileSync(
      join(dir, 'mine.yaml'),
      readTemplate('mid-market').replace('threshold: 65 # MQL', 'threshold: 70 # MQL'),
    );
    const run = await runRevops(dir, ['demo', ...SEED_ARGS, '--config', 'mine.yaml', '--json']);
    expect(run.code).toBe(0);
    expect(summaryOf(run.stdout).reused).toBe(false);
    expect(existsSync(join(dir, 'data/revops.yaml'))).toBe(false);
  }, 60_000);

  it('refuses a database that holds other events, with or without --force', async () => {
    writeFileSync(join(dir, 'events.ndjson'), `${JSON.stringify(DEMO_REQUEST)}\n`);
    writeFileSync(join(dir, 'revops.yaml'), readTemplate('mid-market'));
    expect((await runRevops(dir, ['ingest', 'events.ndjson', '--db', 'mine.db'])).code).toBe(0);
    for (const extra of [[], ['--force']]) {
      const run = await runRevops(dir, ['demo', '--db', 'mine.db', '--days', '2', ...extra]);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      const [error, hint] = run.stderr.trim().split('\n');
      expect(error).toMatch(/^error demo\.database_not_empty: sqlite:.*mine\.db (already )?holds 1 events/);
      expect(hint).toMatch(/^hint: (point the demo at a new database|choose another file with --db)/);
    }
    expect(existsSync(join(dir, 'mine.db'))).toBe(true);
  }, 60_000);

  it.each([
    [['--days', '0'], 'error cli.invalid_option: --days must be a whole number from 1 to 366, not `0`'],
    [
      ['--seed', '-1'],
      'error cli.invalid_option: --seed must be a whole number from 0 to 4294967295, not `-1`',
    ],
    [
      ['--anchor', 'tuesday'],
      'error cli.invalid_option: --anchor must be a date or an ISO time with a zone, not `tuesday`',
    ],
    [
      ['--db', 'postgres://nobody@127.0.0.1:1/none', '--force'],
      'error cli.invalid_option: --force only starts a SQLite file over; it never drops PostgreSQL data',
    ],
  ])('rejects %j with exit 2 and a coded error', async (args, message) => {
    const run = await runRevops(dir, ['demo', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe(message);
    expect(run.stderr.split('\n')[1]).toMatch(/^hint: /);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });
});
