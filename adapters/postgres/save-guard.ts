import { sql } from 'kysely';
import { BotError } from '../../bot/errors.js';
import type { SaveGuard } from '../store/core/incidents.js';
import { FencedOffError } from '../store/errors.js';
import { LOCK_KIND } from './locks.js';
import { pgXactLock } from './xact-lock.js';

// Saves on a shared database: one customer's saves are serialised by a transaction advisory lock, and a save
// carrying a poller fence is refused unless the fence is the customer's current epoch (read under the lease
// row's lock), so a paused old leader's late write cannot land.

export const postgresSaveGuard: SaveGuard = async (trx, customerId, fence) => {
  await pgXactLock(trx, `${LOCK_KIND.save}:${customerId}`);
  if (fence === undefined) return;
  if (fence.customerId !== customerId) {
    throw new BotError('bad_input', `poller fence of ${fence.customerId} used in a save for ${customerId}`);
  }
  const r = await sql<{ epoch: string }>`SELECT epoch FROM poller_leases WHERE customer_id = ${customerId}
    FOR SHARE`.execute(trx);
  const current = Number(r.rows[0]?.epoch ?? 0);
  if (current !== fence.epoch) throw new FencedOffError(customerId, fence.epoch, current);
};
