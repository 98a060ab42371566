import type Database from 'better-sqlite3';
import { BotError } from '../../bot/errors.js';
import type { RelayDraft, RelayStore } from '../../bot/relay/ports.js';
import { migrateModule } from './module-migrations.js';
import { sqliteRelayHistory } from './relay-history.js';
import {
  type CopyRow,
  type PairRow,
  type QueueRow,
  RELAY_MIGRATIONS,
  toCopy,
  toItem,
  toPair,
} from './relay-rows.js';
import type { SqliteStore } from './sqlite-store.js';

// The relay's tables on the SQLite store's connection (module 'relay'): pairs of threads, the durable
// per-pair queue and the map from each source message to its relayed copy. Each operation is one immediate
// transaction; nothing is held open across an await.

/** Creates the relay store on the SQLite store's connection, migrating its tables first. */
export function createSqliteRelayStore(base: SqliteStore): RelayStore {
  const db: Database.Database = base.database;
  migrateModule(db, base.file, base.logger, { module: 'relay', migrations: RELAY_MIGRATIONS });
  const history = sqliteRelayHistory(db);
  const s = {
    pairById: db.prepare<[string], PairRow>('SELECT * FROM relay_pairs WHERE id = ?'),
    pairBySubject: db.prepare<[string, string, string], PairRow>(
      'SELECT * FROM relay_pairs WHERE kind = ? AND customer_id = ? AND subject_id = ?',
    ),
    insertPair: db.prepare(
      `INSERT INTO relay_pairs (id, kind, customer_id, subject_id, customer_conv, customer_ref, customer_thread,
         customer_whole, provider_conv, provider_ref, provider_thread, provider_whole, provider_label, title,
         created_at, last_activity_at)
       VALUES (@id, @kind, @customerId, @subjectId, @customerConv, @customerRef, @customerThread, @customerWhole,
         @providerConv, @providerRef, @providerThread, @providerWhole, @providerLabel, @title, @createdAt,
         @createdAt)`,
    ),
    byCustomerThread: db.prepare<[string, string], PairRow>(
      'SELECT * FROM relay_pairs WHERE customer_conv = ? AND customer_thread = ? AND customer_whole = 0',
    ),
    byProviderThread: db.prepare<[string, string], PairRow>(
      'SELECT * FROM relay_pairs WHERE provider_conv = ? AND provider_thread = ? AND provider_whole = 0',
    ),
    whole: db.prepare<[string, string, string, number], PairRow & { side: string }>(
      `SELECT *, CASE WHEN customer_conv = ? AND customer_whole = 1 THEN 'customer' ELSE 'provider' END AS side
         FROM relay_pairs
        WHERE (customer_conv = ? AND customer_whole = 1) OR (provider_conv = ? AND provider_whole = 1)
        ORDER BY last_activity_at DESC, id DESC LIMIT ?`,
    ),
    inChat: db.prepare<[string, string, string, number], PairRow & { side: string }>(
      `SELECT *, CASE WHEN customer_conv = ? THEN 'customer' ELSE 'provider' END AS side
         FROM relay_pairs WHERE customer_conv = ? OR provider_conv = ?
        ORDER BY last_activity_at DESC, id DESC LIMIT ?`,
    ),
    byCopy: db.prepare<[string, string, string], PairRow & { side: string }>(
      `SELECT p.*, c.to_side AS side FROM relay_copies c JOIN relay_pairs p ON p.id = c.pair_id
         WHERE c.copy_id = ? AND ((c.to_side = 'customer' AND p.customer_conv = ?)
            OR (c.to_side = 'provider' AND p.provider_conv = ?))
         LIMIT 1`,
    ),
    hold: db.prepare(
      `INSERT INTO relay_held (conversation_id, source_id, author, text, held_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (conversation_id, source_id) DO UPDATE SET text = excluded.text, held_at = excluded.held_at`,
    ),
    held: db.prepare<
      [string, string],
      { conversation_id: string; source_id: string; author: string; text: string; held_at: string }
    >('SELECT * FROM relay_held WHERE conversation_id = ? AND source_id = ?'),
    purgeHeld: db.prepare('DELETE FROM relay_held WHERE held_at < ?'),
    pairOfKey: db.prepare<[string], { pair_id: string }>(
      'SELECT pair_id FROM relay_queue WHERE dedup_key = ?',
    ),
    insertItem: db.prepare(
      `INSERT INTO relay_queue (pair_id, dedup_key, to_side, op, source_id, source_at, message, state, not_before,
         created_at)
       VALUES (@pairId, @dedupKey, @to, @op, @sourceId, @sourceAt, @message, 'pending', @notBefore, @createdAt)
       ON CONFLICT (dedup_key) DO NOTHING`,
    ),
    touchPair: db.prepare(
      'UPDATE relay_pairs SET last_activity_at = ? WHERE id = ? AND last_activity_at < ?',
    ),
    heads: db.prepare<{ now: string; limit: number }, QueueRow>(
      `SELECT q.* FROM relay_queue q
        WHERE q.state = 'pending'
          AND NOT EXISTS (SELECT 1 FROM relay_queue e
                           WHERE e.pair_id = q.pair_id AND e.state = 'pending'
                             AND (e.source_at < q.source_at OR (e.source_at = q.source_at AND e.seq < q.seq)))
          AND q.not_before <= @now AND (q.leased_until IS NULL OR q.leased_until <= @now)
        ORDER BY q.seq LIMIT @limit`,
    ),
    pairOfItem: db.prepare<[number], { pair_id: string }>('SELECT pair_id FROM relay_queue WHERE seq = ?'),
    lease: db.prepare('UPDATE relay_queue SET leased_until = ? WHERE seq = ?'),
    done: db.prepare("UPDATE relay_queue SET state = 'done', leased_until = NULL WHERE seq = ?"),
    retry: db.prepare(
      'UPDATE relay_queue SET attempts = attempts + ?, not_before = ?, last_error = ?, leased_until = NULL WHERE seq = ?',
    ),
    abandon: db.prepare(
      "UPDATE relay_queue SET state = 'abandoned', attempts = attempts + 1, last_error = ?, leased_until = NULL WHERE seq = ?",
    ),
    unlease: db.prepare(
      "UPDATE relay_queue SET leased_until = NULL WHERE state = 'pending' AND leased_until IS NOT NULL",
    ),
    pending: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM relay_queue WHERE state = 'pending'"),
    copy: db.prepare<[string, string, string], CopyRow>(
      'SELECT * FROM relay_copies WHERE pair_id = ? AND to_side = ? AND source_id = ?',
    ),
    saveCopy: db.prepare(
      `INSERT INTO relay_copies (pair_id, to_side, source_id, copy_id, version, deleted)
       VALUES (@pairId, @to, @sourceId, @copyId, @version, @deleted)
       ON CONFLICT (pair_id, to_side, source_id) DO UPDATE SET copy_id = excluded.copy_id,
         version = excluded.version, deleted = excluded.deleted`,
    ),
    setCustomerThread: db.prepare('UPDATE relay_pairs SET customer_thread = ? WHERE id = ?'),
    setProviderThread: db.prepare('UPDATE relay_pairs SET provider_thread = ? WHERE id = ?'),
    inactive: db.prepare<[string], { id: string }>('SELECT id FROM relay_pairs WHERE last_activity_at < ?'),
    deleteQueue: db.prepare('DELETE FROM relay_queue WHERE pair_id = ?'),
    deleteCopies: db.prepare('DELETE FROM relay_copies WHERE pair_id = ?'),
    deletePair: db.prepare('DELETE FROM relay_pairs WHERE id = ?'),
  };

  const insertDrafts = (drafts: readonly RelayDraft[], at: string): number => {
    let added = 0;
    for (const d of drafts) {
      const r = s.insertItem.run({ ...d, message: JSON.stringify(d.message), createdAt: at });
      if (r.changes > 0) {
        added += 1;
        s.touchPair.run(at, d.pairId, at);
      }
    }
    return added;
  };

  return {
    async openPair(pair, drafts) {
      return db
        .transaction(() => {
          const existing = s.pairBySubject.get(pair.kind, pair.customerId, pair.subjectId);
          if (existing !== undefined) return { pair: toPair(existing), created: false };
          s.insertPair.run({
            id: pair.id,
            kind: pair.kind,
            customerId: pair.customerId,
            subjectId: pair.subjectId,
            customerConv: pair.customer.conversation.id,
            customerRef: JSON.stringify({ ...pair.customer.conversation, threadId: null }),
            customerThread: pair.customer.threadId,
            customerWhole: pair.customer.wholeConversation ? 1 : 0,
            providerConv: pair.provider.conversation.id,
            providerRef: JSON.stringify({ ...pair.provider.conversation, threadId: null }),
            providerThread: pair.provider.threadId,
            providerWhole: pair.provider.wholeConversation ? 1 : 0,
            providerLabel: pair.providerLabel,
            title: pair.title ?? '',
            createdAt: pair.createdAt,
          });
          insertDrafts(drafts(pair.id), pair.createdAt);
          const row = s.pairById.get(pair.id);
          if (row === undefined) throw new BotError('conflict', 'relay pair vanished while opening it');
          return { pair: toPair(row), created: true };
        })
        .immediate();
    },
    async getPair(pairId) {
      const row = s.pairById.get(pairId);
      return row === undefined ? null : toPair(row);
    },
    async findPair(kind, customerId, subjectId) {
      const row = s.pairBySubject.get(kind, customerId, subjectId);
      return row === undefined ? null : toPair(row);
    },
    async findByThread(conversationId, threadId) {
      if (threadId === null) return null;
      const c = s.byCustomerThread.get(conversationId, threadId);
      if (c !== undefined) return { pair: toPair(c), side: 'customer' };
      const p = s.byProviderThread.get(conversationId, threadId);
      return p === undefined ? null : { pair: toPair(p), side: 'provider' };
    },
    async listWhole(conversationId, limit) {
      return s.whole
        .all(conversationId, conversationId, conversationId, limit)
        .map((r) => ({ pair: toPair(r), side: r.side === 'customer' ? 'customer' : 'provider' }) as const);
    },
    async listInChat(conversationId, limit) {
      return s.inChat
        .all(conversationId, conversationId, conversationId, limit)
        .map((r) => ({ pair: toPair(r), side: r.side === 'customer' ? 'customer' : 'provider' }) as const);
    },
    async findByCopy(conversationId, copyId) {
      const r = s.byCopy.get(copyId, conversationId, conversationId);
      return r === undefined
        ? null
        : { pair: toPair(r), side: r.side === 'customer' ? 'customer' : 'provider' };
    },
    async pairOfItem(dedupKey) {
      return s.pairOfKey.get(dedupKey)?.pair_id ?? null;
    },
    async hold(m) {
      s.hold.run(m.conversationId, m.sourceId, m.author, m.text, m.heldAt);
    },
    async getHeld(conversationId, sourceId) {
      const r = s.held.get(conversationId, sourceId);
      return r === undefined
        ? null
        : {
            conversationId: r.conversation_id,
            sourceId: r.source_id,
            author: r.author,
            text: r.text,
            heldAt: r.held_at,
          };
    },
    async enqueue(drafts, at) {
      return db.transaction(() => insertDrafts(drafts, at)).immediate();
    },
    async claimHeads(now, leaseMs, limit) {
      return db
        .transaction(() => {
          const rows = s.heads.all({ now: now.toISOString(), limit });
          const until = new Date(now.getTime() + leaseMs).toISOString();
          for (const r of rows) s.lease.run(until, r.seq);
          return rows.map(toItem);
        })
        .immediate();
    },
    async getCopy(pairId, to, sourceId) {
      const row = s.copy.get(pairId, to, sourceId);
      return row === undefined ? null : toCopy(row);
    },
    async complete(seq, effects) {
      db.transaction(() => {
        if (effects?.thread !== undefined) {
          const stmt = effects.thread.side === 'customer' ? s.setCustomerThread : s.setProviderThread;
          const row = s.pairOfItem.get(seq);
          if (row !== undefined) stmt.run(effects.thread.threadId, row.pair_id);
        }
        if (effects?.copy !== undefined)
          s.saveCopy.run({ ...effects.copy, deleted: effects.copy.deleted ? 1 : 0 });
        s.done.run(seq);
      }).immediate();
    },
    async retry(seq, notBefore, error, countAttempt) {
      s.retry.run(countAttempt ? 1 : 0, notBefore.toISOString(), error.slice(0, 500), seq);
    },
    async abandon(seq, error) {
      s.abandon.run(error.slice(0, 500), seq);
    },
    async recover() {
      return s.unlease.run().changes;
    },
    async countPending() {
      return s.pending.get()?.n ?? 0;
    },
    async purgeInactive(cutoff) {
      return db
        .transaction(() => {
          s.purgeHeld.run(cutoff);
          const ids = s.inactive.all(cutoff);
          for (const { id } of ids) {
            s.deleteQueue.run(id);
            s.deleteCopies.run(id);
            history.forget(id);
            s.deletePair.run(id);
          }
          return ids.length;
        })
        .immediate();
    },
    listPairs: history.listPairs,
    markRead: history.markRead,
    readMarks: history.readMarks,
  };
}
