import { type Kysely, type RawBuilder, type Selectable, sql } from 'kysely';
import type { Clock, CompleteEffects, IncidentPost, OutboxDraft, OutboxItem } from '../../../bot/ports.js';
import { chunks, type StoreDb } from '../database.js';
import type { DbInt, Dialect } from '../dialect.js';
import type { CoreTables } from './core-schema.js';

// The alert outbox and the incident posts, written once. What differs is how rows are leased: one process
// owns a SQLite file (sqlite/outbox-leases.ts), several instances share PostgreSQL through lanes and
// SKIP LOCKED (postgres/outbox-lanes.ts). Either way a lease names its owner, and completing, retrying or
// abandoning acts only on a row this instance still leases.

/** What each database does its own way: taking rows, renewing a lease, freeing orphaned leases. */
export interface OutboxLeases {
  claim(limit: number, leaseMs: number, now: Date): Promise<OutboxItem[]>;
  touch(id: number, leaseMs: number, now: Date): Promise<boolean>;
  recover(): Promise<number>;
}

/** Rows of `o` first in line for their (binding, incident): scheduled rows never block the line. */
export const firstInLine = (dialect: Dialect): RawBuilder<boolean> =>
  sql<boolean>`(o.scheduled = ${sql.lit(dialect.bool(true))} OR NOT EXISTS (SELECT 1 FROM outbox p
    WHERE p.state = 'pending' AND p.scheduled = ${sql.lit(dialect.bool(false))} AND p.binding_id = o.binding_id
      AND p.incident_id = o.incident_id AND p.id < o.id))`;

/**
 * Leases to `instance` until `until` (epoch ms) the first `limit` rows of `o` that match `where`, `lock`
 * being how the selection locks them, and returns them in id order.
 */
export async function leaseRows(
  trx: Kysely<CoreTables>,
  dialect: Dialect,
  lease: {
    where: RawBuilder<boolean>;
    limit: number;
    until: number;
    instance: string;
    lock?: RawBuilder<unknown>;
  },
): Promise<OutboxItem[]> {
  const { rows } = await sql<Selectable<CoreTables['outbox']>>`
    UPDATE outbox SET lease_until = ${lease.until}, lease_owner = ${lease.instance} WHERE id IN (
      SELECT o.id FROM outbox o WHERE ${lease.where} ORDER BY o.id LIMIT ${lease.limit} ${lease.lock ?? sql``})
    RETURNING *`.execute(trx);
  return rows
    .map((r) => ({
      id: dialect.readInt(r.id),
      bindingId: r.binding_id,
      customerId: r.customer_id,
      incidentId: r.incident_id,
      kind: r.kind,
      version: r.version,
      payload: dialect.readJson<Record<string, unknown>>(r.payload),
      attempts: r.attempts,
      createdAt: dialect.readTimestamp(r.created_at),
    }))
    .sort((a, b) => a.id - b.id);
}

/** Inserts drafts (existing de-duplication keys ignored); returns how many were new. */
export async function enqueueDrafts(
  trx: Kysely<CoreTables>,
  dialect: Dialect,
  drafts: readonly OutboxDraft[],
  now: Date,
): Promise<number> {
  let inserted = 0;
  for (const chunk of chunks(drafts)) {
    const rows = chunk.map((d) => ({
      binding_id: d.bindingId,
      customer_id: d.customerId,
      incident_id: d.incidentId,
      kind: d.kind,
      version: d.version,
      payload: dialect.json(d.payload),
      state: 'pending' as const,
      not_before: (d.notBefore ?? now).getTime(),
      scheduled: dialect.bool(d.notBefore !== undefined),
      created_at: dialect.timestamp(now),
    }));
    const r = await trx
      .insertInto('outbox')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

async function savePostIn(trx: Kysely<CoreTables>, dialect: Dialect, post: IncidentPost): Promise<void> {
  const posted_at = dialect.timestamp(post.postedAt);
  await trx
    .insertInto('incident_posts')
    .values({
      binding_id: post.bindingId,
      customer_id: post.customerId,
      incident_id: post.incidentId,
      message_id: post.messageId,
      posted_at,
    })
    .onConflict((oc) =>
      oc.columns(['binding_id', 'incident_id']).doUpdateSet({ message_id: post.messageId, posted_at }),
    )
    .execute();
}

/** The shared outbox operations of one instance (`instance` names its leases). */
export function outbox(db: StoreDb<CoreTables>, clock: Clock, instance: string) {
  const { kysely, dialect } = db;
  /** Only the lessee may finish or release a row; releasing always clears the lease. */
  const release = (q: Kysely<CoreTables>, id: number, error: string | null) =>
    q
      .updateTable('outbox')
      .where('id', '=', id)
      .where('state', '=', 'pending')
      .where('lease_owner', '=', instance)
      .set({
        lease_until: 0,
        lease_owner: null,
        ...(error === null ? {} : { last_error: error.slice(0, 1000) }),
      });

  return {
    enqueueOutbox: (drafts: readonly OutboxDraft[]): Promise<number> =>
      db.tx((trx) => enqueueDrafts(trx, dialect, drafts, clock.now())),
    /**
     * Marks rows this instance still leases done, each with its effects, in one transaction (the caller
     * batches concurrent completions: one durable write for many). A row taken over is left alone.
     */
    completeBatch: (batch: readonly { id: number; effects: CompleteEffects | undefined }[]): Promise<void> =>
      db.tx(async (trx) => {
        const now = clock.now();
        // In id order: two batches never lock the same rows in opposite orders.
        for (const { id, effects } of [...batch].sort((a, b) => a.id - b.id)) {
          const done = await release(trx, id, null)
            .set({ state: 'done', done_at: dialect.timestamp(now) })
            .executeTakeFirst();
          if (done.numUpdatedRows === 0n) continue;
          if (effects?.post !== undefined) await savePostIn(trx, dialect, effects.post);
          if (effects?.enqueue !== undefined) await enqueueDrafts(trx, dialect, effects.enqueue, now);
        }
      }),
    retryOutbox: (id: number, notBefore: Date, error: string, countAttempt = true): Promise<void> =>
      db.run(async () => {
        await release(kysely, id, error)
          .set((eb) => ({
            attempts: eb('attempts', '+', countAttempt ? 1 : 0),
            not_before: notBefore.getTime(),
          }))
          .execute();
      }),
    abandonOutbox: (id: number, error: string): Promise<void> =>
      db.run(async () => {
        await release(kysely, id, error)
          .set((eb) => ({
            state: 'abandoned',
            attempts: eb('attempts', '+', 1),
            done_at: dialect.timestamp(clock.now()),
          }))
          .execute();
      }),
    countPendingOutbox: (): Promise<number> =>
      db.run(async () => {
        const row = await kysely
          .selectFrom('outbox')
          .select(sql<DbInt>`count(*)`.as('n'))
          .where('state', '=', 'pending')
          .executeTakeFirstOrThrow();
        return dialect.readInt(row.n);
      }),
    getIncidentPost: (bindingId: string, incidentId: string): Promise<IncidentPost | null> =>
      db.run(async () => {
        const r = await kysely
          .selectFrom('incident_posts')
          .selectAll()
          .where('binding_id', '=', bindingId)
          .where('incident_id', '=', incidentId)
          .executeTakeFirst();
        return r === undefined
          ? null
          : {
              bindingId: r.binding_id,
              customerId: r.customer_id,
              incidentId: r.incident_id,
              messageId: r.message_id,
              postedAt: dialect.readTimestamp(r.posted_at),
            };
      }),
    saveIncidentPost: (post: IncidentPost): Promise<void> => db.run(() => savePostIn(kysely, dialect, post)),
  };
}
