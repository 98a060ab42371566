import { isoOfTicks, ticksOf } from './instant.js';

// The cursor the core persists per customer and hands back: opaque to the core, JSON to us. It holds the
// high-water mark (newest lastUpdateDateTime of a completely read pass) and the versions already handed
// out inside the overlap window, so the overlapping re-read does not hand them out a second time.

/** The decoded cursor; instants are 100 ns ticks so versions within one millisecond stay apart. */
export interface GraphCursor {
  /** Newest lastUpdateDateTime (100 ns ticks) of a completely read pass; null: read everything. */
  readonly hwm: bigint | null;
  /** id → lastUpdateDateTime ticks of versions already returned that lie inside the overlap window. */
  readonly seen: ReadonlyMap<string, bigint>;
}

/** Where a customer starts: no high-water mark, nothing seen. */
export const EMPTY_CURSOR: GraphCursor = Object.freeze({ hwm: null, seen: new Map<string, bigint>() });

const FORMAT = 'graph/1';

/**
 * Decodes a cursor this adapter wrote. Anything else (another source's cursor after INCIDENT_SOURCE was
 * switched, a damaged value) is reported as unrecognised and means "read everything again" — never a gap.
 */
export function decodeCursor(text: string | null): {
  readonly cursor: GraphCursor;
  readonly recognised: boolean;
} {
  if (text === null) return { cursor: EMPTY_CURSOR, recognised: true };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { cursor: EMPTY_CURSOR, recognised: false };
  }
  if (typeof raw !== 'object' || raw === null) return { cursor: EMPTY_CURSOR, recognised: false };
  const { f, hwm, seen } = raw as { f?: unknown; hwm?: unknown; seen?: unknown };
  if (f !== FORMAT || !(hwm === null || typeof hwm === 'string') || !Array.isArray(seen)) {
    return { cursor: EMPTY_CURSOR, recognised: false };
  }
  const mark = hwm === null ? null : ticksOf(hwm);
  if (hwm !== null && mark === null) return { cursor: EMPTY_CURSOR, recognised: false };
  const versions = new Map<string, bigint>();
  for (const entry of seen) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') continue;
    const ticks = ticksOf(entry[1]);
    if (ticks !== null) versions.set(entry[0], ticks);
  }
  return { cursor: { hwm: mark, seen: versions }, recognised: true };
}

/** The text the core stores; stable for equal cursors so "nothing changed" leaves the stored value alone. */
export function encodeCursor(cursor: GraphCursor): string {
  const seen = [...cursor.seen]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, ticks]) => [id, isoOfTicks(ticks)]);
  return JSON.stringify({ f: FORMAT, hwm: cursor.hwm === null ? null : isoOfTicks(cursor.hwm), seen });
}

/** True when this version (or a newer one) of the incident was already handed out. */
export function alreadySeen(cursor: GraphCursor, id: string, ticks: bigint | null): boolean {
  const seen = cursor.seen.get(id);
  return ticks !== null && seen !== undefined && ticks <= seen;
}

/** One version read in a pass: what the cursor needs to know about it. */
export interface ReadVersion {
  readonly id: string;
  readonly ticks: bigint;
}

/**
 * The cursor after a completely read pass: the mark moves to the newest instant read (never backwards),
 * and `seen` keeps only versions inside the new overlap window, at most `maxSeen` of them (the newest; an
 * entry dropped only means the store sees that version once more and ignores it).
 */
export function advanceCursor(
  previous: GraphCursor,
  read: readonly ReadVersion[],
  overlapTicks: bigint,
  maxSeen: number,
): GraphCursor {
  let hwm = previous.hwm;
  for (const r of read) if (hwm === null || r.ticks > hwm) hwm = r.ticks;
  if (hwm === null) return previous;
  return { hwm, seen: mergeSeen(previous.seen, read, hwm - overlapTicks, maxSeen) };
}

/**
 * The cursor after a pass cut short (throttled, timed out): the mark stays where it was, because the older
 * part of the range is unread, but what was handed out is remembered so the re-read does not repeat it.
 */
export function rememberVersions(
  previous: GraphCursor,
  read: readonly ReadVersion[],
  maxSeen: number,
): GraphCursor {
  return { hwm: previous.hwm, seen: mergeSeen(previous.seen, read, null, maxSeen) };
}

function mergeSeen(
  previous: ReadonlyMap<string, bigint>,
  read: readonly ReadVersion[],
  floor: bigint | null,
  maxSeen: number,
): Map<string, bigint> {
  const seen = new Map<string, bigint>();
  const keep = (id: string, ticks: bigint): void => {
    const known = seen.get(id);
    if ((floor === null || ticks >= floor) && (known === undefined || ticks > known)) seen.set(id, ticks);
  };
  for (const [id, ticks] of previous) keep(id, ticks);
  for (const r of read) keep(r.id, r.ticks);
  if (seen.size <= maxSeen) return seen;
  return new Map([...seen].sort((a, b) => (a[1] > b[1] ? -1 : a[1] < b[1] ? 1 : 0)).slice(0, maxSeen));
}
