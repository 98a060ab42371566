import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../../adapters/store/core/canonical-json.js';
import { instantKey } from '../../../../adapters/store/core/instant.js';

describe('instantKey', () => {
  it('spells one instant the same whatever the fractional digits or offset', () => {
    const key = '2026-11-20T08:00:00.100000000Z';
    for (const text of [
      '2026-11-20T08:00:00.1Z',
      '2026-11-20T08:00:00.100Z',
      '2026-11-20T08:00:00.1000000Z',
      '2026-11-20T10:00:00.1+02:00',
      '2026-11-20T03:30:00.1-0430',
      '2026-11-20 08:00:00.1z',
      '2026-11-20T08:00:00,1Z',
      ' 2026-11-20T08:00:00.1 ',
    ]) {
      expect([text, instantKey(text)]).toEqual([text, key]);
    }
  });

  it('orders as the instants do, below the millisecond too', () => {
    const ordered = [
      '2026-11-19T23:59:59.9999999-01:00', // 2026-11-20T00:59:59.9999999Z
      '2026-11-20T08:00:00Z',
      '2026-11-20T08:00:00.0000001Z',
      '2026-11-20T08:00:00.1234Z',
      '2026-11-20T08:00:00.1235Z',
      '2026-11-20T08:00:00.5Z',
      '2026-11-20T09:00Z',
    ];
    const keys = ordered.map(instantKey);
    expect([...keys].sort()).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives the empty key, oldest of all, for text that is not an instant', () => {
    for (const text of ['', 'yesterday', '2026-11-20', '2026-13-40T99:00:00Z', '+275760-09-13T00:00:00Z']) {
      expect([text, instantKey(text)]).toEqual([text, '']);
    }
  });
});

describe('canonicalJson', () => {
  it('ignores key order at every depth but not array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [2, 1] }, b: 1 }),
    );
    expect(canonicalJson({ a: [1, 2] })).not.toBe(canonicalJson({ a: [2, 1] }));
  });
});
