import { BotError } from '../../../bot/errors.js';
import type { Clock } from '../../../bot/ports.js';
import type { StoreDb } from '../database.js';
import type { CoreTables } from '../tables.js';

// Idempotency keys: one statement takes a new key, takes an expired one again, and leaves a live one alone.
// Expired keys are purged at most once a minute.

const PURGE_EVERY_MS = 60_000;

export function claims(db: StoreDb<CoreTables>, clock: Clock) {
  const { kysely } = db;
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
          await kysely.deleteFrom('claims').where('expires_at', '<=', now).execute();
        }
        const expires_at = now + Math.ceil(retainSeconds * 1000);
        const r = await kysely
          .insertInto('claims')
          .values({ key, expires_at })
          .onConflict((oc) =>
            oc.column('key').doUpdateSet({ expires_at }).where('claims.expires_at', '<=', now),
          )
          .executeTakeFirst();
        return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
      });
    },
  };
}
