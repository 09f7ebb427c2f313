// The filters of a page's query: dates in the company's zone (both days included), every problem
// collected with what to change.
import { describe, expect, it } from 'vitest';
import { inRange, QueryReader, queryString } from './query.ts';

const NY = 'America/New_York';

describe('QueryReader', () => {
  it('reads a range in the zone: from its first instant to the end of the `to` day', () => {
    const reader = new QueryReader({ from: '2026-11-01', to: '2026-11-09', source: ' web ' });
    const range = reader.range(NY);
    expect(reader.issues).toEqual([]);
    // 2026-11-01 is the day US daylight time ends: midnight is still EDT (-4), the 10th is EST (-5).
    expect(range).toEqual({
      from: '2026-11-01',
      to: '2026-11-09',
      source: 'web',
      fromMs: Date.parse('2026-11-01T04:00:00Z'),
      toMs: Date.parse('2026-11-10T05:00:00Z'),
    });
    expect(inRange(Date.parse('2026-11-10T04:59:59Z'), range)).toBe(true);
    expect(inRange(Date.parse('2026-11-10T05:00:00Z'), range)).toBe(false);
    expect(inRange(Date.parse('2026-11-01T03:59:59Z'), range)).toBe(false);
  });

  it('collects every problem with what to change', () => {
    const reader = new QueryReader({
      from: '2026-02-30',
      to: '2026-02-01',
      owner: ['a', 'b'],
      limit: '5000',
    });
    reader.range(NY);
    reader.text('owner');
    reader.int('limit', 1, 1000, 100);
    expect(reader.issues.map((i) => [i.field, i.message, i.fix])).toEqual([
      ['from', '`from` is `2026-02-30`, which is not a date', 'give the date as YYYY-MM-DD, e.g. 2026-11-01'],
      ['owner', '`owner` is given more than once', 'give `owner` once'],
      [
        'limit',
        '`limit` is `5000`, not a whole number from 1 to 1000',
        'give a number from 1 to 1000, e.g. 100',
      ],
    ]);
    const backwards = new QueryReader({ from: '2026-11-09', to: '2026-11-01' });
    backwards.range(NY);
    expect(backwards.issues.map((i) => i.message)).toEqual([
      'the range starts (2026-11-09) after it ends (2026-11-01)',
    ]);
  });

  it('takes a one-day range, treats empty values as absent, and knows the choices', () => {
    const reader = new QueryReader({
      from: '2026-11-09',
      to: '2026-11-09',
      source: '',
      stage: 'sql',
      kind: 'x',
    });
    expect(reader.range('UTC')).toEqual({
      from: '2026-11-09',
      to: '2026-11-09',
      fromMs: Date.parse('2026-11-09T00:00:00Z'),
      toMs: Date.parse('2026-11-10T00:00:00Z'),
    });
    expect(reader.oneOf('stage', ['mql', 'sql'])).toBe('sql');
    expect(reader.oneOf('kind', ['a', 'b'])).toBeUndefined();
    expect(reader.issues.map((i) => i.fix)).toEqual(['use one of a, b']);
  });

  it('writes links without empty parameters', () => {
    expect(queryString({ q: 'ava chen', stage: undefined, owner: '', limit: 200 })).toBe(
      '?q=ava+chen&limit=200',
    );
    expect(queryString({})).toBe('');
  });
});
