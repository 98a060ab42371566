import { checkedInstant } from './checked-instant.js';
import { chunks } from './database.js';
import type { DbTimestamp, Dialect } from './dialect.js';

// What the feature stores do alike: decode the rows a query returns, read a value from a closed list, count
// what a write touched, refuse text that is no instant before writing it, and split long id lists.

/** A built query (a SELECT, or an INSERT/UPDATE/DELETE … RETURNING). */
type Query<R> = { execute(): Promise<R[]>; executeTakeFirst(): Promise<R | undefined> };
/** What an INSERT, UPDATE or DELETE reports of the rows it touched. */
type Written = { numInsertedOrUpdatedRows?: bigint; numUpdatedRows?: bigint; numDeletedRows?: bigint };

/** Runs queries and decodes their rows: `one` is null when there is no row, `all` keeps the query's order. */
export const rowsOf = <R, T>(decode: (row: R) => T) => ({
  one: async (query: Query<R>): Promise<T | null> => {
    const row = await query.executeTakeFirst();
    return row === undefined ? null : decode(row);
  },
  all: async (query: Query<R>): Promise<T[]> => (await query.execute()).map(decode),
});

/** Runs a write and says how many rows it inserted, updated or deleted. */
export const written = async (query: { executeTakeFirst(): Promise<Written> }): Promise<number> => {
  const r = await query.executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? r.numUpdatedRows ?? r.numDeletedRows ?? 0n);
};

/** A stored value when it is one of `known`, else `fallback` (a value this build does not know). */
export const oneOf = <T extends string, F>(known: readonly T[], value: string, fallback: F): T | F =>
  (known as readonly string[]).includes(value) ? (value as T) : fallback;

/** An instant for a timestamp column; text that is none is the caller's bad_input, before anything is written. */
export const stamp = (d: Dialect, at: string, what: string): DbTimestamp =>
  d.timestamp(checkedInstant(at, what));

/** Runs `work` on consecutive slices of `items`, one after another. */
export async function inChunks<T>(
  items: readonly T[],
  work: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (const chunk of chunks(items)) await work(chunk);
}
