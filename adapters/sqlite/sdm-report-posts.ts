import type Database from 'better-sqlite3';
import type { ReportPostClaim, SdmStore } from '../../bot/sdm/ports.js';

// Business-review posts on SQLite (module 'sdm' step 3): one row per (customer, month, channel), claimed
// before the post and completed after it, so a repeat says when it was posted and a failure can be retried.

/** Module step 3's table for the posts. */
export const REPORT_POSTS_DDL = `
  CREATE TABLE sdm_report_posts (
    customer_id TEXT NOT NULL, month TEXT NOT NULL, binding_id TEXT NOT NULL,
    claimed_at TEXT NOT NULL, posted_at TEXT,
    PRIMARY KEY (customer_id, month, binding_id)
  );
`;

type PostRow = { claimed_at: string; posted_at: string | null };
type PostMethods = Pick<SdmStore, 'claimReportPost' | 'completeReportPost' | 'releaseReportPost'>;

/** The report-post methods of the SQLite SdmStore. */
export function sqliteReportPosts(db: Database.Database): PostMethods {
  const s = {
    get: db.prepare<[string, string, string], PostRow>(
      'SELECT claimed_at, posted_at FROM sdm_report_posts WHERE customer_id = ? AND month = ? AND binding_id = ?',
    ),
    claim: db.prepare<[string, string, string, string]>(
      `INSERT INTO sdm_report_posts (customer_id, month, binding_id, claimed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (customer_id, month, binding_id) DO UPDATE SET claimed_at = excluded.claimed_at`,
    ),
    complete: db.prepare<[string, string, string, string]>(
      `UPDATE sdm_report_posts SET posted_at = COALESCE(posted_at, ?)
        WHERE customer_id = ? AND month = ? AND binding_id = ?`,
    ),
    release: db.prepare<[string, string, string]>(
      'DELETE FROM sdm_report_posts WHERE customer_id = ? AND month = ? AND binding_id = ? AND posted_at IS NULL',
    ),
  };
  return {
    async claimReportPost(k, at, staleBefore) {
      return db
        .transaction((): ReportPostClaim => {
          const row = s.get.get(k.customerId, k.month, k.bindingId);
          if (row?.posted_at != null) return { status: 'posted', at: row.posted_at };
          if (row !== undefined && row.claimed_at >= staleBefore)
            return { status: 'inProgress', since: row.claimed_at };
          s.claim.run(k.customerId, k.month, k.bindingId, at);
          return { status: 'claimed' };
        })
        .immediate();
    },
    async completeReportPost(k, at) {
      s.complete.run(at, k.customerId, k.month, k.bindingId);
    },
    async releaseReportPost(k) {
      s.release.run(k.customerId, k.month, k.bindingId);
    },
  };
}
