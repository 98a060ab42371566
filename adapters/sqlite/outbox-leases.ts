import { sql } from 'kysely';
import type { CoreTables } from '../store/core/core-schema.js';
import { firstInLine, leaseRows, type OutboxLeases } from '../store/core/outbox.js';
import type { StoreDb } from '../store/database.js';

// Outbox leases on SQLite: one process owns the file, so a claim needs no lanes and no SKIP LOCKED (the
// claim's IMMEDIATE transaction is the only writer), a lease it holds stays its own (touching only checks:
// no write, no fsync), and at start-up every lease found is orphaned.

export function sqliteOutboxLeases(db: StoreDb<CoreTables>, instance: string): OutboxLeases {
  const { kysely, dialect } = db;
  return {
    claim: (limit, leaseMs, now) =>
      db.tx((trx) => {
        const at = now.getTime();
        const where = sql<boolean>`o.state = 'pending' AND o.not_before <= ${at} AND o.lease_until <= ${at}
          AND ${firstInLine(dialect)}`;
        return leaseRows(trx, dialect, { where, limit, until: at + leaseMs, instance });
      }),
    touch: async (id) => {
      const row = await kysely
        .selectFrom('outbox')
        .select('id')
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where('lease_owner', '=', instance)
        .executeTakeFirst();
      return row !== undefined;
    },
    recover: async () => {
      const r = await kysely
        .updateTable('outbox')
        .set({ lease_until: 0, lease_owner: null })
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', '>', 0), eb('lease_owner', 'is not', null)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
