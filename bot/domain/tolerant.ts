// Tolerant enums: Graph enums evolve (determination has several spellings across doc pages), so a value
// we do not know is kept as text and shown as-is instead of being dropped or crashing a turn.

/** A value outside the known set, kept verbatim so it can be stored, displayed and round-tripped. */
export interface Unrecognised {
  readonly unrecognised: string;
}

export type Tolerant<K extends string> = K | Unrecognised;

export function isUnrecognised(value: unknown): value is Unrecognised {
  return typeof value === 'object' && value !== null && 'unrecognised' in value;
}

const squash = (s: string): string => s.replace(/[\s_\-.,]/g, '').toLowerCase();

/**
 * Builds a parser that matches case- and punctuation-insensitively against the known values and their
 * aliases ("Line-of-business application" = "lineOfBusinessApplication"); anything else is kept as text.
 */
export function tolerantParser<K extends string>(
  known: readonly K[],
  aliases: Readonly<Record<string, K>> = {},
): (raw: unknown) => Tolerant<K> {
  const index = new Map<string, K>();
  for (const k of known) index.set(squash(k), k);
  for (const [alias, k] of Object.entries(aliases)) index.set(squash(alias), k);
  return (raw: unknown): Tolerant<K> => {
    if (isUnrecognised(raw)) return raw;
    const text = raw === null || raw === undefined ? '' : String(raw);
    return index.get(squash(text)) ?? { unrecognised: text };
  };
}

/** The wire form of a tolerant value: the known value, or the text we did not recognise. */
export function tolerantToString<K extends string>(value: Tolerant<K>): string {
  return isUnrecognised(value) ? value.unrecognised : value;
}

/** A display label: the known value's label, or the unrecognised text (or "Unknown" if it was empty). */
export function tolerantLabel<K extends string>(
  value: Tolerant<K>,
  labels: Readonly<Record<K, string>>,
): string {
  if (isUnrecognised(value)) return value.unrecognised.trim() === '' ? 'Unknown' : value.unrecognised;
  return labels[value];
}
