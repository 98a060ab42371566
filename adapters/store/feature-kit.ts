import { checkedInstant } from './checked-instant.js';
import type { DbTimestamp, Dialect } from './dialect.js';

// What several feature stores do alike: decode the rows a query returns (none, one or all) and a value from
// a closed list, count the rows a write touched, refuse text that is no instant before writing it, and split long id lists so no statement
// exceeds either database's limit on bound parameters.

/** Ids per statement: well under either database's limit on bound parameters. */
export const CHUNK = 500;

/** A built query (Kysely's select, or an UPDATE/DELETE … RETURNING). */
interface Query<R> {
  execute(): Promise<R[]>;
  executeTakeFirst(): Promise<R | undefined>;
}

/** Runs queries and decodes their rows: `one` is null when there is no row, `all` keeps the query's order. */
export const rowsOf = <R, T>(decode: (row: R) => T) => ({
  one: async (query: Query<R>): Promise<T | null> => {
    const row = await query.executeTakeFirst();
    return row === undefined ? null : decode(row);
  },
  all: async (query: Query<R>): Promise<T[]> => (await query.execute()).map(decode),
});

/** A stored value when it is one of `known`, else `fallback` (a value this build does not know). */
export const oneOf = <T extends string, F>(known: readonly T[], value: string, fallback: F): T | F =>
  (known as readonly string[]).includes(value) ? (value as T) : fallback;

/** What an INSERT, UPDATE or DELETE reports of the rows it touched. */
interface Written {
  numInsertedOrUpdatedRows?: bigint;
  numUpdatedRows?: bigint;
  numDeletedRows?: bigint;
}

/** Runs a write and says how many rows it inserted, updated or deleted. */
export const written = async (query: { executeTakeFirst(): Promise<Written> }): Promise<number> => {
  const r = await query.executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? r.numUpdatedRows ?? r.numDeletedRows ?? 0n);
};

/** An instant for a timestamp column; text that is none is the caller's bad_input, before anything is written. */
export const stamp = (d: Dialect, at: string, what: string): DbTimestamp =>
  d.timestamp(checkedInstant(at, what));

/** Runs `work` on consecutive slices of `items`, one after another. */
export async function inChunks<T>(
  items: readonly T[],
  work: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let start = 0; start < items.length; start += CHUNK) await work(items.slice(start, start + CHUNK));
}
