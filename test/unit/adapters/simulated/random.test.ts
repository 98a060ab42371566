import { describe, expect, it } from 'vitest';
import { createRandom, hashString } from '../../../../adapters/simulated/random.js';

// The PRNG is the root of the simulation's determinism: same seed, same stream; bounds respected.

describe('createRandom', () => {
  it('gives the same stream for the same seed and a different one for another seed', () => {
    const draw = (seed: number) => {
      const r = createRandom(seed);
      return Array.from({ length: 20 }, () => r.next());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('keeps int() within both inclusive bounds and reaches each end', () => {
    const r = createRandom(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i += 1) {
      const n = r.int(3, 7);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(7);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('draws hex and GUID-shaped ids', () => {
    const r = createRandom(9);
    expect(r.hex(64)).toMatch(/^[0-9a-f]{64}$/);
    expect(r.guid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses to pick from an empty list', () => {
    expect(() => createRandom(1).pick([])).toThrow(/empty/);
  });

  it('hashes customer ids stably and distinctly', () => {
    expect(hashString('contoso')).toBe(hashString('contoso'));
    expect(hashString('contoso')).not.toBe(hashString('fabrikam'));
  });
});
