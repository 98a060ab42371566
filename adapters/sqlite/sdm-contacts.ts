import type Database from 'better-sqlite3';
import type { SdmStore } from '../../bot/sdm/ports.js';
import { type ContactRow, toContact } from '../rows/sdm-rows.js';

// SDM contact requests on SQLite (table sdm_contact_requests of module 'sdm'): recorded once per fingerprint
// in a window, marked delivered when the SDM's thread is open, retried while not, purged after retention.

/** Module step 3: what a retry and the dedup need, and the indexes the purge and the retry use. */
export const CONTACT_STEP_3 = `
  ALTER TABLE sdm_contact_requests ADD COLUMN fingerprint TEXT;
  ALTER TABLE sdm_contact_requests ADD COLUMN conversation TEXT;
  ALTER TABLE sdm_contact_requests ADD COLUMN delivered_at TEXT;
  CREATE INDEX sdm_contact_fingerprint ON sdm_contact_requests (customer_id, fingerprint, created_at);
  CREATE INDEX sdm_contact_created ON sdm_contact_requests (created_at);
`;

type ContactMethods = Pick<
  SdmStore,
  | 'recordContactRequest'
  | 'markContactDelivered'
  | 'listContactRequests'
  | 'listUndeliveredContactRequests'
  | 'purgeContactRequestsBefore'
>;

/** The contact-request methods of the SQLite SdmStore, on its connection. */
export function sqliteContactRequests(db: Database.Database): ContactMethods {
  const s = {
    insert: db.prepare(
      `INSERT INTO sdm_contact_requests (customer_id, id, kind, severity, text, preferred_date, from_user,
         from_name, created_at, fingerprint, conversation, delivered_at)
       VALUES (@customerId, @id, @kind, @severity, @text, @preferredDate, @fromUser, @fromName, @createdAt,
         @fingerprint, @conversation, @deliveredAt)
       ON CONFLICT DO NOTHING`,
    ),
    byFingerprint: db.prepare<[string, string, string], ContactRow>(
      `SELECT * FROM sdm_contact_requests WHERE customer_id = ? AND fingerprint = ? AND created_at >= ?
        ORDER BY created_at DESC, id DESC LIMIT 1`,
    ),
    byId: db.prepare<[string, string], ContactRow>(
      'SELECT * FROM sdm_contact_requests WHERE customer_id = ? AND id = ?',
    ),
    deliver: db.prepare<[string, string, string]>(
      `UPDATE sdm_contact_requests SET delivered_at = COALESCE(delivered_at, ?)
        WHERE customer_id = ? AND id = ?`,
    ),
    recent: db.prepare<[string, number], ContactRow>(
      'SELECT * FROM sdm_contact_requests WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT ?',
    ),
    undelivered: db.prepare<[string, string, number], ContactRow>(
      `SELECT * FROM sdm_contact_requests WHERE customer_id = ? AND delivered_at IS NULL
          AND conversation IS NOT NULL AND created_at >= ?
        ORDER BY created_at, id LIMIT ?`,
    ),
    purge: db.prepare<[string]>('DELETE FROM sdm_contact_requests WHERE created_at < ?'),
  };
  return {
    async recordContactRequest(r, fingerprint, since) {
      return db
        .transaction(() => {
          const prior = s.byFingerprint.get(r.customerId, fingerprint, since);
          if (prior !== undefined) return { request: toContact(prior), created: false };
          s.insert.run({
            ...r,
            fingerprint,
            conversation: r.conversation === null ? null : JSON.stringify(r.conversation),
          });
          const stored = s.byId.get(r.customerId, r.id);
          return { request: stored === undefined ? r : toContact(stored), created: true };
        })
        .immediate();
    },
    async markContactDelivered(customerId, id, at) {
      return s.deliver.run(at, customerId, id).changes > 0;
    },
    async listContactRequests(customerId, limit) {
      return s.recent.all(customerId, limit).map(toContact);
    },
    async listUndeliveredContactRequests(customerId, since, limit) {
      return s.undelivered.all(customerId, since, limit).map(toContact);
    },
    async purgeContactRequestsBefore(cutoff) {
      return s.purge.run(cutoff).changes;
    },
  };
}
