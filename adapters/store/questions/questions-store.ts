import type { Expression, ExpressionBuilder, Insertable, Selectable, SqlBool } from 'kysely';
import { QUESTION_TOPICS, type Question } from '../../../bot/domain/question.js';
import type { QuestionsStore } from '../../../bot/questions/questions-ports.js';
import { pgXactLock } from '../../postgres/xact-lock.js';
import type { CoreTables } from '../core/core-schema.js';
import type { DbTimestamp, Dialect } from '../dialect.js';
import { oneOf, rowsOf, stamp, written } from '../feature-kit.js';
import type { FeatureHost } from '../host.js';
import type { QuestionsTable, QuestionsTables } from './questions-schema.js';
import { QUESTIONS_SCHEMA } from './questions-schema.js';

// Ask Defender Experts requests, written once for both databases. Creation counts the quarterly allocation
// in the same write transaction, so two askers cannot both take the last one: SQLite's one writer already
// serialises it, PostgreSQL takes a per-customer advisory lock (instances share the database). A transition
// is one conditional UPDATE (compare-and-set): of two claims, one wins.

type Row = Selectable<QuestionsTable>;
type Columns = { readonly [field: string]: keyof Row };

/** The fields a question is asked with, each with its column: fixed from then on. */
const ASKED = {
  id: 'id',
  customerId: 'customer_id',
  askerId: 'asker_id',
  askerName: 'asker_name',
  topic: 'topic',
  text: 'text',
  context: 'context',
  incidentId: 'incident_id',
  createdAt: 'created_at',
} as const;
/** What a transition may change (the only fields of a patch that reach the SQL), each with its column. */
const PATCHABLE = {
  state: 'state',
  claimedBy: 'claimed_by',
  claimedByName: 'claimed_by_name',
  firstResponseAt: 'first_response_at',
  resolvedAt: 'resolved_at',
  resolvedBy: 'resolved_by',
  reopenCount: 'reopen_count',
  lastActivityAt: 'last_activity_at',
} as const;
const COLUMNS: Columns = { ...ASKED, ...PATCHABLE } satisfies Record<keyof Question, keyof Row>;
const INSTANTS = new Set(['createdAt', 'firstResponseAt', 'resolvedAt', 'lastActivityAt']);

/** The fields that have a column in `columns`, under its name (instants through the codec). */
const toColumns = (d: Dialect, fields: Partial<Question>, columns = COLUMNS): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(fields)
      .filter(([f]) => f in columns)
      .map(([f, v]) => [columns[f], INSTANTS.has(f) && v !== null ? stamp(d, v as string, f) : v]),
  );

function fromRow(d: Dialect, r: Row): Question {
  const fields = Object.entries(COLUMNS).map(([f, c]) => [
    f,
    INSTANTS.has(f) ? d.readTimestamp(r[c] as DbTimestamp | null) : r[c],
  ]);
  const q = Object.fromEntries(fields) as Question;
  // An unknown topic reads as 'other'; an unknown resolver as none.
  const resolvedBy = q.resolvedBy === 'expert' || q.resolvedBy === 'asker' ? q.resolvedBy : null;
  return { ...q, topic: oneOf(QUESTION_TOPICS, q.topic, 'other'), resolvedBy };
}

/** Opens the questions store on the core store's database, migrating its table first. */
export async function createQuestionsStore(host: FeatureHost): Promise<QuestionsStore> {
  await host.db.migrate(QUESTIONS_SCHEMA);
  const db = host.db.withTables<QuestionsTables>();
  const { kysely, dialect: d } = db;
  type Q = typeof kysely;
  type Where = (eb: ExpressionBuilder<CoreTables & QuestionsTables, 'questions'>) => Expression<SqlBool>;
  // Only PostgreSQL has other writers to wait for.
  const lock = d.name === 'postgres' ? pgXactLock : async () => undefined;
  const questions = rowsOf((r: Row) => fromRow(d, r));
  const rows = (k: Q = kysely) => k.selectFrom('questions').selectAll();
  const counted = (k: Q = kysely) =>
    k.selectFrom('questions').select((eb) => eb.fn.countAll<number | string>().as('n'));
  const created = async (k: Q, customerId: string, from: string, to: string) => {
    const theirs = counted(k).where('customer_id', '=', customerId);
    const inPeriod = theirs
      .where('created_at', '>=', stamp(d, from, 'from'))
      .where('created_at', '<', stamp(d, to, 'to'));
    return d.readInt((await inPeriod.executeTakeFirstOrThrow()).n);
  };

  return {
    create: async (q, allocation, resend) => {
      const row = { ...toColumns(d, q), request_key: resend?.key ?? null } as Insertable<QuestionsTable>;
      return db.tx(async (trx) => {
        if (resend !== undefined) {
          // Serialises the same request's double clicks; then the first one wins.
          await lock(trx, `questions:resend:${q.customerId}:${resend.key}`);
          const key = { customer_id: q.customerId, request_key: resend.key };
          const since = stamp(d, resend.since, 'since');
          const recent = rows(trx)
            .where((eb) => eb.and(key))
            .where('created_at', '>=', since);
          const again = await questions.one(
            recent.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1),
          );
          if (again !== null) return { ok: true as const, question: again, existing: true };
        }
        if (allocation !== null) {
          await lock(trx, `questions:${q.customerId}`);
          const used = await created(trx, q.customerId, allocation.from, allocation.to);
          if (used >= allocation.limit) return { ok: false as const, used, limit: allocation.limit };
        }
        await trx.insertInto('questions').values(row).execute();
        return { ok: true as const, question: q };
      });
    },
    get: (customer_id, id) => db.run(() => questions.one(rows().where((eb) => eb.and({ customer_id, id })))),
    getForProvider: (id) => db.run(() => questions.one(rows().where('id', '=', id))),
    transition: (customerId, id, t) =>
      db.run(async () => {
        if (t.from.length === 0) return null;
        const set = toColumns(d, t.patch, PATCHABLE);
        const from: Where = (eb) =>
          eb.and([eb('customer_id', '=', customerId), eb('id', '=', id), eb('state', 'in', t.from)]);
        // Nothing to change: the question as it is, if it is in one of the states.
        if (Object.keys(set).length === 0) return questions.one(rows().where(from));
        return questions.one(kysely.updateTable('questions').set(set).where(from).returningAll());
      }),
    listByAsker: (customerId, askerId, limit) => {
      const mine = rows().where('customer_id', '=', customerId).where('asker_id', '=', askerId);
      return db.run(() =>
        questions.all(mine.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit)),
      );
    },
    listQueue: async (states, limit, offset = 0) => {
      if (states.length === 0) return [];
      const queue = rows().where('state', 'in', states).orderBy('created_at', 'asc').orderBy('id', 'asc');
      return db.run(() => questions.all(queue.limit(limit).offset(offset)));
    },
    countQueue: async (states) => {
      if (states.length === 0) return 0;
      const queued = counted().where('state', 'in', states);
      return db.run(async () => d.readInt((await queued.executeTakeFirstOrThrow()).n));
    },
    countCreated: (customerId, from, to) => db.run(() => created(kysely, customerId, from, to)),
    purgeBefore: (cutoff) =>
      db.run(() =>
        written(kysely.deleteFrom('questions').where('last_activity_at', '<', stamp(d, cutoff, 'cutoff'))),
      ),
  };
}
