import pg from 'pg';
import { BotError } from '../../bot/errors.js';
import type { Logger, PollerFence, PollerLeadership } from '../../bot/ports.js';
import { mapPgError } from '../store/errors.js';
import { LOCK_KIND, LOCK_NAMESPACE } from './locks.js';
import { APPLICATION_NAME, assertServerVersion, connectionConfig } from './pool.js';

/** Time for measuring how long since something happened here: monotonic, untouched by wall-clock jumps. */
const elapsedMs = (): number => performance.now();

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
  /** application_name of the lock session (default defender-experts-bot:leader). */
  readonly applicationName?: string;
  /** An instance whose heartbeat is older than this is not counted in the fair share (default 15 s). */
  readonly instanceTimeoutMs?: number;
  /** Held at least this long, a customer above this instance's fair share is handed back (default 60 s). */
  readonly rebalanceAfterMs?: number;
}

/** Default for `rebalanceAfterMs`: long enough that polling does not flap between replicas. */
export const REBALANCE_AFTER_MS = 60_000;

/** Leadership through advisory locks on a dedicated connection (see above). */
export function createPollerLeadership(options: LeadershipOptions): PollerLeadership {
  const { logger, instanceId, timeoutMs } = options;
  const held = new Map<string, PollerFence>();
  // Fair share: customers asked about, when each held one was taken, handed-back customers
  // found free once while at the share (taken the next time, so none can be stranded), live instances.
  const seen = new Set<string>();
  const takenAt = new Map<string, number>();
  const skipped = new Set<string>();
  let live: { readonly n: number; readonly at: number } | null = null;
  const rebalanceAfterMs = options.rebalanceAfterMs ?? REBALANCE_AFTER_MS;
  let client: pg.Client | null = null;
  let connecting: Promise<pg.Client> | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let closed = false;

  /** Forgets the session and every lock held on it; ending the session releases them on the server. */
  const endSession = (): Promise<void> => {
    if (heartbeat !== null) clearInterval(heartbeat);
    heartbeat = null;
    const c = client;
    client = null;
    held.clear();
    takenAt.clear();
    return c === null ? Promise.resolve() : c.end().catch(() => undefined);
  };
  const drop = (why: string): void => {
    if (held.size > 0) {
      logger.warn({ instance: instanceId, customers: [...held.keys()], why }, 'poller leadership lost');
    }
    void endSession();
  };

  /** ceil(customers / live instances), the live count cached for a second. */
  async function share(c: pg.Client): Promise<number> {
    if (live === null || elapsedMs() - live.at > 1_000) {
      const r = await c.query<{ n: string }>(
        `SELECT count(*) AS n FROM instances
          WHERE heartbeat_at > clock_timestamp() - make_interval(secs => $1::double precision / 1000)`,
        [options.instanceTimeoutMs ?? 15_000],
      );
      live = { n: Math.max(1, Number(r.rows[0]?.n ?? 1)), at: elapsedMs() };
    }
    return Math.ceil(seen.size / live.n);
  }

  /** Takes (try) or releases the session lock on a customer's polling. */
  const advisory = (c: pg.Client, fn: 'pg_try_advisory_lock' | 'pg_advisory_unlock', customerId: string) =>
    c.query<{ ok: boolean }>(`SELECT ${fn}($1, hashtext(current_schema() || $2)) AS ok`, [
      LOCK_NAMESPACE,
      `:${LOCK_KIND.poller}:${customerId}`,
    ]);

  /** Hands a customer back when this instance holds more than its share; true when it did. */
  async function handBack(c: pg.Client, customerId: string): Promise<boolean> {
    const since = takenAt.get(customerId);
    if (since === undefined || elapsedMs() - since < rebalanceAfterMs) return false;
    const limit = await share(c);
    // Checked after the await, and the customer let go of before the next one: a pass leads several
    // customers at once, and two hand-backs must not both see the same surplus.
    if (!held.has(customerId) || held.size <= limit) return false;
    held.delete(customerId);
    takenAt.delete(customerId);
    try {
      // Flag first, then unlock: whoever gets the lock next sees it was handed back, not orphaned.
      await c.query(
        'UPDATE poller_leases SET released_at = clock_timestamp() WHERE customer_id = $1 AND owner = $2',
        [customerId, instanceId],
      );
      await advisory(c, 'pg_advisory_unlock', customerId);
    } catch (error) {
      // Unsure whether the lock is still ours: start over on a new session (it releases every lock).
      drop(`hand-back of ${customerId} failed: ${String(error)}`);
      return true;
    }
    logger.info({ customer: customerId, instance: instanceId }, 'poller leadership handed back (fair share)');
    return true;
  }

  async function connection(): Promise<pg.Client> {
    if (client !== null) return client;
    connecting ??= (async () => {
      const c = new pg.Client({
        ...connectionConfig({
          connectionString: options.connectionString,
          schema: options.schema,
          applicationName: options.applicationName ?? `${APPLICATION_NAME}:leader`,
          // Statements here are short (the epoch bump may wait for a save): a hung one means a lost session.
          statementTimeoutMs: Math.min(60_000, Math.max(10_000, Math.round(timeoutMs))),
        }),
      });
      c.on('error', (error) => drop(error.message));
      c.on('end', () => {
        if (client === c) drop('connection ended');
      });
      try {
        await c.connect();
        const version = await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
        assertServerVersion(version.rows[0]?.v, options.target);
        await c.query(`SET idle_session_timeout = ${Math.max(100, Math.round(timeoutMs))}`);
      } catch (error) {
        // A session that never became ours is ended here, or every retry would leak one more.
        await c.end().catch(() => undefined);
        throw error;
      }
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
    const locked = await advisory(c, 'pg_try_advisory_lock', customerId);
    if (locked.rows[0]?.ok !== true) {
      skipped.delete(customerId);
      return null;
    }
    try {
      // An orphan (its leader died, stalled or stopped) or a new customer is taken at once; one handed back
      // for a fair share only below the share, or when it is still free the next time we look.
      const lease = await c.query<{ released: boolean }>(
        'SELECT released_at IS NOT NULL AS released FROM poller_leases WHERE customer_id = $1',
        [customerId],
      );
      if (lease.rows[0]?.released === true && !skipped.has(customerId) && held.size >= (await share(c))) {
        skipped.add(customerId);
        await advisory(c, 'pg_advisory_unlock', customerId);
        return null;
      }
      skipped.delete(customerId);
      const r = await c.query<{ epoch: string }>(
        `INSERT INTO poller_leases (customer_id, epoch, owner, taken_at) VALUES ($1, 1, $2, clock_timestamp())
         ON CONFLICT (customer_id) DO UPDATE SET epoch = poller_leases.epoch + 1, owner = excluded.owner,
           taken_at = excluded.taken_at, released_at = NULL
         RETURNING epoch`,
        [customerId, instanceId],
      );
      const fence = { customerId, epoch: Number(r.rows[0]?.epoch) };
      held.set(customerId, fence);
      takenAt.set(customerId, elapsedMs());
      logger.info(
        { customer: customerId, epoch: fence.epoch, instance: instanceId },
        'poller leadership taken',
      );
      return fence;
    } catch (error) {
      await advisory(c, 'pg_advisory_unlock', customerId);
      throw error;
    }
  }

  return {
    async lead(customerId) {
      if (closed) return null;
      seen.add(customerId);
      const mine = held.get(customerId);
      if (mine !== undefined && client !== null) {
        const handed = await handBack(client, customerId).catch(() => false); // the live count failed: keep it
        return handed ? null : mine;
      }
      try {
        return await take(await connection(), customerId);
      } catch (first) {
        if (first instanceof BotError) throw first; // a refused server version: asking again cannot help
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
      await endSession();
    },
  };
}
