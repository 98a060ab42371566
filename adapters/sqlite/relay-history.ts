import type Database from 'better-sqlite3';
import type { RelayStore } from '../../bot/relay/ports.js';
import { type PairRow, toPair } from './relay-rows.js';

// The relay store's history view on SQLite: pairs listed for the messages view and each reader's read
// marks. Apart from relay-store.ts so each file stays small; the tables are the relay module's.

type History = Pick<RelayStore, 'listPairs' | 'markRead' | 'readMarks'>;

/** The history operations on the relay's connection (its migrations already applied). */
export function sqliteRelayHistory(db: Database.Database): History & { forget(pairId: string): void } {
  const upsert = db.prepare(
    `INSERT INTO relay_reads (pair_id, reader, read_at) VALUES (?, ?, ?)
     ON CONFLICT (pair_id, reader) DO UPDATE SET read_at = max(relay_reads.read_at, excluded.read_at)`,
  );
  const forget = db.prepare('DELETE FROM relay_reads WHERE pair_id = ?');
  return {
    async listPairs(q) {
      if (q.kinds.length === 0 || q.limit <= 0) return [];
      const where = [`kind IN (${q.kinds.map(() => '?').join(', ')})`];
      const args: (string | number)[] = [...q.kinds];
      if (q.customerId !== null) {
        where.push('customer_id = ?');
        args.push(q.customerId);
      }
      if (q.activeSince !== null) {
        where.push('last_activity_at >= ?');
        args.push(q.activeSince);
      }
      const rows = db
        .prepare<(string | number)[], PairRow>(
          `SELECT * FROM relay_pairs WHERE ${where.join(' AND ')}
            ORDER BY last_activity_at DESC, id DESC LIMIT ?`,
        )
        .all(...args, q.limit);
      return rows.map(toPair);
    },
    async markRead(reader, pairIds, at) {
      db.transaction(() => {
        for (const id of pairIds) upsert.run(id, reader, at);
      }).immediate();
    },
    async readMarks(reader, pairIds) {
      const out = new Map<string, string>();
      if (pairIds.length === 0) return out;
      const rows = db
        .prepare<string[], { pair_id: string; read_at: string }>(
          `SELECT pair_id, read_at FROM relay_reads WHERE reader = ? AND pair_id IN (${pairIds.map(() => '?').join(', ')})`,
        )
        .all(reader, ...pairIds);
      for (const r of rows) out.set(r.pair_id, r.read_at);
      return out;
    },
    forget(pairId) {
      forget.run(pairId);
    },
  };
}
