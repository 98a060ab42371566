// Graph stamps lastUpdateDateTime with up to seven fractional digits; two changes inside one millisecond are
// two versions, so the high-water mark compares instants as 100 ns ticks, never as text or Date.

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})$/i;

/** Graph's precision: 100 ns ticks per millisecond. */
export const TICKS_PER_MS = 10_000n;

/** 100 ns ticks since the epoch, or null for text that is not an ISO 8601 instant with a zone. */
export function ticksOf(text: string): bigint | null {
  const m = ISO_INSTANT.exec(text.trim());
  if (m === null) return null;
  const [, whole = '', fraction = '', zone = 'Z'] = m;
  const ms = Date.parse(`${whole}${zone.toUpperCase()}`);
  if (!Number.isFinite(ms)) return null;
  return BigInt(ms) * TICKS_PER_MS + BigInt(fraction.padEnd(7, '0').slice(0, 7));
}

/** Ticks as an OData DateTimeOffset literal in UTC with seven fractional digits (what Graph writes). */
export function isoOfTicks(ticks: bigint): string {
  const seconds = ticks / 10_000_000n;
  const fraction = ticks - seconds * 10_000_000n;
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${fraction.toString().padStart(7, '0')}Z`;
}
