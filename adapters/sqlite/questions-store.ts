import type Database from 'better-sqlite3';
import type { Question } from '../../bot/domain/question.js';
import type { QuestionsStore } from '../../bot/questions/ports.js';
import { COLUMNS, type Row, toQuestion } from '../rows/question-rows.js';
import { migrateModule } from './module-migrations.js';
import type { SqliteStore } from './sqlite-store.js';

// Ask Defender Experts requests on the SQLite store's connection (module 'questions'). Creation counts the
// quarterly allocation in the same immediate transaction, so two askers cannot both take the last one.

const MIGRATIONS = [
  {
    version: 1,
    description: 'questions',
    up: `
      CREATE TABLE questions (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        asker_id TEXT NOT NULL,
        asker_name TEXT NOT NULL,
        topic TEXT NOT NULL,
        text TEXT NOT NULL,
        context TEXT,
        incident_id TEXT,
        state TEXT NOT NULL,
        claimed_by TEXT,
        claimed_by_name TEXT,
        created_at TEXT NOT NULL,
        first_response_at TEXT,
        resolved_at TEXT,
        resolved_by TEXT,
        reopen_count INTEGER NOT NULL DEFAULT 0,
        last_activity_at TEXT NOT NULL
      );
      CREATE INDEX questions_asker ON questions (customer_id, asker_id, created_at);
      CREATE INDEX questions_state ON questions (state, created_at);
      CREATE INDEX questions_activity ON questions (last_activity_at);`,
  },
  {
    version: 2,
    description: 'questions: resend key (a double click or a retried turn finds the one request)',
    up: `ALTER TABLE questions ADD COLUMN request_key TEXT;
      CREATE INDEX questions_request ON questions (customer_id, request_key, created_at);`,
  },
];

/** Creates the questions store on the SQLite store's connection, migrating its table first. */
export function createSqliteQuestionsStore(base: SqliteStore): QuestionsStore {
  const db: Database.Database = base.database;
  migrateModule(db, base.file, base.logger, { module: 'questions', migrations: MIGRATIONS });
  const s = {
    insert: db.prepare(
      `INSERT INTO questions (id, customer_id, asker_id, asker_name, topic, text, context, incident_id, state,
         claimed_by, claimed_by_name, created_at, first_response_at, resolved_at, resolved_by, reopen_count,
         last_activity_at, request_key)
       VALUES (@id, @customerId, @askerId, @askerName, @topic, @text, @context, @incidentId, @state, @claimedBy,
         @claimedByName, @createdAt, @firstResponseAt, @resolvedAt, @resolvedBy, @reopenCount, @lastActivityAt,
         @requestKey)`,
    ),
    resent: db.prepare<[string, string, string], Row>(
      `SELECT * FROM questions WHERE customer_id = ? AND request_key = ? AND created_at >= ?
        ORDER BY created_at DESC, id DESC LIMIT 1`,
    ),
    get: db.prepare<[string, string], Row>('SELECT * FROM questions WHERE customer_id = ? AND id = ?'),
    getAny: db.prepare<[string], Row>('SELECT * FROM questions WHERE id = ?'),
    count: db.prepare<[string, string, string], { n: number }>(
      'SELECT count(*) AS n FROM questions WHERE customer_id = ? AND created_at >= ? AND created_at < ?',
    ),
    byAsker: db.prepare<[string, string, number], Row>(
      `SELECT * FROM questions WHERE customer_id = ? AND asker_id = ?
        ORDER BY created_at DESC, id DESC LIMIT ?`,
    ),
    purge: db.prepare('DELETE FROM questions WHERE last_activity_at < ?'),
  };

  return {
    async create(question, allocation, resend) {
      return db
        .transaction(() => {
          const again =
            resend === undefined ? undefined : s.resent.get(question.customerId, resend.key, resend.since);
          if (again !== undefined) return { ok: true as const, question: toQuestion(again), existing: true };
          if (allocation !== null) {
            const used = s.count.get(question.customerId, allocation.from, allocation.to)?.n ?? 0;
            if (used >= allocation.limit) return { ok: false as const, used, limit: allocation.limit };
          }
          s.insert.run({ ...question, requestKey: resend?.key ?? null });
          return { ok: true as const, question };
        })
        .immediate();
    },
    async get(customerId, id) {
      const row = s.get.get(customerId, id);
      return row === undefined ? null : toQuestion(row);
    },
    async getForProvider(id) {
      const row = s.getAny.get(id);
      return row === undefined ? null : toQuestion(row);
    },
    async transition(customerId, id, t) {
      const entries = Object.entries(t.patch).filter(([k]) => COLUMNS[k] !== undefined);
      if (t.from.length === 0) return null;
      return db
        .transaction(() => {
          const row = s.get.get(customerId, id);
          if (row === undefined || !t.from.includes(row.state as Question['state'])) return null;
          if (entries.length > 0) {
            const sets = entries.map(([k]) => `${COLUMNS[k]} = ?`).join(', ');
            db.prepare(`UPDATE questions SET ${sets} WHERE customer_id = ? AND id = ?`).run(
              ...entries.map(([, v]) => v as string | number | null),
              customerId,
              id,
            );
          }
          const after = s.get.get(customerId, id);
          return after === undefined ? null : toQuestion(after);
        })
        .immediate();
    },
    async listByAsker(customerId, askerId, limit) {
      return s.byAsker.all(customerId, askerId, limit).map(toQuestion);
    },
    async listQueue(states, limit, offset = 0) {
      if (states.length === 0) return [];
      const marks = states.map(() => '?').join(', ');
      return db
        .prepare<unknown[], Row>(
          `SELECT * FROM questions WHERE state IN (${marks}) ORDER BY created_at ASC, id ASC LIMIT ? OFFSET ?`,
        )
        .all(...states, limit, offset)
        .map(toQuestion);
    },
    async countQueue(states) {
      if (states.length === 0) return 0;
      const marks = states.map(() => '?').join(', ');
      return (
        db
          .prepare<unknown[], { n: number }>(`SELECT count(*) AS n FROM questions WHERE state IN (${marks})`)
          .get(...states)?.n ?? 0
      );
    },
    async countCreated(customerId, from, to) {
      return s.count.get(customerId, from, to)?.n ?? 0;
    },
    async purgeBefore(cutoff) {
      return s.purge.run(cutoff).changes;
    },
  };
}
