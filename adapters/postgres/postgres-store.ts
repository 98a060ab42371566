import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pg from 'pg';
import type { ChannelBinding } from '../../bot/domain/conversation.js';
import { INCIDENT_VIEWS, type IncidentView } from '../../bot/domain/incident.js';
import { BotError } from '../../bot/errors.js';
import { type Clock, type Logger, type Store, systemClock } from '../../bot/ports.js';
import { type BindingRow, bindingFromRow, bindingToRow } from '../sqlite/binding-rows.js';
import { fromBody } from '../sqlite/incident-rows.js';
import { silentLogger } from '../sqlite/open.js';
import { describeTarget, mapPgError } from './errors.js';
import { registerInstance } from './instances.js';
import { migratePg, migratePgModule, type PgSchemaModule } from './migrations.js';
import { countViews, listPage, saveChanges } from './pg-incidents.js';
import { enqueueDrafts, getPost, pgOutbox, savePost } from './pg-outbox.js';
import { assertServerVersion, createPool, quoteSchema } from './pool.js';
import { inTransaction } from './tx.js';

// The shared Store for several bot instances: PostgreSQL through a pg pool, with the
// SQLite store's semantics (the same contract suites run against both). Selected when DATABASE_URL is set.

export interface PostgresStoreOptions {
  readonly connectionString: string;
  /** Schema for the tables (created if missing); default: the connection's search_path. */
  readonly schema?: string;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Names this process in leases; stable across restarts lets a restart free its own leases at once. */
  readonly instanceId?: string;
  /** An instance whose heartbeat is older than this is gone: its lanes and leases are taken over. */
  readonly instanceTimeoutMs?: number;
  readonly poolSize?: number;
}

/** The PostgreSQL Store plus what feature stores and the leadership need: its pool and identity. */
export interface PostgresStore extends Store {
  readonly pool: pg.Pool;
  /** host:port/database (no credentials), for messages. */
  readonly target: string;
  readonly instanceId: string;
  readonly logger: Logger;
  /** Brings a feature module's own tables up to date (the PostgreSQL twin of migrateModule). */
  migrateModule(schema: PgSchemaModule): Promise<{ from: number; to: number }>;
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

type PgBindingRow = Omit<BindingRow, 'paused'> & { paused: boolean };
const fromPgBinding = (row: PgBindingRow): ChannelBinding =>
  bindingFromRow({ ...row, paused: row.paused ? 1 : 0 });

/** A unique default instance id: host, pid and a random tail (pids repeat across containers). */
export const defaultInstanceId = (): string => `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

/** Connects, migrates and registers this instance; rejects with store_unavailable naming the server. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const target = describeTarget(options.connectionString);
  const label = options.schema === undefined ? target : `${target} schema ${options.schema}`;
  const instanceId = options.instanceId ?? defaultInstanceId();
  const timeoutMs = options.instanceTimeoutMs ?? 15_000;
  const pool = createPool(
    {
      connectionString: options.connectionString,
      schema: options.schema,
      max: options.poolSize,
      // A stalled process must not hold row locks (the fence row above all) much past its heartbeat.
      idleInTransactionMs: Math.min(10_000, timeoutMs),
    },
    (error) => logger.warn({ target, err: error.message }, 'idle PostgreSQL connection failed'),
  );
  const run = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw mapPgError(error, target);
    }
  };

  let registry: Awaited<ReturnType<typeof registerInstance>>;
  try {
    const version = await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
    assertServerVersion(version.rows[0]?.v, target);
    if (options.schema !== undefined)
      await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteSchema(options.schema)}`);
    const { from, to } = await migratePg(pool, label, logger);
    registry = await registerInstance(pool, instanceId, timeoutMs, logger);
    logger.info(
      { target, schema: options.schema, schemaFrom: from, schemaVersion: to, instanceId },
      'postgres store open',
    );
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw mapPgError(error, target);
  }

  const outbox = pgOutbox(pool, instanceId, timeoutMs, clock);
  let lastPurge = Number.NEGATIVE_INFINITY;
  let closed: Promise<void> | null = null;

  return {
    pool,
    target,
    instanceId,
    logger,
    migrateModule: (schema) => run(() => migratePgModule(pool, label, logger, schema)),
    saveIncidentChanges: (customerId, incidents, cursor, plan, fence) =>
      run(() =>
        inTransaction(pool, (c) =>
          saveChanges(c, logger, clock.now(), { customerId, incidents, cursor, plan, fence }),
        ),
      ),
    getCursor: (customerId) =>
      run(async () => {
        const r = await pool.query<{ cursor: string }>('SELECT cursor FROM cursors WHERE customer_id = $1', [
          customerId,
        ]);
        return r.rows[0]?.cursor ?? null;
      }),
    getIncident: (customerId, incidentId) =>
      run(async () => {
        const r = await pool.query<{ body: string }>(
          'SELECT body FROM incidents WHERE customer_id = $1 AND id = $2',
          [customerId, incidentId],
        );
        const body = r.rows[0]?.body;
        return body === undefined ? null : fromBody(body);
      }),
    async listIncidents(query) {
      assertView(query.view);
      assertCount('limit', query.limit);
      assertCount('offset', query.offset);
      return run(() => listPage(pool, query));
    },
    countByView: (customerId) => run(() => countViews(pool, customerId)),
    saveBinding: (binding) =>
      run(async () => {
        const row = bindingToRow(binding);
        const upsert = () =>
          pool.query(
            `INSERT INTO bindings (customer_id, conversation_id, id, conversation, events, on_call, created_by,
             created_at, paused) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (customer_id, conversation_id) DO UPDATE SET id = excluded.id,
             conversation = excluded.conversation, events = excluded.events, on_call = excluded.on_call,
             created_by = excluded.created_by, created_at = excluded.created_at, paused = excluded.paused`,
            [
              row.customer_id,
              row.conversation_id,
              row.id,
              row.conversation,
              row.events,
              row.on_call,
              row.created_by,
              row.created_at,
              row.paused === 1,
            ],
          );
        // Two instances saving the same binding at once (the console's demo bindings at start-up): the
        // upsert's arbiter is (customer, conversation), so the loser trips the binding id's own unique index
        // instead. Once the winner has committed, the same upsert becomes an update.
        await upsert().catch(async (error: unknown) => {
          if ((error as { code?: unknown }).code !== '23505') throw error;
          await upsert();
        });
      }),
    deleteBinding: (customerId, conversationId) =>
      run(async () => {
        const r = await pool.query('DELETE FROM bindings WHERE customer_id = $1 AND conversation_id = $2', [
          customerId,
          conversationId,
        ]);
        return (r.rowCount ?? 0) > 0;
      }),
    listBindings: (customerId) =>
      run(async () => {
        const r = await pool.query<PgBindingRow>(
          'SELECT * FROM bindings WHERE customer_id = $1 ORDER BY created_at, conversation_id',
          [customerId],
        );
        return r.rows.map(fromPgBinding);
      }),
    getBinding: (bindingId) =>
      run(async () => {
        const r = await pool.query<PgBindingRow>('SELECT * FROM bindings WHERE id = $1', [bindingId]);
        const row = r.rows[0];
        return row === undefined ? null : fromPgBinding(row);
      }),
    setBindingPaused: (bindingId, paused) =>
      run(async () => {
        const r = await pool.query('UPDATE bindings SET paused = $1 WHERE id = $2', [paused, bindingId]);
        return (r.rowCount ?? 0) > 0;
      }),
    enqueueOutbox: (drafts) => run(() => enqueueDrafts(pool, drafts, clock.now())),
    async claimOutbox(limit, leaseMs, now) {
      assertCount('limit', limit);
      return run(() => outbox.claim(limit, leaseMs, now));
    },
    touchOutbox: (id, leaseMs, now) => run(() => outbox.touch(id, leaseMs, now)),
    completeOutbox: (id, effects) => run(() => inTransaction(pool, (c) => outbox.complete(c, id, effects))),
    retryOutbox: (id, notBefore, error, countAttempt = true) =>
      run(() => outbox.retry(id, notBefore, error, countAttempt)),
    abandonOutbox: (id, error) => run(() => outbox.abandon(id, error)),
    recoverOutbox: () => run(() => outbox.recover()),
    countPendingOutbox: () => run(() => outbox.countPending()),
    getIncidentPost: (bindingId, incidentId) => run(() => getPost(pool, bindingId, incidentId)),
    saveIncidentPost: (post) => run(() => savePost(pool, post)),
    saveInstallation: (platform, key, installation) =>
      run(async () => {
        await pool.query(
          `INSERT INTO installations (platform, key, body, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (platform, key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
          [platform, key, JSON.stringify(installation), clock.now().toISOString()],
        );
      }),
    getInstallation: (platform, key) =>
      run(async () => {
        const r = await pool.query<{ body: string }>(
          'SELECT body FROM installations WHERE platform = $1 AND key = $2',
          [platform, key],
        );
        const body = r.rows[0]?.body;
        return body === undefined ? null : (JSON.parse(body) as unknown);
      }),
    deleteInstallation: (platform, key) =>
      run(async () => {
        const r = await pool.query('DELETE FROM installations WHERE platform = $1 AND key = $2', [
          platform,
          key,
        ]);
        return (r.rowCount ?? 0) > 0;
      }),
    async claimOnce(key, retainSeconds) {
      if (!Number.isFinite(retainSeconds) || retainSeconds < 0) {
        throw new BotError('bad_input', `retainSeconds must be a non-negative number, got ${retainSeconds}`);
      }
      return run(async () => {
        const now = clock.now().getTime();
        if (now - lastPurge >= PURGE_EVERY_MS) {
          lastPurge = now;
          await pool.query('DELETE FROM claims WHERE expires_at <= $1', [now]);
        }
        // One statement: a new key inserts, an expired one is taken again, a live one changes nothing.
        const r = await pool.query(
          `INSERT INTO claims (key, expires_at) VALUES ($1, $2)
           ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE claims.expires_at <= $3`,
          [key, now + Math.ceil(retainSeconds * 1000), now],
        );
        return r.rowCount === 1;
      });
    },
    ping: () =>
      run(async () => {
        if (closed !== null)
          throw new BotError('store_unavailable', `PostgreSQL store for ${target} is closed`);
        await pool.query('SELECT 1');
      }),
    close() {
      closed ??= (async () => {
        await registry.stop();
        await pool.end().catch(() => undefined);
      })();
      return closed;
    },
  };
}
