import type Database from 'better-sqlite3';
import type { ConversationRef } from '../../bot/domain/conversation.js';
import { BotError } from '../../bot/errors.js';
import { type Checkin, ITEM_STATES, type SdmStore, type StoredReport } from '../../bot/sdm/ports.js';
import {
  type CheckinRow,
  type ItemRow,
  type TimelineRow,
  toCheckin,
  toItem,
  toTimeline,
} from '../rows/sdm-rows.js';
import { migrateModule } from './module-migrations.js';
import { CONTACT_STEP_3, sqliteContactRequests } from './sdm-contacts.js';
import { REPORT_POSTS_DDL, sqliteReportPosts } from './sdm-report-posts.js';
import type { SqliteStore } from './sqlite-store.js';

// The SDM feature's tables on the SQLite store's connection (module 'sdm'): incident timelines, report
// snapshots, checklist items, check-ins and contact requests. Each operation is one immediate transaction.

const MIGRATIONS = [
  {
    version: 1,
    description: 'sdm timelines, reports, checklist, check-ins, contact requests',
    up: `
      CREATE TABLE sdm_timelines (
        customer_id TEXT NOT NULL, incident_id TEXT NOT NULL,
        experts_started_at TEXT, handed_off_at TEXT, resolved_at TEXT, inferred INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (customer_id, incident_id)
      );
      CREATE TABLE sdm_reports (
        customer_id TEXT NOT NULL, id TEXT NOT NULL, created_at TEXT NOT NULL, figures TEXT NOT NULL,
        PRIMARY KEY (customer_id, id)
      );
      CREATE TABLE sdm_checklist_items (
        customer_id TEXT NOT NULL, item_key TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL,
        detail TEXT NOT NULL, priority INTEGER NOT NULL, experts_note TEXT NOT NULL,
        owner TEXT, due_date TEXT, state TEXT NOT NULL, note TEXT, updated_by TEXT, updated_at TEXT,
        PRIMARY KEY (customer_id, item_key)
      );
      CREATE TABLE sdm_checkins (
        customer_id TEXT NOT NULL, id TEXT NOT NULL, number INTEGER NOT NULL, started_at TEXT NOT NULL,
        started_by TEXT NOT NULL, snapshot TEXT NOT NULL,
        PRIMARY KEY (customer_id, id), UNIQUE (customer_id, number)
      );
      CREATE TABLE sdm_contact_requests (
        customer_id TEXT NOT NULL, id TEXT NOT NULL, kind TEXT NOT NULL, severity TEXT, text TEXT NOT NULL,
        preferred_date TEXT, from_user TEXT NOT NULL, from_name TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (customer_id, id)
      );
    `,
  },
  {
    version: 2,
    description: 'sdm check-in card copies',
    up: `
      CREATE TABLE sdm_checkin_posts (
        customer_id TEXT NOT NULL, checkin_id TEXT NOT NULL, conversation_id TEXT NOT NULL,
        conversation TEXT NOT NULL, message_id TEXT NOT NULL,
        PRIMARY KEY (customer_id, checkin_id, conversation_id)
      );
    `,
  },
  {
    version: 3,
    description: 'sdm contact dedup, retry and purge; business-review posts',
    up: CONTACT_STEP_3 + REPORT_POSTS_DDL,
  },
];

/** Opens the SDM store on the SQLite store's connection, creating its tables on first use. */
export function createSqliteSdmStore(base: SqliteStore): SdmStore {
  const db: Database.Database = base.database;
  migrateModule(db, base.file, base.logger, { module: 'sdm', migrations: MIGRATIONS });
  const s = {
    upsertTimeline: db.prepare(
      `INSERT INTO sdm_timelines (customer_id, incident_id, experts_started_at, handed_off_at, resolved_at, inferred)
       VALUES (@customerId, @incidentId, @expertsStartedAt, @handedOffAt, @resolvedAt, @inferred)
       ON CONFLICT (customer_id, incident_id) DO UPDATE SET
         experts_started_at = COALESCE(sdm_timelines.experts_started_at, excluded.experts_started_at),
         handed_off_at = COALESCE(sdm_timelines.handed_off_at, excluded.handed_off_at),
         resolved_at = CASE WHEN @setResolved = 1 THEN excluded.resolved_at ELSE sdm_timelines.resolved_at END,
         inferred = MAX(sdm_timelines.inferred, excluded.inferred)`,
    ),
    timeline: db.prepare<[string, string], TimelineRow>(
      'SELECT * FROM sdm_timelines WHERE customer_id = ? AND incident_id = ?',
    ),
    insertReport: db.prepare(
      'INSERT INTO sdm_reports (customer_id, id, created_at, figures) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    report: db.prepare<
      [string, string],
      { id: string; customer_id: string; created_at: string; figures: string }
    >('SELECT * FROM sdm_reports WHERE customer_id = ? AND id = ?'),
    purgeReports: db.prepare<[string]>('DELETE FROM sdm_reports WHERE created_at < ?'),
    items: db.prepare<[string], ItemRow>(
      'SELECT * FROM sdm_checklist_items WHERE customer_id = ? ORDER BY priority, item_key',
    ),
    item: db.prepare<[string, string], ItemRow>(
      'SELECT * FROM sdm_checklist_items WHERE customer_id = ? AND item_key = ?',
    ),
    seedItem: db.prepare(
      `INSERT INTO sdm_checklist_items (customer_id, item_key, kind, title, detail, priority, experts_note, state)
       VALUES (@customerId, @key, @kind, @title, @detail, @priority, @expertsNote, 'notStarted')
       ON CONFLICT (customer_id, item_key) DO UPDATE SET kind = excluded.kind, title = excluded.title,
         detail = excluded.detail, priority = excluded.priority, experts_note = excluded.experts_note`,
    ),
    updateItem: db.prepare(
      `UPDATE sdm_checklist_items SET owner = @owner, due_date = @dueDate, state = @state, note = @note,
         updated_by = @by, updated_at = @at WHERE customer_id = @customerId AND item_key = @key`,
    ),
    latest: db.prepare<[string], CheckinRow>(
      'SELECT * FROM sdm_checkins WHERE customer_id = ? ORDER BY number DESC LIMIT 1',
    ),
    checkinByNumber: db.prepare<[string, number], CheckinRow>(
      'SELECT * FROM sdm_checkins WHERE customer_id = ? AND number = ?',
    ),
    insertCheckin: db.prepare(
      `INSERT INTO sdm_checkins (customer_id, id, number, started_at, started_by, snapshot)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    insertPost: db.prepare(
      `INSERT INTO sdm_checkin_posts (customer_id, checkin_id, conversation_id, conversation, message_id)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (customer_id, checkin_id, conversation_id) DO UPDATE SET
         conversation = excluded.conversation, message_id = excluded.message_id`,
    ),
    posts: db.prepare<[string, string], { conversation: string; message_id: string }>(
      'SELECT conversation, message_id FROM sdm_checkin_posts WHERE customer_id = ? AND checkin_id = ? ORDER BY conversation_id',
    ),
  };

  return {
    async recordTimelines(patches) {
      db.transaction(() => {
        for (const p of patches) {
          s.upsertTimeline.run({
            customerId: p.customerId,
            incidentId: p.incidentId,
            expertsStartedAt: p.expertsStartedAt ?? null,
            handedOffAt: p.handedOffAt ?? null,
            resolvedAt: p.resolvedAt ?? null,
            setResolved: p.resolvedAt === undefined ? 0 : 1,
            inferred: p.inferred === true ? 1 : 0,
          });
        }
      }).immediate();
    },
    async listTimelines(customerId, incidentIds) {
      return db
        .transaction(() =>
          incidentIds
            .map((id) => s.timeline.get(customerId, id))
            .filter((r): r is TimelineRow => r !== undefined)
            .map(toTimeline),
        )
        .immediate();
    },
    async saveReport(report: StoredReport) {
      s.insertReport.run(report.customerId, report.id, report.createdAt, report.figures);
    },
    async getReport(customerId, reportId) {
      const r = s.report.get(customerId, reportId);
      return r === undefined
        ? null
        : { id: r.id, customerId: r.customer_id, createdAt: r.created_at, figures: r.figures };
    },
    async purgeReportsBefore(cutoff) {
      return s.purgeReports.run(cutoff).changes;
    },
    async startCheckin(customerId, seeds, startedBy, at) {
      return db
        .transaction(() => {
          for (const seed of seeds) s.seedItem.run({ customerId, ...seed });
          const prevRow = s.latest.get(customerId);
          const previous = prevRow === undefined ? null : toCheckin(prevRow);
          const snapshot = s.items.all(customerId).map(toItem);
          const number = (previous?.number ?? 0) + 1;
          const id = `${customerId}-checkin-${number}`;
          s.insertCheckin.run(customerId, id, number, at, startedBy, JSON.stringify(snapshot));
          const checkin: Checkin = { id, customerId, number, startedAt: at, startedBy, snapshot };
          return { checkin, previous };
        })
        .immediate();
    },
    async latestCheckin(customerId) {
      const r = s.latest.get(customerId);
      return r === undefined ? null : toCheckin(r);
    },
    async getCheckin(customerId, n) {
      const r = s.checkinByNumber.get(customerId, n);
      return r === undefined ? null : toCheckin(r);
    },
    async listItems(customerId) {
      return s.items.all(customerId).map(toItem);
    },
    async updateItem(customerId, key, patch, by, at) {
      if (patch.state !== undefined && !(ITEM_STATES as readonly string[]).includes(patch.state))
        throw new BotError('bad_input', `unknown item state "${patch.state}"`);
      return db
        .transaction(() => {
          const row = s.item.get(customerId, key);
          if (row === undefined) return null;
          const cur = toItem(row);
          s.updateItem.run({
            customerId,
            key,
            owner: patch.owner === undefined ? cur.owner : patch.owner,
            dueDate: patch.dueDate === undefined ? cur.dueDate : patch.dueDate,
            state: patch.state ?? cur.state,
            note: patch.note === undefined ? cur.note : patch.note,
            by,
            at,
          });
          const after = s.item.get(customerId, key);
          return after === undefined ? null : toItem(after);
        })
        .immediate();
    },
    async recordCheckinPost(p) {
      s.insertPost.run(
        p.customerId,
        p.checkinId,
        p.conversation.id,
        JSON.stringify(p.conversation),
        p.messageId,
      );
    },
    async listCheckinPosts(customerId, checkinId) {
      return s.posts.all(customerId, checkinId).map((r) => ({
        customerId,
        checkinId,
        conversation: JSON.parse(r.conversation) as ConversationRef,
        messageId: r.message_id,
      }));
    },
    ...sqliteContactRequests(db),
    ...sqliteReportPosts(db),
  };
}
