import { sql } from 'kysely';
import type { OutboxItem } from '../../bot/ports.js';
import { ITEM_COLUMNS, type OutboxLeases, toItem } from '../store/core/outbox.js';
import type { StoreDb } from '../store/database.js';
import type { CoreTables } from '../store/tables.js';

// Outbox leases on SQLite: one process owns the file, so a claim needs no lanes and no SKIP LOCKED (the
// claim's IMMEDIATE transaction is the only writer), a lease it holds stays its own (touching only checks:
// no write, no fsync), and at start-up every lease found is orphaned.

export function sqliteOutboxLeases(db: StoreDb<CoreTables>, instance: string): OutboxLeases {
  const { kysely, dialect } = db;
  return {
    claim: (limit, leaseMs, now) =>
      db.tx(async (trx): Promise<OutboxItem[]> => {
        const at = now.getTime();
        const rows = await trx
          .selectFrom('outbox as o')
          .select(ITEM_COLUMNS.map((c) => `o.${c}` as const))
          .where('o.state', '=', 'pending')
          .where('o.not_before', '<=', at)
          .where('o.lease_until', '<=', at)
          // First in line for its (binding, incident); scheduled rows never block the line.
          .where(
            sql<boolean>`(o.scheduled = 1 OR NOT EXISTS (SELECT 1 FROM outbox p
              WHERE p.state = 'pending' AND p.scheduled = 0 AND p.binding_id = o.binding_id
                AND p.incident_id = o.incident_id AND p.id < o.id))`,
          )
          .orderBy('o.id')
          .limit(limit)
          .execute();
        if (rows.length === 0) return [];
        await trx
          .updateTable('outbox')
          .set({ lease_until: at + leaseMs, lease_owner: instance })
          .where(
            'id',
            'in',
            rows.map((r) => dialect.readInt(r.id)),
          )
          .execute();
        return rows.map((r) => toItem(dialect, r));
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
