import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { OutboxItem } from '../../bot/ports.js';
import type { CoreTables } from '../store/core/core-schema.js';
import { firstInLine, leaseRows, type OutboxLeases } from '../store/core/outbox.js';
import type { StoreDb } from '../store/database.js';
import { alive, freshHeartbeat } from './instances.js';

// Outbox leases on a database shared by several instances. A binding's rows are delivered by one instance
// at a time (its lane owner in outbox_lanes), so per-conversation order and in-process pacing stay right;
// rows are leased with FOR UPDATE SKIP LOCKED; a lane or lease of an instance whose heartbeat stopped is
// taken over, a live instance's never.

/** A lane its owner has not sent to for this long, with nothing due, is released (longer than pacing windows). */
const LANE_IDLE_MS = 60_000;
/** A free lane whose due rows waited this long is taken regardless of the fair share. */
const STARVE_MS = 5_000;

export function postgresOutboxLanes(
  db: StoreDb<CoreTables>,
  instance: string,
  timeoutMs: number,
): OutboxLeases {
  const { kysely, dialect } = db;
  const ownerAlive = (column: string) => alive(sql.ref(column), timeoutMs);

  /** Due, deliverable rows of `o`: first in line for their incident, unleased or leased by a gone instance. */
  const due = (
    now: number,
  ): RawBuilder<boolean> => sql<boolean>`o.state = 'pending' AND o.not_before <= ${now}
    AND (o.lease_until <= ${now} OR (o.lease_owner IS NOT NULL AND o.lease_owner <> ${instance}
         AND NOT ${ownerAlive('o.lease_owner')}))
    AND ${firstInLine(dialect)}`;

  /**
   * Steps 1–2 of a claim: release this instance's idle lanes, then take free lanes with due rows — at most
   * a fair share (lanes in play / live instances), except lanes left waiting too long (another live instance
   * that does not dispatch must not strand them).
   */
  async function takeLanes(trx: Kysely<CoreTables>, now: number, limit: number): Promise<void> {
    await sql`DELETE FROM outbox_lanes l WHERE l.owner = ${instance}
        AND l.active_at < clock_timestamp() - make_interval(secs => ${LANE_IDLE_MS}::double precision / 1000)
        AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.binding_id = l.binding_id AND p.state = 'pending'
                          AND (p.not_before <= ${now} OR p.lease_until > ${now}))`.execute(trx);
    const free = await sql<{ binding_id: string; oldest: string }>`
      SELECT o.binding_id, min(o.not_before) AS oldest FROM outbox o WHERE ${due(now)}
        AND NOT EXISTS (SELECT 1 FROM outbox_lanes l WHERE l.binding_id = o.binding_id
                          AND (l.owner = ${instance} OR ${ownerAlive('l.owner')}))
      GROUP BY o.binding_id ORDER BY min(o.id) LIMIT ${limit}`.execute(trx);
    if (free.rows.length === 0) return;
    const share = await sql<{ room: string }>`
      SELECT greatest(0, ceil((SELECT count(*) FROM (
                SELECT binding_id FROM outbox WHERE state = 'pending' AND not_before <= ${now}
                UNION SELECT binding_id FROM outbox_lanes l WHERE ${ownerAlive('l.owner')}) lanes)::numeric
              / greatest(1, (SELECT count(*) FROM instances i WHERE ${freshHeartbeat(timeoutMs)})))
            - (SELECT count(*) FROM outbox_lanes WHERE owner = ${instance})) AS room`.execute(trx);
    let room = Number(share.rows[0]?.room ?? 1);
    const starving = now - STARVE_MS;
    const wanted = free.rows
      .filter((r) => Number(r.oldest) <= starving || room-- > 0)
      .map((r) => r.binding_id)
      .sort();
    // Sorted ids: two instances lock lane rows in the same order. A lane changes hands only when its
    // owner is gone (the WHERE is re-checked after waiting for a concurrent taker).
    await sql`INSERT INTO outbox_lanes (binding_id, owner, taken_at, active_at)
        SELECT b, ${instance}, clock_timestamp(), clock_timestamp() FROM unnest(${wanted}::text[]) AS b
      ON CONFLICT (binding_id) DO UPDATE SET owner = excluded.owner, taken_at = excluded.taken_at,
        active_at = excluded.active_at
        WHERE outbox_lanes.owner <> excluded.owner AND NOT ${ownerAlive('outbox_lanes.owner')}`.execute(trx);
  }

  const claimOnce = (limit: number, leaseMs: number, now: Date): Promise<OutboxItem[]> =>
    kysely.transaction().execute(async (trx) => {
      const at = now.getTime();
      await takeLanes(trx, at, limit);
      const where = sql<boolean>`${due(at)}
        AND EXISTS (SELECT 1 FROM outbox_lanes l WHERE l.binding_id = o.binding_id AND l.owner = ${instance})`;
      const lock = sql`FOR UPDATE OF o SKIP LOCKED`;
      return leaseRows(trx, dialect, { where, limit, until: at + leaseMs, instance, lock });
    });

  return {
    async claim(limit, leaseMs, now) {
      try {
        return await claimOnce(limit, leaseMs, now);
      } catch (error) {
        // Two instances taking overlapping lanes can deadlock; PostgreSQL breaks it, one retry settles it.
        if ((error as { code?: string }).code === '40P01') return claimOnce(limit, leaseMs, now);
        throw error;
      }
    },
    async touch(id, leaseMs, now) {
      // One statement: the lane must still be ours (its activity is noted), and so must the row's lease.
      const r = await sql`WITH lane AS (
          UPDATE outbox_lanes SET active_at = clock_timestamp()
           WHERE owner = ${instance} AND binding_id = (SELECT binding_id FROM outbox WHERE id = ${id})
          RETURNING binding_id)
        UPDATE outbox o SET lease_until = ${now.getTime() + leaseMs}
         WHERE o.id = ${id} AND o.state = 'pending' AND o.lease_owner = ${instance}
           AND o.binding_id IN (SELECT binding_id FROM lane)`.execute(kysely);
      return (r.numAffectedRows ?? 0n) > 0n;
    },
    /** Frees leases held by this instance id (a previous life of it) or by instances known to be gone. */
    async recover() {
      const r = await sql`UPDATE outbox SET lease_until = 0, lease_owner = NULL
        WHERE state = 'pending' AND lease_until > 0
          AND (lease_owner IS NULL OR lease_owner = ${instance} OR NOT ${ownerAlive('lease_owner')})`.execute(
        kysely,
      );
      await sql`DELETE FROM outbox_lanes WHERE owner <> ${instance}
        AND NOT ${ownerAlive('owner')}`.execute(kysely);
      return Number(r.numAffectedRows ?? 0n);
    },
  };
}
