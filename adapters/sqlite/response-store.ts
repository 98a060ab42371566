import type Database from 'better-sqlite3';
import type { ActionRecord, RecordDraft, ResponseStore } from '../../bot/response/ports.js';
import { type AuditRow, type RecordRow, toAudit, toRecord } from '../rows/response-rows.js';
import { migrateModule } from './module-migrations.js';
import type { SqliteStore } from './sqlite-store.js';

// Guided response's tables in the bot's SQLite file (module 'response'): the bot's record per action
// (compare-and-set on a version, so two clicks cannot both apply) and the append-only audit log.

const MIGRATIONS = [
  {
    version: 1,
    description: 'guided-response action records and audit log',
    up: `
      CREATE TABLE response_actions (
        customer_id TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        state TEXT NOT NULL,
        by_name TEXT NOT NULL,
        at TEXT NOT NULL,
        note TEXT,
        remote_id TEXT,
        version INTEGER NOT NULL,
        PRIMARY KEY (customer_id, incident_id, action_id)
      );
      CREATE INDEX response_actions_running ON response_actions (state, at);
      CREATE TABLE response_audit (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        incident_id TEXT NOT NULL,
        action_id TEXT NOT NULL,
        event TEXT NOT NULL,
        actor TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        at TEXT NOT NULL,
        text TEXT NOT NULL,
        commented_at TEXT,
        comment_attempts INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX response_audit_incident ON response_audit (customer_id, incident_id, at);
      CREATE INDEX response_audit_uncommented ON response_audit (commented_at, at);
    `,
  },
] as const;

/** Creates the response store on the SQLite store's connection (its tables migrate on creation). */
export function createSqliteResponseStore(
  store: Pick<SqliteStore, 'database' | 'file' | 'logger'>,
): ResponseStore {
  const db: Database.Database = store.database;
  migrateModule(db, store.file, store.logger, { module: 'response', migrations: MIGRATIONS });

  const one = db.prepare<[string, string, string], RecordRow>(
    'SELECT * FROM response_actions WHERE customer_id = ? AND incident_id = ? AND action_id = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO response_actions (customer_id, incident_id, action_id, state, by_name, at, note, remote_id, version)
       VALUES (@customerId, @incidentId, @actionId, @state, @by, @at, @note, @remoteId, @version)
     ON CONFLICT (customer_id, incident_id, action_id) DO UPDATE SET
       state = excluded.state, by_name = excluded.by_name, at = excluded.at, note = excluded.note,
       remote_id = excluded.remote_id, version = excluded.version`,
  );
  const insertAudit = db.prepare(
    `INSERT INTO response_audit (id, customer_id, incident_id, action_id, event, actor, actor_name, at, text)
       VALUES (@id, @customerId, @incidentId, @actionId, @event, @actor, @actorName, @at, @text)`,
  );
  const setRemote = db.prepare(
    `UPDATE response_actions SET remote_id = ?, version = version + 1
       WHERE customer_id = ? AND incident_id = ? AND action_id = ? AND state = 'inProgress' AND version = ?`,
  );
  const byIncident = db.prepare<[string, string], RecordRow>(
    'SELECT * FROM response_actions WHERE customer_id = ? AND incident_id = ? ORDER BY action_id',
  );
  const running = db.prepare<[number], RecordRow>(
    `SELECT * FROM response_actions WHERE state = 'inProgress' ORDER BY at, customer_id, incident_id, action_id LIMIT ?`,
  );
  const audit = db.prepare<[string, string], AuditRow>(
    'SELECT * FROM response_audit WHERE customer_id = ? AND incident_id = ? ORDER BY at, id',
  );
  const uncommented = db.prepare<[number, number], AuditRow>(
    'SELECT * FROM response_audit WHERE commented_at IS NULL AND comment_attempts < ? ORDER BY at, id LIMIT ?',
  );
  const commented = db.prepare(
    `UPDATE response_audit SET comment_attempts = comment_attempts + 1,
       commented_at = CASE WHEN @ok = 1 THEN @at ELSE commented_at END
     WHERE customer_id = @customerId AND id = @id`,
  );

  const record = db.transaction((draft: RecordDraft): ActionRecord | null => {
    const r = draft.record;
    const current = one.get(r.customerId, r.incidentId, r.actionId);
    if ((current?.version ?? 0) !== draft.expectedVersion) return null;
    const a = draft.audit;
    if (a.customerId !== r.customerId || a.incidentId !== r.incidentId || a.actionId !== r.actionId) {
      throw new Error('an audit line must belong to the action it records');
    }
    const next = { ...r, version: draft.expectedVersion + 1 };
    upsert.run(next);
    insertAudit.run(a);
    return next;
  });

  const attach = db.transaction(
    (customerId: string, incidentId: string, actionId: string, remoteId: string, expected: number) => {
      const changed = setRemote.run(remoteId, customerId, incidentId, actionId, expected).changes;
      const row = changed === 1 ? one.get(customerId, incidentId, actionId) : undefined;
      return row === undefined ? null : toRecord(row);
    },
  );

  return {
    async record(draft) {
      return record.immediate(draft);
    },
    async setRemoteId(customerId, incidentId, actionId, remoteId, expectedVersion) {
      return attach.immediate(customerId, incidentId, actionId, remoteId, expectedVersion);
    },
    async getRecords(customerId, incidentId) {
      return byIncident.all(customerId, incidentId).map(toRecord);
    },
    async getRecord(customerId, incidentId, actionId) {
      const row = one.get(customerId, incidentId, actionId);
      return row === undefined ? null : toRecord(row);
    },
    async listRunning(limit) {
      return running.all(limit).map(toRecord);
    },
    async listAudit(customerId, incidentId) {
      return audit.all(customerId, incidentId).map(toAudit);
    },
    async listUncommented(maxAttempts, limit) {
      return uncommented.all(maxAttempts, limit).map(toAudit);
    },
    async markCommented(customerId, auditId, ok, at) {
      commented.run({ customerId, id: auditId, ok: ok ? 1 : 0, at });
    },
  };
}
