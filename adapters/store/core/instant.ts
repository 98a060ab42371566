// Graph's lastUpdateDateTime comes with 0 to 7 fractional digits and, from other sources, with offsets;
// comparing the raw text would order "…:00.5Z" after "…:00.123Z" wrongly. These helpers compare instants.

const ISO_INSTANT =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function normaliseZone(zone: string | undefined): string {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 'Z';
  if (zone.length === 3) return `${zone}:00`;
  return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

/**
 * A text key whose byte order is the order of the instants: "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ" in UTC with
 * nine fractional digits. A timestamp without a zone is read as UTC (Graph always sends one). Text that is
 * not an ISO 8601 instant gives '' so it sorts before every real instant; callers may log it.
 */
export function instantKey(text: string): string {
  const match = ISO_INSTANT.exec(text.trim());
  if (match === null) return '';
  const [, date, hours, minutes, seconds = '00', fraction = '', zone] = match;
  const ms = Date.parse(`${date}T${hours}:${minutes}:${seconds}${normaliseZone(zone)}`);
  if (!Number.isFinite(ms)) return '';
  const whole = new Date(ms).toISOString();
  // Outside years 0000–9999 toISOString uses a signed six-digit year that would not sort; treat as invalid.
  if (whole.length !== 24) return '';
  return `${whole.slice(0, 19)}.${fraction.padEnd(9, '0').slice(0, 9)}Z`;
}
