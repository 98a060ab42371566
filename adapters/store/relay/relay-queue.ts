import { type Expression, type SqlBool, sql } from 'kysely';
import type { RelayDraft, RelayStore } from '../../../bot/relay/relay-ports.js';
import type { DbInt, DbTimestamp, Dialect } from '../dialect.js';
import { rowsOf, stamp, written } from '../feature-kit.js';
import { type CopyRow, type QueueRow, type RelayDb, type RelayTrx, toCopy, toItem } from './relay-rows.js';

// The relay's durable per-pair queue and its copies map. A claim leases each pair's first pending item
// and names the lessee; completing, retrying or abandoning acts only on a row this instance still leases,
// so a stale lessee (its lease outlived, the row sent again by another) changes nothing.

/** What a failed attempt leaves: a later try, or the item given up. */
type Outcome = { readonly not_before: DbTimestamp } | { readonly state: 'abandoned' };

/** Adds queue items (existing dedup keys ignored) and marks their pairs active at `at`; returns how many were new. */
export async function insertDrafts(d: Dialect, trx: RelayTrx, drafts: readonly RelayDraft[], at: string) {
  if (drafts.length === 0) return 0;
  const now = stamp(d, at, 'an enqueue time');
  const added = await trx
    .insertInto('relay_queue')
    .values(
      drafts.map((x) => ({
        ...{ pair_id: x.pairId, dedup_key: x.dedupKey, to_side: x.to, op: x.op, source_id: x.sourceId },
        ...{
          source_at: stamp(d, x.sourceAt, 'sourceAt'),
          message: d.json(x.message),
          state: 'pending' as const,
        },
        ...{ not_before: stamp(d, x.notBefore, 'notBefore'), created_at: now },
      })),
    )
    .onConflict((oc) => oc.column('dedup_key').doNothing())
    .returning('pair_id')
    .execute();
  if (added.length === 0) return 0;
  const pairs = trx.updateTable('relay_pairs').where('id', 'in', [...new Set(added.map((r) => r.pair_id))]);
  await pairs.where('last_activity_at', '<', now).set({ last_activity_at: now }).execute();
  return added.length;
}

/**
 * The queue for one instance. `orphaned` says which leases recover() may free: on SQLite every one (one
 * process owns the file), on PostgreSQL those of this instance's earlier life or of instances that are gone.
 */
export function relayQueue(db: RelayDb, instanceId: string, orphaned: Expression<SqlBool>) {
  const { kysely, dialect: d } = db;
  const release = { leased_until: null, leased_by: null };
  /** This instance's lease on a pending row. */
  const leased = (k: RelayTrx, seq: number) =>
    k.updateTable('relay_queue').where((eb) => eb.and({ seq, state: 'pending', leased_by: instanceId }));
  /** Gives a leased row back after a failed attempt, keeping its error (`attempts`: 1 counts it, 0 does not). */
  const giveBack = (seq: number, error: string, attempts: number, outcome: Outcome) =>
    db.run(async () => {
      const failure = { ...outcome, ...release, last_error: error.slice(0, 500) };
      await leased(kysely, seq)
        .set((eb) => ({ ...failure, attempts: eb('attempts', '+', attempts) }))
        .execute();
    });
  const copies = rowsOf((r: CopyRow) => toCopy(d, r));
  const copyRows = kysely.selectFrom('relay_copies').selectAll();
  return {
    enqueue: (drafts, at) => db.tx((trx) => insertDrafts(d, trx, drafts, at)),
    claimHeads: (now, leaseMs, limit) =>
      db.run(async () => {
        const at = d.timestamp(now);
        const until = d.timestamp(new Date(now.getTime() + leaseMs));
        // Each pair's first pending item only (by source time, then seq): a pair's items go in order.
        const claim = sql<QueueRow>`UPDATE relay_queue SET leased_until = ${until}, leased_by = ${instanceId}
          WHERE seq IN (SELECT q.seq FROM relay_queue q WHERE q.state = 'pending'
            AND NOT EXISTS (SELECT 1 FROM relay_queue e WHERE e.pair_id = q.pair_id AND e.state = 'pending'
              AND (e.source_at < q.source_at OR (e.source_at = q.source_at AND e.seq < q.seq)))
            AND q.not_before <= ${at} AND (q.leased_until IS NULL OR q.leased_until <= ${at})
            ORDER BY q.seq LIMIT ${limit} ${d.name === 'postgres' ? sql`FOR UPDATE SKIP LOCKED` : sql``})
          RETURNING *`;
        const { rows } = await claim.execute(kysely);
        return rows.map((r) => toItem(d, r)).sort((a, b) => a.seq - b.seq);
      }),
    getCopy: (pair_id, to_side, source_id) =>
      db.run(() => copies.one(copyRows.where((eb) => eb.and({ pair_id, to_side, source_id })))),
    complete: async (seq, effects) => {
      const version = effects?.copy === undefined ? null : stamp(d, effects.copy.version, 'a copy version');
      return db.tx(async (trx) => {
        const done = leased(trx, seq).set({ state: 'done', ...release });
        const mine = await done.returning('pair_id').executeTakeFirst();
        if (mine === undefined) return;
        const { thread, copy } = effects ?? {};
        if (thread !== undefined) {
          const column = thread.side === 'customer' ? 'customer_thread' : 'provider_thread';
          const pair = trx.updateTable('relay_pairs').where('id', '=', mine.pair_id);
          await pair.set({ [column]: thread.threadId }).execute();
        }
        if (copy !== undefined && version !== null) {
          const row = { copy_id: copy.copyId, version, deleted: d.bool(copy.deleted) };
          await trx
            .insertInto('relay_copies')
            .values({ pair_id: copy.pairId, to_side: copy.to, source_id: copy.sourceId, ...row })
            .onConflict((oc) => oc.columns(['pair_id', 'to_side', 'source_id']).doUpdateSet(row))
            .execute();
        }
      });
    },
    retry: (seq, notBefore, error, countAttempt) =>
      giveBack(seq, error, countAttempt ? 1 : 0, { not_before: d.timestamp(notBefore) }),
    abandon: (seq, error) => giveBack(seq, error, 1, { state: 'abandoned' }),
    recover: () => {
      const orphans = kysely.updateTable('relay_queue').where('leased_until', 'is not', null).where(orphaned);
      return db.run(() => written(orphans.where('state', '=', 'pending').set({ leased_until: null })));
    },
    countPending: () =>
      db.run(async () => {
        const pending = kysely.selectFrom('relay_queue').where('state', '=', 'pending');
        const row = await pending.select((eb) => eb.fn.countAll<DbInt>().as('n')).executeTakeFirstOrThrow();
        return d.readInt(row.n);
      }),
    pairOfItem: (dedupKey) =>
      db.run(async () => {
        const item = kysely.selectFrom('relay_queue').select('pair_id').where('dedup_key', '=', dedupKey);
        return (await item.executeTakeFirst())?.pair_id ?? null;
      }),
  } satisfies Partial<RelayStore>;
}
