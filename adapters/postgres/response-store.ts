import type { ActionRecord, ResponseStore } from '../../bot/response/ports.js';
import { type AuditRow, type RecordRow, toAudit, toRecord } from '../rows/response-rows.js';
import { type PgFeatureHost, pgGuard } from './feature-host.js';
import type { PgSchemaModule } from './migrations.js';
import { inTransaction } from './tx.js';

// Guided response's tables on PostgreSQL (module 'response'), the twin of adapters/sqlite/response-store.ts:
// the bot's record per action (compare-and-set on a version under a row lock, so two clicks on two
// instances cannot both apply) and the append-only audit log.

/** The module's own schema steps; the factory below applies them before handing out the store. */
export const RESPONSE_MODULE: PgSchemaModule = {
  module: 'response',
  migrations: [
    {
      version: 1,
      description: 'guided-response action records and audit log',
      up: `
        CREATE TABLE response_actions (
          customer_id text COLLATE "C" NOT NULL,
          incident_id text COLLATE "C" NOT NULL,
          action_id text COLLATE "C" NOT NULL,
          state text NOT NULL,
          by_name text NOT NULL,
          at text COLLATE "C" NOT NULL,
          note text,
          remote_id text,
          version integer NOT NULL,
          PRIMARY KEY (customer_id, incident_id, action_id)
        );
        CREATE INDEX response_actions_running ON response_actions (state, at);
        CREATE TABLE response_audit (
          id text COLLATE "C" PRIMARY KEY,
          customer_id text NOT NULL,
          incident_id text NOT NULL,
          action_id text NOT NULL,
          event text NOT NULL,
          actor text NOT NULL,
          actor_name text NOT NULL,
          at text COLLATE "C" NOT NULL,
          text text NOT NULL,
          commented_at text,
          comment_attempts integer NOT NULL DEFAULT 0
        );
        CREATE INDEX response_audit_incident ON response_audit (customer_id, incident_id, at);
        CREATE INDEX response_audit_uncommented ON response_audit (at) WHERE commented_at IS NULL;`,
    },
  ],
};

export async function createPostgresResponseStore(host: PgFeatureHost): Promise<ResponseStore> {
  await host.migrateModule(RESPONSE_MODULE);
  const { pool } = host;
  const base = { run: pgGuard(host.target) };
  return {
    record: (draft) =>
      base.run(() =>
        inTransaction(pool, async (c) => {
          const r = draft.record;
          const a = draft.audit;
          if (a.customerId !== r.customerId || a.incidentId !== r.incidentId || a.actionId !== r.actionId) {
            throw new Error('an audit line must belong to the action it records');
          }
          // The first write of an action has no row to lock: a placeholder at version 0 makes it lockable.
          await c.query(
            `INSERT INTO response_actions (customer_id, incident_id, action_id, state, by_name, at, version)
             VALUES ($1, $2, $3, 'inProgress', '', '', 0) ON CONFLICT DO NOTHING`,
            [r.customerId, r.incidentId, r.actionId],
          );
          const current = await c.query<{ version: number }>(
            `SELECT version FROM response_actions WHERE customer_id = $1 AND incident_id = $2 AND action_id = $3
               FOR UPDATE`,
            [r.customerId, r.incidentId, r.actionId],
          );
          if ((current.rows[0]?.version ?? 0) !== draft.expectedVersion) {
            throw new VersionMoved();
          }
          const next: ActionRecord = { ...r, version: draft.expectedVersion + 1 };
          await c.query(
            `UPDATE response_actions SET state = $4, by_name = $5, at = $6, note = $7, remote_id = $8, version = $9
              WHERE customer_id = $1 AND incident_id = $2 AND action_id = $3`,
            [
              r.customerId,
              r.incidentId,
              r.actionId,
              next.state,
              next.by,
              next.at,
              next.note,
              next.remoteId,
              next.version,
            ],
          );
          await c.query(
            `INSERT INTO response_audit (id, customer_id, incident_id, action_id, event, actor, actor_name, at, text)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [a.id, a.customerId, a.incidentId, a.actionId, a.event, a.actor, a.actorName, a.at, a.text],
          );
          return next;
        }).catch((error: unknown) => {
          // Rolled back (the placeholder too): someone acted first.
          if (error instanceof VersionMoved) return null;
          throw error;
        }),
      ),
    setRemoteId: (customerId, incidentId, actionId, remoteId, expectedVersion) =>
      base.run(async () => {
        // Guarded: only the run that was started (in progress, at the version it was recorded with).
        const r = await pool.query<RecordRow>(
          `UPDATE response_actions SET remote_id = $1, version = version + 1
            WHERE customer_id = $2 AND incident_id = $3 AND action_id = $4 AND version > 0
              AND state = 'inProgress' AND version = $5
            RETURNING *`,
          [remoteId, customerId, incidentId, actionId, expectedVersion],
        );
        return r.rows[0] === undefined ? null : toRecord(r.rows[0]);
      }),
    getRecords: (customerId, incidentId) =>
      base.run(async () => {
        const r = await pool.query<RecordRow>(
          `SELECT * FROM response_actions WHERE customer_id = $1 AND incident_id = $2 AND version > 0
            ORDER BY action_id`,
          [customerId, incidentId],
        );
        return r.rows.map(toRecord);
      }),
    getRecord: (customerId, incidentId, actionId) =>
      base.run(async () => {
        const r = await pool.query<RecordRow>(
          `SELECT * FROM response_actions WHERE customer_id = $1 AND incident_id = $2 AND action_id = $3
             AND version > 0`,
          [customerId, incidentId, actionId],
        );
        return r.rows[0] === undefined ? null : toRecord(r.rows[0]);
      }),
    listRunning: (limit) =>
      base.run(async () => {
        const r = await pool.query<RecordRow>(
          `SELECT * FROM response_actions WHERE state = 'inProgress' AND version > 0
            ORDER BY at, customer_id, incident_id, action_id LIMIT $1`,
          [limit],
        );
        return r.rows.map(toRecord);
      }),
    listAudit: (customerId, incidentId) =>
      base.run(async () => {
        const r = await pool.query<AuditRow>(
          'SELECT * FROM response_audit WHERE customer_id = $1 AND incident_id = $2 ORDER BY at, id',
          [customerId, incidentId],
        );
        return r.rows.map(toAudit);
      }),
    listUncommented: (maxAttempts, limit) =>
      base.run(async () => {
        const r = await pool.query<AuditRow>(
          `SELECT * FROM response_audit WHERE commented_at IS NULL AND comment_attempts < $1
            ORDER BY at, id LIMIT $2`,
          [maxAttempts, limit],
        );
        return r.rows.map(toAudit);
      }),
    markCommented: (customerId, auditId, ok, at) =>
      base.run(async () => {
        await pool.query(
          `UPDATE response_audit SET comment_attempts = comment_attempts + 1,
             commented_at = CASE WHEN $1 THEN $2 ELSE commented_at END
           WHERE customer_id = $3 AND id = $4`,
          [ok, at, customerId, auditId],
        );
      }),
  };
}

/** Internal: the compare-and-set lost; rolls the transaction back and becomes a null answer. */
class VersionMoved extends Error {
  constructor() {
    super('the action record moved on');
    this.name = 'VersionMoved';
  }
}
