import { BotError } from '../../../bot/errors.js';
import type { ReportPostClaim, ReportPostKey, SdmStore } from '../../../bot/sdm/sdm-ports.js';
import { checkedInstant } from '../checked-instant.js';
import { stamp } from '../feature-kit.js';
import type { SdmDb } from './rows.js';

// Business-review report snapshots (what a posted link renders) and the month's post per channel: claimed
// before the post (a fresh claim holds off a second poster, a stale one is taken over), completed after it,
// released on a failure so it can be tried again.

const keyOf = (k: ReportPostKey) => ({ customer_id: k.customerId, month: k.month, binding_id: k.bindingId });

export function reports(db: SdmDb) {
  const { kysely, dialect: d } = db;
  const post = (k: ReportPostKey) => kysely.updateTable('sdm_report_posts').where((eb) => eb.and(keyOf(k)));
  return {
    saveReport: async (report) => {
      const createdAt = stamp(d, report.createdAt, 'a report time');
      try {
        JSON.parse(report.figures);
      } catch (error) {
        throw new BotError('bad_input', 'report figures must be JSON', { cause: error });
      }
      await db.run(() =>
        kysely
          .insertInto('sdm_reports')
          .values({
            customer_id: report.customerId,
            id: report.id,
            created_at: createdAt,
            figures: report.figures,
          })
          .onConflict((oc) => oc.doNothing())
          .execute(),
      );
    },
    getReport: (customer_id, id) =>
      db.run(async () => {
        const row = await kysely
          .selectFrom('sdm_reports')
          .selectAll()
          .where((eb) => eb.and({ customer_id, id }))
          .executeTakeFirst();
        if (row === undefined) return null;
        // PostgreSQL hands jsonb back parsed: the snapshot is kept and returned as JSON text.
        const figures = typeof row.figures === 'string' ? row.figures : JSON.stringify(row.figures);
        return { id, customerId: customer_id, createdAt: d.readTimestamp(row.created_at), figures };
      }),
    purgeReportsBefore: async (cutoff) => {
      const before = stamp(d, cutoff, 'cutoff');
      const r = await db.run(() =>
        kysely.deleteFrom('sdm_reports').where('created_at', '<', before).executeTakeFirst(),
      );
      return Number(r.numDeletedRows);
    },
    claimReportPost: async (k, at, staleBefore) => {
      const stale = Date.parse(checkedInstant(staleBefore, 'staleBefore'));
      const claim = { ...keyOf(k), claimed_at: stamp(d, at, 'a claim time') };
      return db.tx(async (trx): Promise<ReportPostClaim> => {
        const fresh = await trx
          .insertInto('sdm_report_posts')
          .values(claim)
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if ((fresh.numInsertedOrUpdatedRows ?? 0n) > 0n) return { status: 'claimed' };
        // Taken: lock it (PostgreSQL), then decide from what the other claimer left.
        const row = await trx
          .selectFrom('sdm_report_posts')
          .select(['claimed_at', 'posted_at'])
          .where((eb) => eb.and(keyOf(k)))
          .$if(d.name === 'postgres', (q) => q.forUpdate())
          .executeTakeFirst();
        if (row?.posted_at != null) return { status: 'posted', at: d.readTimestamp(row.posted_at) };
        const since = row === undefined ? null : d.readTimestamp(row.claimed_at);
        if (since !== null && Date.parse(since) >= stale) return { status: 'inProgress', since };
        await trx
          .insertInto('sdm_report_posts')
          .values(claim)
          .onConflict((oc) =>
            oc.columns(['customer_id', 'month', 'binding_id']).doUpdateSet({ claimed_at: claim.claimed_at }),
          )
          .execute();
        return { status: 'claimed' };
      });
    },
    completeReportPost: async (k, at) => {
      const when = stamp(d, at, 'a post time');
      await db.run(() =>
        post(k)
          .set((eb) => ({ posted_at: eb.fn.coalesce('posted_at', eb.val(when)) }))
          .execute(),
      );
    },
    releaseReportPost: async (k) => {
      await db.run(() =>
        kysely
          .deleteFrom('sdm_report_posts')
          .where((eb) => eb.and(keyOf(k)))
          .where('posted_at', 'is', null)
          .execute(),
      );
    },
  } satisfies Partial<SdmStore>;
}
