import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { sql } from 'kysely';
import type pg from 'pg';
import { BotError } from '../../bot/errors.js';
import { type Clock, type Logger, systemClock } from '../../bot/ports.js';
import { CORE_SCHEMA } from '../store/core/core-schema.js';
import { type CoreStore, createCoreStore } from '../store/core/core-store.js';
import { openPostgresDb, type PostgresDbOptions } from '../store/postgres.js';
import { registerInstance } from './instances.js';
import { postgresOutboxLanes } from './outbox-lanes.js';
import { postgresSaveGuard } from './save-guard.js';

// The shared Store for several bot instances: the core Store (store/core) on PostgreSQL, plus what only a
// shared database needs: instance heartbeats, outbox lanes, per-customer save locks and poller fences.
// Selected when DATABASE_URL is set.

export interface PostgresStoreOptions extends Omit<PostgresDbOptions, 'idleInTransactionMs'> {
  readonly clock?: Clock;
  /** Names this process in leases; stable across restarts lets a restart free its own leases at once. */
  readonly instanceId?: string;
  /** An instance whose heartbeat is older than this is gone: its lanes and leases are taken over. */
  readonly instanceTimeoutMs?: number;
}

/** The Store plus what the leadership and the tests need. */
export interface PostgresStore extends CoreStore {
  readonly pool: pg.Pool;
  /** host:port/database (no credentials), for messages. */
  readonly target: string;
  readonly instanceId: string;
  readonly logger: Logger;
}

/** A unique default instance id: host, pid and a random tail (pids repeat across containers). */
export const defaultInstanceId = (): string => `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;

/** Connects, migrates and registers this instance; rejects with store_unavailable naming the server. */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const clock = options.clock ?? systemClock;
  const instanceId = options.instanceId ?? defaultInstanceId();
  const timeoutMs = options.instanceTimeoutMs ?? 15_000;
  const db = await openPostgresDb({
    ...options,
    // A stalled process must not hold row locks (the fence row above all) much past its heartbeat.
    idleInTransactionMs: Math.min(10_000, timeoutMs),
  });
  const { logger, target } = db;
  let registry: Awaited<ReturnType<typeof registerInstance>>;
  try {
    const { from, to } = await db.migrate(CORE_SCHEMA);
    registry = await db.run(() => registerInstance(db.pool, instanceId, timeoutMs, logger));
    logger.info(
      { target, schema: options.schema, schemaFrom: from, schemaVersion: to, instanceId },
      'postgres store open',
    );
  } catch (error) {
    await db.close();
    throw error;
  }
  let closed: Promise<void> | null = null;
  const core = createCoreStore({
    db,
    clock,
    logger,
    instanceId,
    leases: postgresOutboxLanes(db, instanceId, timeoutMs),
    guard: postgresSaveGuard,
    // A claim is taken on every chat turn: its commit does not wait for the WAL flush (docs/store.md).
    claims: {
      table: 'claims',
      write: (work) =>
        db.tx(async (trx) => {
          await sql`SET LOCAL synchronous_commit = off`.execute(trx);
          return work(trx);
        }),
    },
    ping: async () => {
      if (closed !== null)
        throw new BotError('store_unavailable', `PostgreSQL store for ${target} is closed`);
      await sql`SELECT 1`.execute(db.kysely);
    },
    close: () => {
      closed ??= (async () => {
        await registry.stop();
        await db.close();
      })();
      return closed;
    },
  });
  return { ...core, pool: db.pool, target, instanceId, logger };
}
