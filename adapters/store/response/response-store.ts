import type { Selectable } from 'kysely';
import { BotError } from '../../../bot/errors.js';
import type {
  ActionRecord,
  AuditEntry,
  AuditEvent,
  RecordedState,
  ResponseStore,
} from '../../../bot/response/ports.js';
import { checkedInstant, isInstant } from '../checked-instant.js';
import type { FeatureHost } from '../host.js';
import { RESPONSE_SCHEMA, type ResponseTables } from './schema.js';

// Guided response's store, written once for both databases: the bot's record per action (compare-and-set on a
// version, so two clicks, on one instance or two, cannot both apply) and the append-only audit log.

type RecordRow = Selectable<ResponseTables['response_actions']>;
type AuditRow = Selectable<ResponseTables['response_audit']>;

export async function createResponseStore(host: FeatureHost): Promise<ResponseStore> {
  await host.db.migrate(RESPONSE_SCHEMA);
  const db = host.db.withTables<ResponseTables>();
  const { kysely, dialect } = db;
  const toRecord = (r: RecordRow): ActionRecord => ({
    customerId: r.customer_id,
    incidentId: r.incident_id,
    actionId: r.action_id,
    state: r.state as RecordedState,
    by: r.by_name,
    at: dialect.readTimestamp(r.at),
    note: r.note,
    remoteId: r.remote_id,
    version: r.version,
  });
  const toAudit = (r: AuditRow): AuditEntry => ({
    id: r.id,
    customerId: r.customer_id,
    incidentId: r.incident_id,
    actionId: r.action_id,
    event: r.event as AuditEvent,
    actor: r.actor,
    actorName: r.actor_name,
    at: dialect.readTimestamp(r.at),
    text: r.text,
    commentedAt: dialect.readTimestamp(r.commented_at),
    commentAttempts: r.comment_attempts,
  });
  const action = (customerId: string, incidentId: string) =>
    kysely
      .selectFrom('response_actions')
      .selectAll()
      .where('customer_id', '=', customerId)
      .where('incident_id', '=', incidentId);

  const audits = (customerId: string) =>
    kysely.selectFrom('response_audit').selectAll().where('customer_id', '=', customerId);

  return {
    record: (draft) => {
      const r = draft.record;
      const a = draft.audit;
      if (a.customerId !== r.customerId || a.incidentId !== r.incidentId || a.actionId !== r.actionId) {
        return Promise.reject(new Error('an audit line must belong to the action it records'));
      }
      if (!isInstant(r.at) || !isInstant(a.at)) {
        return Promise.reject(new BotError('bad_input', `an action's times must be ISO instants`));
      }
      const next: ActionRecord = { ...r, version: draft.expectedVersion + 1 };
      const row = {
        state: next.state,
        by_name: next.by,
        at: dialect.timestamp(next.at),
        note: next.note,
        remote_id: next.remoteId,
        version: next.version,
      };
      const key = { customer_id: r.customerId, incident_id: r.incidentId, action_id: r.actionId };
      return db.tx(async (trx) => {
        // The compare-and-set is one statement: the first write inserts (a row there already means someone
        // acted first), a later one updates only the version it saw (a concurrent one waits, then misses).
        const written =
          draft.expectedVersion === 0
            ? (
                await trx
                  .insertInto('response_actions')
                  .values({ ...key, ...row })
                  .onConflict((oc) => oc.doNothing())
                  .executeTakeFirst()
              ).numInsertedOrUpdatedRows
            : (
                await trx
                  .updateTable('response_actions')
                  .set(row)
                  .where('customer_id', '=', r.customerId)
                  .where('incident_id', '=', r.incidentId)
                  .where('action_id', '=', r.actionId)
                  .where('version', '=', draft.expectedVersion)
                  .executeTakeFirst()
              ).numUpdatedRows;
        if (written === undefined || written === 0n) return null;
        await trx
          .insertInto('response_audit')
          .values({
            id: a.id,
            customer_id: a.customerId,
            incident_id: a.incidentId,
            action_id: a.actionId,
            event: a.event,
            actor: a.actor,
            actor_name: a.actorName,
            at: dialect.timestamp(a.at),
            text: a.text,
          })
          .execute();
        return next;
      });
    },
    setRemoteId: (customerId, incidentId, actionId, remoteId, expectedVersion) =>
      db.run(async () => {
        // Only the run that was started (in progress, at the version it was recorded with).
        const row = await kysely
          .updateTable('response_actions')
          .set((eb) => ({ remote_id: remoteId, version: eb('version', '+', 1) }))
          .where('customer_id', '=', customerId)
          .where('incident_id', '=', incidentId)
          .where('action_id', '=', actionId)
          .where('state', '=', 'inProgress')
          .where('version', '=', expectedVersion)
          .returningAll()
          .executeTakeFirst();
        return row === undefined ? null : toRecord(row);
      }),
    getRecords: (customerId, incidentId) =>
      db.run(async () => (await action(customerId, incidentId).orderBy('action_id').execute()).map(toRecord)),
    getRecord: (customerId, incidentId, actionId) =>
      db.run(async () => {
        const row = await action(customerId, incidentId).where('action_id', '=', actionId).executeTakeFirst();
        return row === undefined ? null : toRecord(row);
      }),
    listRunning: (limit) =>
      db.run(async () =>
        (
          await kysely
            .selectFrom('response_actions')
            .selectAll()
            .where('state', '=', 'inProgress')
            .orderBy('at')
            .orderBy('customer_id')
            .orderBy('incident_id')
            .orderBy('action_id')
            .limit(limit)
            .execute()
        ).map(toRecord),
      ),
    listAudit: (customerId, incidentId) =>
      db.run(async () =>
        (
          await audits(customerId).where('incident_id', '=', incidentId).orderBy('at').orderBy('id').execute()
        ).map(toAudit),
      ),
    listUncommented: (maxAttempts, limit) =>
      db.run(async () =>
        (
          await kysely
            .selectFrom('response_audit')
            .selectAll()
            .where('commented_at', 'is', null)
            .where('comment_attempts', '<', maxAttempts)
            .orderBy('at')
            .orderBy('id')
            .limit(limit)
            .execute()
        ).map(toAudit),
      ),
    markCommented: (customerId, auditId, ok, at) =>
      db.run(async () => {
        // Text that is no instant is refused, but only for a line the customer has (else nothing to do).
        if (ok && !isInstant(at)) {
          const line = await audits(customerId).where('id', '=', auditId).executeTakeFirst();
          if (line !== undefined) checkedInstant(at, 'the comment time');
          return;
        }
        await kysely
          .updateTable('response_audit')
          .set((eb) => ({
            comment_attempts: eb('comment_attempts', '+', 1),
            ...(ok ? { commented_at: dialect.timestamp(at) } : {}),
          }))
          .where('customer_id', '=', customerId)
          .where('id', '=', auditId)
          .execute();
      }),
  };
}
