import type { RelayStore } from '../../../bot/relay/relay-ports.js';
import { inChunks, stamp } from '../feature-kit.js';
import { type RelayDb, toPair } from './relay-rows.js';

// The relay's history view: pairs listed for the messages view and each reader's read marks.

export function relayHistory(db: RelayDb) {
  const { kysely, dialect: d } = db;
  return {
    listPairs: (q) =>
      db.run(async () => {
        if (q.kinds.length === 0 || q.limit <= 0) return [];
        let query = kysely.selectFrom('relay_pairs').selectAll().where('kind', 'in', q.kinds);
        if (q.customerId !== null) query = query.where('customer_id', '=', q.customerId);
        if (q.activeSince !== null)
          query = query.where('last_activity_at', '>=', stamp(d, q.activeSince, 'activeSince'));
        const rows = await query
          .orderBy('last_activity_at', 'desc')
          .orderBy('id', 'desc')
          .limit(q.limit)
          .execute();
        return rows.map((r) => toPair(d, r));
      }),
    markRead: async (reader, pairIds, at) => {
      const readAt = stamp(d, at, 'a read time');
      return db.tx((trx) =>
        inChunks([...new Set(pairIds)], (chunk) =>
          trx
            .insertInto('relay_reads')
            .values(chunk.map((pair_id) => ({ pair_id, reader, read_at: readAt })))
            // An earlier mark never wins.
            .onConflict((oc) =>
              oc
                .columns(['pair_id', 'reader'])
                .doUpdateSet((eb) => ({ read_at: eb.ref('excluded.read_at') }))
                .where('relay_reads.read_at', '<', (eb) => eb.ref('excluded.read_at')),
            )
            .execute(),
        ),
      );
    },
    readMarks: (reader, pairIds) =>
      db.run(async () => {
        if (pairIds.length === 0) return new Map<string, string>();
        const rows = await kysely
          .selectFrom('relay_reads')
          .select(['pair_id', 'read_at'])
          .where('reader', '=', reader)
          .where('pair_id', 'in', pairIds)
          .execute();
        return new Map(rows.map((r) => [r.pair_id, d.readTimestamp(r.read_at)]));
      }),
  } satisfies Partial<RelayStore>;
}
