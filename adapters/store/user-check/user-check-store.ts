import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Platform } from '../../../bot/domain/actor.js';
import type { ConversationRef } from '../../../bot/domain/conversation.js';
import {
  type PersonAddress,
  USER_CHECK_ANSWERS,
  type UserCheck,
  type UserCheckAnswer,
} from '../../../bot/domain/user-check.js';
import { BotError } from '../../../bot/errors.js';
import type { UserCheckStore } from '../../../bot/user-check/user-check-ports.js';
import { checkedInstant } from '../checked-instant.js';
import type { Dialect } from '../dialect.js';
import type { FeatureHost } from '../host.js';
import { USER_CHECKS_SCHEMA, type UserCheckTables } from './schema.js';

// "Was this you?" questions, written once for both databases. Creation relies on the partial unique index (one
// open question per person and incident): a concurrent second insert does nothing and the open one is read
// back. Every transition is one conditional UPDATE on the state, so a second click, a second pass or a
// second instance finds nothing left to change.

type Table = UserCheckTables['user_checks'];
type Row = Selectable<Table>;

const answerOf = (v: string | null): UserCheckAnswer | null =>
  v !== null && (USER_CHECK_ANSWERS as readonly string[]).includes(v) ? (v as UserCheckAnswer) : null;

function toCheck(d: Dialect, r: Row): UserCheck {
  return {
    id: r.id,
    customerId: r.customer_id,
    incidentId: r.incident_id,
    upn: r.upn,
    platform: r.platform as Platform,
    targetUserId: r.target_user_id,
    dm: r.dm === null ? null : d.readJson<ConversationRef>(r.dm),
    dmMessageId: r.dm_message_id,
    seen: r.seen,
    requesterId: r.requester_id,
    requester: d.readJson<PersonAddress>(r.requester),
    state: r.state as UserCheck['state'],
    answer: answerOf(r.answer),
    note: r.note,
    answeredAt: d.readTimestamp(r.answered_at),
    reason: r.reason,
    createdAt: d.readTimestamp(r.created_at),
    remindedAt: d.readTimestamp(r.reminded_at),
    escalatedAt: d.readTimestamp(r.escalated_at),
    comment: r.comment as UserCheck['comment'],
    commentAttempts: d.readInt(r.comment_attempts),
  };
}

/** Opens the store on the core store's database, migrating its table first. */
export async function createUserCheckStore(host: FeatureHost): Promise<UserCheckStore> {
  await host.db.migrate(USER_CHECKS_SCHEMA);
  const db = host.db.withTables<UserCheckTables>();
  const { kysely, dialect: d } = db;
  const rows = (k: Kysely<UserCheckTables> = kysely) => k.selectFrom('user_checks').selectAll();
  const one = (row: Row | undefined): UserCheck | null => (row === undefined ? null : toCheck(d, row));
  /** An instant for a timestamp column; text that is none is refused before anything is written. */
  const stamp = (at: string, what: string) => d.timestamp(checkedInstant(at, what));
  /** One conditional UPDATE of a question still asked, RETURNING it; null when it was not asked any more. */
  const whileAsked = (customer_id: string, id: string, set: Updateable<Table>) =>
    db.run(async () =>
      one(
        await kysely
          .updateTable('user_checks')
          .set(set)
          .where((eb) => eb.and({ customer_id, id, state: 'asked' }))
          .returningAll()
          .executeTakeFirst(),
      ),
    );

  return {
    async create(draft) {
      const key = {
        customer_id: draft.customerId,
        incident_id: draft.incidentId,
        upn_key: draft.upn.toLowerCase(),
        state: 'asked',
      };
      const values = {
        ...{ id: draft.id, customer_id: draft.customerId, incident_id: draft.incidentId, upn: draft.upn },
        ...{ upn_key: key.upn_key, platform: draft.platform, target_user_id: draft.targetUserId },
        ...{ dm: draft.dm === null ? null : d.json(draft.dm), seen: draft.seen, state: 'asked' },
        ...{ requester_id: draft.requesterId, requester: d.json(draft.requester) },
        created_at: stamp(draft.createdAt, 'the question time'),
      };
      const open = (trx: Kysely<UserCheckTables>) =>
        rows(trx)
          .where((eb) => eb.and(key))
          .executeTakeFirst();
      return db.tx(async (trx) => {
        const existing = await open(trx);
        if (existing !== undefined) return { check: toCheck(d, existing), created: false };
        const inserted = await trx
          .insertInto('user_checks')
          .values(values)
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        // Nothing inserted: a concurrent create won (its question is open now), or the id is taken.
        const check = await open(trx);
        if (check === undefined) throw new BotError('conflict', `user check ${draft.id} already exists`);
        const created = (inserted.numInsertedOrUpdatedRows ?? 0n) > 0n && check.id === draft.id;
        return { check: toCheck(d, check), created };
      });
    },
    get: (customerId, id) =>
      db.run(async () =>
        one(await rows().where('customer_id', '=', customerId).where('id', '=', id).executeTakeFirst()),
      ),
    listForIncident: (customerId, incidentId) =>
      db.run(async () => {
        const theirs = rows().where((eb) => eb.and({ customer_id: customerId, incident_id: incidentId }));
        return (await theirs.orderBy('created_at').orderBy('id').execute()).map((r) => toCheck(d, r));
      }),
    setSent: (customerId, id, messageId) => whileAsked(customerId, id, { dm_message_id: messageId }),
    setUnreachable: (customerId, id, reason) => whileAsked(customerId, id, { state: 'unreachable', reason }),
    answer: async (customerId, id, answer, note, at) => {
      const answered_at = stamp(at, 'the answer time');
      return whileAsked(customerId, id, { state: 'answered', answer, note, answered_at, comment: 'pending' });
    },
    cancel: async (customerId, id, by, at) => {
      const answered_at = stamp(at, 'the withdrawal time');
      return whileAsked(customerId, id, { state: 'cancelled', reason: `withdrawn by ${by}`, answered_at });
    },
    listAskedBefore: async (before, limit) => {
      const cutoff = stamp(before, 'the reminder cutoff');
      return db.run(async () => {
        const due = rows()
          .where('state', '=', 'asked')
          .where('created_at', '<', cutoff)
          .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('escalated_at', 'is', null)]));
        const oldest = due.orderBy('created_at').orderBy('id').limit(limit);
        return (await oldest.execute()).map((r) => toCheck(d, r));
      });
    },
    markStage: async (customerId, id, stage, at) => {
      const column = stage === 'reminded' ? 'reminded_at' : 'escalated_at';
      const when = stamp(at, `the ${stage} time`);
      return db.run(async () => {
        const r = await kysely
          .updateTable('user_checks')
          .set({ [column]: when })
          .where((eb) => eb.and({ customer_id: customerId, id, state: 'asked' }))
          .where(column, 'is', null)
          .executeTakeFirst();
        return r.numUpdatedRows > 0n;
      });
    },
    listUncommented: (maxAttempts, limit) =>
      db.run(async () => {
        const pending = rows().where('comment', '=', 'pending').where('comment_attempts', '<', maxAttempts);
        const oldest = pending.orderBy('answered_at').orderBy('id').limit(limit);
        return (await oldest.execute()).map((r) => toCheck(d, r));
      }),
    markCommented: (customerId, id, ok) =>
      db.run(async () => {
        // A written comment stays written: only a pending one counts attempts.
        await kysely
          .updateTable('user_checks')
          .set((eb) => ({
            comment_attempts: eb('comment_attempts', '+', 1),
            ...(ok ? { comment: 'written' } : {}),
          }))
          .where((eb) => eb.and({ customer_id: customerId, id, comment: 'pending' }))
          .execute();
      }),
  };
}
