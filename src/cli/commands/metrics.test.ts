/**
 * `revops metrics` on a SQLite file holding the hand-built October history
 * (src/engine/__fixtures__/metricsHistory.ts), served at the same time by the API on the same file:
 * the CLI's --json is the API's answer, for every area and view; the tables show each figure with
 * its benchmark and flag; --csv one line per number; mistakes exit 2 saying what to send.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiServer, type ApiServer } from '../../../test/support/apiServer.ts';
import { runRevops } from '../../../test/support/cli.ts';
import { openMigratedStore } from '../../compose.ts';
import { templatePath } from '../../config/templates/index.ts';
import { METRICS_NOW, OCTOBER_COUNTS, seedMetricsHistory } from '../../engine/__fixtures__/metricsHistory.ts';

let dir: string;
let api: ApiServer;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revops-metrics-cli-'));
  const store = await openMigratedStore(join(dir, 'revops.db'));
  await seedMetricsHistory(store);
  // The server records the template as the database's active config, which the CLI then reads.
  api = await apiServer({ store, at: METRICS_NOW });
});
afterAll(async () => {
  expect(api.bugs).toEqual([]);
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

const AT = new Date(METRICS_NOW).toISOString();
const OCTOBER = ['--from', '2026-10-01', '--to', '2026-10-31'];
const metrics = (...args: string[]) => runRevops(dir, ['metrics', '--db', 'revops.db', '--at', AT, ...args]);

/** A table's rows as trimmed cells (border lines dropped). */
function rows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('│'))
    .map((line) =>
      line
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

describe('revops metrics --json', () => {
  it.each([
    ['funnel', '/v1/metrics/funnel'],
    ['pipeline', '/v1/metrics/pipeline'],
    ['economics', '/v1/metrics/economics'],
    ['speed-to-lead', '/v1/metrics/speed-to-lead'],
    ['sla', '/v1/metrics/sla'],
    ['routing', '/v1/metrics/routing'],
    ['scoring', '/v1/metrics/scoring'],
  ])('--area %s prints what %s answers', async (area, path) => {
    const cli = await metrics('--area', area, ...OCTOBER, '--json');
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const res = await api.get(`${path}?from=2026-10-01&to=2026-10-31`);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(cli.stdout)).toEqual(JSON.parse(res.body));
  });

  it.each(['marketing', 'sales', 'executive'])(
    '--view %s prints what GET /v1/metrics/views/{view} answers',
    async (view) => {
      const cli = await metrics('--view', view, '--source', 'organic', '--team', 'general', '--json');
      expect(cli.code).toBe(0);
      const res = await api.get(`/v1/metrics/views/${view}?source=organic&team=general`);
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(cli.stdout)).toEqual(JSON.parse(res.body));
    },
  );

  it('gives the October funnel counted by hand, with a config file too', async () => {
    copyFileSync(templatePath('mid-market'), join(dir, 'revops.yaml'));
    const cli = await metrics('--area', 'funnel', ...OCTOBER, '--json', '--config', 'revops.yaml');
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout) as { from: string; to: string; metrics: { counts: unknown } };
    expect([report.from, report.to, report.metrics.counts]).toEqual([
      '2026-10-01T04:00:00.000Z',
      '2026-11-01T04:00:00.000Z',
      OCTOBER_COUNTS,
    ]);
  });
});

describe('revops metrics tables', () => {
  it('shows the executive view by default: each figure, its benchmark and a flag; why a figure is missing', async () => {
    const out = await metrics(...OCTOBER);
    expect(out.code).toBe(0);
    expect(out.stdout.split('\n')[0]).toBe(
      'Executive view: 2026-10-01 – 2026-10-31 (America/New_York), all sources, all teams; as of 2026-11-02T12:00:00.000Z',
    );
    const table = rows(out.stdout);
    expect(table[0]).toEqual(['Figure', 'Value', 'Benchmark', 'Flag']);
    expect(table).toEqual(
      expect.arrayContaining([
        ['LTV:CAC', '—', '3× – 5×', ''],
        ['Revenue · Quota', '$660,000', '', ''],
        ['Revenue · Won in range', '$12,000', '', ''],
        ['Coverage', '0.04×', '3× – 4×', '▼ low'],
        ['Win rate', '100%', '20% – 30%', '▲ high'],
        ['Lead → MQL', '66.67%', '5% – 15%', '▲ high'],
      ]),
    );
    expect(out.stdout).toContain('— LTV: set metrics.economics.monthlyChurn');
  });

  it('shows the funnel area with its conversions and breakdowns', async () => {
    const out = await metrics('--area', 'funnel', ...OCTOBER);
    expect(out.code).toBe(0);
    const table = rows(out.stdout);
    expect(table.slice(1, 11)).toEqual([
      ['Counts · Contacts', '7', '', ''],
      ['Counts · Leads', '6', '', ''],
      ['Counts · MQLs', '4', '', ''],
      ['Counts · SQLs', '3', '', ''],
      ['Counts · Opportunities', '2', '', ''],
      ['Counts · Customers', '1', '', ''],
      ['Conversions · Lead → MQL', '66.67%', '5% – 15%', '▲ high'],
      ['Conversions · MQL → SQL', '75%', '30% – 50%', '▲ high'],
      ['Conversions · SQL → opportunity', '66.67%', '50% – 70%', '✓'],
      ['Conversions · Opportunity → customer', '50%', '', ''],
    ]);
    expect(out.stdout).toContain('\nBy source\n');
    expect(table).toEqual(
      expect.arrayContaining([
        ['FIT-01', 'Company too small', '1', '100%'],
        ['organic', '3', '3', '3', '3', '2', '1', '100%', '100%', '66.67%', '50%'],
        ['paid_search', '3', '3', '1', '0', '0', '0', '33.33%', '0%', '—', '—'],
      ]),
    );
  });

  it('shows durations and the SLA flag in the sales view', async () => {
    const table = rows((await metrics('--view', 'sales', ...OCTOBER)).stdout);
    expect(table).toEqual(
      expect.arrayContaining([
        ['Speed to lead · Median', '2m 30s', '≤ 5m', '✓'],
        ['Speed to lead · Within SLA', '75%', '≥ 90%', '▼ low'],
        ['SLA compliance', '94.44%', '≥ 90%', '✓'],
      ]),
    );
  });
});

describe('revops metrics --csv', () => {
  it('prints one line per number, raw as in the JSON', async () => {
    const out = await metrics('--area', 'funnel', ...OCTOBER, '--csv');
    expect(out.code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(lines.slice(0, 8)).toEqual([
      'metric,value,benchmark_min,benchmark_max,status',
      'area,funnel,,,',
      'timezone,America/New_York,,,',
      'from,2026-10-01T04:00:00.000Z,,,',
      'to,2026-11-01T04:00:00.000Z,,,',
      'asOf,2026-11-02T12:00:00.000Z,,,',
      'filters.source,,,,',
      'filters.team,,,,',
    ]);
    expect(lines).toEqual(
      expect.arrayContaining([
        'counts.leads,6,,,',
        'conversions.leadToMql,0.6667,0.05,0.15,high',
        'conversions.sqlToOpportunity,0.6667,0.5,0.7,ok',
        'conversions.opportunityToCustomer,0.5,,,n/a',
        'rejections.byCode[FIT-01].reason,Company too small,,,',
        'bySource[paid_search].sqlToOpportunity,,,,',
      ]),
    );
  });
});

describe('revops metrics mistakes', () => {
  it('exits 2 with metrics.invalid_range and what to send for a bad range', async () => {
    const out = await metrics('--from', 'last week');
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.split('\n').slice(0, 2)).toEqual([
      'error metrics.invalid_range: `from` is not a date or a time: `last week`',
      'from  error metrics.invalid_range  expected a date (2026-10-01), an ISO time with a zone (2026-10-01T00:00:00Z) or epoch milliseconds',
    ]);
    expect(out.stderr).toContain('hint: send `from` before `to`');
    expect((await metrics('--from', '2026-11-01', '--to', '2026-10-01')).code).toBe(2);
  });

  it('exits 2 for --view with --area, an unknown area or team', async () => {
    const both = await metrics('--view', 'sales', '--area', 'funnel');
    expect([both.code, both.stderr.split('\n')[0]]).toEqual([
      2,
      'error cli.invalid_option: give --view or --area, not both',
    ]);
    const area = await metrics('--area', 'velocity');
    expect(area.code).toBe(2);
    expect(area.stderr).toContain("argument 'velocity' is invalid");
    const team = await metrics('--team', 'nobody');
    expect([team.code, team.stderr.split('\n')[0]]).toEqual([
      2,
      'error metrics.unknown_team: no team `nobody` in the config',
    ]);
  });
});

describe('revops metrics rebuild', () => {
  it('rebuilds every contact’s roll-ups, and the funnel after it is the same', async () => {
    const before = await metrics('--area', 'funnel', ...OCTOBER, '--json');
    const out = await runRevops(dir, ['metrics', 'rebuild', '--db', 'revops.db']);
    expect(out.code).toBe(0);
    // The October history holds eight contacts (seven in the cohort and `old`).
    expect(out.stdout).toMatch(/^rebuilt the metric roll-ups of 8 contact\(s\) in \d+\.\d s \(sqlite:/);
    const after = await metrics('--area', 'funnel', ...OCTOBER, '--json');
    expect(JSON.parse(after.stdout)).toEqual(JSON.parse(before.stdout));
    expect(JSON.parse(after.stdout).metrics.counts).toEqual(OCTOBER_COUNTS);
  });

  it('teaches what the roll-ups are in --help', async () => {
    const out = await runRevops(dir, ['metrics', 'rebuild', '--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('one narrow row per');
    expect(out.stdout).toContain('revops metrics rebuild --config revops.yaml');
  });
});
