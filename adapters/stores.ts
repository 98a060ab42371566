import type { AppConfig } from '../bot/config/env.js';
import type { Clock, Logger, PollerLeadership } from '../bot/ports.js';
import type { QuestionsStore } from '../bot/questions/ports.js';
import type { RelayStore } from '../bot/relay/ports.js';
import type { ResponseStore } from '../bot/response/ports.js';
import type { SdmStore } from '../bot/sdm/ports.js';
import { createPollerLeadership } from './postgres/leadership.js';
import { createPostgresStore, type PostgresStore } from './postgres/postgres-store.js';
import { createPostgresQuestionsStore } from './postgres/questions-store.js';
import { createPostgresRelayStore } from './postgres/relay-store.js';
import { createPostgresResponseStore } from './postgres/response-store.js';
import { createPostgresSdmStore } from './postgres/sdm-store.js';
import { createSqliteQuestionsStore } from './sqlite/questions-store.js';
import { createSqliteRelayStore } from './sqlite/relay-store.js';
import { createSqliteResponseStore } from './sqlite/response-store.js';
import { createSqliteSdmStore } from './sqlite/sdm-store.js';
import { createSqliteStore, type SqliteStore } from './sqlite/sqlite-store.js';

// Store selection for the composition root: PostgreSQL when DATABASE_URL is set (several instances share it,
// with poller leadership), otherwise the embedded SQLite file in DATA_DIR (one process, no leadership).
// Either way every feature store is opened here, with the core store, and its tables migrated at start-up.

/** The feature stores, opened (and their tables migrated) with the core store. */
export interface FeatureStores {
  readonly relay: RelayStore;
  readonly questions: QuestionsStore;
  readonly responses: ResponseStore;
  readonly sdm: SdmStore;
}

export type OpenedStore =
  | {
      readonly kind: 'sqlite';
      readonly store: SqliteStore;
      readonly leadership: undefined;
      readonly features: FeatureStores;
    }
  | {
      readonly kind: 'postgres';
      readonly store: PostgresStore;
      readonly leadership: PollerLeadership;
      readonly features: FeatureStores;
    };

/** How long a silent poller keeps its customers: half the poll interval (a takeover within two), capped. */
export const leaderTimeoutMs = (config: Readonly<AppConfig>): number =>
  Math.max(
    1_000,
    Math.min(config.INSTANCE_TIMEOUT_SECONDS * 1000, (config.POLL_INTERVAL_SECONDS * 1000) / 2),
  );

/**
 * Each feature store on the opened core store. A feature written once on adapters/store takes `store.host`
 * on both backends (one line, no branch); the branches below are the features not yet moved there.
 */
async function openFeatures(
  opened: { kind: 'sqlite'; store: SqliteStore } | { kind: 'postgres'; store: PostgresStore },
  instanceTimeoutMs: number,
): Promise<FeatureStores> {
  if (opened.kind === 'sqlite') {
    const { store } = opened;
    return {
      relay: createSqliteRelayStore(store),
      questions: createSqliteQuestionsStore(store),
      responses: createSqliteResponseStore(store),
      sdm: createSqliteSdmStore(store),
    };
  }
  const { store } = opened;
  return {
    relay: await createPostgresRelayStore(store, instanceTimeoutMs),
    questions: await createPostgresQuestionsStore(store),
    responses: await createPostgresResponseStore(store),
    sdm: await createPostgresSdmStore(store),
  };
}

/** Opens the configured store; rejects with store_unavailable / StoreCorruptError like start-up expects. */
export async function openStore(
  config: Readonly<AppConfig>,
  deps: { readonly logger: Logger; readonly sqliteFile: string; readonly clock: Clock },
): Promise<OpenedStore> {
  const instanceTimeoutMs = config.INSTANCE_TIMEOUT_SECONDS * 1000;
  if (config.DATABASE_URL === undefined) {
    const store = await createSqliteStore({ file: deps.sqliteFile, logger: deps.logger, clock: deps.clock });
    try {
      const features = await openFeatures({ kind: 'sqlite', store }, instanceTimeoutMs);
      return { kind: 'sqlite', store, leadership: undefined, features };
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  const store = await createPostgresStore({
    connectionString: config.DATABASE_URL,
    logger: deps.logger,
    clock: deps.clock,
    instanceId: config.INSTANCE_ID,
    instanceTimeoutMs,
  });
  const leadership = createPollerLeadership({
    connectionString: config.DATABASE_URL,
    target: store.target,
    instanceId: store.instanceId,
    timeoutMs: leaderTimeoutMs(config),
    instanceTimeoutMs,
    logger: deps.logger,
  });
  // Feature stores' factories migrate their tables, which needs awaiting: done here, once, at start-up.
  const features = await openFeatures({ kind: 'postgres', store }, instanceTimeoutMs);
  return { kind: 'postgres', store, leadership, features };
}
