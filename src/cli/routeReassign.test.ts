// revops route reassign on the mid-market template, through the command line, against a SQLite file
// the test fills with `revops ingest`.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routedLeadWorkspace, runRevops } from '../../test/support/cli.ts';

let dir: string;
// A demo request: an MQL at once, routed by round-robin to priya.
beforeEach(async () => {
  dir = await routedLeadWorkspace('revops-engine-reassign-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const revops = (args: string[]) => runRevops(dir, args);
const reassign = (...extra: string[]) =>
  revops(['route', 'reassign', 'lee@company1.com', '--db', 'revops.db', ...extra]);

describe('revops route reassign', () => {
  it('moves the lead away from its owner and says where, why and what was credited', async () => {
    const run = await reassign('--reason', 'sla speed-to-lead breached', '--at', '2026-11-24T16:01:00Z');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'Reassigned lee@company1.com from priya to leo (team general) by rule round-robin, at 2026-11-24T16:01:00.000Z.',
      'Reason: sla speed-to-lead breached',
      'Excluded: priya (the owner)',
      'Fairness: team general 2026-W48: priya 1 → 0 (the lead was counted this period and never worked)',
      'Notified: rep:leo (assigned), rep:priya (reassigned)',
      'Tasks moved to rep:leo: Follow up with Lee Number1',
      `Written to sqlite:${join(dir, 'revops.db')}; the earlier assignment rows are unchanged.`,
    ]);
    expect(lines).toContain(
      '  1. keep_owner  matched  nobody_available  owner not kept: priya is excluded from this lead (a previous owner)',
    );
    expect(lines).toContain('  priya (general): priya is excluded from this lead (a previous owner)');
  });

  it('--json: the result with the decision; a ladder runs out into the queue', async () => {
    const first = await reassign('--reason', 'step 1', '--at', '2026-11-24T16:01:00Z', '--json');
    expect(first.code).toBe(0);
    const second = await reassign(
      ...[
        '--reason',
        'step 2',
        '--at',
        '2026-11-24T16:02:00Z',
        '--exclude',
        'sofia',
        '--from',
        'leo',
        '--json',
      ],
    );
    expect(second.code).toBe(0);
    const parsed = JSON.parse(second.stdout) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'contact',
      'at',
      'from',
      'kind',
      'owner',
      'queue',
      'team',
      'rule',
      'reason',
      'excluded',
      'credit',
      'fairness',
      'notified',
      'tasks',
      'decision',
    ]);
    expect(parsed).toMatchObject({
      contact: 'lee@company1.com',
      at: '2026-11-24T16:02:00.000Z',
      from: 'leo',
      kind: 'queued',
      owner: null,
      queue: 'inbound',
      team: null,
      rule: 'fallback',
      reason: 'step 2',
      excluded: ['leo', 'priya', 'sofia'],
      credit: { team: 'general', period: '2026-W48', rep: 'leo', before: 1, after: 0 },
      notified: [
        { type: 'queued', to: 'team:general' },
        { type: 'reassigned', to: 'rep:leo' },
      ],
      // The follow-up task went from priya to leo, and now to the queue's team.
      tasks: [{ title: 'Follow up with Lee Number1', assignee: 'team:general' }],
      decision: { kind: 'queued', queue: 'inbound', rule: 'fallback', sla: '1h' },
    });

    // Nobody owns it now: a third reassignment says so, and where the lead is.
    const third = await reassign('--reason', 'step 3', '--at', '2026-11-24T16:03:00Z');
    expect(third.code).toBe(2);
    expect(third.stderr).toBe(
      'error routing.no_owner: lee@company1.com has no owner to reassign from: it waits in queue inbound since 2026-11-24T16:02:00.000Z\n' +
        'hint: a queued lead is picked up from its queue; reassignment moves a lead away from a rep\n',
    );
  });

  it('refusals exit 2 with the code and what to do', async () => {
    const moved = await reassign('--reason', 'r', '--from', 'leo');
    expect(moved.code).toBe(2);
    expect(moved.stderr).toBe(
      'error routing.owner_changed: lee@company1.com is owned by priya now, not leo: nothing was reassigned\n' +
        'hint: it has moved already; to move it away from priya as well, ask again naming priya\n',
    );
    const unknown = await revops([
      'route',
      'reassign',
      'kim@nowhere.example',
      '--db',
      'revops.db',
      '--reason',
      'r',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error routing\.unknown_contact: no contact `kim@nowhere\.example`/);
    const typo = await reassign('--reason', 'r', '--exclude', 'sofa');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(
      /^error routing\.unknown_rep: cannot exclude `sofa`: .* did you mean `sofia`\?/,
    );
    const noReason = await reassign();
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '-r, --reason <text>' not specified");
  });

  it('--help teaches the command', async () => {
    const help = await revops(['route', 'reassign', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: revops route reassign [options] <contact>');
    expect(help.stdout).toContain('the previous owner loses the lead either way');
    expect(help.stdout).toContain(
      'revops route reassign ava.chen@northwind.io --reason "sla speed-to-lead breached"',
    );
  });
});
