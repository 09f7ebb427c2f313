// revops ingest, replay and db migrate through the command line entry point, on temp files.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRevops } from '../../test/support/cli.ts';
import { templatePath } from '../config/templates/index.ts';
import { openStore } from '../store/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revops-engine-cli-'));
  copyFileSync(templatePath('mid-market'), join(dir, 'revops.yaml'));
  for (const name of ['events.ndjson', 'bad-events.ndjson']) {
    copyFileSync(new URL(`../../examples/${name}`, import.meta.url), join(dir, name));
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const revops = (args: string[], input = '') => runRevops(dir, args, input);

describe('revops ingest', () => {
  it('imports a file, and importing it again accepts nothing new', async () => {
    const first = await revops(['ingest', 'events.ndjson', '--db', 'revops.db']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^17 events: 16 accepted, 1 duplicate, 0 rejected in [\d.]+ s \(\d+ events\/s\) into sqlite:.*revops\.db\n$/,
    );
    const again = await revops(['ingest', 'events.ndjson', '--db', 'revops.db']);
    expect(again.stdout).toMatch(/^17 events: 0 accepted, 17 duplicate, 0 rejected/);
  });

  it('reports each bad line with its number and reason, imports the rest, and exits 2', async () => {
    const run = await revops([
      'ingest',
      'bad-events.ndjson',
      '--db',
      'revops.db',
      '--errors',
      'rejected.ndjson',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^6 events: 1 accepted, 0 duplicate, 5 rejected/);
    const lines = run.stderr.trim().split('\n');
    expect(lines[0]).toBe(
      'bad-events.ndjson:1  event.unknown_type  type: unknown event type `page_veiw` — did you mean `page_view`?; expected `identify`, `page_view`, `form_submit`, `content_download`, `webinar`, `email`, `product`, `social`, `meeting`, `rep_activity`, `sales_decision`, `deal`, `nps` or `referral` (add custom types under events.custom)',
    );
    expect(lines.map((l) => l.split('  ')[0])).toEqual([
      'bad-events.ndjson:1',
      'bad-events.ndjson:2',
      'bad-events.ndjson:3',
      'bad-events.ndjson:3',
      'bad-events.ndjson:4',
      'bad-events.ndjson:5',
    ]);
    const kept = readFileSync(join(dir, 'rejected.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number });
    expect(kept.map((k) => k.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('records the config version it ran with and syncs the team', async () => {
    await revops(['ingest', 'events.ndjson', '--db', 'revops.db']);
    await revops(['ingest', 'events.ndjson', '--db', 'revops.db']);
    const store = await openStore(join(dir, 'revops.db'));
    try {
      const versions = await store.configVersions();
      expect(versions.map((v) => [v.hash.length, v.active])).toEqual([[64, true]]);
      const team = await store.team();
      expect(team.reps.map((r) => r['id'])).toEqual([
        'dan',
        'grace',
        'jonas',
        'leo',
        'maya',
        'nadia',
        'omar',
        'priya',
        'sofia',
        'theo',
      ]);
    } finally {
      await store.close();
    }
  });

  it('reads CSV with event paths as headers', async () => {
    writeFileSync(
      join(dir, 'events.csv'),
      [
        'id,type,at,contact.email,contact.lastName,company.name,company.employees,properties.category',
        'c1,identify,2026-11-02T10:00:00Z,Pat@Initech.com,Lee,Initech,250,',
        'c2,page_view,2026-11-02T10:05:00Z,pat@initech.com,,,,pricing',
        'c3,page_view,2026-11-02T10:06:00Z,pat@initech.com,,,,prices',
      ].join('\n'),
    );
    const run = await revops(['ingest', 'events.csv', '--db', 'revops.db']);
    expect(run.stdout).toMatch(/^3 events: 2 accepted, 0 duplicate, 1 rejected/);
    expect(run.stderr).toContain('events.csv:4  event.invalid_property  properties.category:');
  });

  it('rejects a CSV row whose cells do not line up with the header, and imports the others', async () => {
    writeFileSync(
      join(dir, 'shifted.csv'),
      [
        'id,type,at,contact.email,company.name,company.industry,company.state',
        's1,identify,2026-11-02T11:00:00Z,kim@acme.example,Acme, Inc,Software,CA',
        's2,identify,2026-11-02T11:01:00Z,lee@acme.example,"Acme, Inc",Software,CA',
        's3,identify,2026-11-02T11:02:00Z,max@acme.example,Acme',
      ].join('\n'),
    );
    const run = await revops(['ingest', 'shifted.csv', '--db', 'shifted.db']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^3 events: 1 accepted, 0 duplicate, 2 rejected/);
    expect(run.stderr).toContain(
      'shifted.csv:2  event.invalid_csv_row  8 cells where the header has 7 columns: quote a value that holds a comma ("Acme, Inc")',
    );
    expect(run.stderr).toContain(
      'shifted.csv:4  event.invalid_csv_row  5 cells where the header has 7 columns',
    );
  });

  it('reads standard input with -', async () => {
    const run = await revops(
      ['ingest', '-', '--db', 'revops.db'],
      readFileSync(join(dir, 'events.ndjson'), 'utf8'),
    );
    expect(run.stdout).toMatch(/^17 events: 16 accepted, 1 duplicate, 0 rejected/);
  });

  it('says what to do when the file or the config is missing', async () => {
    const noFile = await revops(['ingest', 'nope.ndjson', '--db', 'revops.db']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('error cli.input_not_found: no events file at');
    const noConfig = await revops(['ingest', 'events.ndjson', '--config', 'missing.yaml']);
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toContain('config.file_not_found');
  });
});

describe('revops replay', () => {
  it('prints the stable JSON report, byte-identical on a second run', async () => {
    const first = await revops(['replay', '--config', 'revops.yaml', '--events', 'events.ndjson', '--json']);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as {
      at: string;
      contacts: { email: string | null; stage: string }[];
      events: unknown;
    };
    expect(report.at).toBe('2026-11-09T13:00:00.000Z');
    expect(report.events).toEqual({ accepted: 16, duplicates: 1, rejected: 0 });
    expect(Object.keys(report)).toEqual([
      'at',
      'contacts',
      'assignments',
      'sla',
      'escalations',
      'tasks',
      'notifications',
      'events',
      'rejected',
      'mql',
      'accounts',
      'deals',
      'approvals',
    ]);
    const second = await revops(['replay', '--config', 'revops.yaml', '--events', 'events.ndjson', '--json']);
    expect(second.stdout).toBe(first.stdout);
  });

  it('prints a readable summary without --json', async () => {
    const run = await revops(['replay', '-c', 'revops.yaml', '-e', 'events.ndjson']);
    expect(run.stdout).toContain(
      'Replayed to 2026-11-09T13:00:00.000Z: 16 events accepted, 1 duplicate, 0 rejected.',
    );
    expect(run.stdout).toContain('5 contacts by stage: lead 2, subscriber 2, mql 1');
  });

  it('exits 2 on a broken config, naming file:line:col', async () => {
    writeFileSync(
      join(dir, 'broken.yaml'),
      readFileSync(join(dir, 'revops.yaml'), 'utf8').replace('threshold: 65', 'threshold: "high"'),
    );
    const run = await revops(['replay', '-c', 'broken.yaml', '-e', 'events.ndjson', '--json']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^broken\.yaml:\d+:\d+ {2}error config\.invalid_type/);
  });

  it('rejects a malformed --at', async () => {
    const run = await revops(['replay', '-c', 'revops.yaml', '-e', 'events.ndjson', '--at', 'tomorrow']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--at must be an ISO time with a zone');
  });
});

describe('revops score sweep', () => {
  it('rescores only the contacts whose decay step is due', async () => {
    await revops(['ingest', 'events.ndjson', '--db', 'revops.db']);
    const early = await revops(['score', 'sweep', '--db', 'revops.db', '--at', '2026-11-09T14:00:00Z']);
    expect(early.code).toBe(0);
    expect(early.stdout).toMatch(
      /^rescored 0 contact\(s\) whose decay step was due by 2026-11-09T14:00:00.000Z/,
    );
    const later = await revops(['score', 'sweep', '--db', 'revops.db', '--at', '2026-11-10T00:00:00Z']);
    expect(later.stdout).toMatch(/^rescored 1 contact\(s\)/);
  });

  it('rescores every contact with a changed model', async () => {
    await revops(['ingest', 'events.ndjson', '--db', 'revops.db']);
    writeFileSync(
      join(dir, 'looser.yaml'),
      readFileSync(join(dir, 'revops.yaml'), 'utf8')
        .replace(/^ {2}threshold: 65 .*$/m, '  threshold: 40')
        .replace(/^ {2}engagementMin: 30$/m, '  engagementMin: 0'),
    );
    const run = await revops([
      'score',
      'rescore',
      '-c',
      'looser.yaml',
      '--db',
      'revops.db',
      '--at',
      '2026-11-09T13:00:00Z',
    ]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /^rescored 5 contact\(s\) as of 2026-11-09T13:00:00.000Z in [\d.]+ s with looser\.yaml \(sqlite:.*revops\.db\)\n$/,
    );
    const store = await openStore(join(dir, 'revops.db'));
    try {
      // Ben (fit 100%, no engagement, total 50) qualifies once engagement has no minimum.
      const scores = (await store.listContacts()).map((c) => [c.email ?? c.externalId, c.score?.mql]);
      expect(scores).toEqual([
        ['ava.chen@northwind.io', true],
        ['ben.ortiz@northwind.io', true],
        ['carla.m@gmail.com', false],
        ['dan.kim@acme-logistics.com', false],
        ['crm-1001', false],
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('revops score explain', () => {
  it('itemises a replayed contact’s score at an instant', async () => {
    const run = await revops([
      'score',
      'explain',
      'Ava.Chen@northwind.io',
      '-e',
      'events.ndjson',
      '--at',
      '2026-11-20T00:00:00Z',
      '--json',
    ]);
    expect(run.code).toBe(0);
    const r = JSON.parse(run.stdout) as {
      at: string;
      fit: number;
      engagement: number;
      total: number;
      mql: boolean;
      ledger: { ruleId: string; points: number; decayApplied: number }[];
    };
    // Pricing (+15) has lost two weekly steps of 5 by 11-20: engagement 25 + 5 = 30 of 80;
    // total 0.5 × 100 + 0.5 × 37.5 = 68.75 → 69, still an MQL.
    expect([r.at, r.fit, r.engagement, r.total, r.mql]).toEqual([
      '2026-11-20T00:00:00.000Z',
      60,
      30,
      69,
      true,
    ]);
    expect(r.ledger.find((e) => e.ruleId === 'pricing-page')).toMatchObject({ points: 5, decayApplied: 10 });
    const text = await revops([
      'score',
      'explain',
      'ava.chen@northwind.io',
      '-e',
      'events.ndjson',
      '--at',
      '2026-11-20T00:00:00Z',
    ]);
    expect(text.stdout).toContain('MQL: total 69 ≥ threshold 65, fit 100% ≥ 30%, engagement 37.5% ≥ 30%');
    // Printed into a pipe: no colour codes in the table.
    expect(text.stdout).not.toContain('\u001b[');
    expect(text.stdout).toMatch(/│ dimension +│ rule +│ points │ decay │ why/);
  });

  it('reads a contact from the database, and says so when there is none', async () => {
    await revops(['ingest', 'events.ndjson', '--db', 'revops.db']);
    const run = await revops([
      'score',
      'explain',
      'dan.kim@acme-logistics.com',
      '--db',
      'revops.db',
      '--at',
      '2026-11-09T13:00:00Z',
      '--json',
    ]);
    expect((JSON.parse(run.stdout) as { total: number }).total).toBe(19);
    const missing = await revops(['score', 'explain', 'nobody@acme.com', '--db', 'revops.db']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no contact with the email nobody@acme.com');
  });
});

describe('revops db migrate', () => {
  it('creates the schema once', async () => {
    const first = await revops(['db', 'migrate', '--db', 'data/x.db']);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/: applied \S+/);
    const second = await revops(['db', 'migrate', '--db', 'data/x.db']);
    expect(second.stdout).toMatch(/schema up to date\n$/);
  });
});
