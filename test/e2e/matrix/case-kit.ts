import type { Observed, Person, Surface, SurfaceName } from '../../support/surfaces/surface.js';

// What every matrix case is made of: its shape, the state later cases take over from earlier ones, and
// small predicates over observed messages.

/** What the cases hand on to later ones (the handed-off incident and its alert post). */
export interface MatrixState {
  incident: string;
  alert: Observed | null;
}

export interface MatrixCase {
  readonly capability: string;
  /** The test's name, the same on every surface. */
  readonly name: string;
  /** Where a surface differs from the others, and how; absent: the same everywhere. */
  readonly differences: Partial<Record<SurfaceName, string>>;
  run(s: Surface, state: MatrixState): Promise<void>;
}

export const to = (person: Person) => (m: Observed) => m.person === person;
export const has = (re: RegExp) => (m: Observed) => re.test(m.text);
export const all =
  (...ps: ((m: Observed) => boolean)[]) =>
  (m: Observed) =>
    ps.every((p) => p(m));
export const CUSTOMER_DATA = /Contoso|Fabrikam|Woodgrove|#\d{4,}/;

/**
 * Waits until nothing new has arrived for 1.5 s, so what a turn sends has all come in (Slack paces posts to one
 * conversation about one a second, so a follow-up can come a second after the first message).
 */
export async function settle(s: Surface): Promise<void> {
  let last = -1;
  while (last !== s.mark()) {
    last = s.mark();
    await new Promise((r) => setTimeout(r, 1500));
    await s.waitFor(() => true, 'anything', -1).catch(() => undefined);
  }
}

/** The previous calendar month (UTC), the last one a business review may cover. */
export function lastMonth(): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return d.toISOString().slice(0, 7);
}
