import { BotError } from '../../bot/errors.js';
import type { RelayDraft, RelayStore } from '../../bot/relay/ports.js';
import { type CopyRow, type PairRow, type QueueRow, toCopy, toItem, toPair } from '../sqlite/relay-rows.js';
import { type PgFeatureHost, pgGuard } from './feature-host.js';
import { aliveSql } from './instances.js';
import { toNumber } from './pool.js';
import { pgRelayHistory } from './relay-history.js';
import { RELAY_MODULE } from './relay-schema.js';
import { inTransaction, type Queryable } from './tx.js';

// The relay's tables on PostgreSQL (module 'relay'), the twin of adapters/sqlite/relay-store.ts with the same
// row mapping. Shared by several instances: heads are leased with FOR UPDATE SKIP LOCKED and the lessee is
// recorded, so recover() frees only leases of this instance's earlier life or of instances that are gone.

type PgQueueRow = Omit<QueueRow, 'seq'> & { seq: string };
const item = (r: PgQueueRow) => toItem({ ...r, seq: toNumber(r.seq) });
const one = <T>(rows: readonly T[]): T | undefined => rows[0];

/** The relay store on the PostgreSQL store's pool (migrating its module first). */
export async function createPostgresRelayStore(
  host: PgFeatureHost,
  instanceTimeoutMs = 15_000,
): Promise<RelayStore> {
  await host.migrateModule(RELAY_MODULE);
  const { pool, instanceId } = host;
  const base = { run: pgGuard(host.target) };

  const insertDrafts = async (c: Queryable, drafts: readonly RelayDraft[], at: string): Promise<number> => {
    let added = 0;
    for (const d of drafts) {
      const r = await c.query(
        `INSERT INTO relay_queue (pair_id, dedup_key, to_side, op, source_id, source_at, message, state, not_before,
           created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)
         ON CONFLICT (dedup_key) DO NOTHING`,
        [
          d.pairId,
          d.dedupKey,
          d.to,
          d.op,
          d.sourceId,
          d.sourceAt,
          JSON.stringify(d.message),
          d.notBefore,
          at,
        ],
      );
      if ((r.rowCount ?? 0) > 0) {
        added += 1;
        await c.query(
          'UPDATE relay_pairs SET last_activity_at = $1 WHERE id = $2 AND last_activity_at < $1',
          [at, d.pairId],
        );
      }
    }
    return added;
  };

  const pairWhere = async (sql: string, params: unknown[]) =>
    one((await pool.query<PairRow>(`SELECT * FROM relay_pairs WHERE ${sql}`, params)).rows);

  return {
    openPair: (pair, drafts) =>
      base.run(() =>
        inTransaction(pool, async (c) => {
          const inserted = await c.query<PairRow>(
            `INSERT INTO relay_pairs (id, kind, customer_id, subject_id, customer_conv, customer_ref, customer_thread,
               customer_whole, provider_conv, provider_ref, provider_thread, provider_whole, provider_label,
               created_at, last_activity_at, title)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)
             ON CONFLICT (kind, customer_id, subject_id) DO NOTHING RETURNING *`,
            [
              pair.id,
              pair.kind,
              pair.customerId,
              pair.subjectId,
              pair.customer.conversation.id,
              JSON.stringify({ ...pair.customer.conversation, threadId: null }),
              pair.customer.threadId,
              pair.customer.wholeConversation ? 1 : 0,
              pair.provider.conversation.id,
              JSON.stringify({ ...pair.provider.conversation, threadId: null }),
              pair.provider.threadId,
              pair.provider.wholeConversation ? 1 : 0,
              pair.providerLabel,
              pair.createdAt,
              pair.title ?? '',
            ],
          );
          if (inserted.rows.length === 0) {
            // Another turn (maybe on another instance) opened it first: answer with that one, unchanged.
            const existing = one(
              (
                await c.query<PairRow>(
                  'SELECT * FROM relay_pairs WHERE kind = $1 AND customer_id = $2 AND subject_id = $3',
                  [pair.kind, pair.customerId, pair.subjectId],
                )
              ).rows,
            );
            if (existing === undefined)
              throw new BotError('conflict', 'relay pair vanished while opening it');
            return { pair: toPair(existing), created: false };
          }
          await insertDrafts(c, drafts(pair.id), pair.createdAt);
          const row = one(
            (await c.query<PairRow>('SELECT * FROM relay_pairs WHERE id = $1', [pair.id])).rows,
          );
          if (row === undefined) throw new BotError('conflict', 'relay pair vanished while opening it');
          return { pair: toPair(row), created: true };
        }),
      ),
    getPair: (pairId) =>
      base.run(async () => {
        const row = await pairWhere('id = $1', [pairId]);
        return row === undefined ? null : toPair(row);
      }),
    findPair: (kind, customerId, subjectId) =>
      base.run(async () => {
        const row = await pairWhere('kind = $1 AND customer_id = $2 AND subject_id = $3', [
          kind,
          customerId,
          subjectId,
        ]);
        return row === undefined ? null : toPair(row);
      }),
    findByThread: (conversationId, threadId) =>
      base.run(async () => {
        if (threadId === null) return null;
        for (const side of ['customer', 'provider'] as const) {
          const row = await pairWhere(`${side}_conv = $1 AND ${side}_thread = $2 AND ${side}_whole = 0`, [
            conversationId,
            threadId,
          ]);
          if (row !== undefined) return { pair: toPair(row), side };
        }
        return null;
      }),
    listWhole: (conversationId, limit) =>
      base.run(async () => {
        const r = await pool.query<PairRow & { side: string }>(
          `SELECT *, CASE WHEN customer_conv = $1 AND customer_whole = 1 THEN 'customer' ELSE 'provider' END AS side
             FROM relay_pairs
            WHERE (customer_conv = $1 AND customer_whole = 1) OR (provider_conv = $1 AND provider_whole = 1)
            ORDER BY last_activity_at DESC, id DESC LIMIT $2`,
          [conversationId, limit],
        );
        return r.rows.map(
          (row) => ({ pair: toPair(row), side: row.side === 'customer' ? 'customer' : 'provider' }) as const,
        );
      }),
    listInChat: (conversationId, limit) =>
      base.run(async () => {
        const r = await pool.query<PairRow & { side: string }>(
          `SELECT *, CASE WHEN customer_conv = $1 THEN 'customer' ELSE 'provider' END AS side
             FROM relay_pairs WHERE customer_conv = $1 OR provider_conv = $1
            ORDER BY last_activity_at DESC, id DESC LIMIT $2`,
          [conversationId, limit],
        );
        return r.rows.map(
          (row) => ({ pair: toPair(row), side: row.side === 'customer' ? 'customer' : 'provider' }) as const,
        );
      }),
    findByCopy: (conversationId, copyId) =>
      base.run(async () => {
        const r = await pool.query<PairRow & { side: string }>(
          `SELECT p.*, c.to_side AS side FROM relay_copies c JOIN relay_pairs p ON p.id = c.pair_id
         WHERE c.copy_id = $1 AND ((c.to_side = 'customer' AND p.customer_conv = $2)
            OR (c.to_side = 'provider' AND p.provider_conv = $2))
         LIMIT 1`,
          [copyId, conversationId],
        );
        const row = r.rows[0];
        return row === undefined
          ? null
          : ({ pair: toPair(row), side: row.side === 'customer' ? 'customer' : 'provider' } as const);
      }),
    hold: (m) =>
      base.run(async () => {
        await pool.query(
          `INSERT INTO relay_held (conversation_id, source_id, author, text, held_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (conversation_id, source_id) DO UPDATE SET text = excluded.text, held_at = excluded.held_at`,
          [m.conversationId, m.sourceId, m.author, m.text, m.heldAt],
        );
      }),
    getHeld: (conversationId, sourceId) =>
      base.run(async () => {
        const r = await pool.query<{ author: string; text: string; held_at: string }>(
          'SELECT author, text, held_at FROM relay_held WHERE conversation_id = $1 AND source_id = $2',
          [conversationId, sourceId],
        );
        const row = r.rows[0];
        return row === undefined
          ? null
          : { conversationId, sourceId, author: row.author, text: row.text, heldAt: row.held_at };
      }),
    pairOfItem: (dedupKey) =>
      base.run(async () => {
        const r = await pool.query<{ pair_id: string }>(
          'SELECT pair_id FROM relay_queue WHERE dedup_key = $1',
          [dedupKey],
        );
        return r.rows[0]?.pair_id ?? null;
      }),
    enqueue: (drafts, at) => base.run(() => inTransaction(pool, (c) => insertDrafts(c, drafts, at))),
    claimHeads: (now, leaseMs, limit) =>
      base.run(async () => {
        const at = now.toISOString();
        const r = await pool.query<PgQueueRow>(
          `UPDATE relay_queue SET leased_until = $3, leased_by = $4 WHERE seq IN (
             SELECT q.seq FROM relay_queue q
              WHERE q.state = 'pending'
                AND NOT EXISTS (SELECT 1 FROM relay_queue e
                                 WHERE e.pair_id = q.pair_id AND e.state = 'pending'
                                   AND (e.source_at < q.source_at OR (e.source_at = q.source_at AND e.seq < q.seq)))
                AND q.not_before <= $1 AND (q.leased_until IS NULL OR q.leased_until <= $1)
              ORDER BY q.seq LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING *`,
          [at, limit, new Date(now.getTime() + leaseMs).toISOString(), instanceId],
        );
        return r.rows.map(item).sort((a, b) => a.seq - b.seq);
      }),
    getCopy: (pairId, to, sourceId) =>
      base.run(async () => {
        const r = await pool.query<CopyRow>(
          'SELECT * FROM relay_copies WHERE pair_id = $1 AND to_side = $2 AND source_id = $3',
          [pairId, to, sourceId],
        );
        return r.rows[0] === undefined ? null : toCopy(r.rows[0]);
      }),
    complete: (seq, effects) =>
      base.run(() =>
        inTransaction(pool, async (c) => {
          // Only the instance still leasing the row finishes it; a stale one (its lease outlived, the row
          // sent again by another instance) changes nothing — not the state, not the thread, not the copy.
          const mine = await c.query(
            `UPDATE relay_queue SET state = 'done', leased_until = NULL, leased_by = NULL
              WHERE seq = $1 AND state = 'pending' AND leased_by = $2 RETURNING seq`,
            [seq, instanceId],
          );
          if ((mine.rowCount ?? 0) === 0) return;
          if (effects?.thread !== undefined) {
            const column = effects.thread.side === 'customer' ? 'customer_thread' : 'provider_thread';
            await c.query(
              `UPDATE relay_pairs SET ${column} = $1 WHERE id = (SELECT pair_id FROM relay_queue WHERE seq = $2)`,
              [effects.thread.threadId, seq],
            );
          }
          if (effects?.copy !== undefined) {
            const k = effects.copy;
            await c.query(
              `INSERT INTO relay_copies (pair_id, to_side, source_id, copy_id, version, deleted)
               VALUES ($1, $2, $3, $4, $5, $6)
               ON CONFLICT (pair_id, to_side, source_id) DO UPDATE SET copy_id = excluded.copy_id,
                 version = excluded.version, deleted = excluded.deleted`,
              [k.pairId, k.to, k.sourceId, k.copyId, k.version, k.deleted ? 1 : 0],
            );
          }
        }),
      ),
    retry: (seq, notBefore, error, countAttempt) =>
      base.run(async () => {
        await pool.query(
          `UPDATE relay_queue SET attempts = attempts + $1, not_before = $2, last_error = $3, leased_until = NULL,
             leased_by = NULL WHERE seq = $4 AND state = 'pending' AND leased_by = $5`,
          [countAttempt ? 1 : 0, notBefore.toISOString(), error.slice(0, 500), seq, instanceId],
        );
      }),
    abandon: (seq, error) =>
      base.run(async () => {
        await pool.query(
          `UPDATE relay_queue SET state = 'abandoned', attempts = attempts + 1, last_error = $1, leased_until = NULL,
             leased_by = NULL WHERE seq = $2 AND state = 'pending' AND leased_by = $3`,
          [error.slice(0, 500), seq, instanceId],
        );
      }),
    recover: () =>
      base.run(async () => {
        const r = await pool.query(
          `UPDATE relay_queue SET leased_until = NULL
            WHERE state = 'pending' AND leased_until IS NOT NULL
              AND (leased_by IS NULL OR leased_by = $1 OR NOT ${aliveSql('leased_by', '$2')})`,
          [instanceId, instanceTimeoutMs],
        );
        return r.rowCount ?? 0;
      }),
    countPending: () =>
      base.run(async () => {
        const r = await pool.query<{ n: string }>(
          "SELECT count(*) AS n FROM relay_queue WHERE state = 'pending'",
        );
        return toNumber(r.rows[0]?.n ?? 0);
      }),
    purgeInactive: (cutoff) =>
      base.run(() =>
        inTransaction(pool, async (c) => {
          const ids = (
            await c.query<{ id: string }>(
              'SELECT id FROM relay_pairs WHERE last_activity_at < $1 FOR UPDATE',
              [cutoff],
            )
          ).rows.map((r) => r.id);
          await c.query('DELETE FROM relay_held WHERE held_at < $1', [cutoff]);
          if (ids.length === 0) return 0;
          await c.query('DELETE FROM relay_queue WHERE pair_id = ANY($1::text[])', [ids]);
          await c.query('DELETE FROM relay_copies WHERE pair_id = ANY($1::text[])', [ids]);
          await c.query('DELETE FROM relay_reads WHERE pair_id = ANY($1::text[])', [ids]);
          await c.query('DELETE FROM relay_pairs WHERE id = ANY($1::text[])', [ids]);
          return ids.length;
        }),
      ),
    ...pgRelayHistory(pool, base.run),
  };
}
