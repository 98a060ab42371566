import type pg from 'pg';
import type { ReportPostClaim, SdmStore } from '../../bot/sdm/ports.js';
import { inTransaction } from './tx.js';

// Business-review posts on PostgreSQL, the twin of adapters/sqlite/sdm-report-posts.ts: claimed under a row
// lock (INSERT … ON CONFLICT DO NOTHING, then SELECT … FOR UPDATE), completed after the post, released on a
// failure so it can be tried again.

/** Module step 3's table for the posts. */
export const REPORT_POSTS_DDL = `
  CREATE TABLE sdm_report_posts (
    customer_id text NOT NULL, month text NOT NULL, binding_id text NOT NULL,
    claimed_at text COLLATE "C" NOT NULL, posted_at text,
    PRIMARY KEY (customer_id, month, binding_id)
  );`;

type PostMethods = Pick<SdmStore, 'claimReportPost' | 'completeReportPost' | 'releaseReportPost'>;

/** The report-post methods of the PostgreSQL SdmStore; `run` is the store's error guard. */
export function pgReportPosts(pool: pg.Pool, run: <T>(work: () => Promise<T>) => Promise<T>): PostMethods {
  return {
    claimReportPost: (k, at, staleBefore) =>
      run(() =>
        inTransaction(pool, async (c): Promise<ReportPostClaim> => {
          const fresh = await c.query(
            `INSERT INTO sdm_report_posts (customer_id, month, binding_id, claimed_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING`,
            [k.customerId, k.month, k.bindingId, at],
          );
          if ((fresh.rowCount ?? 0) > 0) return { status: 'claimed' };
          const r = await c.query<{ claimed_at: string; posted_at: string | null }>(
            `SELECT claimed_at, posted_at FROM sdm_report_posts
              WHERE customer_id = $1 AND month = $2 AND binding_id = $3 FOR UPDATE`,
            [k.customerId, k.month, k.bindingId],
          );
          const row = r.rows[0];
          if (row?.posted_at != null) return { status: 'posted', at: row.posted_at };
          if (row !== undefined && row.claimed_at >= staleBefore)
            return { status: 'inProgress', since: row.claimed_at };
          await c.query(
            `INSERT INTO sdm_report_posts (customer_id, month, binding_id, claimed_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (customer_id, month, binding_id) DO UPDATE SET claimed_at = excluded.claimed_at`,
            [k.customerId, k.month, k.bindingId, at],
          );
          return { status: 'claimed' };
        }),
      ),
    completeReportPost: (k, at) =>
      run(async () => {
        await pool.query(
          `UPDATE sdm_report_posts SET posted_at = COALESCE(posted_at, $4)
            WHERE customer_id = $1 AND month = $2 AND binding_id = $3`,
          [k.customerId, k.month, k.bindingId, at],
        );
      }),
    releaseReportPost: (k) =>
      run(async () => {
        await pool.query(
          `DELETE FROM sdm_report_posts
            WHERE customer_id = $1 AND month = $2 AND binding_id = $3 AND posted_at IS NULL`,
          [k.customerId, k.month, k.bindingId],
        );
      }),
  };
}
