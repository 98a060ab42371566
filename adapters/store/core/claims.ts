import { type Kysely, type QueryResult, sql } from 'kysely';
import { BotError } from '../../../bot/errors.js';
import type { Clock } from '../../../bot/ports.js';
import type { StoreDb } from '../database.js';
import type { CoreTables } from './core-schema.js';

// Idempotency keys: one statement takes a new key, takes an expired one again, and leaves a live one alone.
// Expired keys are purged at most once a minute. A claim is taken on every chat turn, so it must not wait
// for a disk flush: the opener says where claims live and how their write commits (docs/store.md, Durability).

const PURGE_EVERY_MS = 60_000;

export interface ClaimsPlace {
  /** The claims table: the attached file's on SQLite (`claims.claims`), `claims` on PostgreSQL. */
  readonly table: string;
  /** Runs the claim's write; PostgreSQL commits it without waiting for the WAL flush. */
  write(work: (q: Kysely<CoreTables>) => Promise<QueryResult<unknown>>): Promise<QueryResult<unknown>>;
}

export function claims(db: StoreDb<CoreTables>, clock: Clock, place: ClaimsPlace) {
  const table = sql.table(place.table);
  let lastPurge = Number.NEGATIVE_INFINITY;
  return {
    async claimOnce(key: string, retainSeconds: number): Promise<boolean> {
      if (!Number.isFinite(retainSeconds) || retainSeconds < 0) {
        throw new BotError('bad_input', `retainSeconds must be a non-negative number, got ${retainSeconds}`);
      }
      return db.run(async () => {
        const now = clock.now().getTime();
        if (now - lastPurge >= PURGE_EVERY_MS) {
          lastPurge = now;
          await sql`DELETE FROM ${table} WHERE expires_at <= ${now}`.execute(db.kysely);
        }
        const expiresAt = now + Math.ceil(retainSeconds * 1000);
        const r = await place.write((q) =>
          sql`INSERT INTO ${table} AS c ("key", expires_at) VALUES (${key}, ${expiresAt})
            ON CONFLICT ("key") DO UPDATE SET expires_at = excluded.expires_at WHERE c.expires_at <= ${now}`.execute(
            q,
          ),
        );
        return r.numAffectedRows === 1n;
      });
    },
  };
}
