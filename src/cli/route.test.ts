// revops route explain and route simulate on the sales-led template, through the command line.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runRevops } from '../../test/support/cli.ts';
import { withRulesFirst } from '../../test/support/routingRules.ts';
import { templatePath } from '../config/templates/index.ts';
import type { RoutingDistribution } from './commands/routeSimulate.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revops-engine-route-'));
  copyFileSync(templatePath('sales-led'), join(dir, 'revops.yaml'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const revops = (args: string[]) => runRevops(dir, args);

/** Monday 2026-12-07, 10:00 in New York: everyone at work, nobody on PTO. */
const MON_1000_NY = '2026-12-07T15:00:00Z';
/** Tuesday 2026-12-22: Sofia is on her year-end break. */
const TUE_1000_NY_PTO = '2026-12-22T15:00:00Z';

interface Lead {
  readonly contact?: Record<string, unknown>;
  readonly company?: Record<string, unknown>;
  readonly owner?: string;
  readonly account?: { readonly owner?: string };
}

function leadFile(name: string, lead: Lead = {}): string {
  const { contact, company, ...rest } = lead;
  const body = {
    contact: { email: 'kim@tundra.example', lastName: 'Kim', ...contact },
    company: { name: 'Tundra Outfitters', country: 'US', state: 'AK', employees: 200, ...company },
    ...rest,
  };
  writeFileSync(join(dir, name), JSON.stringify(body));
  return name;
}

const explain = (file: string, ...extra: string[]) =>
  revops(['route', 'explain', '--config', 'revops.yaml', '--lead', file, '--at', MON_1000_NY, ...extra]);

interface Decision {
  readonly kind: string;
  readonly owner?: string;
  readonly rule: string;
  readonly team?: string;
  readonly trace: {
    readonly steps: readonly { rule: string; outcome: string }[];
    readonly candidates: readonly { rep: string; status: string; target: number }[];
  };
}
const decisionOf = (stdout: string) => (JSON.parse(stdout) as { decision: Decision }).decision;

const pathLines = (stdout: string) => stdout.split('\n').filter((l) => /^ {2}\d+\. /.test(l));

/** The rows of a printed table whose first cell is one of `first`, as trimmed cells. */
const tableRows = (stdout: string, first: readonly string[]) =>
  stdout
    .split('\n')
    .filter((l) => l.startsWith('│') && first.includes(l.split('│')[1]?.trim() ?? ''))
    .map((l) =>
      l
        .split('│')
        .slice(1, -1)
        .map((c) => c.trim()),
    );

describe('revops route explain (sales-led)', () => {
  it('a lead at a named tier-1 account goes to its owner', async () => {
    const file = leadFile('globex.json', {
      contact: { email: 'ana@globex.example' },
      company: { name: 'Globex Corporation', state: 'NY' },
    });
    const run = await explain(file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      'Routing ana@globex.example (account globex.example, named tier 1) as on entering mql, at 2026-12-07T15:00:00.000Z.',
    );
    expect(lines[1]).toMatch(/^No load: a what-if with every rep at 0 open leads and 0 today/);
    expect(pathLines(run.stdout)).toEqual([
      '  1. named-account  matched  placed  account_owner: named account globex.example: owner priya is available',
    ]);
    expect(run.stdout).toContain(
      'Decision: assigned to priya by rule named-account; tier 1 "Top 20 strategic accounts": instant alert, SLA 1h.',
    );
    expect(run.stdout).not.toContain('Candidates');

    const json = await explain(file, '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as {
      at: string;
      load: string;
      decision: Decision & { tier: unknown };
    };
    expect(parsed.at).toBe('2026-12-07T15:00:00.000Z');
    expect(parsed.load).toBe('none');
    expect(parsed.decision).toMatchObject({
      kind: 'assigned',
      owner: 'priya',
      rule: 'named-account',
      tier: { tier: 1, name: 'Top 20 strategic accounts', alert: 'instant', sla: '1h' },
    });
  });

  it('a west-coast lead goes to the West territory team', async () => {
    const run = await explain(
      leadFile('west.json', {
        contact: { email: 'lee@sunshine.example' },
        company: { name: 'Sunshine Labs', state: 'CA' },
      }),
    );
    expect(run.code).toBe(0);
    expect(pathLines(run.stdout)).toEqual([
      '  1. fuzzy_name_match  not matched  no_match  no named account name is at least 0.92 similar to `Sunshine Labs`',
      '  2. named-account  not matched  no_match  when `account.named && account.tier <= 2` is false',
      '  3. enterprise  not matched  no_match  when `company.employees >= 1000 && company.industry in ["Financial Services", "Insurance", "Healthcare"]` is false',
      '  4. plg-team-usage  not matched  no_match  when `lead.teamMembers >= 2` is false: lead.teamMembers is not set',
      '  5. territory  matched  placed  territory: territory west → team west (weighted_round_robin) chose priya (count 0, deficit 1)',
    ]);
    expect(run.stdout).toContain('Decision: assigned to priya (team west) by rule territory.');
    expect(tableRows(run.stdout, ['rep', 'priya'])).toEqual([
      ['rep', 'team', 'status', 'reason', 'count', 'weight', 'target', 'deficit', 'open leads'],
      ['priya', 'west', 'chosen', '', '0', '1.2', '1', '1', '0'],
    ]);
  });

  it('folds a long run of rules the lead cannot match into one step; --every-rule shows each', async () => {
    // Twelve state rules before the template's own: a small Alaskan company can match none of them.
    const states = ['CA', 'NY', 'TX'];
    const generated = Array.from({ length: 12 }, (_, i) => ({
      id: `gen-${i}`,
      name: `Generated ${i}`,
      when: `company.state == "${states[i % 3] ?? 'CA'}" && company.employees >= 4000`,
      to: 'team:general',
    }));
    const text = readFileSync(join(dir, 'revops.yaml'), 'utf8');
    writeFileSync(join(dir, 'revops.yaml'), withRulesFirst(text, generated));
    const file = leadFile('tundra.json');
    const run = await explain(file);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = pathLines(run.stdout);
    expect(lines.slice(0, 3)).toEqual([
      '  1. fuzzy_name_match  not matched  no_match  no named account name is at least 0.92 similar to `Tundra Outfitters`',
      '  2. ruled_out  not matched  no_match  gen-0 … gen-11, not evaluated: 12 require another company.state (the lead\'s is "AK")',
      '  3. named-account  not matched  no_match  when `account.named && account.tier <= 2` is false',
    ]);
    expect(run.stdout).toContain('Decision: assigned to');
    const every = await explain(file, '--every-rule');
    expect(every.code).toBe(0);
    const everyLines = pathLines(every.stdout);
    expect(everyLines).toHaveLength(lines.length + 11);
    expect(everyLines[1]).toBe(
      '  2. gen-0  not matched  no_match  when `company.state == "CA" && company.employees >= 4000` is false',
    );
    // The same decision either way.
    expect(every.stdout.split('Decision:')[1]).toBe(run.stdout.split('Decision:')[1]);
  });

  it('a lead no rule places specifically falls to weighted round-robin over the general pool', async () => {
    const file = leadFile('tundra.json');
    const run = await explain(file);
    expect(run.code).toBe(0);
    expect(pathLines(run.stdout).map((l) => l.split('  ').slice(1, 4).join(' | '))).toEqual([
      '1. fuzzy_name_match | not matched | no_match',
      '2. named-account | not matched | no_match',
      '3. enterprise | not matched | no_match',
      '4. plg-team-usage | not matched | no_match',
      '5. territory | matched | no_territory',
      '6. round-robin | matched | placed',
    ]);
    expect(pathLines(run.stdout)[5]).toBe(
      '  6. round-robin  matched  placed  team:general: team general (weighted_round_robin) chose priya (count 0, deficit 0.375)',
    );
    expect(run.stdout).toContain('Decision: assigned to priya (team general) by rule round-robin.');
    // Weights 1.2 / 1 / 1: targets 1.2/3.2, 1/3.2, 1/3.2 of the first lead.
    expect(tableRows(run.stdout, ['priya', 'leo', 'sofia'])).toEqual([
      ['priya', 'general', 'chosen', '', '0', '1.2', '0.375', '0.375', '0'],
      ['leo', 'general', 'eligible', '', '0', '1', '0.3125', '0.3125', '0'],
      ['sofia', 'general', 'eligible', '', '0', '1', '0.3125', '0.3125', '0'],
    ]);

    const decision = decisionOf((await explain(file, '--json')).stdout);
    expect(decision).toMatchObject({
      kind: 'assigned',
      owner: 'priya',
      rule: 'round-robin',
      team: 'general',
    });
    expect(decision.trace.candidates.map((c) => [c.rep, c.status, c.target])).toEqual([
      ['priya', 'chosen', 0.375],
      ['leo', 'eligible', 0.3125],
      ['sofia', 'eligible', 0.3125],
    ]);
  });

  it('on PTO the East rep is skipped with the reason, and the lead falls through to round-robin', async () => {
    const file = leadFile('east.json', { company: { state: 'NY' } });
    const run = await revops(['route', 'explain', '-c', 'revops.yaml', '-l', file, '--at', TUE_1000_NY_PTO]);
    expect(run.code).toBe(0);
    expect(pathLines(run.stdout)[4]).toBe(
      '  5. territory  matched  nobody_available  territory: territory east → team east (weighted_round_robin) has nobody available (sofia: pto)',
    );
    expect(run.stdout).toContain('Decision: assigned to priya (team general) by rule round-robin.');
    expect(run.stdout).toContain(
      '  sofia (east): sofia is on PTO 2026-12-21..2027-01-01 (local date 2026-12-22 in America/New_York)',
    );
  });

  it('an existing owner keeps the lead; an account owner takes every contact of the account', async () => {
    const kept = decisionOf((await explain(leadFile('kept.json', { owner: 'leo' }), '--json')).stdout);
    expect(kept).toMatchObject({ kind: 'kept', owner: 'leo', rule: 'keep_owner' });
    expect(kept.trace.steps.map((s) => [s.rule, s.outcome])).toEqual([['keep_owner', 'placed']]);
    const account = decisionOf(
      (await explain(leadFile('account.json', { account: { owner: 'sofia' } }), '--json')).stdout,
    );
    expect(account).toMatchObject({ kind: 'assigned', owner: 'sofia', rule: 'same_account' });
  });

  it('a missing lead file, invalid JSON or bad attributes exit 2 with the code and a hint', async () => {
    const missing = await explain('nope.json');
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toContain(`error cli.input_not_found: no lead file at ${join(dir, 'nope.json')}`);
    expect(missing.stderr).toMatch(/^hint: check the path; a lead file is JSON like \{"contact"/m);

    writeFileSync(join(dir, 'broken.json'), '{"contact": {"email": ');
    const broken = await explain('broken.json');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/^error cli\.invalid_option: broken\.json: not valid JSON \(/);
    expect(broken.stderr).toMatch(/^hint: a lead file is JSON like/m);

    writeFileSync(join(dir, 'list.json'), '[]');
    const list = await explain('list.json');
    expect(list.code).toBe(2);
    expect(list.stderr).toContain('error cli.invalid_option: list.json: the lead must be a JSON object');

    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ contact: { email: 'nobody' }, company: { employees: 'lots' } }),
    );
    const bad = await explain('bad.json');
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n').slice(0, 3)).toEqual([
      'error cli.invalid_option: bad.json is not a usable lead',
      'contact.email  error event.invalid_field  `nobody` is not an email address',
      'company.employees  error event.invalid_field  `company.employees` must be a number of 0 or more',
    ]);

    writeFileSync(
      join(dir, 'score.json'),
      JSON.stringify({ contact: { email: 'a@b.example' }, score: { fit: 'high' } }),
    );
    const score = await explain('score.json');
    expect(score.code).toBe(2);
    expect(score.stderr).toContain(
      'error cli.invalid_option: score.json: `score.fit`: the score takes fit, engagement, negative, total (numbers) and mql (true/false)',
    );

    const at = await revops([
      'route',
      'explain',
      '-c',
      'revops.yaml',
      '-l',
      leadFile('ok.json'),
      '--at',
      'monday',
    ]);
    expect(at.code).toBe(2);
    expect(at.stderr).toContain('error cli.invalid_option: --at must be an ISO time with a zone');
  });

  it('--help teaches the lead file format with examples', async () => {
    const help = await revops(['route', 'explain', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('The lead file is JSON; only contact is required:');
    expect(help.stdout).toContain('revops route explain -c revops.yaml --lead lead.json');
  });
});

// ---------------------------------------------------------------------------------------------

/**
 * A small history: demo requests from leads whose fit passes fitMin (600 employees: 20 points, a VP:
 * 20 points, 40 of 95 ≥ 40%), so each is fast-tracked to MQL and routed. Nine leads outside every
 * territory (AK), a California lead, a Globex lead, and a small company whose demo request does not
 * qualify. Monday and Tuesday of one week, so round-robin counts carry over and nobody reaches five a day.
 */
function history(): string {
  const lines: object[] = [];
  const at = (day: number, i: number) =>
    new Date(Date.parse('2026-12-07T14:00:00Z') + day * 86_400_000 + i * 600_000).toISOString();
  const demo = (id: string, when: string, email: string, company: Record<string, unknown>) =>
    lines.push({
      id,
      type: 'form_submit',
      at: when,
      contact: { email, lastName: id, seniority: 'vp' },
      company: { name: `Company ${id}`, employees: 600, country: 'US', ...company },
      properties: { form: 'demo_request' },
    });
  for (let i = 0; i < 9; i++)
    demo(`rr${i}`, at(i < 5 ? 0 : 1, i), `vp${i}@north${i}.example`, { state: 'AK' });
  demo('west', at(0, 6), 'vp@sunshine.example', { state: 'CA' });
  demo('globex', at(1, 7), 'vp@globex.example', { state: 'NY' });
  lines.push({
    id: 'small',
    type: 'form_submit',
    at: at(1, 8),
    contact: { email: 'someone@tiny.example' },
    company: { employees: 20, state: 'AK' },
    properties: { form: 'demo_request' },
  });
  return `${lines.map((l) => JSON.stringify(l)).join('\n')}\n`;
}

/** What `route simulate --json` prints: the distribution and the replay's event counts. */
type Distribution = RoutingDistribution & {
  readonly events: { accepted: number; duplicates: number; rejected: number };
};

describe('revops route simulate (sales-led)', () => {
  it('replays the history through the engine and reports the distribution and fairness', async () => {
    writeFileSync(join(dir, 'history.ndjson'), history());
    const json = await revops(['route', 'simulate', '-c', 'revops.yaml', '-e', 'history.ndjson', '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const d = JSON.parse(json.stdout) as Distribution;
    expect(d.events).toEqual({ accepted: 12, duplicates: 0, rejected: 0 });
    expect(d.decisions).toBe(11);
    expect(d.byKind).toEqual({ assigned: 11, kept: 0, queued: 0, review: 0 });
    expect(d.byRule).toEqual([
      { rule: 'round-robin', count: 9 },
      { rule: 'named-account', count: 1 },
      { rule: 'territory', count: 1 },
    ]);
    expect(d.byQueue).toEqual([]);
    // Priya: three from the pool, the Californian (West) and Globex (her named account).
    expect(d.byRep).toEqual([
      { rep: 'priya', assigned: 5, share: 0.4545 },
      { rep: 'leo', assigned: 3, share: 0.2727 },
      { rep: 'sofia', assigned: 3, share: 0.2727 },
    ]);
    // The pool's nine leads 3/3/3 against weights 1.2/1/1 (targets 37.5%, 31.25%, 31.25%).
    expect(d.byTeam).toEqual([
      {
        team: 'general',
        strategy: 'weighted_round_robin',
        assigned: 9,
        fairness: 4.17,
        reps: [
          { rep: 'priya', weight: 1.2, assigned: 3, share: 0.3333, target: 0.375, deviation: -4.17 },
          { rep: 'leo', weight: 1, assigned: 3, share: 0.3333, target: 0.3125, deviation: 2.08 },
          { rep: 'sofia', weight: 1, assigned: 3, share: 0.3333, target: 0.3125, deviation: 2.08 },
        ],
      },
      {
        team: 'west',
        strategy: 'weighted_round_robin',
        assigned: 1,
        fairness: 0,
        reps: [{ rep: 'priya', weight: 1.2, assigned: 1, share: 1, target: 1, deviation: 0 }],
      },
    ]);
    expect(d.fairness).toEqual({ team: 'general', points: 4.17 });

    const text = await revops(['route', 'simulate', '-c', 'revops.yaml', '-e', 'history.ndjson']);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').slice(0, 4)).toEqual([
      'Simulated to 2026-12-08T15:20:00.000Z: 12 events accepted, 0 duplicate, 0 rejected; 11 routing decisions.',
      'By kind: assigned 11, kept 0, queued 0, review 0.',
      'By rule: round-robin 9, named-account 1, territory 1.',
      'Queued: none.',
    ]);
    expect(tableRows(text.stdout, ['general (weighted_round_robin)'])).toEqual([
      ['general (weighted_round_robin)', 'priya', '1.2', '3', '33.3%', '37.5%', '-4.2 pp'],
      ['general (weighted_round_robin)', 'leo', '1', '3', '33.3%', '31.3%', '+2.1 pp'],
      ['general (weighted_round_robin)', 'sofia', '1', '3', '33.3%', '31.3%', '+2.1 pp'],
    ]);
    expect(text.stdout).toContain(
      'Fairness (largest |share − target| per team): general 4.2 pp, west 0.0 pp.',
    );
    expect(text.stdout).toContain('Worst: general at 4.2 percentage points.');
  });

  it('reports rejected lines like replay and exits 2', async () => {
    writeFileSync(
      join(dir, 'history.ndjson'),
      `${history()}{"id":"x","type":"page_veiw","at":"2026-12-08T20:00:00Z","contact":{"email":"a@b.example"}}\nnot json\n`,
    );
    const run = await revops(['route', 'simulate', '-c', 'revops.yaml', '-e', 'history.ndjson']);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(
      /^Simulated to 2026-12-08T\S+: 12 events accepted, 0 duplicate, 2 rejected; 11 routing decisions\.$/m,
    );
    expect(run.stderr.split('\n').map((l) => l.split('  ').slice(0, 2).join('  '))).toEqual([
      'history.ndjson:13  event.unknown_type',
      'history.ndjson:14  event.invalid_json',
      '',
    ]);
  });

  it('says what to do when the events file is missing', async () => {
    const run = await revops(['route', 'simulate', '-c', 'revops.yaml', '-e', 'nope.ndjson']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('error cli.input_not_found: no events file at');
    expect(run.stderr).toContain('hint: check the path, or pass - to read standard input');
  });
});
