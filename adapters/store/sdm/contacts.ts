import type { SdmStore } from '../../../bot/sdm/sdm-ports.js';
import { checkedInstant } from '../checked-instant.js';
import { lockCustomer, type SdmDb, toContact } from './rows.js';

// SDM contact requests: recorded once per fingerprint in a window (two sends of one request, on one instance
// or two, take turns on the customer's row lock), marked delivered when the SDM's thread is open, retried
// while not, purged after retention.

type ContactMethods = Pick<
  SdmStore,
  | 'recordContactRequest'
  | 'markContactDelivered'
  | 'listContactRequests'
  | 'listUndeliveredContactRequests'
  | 'purgeContactRequestsBefore'
>;

export function contacts(db: SdmDb): ContactMethods {
  const { kysely, dialect } = db;
  const of = (customerId: string) =>
    kysely.selectFrom('sdm_contact_requests').selectAll().where('customer_id', '=', customerId);
  return {
    recordContactRequest: async (r, fingerprint, since) => {
      checkedInstant(r.createdAt, 'a request time');
      const from = dialect.timestamp(checkedInstant(since, 'since'));
      return db.tx(async (trx) => {
        await lockCustomer(trx, r.customerId);
        const prior = await trx
          .selectFrom('sdm_contact_requests')
          .selectAll()
          .where('customer_id', '=', r.customerId)
          .where('fingerprint', '=', fingerprint)
          .where('created_at', '>=', from)
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1)
          .executeTakeFirst();
        if (prior !== undefined) return { request: toContact(dialect, prior), created: false };
        const stored = await trx
          .insertInto('sdm_contact_requests')
          .values({
            ...{ customer_id: r.customerId, id: r.id, kind: r.kind, severity: r.severity, text: r.text },
            ...{ preferred_date: r.preferredDate, from_user: r.fromUser, from_name: r.fromName },
            ...{ created_at: dialect.timestamp(r.createdAt), fingerprint },
            conversation: r.conversation === null ? null : dialect.json(r.conversation),
            delivered_at: r.deliveredAt === null ? null : dialect.timestamp(r.deliveredAt),
          })
          .onConflict((oc) => oc.doNothing())
          .returningAll()
          .executeTakeFirst();
        return { request: stored === undefined ? r : toContact(dialect, stored), created: true };
      });
    },
    markContactDelivered: async (customerId, id, at) => {
      const when = dialect.timestamp(checkedInstant(at, 'a delivery time'));
      return db.run(async () => {
        const r = await kysely
          .updateTable('sdm_contact_requests')
          .set((eb) => ({ delivered_at: eb.fn.coalesce('delivered_at', eb.val(when)) }))
          .where((eb) => eb.and({ customer_id: customerId, id }))
          .executeTakeFirst();
        return r.numUpdatedRows > 0n;
      });
    },
    listContactRequests: (customerId, limit) =>
      db.run(async () =>
        (await of(customerId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(
          (row) => toContact(dialect, row),
        ),
      ),
    listUndeliveredContactRequests: async (customerId, since, limit) => {
      const from = dialect.timestamp(checkedInstant(since, 'since'));
      return db.run(async () =>
        (
          await of(customerId)
            .where('delivered_at', 'is', null)
            .where('conversation', 'is not', null)
            .where('created_at', '>=', from)
            .orderBy('created_at')
            .orderBy('id')
            .limit(limit)
            .execute()
        ).map((row) => toContact(dialect, row)),
      );
    },
    purgeContactRequestsBefore: async (cutoff) => {
      const before = dialect.timestamp(checkedInstant(cutoff, 'cutoff'));
      return db.run(async () => {
        const r = await kysely
          .deleteFrom('sdm_contact_requests')
          .where('created_at', '<', before)
          .executeTakeFirst();
        return Number(r.numDeletedRows);
      });
    },
  };
}
