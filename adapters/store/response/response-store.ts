import type { Selectable } from 'kysely';
import { BotError } from '../../../bot/errors.js';
import type { ActionRecord, AuditEntry, ResponseStore } from '../../../bot/response/response-ports.js';
import { checkedInstant, isInstant } from '../checked-instant.js';
import { rowsOf } from '../feature-kit.js';
import type { FeatureHost } from '../host.js';
import { RESPONSE_SCHEMA, type ResponseTables } from './response-schema.js';

// Guided response's store, written once for both databases: the bot's record per action (compare-and-set on a
// version, so two clicks, on one instance or two, cannot both apply) and the append-only audit log.

type RecordRow = Selectable<ResponseTables['response_actions']>;
type AuditRow = Selectable<ResponseTables['response_audit']>;

export async function createResponseStore(host: FeatureHost): Promise<ResponseStore> {
  await host.db.migrate(RESPONSE_SCHEMA);
  const db = host.db.withTables<ResponseTables>();
  const { kysely, dialect: d } = db;
  const toRecord = (r: RecordRow): ActionRecord => ({
    ...{ customerId: r.customer_id, incidentId: r.incident_id, actionId: r.action_id },
    ...{ state: r.state as ActionRecord['state'], by: r.by_name, at: d.readTimestamp(r.at), note: r.note },
    ...{ remoteId: r.remote_id, version: r.version },
  });
  const toAudit = (r: AuditRow): AuditEntry => ({
    ...{ id: r.id, customerId: r.customer_id, incidentId: r.incident_id, actionId: r.action_id },
    ...{ event: r.event as AuditEntry['event'], actor: r.actor, actorName: r.actor_name },
    ...{ at: d.readTimestamp(r.at), text: r.text, commentedAt: d.readTimestamp(r.commented_at) },
    commentAttempts: r.comment_attempts,
  });
  const records = rowsOf(toRecord);
  const audits = rowsOf(toAudit);
  const actions = kysely.selectFrom('response_actions').selectAll();
  const lines = kysely.selectFrom('response_audit').selectAll();

  return {
    async record(draft) {
      const { record: r, audit: a, expectedVersion } = draft;
      if (a.customerId !== r.customerId || a.incidentId !== r.incidentId || a.actionId !== r.actionId)
        throw new BotError('bad_input', 'an audit line must belong to the action it records');
      if (!isInstant(r.at) || !isInstant(a.at))
        throw new BotError('bad_input', 'action times must be instants');
      const next: ActionRecord = { ...r, version: expectedVersion + 1 };
      const key = { customer_id: r.customerId, incident_id: r.incidentId, action_id: r.actionId };
      const row = {
        state: r.state,
        by_name: r.by,
        at: d.timestamp(r.at),
        note: r.note,
        remote_id: r.remoteId,
      };
      return db.tx(async (trx) => {
        // One statement each: the first write inserts (a row there means someone acted first), a later one
        // updates only the version it saw (a concurrent one waits for the row, then misses).
        const first = trx.insertInto('response_actions').values({ ...key, ...row, version: 1 });
        const later = trx.updateTable('response_actions').set({ ...row, version: next.version });
        const write =
          expectedVersion === 0
            ? first.onConflict((oc) => oc.doNothing()).returning('version')
            : later.where((eb) => eb.and({ ...key, version: expectedVersion })).returning('version');
        if ((await write.executeTakeFirst()) === undefined) return null;
        const { customerId, incidentId, actionId, actorName, at, ...rest } = a;
        await trx
          .insertInto('response_audit')
          .values({ ...rest, ...key, actor_name: actorName, at: d.timestamp(at) })
          .execute();
        return next;
      });
    },
    setRemoteId: (customer_id, incident_id, action_id, remoteId, version) => {
      // Only the run that was started (in progress, at the version it was recorded with).
      const started = { customer_id, incident_id, action_id, state: 'inProgress', version };
      const run = kysely.updateTable('response_actions').where((eb) => eb.and(started));
      const withRemote = run.set((eb) => ({ remote_id: remoteId, version: eb('version', '+', 1) }));
      return db.run(() => records.one(withRemote.returningAll()));
    },
    getRecords: (customer_id, incident_id) =>
      db.run(() =>
        records.all(actions.where((eb) => eb.and({ customer_id, incident_id })).orderBy('action_id')),
      ),
    getRecord: (customer_id, incident_id, action_id) =>
      db.run(() => records.one(actions.where((eb) => eb.and({ customer_id, incident_id, action_id })))),
    listRunning: (limit) => {
      const running = actions.where('state', '=', 'inProgress').orderBy('at').orderBy('customer_id');
      return db.run(() => records.all(running.orderBy('incident_id').orderBy('action_id').limit(limit)));
    },
    listAudit: (customer_id, incident_id) => {
      const theirs = lines.where((eb) => eb.and({ customer_id, incident_id }));
      return db.run(() => audits.all(theirs.orderBy('at').orderBy('id')));
    },
    listUncommented: (maxAttempts, limit) => {
      const due = lines.where('commented_at', 'is', null).where('comment_attempts', '<', maxAttempts);
      return db.run(() => audits.all(due.orderBy('at').orderBy('id').limit(limit)));
    },
    markCommented: (customer_id, id, ok, at) =>
      db.run(async () => {
        // Text that is no instant is refused, but only for a line the customer has (else nothing to do).
        if (ok && !isInstant(at)) {
          const known = await lines.where((eb) => eb.and({ customer_id, id })).executeTakeFirst();
          if (known !== undefined) checkedInstant(at, 'the comment time');
          return;
        }
        const line = kysely.updateTable('response_audit').where((eb) => eb.and({ customer_id, id }));
        const commented = ok ? { commented_at: d.timestamp(at) } : {};
        await line
          .set((eb) => ({ comment_attempts: eb('comment_attempts', '+', 1), ...commented }))
          .execute();
      }),
  };
}
