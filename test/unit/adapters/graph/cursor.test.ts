import { describe, expect, it } from 'vitest';
import {
  advanceCursor,
  alreadySeen,
  decodeCursor,
  EMPTY_CURSOR,
  encodeCursor,
  rememberVersions,
} from '../../../../adapters/graph/cursor.js';
import { isoOfTicks, TICKS_PER_MS, ticksOf } from '../../../../adapters/graph/instant.js';

// The Graph cursor: a high-water mark at Graph's 100 ns precision plus the versions handed out inside the
// overlap window; anything we did not write reads everything again.

const t = (iso: string): bigint => {
  const ticks = ticksOf(iso);
  if (ticks === null) throw new Error(iso);
  return ticks;
};
const MIN = 60_000n * TICKS_PER_MS;

describe('instants', () => {
  it('orders seven fractional digits, offsets and fewer digits as instants', () => {
    expect(t('2026-11-20T08:00:00.1234567Z') - t('2026-11-20T08:00:00.1234566Z')).toBe(1n);
    expect(t('2026-11-20T10:00:00.5+02:00')).toBe(t('2026-11-20T08:00:00.5000000Z'));
    expect(t('2026-11-20T08:00:00Z')).toBe(t('2026-11-20T08:00:00.000Z'));
    expect(ticksOf('yesterday')).toBeNull();
    expect(ticksOf('2026-11-20T08:00:00')).toBeNull();
    expect(isoOfTicks(t('2026-11-20T08:00:00.1234567Z'))).toBe('2026-11-20T08:00:00.1234567Z');
  });
});

describe('Graph cursor', () => {
  it('round-trips and is stable text for equal cursors', () => {
    const c = advanceCursor(
      EMPTY_CURSOR,
      [{ id: '7', ticks: t('2026-11-20T08:00:00.0000001Z') }],
      5n * MIN,
      10,
    );
    const text = encodeCursor(c);
    expect(decodeCursor(text)).toEqual({ cursor: c, recognised: true });
    expect(encodeCursor(decodeCursor(text).cursor)).toBe(text);
  });

  it.each([['sim:1:42'], ['{"f":"graph/2"}'], ['{"f":"graph/1","hwm":"soon","seen":[]}'], ['null'], ['[']])(
    'reads everything again from a cursor it did not write: %s',
    (text) => {
      expect(decodeCursor(text)).toEqual({ cursor: EMPTY_CURSOR, recognised: false });
    },
  );

  it('moves the mark to the newest version read, never backwards, and keeps only the overlap window', () => {
    const base = t('2026-11-20T08:00:00Z');
    const first = advanceCursor(
      EMPTY_CURSOR,
      [
        { id: 'a', ticks: base },
        { id: 'b', ticks: base + 4n * MIN },
        { id: 'c', ticks: base + 10n * MIN },
      ],
      5n * MIN,
      10,
    );
    expect(first.hwm).toBe(base + 10n * MIN);
    expect([...first.seen.keys()]).toEqual(['c']);
    const second = advanceCursor(first, [{ id: 'a', ticks: base + 7n * MIN }], 5n * MIN, 10);
    expect(second.hwm).toBe(base + 10n * MIN);
    expect(alreadySeen(second, 'a', base + 7n * MIN)).toBe(true);
    expect(alreadySeen(second, 'a', base + 8n * MIN)).toBe(false);
    expect(alreadySeen(second, 'c', base + 10n * MIN)).toBe(true);
    expect(alreadySeen(second, 'b', base + 4n * MIN)).toBe(false);
  });

  it('bounds what it remembers to the newest versions', () => {
    const base = t('2026-11-20T08:00:00Z');
    const read = Array.from({ length: 20 }, (_, i) => ({ id: String(i), ticks: base + BigInt(i) }));
    const c = advanceCursor(EMPTY_CURSOR, read, 5n * MIN, 5);
    expect([...c.seen.keys()].sort()).toEqual(['15', '16', '17', '18', '19']);
  });

  it('after a pass cut short keeps the mark and remembers what was handed out', () => {
    const base = t('2026-11-20T08:00:00Z');
    const before = advanceCursor(EMPTY_CURSOR, [{ id: 'a', ticks: base }], 5n * MIN, 10);
    const partial = rememberVersions(before, [{ id: 'z', ticks: base + 60n * MIN }], 10);
    expect(partial.hwm).toBe(before.hwm);
    expect(alreadySeen(partial, 'z', base + 60n * MIN)).toBe(true);
    expect(alreadySeen(partial, 'a', base)).toBe(true);
  });
});
