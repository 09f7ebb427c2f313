import { describe, expect, it } from 'vitest';
import type { IngestSummary } from '../engine/ingest.ts';
import { createGroupCommit } from './groupCommit.ts';

/** A fake engine that records each call and answers after `release()`: accepted unless the id is `bad`. */
function slowEngine() {
  const calls: unknown[][] = [];
  const seen = new Set<string>();
  let release: () => void = () => {};
  const ingest = (raws: readonly unknown[]): Promise<IngestSummary> => {
    calls.push([...raws]);
    return new Promise((resolve) => {
      release = () => {
        const items = raws.map((raw, index) => {
          const id = (raw as { id: string }).id;
          const status = id === 'bad' ? 'rejected' : seen.has(id) ? 'duplicate' : 'accepted';
          seen.add(id);
          return { index, id, status } as const;
        });
        resolve({
          items,
          accepted: items.filter((i) => i.status === 'accepted').length,
          duplicates: items.filter((i) => i.status === 'duplicate').length,
          rejected: items.filter((i) => i.status === 'rejected').length,
        });
      };
    });
  };
  return { calls, ingest, release: () => release() };
}

const flushed = () => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('sends a lone request on the next turn, then everything that waited during its commit in one call', async () => {
    const engine = slowEngine();
    const group = createGroupCommit(engine.ingest, 1000);
    const first = group.ingest([{ id: 'a' }]);
    expect(engine.calls).toEqual([]);
    await flushed();
    expect(engine.calls).toEqual([[{ id: 'a' }]]);
    const second = group.ingest([{ id: 'b' }, { id: 'bad' }]);
    const third = group.ingest([{ id: 'b' }, { id: 'c' }]);
    await flushed();
    expect(engine.calls).toEqual([[{ id: 'a' }]]);
    engine.release();
    expect(await first).toEqual({
      items: [{ index: 0, id: 'a', status: 'accepted' }],
      accepted: 1,
      duplicates: 0,
      rejected: 0,
    });
    await flushed();
    expect(engine.calls[1]).toEqual([{ id: 'b' }, { id: 'bad' }, { id: 'b' }, { id: 'c' }]);
    engine.release();
    // Each request gets its own items, indexed from 0, and its own counts.
    expect(await second).toEqual({
      items: [
        { index: 0, id: 'b', status: 'accepted' },
        { index: 1, id: 'bad', status: 'rejected' },
      ],
      accepted: 1,
      duplicates: 0,
      rejected: 1,
    });
    expect(await third).toEqual({
      items: [
        { index: 0, id: 'b', status: 'duplicate' },
        { index: 1, id: 'c', status: 'accepted' },
      ],
      accepted: 1,
      duplicates: 1,
      rejected: 0,
    });
  });

  it('sends the requests read in one turn of the event loop together', async () => {
    const engine = slowEngine();
    const group = createGroupCommit(engine.ingest, 1000);
    // As the requests a synchronous commit kept waiting: each read in its own I/O callback.
    const answers = await new Promise<Promise<IngestSummary>[]>((resolve) => {
      const list: Promise<IngestSummary>[] = [];
      setTimeout(() => list.push(group.ingest([{ id: 'x' }])), 0);
      setTimeout(() => list.push(group.ingest([{ id: 'y' }, { id: 'z' }])), 0);
      setTimeout(() => resolve(list), 0);
    });
    await flushed();
    expect(engine.calls).toEqual([[{ id: 'x' }, { id: 'y' }, { id: 'z' }]]);
    engine.release();
    expect((await Promise.all(answers)).map((a) => a.items.map((i) => [i.index, i.id]))).toEqual([
      [[0, 'x']],
      [
        [0, 'y'],
        [1, 'z'],
      ],
    ]);
  });

  it('never puts more than the cap in one call, and a storage failure fails only its own group', async () => {
    let calls = 0;
    const sizes: number[] = [];
    const group = createGroupCommit(async (raws) => {
      calls += 1;
      sizes.push(raws.length);
      await flushed();
      if (calls === 2) throw new Error('disk full');
      return {
        items: raws.map((_, index) => ({ index, status: 'accepted' as const })),
        accepted: raws.length,
        duplicates: 0,
        rejected: 0,
      };
    }, 3);
    const results = await Promise.allSettled([
      group.ingest([1]),
      group.ingest([2, 3]),
      group.ingest([4]),
      group.ingest([5, 6]),
      group.ingest([7]),
    ]);
    expect(sizes).toEqual([3, 3, 1]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
  });
});
