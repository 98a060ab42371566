import { type RawBuilder, sql } from 'kysely';
import type pg from 'pg';
import type { Logger } from '../../bot/ports.js';

// Instance liveness for a shared store: each bot process has a row whose heartbeat it renews; one whose
// heartbeat is older than the timeout is gone, and only then may others take its outbox lanes and leases.

/** True when the heartbeat of the instances row `i` is younger than `timeoutMs`. */
export const freshHeartbeat = (timeoutMs: number): RawBuilder<boolean> =>
  sql<boolean>`i.heartbeat_at > clock_timestamp() - make_interval(secs => ${timeoutMs}::double precision / 1000)`;

/** True when the instance named by `owner` has a fresh heartbeat. */
export const alive = (owner: RawBuilder<unknown>, timeoutMs: number): RawBuilder<boolean> =>
  sql<boolean>`EXISTS (SELECT 1 FROM instances i WHERE i.id = ${owner} AND ${freshHeartbeat(timeoutMs)})`;

/**
 * Registers the instance and keeps its heartbeat fresh until the returned stop(), which removes the row:
 * a clean leave frees this instance's lanes at once.
 */
export async function registerInstance(
  pool: pg.Pool,
  id: string,
  timeoutMs: number,
  logger: Logger,
): Promise<{ stop(): Promise<void> }> {
  const beat = (): Promise<unknown> =>
    pool.query(
      `INSERT INTO instances (id, started_at, heartbeat_at) VALUES ($1, clock_timestamp(), clock_timestamp())
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = clock_timestamp()`,
      [id],
    );
  await beat();
  // Rows of instances gone for a day are only clutter; their leases were freed long ago.
  await pool.query("DELETE FROM instances WHERE heartbeat_at < clock_timestamp() - interval '1 day'");
  let failing = false;
  const renew = (): void => {
    beat().then(
      () => {
        if (failing) logger.info({ instance: id }, 'store heartbeat recovered');
        failing = false;
      },
      (error: unknown) => {
        if (!failing) logger.warn({ instance: id, err: error }, 'store heartbeat failed');
        failing = true;
      },
    );
  };
  const timer = setInterval(renew, Math.max(200, Math.floor(timeoutMs / 3)));
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await pool.query('DELETE FROM instances WHERE id = $1', [id]).catch(() => undefined);
    },
  };
}
