import type { ConversationRef } from '../../bot/domain/conversation.js';
import { BotError } from '../../bot/errors.js';
import { type Checkin, type ChecklistItem, ITEM_STATES, type SdmStore } from '../../bot/sdm/ports.js';
import {
  type CheckinRow,
  type ItemRow,
  type TimelineRow,
  toCheckin,
  toItem,
  toTimeline,
} from '../rows/sdm-rows.js';
import { FEATURE_LOCK_SQL, type PgFeatureHost, pgGuard } from './feature-host.js';
import { LOCK_NAMESPACE, type PgSchemaModule } from './migrations.js';
import { CONTACT_STEP_3, pgContactRequests } from './sdm-contacts.js';
import { pgReportPosts, REPORT_POSTS_DDL } from './sdm-report-posts.js';
import { inTransaction, type Queryable } from './tx.js';

// The SDM feature's tables on PostgreSQL (module 'sdm'), the twin of adapters/sqlite/sdm-store.ts: incident
// timelines, report snapshots, checklist items, check-ins (numbered under a per-customer lock, so two SDMs on
// two instances cannot start the same number) and contact requests.

/** The module's own schema steps; the factory below applies them before handing out the store. */
export const SDM_MODULE: PgSchemaModule = {
  module: 'sdm',
  migrations: [
    {
      version: 1,
      description: 'sdm timelines, reports, checklist, check-ins, contact requests',
      up: `
        CREATE TABLE sdm_timelines (
          customer_id text NOT NULL, incident_id text NOT NULL,
          experts_started_at text, handed_off_at text, resolved_at text, inferred smallint NOT NULL DEFAULT 0,
          PRIMARY KEY (customer_id, incident_id)
        );
        CREATE TABLE sdm_reports (
          customer_id text NOT NULL, id text NOT NULL, created_at text COLLATE "C" NOT NULL, figures text NOT NULL,
          PRIMARY KEY (customer_id, id)
        );
        CREATE TABLE sdm_checklist_items (
          customer_id text NOT NULL, item_key text COLLATE "C" NOT NULL, kind text NOT NULL, title text NOT NULL,
          detail text NOT NULL, priority integer NOT NULL, experts_note text NOT NULL,
          owner text, due_date text, state text NOT NULL, note text, updated_by text, updated_at text,
          PRIMARY KEY (customer_id, item_key)
        );
        CREATE TABLE sdm_checkins (
          customer_id text NOT NULL, id text NOT NULL, number integer NOT NULL, started_at text NOT NULL,
          started_by text NOT NULL, snapshot text NOT NULL,
          PRIMARY KEY (customer_id, id), UNIQUE (customer_id, number)
        );
        CREATE TABLE sdm_contact_requests (
          customer_id text NOT NULL, id text COLLATE "C" NOT NULL, kind text NOT NULL, severity text,
          text text NOT NULL, preferred_date text, from_user text NOT NULL, from_name text NOT NULL,
          created_at text COLLATE "C" NOT NULL,
          PRIMARY KEY (customer_id, id)
        );`,
    },
    {
      version: 2,
      description: 'sdm check-in card copies',
      up: `
        CREATE TABLE sdm_checkin_posts (
          customer_id text NOT NULL, checkin_id text NOT NULL, conversation_id text COLLATE "C" NOT NULL,
          conversation text NOT NULL, message_id text NOT NULL,
          PRIMARY KEY (customer_id, checkin_id, conversation_id)
        );`,
    },
    { ...CONTACT_STEP_3, up: CONTACT_STEP_3.up + REPORT_POSTS_DDL },
  ],
};

const items = async (c: Queryable, customerId: string): Promise<ChecklistItem[]> =>
  (
    await c.query<ItemRow>(
      'SELECT * FROM sdm_checklist_items WHERE customer_id = $1 ORDER BY priority, item_key',
      [customerId],
    )
  ).rows.map(toItem);

const latest = async (c: Queryable, customerId: string): Promise<Checkin | null> => {
  const r = await c.query<CheckinRow>(
    'SELECT * FROM sdm_checkins WHERE customer_id = $1 ORDER BY number DESC LIMIT 1',
    [customerId],
  );
  return r.rows[0] === undefined ? null : toCheckin(r.rows[0]);
};

/** The SDM store on the PostgreSQL store's pool (migrating its module first). */
export async function createPostgresSdmStore(host: PgFeatureHost): Promise<SdmStore> {
  await host.migrateModule(SDM_MODULE);
  const { pool } = host;
  const base = { run: pgGuard(host.target) };
  return {
    recordTimelines: (patches) =>
      base.run(() =>
        inTransaction(pool, async (c) => {
          for (const p of patches) {
            await c.query(
              `INSERT INTO sdm_timelines (customer_id, incident_id, experts_started_at, handed_off_at, resolved_at,
                 inferred) VALUES ($1, $2, $3, $4, $5, $7)
               ON CONFLICT (customer_id, incident_id) DO UPDATE SET
                 experts_started_at = COALESCE(sdm_timelines.experts_started_at, excluded.experts_started_at),
                 handed_off_at = COALESCE(sdm_timelines.handed_off_at, excluded.handed_off_at),
                 resolved_at = CASE WHEN $6 THEN excluded.resolved_at ELSE sdm_timelines.resolved_at END,
                 inferred = GREATEST(sdm_timelines.inferred, excluded.inferred)`,
              [
                p.customerId,
                p.incidentId,
                p.expertsStartedAt ?? null,
                p.handedOffAt ?? null,
                p.resolvedAt ?? null,
                p.resolvedAt !== undefined,
                p.inferred === true ? 1 : 0,
              ],
            );
          }
        }),
      ),
    listTimelines: (customerId, incidentIds) =>
      base.run(async () => {
        const r = await pool.query<TimelineRow>(
          'SELECT * FROM sdm_timelines WHERE customer_id = $1 AND incident_id = ANY($2::text[])',
          [customerId, incidentIds],
        );
        const byId = new Map(r.rows.map((row) => [row.incident_id, toTimeline(row)]));
        return incidentIds.flatMap((id) => {
          const t = byId.get(id);
          return t === undefined ? [] : [t];
        });
      }),
    saveReport: (report) =>
      base.run(async () => {
        await pool.query(
          'INSERT INTO sdm_reports (customer_id, id, created_at, figures) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
          [report.customerId, report.id, report.createdAt, report.figures],
        );
      }),
    getReport: (customerId, reportId) =>
      base.run(async () => {
        const r = await pool.query<{ id: string; customer_id: string; created_at: string; figures: string }>(
          'SELECT * FROM sdm_reports WHERE customer_id = $1 AND id = $2',
          [customerId, reportId],
        );
        const row = r.rows[0];
        return row === undefined
          ? null
          : { id: row.id, customerId: row.customer_id, createdAt: row.created_at, figures: row.figures };
      }),
    purgeReportsBefore: (cutoff) =>
      base.run(
        async () =>
          (await pool.query('DELETE FROM sdm_reports WHERE created_at < $1', [cutoff])).rowCount ?? 0,
      ),
    startCheckin: (customerId, seeds, startedBy, at) =>
      base.run(() =>
        inTransaction(pool, async (c) => {
          await c.query(FEATURE_LOCK_SQL, [LOCK_NAMESPACE, `sdm:${customerId}`]);
          for (const seed of seeds) {
            await c.query(
              `INSERT INTO sdm_checklist_items (customer_id, item_key, kind, title, detail, priority, experts_note,
                 state) VALUES ($1, $2, $3, $4, $5, $6, $7, 'notStarted')
               ON CONFLICT (customer_id, item_key) DO UPDATE SET kind = excluded.kind, title = excluded.title,
                 detail = excluded.detail, priority = excluded.priority, experts_note = excluded.experts_note`,
              [customerId, seed.key, seed.kind, seed.title, seed.detail, seed.priority, seed.expertsNote],
            );
          }
          const previous = await latest(c, customerId);
          const snapshot = await items(c, customerId);
          const number = (previous?.number ?? 0) + 1;
          const id = `${customerId}-checkin-${number}`;
          await c.query(
            `INSERT INTO sdm_checkins (customer_id, id, number, started_at, started_by, snapshot)
             VALUES ($1, $2, $3, $4, $5, $6)`,
            [customerId, id, number, at, startedBy, JSON.stringify(snapshot)],
          );
          const checkin: Checkin = { id, customerId, number, startedAt: at, startedBy, snapshot };
          return { checkin, previous };
        }),
      ),
    latestCheckin: (customerId) => base.run(() => latest(pool, customerId)),
    getCheckin: (customerId, n) =>
      base.run(async () => {
        const r = await pool.query<CheckinRow>(
          'SELECT * FROM sdm_checkins WHERE customer_id = $1 AND number = $2',
          [customerId, n],
        );
        return r.rows[0] === undefined ? null : toCheckin(r.rows[0]);
      }),
    listItems: (customerId) => base.run(() => items(pool, customerId)),
    async updateItem(customerId, key, patch, by, at) {
      if (patch.state !== undefined && !(ITEM_STATES as readonly string[]).includes(patch.state))
        throw new BotError('bad_input', `unknown item state "${patch.state}"`);
      return base.run(() =>
        inTransaction(pool, async (c) => {
          const r = await c.query<ItemRow>(
            'SELECT * FROM sdm_checklist_items WHERE customer_id = $1 AND item_key = $2 FOR UPDATE',
            [customerId, key],
          );
          if (r.rows[0] === undefined) return null;
          const cur = toItem(r.rows[0]);
          const after = await c.query<ItemRow>(
            `UPDATE sdm_checklist_items SET owner = $3, due_date = $4, state = $5, note = $6, updated_by = $7,
               updated_at = $8 WHERE customer_id = $1 AND item_key = $2 RETURNING *`,
            [
              customerId,
              key,
              patch.owner === undefined ? cur.owner : patch.owner,
              patch.dueDate === undefined ? cur.dueDate : patch.dueDate,
              patch.state ?? cur.state,
              patch.note === undefined ? cur.note : patch.note,
              by,
              at,
            ],
          );
          return after.rows[0] === undefined ? null : toItem(after.rows[0]);
        }),
      );
    },
    recordCheckinPost: (p) =>
      base.run(async () => {
        await pool.query(
          `INSERT INTO sdm_checkin_posts (customer_id, checkin_id, conversation_id, conversation, message_id)
           VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (customer_id, checkin_id, conversation_id) DO UPDATE SET
             conversation = excluded.conversation, message_id = excluded.message_id`,
          [p.customerId, p.checkinId, p.conversation.id, JSON.stringify(p.conversation), p.messageId],
        );
      }),
    listCheckinPosts: (customerId, checkinId) =>
      base.run(async () => {
        const r = await pool.query<{ conversation: string; message_id: string }>(
          `SELECT conversation, message_id FROM sdm_checkin_posts WHERE customer_id = $1 AND checkin_id = $2
            ORDER BY conversation_id`,
          [customerId, checkinId],
        );
        return r.rows.map((row) => ({
          customerId,
          checkinId,
          conversation: JSON.parse(row.conversation) as ConversationRef,
          messageId: row.message_id,
        }));
      }),
    ...pgContactRequests(pool, base.run),
    ...pgReportPosts(pool, base.run),
  };
}
