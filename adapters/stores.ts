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
import { createSqliteStore, type SqliteStore } from './sqlite/sqlite-store.js';

// Store selection for the composition root: PostgreSQL when DATABASE_URL is set (several instances share it,
// with poller leadership), otherwise the embedded SQLite file in DATA_DIR (one process, no leadership).

/** The feature stores on PostgreSQL, opened (and their modules migrated) with the core store. */
export interface PgFeatureStores {
  readonly relay: RelayStore;
  readonly questions: QuestionsStore;
  readonly responses: ResponseStore;
  readonly sdm: SdmStore;
}

export type OpenedStore =
  | { readonly kind: 'sqlite'; readonly store: SqliteStore; readonly leadership: undefined }
  | {
      readonly kind: 'postgres';
      readonly store: PostgresStore;
      readonly leadership: PollerLeadership;
      readonly features: PgFeatureStores;
    };

/** How long a silent poller keeps its customers: half the poll interval (a takeover within two), capped. */
export const leaderTimeoutMs = (config: Readonly<AppConfig>): number =>
  Math.max(
    1_000,
    Math.min(config.INSTANCE_TIMEOUT_SECONDS * 1000, (config.POLL_INTERVAL_SECONDS * 1000) / 2),
  );

/** Opens the configured store; rejects with store_unavailable / StoreCorruptError like start-up expects. */
export async function openStore(
  config: Readonly<AppConfig>,
  deps: { readonly logger: Logger; readonly sqliteFile: string; readonly clock: Clock },
): Promise<OpenedStore> {
  if (config.DATABASE_URL === undefined) {
    return {
      kind: 'sqlite',
      store: await createSqliteStore({ file: deps.sqliteFile, logger: deps.logger, clock: deps.clock }),
      leadership: undefined,
    };
  }
  const store = await createPostgresStore({
    connectionString: config.DATABASE_URL,
    logger: deps.logger,
    clock: deps.clock,
    instanceId: config.INSTANCE_ID,
    instanceTimeoutMs: config.INSTANCE_TIMEOUT_SECONDS * 1000,
  });
  const leadership = createPollerLeadership({
    connectionString: config.DATABASE_URL,
    target: store.target,
    instanceId: store.instanceId,
    timeoutMs: leaderTimeoutMs(config),
    instanceTimeoutMs: config.INSTANCE_TIMEOUT_SECONDS * 1000,
    logger: deps.logger,
  });
  // Feature stores' factories migrate their modules, which needs awaiting: done here, once, at start-up.
  const features: PgFeatureStores = {
    relay: await createPostgresRelayStore(store, config.INSTANCE_TIMEOUT_SECONDS * 1000),
    questions: await createPostgresQuestionsStore(store),
    responses: await createPostgresResponseStore(store),
    sdm: await createPostgresSdmStore(store),
  };
  return { kind: 'postgres', store, leadership, features };
}
