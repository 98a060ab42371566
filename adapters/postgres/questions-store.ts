import type { Question } from '../../bot/domain/question.js';
import type { QuestionsStore } from '../../bot/questions/ports.js';
import { COLUMNS, type Row, toQuestion } from '../rows/question-rows.js';
import { FEATURE_LOCK_SQL, type PgFeatureHost, pgGuard } from './feature-host.js';
import { LOCK_NAMESPACE, type PgMigration } from './migrations.js';
import { toNumber } from './pool.js';
import { inTransaction } from './tx.js';

// Ask Defender Experts requests on PostgreSQL (module 'questions'), the twin of
// adapters/sqlite/questions-store.ts. Creation under an allocation takes a per-customer advisory lock for its
// transaction, so two instances cannot both take a customer's last question of the quarter; a transition is
// one conditional UPDATE, re-checked by PostgreSQL after a concurrent writer commits (one claim wins).

const MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    description: 'questions',
    up: `
      CREATE TABLE questions (
        id                text    COLLATE "C" PRIMARY KEY,
        customer_id       text    NOT NULL,
        asker_id          text    NOT NULL,
        asker_name        text    NOT NULL,
        topic             text    NOT NULL,
        text              text    NOT NULL,
        context           text,
        incident_id       text,
        state             text    NOT NULL,
        claimed_by        text,
        claimed_by_name   text,
        created_at        text    COLLATE "C" NOT NULL,
        first_response_at text,
        resolved_at       text,
        resolved_by       text,
        reopen_count      integer NOT NULL DEFAULT 0,
        last_activity_at  text    COLLATE "C" NOT NULL
      );
      CREATE INDEX questions_asker ON questions (customer_id, asker_id, created_at);
      CREATE INDEX questions_state ON questions (state, created_at);
      CREATE INDEX questions_activity ON questions (last_activity_at);`,
  },
  {
    version: 2,
    description: 'questions: resend key (a double click or a retried turn finds the one request)',
    up: `ALTER TABLE questions ADD COLUMN request_key text;
      CREATE INDEX questions_request ON questions (customer_id, request_key, created_at);`,
  },
];

const INSERT = `INSERT INTO questions (id, customer_id, asker_id, asker_name, topic, text, context, incident_id,
    state, claimed_by, claimed_by_name, created_at, first_response_at, resolved_at, resolved_by, reopen_count,
    last_activity_at, request_key)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)`;

const RESENT = `SELECT * FROM questions WHERE customer_id = $1 AND request_key = $2 AND created_at >= $3
  ORDER BY created_at DESC, id DESC LIMIT 1`;

const COUNT = `SELECT count(*) AS n FROM questions WHERE customer_id = $1 AND created_at >= $2 AND created_at < $3`;

/** Creates the questions store on the PostgreSQL store's pool, migrating its table first. */
export async function createPostgresQuestionsStore(host: PgFeatureHost): Promise<QuestionsStore> {
  await host.migrateModule({ module: 'questions', migrations: MIGRATIONS });
  const { pool } = host;
  const run = pgGuard(host.target);
  const one = async (sql: string, params: readonly unknown[]): Promise<Question | null> => {
    const r = await pool.query<Row>(sql, [...params]);
    const row = r.rows[0];
    return row === undefined ? null : toQuestion(row);
  };

  return {
    create: (q, allocation, resend) =>
      run(() =>
        inTransaction(pool, async (c) => {
          if (resend !== undefined) {
            // Serialises the same request's double clicks across instances; then the first one wins.
            await c.query(FEATURE_LOCK_SQL, [
              LOCK_NAMESPACE,
              `questions:resend:${q.customerId}:${resend.key}`,
            ]);
            const again = (await c.query<Row>(RESENT, [q.customerId, resend.key, resend.since])).rows[0];
            if (again !== undefined)
              return { ok: true as const, question: toQuestion(again), existing: true };
          }
          if (allocation !== null) {
            await c.query(FEATURE_LOCK_SQL, [LOCK_NAMESPACE, `questions:${q.customerId}`]);
            const r = await c.query(COUNT, [q.customerId, allocation.from, allocation.to]);
            const used = toNumber(r.rows[0]?.n ?? 0);
            if (used >= allocation.limit) return { ok: false as const, used, limit: allocation.limit };
          }
          await c.query(INSERT, [
            q.id,
            q.customerId,
            q.askerId,
            q.askerName,
            q.topic,
            q.text,
            q.context,
            q.incidentId,
            q.state,
            q.claimedBy,
            q.claimedByName,
            q.createdAt,
            q.firstResponseAt,
            q.resolvedAt,
            q.resolvedBy,
            q.reopenCount,
            q.lastActivityAt,
            resend?.key ?? null,
          ]);
          return { ok: true as const, question: q };
        }),
      ),
    get: (customerId, id) =>
      run(() => one('SELECT * FROM questions WHERE customer_id = $1 AND id = $2', [customerId, id])),
    getForProvider: (id) => run(() => one('SELECT * FROM questions WHERE id = $1', [id])),
    transition: (customerId, id, t) =>
      run(async () => {
        if (t.from.length === 0) return null;
        const entries = Object.entries(t.patch).filter(([k]) => COLUMNS[k] !== undefined);
        const where = 'WHERE customer_id = $1 AND id = $2 AND state = ANY($3::text[])';
        if (entries.length === 0) return one(`SELECT * FROM questions ${where}`, [customerId, id, t.from]);
        const sets = entries.map(([k], i) => `${COLUMNS[k]} = $${i + 4}`).join(', ');
        return one(`UPDATE questions SET ${sets} ${where} RETURNING *`, [
          customerId,
          id,
          t.from,
          ...entries.map(([, v]) => v),
        ]);
      }),
    listByAsker: (customerId, askerId, limit) =>
      run(async () => {
        const r = await pool.query<Row>(
          `SELECT * FROM questions WHERE customer_id = $1 AND asker_id = $2
            ORDER BY created_at DESC, id DESC LIMIT $3`,
          [customerId, askerId, limit],
        );
        return r.rows.map(toQuestion);
      }),
    listQueue: (states, limit, offset = 0) =>
      run(async () => {
        if (states.length === 0) return [];
        const r = await pool.query<Row>(
          `SELECT * FROM questions WHERE state = ANY($1::text[])
            ORDER BY created_at ASC, id ASC LIMIT $2 OFFSET $3`,
          [states, limit, offset],
        );
        return r.rows.map(toQuestion);
      }),
    countQueue: (states) =>
      run(async () => {
        if (states.length === 0) return 0;
        const r = await pool.query('SELECT count(*) AS n FROM questions WHERE state = ANY($1::text[])', [
          states,
        ]);
        return toNumber(r.rows[0]?.n ?? 0);
      }),
    countCreated: (customerId, from, to) =>
      run(async () => toNumber((await pool.query(COUNT, [customerId, from, to])).rows[0]?.n ?? 0)),
    purgeBefore: (cutoff) =>
      run(
        async () =>
          (await pool.query('DELETE FROM questions WHERE last_activity_at < $1', [cutoff])).rowCount ?? 0,
      ),
  };
}
