// revops deals on the mid-market template, through the command line, against a SQLite file in a
// temp directory. Times are pinned with --at: Tuesday 2026-11-24 15:00 UTC (10:00 in New York);
// two business days later is Friday 2026-11-27 15:00 UTC (Thanksgiving, the 26th, is closed).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routedLeadWorkspace, runRevops } from '../../test/support/cli.ts';
import { openStore } from '../store/index.ts';
import { parseSet, parseSets } from './commands/deals.ts';

let dir: string;
beforeEach(async () => {
  dir = await routedLeadWorkspace('revops-engine-deals-', { ingest: false });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const AT = ['--at', '2026-11-24T15:00:00Z'];
const revops = (...args: string[]) => runRevops(dir, [...args, '--db', 'revops.db']);
const db = () => `sqlite:${join(dir, 'revops.db')}`;

/** acme-1 (owner priya, close date 2026-12-15) created and moved to discovery. */
async function inDiscovery(): Promise<void> {
  const created = await revops(
    'deals',
    'create',
    'acme-1',
    '--contact',
    'kim@acme.example',
    '--set',
    'source=inbound',
    '--set',
    'fitScore=62',
    '--set',
    'owner=priya',
    '--set',
    'name=Acme platform',
    '--set',
    'closeDate=2026-12-15',
    ...AT,
  );
  expect(created.stdout).toBe(
    `Created deal acme-1 in qualified (pipeline new-business) for email:kim@acme.example, account acme.example, owner priya.\nWritten to ${db()}.\n`,
  );
  const moved = await revops(
    'deals',
    'move',
    'acme-1',
    'discovery',
    '--set',
    'painPoints=Manual reporting',
    '--set',
    'currentSolution=Spreadsheets',
    '--set',
    'timeline=Q1 2027',
    ...AT,
  );
  expect([moved.code, moved.stderr]).toEqual([0, '']);
}

async function stored() {
  const store = await openStore(join(dir, 'revops.db'));
  try {
    return { deals: await store.listDeals(), approvals: await store.listApprovals() };
  } finally {
    await store.close();
  }
}

describe('--set', () => {
  it('parses numbers, booleans, null and JSON; anything else is text', () => {
    expect(
      [
        'amount=30000',
        'discountPercent=12.5',
        'signedContract=true',
        'customTerms=false',
        'competitor=null',
        'decisionMakers=["cfo","vp ops"]',
        'zip="02134"',
        'painPoints=Manual reporting = slow',
        'closeDate=2026-12-15',
        'code=007',
      ].map(parseSet),
    ).toEqual([
      ['amount', 30000],
      ['discountPercent', 12.5],
      ['signedContract', true],
      ['customTerms', false],
      ['competitor', null],
      ['decisionMakers', ['cfo', 'vp ops']],
      ['zip', '02134'],
      ['painPoints', 'Manual reporting = slow'],
      ['closeDate', '2026-12-15'],
      ['code', '007'],
    ]);
    expect(parseSets(['amount=1', 'amount=2'])).toEqual({ amount: 2 });
    expect(() => parseSet('amount')).toThrow('--set needs field=value, not `amount`');
    expect(() => parseSet('=3')).toThrow('--set needs field=value');
    expect(() => parseSet('decisionMakers=[cfo]')).toThrow('--set decisionMakers: `[cfo]` is not valid JSON');
  });
});

describe('revops deals', () => {
  it('create refuses empty entry fields, naming them and the --set flags to add; nothing is written', async () => {
    const run = await revops('deals', 'create', 'acme-1', '--contact', 'kim@acme.example', ...AT);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error pipeline.required_fields_missing: Qualified needs Source (`source`), Fit score (`fitScore`) before deal `acme-1` can enter it\n' +
        'hint: fill them and run it again: revops deals create acme-1 --contact kim@acme.example --set source=… --set fitScore=…\n',
    );
    expect((await stored()).deals).toEqual([]);
  });

  it('move names the missing fields; moving on to proposal at 25% off opens a VP Sales approval', async () => {
    await inDiscovery();
    const refused = await revops('deals', 'move', 'acme-1', 'demo', '--set', 'amount=30000', ...AT);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'error pipeline.required_fields_missing: Demo / evaluation needs Technical requirements (`technicalRequirements`), Decision makers (`decisionMakers`) before deal `acme-1` can enter it\n' +
        'hint: fill them and run it again: revops deals move acme-1 demo --set technicalRequirements=… --set decisionMakers=…\n',
    );
    expect((await stored()).deals.map((d) => [d.stage, d.amount])).toEqual([['discovery', undefined]]);

    const moved = await revops(
      'deals',
      'move',
      'acme-1',
      'demo',
      '--set',
      'technicalRequirements=SSO, Snowflake export',
      '--set',
      'decisionMakers=["cfo"]',
      ...AT,
    );
    expect(moved.stdout).toBe(
      `Moved deal acme-1 from discovery to demo (open) at 2026-11-24T15:00:00.000Z.\nWritten to ${db()}.\n`,
    );
    const proposal = await revops(
      'deals',
      'move',
      'acme-1',
      'proposal',
      '--set',
      'amount=30000',
      '--set',
      'discountPercent=25',
      '--set',
      'termMonths=12',
      '--set',
      'paymentTerms=net-30',
      '--set',
      'stakeholderMap=CFO signs',
      '--at',
      '2026-11-24T16:00:00Z',
    );
    expect(proposal.stdout).toBe(
      [
        'Moved deal acme-1 from demo to proposal (open) at 2026-11-24T16:00:00.000Z.',
        'Approval acme-1:1 pending: ACV $30,000 over the $25,000 threshold, 25% discount; waiting on role:vp_sales, due 2026-11-27T16:00:00.000Z',
        `Written to ${db()}.`,
        '',
      ].join('\n'),
    );
    const { approvals } = await stored();
    expect(approvals.map((a) => [a.id, a.status, a.steps.map((s) => [s.tier, s.approvers])])).toEqual([
      ['acme-1:1', 'pending', [['vp-sales', ['role:vp_sales']]]],
    ]);
  });

  it('push needs a reason for a later date; the second push flags a forecast review', async () => {
    await inDiscovery();
    const bare = await revops('deals', 'push', 'acme-1', '2027-01-15', ...AT);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toBe(
      'error pipeline.push_reason_required: moving the close date from 2026-12-15 to 2027-01-15 (31 days later) needs a reason\n' +
        'hint: say why it slipped: revops deals push acme-1 2027-01-15 --reason "…"\n',
    );
    const first = await revops('deals', 'push', 'acme-1', '2027-01-15', '--reason', 'Budget frozen', ...AT);
    expect(first.stdout.split('\n')[0]).toBe(
      'Pushed the close date of deal acme-1 from 2026-12-15 to 2027-01-15 (31 days later): push 1.',
    );
    const second = await revops('deals', 'push', 'acme-1', '2027-01-31', '--reason', 'Legal review', ...AT);
    expect(second.stdout).toBe(
      [
        'Pushed the close date of deal acme-1 from 2027-01-15 to 2027-01-31 (16 days later): push 2, flagged for a forecast review.',
        'Flags: forecast review',
        `Written to ${db()}.`,
        '',
      ].join('\n'),
    );
    const earlier = await revops('deals', 'push', 'acme-1', '2027-01-20', ...AT);
    expect(earlier.stdout.split('\n')[0]).toBe(
      'Close date of deal acme-1 is now 2027-01-20 (not later: no push recorded).',
    );
  });

  it('moving to closed_won closes it with grace as CS owner and her kickoff task', async () => {
    await inDiscovery();
    const won = await revops(
      'deals',
      'move',
      'acme-1',
      'closed_won',
      '--set',
      'signedContract=true',
      '--set',
      'paymentTerms=net-30',
      ...AT,
    );
    expect(won.stdout).toBe(
      [
        'Moved deal acme-1 from discovery to closed_won (won) at 2026-11-24T15:00:00.000Z.',
        'Flags: skipped demo, proposal, negotiation',
        'Customer-success owner: grace',
        `Written to ${db()}.`,
        '',
      ].join('\n'),
    );
    const store = await openStore(join(dir, 'revops.db'));
    try {
      const tasks = await store.listTasks({ assignee: 'rep:grace' });
      expect(tasks.map((t) => [t.title, new Date(t.dueAt ?? 0).toISOString()])).toEqual([
        ['Schedule kickoff call with Acme platform', '2026-11-27T15:00:00.000Z'],
      ]);
    } finally {
      await store.close();
    }
    const again = await revops('deals', 'move', 'acme-1', 'demo', ...AT);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error pipeline\.deal_closed: deal `acme-1` is closed \(closed_won\)/);
  });

  it('list shows stage, days in stage and the stale flag at --at; --stale keeps only stale deals', async () => {
    await inDiscovery();
    const other = await revops(
      'deals',
      'create',
      'beta-1',
      '--contact',
      'lee@beta.example',
      '--set',
      'source=outbound',
      '--set',
      'fitScore=40',
      ...AT,
    );
    expect(other.code).toBe(0);
    const list = await revops('deals', 'list', '--at', '2026-12-09T15:00:00Z');
    expect(list.stdout).toBe(
      [
        `Deals in ${db()}: 2 matching (2 open, 0 won, 0 lost)`,
        '┌────────┬───────────────┬───────────┬────────┬───────┬────────┬────────────┬───────────────┬────────────────────────┐',
        '│ Deal   │ Name          │ Stage     │ Status │ Owner │ Amount │ Close date │ Days in stage │ Flags                  │',
        '├────────┼───────────────┼───────────┼────────┼───────┼────────┼────────────┼───────────────┼────────────────────────┤',
        '│ acme-1 │ Acme platform │ discovery │ open   │ priya │ —      │ 2026-12-15 │ 15            │ stale since 2026-12-08 │',
        '├────────┼───────────────┼───────────┼────────┼───────┼────────┼────────────┼───────────────┼────────────────────────┤',
        '│ beta-1 │ —             │ qualified │ open   │ —     │ —      │ —          │ 15            │ —                      │',
        '└────────┴───────────────┴───────────┴────────┴───────┴────────┴────────────┴───────────────┴────────────────────────┘',
        '',
      ].join('\n'),
    );
    const ids = async (...args: string[]) =>
      (
        JSON.parse((await revops('deals', 'list', '--json', ...args)).stdout) as { deals: { id: string }[] }
      ).deals.map((d) => d.id);
    expect(await ids('--stale', '--at', '2026-12-09T15:00:00Z')).toEqual(['acme-1']);
    // 14 days in discovery are reached at 2026-12-08 15:00 UTC, not a minute before.
    expect(await ids('--stale', '--at', '2026-12-08T14:59:00Z')).toEqual([]);
    expect(await ids('--stale', '--at', '2026-12-08T15:00:00Z')).toEqual(['acme-1']);
    expect(await ids('--stage', 'qualified')).toEqual(['beta-1']);
    expect(await ids('--owner', 'priya')).toEqual(['acme-1']);
    expect(await ids('--status', 'won')).toEqual([]);
  });

  it('show --json is the deal in full: fields, history, pushes, approvals', async () => {
    await inDiscovery();
    const run = await revops('deals', 'show', 'acme-1', '--json', '--at', '2026-11-26T15:00:00Z');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      id: 'acme-1',
      stage: 'discovery',
      owner: 'priya',
      daysInStage: 2,
      stale: false,
      fields: {
        fitScore: 62,
        painPoints: 'Manual reporting',
        currentSolution: 'Spreadsheets',
        timeline: 'Q1 2027',
      },
      history: [
        { from: null, stage: 'qualified', at: '2026-11-24T15:00:00.000Z' },
        { from: 'qualified', stage: 'discovery', at: '2026-11-24T15:00:00.000Z' },
      ],
      pushes: [],
      approvals: [],
    });
    const missing = await revops('deals', 'show', 'nope');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `error pipeline.unknown_deal: no deal \`nope\` in ${db()}\nhint: list them with \`revops deals list\`\n`,
    );
  });

  it('--help teaches each command with examples', async () => {
    const help = await runRevops(dir, ['deals', 'move', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: revops deals move [options] <id> <stage>');
    expect(help.stdout).toContain('revops deals move acme-1 closed_won --set signedContract=true');
    const top = await runRevops(dir, ['deals', '--help']);
    expect(top.stdout).toContain(
      'revops deals push acme-1 2027-01-15 --reason "Budget frozen until January"',
    );
  });
});
