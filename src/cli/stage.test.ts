// revops stage move on the mid-market template, through the command line, against a SQLite file
// the test fills with `revops ingest`.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routedLeadWorkspace, runRevops } from '../../test/support/cli.ts';
import { openStore } from '../store/index.ts';

let dir: string;
// A demo request: an MQL at once, routed by round-robin to priya.
beforeEach(async () => {
  dir = await routedLeadWorkspace('revops-engine-stage-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const revops = (args: string[]) => runRevops(dir, args);
const move = (...extra: string[]) =>
  revops(['stage', 'move', 'lee@company1.com', '--db', 'revops.db', ...extra]);

/** What the database holds: the lead's stage, its stage history and the row counts. */
async function stored() {
  const store = await openStore(join(dir, 'revops.db'));
  try {
    const [lead] = await store.listContacts();
    return {
      stage: lead?.stage,
      history: (await store.stageHistory('email:lee@company1.com')).map((c) => ({
        from: c.from ?? null,
        to: c.to,
        at: new Date(c.at).toISOString(),
        cause: c.cause,
        reason: c.reason,
      })),
      counts: await store.counts(),
    };
  } finally {
    await store.close();
  }
}

describe('revops stage move', () => {
  it('an allowed move writes the stage and a history row caused by manual:<by>, and runs the actions on entry', async () => {
    const run = await move(
      '--to',
      'sql',
      '--by',
      'priya',
      '--reason',
      'BANT confirmed on call',
      '--at',
      '2026-11-24T16:00:00Z',
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        'Moved lee@company1.com from mql to sql at 2026-11-24T16:00:00.000Z.',
        'Cause: manual:priya; reason: BANT confirmed on call',
        '  mql → sql  (manual:priya)',
        'Actions on entry: notify to rep:priya; sequence enroll sales-outreach',
        `Written to sqlite:${join(dir, 'revops.db')}.`,
        '',
      ].join('\n'),
    );
    const after = await stored();
    expect(after.stage).toBe('sql');
    expect(after.history.at(-1)).toStrictEqual({
      from: 'mql',
      to: 'sql',
      at: '2026-11-24T16:00:00.000Z',
      cause: 'manual:priya',
      reason: 'BANT confirmed on call',
    });
  });

  it('--json: the move, its history rows and effects; the reason defaults to who moved it', async () => {
    const run = await move('--to', 'disqualified', '--by', 'maya', '--at', '2026-11-24T17:00:00Z', '--json');
    expect(run.code).toBe(0);
    const parsed = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      contact: 'lee@company1.com',
      from: 'mql',
      stage: 'disqualified',
      at: '2026-11-24T17:00:00.000Z',
      history: [
        {
          from: 'mql',
          stage: 'disqualified',
          at: '2026-11-24T17:00:00.000Z',
          cause: 'manual:maya',
          reason: 'moved by hand by maya',
        },
      ],
    });
    expect((await stored()).history.at(-1)?.cause).toBe('manual:maya');
  });

  it('an illegal move names the allowed moves, exits 2 and writes nothing', async () => {
    const before = await stored();
    const run = await move('--to', 'customer', '--by', 'priya');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'error lifecycle.transition_not_allowed: cannot move lee@company1.com: `mql` → `customer` is not an allowed move; from `mql` a contact may move to `sql`, `recycled`, `disqualified`\n' +
        'hint: move it to `sql`, `recycled`, `disqualified` first, or add the stage to `next` of stage `mql` in lifecycle.stages\n',
    );
    expect(await stored()).toStrictEqual(before);
    expect(before.stage).toBe('mql');
  });

  it('a misspelt stage, an unknown contact and a missing --by exit 2 with what to do', async () => {
    const typo = await move('--to', 'custmer', '--by', 'priya');
    expect(typo.code).toBe(2);
    expect(typo.stderr.split('\n')[0]).toBe(
      'error lifecycle.unknown_stage: there is no stage `custmer` in lifecycle.stages — did you mean `customer`?',
    );
    const unknown = await revops([
      'stage',
      'move',
      'kim@nowhere.example',
      '--db',
      'revops.db',
      '--to',
      'sql',
      '--by',
      'p',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error lifecycle\.unknown_contact: no contact `kim@nowhere\.example`/);
    const noBy = await move('--to', 'sql');
    expect(noBy.code).toBe(2);
    expect(noBy.stderr).toContain("required option '-b, --by <who>' not specified");
  });

  it('--help teaches the command', async () => {
    const help = await revops(['stage', 'move', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: revops stage move [options] <contact>');
    expect(help.stdout).toContain('lifecycle.stages[].next');
    expect(help.stdout).toContain(
      'revops stage move ava.chen@northwind.io --to sql --by priya --reason "BANT confirmed on call"',
    );
  });
});
