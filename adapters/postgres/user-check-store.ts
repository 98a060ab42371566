import type { UserCheck } from '../../bot/domain/user-check.js';
import type { UserCheckStore } from '../../bot/user-check/user-check-ports.js';
import {
  draftParams,
  INSERT_COLUMNS,
  type Row,
  toUserCheck,
  USER_CHECKS_V1,
} from '../rows/user-check-rows.js';
import { type PgFeatureHost, pgGuard } from './feature-host.js';
import type { PgMigration } from './migrations.js';

// "Was this you?" questions on PostgreSQL (module 'user_checks'), the twin of
// adapters/sqlite/user-check-store.ts. Creation relies on the partial unique index (one open question per
// person and incident): a concurrent second insert does nothing and the open one is read back. Transitions
// are conditional UPDATEs, re-checked by PostgreSQL after a concurrent writer commits (one of them wins).

const MIGRATIONS: readonly PgMigration[] = [
  { version: 1, description: 'user checks ("Was this you?")', up: USER_CHECKS_V1 },
];

const INSERT = `INSERT INTO user_checks (${INSERT_COLUMNS.join(', ')})
  VALUES (${INSERT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}) ON CONFLICT DO NOTHING`;
const OPEN = `SELECT * FROM user_checks
  WHERE customer_id = $1 AND incident_id = $2 AND upn_key = $3 AND state = 'asked'`;

/** Creates the store on the PostgreSQL store's pool, migrating its table first. */
export async function createPostgresUserCheckStore(host: PgFeatureHost): Promise<UserCheckStore> {
  await host.migrateModule({ module: 'user_checks', migrations: MIGRATIONS });
  const { pool } = host;
  const run = pgGuard(host.target);
  const one = async (sql: string, params: readonly unknown[]): Promise<UserCheck | null> => {
    const r = await pool.query<Row>(sql, [...params]);
    const row = r.rows[0];
    return row === undefined ? null : toUserCheck(row);
  };
  const all = async (sql: string, params: readonly unknown[]): Promise<UserCheck[]> =>
    (await pool.query<Row>(sql, [...params])).rows.map(toUserCheck);

  return {
    create: (draft) =>
      run(async () => {
        const key = [draft.customerId, draft.incidentId, draft.upn.toLowerCase()];
        const existing = await one(OPEN, key);
        if (existing !== null) return { check: existing, created: false };
        const inserted = await pool.query(INSERT, draftParams(draft));
        const check = await one(OPEN, key);
        if (check === null) throw new Error(`user check ${draft.id} was not stored`);
        return { check, created: (inserted.rowCount ?? 0) === 1 && check.id === draft.id };
      }),
    get: (customerId, id) =>
      run(() => one('SELECT * FROM user_checks WHERE customer_id = $1 AND id = $2', [customerId, id])),
    listForIncident: (customerId, incidentId) =>
      run(() =>
        all('SELECT * FROM user_checks WHERE customer_id = $1 AND incident_id = $2 ORDER BY created_at, id', [
          customerId,
          incidentId,
        ]),
      ),
    setSent: (customerId, id, messageId) =>
      run(() =>
        one(
          `UPDATE user_checks SET dm_message_id = $1 WHERE customer_id = $2 AND id = $3 AND state = 'asked'
            RETURNING *`,
          [messageId, customerId, id],
        ),
      ),
    setUnreachable: (customerId, id, reason) =>
      run(() =>
        one(
          `UPDATE user_checks SET state = 'unreachable', reason = $1
            WHERE customer_id = $2 AND id = $3 AND state = 'asked' RETURNING *`,
          [reason, customerId, id],
        ),
      ),
    answer: (customerId, id, answer, note, at) =>
      run(() =>
        one(
          `UPDATE user_checks SET state = 'answered', answer = $1, note = $2, answered_at = $3, comment = 'pending'
            WHERE customer_id = $4 AND id = $5 AND state = 'asked' RETURNING *`,
          [answer, note, at, customerId, id],
        ),
      ),
    cancel: (customerId, id, by, at) =>
      run(() =>
        one(
          `UPDATE user_checks SET state = 'cancelled', reason = $1, answered_at = $2
            WHERE customer_id = $3 AND id = $4 AND state = 'asked' RETURNING *`,
          [`withdrawn by ${by}`, at, customerId, id],
        ),
      ),
    listAskedBefore: (before, limit) =>
      run(() =>
        all(
          `SELECT * FROM user_checks WHERE state = 'asked' AND created_at < $1
              AND (reminded_at IS NULL OR escalated_at IS NULL)
            ORDER BY created_at, id LIMIT $2`,
          [before, limit],
        ),
      ),
    markStage: (customerId, id, stage, at) =>
      run(async () => {
        const column = stage === 'reminded' ? 'reminded_at' : 'escalated_at';
        const r = await pool.query(
          `UPDATE user_checks SET ${column} = $1
            WHERE customer_id = $2 AND id = $3 AND state = 'asked' AND ${column} IS NULL`,
          [at, customerId, id],
        );
        return r.rowCount === 1;
      }),
    listUncommented: (maxAttempts, limit) =>
      run(() =>
        all(
          `SELECT * FROM user_checks WHERE comment = 'pending' AND comment_attempts < $1
            ORDER BY answered_at, id LIMIT $2`,
          [maxAttempts, limit],
        ),
      ),
    markCommented: (customerId, id, ok) =>
      run(async () => {
        await pool.query(
          `UPDATE user_checks SET comment = CASE WHEN $1 THEN 'written' ELSE comment END,
              comment_attempts = comment_attempts + 1
            WHERE customer_id = $2 AND id = $3 AND comment = 'pending'`,
          [ok, customerId, id],
        );
      }),
  };
}
