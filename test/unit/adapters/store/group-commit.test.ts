import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../../../adapters/store/group-commit.js';

describe('createGroupCommit', () => {
  it('writes what is submitted in one turn as one batch', async () => {
    const batches: number[][] = [];
    const g = createGroupCommit<number>((b) => void batches.push([...b]));
    await Promise.all([g.submit(1), g.submit(2), g.submit(3)]);
    await g.submit(4);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('isolates a failing item: the others still succeed', async () => {
    const written: number[] = [];
    const g = createGroupCommit<number>((b) => {
      if (b.includes(2)) throw new Error('bad item 2');
      written.push(...b);
    });
    const results = await Promise.allSettled([g.submit(1), g.submit(2), g.submit(3)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(written).toEqual([1, 3]);
  });
});
