import type { Kysely } from 'kysely';
import { BotError } from '../../../bot/errors.js';
import { type Checkin, ITEM_STATES, type ItemSeed, type SdmStore } from '../../../bot/sdm/sdm-ports.js';
import { checkedInstant } from '../checked-instant.js';
import type { CoreTables } from '../core/core-schema.js';
import { rowsOf } from '../feature-kit.js';
import { lockCustomer, type Row, type SdmDb, toCheckin, toItem } from './rows.js';
import type { SdmTables } from './sdm-schema.js';

// Readiness check-ins: the checklist items (the customer's own fields kept across refreshes), numbered
// check-ins with their snapshot, and where each check-in's card was posted.

type Q = Kysely<CoreTables & SdmTables>;

const byKey = (a: ItemSeed, b: ItemSeed) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function checkins(db: SdmDb) {
  const { kysely, dialect: d } = db;
  const items = rowsOf((r: Row<'sdm_checklist_items'>) => toItem(d, r));
  const checkinsOf = rowsOf((r: Row<'sdm_checkins'>) => toCheckin(d, r));
  const itemsOf = (q: Q, customerId: string) => {
    const theirs = q.selectFrom('sdm_checklist_items').selectAll().where('customer_id', '=', customerId);
    return items.all(theirs.orderBy('priority').orderBy('item_key'));
  };
  /** Check-in number `n`, or the latest when `n` is null. */
  const numbered = (q: Q, customerId: string, n: number | null): Promise<Checkin | null> => {
    const theirs = q.selectFrom('sdm_checkins').selectAll().where('customer_id', '=', customerId);
    return checkinsOf.one(
      n === null ? theirs.orderBy('number', 'desc').limit(1) : theirs.where('number', '=', n),
    );
  };
  /** Adds a seeded item, or refreshes what the Experts own of it (the customer's fields are kept). */
  const seed = (trx: Q, customerId: string, s: ItemSeed) => {
    const experts = { kind: s.kind, title: s.title, detail: s.detail, priority: s.priority };
    const owned = { ...experts, experts_note: s.expertsNote };
    return trx
      .insertInto('sdm_checklist_items')
      .values({ customer_id: customerId, item_key: s.key, ...owned, state: 'notStarted' })
      .onConflict((oc) => oc.columns(['customer_id', 'item_key']).doUpdateSet(owned))
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
        for (const s of [...seeds].sort(byKey)) await seed(trx, customerId, s);
        const snapshot = await itemsOf(trx, customerId);
        const number = (latest?.number ?? 0) + 1;
        const id = `${customerId}-checkin-${number}`;
        const started = { number, started_at: d.timestamp(at), started_by: startedBy };
        await trx
          .insertInto('sdm_checkins')
          .values({ customer_id: customerId, id, ...started, snapshot: d.json(snapshot) })
          .execute();
        const startedAt = d.readTimestamp(started.started_at);
        const checkin: Checkin = { id, customerId, number, startedAt, startedBy, snapshot };
        return { checkin, previous: latest, created: true };
      });
    },
    latestCheckin: (customerId) => db.run(() => numbered(kysely, customerId, null)),
    getCheckin: (customerId, n) => db.run(() => numbered(kysely, customerId, n)),
    listItems: (customerId) => db.run(() => itemsOf(kysely, customerId)),
    async updateItem(customer_id, item_key, patch, by, at) {
      if (patch.state !== undefined && !(ITEM_STATES as readonly string[]).includes(patch.state))
        throw new BotError('bad_input', `unknown item state "${patch.state}"`);
      checkedInstant(at, 'an item update');
      const item = kysely.updateTable('sdm_checklist_items').where((eb) => eb.and({ customer_id, item_key }));
      // One statement: a column the patch leaves out is set to itself.
      const updated = item.set((eb) => ({
        owner: patch.owner === undefined ? eb.ref('owner') : patch.owner,
        due_date: patch.dueDate === undefined ? eb.ref('due_date') : patch.dueDate,
        state: patch.state ?? eb.ref('state'),
        note: patch.note === undefined ? eb.ref('note') : patch.note,
        ...{ updated_by: by, updated_at: d.timestamp(at) },
      }));
      return db.run(() => items.one(updated.returningAll()));
    },
    recordCheckinPost: (p) =>
      db.run(async () => {
        const post = { conversation: d.json(p.conversation), message_id: p.messageId };
        const key = {
          customer_id: p.customerId,
          checkin_id: p.checkinId,
          conversation_id: p.conversation.id,
        };
        await kysely
          .insertInto('sdm_checkin_posts')
          .values({ ...key, ...post })
          .onConflict((oc) => oc.columns(['customer_id', 'checkin_id', 'conversation_id']).doUpdateSet(post))
          .execute();
      }),
    listCheckinPosts: (customer_id, checkin_id) =>
      db.run(async () => {
        const posts = kysely.selectFrom('sdm_checkin_posts').select(['conversation', 'message_id']);
        const theirs = posts.where((eb) => eb.and({ customer_id, checkin_id })).orderBy('conversation_id');
        return (await theirs.execute()).map((r) => ({
          ...{ customerId: customer_id, checkinId: checkin_id },
          ...{ conversation: d.readJson(r.conversation), messageId: r.message_id },
        }));
      }),
  } satisfies Partial<SdmStore>;
}
