import type { Kysely, Selectable } from 'kysely';
import { QUESTION_TOPICS, type Question, type QuestionTopic } from '../../../bot/domain/question.js';
import type { QuestionsStore } from '../../../bot/questions/ports.js';
import { pgXactLock } from '../../postgres/xact-lock.js';
import type { Dialect } from '../dialect.js';
import type { FeatureHost } from '../host.js';
import { QUESTIONS_SCHEMA } from './schema.js';
import type { QuestionsTables } from './tables.js';

// Ask Defender Experts requests, written once for both databases. Creation counts the quarterly allocation
// in the same write transaction, so two askers cannot both take the last one: SQLite's one writer already
// serialises it, PostgreSQL takes a per-customer advisory lock (instances share the database). A transition
// is one conditional UPDATE (compare-and-set): of two claims, one wins.

type Row = Selectable<QuestionsTables['questions']>;
type Db = Kysely<QuestionsTables>;

/** The patchable fields and their columns; instants go through the dialect's codec. */
const COLUMNS = {
  state: 'state',
  claimedBy: 'claimed_by',
  claimedByName: 'claimed_by_name',
  firstResponseAt: 'first_response_at',
  resolvedAt: 'resolved_at',
  resolvedBy: 'resolved_by',
  reopenCount: 'reopen_count',
  lastActivityAt: 'last_activity_at',
} as const;
const INSTANTS = new Set<string>(['firstResponseAt', 'resolvedAt', 'lastActivityAt']);

const fromRow = (d: Dialect, r: Row): Question => ({
  id: r.id,
  customerId: r.customer_id,
  askerId: r.asker_id,
  askerName: r.asker_name,
  // An unknown topic reads as 'other'.
  topic: (QUESTION_TOPICS as readonly string[]).includes(r.topic) ? (r.topic as QuestionTopic) : 'other',
  text: r.text,
  context: r.context,
  incidentId: r.incident_id,
  state: r.state as Question['state'],
  claimedBy: r.claimed_by,
  claimedByName: r.claimed_by_name,
  createdAt: d.readTimestamp(r.created_at),
  firstResponseAt: d.readTimestamp(r.first_response_at),
  resolvedAt: d.readTimestamp(r.resolved_at),
  resolvedBy: r.resolved_by === 'expert' || r.resolved_by === 'asker' ? r.resolved_by : null,
  reopenCount: r.reopen_count,
  lastActivityAt: d.readTimestamp(r.last_activity_at),
});

/** Opens the questions store on the core store's database, migrating its table first. */
export async function createQuestionsStore(host: FeatureHost): Promise<QuestionsStore> {
  await host.db.migrate(QUESTIONS_SCHEMA);
  const db = host.db.withTables<QuestionsTables>();
  const { kysely, dialect: d } = db;
  // Only PostgreSQL has other writers to wait for.
  const lock = d.name === 'postgres' ? pgXactLock : async () => undefined;
  const ts = (v: string | null) => (v === null ? null : d.timestamp(v));
  const count = async (k: Db, customerId: string, from: string, to: string): Promise<number> => {
    const r = await k
      .selectFrom('questions')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('customer_id', '=', customerId)
      .where('created_at', '>=', d.timestamp(from))
      .where('created_at', '<', d.timestamp(to))
      .executeTakeFirstOrThrow();
    return d.readInt(r.n as number | string);
  };
  const one = (row: Row | undefined): Question | null => (row === undefined ? null : fromRow(d, row));

  return {
    create: (q, allocation, resend) =>
      db.tx(async (trx) => {
        if (resend !== undefined) {
          // Serialises the same request's double clicks; then the first one wins.
          await lock(trx, `questions:resend:${q.customerId}:${resend.key}`);
          const again = await trx
            .selectFrom('questions')
            .selectAll()
            .where('customer_id', '=', q.customerId)
            .where('request_key', '=', resend.key)
            .where('created_at', '>=', d.timestamp(resend.since))
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(1)
            .executeTakeFirst();
          if (again !== undefined) return { ok: true as const, question: fromRow(d, again), existing: true };
        }
        if (allocation !== null) {
          await lock(trx, `questions:${q.customerId}`);
          const used = await count(trx, q.customerId, allocation.from, allocation.to);
          if (used >= allocation.limit) return { ok: false as const, used, limit: allocation.limit };
        }
        await trx
          .insertInto('questions')
          .values({
            id: q.id,
            customer_id: q.customerId,
            asker_id: q.askerId,
            asker_name: q.askerName,
            topic: q.topic,
            text: q.text,
            context: q.context,
            incident_id: q.incidentId,
            state: q.state,
            claimed_by: q.claimedBy,
            claimed_by_name: q.claimedByName,
            created_at: d.timestamp(q.createdAt),
            first_response_at: ts(q.firstResponseAt),
            resolved_at: ts(q.resolvedAt),
            resolved_by: q.resolvedBy,
            reopen_count: q.reopenCount,
            last_activity_at: d.timestamp(q.lastActivityAt),
            request_key: resend?.key ?? null,
          })
          .execute();
        return { ok: true as const, question: q };
      }),
    get: (customerId, id) =>
      db.run(async () =>
        one(
          await kysely
            .selectFrom('questions')
            .selectAll()
            .where('customer_id', '=', customerId)
            .where('id', '=', id)
            .executeTakeFirst(),
        ),
      ),
    getForProvider: (id) =>
      db.run(async () =>
        one(await kysely.selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirst()),
      ),
    transition: (customerId, id, t) =>
      db.run(async () => {
        if (t.from.length === 0) return null;
        const set: Record<string, unknown> = {};
        for (const [field, value] of Object.entries(t.patch)) {
          const column = COLUMNS[field as keyof typeof COLUMNS];
          if (column !== undefined) set[column] = INSTANTS.has(field) ? ts(value as string | null) : value;
        }
        if (Object.keys(set).length === 0) {
          return one(
            await kysely
              .selectFrom('questions')
              .selectAll()
              .where('customer_id', '=', customerId)
              .where('id', '=', id)
              .where('state', 'in', t.from)
              .executeTakeFirst(),
          );
        }
        return one(
          await kysely
            .updateTable('questions')
            .set(set)
            .where('customer_id', '=', customerId)
            .where('id', '=', id)
            .where('state', 'in', t.from)
            .returningAll()
            .executeTakeFirst(),
        );
      }),
    listByAsker: (customerId, askerId, limit) =>
      db.run(async () =>
        (
          await kysely
            .selectFrom('questions')
            .selectAll()
            .where('customer_id', '=', customerId)
            .where('asker_id', '=', askerId)
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            .limit(limit)
            .execute()
        ).map((r) => fromRow(d, r)),
      ),
    listQueue: (states, limit, offset = 0) =>
      db.run(async () => {
        if (states.length === 0) return [];
        const rows = await kysely
          .selectFrom('questions')
          .selectAll()
          .where('state', 'in', states)
          .orderBy('created_at', 'asc')
          .orderBy('id', 'asc')
          .limit(limit)
          .offset(offset)
          .execute();
        return rows.map((r) => fromRow(d, r));
      }),
    countQueue: (states) =>
      db.run(async () => {
        if (states.length === 0) return 0;
        const r = await kysely
          .selectFrom('questions')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('state', 'in', states)
          .executeTakeFirstOrThrow();
        return d.readInt(r.n as number | string);
      }),
    countCreated: (customerId, from, to) => db.run(() => count(kysely, customerId, from, to)),
    purgeBefore: (cutoff) =>
      db.run(async () => {
        const r = await kysely
          .deleteFrom('questions')
          .where('last_activity_at', '<', d.timestamp(cutoff))
          .executeTakeFirst();
        return Number(r.numDeletedRows);
      }),
  };
}
