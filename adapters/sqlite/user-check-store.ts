import type Database from 'better-sqlite3';
import type { UserCheck } from '../../bot/domain/user-check.js';
import type { UserCheckStore } from '../../bot/user-check/user-check-ports.js';
import {
  draftParams,
  INSERT_COLUMNS,
  type Row,
  toUserCheck,
  USER_CHECKS_V1,
} from '../rows/user-check-rows.js';
import { migrateModule } from './module-migrations.js';
import type { SqliteStore } from './sqlite-store.js';

// "Was this you?" questions on the SQLite store's connection (module 'user_checks'). Every transition is
// one conditional UPDATE on the state, so a second click or a second pass finds nothing to change.

const MIGRATIONS = [{ version: 1, description: 'user checks ("Was this you?")', up: USER_CHECKS_V1 }];

/** Creates the store on the SQLite store's connection, migrating its table first. */
export function createSqliteUserCheckStore(base: SqliteStore): UserCheckStore {
  const db: Database.Database = base.database;
  migrateModule(db, base.file, base.logger, { module: 'user_checks', migrations: MIGRATIONS });
  const marks = INSERT_COLUMNS.map(() => '?').join(', ');
  const s = {
    insert: db.prepare(
      `INSERT INTO user_checks (${INSERT_COLUMNS.join(', ')}) VALUES (${marks}) ON CONFLICT DO NOTHING`,
    ),
    open: db.prepare<[string, string, string], Row>(
      `SELECT * FROM user_checks WHERE customer_id = ? AND incident_id = ? AND upn_key = ? AND state = 'asked'`,
    ),
    get: db.prepare<[string, string], Row>('SELECT * FROM user_checks WHERE customer_id = ? AND id = ?'),
    forIncident: db.prepare<[string, string], Row>(
      'SELECT * FROM user_checks WHERE customer_id = ? AND incident_id = ? ORDER BY created_at, id',
    ),
    askedBefore: db.prepare<[string, number], Row>(
      `SELECT * FROM user_checks WHERE state = 'asked' AND created_at < ?
          AND (reminded_at IS NULL OR escalated_at IS NULL)
        ORDER BY created_at, id LIMIT ?`,
    ),
    uncommented: db.prepare<[number, number], Row>(
      `SELECT * FROM user_checks WHERE comment = 'pending' AND comment_attempts < ?
        ORDER BY answered_at, id LIMIT ?`,
    ),
  };
  const get = (customerId: string, id: string): UserCheck | null => {
    const row = s.get.get(customerId, id);
    return row === undefined ? null : toUserCheck(row);
  };
  /** One conditional UPDATE … RETURNING *, or null when the row was not in an expected state. */
  const update = (sql: string, params: unknown[]): UserCheck | null => {
    const row = db.prepare<unknown[], Row>(`${sql} RETURNING *`).get(...params);
    return row === undefined ? null : toUserCheck(row);
  };
  const create = db.transaction((draft: Parameters<UserCheckStore['create']>[0]) => {
    const existing = s.open.get(draft.customerId, draft.incidentId, draft.upn.toLowerCase());
    if (existing !== undefined) return { check: toUserCheck(existing), created: false };
    s.insert.run(...draftParams(draft));
    const row = s.get.get(draft.customerId, draft.id);
    if (row === undefined) throw new Error(`user check ${draft.id} was not stored`);
    return { check: toUserCheck(row), created: true };
  });

  return {
    create: async (draft) => create.immediate(draft),
    get: async (customerId, id) => get(customerId, id),
    listForIncident: async (customerId, incidentId) =>
      s.forIncident.all(customerId, incidentId).map(toUserCheck),
    setSent: async (customerId, id, messageId) =>
      update(
        `UPDATE user_checks SET dm_message_id = ? WHERE customer_id = ? AND id = ? AND state = 'asked'`,
        [messageId, customerId, id],
      ),
    setUnreachable: async (customerId, id, reason) =>
      update(
        `UPDATE user_checks SET state = 'unreachable', reason = ? WHERE customer_id = ? AND id = ? AND state = 'asked'`,
        [reason, customerId, id],
      ),
    answer: async (customerId, id, answer, note, at) =>
      update(
        `UPDATE user_checks SET state = 'answered', answer = ?, note = ?, answered_at = ?, comment = 'pending'
          WHERE customer_id = ? AND id = ? AND state = 'asked'`,
        [answer, note, at, customerId, id],
      ),
    cancel: async (customerId, id, by, at) =>
      update(
        `UPDATE user_checks SET state = 'cancelled', reason = ?, answered_at = ?
          WHERE customer_id = ? AND id = ? AND state = 'asked'`,
        [`withdrawn by ${by}`, at, customerId, id],
      ),
    listAskedBefore: async (before, limit) => s.askedBefore.all(before, limit).map(toUserCheck),
    markStage: async (customerId, id, stage, at) => {
      const column = stage === 'reminded' ? 'reminded_at' : 'escalated_at';
      const r = db
        .prepare(
          `UPDATE user_checks SET ${column} = ? WHERE customer_id = ? AND id = ? AND state = 'asked' AND ${column} IS NULL`,
        )
        .run(at, customerId, id);
      return r.changes === 1;
    },
    listUncommented: async (maxAttempts, limit) => s.uncommented.all(maxAttempts, limit).map(toUserCheck),
    markCommented: async (customerId, id, ok) => {
      db.prepare(
        `UPDATE user_checks SET comment = CASE WHEN ? = 1 THEN 'written' ELSE comment END,
            comment_attempts = comment_attempts + 1
          WHERE customer_id = ? AND id = ? AND comment = 'pending'`,
      ).run(ok ? 1 : 0, customerId, id);
    },
  };
}
