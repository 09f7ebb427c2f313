import { describe, expect, it } from 'vitest';
import { statementChunks, statementSizes } from './statements.ts';

describe('statementSizes', () => {
  it.each([
    [0, 512, []],
    [1, 512, [1]],
    [1000, 512, [512, 256, 128, 64, 32, 8]],
    [1300, 512, [512, 512, 256, 16, 4]],
    [5000, 3640, [2048, 2048, 512, 256, 128, 8]],
    [7, 1, [1, 1, 1, 1, 1, 1, 1]],
  ])('%i rows, at most %i per statement → %j', (count, largest, sizes) => {
    expect(statementSizes(count, largest)).toEqual(sizes);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(count);
  });

  it('chunks items in order', () => {
    const items = Array.from({ length: 11 }, (_, i) => i);
    expect(statementChunks(items, 4)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9], [10]]);
  });
});
