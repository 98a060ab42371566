import type { RelayStore } from '../../bot/relay/ports.js';
import { type PairRow, toPair } from '../sqlite/relay-rows.js';
import type { Queryable } from './tx.js';

// The relay store's history view on PostgreSQL, the twin of adapters/sqlite/relay-history.ts: pairs listed
// for the messages view and each reader's read marks, on the relay module's tables.

type History = Pick<RelayStore, 'listPairs' | 'markRead' | 'readMarks'>;

/** The history operations over the relay's pool (its module already migrated). */
export function pgRelayHistory(pool: Queryable, run: <T>(f: () => Promise<T>) => Promise<T>): History {
  return {
    listPairs: (q) =>
      run(async () => {
        if (q.kinds.length === 0 || q.limit <= 0) return [];
        const r = await pool.query<PairRow>(
          `SELECT * FROM relay_pairs
            WHERE kind = ANY($1::text[]) AND ($2::text IS NULL OR customer_id = $2)
              AND ($3::text IS NULL OR last_activity_at >= $3)
            ORDER BY last_activity_at DESC, id DESC LIMIT $4`,
          [q.kinds, q.customerId, q.activeSince, q.limit],
        );
        return r.rows.map(toPair);
      }),
    markRead: (reader, pairIds, at) =>
      run(async () => {
        if (pairIds.length === 0) return;
        await pool.query(
          `INSERT INTO relay_reads (pair_id, reader, read_at) SELECT unnest($1::text[]), $2, $3
           ON CONFLICT (pair_id, reader) DO UPDATE SET read_at = GREATEST(relay_reads.read_at, excluded.read_at)`,
          [[...new Set(pairIds)], reader, at],
        );
      }),
    readMarks: (reader, pairIds) =>
      run(async () => {
        const out = new Map<string, string>();
        if (pairIds.length === 0) return out;
        const r = await pool.query<{ pair_id: string; read_at: string }>(
          'SELECT pair_id, read_at FROM relay_reads WHERE reader = $1 AND pair_id = ANY($2::text[])',
          [reader, [...pairIds]],
        );
        for (const row of r.rows) out.set(row.pair_id, row.read_at);
        return out;
      }),
  };
}
