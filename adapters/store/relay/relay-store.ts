import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { BotError } from '../../../bot/errors.js';
import type { RelayStore } from '../../../bot/relay/relay-ports.js';
import type { RelaySideName } from '../../../bot/relay/types.js';
import { pgOrphanedRelayLeases } from '../../postgres/relay-leases.js';
import type { FeatureHost } from '../host.js';
import type { CoreTables } from '../tables.js';
import { relayHistory } from './relay-history.js';
import { insertDrafts, relayQueue } from './relay-queue.js';
import { asSide, pairRow, type RelayTrx, toPair } from './relay-rows.js';
import { RELAY_SCHEMA } from './schema.js';
import type { RelayTables } from './tables.js';

// The relay's store, written once for both databases: pairs of threads, held messages, the queue
// (relay-queue.ts) and the history view (relay-history.ts). What only a shared database needs — which
// leases a restart may free — is PostgreSQL's module, chosen here and nowhere else.

export interface RelayStoreOptions {
  /** PostgreSQL: an instance whose heartbeat is older than this is gone, and its leases are freed. */
  readonly instanceTimeoutMs?: number;
}

const PURGE_CHUNK = 500;
const SIDES = ['customer', 'provider'] as const;

/** Opens the relay store on the core store's database, migrating its tables first. */
export async function createRelayStore(
  host: FeatureHost,
  options: RelayStoreOptions = {},
): Promise<RelayStore> {
  await host.db.migrate(RELAY_SCHEMA);
  const db = host.db.withTables<RelayTables>();
  const { kysely, dialect: d } = db;
  const orphaned: Expression<SqlBool> =
    d.name === 'postgres'
      ? pgOrphanedRelayLeases(host.instanceId, options.instanceTimeoutMs ?? 15_000)
      : sql<SqlBool>`1 = 1`; // one process owns the file: every lease found at start-up is orphaned
  type Row = Parameters<typeof toPair>[1];
  const pairs = (k: RelayTrx = kysely) => k.selectFrom('relay_pairs').selectAll();
  const pairOf = (row: Row | undefined) => (row === undefined ? null : toPair(d, row));
  const found = (row: Row | undefined, side: RelaySideName) =>
    row === undefined ? null : { pair: toPair(d, row), side };
  const bySubject = (k: RelayTrx, kind: string, customerId: string, subjectId: string) =>
    pairs(k)
      .where((eb) => eb.and({ kind, customer_id: customerId, subject_id: subjectId }))
      .executeTakeFirst();
  type Where = (eb: ExpressionBuilder<CoreTables & RelayTables, 'relay_pairs'>) => Expression<SqlBool>;
  /** Pairs most recently active first, at most `limit`, each with its side in the conversation. */
  const recent = async (limit: number, where: Where, side: (r: Row) => RelaySideName) => {
    const rows = await pairs()
      .where(where)
      .orderBy('last_activity_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ pair: toPair(d, r), side: side(r) }));
  };

  return {
    ...relayQueue(db, host.instanceId, orphaned),
    ...relayHistory(db),
    openPair: (pair, drafts) =>
      db.tx(async (trx) => {
        const r = await trx
          .insertInto('relay_pairs')
          .values(pairRow(d, pair))
          .onConflict((oc) => oc.columns(['kind', 'customer_id', 'subject_id']).doNothing())
          .executeTakeFirst();
        const created = Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
        // Not created: another turn (maybe on another instance) opened it first; answer with that one.
        if (created) await insertDrafts(db, trx, drafts(pair.id), pair.createdAt);
        const row = await bySubject(trx, pair.kind, pair.customerId, pair.subjectId);
        if (row === undefined) throw new BotError('conflict', 'relay pair vanished while opening it');
        return { pair: toPair(d, row), created };
      }),
    getPair: (pairId) =>
      db.run(async () => pairOf(await pairs().where('id', '=', pairId).executeTakeFirst())),
    findPair: (kind, customerId, subjectId) =>
      db.run(async () => pairOf(await bySubject(kysely, kind, customerId, subjectId))),
    findByThread: (conversationId, threadId) =>
      db.run(async () => {
        if (threadId === null) return null;
        for (const side of SIDES) {
          const row = await pairs()
            .where(`${side}_conv`, '=', conversationId)
            .where(`${side}_thread`, '=', threadId)
            .where(`${side}_whole`, '=', d.bool(false))
            .executeTakeFirst();
          if (row !== undefined) return found(row, side);
        }
        return null;
      }),
    listWhole: (c, limit) =>
      db.run(() =>
        recent(
          limit,
          (eb) =>
            eb.or(SIDES.map((s) => eb.and([eb(`${s}_conv`, '=', c), eb(`${s}_whole`, '=', d.bool(true))]))),
          (r) => (r.customer_conv === c && d.readBool(r.customer_whole) ? 'customer' : 'provider'),
        ),
      ),
    listInChat: (c, limit) =>
      db.run(() =>
        recent(
          limit,
          (eb) => eb.or(SIDES.map((s) => eb(`${s}_conv`, '=', c))),
          (r) => (r.customer_conv === c ? 'customer' : 'provider'),
        ),
      ),
    findByCopy: (conversationId, copyId) =>
      db.run(async () => {
        const row = await kysely
          .selectFrom('relay_copies as c')
          .innerJoin('relay_pairs as p', 'p.id', 'c.pair_id')
          .selectAll('p')
          .select('c.to_side as side')
          .where('c.copy_id', '=', copyId)
          .where((eb) =>
            eb.or(
              SIDES.map((side) =>
                eb.and([eb('c.to_side', '=', side), eb(`p.${side}_conv`, '=', conversationId)]),
              ),
            ),
          )
          .limit(1)
          .executeTakeFirst();
        return row === undefined ? null : found(row, asSide(row.side));
      }),
    hold: (m) =>
      db.run(async () => {
        const values = { text: m.text, held_at: d.timestamp(m.heldAt) };
        await kysely
          .insertInto('relay_held')
          .values({ conversation_id: m.conversationId, source_id: m.sourceId, author: m.author, ...values })
          .onConflict((oc) => oc.columns(['conversation_id', 'source_id']).doUpdateSet(values))
          .execute();
      }),
    getHeld: (conversationId, sourceId) =>
      db.run(async () => {
        const row = await kysely
          .selectFrom('relay_held')
          .select(['author', 'text', 'held_at'])
          .where('conversation_id', '=', conversationId)
          .where('source_id', '=', sourceId)
          .executeTakeFirst();
        if (row === undefined) return null;
        return {
          conversationId,
          sourceId,
          author: row.author,
          text: row.text,
          heldAt: d.readTimestamp(row.held_at),
        };
      }),
    purgeInactive: (cutoff) =>
      db.tx(async (trx) => {
        const before = d.timestamp(cutoff);
        await trx.deleteFrom('relay_held').where('held_at', '<', before).execute();
        const ids = (
          await trx
            .selectFrom('relay_pairs')
            .select('id')
            .where('last_activity_at', '<', before)
            .$if(d.name === 'postgres', (q) => q.forUpdate())
            .execute()
        ).map((r) => r.id);
        for (let start = 0; start < ids.length; start += PURGE_CHUNK) {
          const chunk = ids.slice(start, start + PURGE_CHUNK);
          for (const table of ['relay_queue', 'relay_copies', 'relay_reads'] as const) {
            await trx.deleteFrom(table).where('pair_id', 'in', chunk).execute();
          }
          await trx.deleteFrom('relay_pairs').where('id', 'in', chunk).execute();
        }
        return ids.length;
      }),
  };
}
