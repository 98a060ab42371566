import type { Kysely, Selectable, Updateable } from 'kysely';
import { USER_CHECK_ANSWERS, type UserCheck } from '../../../bot/domain/user-check.js';
import { BotError } from '../../../bot/errors.js';
import type { UserCheckStore } from '../../../bot/user-check/user-check-ports.js';
import type { Dialect } from '../dialect.js';
import { oneOf, rowsOf, stamp, written } from '../feature-kit.js';
import type { FeatureHost } from '../host.js';
import { USER_CHECKS_SCHEMA, type UserCheckTables } from './user-check-schema.js';

// "Was this you?" questions, written once for both databases. Creation relies on the partial unique index (one
// open question per person and incident): a concurrent second insert does nothing and the open one is read
// back. Every transition is one conditional UPDATE on the state, so a second click, a second pass or a
// second instance finds nothing left to change.

type Table = UserCheckTables['user_checks'];

const toCheck = (d: Dialect, r: Selectable<Table>): UserCheck => ({
  ...{ id: r.id, customerId: r.customer_id, incidentId: r.incident_id, upn: r.upn, seen: r.seen },
  ...{ platform: r.platform as UserCheck['platform'], targetUserId: r.target_user_id },
  ...{ dm: r.dm === null ? null : d.readJson(r.dm), dmMessageId: r.dm_message_id },
  ...{ requesterId: r.requester_id, requester: d.readJson(r.requester) },
  ...{ state: r.state as UserCheck['state'], note: r.note, reason: r.reason },
  answer: r.answer === null ? null : oneOf(USER_CHECK_ANSWERS, r.answer, null),
  ...{ answeredAt: d.readTimestamp(r.answered_at), createdAt: d.readTimestamp(r.created_at) },
  ...{ remindedAt: d.readTimestamp(r.reminded_at), escalatedAt: d.readTimestamp(r.escalated_at) },
  ...{ comment: r.comment as UserCheck['comment'], commentAttempts: d.readInt(r.comment_attempts) },
});

/** Opens the store on the core store's database, migrating its table first. */
export async function createUserCheckStore(host: FeatureHost): Promise<UserCheckStore> {
  await host.db.migrate(USER_CHECKS_SCHEMA);
  const db = host.db.withTables<UserCheckTables>();
  const { kysely, dialect: d } = db;
  const checks = rowsOf((r: Selectable<Table>) => toCheck(d, r));
  const rows = (k: Kysely<UserCheckTables> = kysely) => k.selectFrom('user_checks').selectAll();
  /** An UPDATE of a question still asked: a second click, pass or instance finds nothing left to change. */
  const asked = (customer_id: string, id: string) =>
    kysely.updateTable('user_checks').where((eb) => eb.and({ customer_id, id, state: 'asked' }));
  /** The question changed by `set` while it was asked; null when it was not asked any more. */
  const whileAsked = (customerId: string, id: string, set: Updateable<Table>) =>
    db.run(() => checks.one(asked(customerId, id).set(set).returningAll()));

  return {
    async create(draft) {
      const { customerId: customer_id, incidentId: incident_id } = draft;
      const open = { customer_id, incident_id, upn_key: draft.upn.toLowerCase(), state: 'asked' };
      const row = {
        ...open,
        ...{ id: draft.id, upn: draft.upn, platform: draft.platform, target_user_id: draft.targetUserId },
        ...{ dm: draft.dm === null ? null : d.json(draft.dm), seen: draft.seen },
        ...{ requester_id: draft.requesterId, requester: d.json(draft.requester) },
        created_at: stamp(d, draft.createdAt, 'the question time'),
      };
      return db.tx(async (trx) => {
        const existing = await checks.one(rows(trx).where((eb) => eb.and(open)));
        if (existing !== null) return { check: existing, created: false };
        const insert = trx.insertInto('user_checks').values(row);
        const inserted = await written(insert.onConflict((oc) => oc.doNothing()));
        // Nothing inserted: a concurrent create won (its question is open now), or the id is taken.
        const check = await checks.one(rows(trx).where((eb) => eb.and(open)));
        if (check === null) throw new BotError('conflict', `user check ${draft.id} already exists`);
        return { check, created: inserted > 0 && check.id === draft.id };
      });
    },
    get: (customer_id, id) => db.run(() => checks.one(rows().where((eb) => eb.and({ customer_id, id })))),
    listForIncident: (customer_id, incident_id) => {
      const theirs = rows().where((eb) => eb.and({ customer_id, incident_id }));
      return db.run(() => checks.all(theirs.orderBy('created_at').orderBy('id')));
    },
    setSent: (customerId, id, messageId) => whileAsked(customerId, id, { dm_message_id: messageId }),
    setUnreachable: (customerId, id, reason) => whileAsked(customerId, id, { state: 'unreachable', reason }),
    answer: async (customerId, id, answer, note, at) => {
      const answered_at = stamp(d, at, 'the answer time');
      return whileAsked(customerId, id, { state: 'answered', answer, note, answered_at, comment: 'pending' });
    },
    cancel: async (customerId, id, by, at) => {
      const answered_at = stamp(d, at, 'the withdrawal time');
      return whileAsked(customerId, id, { state: 'cancelled', reason: `withdrawn by ${by}`, answered_at });
    },
    listAskedBefore: async (before, limit) => {
      const cutoff = stamp(d, before, 'the reminder cutoff');
      const due = rows()
        .where('state', '=', 'asked')
        .where('created_at', '<', cutoff)
        .where((eb) => eb.or([eb('reminded_at', 'is', null), eb('escalated_at', 'is', null)]));
      return db.run(() => checks.all(due.orderBy('created_at').orderBy('id').limit(limit)));
    },
    markStage: async (customerId, id, stage, at) => {
      const column = stage === 'reminded' ? 'reminded_at' : 'escalated_at';
      const when = stamp(d, at, `the ${stage} time`);
      const unstamped = asked(customerId, id).where(column, 'is', null);
      return db.run(async () => (await written(unstamped.set({ [column]: when }))) > 0);
    },
    listUncommented: (maxAttempts, limit) => {
      const pending = rows().where('comment', '=', 'pending').where('comment_attempts', '<', maxAttempts);
      return db.run(() => checks.all(pending.orderBy('answered_at').orderBy('id').limit(limit)));
    },
    markCommented: (customer_id, id, ok) =>
      db.run(async () => {
        // A written comment stays written: only a pending one counts attempts.
        await kysely
          .updateTable('user_checks')
          .set((eb) => ({
            comment_attempts: eb('comment_attempts', '+', 1),
            comment: ok ? 'written' : 'pending',
          }))
          .where((eb) => eb.and({ customer_id, id, comment: 'pending' }))
          .execute();
      }),
  };
}
