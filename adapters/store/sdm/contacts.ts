import type { Kysely } from 'kysely';
import type { SdmStore } from '../../../bot/sdm/sdm-ports.js';
import { checkedInstant } from '../checked-instant.js';
import type { CoreTables } from '../core/core-schema.js';
import { rowsOf, stamp, written } from '../feature-kit.js';
import { lockCustomer, type Row, type SdmDb, toContact } from './rows.js';
import type { SdmTables } from './sdm-schema.js';

// SDM contact requests: recorded once per fingerprint in a window (two sends of one request, on one instance
// or two, take turns on the customer's row lock), marked delivered when the SDM's thread is open, retried
// while not, purged after retention.

export function contacts(db: SdmDb) {
  const { kysely, dialect: d } = db;
  const requests = rowsOf((r: Row<'sdm_contact_requests'>) => toContact(d, r));
  const of = (customerId: string, k: Kysely<CoreTables & SdmTables> = kysely) =>
    k.selectFrom('sdm_contact_requests').selectAll().where('customer_id', '=', customerId);
  return {
    recordContactRequest: async (r, fingerprint, since) => {
      checkedInstant(r.createdAt, 'a request time');
      const from = stamp(d, since, 'since');
      return db.tx(async (trx) => {
        await lockCustomer(trx, r.customerId);
        const same = of(r.customerId, trx)
          .where('fingerprint', '=', fingerprint)
          .where('created_at', '>=', from);
        const prior = await requests.one(same.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1));
        if (prior !== null) return { request: prior, created: false };
        const stored = await requests.one(
          trx
            .insertInto('sdm_contact_requests')
            .values({
              ...{ customer_id: r.customerId, id: r.id, kind: r.kind, severity: r.severity, text: r.text },
              ...{ preferred_date: r.preferredDate, from_user: r.fromUser, from_name: r.fromName },
              ...{ created_at: d.timestamp(r.createdAt), fingerprint },
              conversation: r.conversation === null ? null : d.json(r.conversation),
              delivered_at: r.deliveredAt === null ? null : d.timestamp(r.deliveredAt),
            })
            .onConflict((oc) => oc.doNothing())
            .returningAll(),
        );
        return { request: stored ?? r, created: true };
      });
    },
    markContactDelivered: async (customer_id, id, at) => {
      const when = stamp(d, at, 'a delivery time');
      const request = kysely.updateTable('sdm_contact_requests').where((eb) => eb.and({ customer_id, id }));
      // The first delivery time is kept.
      const delivered = request.set((eb) => ({ delivered_at: eb.fn.coalesce('delivered_at', eb.val(when)) }));
      return db.run(async () => (await written(delivered)) > 0);
    },
    listContactRequests: (customerId, limit) =>
      db.run(() =>
        requests.all(of(customerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit)),
      ),
    listUndeliveredContactRequests: async (customerId, since, limit) => {
      const undelivered = of(customerId)
        .where('delivered_at', 'is', null)
        .where('conversation', 'is not', null)
        .where('created_at', '>=', stamp(d, since, 'since'));
      return db.run(() => requests.all(undelivered.orderBy('created_at').orderBy('id').limit(limit)));
    },
    purgeContactRequestsBefore: async (cutoff) => {
      const before = stamp(d, cutoff, 'cutoff');
      return db.run(() =>
        written(kysely.deleteFrom('sdm_contact_requests').where('created_at', '<', before)),
      );
    },
  } satisfies Partial<SdmStore>;
}
