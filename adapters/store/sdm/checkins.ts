import type { Kysely } from 'kysely';
import { BotError } from '../../../bot/errors.js';
import { type Checkin, ITEM_STATES, type ItemSeed, type SdmStore } from '../../../bot/sdm/sdm-ports.js';
import { checkedInstant } from '../checked-instant.js';
import type { CoreTables } from '../tables.js';
import { lockCustomer, type SdmDb, toCheckin, toItem } from './rows.js';
import type { SdmTables } from './schema.js';

// Readiness check-ins: the checklist items (the customer's own fields kept across refreshes), numbered
// check-ins with their snapshot, and where each check-in's card was posted.

type Q = Kysely<CoreTables & SdmTables>;
type CheckinMethods = Pick<
  SdmStore,
  | 'startCheckin'
  | 'latestCheckin'
  | 'getCheckin'
  | 'listItems'
  | 'updateItem'
  | 'recordCheckinPost'
  | 'listCheckinPosts'
>;

export function checkins(db: SdmDb): CheckinMethods {
  const { kysely, dialect } = db;
  const items = (q: Q, customerId: string) =>
    q
      .selectFrom('sdm_checklist_items')
      .selectAll()
      .where('customer_id', '=', customerId)
      .orderBy('priority')
      .orderBy('item_key');
  const numbered = async (q: Q, customerId: string, n: number | null): Promise<Checkin | null> => {
    const base = q.selectFrom('sdm_checkins').selectAll().where('customer_id', '=', customerId);
    const row = await (n === null
      ? base.orderBy('number', 'desc').limit(1)
      : base.where('number', '=', n)
    ).executeTakeFirst();
    return row === undefined ? null : toCheckin(dialect, row);
  };
  const seed = (trx: Q, customerId: string, s: ItemSeed) => {
    const refreshed = {
      kind: s.kind,
      title: s.title,
      detail: s.detail,
      priority: s.priority,
      experts_note: s.expertsNote,
    };
    return trx
      .insertInto('sdm_checklist_items')
      .values({ customer_id: customerId, item_key: s.key, ...refreshed, state: 'notStarted' })
      .onConflict((oc) => oc.columns(['customer_id', 'item_key']).doUpdateSet(refreshed))
      .execute();
  };

  return {
    startCheckin: async (customerId, seeds, startedBy, at, openAfter) => {
      checkedInstant(at, 'a check-in start');
      const since = openAfter === undefined ? null : Date.parse(checkedInstant(openAfter, 'openAfter'));
      return db.tx(async (trx) => {
        // Starts of one customer take turns here (PostgreSQL holds the row lock to the end; SQLite has one
        // writer), so what is read below is what the start before this one left.
        await lockCustomer(trx, customerId);
        const latest = await numbered(trx, customerId, null);
        if (latest !== null && since !== null && Date.parse(latest.startedAt) > since) {
          const before = latest.number > 1 ? await numbered(trx, customerId, latest.number - 1) : null;
          return { checkin: latest, previous: before, created: false };
        }
        // In key order, so two starts that overlap on PostgreSQL lock shared items in the same order.
        for (const s of [...seeds].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)))
          await seed(trx, customerId, s);
        const snapshot = (await items(trx, customerId).execute()).map((r) => toItem(dialect, r));
        const number = (latest?.number ?? 0) + 1;
        const checkin: Checkin = {
          id: `${customerId}-checkin-${number}`,
          customerId,
          number,
          startedAt: dialect.readTimestamp(dialect.timestamp(at)),
          startedBy,
          snapshot,
        };
        await trx
          .insertInto('sdm_checkins')
          .values({
            customer_id: customerId,
            id: checkin.id,
            number,
            started_at: dialect.timestamp(at),
            started_by: startedBy,
            snapshot: dialect.json(snapshot),
          })
          .execute();
        return { checkin, previous: latest, created: true };
      });
    },
    latestCheckin: (customerId) => db.run(() => numbered(kysely, customerId, null)),
    getCheckin: (customerId, n) => db.run(() => numbered(kysely, customerId, n)),
    listItems: (customerId) =>
      db.run(async () => (await items(kysely, customerId).execute()).map((r) => toItem(dialect, r))),
    async updateItem(customerId, key, patch, by, at) {
      if (patch.state !== undefined && !(ITEM_STATES as readonly string[]).includes(patch.state))
        throw new BotError('bad_input', `unknown item state "${patch.state}"`);
      checkedInstant(at, 'an item update');
      // One statement: a column the patch leaves out is set to itself.
      const row = await db.run(() =>
        kysely
          .updateTable('sdm_checklist_items')
          .set((eb) => ({
            owner: patch.owner === undefined ? eb.ref('owner') : patch.owner,
            due_date: patch.dueDate === undefined ? eb.ref('due_date') : patch.dueDate,
            state: patch.state ?? eb.ref('state'),
            note: patch.note === undefined ? eb.ref('note') : patch.note,
            updated_by: by,
            updated_at: dialect.timestamp(at),
          }))
          .where((eb) => eb.and({ customer_id: customerId, item_key: key }))
          .returningAll()
          .executeTakeFirst(),
      );
      return row === undefined ? null : toItem(dialect, row);
    },
    recordCheckinPost: (p) =>
      db.run(async () => {
        const conversation = dialect.json(p.conversation);
        await kysely
          .insertInto('sdm_checkin_posts')
          .values({
            customer_id: p.customerId,
            checkin_id: p.checkinId,
            conversation_id: p.conversation.id,
            conversation,
            message_id: p.messageId,
          })
          .onConflict((oc) =>
            oc
              .columns(['customer_id', 'checkin_id', 'conversation_id'])
              .doUpdateSet({ conversation, message_id: p.messageId }),
          )
          .execute();
      }),
    listCheckinPosts: (customerId, checkinId) =>
      db.run(async () => {
        const rows = await kysely
          .selectFrom('sdm_checkin_posts')
          .select(['conversation', 'message_id'])
          .where((eb) => eb.and({ customer_id: customerId, checkin_id: checkinId }))
          .orderBy('conversation_id')
          .execute();
        return rows.map((r) => ({
          customerId,
          checkinId,
          conversation: dialect.readJson(r.conversation),
          messageId: r.message_id,
        }));
      }),
  };
}
