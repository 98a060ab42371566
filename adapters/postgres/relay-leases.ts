import { type Expression, type SqlBool, sql } from 'kysely';
import { alive } from './instances.js';

// Which relay queue leases a restarting instance may free on a shared database: its own (a previous life of
// this instance id), unnamed ones, and those of instances whose heartbeat stopped — never a live one's.

export const pgOrphanedRelayLeases = (instance: string, timeoutMs: number): Expression<SqlBool> =>
  sql<SqlBool>`(leased_by IS NULL OR leased_by = ${instance} OR NOT ${alive(sql.ref('leased_by'), timeoutMs)})`;
