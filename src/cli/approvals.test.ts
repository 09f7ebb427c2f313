// revops approvals on the mid-market template's deal desk, through the command line, against a
// SQLite file in a temp directory. Deals are owned by priya (manager dan) and moved straight from
// qualified to proposal (a flagged skip) with their terms. Times are pinned with --at.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routedLeadWorkspace, runRevops } from '../../test/support/cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await routedLeadWorkspace('revops-engine-approvals-', { ingest: false });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const revops = (...args: string[]) => runRevops(dir, [...args, '--db', 'revops.db']);
const db = () => `sqlite:${join(dir, 'revops.db')}`;

/** Deal `id` at proposal with these terms, at `at`. */
async function atProposal(id: string, at: string, terms: Record<string, string | number>): Promise<void> {
  const created = await revops(
    'deals',
    'create',
    id,
    '--contact',
    `buyer@${id}.example`,
    '--set',
    'source=inbound',
    '--set',
    'fitScore=62',
    '--set',
    'owner=priya',
    '--at',
    at,
  );
  if (created.code !== 0) throw new Error(created.stderr);
  const sets = Object.entries(
    Object.assign(
      { amount: 20000, termMonths: 12, paymentTerms: 'net-30', stakeholderMap: 'CFO signs' },
      terms,
    ),
  ).flatMap(([k, v]) => ['--set', `${k}=${v}`]);
  const moved = await revops('deals', 'move', id, 'proposal', ...sets, '--at', at);
  if (moved.code !== 0) throw new Error(moved.stderr);
}

describe('revops approvals decide', () => {
  it('a multi-year deal: finance alone leaves it pending on legal; legal approves it', async () => {
    await atProposal('globex-1', '2026-11-24T15:00:00Z', {
      amount: 36000,
      discountPercent: 5,
      termMonths: 36,
    });
    const finance = await revops(
      'approvals',
      'decide',
      'globex-1:1',
      '--approver',
      'role:finance',
      '--approve',
      '--by',
      'nadia',
      '--at',
      '2026-11-24T16:00:00Z',
    );
    expect([finance.code, finance.stderr]).toEqual([0, '']);
    expect(finance.stdout).toBe(
      `role:finance approved globex-1:1 (deal globex-1): the request is still pending: waiting on role:legal.\nWritten to ${db()}.\n`,
    );
    const legal = await revops(
      'approvals',
      'decide',
      'globex-1:1',
      '--approver',
      'role:legal',
      '--approve',
      '--comment',
      'Standard MSA',
      '--json',
      '--at',
      '2026-11-24T17:00:00Z',
    );
    const decided = JSON.parse(legal.stdout) as Record<string, unknown>;
    expect(decided).toMatchObject({
      id: 'globex-1:1',
      status: 'approved',
      waitingOn: [],
      decidedAt: '2026-11-24T17:00:00.000Z',
      steps: [
        { tier: 'standard', approvers: [], status: 'approved', votes: [] },
        {
          tier: 'multi-year',
          approvers: ['role:finance', 'role:legal'],
          mode: 'all',
          status: 'approved',
          votes: [
            {
              approver: 'role:finance',
              decision: 'approve',
              comment: null,
              at: '2026-11-24T16:00:00.000Z',
              by: 'cli:nadia',
            },
            {
              approver: 'role:legal',
              decision: 'approve',
              comment: 'Standard MSA',
              at: '2026-11-24T17:00:00.000Z',
              by: 'cli',
            },
          ],
        },
      ],
    });
  });

  it('refuses a vote without --approve/--reject, with both, from a non-approver, or a rejection without a comment', async () => {
    await atProposal('initech-1', '2026-11-24T15:00:00Z', { discountPercent: 15 });
    const neither = await revops('approvals', 'decide', 'initech-1:1', '--approver', 'rep:dan');
    expect([neither.code, neither.stderr]).toEqual([
      2,
      'error cli.invalid_option: say how the approver votes: --approve or --reject\nhint: for example: revops approvals decide initech-1:1 --approver rep:dan --approve\n',
    ]);
    const both = await revops(
      'approvals',
      'decide',
      'initech-1:1',
      '--approver',
      'rep:dan',
      '--approve',
      '--reject',
    );
    expect(both.stderr).toBe('error cli.invalid_option: give --approve or --reject, not both\n');
    const vp = await revops('approvals', 'decide', 'initech-1:1', '--approver', 'role:vp_sales', '--approve');
    expect([vp.code, vp.stderr]).toEqual([
      2,
      'error approval.not_an_approver: role:vp_sales is not an approver of approval initech-1:1; it waits on rep:dan\nhint: vote as one of: rep:dan\n',
    ]);
    const bare = await revops('approvals', 'decide', 'initech-1:1', '--approver', 'rep:dan', '--reject');
    expect(bare.stderr.split('\n')[0]).toBe(
      'error approval.invalid_request: a rejection of approval initech-1:1 needs a comment',
    );
    const unknown = await revops('approvals', 'decide', 'initech-1:7', '--approver', 'rep:dan', '--approve');
    expect(unknown.stderr.split('\n')[0]).toBe(
      'error approval.unknown_request: no approval request `initech-1:7`',
    );
  });
});

describe('revops approvals list and exceptions', () => {
  /** A: 25% off $30,000 approved; B: 36 months approved; C: 25% off $20,000 rejected; D: 15% off pending. */
  async function fourRequests(): Promise<void> {
    await atProposal('a', '2026-11-24T15:00:00Z', { amount: 30000, discountPercent: 25 });
    await revops(
      'approvals',
      'decide',
      'a:1',
      '--approver',
      'role:vp_sales',
      '--approve',
      '--at',
      '2026-11-24T15:10:00Z',
    );
    await atProposal('b', '2026-11-24T16:00:00Z', { amount: 36000, discountPercent: 5, termMonths: 36 });
    await revops(
      'approvals',
      'decide',
      'b:1',
      '--approver',
      'role:finance',
      '--approve',
      '--at',
      '2026-11-24T16:10:00Z',
    );
    await revops(
      'approvals',
      'decide',
      'b:1',
      '--approver',
      'role:legal',
      '--approve',
      '--at',
      '2026-11-24T16:20:00Z',
    );
    await atProposal('c', '2026-11-24T17:00:00Z', { discountPercent: 25 });
    await revops(
      'approvals',
      'decide',
      'c:1',
      '--approver',
      'role:vp_sales',
      '--reject',
      '--comment',
      'Too deep',
      '--at',
      '2026-11-24T17:10:00Z',
    );
    await atProposal('d', '2026-11-24T18:00:00Z', { discountPercent: 15 });
  }

  it('lists pending requests by default with who they wait on; --status all lists every one newest first', async () => {
    await fourRequests();
    const pending = await revops('approvals', 'list', '--at', '2026-11-30T15:00:00Z');
    expect(pending.stdout).toBe(
      [
        `1 pending approval request in ${db()}`,
        '┌─────────┬──────┬─────────┬──────────────────────────┬──────────────┬────────────┬────────────────────────────────────┐',
        '│ Request │ Deal │ Status  │ Requested                │ Exceptions   │ Waiting on │ Due                                │',
        '├─────────┼──────┼─────────┼──────────────────────────┼──────────────┼────────────┼────────────────────────────────────┤',
        '│ d:1     │ d    │ pending │ 2026-11-24T18:00:00.000Z │ 15% discount │ rep:dan    │ 2026-11-27T18:00:00.000Z (overdue) │',
        '└─────────┴──────┴─────────┴──────────────────────────┴──────────────┴────────────┴────────────────────────────────────┘',
        '',
      ].join('\n'),
    );
    const all = JSON.parse((await revops('approvals', 'list', '--status', 'all', '--json')).stdout) as {
      matching: number;
      approvals: { id: string; status: string }[];
    };
    expect([all.matching, all.approvals.map((a) => `${a.id} ${a.status}`)]).toEqual([
      4,
      ['d:1 pending', 'c:1 rejected', 'b:1 approved', 'a:1 approved'],
    ]);
  });

  it('ranks the exceptions and says which to make standard', async () => {
    await fourRequests();
    const report = await revops('approvals', 'exceptions');
    expect(report.stdout).toBe(
      [
        'Exceptions in 4 approval requests (all time)',
        '┌────────────────────┬──────────┬───────┬──────────┬──────────┬─────────┬───────────────┬────────────────┐',
        '│ Exception          │ Requests │ Share │ Approved │ Rejected │ Pending │ Approval rate │ Recommendation │',
        '├────────────────────┼──────────┼───────┼──────────┼──────────┼─────────┼───────────────┼────────────────┤',
        '│ discount 20-40%    │ 2        │ 50%   │ 1        │ 1        │ 0       │ 50%           │ —              │',
        '├────────────────────┼──────────┼───────┼──────────┼──────────┼─────────┼───────────────┼────────────────┤',
        '│ acv_over_threshold │ 1        │ 25%   │ 1        │ 0        │ 0       │ 100%          │ —              │',
        '├────────────────────┼──────────┼───────┼──────────┼──────────┼─────────┼───────────────┼────────────────┤',
        '│ discount 10-20%    │ 1        │ 25%   │ 0        │ 0        │ 1       │ —             │ —              │',
        '├────────────────────┼──────────┼───────┼──────────┼──────────┼─────────┼───────────────┼────────────────┤',
        '│ multi_year         │ 1        │ 25%   │ 1        │ 0        │ 0       │ 100%          │ —              │',
        '└────────────────────┴──────────┴───────┴──────────┴──────────┴─────────┴───────────────┴────────────────┘',
        '"make it standard": asked for in 30%+ of requests and approved 80%+ of the time.',
        '',
      ].join('\n'),
    );
    // From 16:00: B, C, D — multi-year is now a third of the requests, always approved.
    const later = JSON.parse(
      (await revops('approvals', 'exceptions', '--from', '2026-11-24T16:00:00Z', '--json')).stdout,
    ) as {
      from: string;
      requests: number;
      rows: { kind: string; bucket: string | null; recommendation: string | null }[];
    };
    expect([later.from, later.requests]).toEqual(['2026-11-24T16:00:00.000Z', 3]);
    expect(later.rows.map((r) => [r.kind, r.bucket, r.recommendation])).toEqual([
      ['discount', '10-20%', null],
      ['discount', '20-40%', null],
      ['multi_year', null, 'make_standard'],
    ]);
    const bad = await revops('approvals', 'exceptions', '--from', 'Q4');
    expect([bad.code, bad.stderr.split('\n')[0]]).toEqual([
      2,
      'error cli.invalid_option: --from must be a date (2026-10-01) or an ISO time, not `Q4`',
    ]);
  });

  it('--help teaches decide with examples', async () => {
    const help = await runRevops(dir, ['approvals', 'decide', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: revops approvals decide [options] <id>');
    expect(help.stdout).toContain('revops approvals decide acme-1:1 --approver role:vp_sales --approve');
  });
});
