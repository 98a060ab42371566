import pg from 'pg';
import type { Logger, PollerFence, PollerLeadership } from '../../bot/ports.js';
import { mapPgError } from './errors.js';
import { LOCK_KIND, LOCK_NAMESPACE } from './migrations.js';
import { connectionConfig, toNumber } from './pool.js';

// Exactly one active poller per customer across instances: a session advisory lock per customer, held on a
// connection of its own. The server ends that session when it stays idle longer than `timeoutMs` (our
// heartbeat keeps it busy), so a paused (SIGSTOP) leader loses its locks like a dead one. Each takeover
// increments the customer's fence epoch; saves carry it, so a resumed old leader's write is refused.

export interface LeadershipOptions {
  readonly connectionString: string;
  readonly schema?: string;
  readonly target: string;
  readonly instanceId: string;
  /** How long a silent leader keeps its locks; keep it under the poll interval for a fast takeover. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** Leadership through advisory locks on a dedicated connection (see above). */
export function createPollerLeadership(options: LeadershipOptions): PollerLeadership {
  const { logger, instanceId, timeoutMs } = options;
  const held = new Map<string, PollerFence>();
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let closed = false;

  const drop = (why: string): void => {
    if (heartbeat !== null) clearInterval(heartbeat);
    heartbeat = null;
    const c = client;
    client = null;
    if (held.size > 0) {
      logger.warn({ instance: instanceId, customers: [...held.keys()], why }, 'poller leadership lost');
    }
    held.clear();
    c?.end().catch(() => undefined);
  };

  async function connection(): Promise<pg.Client> {
    if (client !== null) return client;
    connecting ??= (async () => {
      const c = new pg.Client(
        connectionConfig({ connectionString: options.connectionString, schema: options.schema }),
      );
      c.on('error', (error) => drop(error.message));
      c.on('end', () => {
        if (client === c) drop('connection ended');
      });
      await c.connect();
      await c.query(`SET idle_session_timeout = ${Math.max(100, Math.round(timeoutMs))}`);
      client = c;
      heartbeat = setInterval(
        () => {
          c.query('SELECT 1').catch((error: unknown) => drop(String(error)));
        },
        Math.max(50, Math.floor(timeoutMs / 4)),
      );
      heartbeat.unref();
      return c;
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  }

  async function take(c: pg.Client, customerId: string): Promise<PollerFence | null> {
    const key = `:${LOCK_KIND.poller}:${customerId}`;
    const locked = await c.query<{ ok: boolean }>(
      'SELECT pg_try_advisory_lock($1, hashtext(current_schema() || $2)) AS ok',
      [LOCK_NAMESPACE, key],
    );
    if (locked.rows[0]?.ok !== true) return null;
    try {
      const r = await c.query<{ epoch: string }>(
        `INSERT INTO poller_leases (customer_id, epoch, owner, taken_at) VALUES ($1, 1, $2, clock_timestamp())
         ON CONFLICT (customer_id) DO UPDATE SET epoch = poller_leases.epoch + 1, owner = excluded.owner,
           taken_at = excluded.taken_at
         RETURNING epoch`,
        [customerId, instanceId],
      );
      const fence = { customerId, epoch: toNumber(r.rows[0]?.epoch) };
      held.set(customerId, fence);
      logger.info(
        { customer: customerId, epoch: fence.epoch, instance: instanceId },
        'poller leadership taken',
      );
      return fence;
    } catch (error) {
      await c.query('SELECT pg_advisory_unlock($1, hashtext(current_schema() || $2))', [LOCK_NAMESPACE, key]);
      throw error;
    }
  }

  return {
    async lead(customerId) {
      if (closed) return null;
      const mine = held.get(customerId);
      if (mine !== undefined && client !== null) return mine;
      try {
        return await take(await connection(), customerId);
      } catch (first) {
        // A session the server ended (after a stall, a restart) is not an answer: ask once on a new one.
        drop('lock query failed');
        try {
          return await take(await connection(), customerId);
        } catch (error) {
          drop('lock query failed again');
          throw mapPgError(error ?? first, options.target);
        }
      }
    },
    lost(customerId) {
      // The store refused our fence: the lock was lost without our noticing; start over on a new session.
      if (held.delete(customerId)) drop(`fence for ${customerId} refused`);
    },
    async close() {
      closed = true;
      const c = client;
      if (heartbeat !== null) clearInterval(heartbeat);
      heartbeat = null;
      client = null;
      held.clear();
      await c?.end().catch(() => undefined);
    },
  };
}
