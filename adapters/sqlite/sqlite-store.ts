import type Database from 'better-sqlite3';
import { INCIDENT_VIEWS, type Incident, type IncidentView } from '../../bot/domain/incident.js';
import { BotError } from '../../bot/errors.js';
import {
  type Clock,
  type CompleteEffects,
  type IncidentChange,
  type IncidentPage,
  type IncidentQuery,
  type Logger,
  type OutboxPlanner,
  type Store,
  systemClock,
  type ViewCounts,
} from '../../bot/ports.js';
import { type BindingRow, bindingFromRow, bindingToRow } from './binding-rows.js';
import { mapSqliteError } from './errors.js';
import { createGroupCommit } from './group-commit.js';
import { fromBody, ORDER_SQL, sameContent, toRow, VIEW_SQL } from './incident-rows.js';
import { openSqliteDatabase, silentLogger } from './open.js';
import { installationStatements, outboxStatements } from './outbox-store.js';

// The embedded default Store: one SQLite file, one connection, synchronous driver behind the
// async port. Every query is scoped by customer_id; writes that belong together share one transaction.

export interface SqliteStoreOptions {
  /** Path of the database file (parent directories are created), or ':memory:' for throwaway tests. */
  readonly file: string;
  readonly logger?: Logger;
  /** Time source for claimOnce retention; tests pass a fake clock. */
  readonly clock?: Clock;
  readonly busyTimeoutMs?: number;
}

/**
 * The SQLite Store plus its open connection, for the feature stores (questions, audit, check-ins…) that keep
 * their tables in the same file: one connection, one writer, so their transactions never interleave.
 */
export interface SqliteStore extends Store {
  readonly database: Database.Database;
  readonly file: string;
  readonly logger: Logger;
}

const PURGE_EVERY_MS = 60_000;

function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BotError('bad_input', `${name} must be a non-negative integer, got ${value}`);
  }
}

function assertView(view: string): asserts view is IncidentView {
  if (!(INCIDENT_VIEWS as readonly string[]).includes(view)) {
    throw new BotError('bad_input', `unknown incident view "${view}"`);
  }
}

// Prepared once at start-up: a typo in SQL fails start-up, not the first request that needs it.
function prepareStatements(db: Database.Database) {
  const selectIncident = db.prepare<[string, string], { body: string; last_update_key: string }>(
    'SELECT body, last_update_key FROM incidents WHERE customer_id = ? AND id = ?',
  );
  const upsertIncident = db.prepare(
    `INSERT INTO incidents (customer_id, id, status, status_known, severity, severity_known, assignee_kind,
         last_update_key, body)
       VALUES (@customer_id, @id, @status, @status_known, @severity, @severity_known, @assignee_kind,
         @last_update_key, @body)
       ON CONFLICT (customer_id, id) DO UPDATE SET status = excluded.status, status_known = excluded.status_known,
         severity = excluded.severity, severity_known = excluded.severity_known,
         assignee_kind = excluded.assignee_kind, last_update_key = excluded.last_update_key, body = excluded.body`,
  );
  const selectCursor = db.prepare<[string], { cursor: string }>(
    'SELECT cursor FROM cursors WHERE customer_id = ?',
  );
  const upsertCursor = db.prepare(
    'INSERT INTO cursors (customer_id, cursor) VALUES (?, ?) ON CONFLICT (customer_id) DO UPDATE SET cursor = excluded.cursor',
  );
  const countViews = db.prepare<[string], Record<IncidentView, number>>(
    `SELECT ${INCIDENT_VIEWS.map((v) => `count(*) FILTER (WHERE ${VIEW_SQL[v]}) AS "${v}"`).join(', ')}
       FROM incidents WHERE customer_id = ?`,
  );
  const upsertBinding = db.prepare(
    `INSERT INTO bindings (customer_id, conversation_id, id, conversation, events, on_call, created_by, created_at, paused)
       VALUES (@customer_id, @conversation_id, @id, @conversation, @events, @on_call, @created_by, @created_at, @paused)
       ON CONFLICT (customer_id, conversation_id) DO UPDATE SET id = excluded.id, conversation = excluded.conversation,
         events = excluded.events, on_call = excluded.on_call, created_by = excluded.created_by,
         created_at = excluded.created_at, paused = excluded.paused`,
  );
  const removeBinding = db.prepare('DELETE FROM bindings WHERE customer_id = ? AND conversation_id = ?');
  const selectBindingById = db.prepare<[string], BindingRow>('SELECT * FROM bindings WHERE id = ?');
  const pauseBinding = db.prepare('UPDATE bindings SET paused = ? WHERE id = ?');
  const selectBindings = db.prepare<[string], BindingRow>(
    'SELECT * FROM bindings WHERE customer_id = ? ORDER BY created_at, conversation_id',
  );
  const forgetExpiredKey = db.prepare('DELETE FROM claims WHERE key = ? AND expires_at <= ?');
  const insertClaim = db.prepare('INSERT OR IGNORE INTO claims (key, expires_at) VALUES (?, ?)');
  const purgeClaims = db.prepare('DELETE FROM claims WHERE expires_at <= ?');
  return {
    selectIncident,
    upsertIncident,
    selectCursor,
    upsertCursor,
    countViews,
    upsertBinding,
    removeBinding,
    selectBindingById,
    pauseBinding,
    selectBindings,
    forgetExpiredKey,
    insertClaim,
    purgeClaims,
  };
}

/**
 * Opens the file (verifying and migrating it) and returns the Store. Synchronous because the driver is:
 * start-up fails right here with StoreCorruptError / SchemaTooNewError rather than on the first request.
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const { file } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const db = openSqliteDatabase(file, { logger, busyTimeoutMs: options.busyTimeoutMs });

  const run = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw mapSqliteError(error, file, db);
    }
  };

  let statements: ReturnType<typeof prepareStatements>;
  try {
    statements = prepareStatements(db);
  } catch (error) {
    db.close();
    throw mapSqliteError(error, file, db);
  }
  let lastPurge = Number.NEGATIVE_INFINITY;

  // listIncidents statements, one pair per (view, severity filter or not), prepared on first use.
  const listStatements = new Map<string, { page: Database.Statement; total: Database.Statement }>();
  const listStatementsFor = (view: IncidentView, bySeverity: boolean) => {
    const key = `${view}:${bySeverity}`;
    let cached = listStatements.get(key);
    if (cached === undefined) {
      const where = `customer_id = @customerId AND ${VIEW_SQL[view]}${
        bySeverity ? ' AND severity_known = 1 AND severity = @severity' : ''
      }`;
      cached = {
        page: db.prepare(
          `SELECT body FROM incidents WHERE ${where} ORDER BY ${ORDER_SQL} LIMIT @limit OFFSET @offset`,
        ),
        total: db.prepare(`SELECT count(*) AS n FROM incidents WHERE ${where}`),
      };
      listStatements.set(key, cached);
    }
    return cached;
  };

  const outbox = outboxStatements(db, clock);
  // Completions from many conversation workers share one durable write (group commit): with
  // synchronous=FULL each transaction costs an fsync, and a worker waits for its own before sending again.
  const groupCommit = createGroupCommit<{ id: number; effects: CompleteEffects | undefined }>((batch) =>
    run(() =>
      db
        .transaction(() => {
          for (const { id, effects } of batch) {
            if (effects?.post !== undefined) outbox.savePost(effects.post);
            if (effects?.enqueue !== undefined) outbox.enqueue(effects.enqueue);
            outbox.complete(id);
          }
        })
        .immediate(),
    ),
  );
  const installations = installationStatements(db, clock);

  const saveChanges = db.transaction(
    (
      customerId: string,
      incidents: readonly Incident[],
      cursor: string | null,
      plan: OutboxPlanner | undefined,
    ): IncidentChange[] => {
      const firstSync = statements.selectCursor.get(customerId) === undefined;
      const changes: IncidentChange[] = [];
      for (const incident of incidents) {
        // Checked inside the transaction on purpose: a bad item rolls back the items written before it.
        if (incident.customerId !== customerId) {
          throw new BotError(
            'bad_input',
            `incident ${incident.id} belongs to customer ${incident.customerId}, not ${customerId}`,
          );
        }
        const row = toRow(incident);
        if (row.last_update_key === '') {
          logger.warn(
            { customerId, incidentId: incident.id, lastUpdateDateTime: incident.lastUpdateDateTime },
            'incident lastUpdateDateTime is not an ISO 8601 instant; it sorts as the oldest',
          );
        }
        const stored = statements.selectIncident.get(customerId, incident.id);
        let previous: Incident | null = null;
        if (stored !== undefined) {
          if (row.last_update_key < stored.last_update_key) continue; // an older copy (overlap window)
          previous = fromBody(stored.body);
          if (sameContent(previous, incident)) continue;
        }
        statements.upsertIncident.run(row);
        changes.push({ previous, current: incident });
      }
      if (cursor !== null) statements.upsertCursor.run(customerId, cursor);
      if (plan !== undefined && changes.length > 0) {
        const drafts = plan(changes, firstSync);
        for (const d of drafts) {
          if (d.customerId !== customerId) {
            throw new BotError(
              'bad_input',
              `outbox row for customer ${d.customerId} planned in a save for ${customerId}`,
            );
          }
        }
        outbox.enqueue(drafts);
      }
      return changes;
    },
  );

  const claim = db.transaction((key: string, retainSeconds: number): boolean => {
    const now = clock.now().getTime();
    if (now - lastPurge >= PURGE_EVERY_MS) {
      statements.purgeClaims.run(now);
      lastPurge = now;
    } else {
      statements.forgetExpiredKey.run(key, now);
    }
    return statements.insertClaim.run(key, now + Math.ceil(retainSeconds * 1000)).changes === 1;
  });

  const list = db.transaction((query: IncidentQuery): IncidentPage => {
    const prepared = listStatementsFor(query.view, query.severity !== null);
    const rows = prepared.page.all(query) as { body: string }[];
    const { n } = prepared.total.get(query) as { n: number };
    return { items: rows.map((r) => fromBody(r.body)), total: n };
  });

  return {
    database: db,
    file,
    logger,
    async saveIncidentChanges(customerId, incidents, cursor, plan) {
      return run(() => saveChanges.immediate(customerId, incidents, cursor, plan));
    },
    async getCursor(customerId) {
      return run(() => statements.selectCursor.get(customerId)?.cursor ?? null);
    },
    async getIncident(customerId, incidentId) {
      return run(() => {
        const row = statements.selectIncident.get(customerId, incidentId);
        return row === undefined ? null : fromBody(row.body);
      });
    },
    async listIncidents(query) {
      assertView(query.view);
      assertCount('limit', query.limit);
      assertCount('offset', query.offset);
      return run(() => list(query));
    },
    async countByView(customerId): Promise<ViewCounts> {
      return run(() => {
        const counts = statements.countViews.get(customerId);
        return Object.fromEntries(INCIDENT_VIEWS.map((v) => [v, counts?.[v] ?? 0])) as Record<
          IncidentView,
          number
        >;
      });
    },
    async saveBinding(binding) {
      run(() => statements.upsertBinding.run(bindingToRow(binding)));
    },
    async deleteBinding(customerId, conversationId) {
      return run(() => statements.removeBinding.run(customerId, conversationId).changes > 0);
    },
    async listBindings(customerId) {
      return run(() => statements.selectBindings.all(customerId).map(bindingFromRow));
    },
    async getBinding(bindingId) {
      return run(() => {
        const row = statements.selectBindingById.get(bindingId);
        return row === undefined ? null : bindingFromRow(row);
      });
    },
    async setBindingPaused(bindingId, paused) {
      return run(() => statements.pauseBinding.run(paused ? 1 : 0, bindingId).changes > 0);
    },
    async enqueueOutbox(drafts) {
      return run(() => db.transaction(() => outbox.enqueue(drafts)).immediate());
    },
    async claimOutbox(limit, leaseMs, now) {
      assertCount('limit', limit);
      return run(() => outbox.claim.immediate(limit, leaseMs, now));
    },
    completeOutbox(id, effects) {
      return groupCommit.submit({ id, effects });
    },
    async retryOutbox(id, notBefore, error, countAttempt = true) {
      run(() => outbox.retry(id, notBefore, error, countAttempt));
    },
    async touchOutbox(id) {
      // One process serves this file: a row it leased stays its own until it completes or releases it.
      return run(() => outbox.touch(id));
    },
    async abandonOutbox(id, error) {
      run(() => outbox.abandon(id, error));
    },
    async recoverOutbox() {
      return run(() => outbox.recover());
    },
    async countPendingOutbox() {
      return run(() => outbox.countPending());
    },
    async getIncidentPost(bindingId, incidentId) {
      return run(() => outbox.getPost(bindingId, incidentId));
    },
    async saveIncidentPost(post) {
      run(() => outbox.savePost(post));
    },
    async saveInstallation(platform, key, installation) {
      run(() => installations.save(platform, key, installation));
    },
    async getInstallation(platform, key) {
      return run(() => installations.get(platform, key));
    },
    async deleteInstallation(platform, key) {
      return run(() => installations.remove(platform, key));
    },
    async claimOnce(key, retainSeconds) {
      if (!Number.isFinite(retainSeconds) || retainSeconds < 0) {
        throw new BotError('bad_input', `retainSeconds must be a non-negative number, got ${retainSeconds}`);
      }
      return run(() => claim.immediate(key, retainSeconds));
    },
    async ping() {
      run(() => db.prepare('SELECT 1').get());
    },
    async close() {
      if (db.open) db.close();
    },
  };
}
