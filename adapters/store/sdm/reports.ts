import { BotError } from '../../../bot/errors.js';
import type { ReportPostClaim, ReportPostKey, SdmStore } from '../../../bot/sdm/sdm-ports.js';
import { checkedInstant } from '../checked-instant.js';
import { stamp, written } from '../feature-kit.js';
import type { SdmDb } from './rows.js';

// Business-review report snapshots (what a posted link renders) and the month's post per channel: claimed
// before the post (a fresh claim holds off a second poster, a stale one is taken over), completed after it,
// released on a failure so it can be tried again.

const keyOf = (k: ReportPostKey) => ({ customer_id: k.customerId, month: k.month, binding_id: k.bindingId });

export function reports(db: SdmDb) {
  const { kysely, dialect: d } = db;
  return {
    saveReport: async ({ customerId: customer_id, id, createdAt, figures }) => {
      const created_at = stamp(d, createdAt, 'a report time');
      try {
        JSON.parse(figures);
      } catch (error) {
        throw new BotError('bad_input', 'report figures must be JSON', { cause: error });
      }
      const report = { customer_id, id, created_at, figures };
      await db.run(() =>
        kysely
          .insertInto('sdm_reports')
          .values(report)
          .onConflict((oc) => oc.doNothing())
          .execute(),
      );
    },
    getReport: (customer_id, id) =>
      db.run(async () => {
        const report = kysely
          .selectFrom('sdm_reports')
          .selectAll()
          .where((eb) => eb.and({ customer_id, id }));
        const row = await report.executeTakeFirst();
        if (row === undefined) return null;
        // PostgreSQL hands jsonb back parsed: the snapshot is kept and returned as JSON text.
        const figures = typeof row.figures === 'string' ? row.figures : JSON.stringify(row.figures);
        return { id, customerId: customer_id, createdAt: d.readTimestamp(row.created_at), figures };
      }),
    purgeReportsBefore: async (cutoff) => {
      const before = stamp(d, cutoff, 'cutoff');
      return db.run(() => written(kysely.deleteFrom('sdm_reports').where('created_at', '<', before)));
    },
    claimReportPost: async (k, at, staleBefore) => {
      const stale = Date.parse(checkedInstant(staleBefore, 'staleBefore'));
      const claim = { ...keyOf(k), claimed_at: stamp(d, at, 'a claim time') };
      return db.tx(async (trx): Promise<ReportPostClaim> => {
        const fresh = trx.insertInto('sdm_report_posts').values(claim);
        if ((await written(fresh.onConflict((oc) => oc.doNothing()))) > 0) return { status: 'claimed' };
        // Taken: lock it (PostgreSQL), then decide from what the other claimer left.
        const taken = trx
          .selectFrom('sdm_report_posts')
          .select(['claimed_at', 'posted_at'])
          .where((eb) => eb.and(keyOf(k)));
        const row = await taken.$if(d.name === 'postgres', (q) => q.forUpdate()).executeTakeFirst();
        if (row?.posted_at != null) return { status: 'posted', at: d.readTimestamp(row.posted_at) };
        const since = row === undefined ? null : d.readTimestamp(row.claimed_at);
        if (since !== null && Date.parse(since) >= stale) return { status: 'inProgress', since };
        const takeOver = { claimed_at: claim.claimed_at };
        await fresh
          .onConflict((oc) => oc.columns(['customer_id', 'month', 'binding_id']).doUpdateSet(takeOver))
          .execute();
        return { status: 'claimed' };
      });
    },
    completeReportPost: async (k, at) => {
      const when = stamp(d, at, 'a post time');
      const post = kysely.updateTable('sdm_report_posts').where((eb) => eb.and(keyOf(k)));
      await db.run(() =>
        post.set((eb) => ({ posted_at: eb.fn.coalesce('posted_at', eb.val(when)) })).execute(),
      );
    },
    releaseReportPost: async (k) => {
      const unposted = kysely.deleteFrom('sdm_report_posts').where((eb) => eb.and(keyOf(k)));
      await db.run(() => unposted.where('posted_at', 'is', null).execute());
    },
  } satisfies Partial<SdmStore>;
}
