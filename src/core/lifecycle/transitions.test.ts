import { describe, expect, it } from 'vitest';
import { allowedMoves, checkMove } from './transitions.ts';

// The reference's allowed moves (mid-market template).
const MODEL = {
  stages: [
    { id: 'subscriber', next: ['lead', 'mql', 'disqualified'] },
    { id: 'lead', next: ['mql', 'disqualified'] },
    { id: 'mql', next: ['sql', 'recycled', 'disqualified'] },
    { id: 'sql', next: ['opportunity', 'recycled', 'disqualified'] },
    { id: 'customer', next: ['evangelist', 'recycled'] },
    { id: 'evangelist', next: [] },
    { id: 'recycled', next: ['mql', 'disqualified'] },
    { id: 'disqualified', next: ['lead'] },
  ],
};

describe('checkMove', () => {
  it.each([
    ['mql', 'sql'],
    ['mql', 'recycled'],
    ['recycled', 'mql'],
    ['disqualified', 'lead'],
  ])('%s → %s is allowed', (from, to) => {
    expect(checkMove(MODEL, from, to)).toEqual({ ok: true });
  });

  it('refuses a move outside `next`, naming the allowed moves', () => {
    expect(checkMove(MODEL, 'lead', 'customer')).toEqual({
      ok: false,
      issue: {
        code: 'lifecycle.transition_not_allowed',
        path: ['to'],
        severity: 'error',
        message:
          '`lead` → `customer` is not an allowed move; from `lead` a contact may move to `mql`, `disqualified`',
        hint: 'move it to `mql`, `disqualified` first, or add the stage to `next` of stage `lead` in lifecycle.stages',
      },
    });
  });

  it('says when a stage has no moves at all, and when the contact is there already', () => {
    const none = checkMove(MODEL, 'evangelist', 'customer');
    expect(none.ok ? '' : none.issue.message).toBe(
      '`evangelist` → `customer` is not an allowed move: `evangelist` has no moves (its `next` is empty)',
    );
    const same = checkMove(MODEL, 'sql', 'sql');
    expect(same.ok ? '' : [same.issue.code, same.issue.message]).toEqual([
      'lifecycle.transition_not_allowed',
      'the contact is already in `sql`',
    ]);
  });

  it('an unknown stage is its own code, with a suggestion', () => {
    const check = checkMove(MODEL, 'mql', 'sqll');
    expect(check.ok ? '' : [check.issue.code, check.issue.message]).toEqual([
      'lifecycle.unknown_stage',
      'there is no stage `sqll` in lifecycle.stages — did you mean `sql`?',
    ]);
  });

  it('allowedMoves is the stage’s next, or nothing for an unknown stage', () => {
    expect(allowedMoves(MODEL, 'sql')).toEqual(['opportunity', 'recycled', 'disqualified']);
    expect(allowedMoves(MODEL, 'nope')).toEqual([]);
  });
});
