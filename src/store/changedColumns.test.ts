import { describe, expect, it } from 'vitest';
import { changedColumns, groupByChange } from './changedColumns.ts';

interface Row {
  readonly key: string;
  readonly stage: string;
  readonly owner: string | null;
  readonly updated_at: number;
}
const COLUMNS = ['stage', 'owner', 'updated_at'] as const;

describe('changedColumns', () => {
  it('lists the columns whose values differ, in column order', () => {
    const stored = { key: 'a', stage: 'lead', owner: null, updated_at: 1 };
    expect(changedColumns(stored, { key: 'a', stage: 'lead', owner: null, updated_at: 2 }, COLUMNS)).toEqual([
      'updated_at',
    ]);
    expect(
      changedColumns(stored, { key: 'a', stage: 'mql', owner: 'rep-1', updated_at: 1 }, COLUMNS),
    ).toEqual(['stage', 'owner']);
    expect(changedColumns(stored, { key: 'a', stage: 'lead', owner: null, updated_at: 1 }, COLUMNS)).toEqual(
      [],
    );
  });

  it('counts a value read back in another form as changed (a parsed JSON column, a bigint as text)', () => {
    const stored = { key: 'a', stage: { text: 'lead' }, owner: null, updated_at: '1' };
    expect(changedColumns(stored, { key: 'a', stage: 'lead', owner: null, updated_at: 1 }, COLUMNS)).toEqual([
      'stage',
      'updated_at',
    ]);
  });
});

describe('groupByChange', () => {
  it('groups rows by the columns they change, leaves out unchanged rows, writes unread rows whole', () => {
    const stored = new Map<string, Row>([
      ['a', { key: 'a', stage: 'lead', owner: null, updated_at: 1 }],
      ['b', { key: 'b', stage: 'lead', owner: 'rep-1', updated_at: 1 }],
      ['c', { key: 'c', stage: 'mql', owner: 'rep-2', updated_at: 1 }],
    ]);
    const rows: Row[] = [
      { key: 'a', stage: 'lead', owner: null, updated_at: 2 },
      { key: 'n', stage: 'lead', owner: null, updated_at: 2 },
      { key: 'b', stage: 'lead', owner: 'rep-1', updated_at: 3 },
      { key: 'c', stage: 'mql', owner: 'rep-2', updated_at: 1 },
      { key: 'c2', stage: 'sql', owner: null, updated_at: 1 },
    ];
    stored.set('c2', { key: 'c2', stage: 'mql', owner: 'rep-2', updated_at: 1 });
    const groups = groupByChange(rows, (row) => stored.get(row.key), COLUMNS);
    expect(groups.map((g) => [g.columns, g.rows.map((r) => r.key)])).toEqual([
      [['updated_at'], ['a', 'b']],
      [['stage', 'owner', 'updated_at'], ['n']],
      [['stage', 'owner'], ['c2']],
    ]);
  });
});
