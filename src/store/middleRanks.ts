/**
 * Where a median's middle ranks lie among counted length buckets (decisions 017 and 018): a store
 * counts values per bucket in SQL, asks which bucket holds each middle rank and at which offset,
 * and reads back only those buckets' values.
 */

/** One middle rank: its bucket and 1-based offset inside it. */
export interface RankAt {
  readonly bucket: number;
  readonly offset: number;
}

/**
 * The bucket and offset of the median's middle rank (odd total) or two middle ranks (even total),
 * from counts per bucket; undefined when nothing is counted. Throws only if the counts are
 * inconsistent with their own total (never for a Map of non-negative counts).
 */
export function middleRanks(counts: ReadonlyMap<number, number>): RankAt[] | undefined {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return undefined;
  const mid = total >> 1;
  const ranks = total % 2 === 1 ? [mid + 1] : [mid, mid + 1];
  const ordered = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  return ranks.map((rank) => {
    let before = 0;
    for (const [bucket, n] of ordered) {
      if (rank <= before + n) return { bucket, offset: rank - before };
      before += n;
    }
    throw new Error(`rank ${rank} beyond the ${total} values counted`);
  });
}
