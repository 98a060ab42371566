import type pg from 'pg';
import type { SdmStore } from '../../bot/sdm/ports.js';
import { type ContactRow, toContact } from '../rows/sdm-rows.js';
import { FEATURE_LOCK_SQL } from './feature-host.js';
import { LOCK_NAMESPACE, type PgMigration } from './migrations.js';
import { inTransaction } from './tx.js';

// SDM contact requests on PostgreSQL, the twin of adapters/sqlite/sdm-contacts.ts: recorded once per
// fingerprint in a window (under an advisory lock, so two instances cannot both record a retried send),
// marked delivered when the SDM's thread is open, retried while not, purged after retention.

/** Module step 3: the dedup, retry and purge columns and indexes. */
export const CONTACT_STEP_3: PgMigration = {
  version: 3,
  description: 'sdm contact dedup, retry and purge; business-review posts',
  up: `
    ALTER TABLE sdm_contact_requests ADD COLUMN fingerprint text;
    ALTER TABLE sdm_contact_requests ADD COLUMN conversation text;
    ALTER TABLE sdm_contact_requests ADD COLUMN delivered_at text;
    CREATE INDEX sdm_contact_fingerprint ON sdm_contact_requests (customer_id, fingerprint, created_at);
    CREATE INDEX sdm_contact_created ON sdm_contact_requests (created_at);`,
};

type ContactMethods = Pick<
  SdmStore,
  | 'recordContactRequest'
  | 'markContactDelivered'
  | 'listContactRequests'
  | 'listUndeliveredContactRequests'
  | 'purgeContactRequestsBefore'
>;

/** The contact-request methods of the PostgreSQL SdmStore; `run` is the store's error guard. */
export function pgContactRequests(
  pool: pg.Pool,
  run: <T>(work: () => Promise<T>) => Promise<T>,
): ContactMethods {
  return {
    recordContactRequest: (r, fingerprint, since) =>
      run(() =>
        inTransaction(pool, async (c) => {
          await c.query(FEATURE_LOCK_SQL, [LOCK_NAMESPACE, `sdm-contact:${r.customerId}:${fingerprint}`]);
          const prior = await c.query<ContactRow>(
            `SELECT * FROM sdm_contact_requests WHERE customer_id = $1 AND fingerprint = $2 AND created_at >= $3
              ORDER BY created_at DESC, id DESC LIMIT 1`,
            [r.customerId, fingerprint, since],
          );
          if (prior.rows[0] !== undefined) return { request: toContact(prior.rows[0]), created: false };
          const inserted = await c.query<ContactRow>(
            `INSERT INTO sdm_contact_requests (customer_id, id, kind, severity, text, preferred_date, from_user,
               from_name, created_at, fingerprint, conversation, delivered_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING RETURNING *`,
            [
              r.customerId,
              r.id,
              r.kind,
              r.severity,
              r.text,
              r.preferredDate,
              r.fromUser,
              r.fromName,
              r.createdAt,
              fingerprint,
              r.conversation === null ? null : JSON.stringify(r.conversation),
              r.deliveredAt,
            ],
          );
          const row = inserted.rows[0];
          return { request: row === undefined ? r : toContact(row), created: true };
        }),
      ),
    markContactDelivered: (customerId, id, at) =>
      run(
        async () =>
          ((
            await pool.query(
              `UPDATE sdm_contact_requests SET delivered_at = COALESCE(delivered_at, $3)
                WHERE customer_id = $1 AND id = $2`,
              [customerId, id, at],
            )
          ).rowCount ?? 0) > 0,
      ),
    listContactRequests: (customerId, limit) =>
      run(async () =>
        (
          await pool.query<ContactRow>(
            `SELECT * FROM sdm_contact_requests WHERE customer_id = $1 ORDER BY created_at DESC, id DESC
              LIMIT $2`,
            [customerId, limit],
          )
        ).rows.map(toContact),
      ),
    listUndeliveredContactRequests: (customerId, since, limit) =>
      run(async () =>
        (
          await pool.query<ContactRow>(
            `SELECT * FROM sdm_contact_requests WHERE customer_id = $1 AND delivered_at IS NULL
                AND conversation IS NOT NULL AND created_at >= $2
              ORDER BY created_at, id LIMIT $3`,
            [customerId, since, limit],
          )
        ).rows.map(toContact),
      ),
    purgeContactRequestsBefore: (cutoff) =>
      run(
        async () =>
          (await pool.query('DELETE FROM sdm_contact_requests WHERE created_at < $1', [cutoff])).rowCount ??
          0,
      ),
  };
}
