import { z } from 'zod/v4';
import { isIsoDate } from '../../cards/sdm-verbs.js';

// Schema pieces several card actions share (bot/actions/defs).

// Graph incident ids are digits; simulated ones may carry letters and dashes. Same rule as the flows.
export const incidentId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

/** An incident a form may name: absent, null or empty means none. */
export const optionalIncident = z
  .union([incidentId, z.literal(''), z.null(), z.undefined()])
  .transform((v) => (v === '' || v === undefined ? null : v));

/** A customer id as cards carry it (lower case). */
export const customerId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/);

/** A list offset: far beyond any real page, low enough to stop silly queries. */
export const offset = (max: number) => z.number().int().min(0).max(max);

/** A text input, capped at twice what the flow accepts (the flow refuses longer ones with a message). */
export const textInput = (max: number) => z.union([z.string().max(max * 2), z.null(), z.undefined()]);

/** A date input: absent, null or empty (`undefined`, `null`, `''`), else a real YYYY-MM-DD. */
export const dateInput = z.union([
  z.undefined(),
  z.null(),
  z.literal(''),
  z.string().refine(isIsoDate, 'not a date (YYYY-MM-DD)'),
]);

/** The object without its undefined fields: an absent input stays absent in the data. */
export function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}
