import type { Incident } from '../domain/incident.js';
import type { CustomerContext } from './context.js';

// `incident <id>` for an id the store does not have goes to the source (Graph), whose budget is the whole
// customer's: its alerts are read with the same requests. So an id the source did not know is remembered
// for a while (asked once per window, whoever asks), and each person may send only so many such lookups
// per minute; beyond that they are told to wait, and the source is not asked.

export interface LookupLimits {
  /** How long an id the source did not know is answered "not found" without asking again. */
  readonly missTtlMs: number;
  /** Source lookups one person may cause per window. */
  readonly perPerson: number;
  readonly perPersonWindowMs: number;
  /** Entries kept in each map; the oldest go first (the maps cannot grow without bound). */
  readonly maxEntries: number;
}

export const DEFAULT_LOOKUP_LIMITS: LookupLimits = {
  missTtlMs: 10 * 60_000,
  perPerson: 5,
  perPersonWindowMs: 60_000,
  maxEntries: 10_000,
};

export interface LookupGuard {
  /** The incident from the store, else from the source within the limits; 'limited' when the person must wait. */
  find(ctx: CustomerContext, id: string): Promise<Incident | null | 'limited'>;
}

/** Sets `key` in `map`, dropping the oldest entries past `max` (a Map keeps insertion order). */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > max) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) break;
    map.delete(oldest);
  }
}

/** One guard per bot process; the clock is the flow context's. */
export function createLookupGuard(limits: LookupLimits = DEFAULT_LOOKUP_LIMITS): LookupGuard {
  const misses = new Map<string, number>(); // customer/id → until (ms)
  const spent = new Map<string, number[]>(); // person → times of their source lookups (ms)
  return {
    async find(ctx, id) {
      const stored = await ctx.store.getIncident(ctx.customer.id, id);
      if (stored !== null) return stored;
      const now = ctx.clock.now().getTime();
      const missKey = `${ctx.customer.id}/${id}`;
      const until = misses.get(missKey);
      if (until !== undefined && until > now) return null;
      const person = ctx.actor.qualifiedId;
      const recent = (spent.get(person) ?? []).filter((t) => t > now - limits.perPersonWindowMs);
      if (recent.length >= limits.perPerson) {
        remember(spent, person, recent, limits.maxEntries);
        return 'limited';
      }
      remember(spent, person, [...recent, now], limits.maxEntries);
      const found = await ctx.source.getIncident(ctx.customer, id);
      const incident = found !== null && found.customerId === ctx.customer.id ? found : null;
      if (incident === null) remember(misses, missKey, now + limits.missTtlMs, limits.maxEntries);
      else misses.delete(missKey);
      return incident;
    },
  };
}

/** Finds an incident of the caller's customer through the bot's guard. */
export const findIncident = (ctx: CustomerContext, id: string): Promise<Incident | null | 'limited'> =>
  ctx.lookups.find(ctx, id);
