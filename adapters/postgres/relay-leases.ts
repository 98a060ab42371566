import { type Expression, type SqlBool, sql } from 'kysely';

// Which relay queue leases a restarting instance may free on a shared database: its own (a previous life of
// this instance id), unnamed ones, and those of instances whose heartbeat stopped — never a live one's.

export const pgOrphanedRelayLeases = (instance: string, timeoutMs: number): Expression<SqlBool> =>
  sql<SqlBool>`(leased_by IS NULL OR leased_by = ${instance} OR NOT EXISTS (SELECT 1 FROM instances i
    WHERE i.id = leased_by
      AND i.heartbeat_at > clock_timestamp() - make_interval(secs => ${timeoutMs}::double precision / 1000)))`;
