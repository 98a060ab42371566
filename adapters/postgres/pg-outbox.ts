import type pg from 'pg';
import type { Clock, CompleteEffects, IncidentPost, OutboxDraft, OutboxItem } from '../../bot/ports.js';
import { aliveSql } from './instances.js';
import { toNumber } from './pool.js';
import { inTransaction, type Queryable } from './tx.js';

// The alert outbox on PostgreSQL, shared by several instances. A binding's rows are delivered by one
// instance at a time (its lane owner in outbox_lanes), so per-conversation order and in-process pacing stay
// right; rows are leased with FOR UPDATE SKIP LOCKED; a lane or lease of an instance whose heartbeat stopped
// is taken over, a live instance's never.

interface OutboxRow {
  readonly id: string;
  readonly binding_id: string;
  readonly customer_id: string;
  readonly incident_id: string;
  readonly kind: string;
  readonly version: string;
  readonly payload: string;
  readonly attempts: number;
  readonly created_at: string;
}

const toItem = (r: OutboxRow): OutboxItem => ({
  id: toNumber(r.id),
  bindingId: r.binding_id,
  customerId: r.customer_id,
  incidentId: r.incident_id,
  kind: r.kind,
  version: r.version,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  attempts: r.attempts,
  createdAt: r.created_at,
});

const COLUMNS = 10;
const CHUNK = 500;

/** Inserts drafts (existing keys ignored) in multi-row statements; returns how many were new. */
export async function enqueueDrafts(
  db: Queryable,
  drafts: readonly OutboxDraft[],
  now: Date,
): Promise<number> {
  let inserted = 0;
  for (let start = 0; start < drafts.length; start += CHUNK) {
    const chunk = drafts.slice(start, start + CHUNK);
    const values: unknown[] = [];
    const tuples = chunk.map((d, i) => {
      values.push(
        d.bindingId,
        d.customerId,
        d.incidentId,
        d.kind,
        d.version,
        JSON.stringify(d.payload),
        (d.notBefore ?? now).getTime(),
        d.notBefore !== undefined,
        now.toISOString(),
        'pending',
      );
      const base = i * COLUMNS;
      return `(${Array.from({ length: COLUMNS }, (_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    const result = await db.query(
      `INSERT INTO outbox (binding_id, customer_id, incident_id, kind, version, payload, not_before, scheduled,
         created_at, state) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
      values,
    );
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

/** A lane its owner has not sent to for this long, with nothing due, is released (longer than pacing windows). */
const LANE_IDLE_MS = 60_000;
/** A free lane whose due rows waited this long is taken regardless of the fair share. */
const STARVE_MS = 5_000;

/** Due, deliverable rows: $1 now (ms), $2 this instance, $3 instance timeout (ms). */
const DUE = `o.state = 'pending' AND o.not_before <= $1
  AND (o.lease_until <= $1 OR (o.lease_owner IS NOT NULL AND o.lease_owner <> $2 AND NOT ${aliveSql('o.lease_owner', '$3')}))
  AND (o.scheduled OR NOT EXISTS (SELECT 1 FROM outbox p
        WHERE p.state = 'pending' AND NOT p.scheduled AND p.binding_id = o.binding_id
          AND p.incident_id = o.incident_id AND p.id < o.id))`;

/** A row still leased by the instance given as `param`: only its lessee may finish or release it. */
const OWNED_AT = (param: string): string => `state = 'pending' AND lease_owner = ${param}`;

/** The outbox operations of one instance. */
export function pgOutbox(pool: pg.Pool, instance: string, timeoutMs: number, clock: Clock) {
  /**
   * Steps 1–2 of a claim: release this instance's idle lanes, then take free lanes with due rows — at most
   * a fair share (lanes in play / live instances), except lanes left waiting too long (another live instance
   * that does not dispatch must not strand them).
   */
  async function takeLanes(c: Queryable, now: number, limit: number): Promise<void> {
    await c.query(
      `DELETE FROM outbox_lanes l WHERE l.owner = $1
          AND l.active_at < clock_timestamp() - make_interval(secs => $2::double precision / 1000)
          AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.binding_id = l.binding_id AND p.state = 'pending'
                            AND (p.not_before <= $3 OR p.lease_until > $3))`,
      [instance, LANE_IDLE_MS, now],
    );
    const free = await c.query<{ binding_id: string; oldest: string }>(
      `SELECT o.binding_id, min(o.not_before) AS oldest FROM outbox o WHERE ${DUE}
          AND NOT EXISTS (SELECT 1 FROM outbox_lanes l WHERE l.binding_id = o.binding_id
                            AND (l.owner = $2 OR ${aliveSql('l.owner', '$3')}))
        GROUP BY o.binding_id ORDER BY min(o.id) LIMIT $4`,
      [now, instance, timeoutMs, limit],
    );
    if (free.rows.length === 0) return;
    const share = await c.query<{ room: string }>(
      `SELECT greatest(0, ceil((SELECT count(*) FROM (
                  SELECT binding_id FROM outbox WHERE state = 'pending' AND not_before <= $1
                  UNION SELECT binding_id FROM outbox_lanes l WHERE ${aliveSql('l.owner', '$3')}) lanes)::numeric
                / greatest(1, (SELECT count(*) FROM instances i
                   WHERE i.heartbeat_at > clock_timestamp() - make_interval(secs => $3::double precision / 1000))))
              - (SELECT count(*) FROM outbox_lanes WHERE owner = $2)) AS room`,
      [now, instance, timeoutMs],
    );
    let room = toNumber(share.rows[0]?.room ?? 1);
    const starving = now - STARVE_MS;
    const wanted = free.rows
      .filter((r) => toNumber(r.oldest) <= starving || room-- > 0)
      .map((r) => r.binding_id)
      .sort();
    // Sorted ids: two instances lock lane rows in the same order. A lane changes hands only when its
    // owner is gone (the WHERE is re-checked after waiting for a concurrent taker).
    await c.query(
      `INSERT INTO outbox_lanes (binding_id, owner, taken_at, active_at)
         SELECT b, $2, clock_timestamp(), clock_timestamp() FROM unnest($1::text[]) AS b
       ON CONFLICT (binding_id) DO UPDATE SET owner = excluded.owner, taken_at = excluded.taken_at,
         active_at = excluded.active_at
         WHERE outbox_lanes.owner <> excluded.owner AND NOT ${aliveSql('outbox_lanes.owner', '$3')}`,
      [wanted, instance, timeoutMs],
    );
  }

  async function claimOnce(limit: number, leaseMs: number, now: Date): Promise<OutboxItem[]> {
    return inTransaction(pool, async (client) => {
      await takeLanes(client, now.getTime(), limit);
      const leased = await client.query<OutboxRow>(
        `UPDATE outbox SET lease_until = $4, lease_owner = $2 WHERE id IN (
           SELECT o.id FROM outbox o WHERE ${DUE}
             AND EXISTS (SELECT 1 FROM outbox_lanes l WHERE l.binding_id = o.binding_id AND l.owner = $2)
           ORDER BY o.id LIMIT $5 FOR UPDATE OF o SKIP LOCKED)
         RETURNING id, binding_id, customer_id, incident_id, kind, version, payload, attempts, created_at`,
        [now.getTime(), instance, timeoutMs, now.getTime() + leaseMs, limit],
      );
      return leased.rows.map(toItem).sort((a, b) => a.id - b.id);
    });
  }

  return {
    async claim(limit: number, leaseMs: number, now: Date): Promise<OutboxItem[]> {
      if (limit === 0) return [];
      try {
        return await claimOnce(limit, leaseMs, now);
      } catch (error) {
        // Two instances taking overlapping lanes can deadlock; PostgreSQL breaks it, one retry settles it.
        if ((error as { code?: string }).code === '40P01') return claimOnce(limit, leaseMs, now);
        throw error;
      }
    },
    async touch(id: number, leaseMs: number, now: Date): Promise<boolean> {
      // One statement: the lane must still be ours (its activity is noted), and so must the row's lease.
      const r = await pool.query(
        `WITH lane AS (
           UPDATE outbox_lanes SET active_at = clock_timestamp()
            WHERE owner = $3 AND binding_id = (SELECT binding_id FROM outbox WHERE id = $2)
           RETURNING binding_id)
         UPDATE outbox o SET lease_until = $1 WHERE o.id = $2 AND o.state = 'pending' AND o.lease_owner = $3
           AND o.binding_id IN (SELECT binding_id FROM lane)`,
        [now.getTime() + leaseMs, id, instance],
      );
      return (r.rowCount ?? 0) > 0;
    },
    /**
     * Marks a row this instance still leases done and writes its effects; a row taken over by another
     * instance (or already released) is left alone, effects included: a resumed stale owner changes nothing.
     */
    async complete(c: Queryable, id: number, effects: CompleteEffects | undefined): Promise<void> {
      const now = clock.now();
      const mine = await c.query(
        `UPDATE outbox SET state = 'done', done_at = $1, lease_until = 0, lease_owner = NULL
          WHERE id = $2 AND ${OWNED_AT('$3')} RETURNING id`,
        [now.toISOString(), id, instance],
      );
      if ((mine.rowCount ?? 0) === 0) return;
      if (effects?.post !== undefined) await savePost(c, effects.post);
      if (effects?.enqueue !== undefined) await enqueueDrafts(c, effects.enqueue, now);
    },
    /** Releases a row this instance still leases for a later attempt; someone else's row is not touched. */
    async retry(id: number, notBefore: Date, error: string, countAttempt: boolean): Promise<void> {
      await pool.query(
        `UPDATE outbox SET attempts = attempts + $1, not_before = $2, lease_until = 0, lease_owner = NULL,
           last_error = $3 WHERE id = $4 AND ${OWNED_AT('$5')}`,
        [countAttempt ? 1 : 0, notBefore.getTime(), error.slice(0, 1000), id, instance],
      );
    },
    /** Gives up a row this instance still leases; a row another instance took over stays deliverable. */
    async abandon(id: number, error: string): Promise<void> {
      await pool.query(
        `UPDATE outbox SET state = 'abandoned', attempts = attempts + 1, last_error = $1, lease_until = 0,
           lease_owner = NULL, done_at = $2 WHERE id = $3 AND ${OWNED_AT('$4')}`,
        [error.slice(0, 1000), clock.now().toISOString(), id, instance],
      );
    },
    /** Frees leases held by this instance id (a previous life of it) or by instances known to be gone. */
    async recover(): Promise<number> {
      const r = await pool.query(
        `UPDATE outbox SET lease_until = 0, lease_owner = NULL
          WHERE state = 'pending' AND lease_until > 0
            AND (lease_owner IS NULL OR lease_owner = $1 OR NOT ${aliveSql('lease_owner', '$2')})`,
        [instance, timeoutMs],
      );
      await pool.query(`DELETE FROM outbox_lanes WHERE owner <> $1 AND NOT ${aliveSql('owner', '$2')}`, [
        instance,
        timeoutMs,
      ]);
      return r.rowCount ?? 0;
    },
    async countPending(): Promise<number> {
      const r = await pool.query("SELECT count(*) AS n FROM outbox WHERE state = 'pending'");
      return toNumber(r.rows[0]?.n ?? 0);
    },
  };
}

/** The one post per (binding, incident), replaced on save. */
export async function savePost(db: Queryable, post: IncidentPost): Promise<void> {
  await db.query(
    `INSERT INTO incident_posts (binding_id, customer_id, incident_id, message_id, posted_at)
       VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (binding_id, incident_id) DO UPDATE SET message_id = excluded.message_id,
       posted_at = excluded.posted_at`,
    [post.bindingId, post.customerId, post.incidentId, post.messageId, post.postedAt],
  );
}

/** The post of (binding, incident), or null. */
export async function getPost(
  db: Queryable,
  bindingId: string,
  incidentId: string,
): Promise<IncidentPost | null> {
  const r = await db.query<{
    binding_id: string;
    customer_id: string;
    incident_id: string;
    message_id: string;
    posted_at: string;
  }>('SELECT * FROM incident_posts WHERE binding_id = $1 AND incident_id = $2', [bindingId, incidentId]);
  const row = r.rows[0];
  return row === undefined
    ? null
    : {
        bindingId: row.binding_id,
        customerId: row.customer_id,
        incidentId: row.incident_id,
        messageId: row.message_id,
        postedAt: row.posted_at,
      };
}
