import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import { BotError } from '../../../bot/errors.js';
import type { RelayStore } from '../../../bot/relay/relay-ports.js';
import type { RelaySideName } from '../../../bot/relay/types.js';
import { pgOrphanedRelayLeases } from '../../postgres/relay-leases.js';
import type { CoreTables } from '../core/core-schema.js';
import { inChunks, rowsOf, stamp, written } from '../feature-kit.js';
import type { FeatureHost } from '../host.js';
import { relayHistory } from './relay-history.js';
import { insertDrafts, relayQueue } from './relay-queue.js';
import { asSide, type HeldRow, type PairRow, pairRow, type RelayTrx, toHeld, toPair } from './relay-rows.js';
import type { RelayTables } from './relay-schema.js';
import { RELAY_SCHEMA } from './relay-schema.js';

// The relay's store, written once for both databases: pairs of threads, held messages, the queue
// (relay-queue.ts) and the history view (relay-history.ts). What only a shared database needs — which
// leases a restart may free — is PostgreSQL's module, chosen here and nowhere else.

export interface RelayStoreOptions {
  /** PostgreSQL: an instance whose heartbeat is older than this is gone, and its leases are freed. */
  readonly instanceTimeoutMs?: number;
}

const SIDES = ['customer', 'provider'] as const;
type PairsWhere = ExpressionBuilder<CoreTables & RelayTables, 'relay_pairs'>;
/** A pair's one row per (kind, customer, subject). */
const SUBJECT = ['kind', 'customer_id', 'subject_id'] as const;

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
  const pairs = rowsOf((r: PairRow) => toPair(d, r));
  const held = rowsOf((r: HeldRow) => toHeld(d, r));
  const selectPairs = (k: RelayTrx = kysely) => k.selectFrom('relay_pairs').selectAll();
  const bySubject = (k: RelayTrx, kind: string, customer_id: string, subject_id: string) =>
    pairs.one(selectPairs(k).where((eb) => eb.and({ kind, customer_id, subject_id })));
  /** Pairs with a side in conversation `c` (a whole-conversation side, or any), most recently active first. */
  const inConversation = (c: string, limit: number, whole: boolean) =>
    db.run(async () => {
      const here = (eb: PairsWhere, s: RelaySideName) =>
        whole
          ? eb.and([eb(`${s}_conv`, '=', c), eb(`${s}_whole`, '=', d.bool(true))])
          : eb(`${s}_conv`, '=', c);
      const listed = selectPairs().where((eb) => eb.or(SIDES.map((s) => here(eb, s))));
      const rows = await listed
        .orderBy('last_activity_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      const sideOf = (r: PairRow): RelaySideName =>
        r.customer_conv === c && (!whole || d.readBool(r.customer_whole)) ? 'customer' : 'provider';
      return rows.map((r) => ({ pair: toPair(d, r), side: sideOf(r) }));
    });

  return {
    ...relayQueue(db, host.instanceId, orphaned),
    ...relayHistory(db),
    openPair: (pair, drafts) =>
      db.tx(async (trx) => {
        const insert = trx.insertInto('relay_pairs').values(pairRow(d, pair));
        const created = (await written(insert.onConflict((oc) => oc.columns(SUBJECT).doNothing()))) > 0;
        // Not created: another turn (maybe on another instance) opened it first; answer with that one.
        if (created) await insertDrafts(d, trx, drafts(pair.id), pair.createdAt);
        const opened = await bySubject(trx, pair.kind, pair.customerId, pair.subjectId);
        if (opened === null) throw new BotError('conflict', 'relay pair vanished while opening it');
        return { pair: opened, created };
      }),
    getPair: (pairId) => db.run(() => pairs.one(selectPairs().where('id', '=', pairId))),
    findPair: (kind, customerId, subjectId) => db.run(() => bySubject(kysely, kind, customerId, subjectId)),
    findByThread: (conversationId, threadId) =>
      db.run(async () => {
        if (threadId === null) return null;
        for (const side of SIDES) {
          const threaded = selectPairs()
            .where(`${side}_conv`, '=', conversationId)
            .where(`${side}_thread`, '=', threadId);
          const pair = await pairs.one(threaded.where(`${side}_whole`, '=', d.bool(false)));
          if (pair !== null) return { pair, side };
        }
        return null;
      }),
    listWhole: (c, limit) => inConversation(c, limit, true),
    listInChat: (c, limit) => inConversation(c, limit, false),
    findByCopy: (conversationId, copyId) =>
      db.run(async () => {
        const { rows } = await sql<PairRow & { side: string }>`SELECT p.*, c.to_side AS side
          FROM relay_copies c JOIN relay_pairs p ON p.id = c.pair_id
          WHERE c.copy_id = ${copyId} AND ((c.to_side = 'customer' AND p.customer_conv = ${conversationId})
            OR (c.to_side = 'provider' AND p.provider_conv = ${conversationId}))
          LIMIT 1`.execute(kysely);
        const [row] = rows;
        return row === undefined ? null : { pair: toPair(d, row), side: asSide(row.side) };
      }),
    hold: async (m) => {
      const values = { text: m.text, held_at: stamp(d, m.heldAt, 'heldAt') };
      return db.run(async () => {
        await kysely
          .insertInto('relay_held')
          .values({ conversation_id: m.conversationId, source_id: m.sourceId, author: m.author, ...values })
          .onConflict((oc) => oc.columns(['conversation_id', 'source_id']).doUpdateSet(values))
          .execute();
      });
    },
    getHeld: (conversation_id, source_id) =>
      db.run(() =>
        held.one(
          kysely
            .selectFrom('relay_held')
            .selectAll()
            .where((eb) => eb.and({ conversation_id, source_id })),
        ),
      ),
    purgeInactive: (cutoff) =>
      db.tx(async (trx) => {
        const before = stamp(d, cutoff, 'cutoff');
        await trx.deleteFrom('relay_held').where('held_at', '<', before).execute();
        const inactive = trx.selectFrom('relay_pairs').select('id').where('last_activity_at', '<', before);
        const locked = inactive.$if(d.name === 'postgres', (q) => q.forUpdate());
        const ids = (await locked.execute()).map((r) => r.id);
        await inChunks(ids, async (chunk) => {
          for (const table of ['relay_queue', 'relay_copies', 'relay_reads'] as const) {
            await trx.deleteFrom(table).where('pair_id', 'in', chunk).execute();
          }
          await trx.deleteFrom('relay_pairs').where('id', 'in', chunk).execute();
        });
        return ids.length;
      }),
  };
}
