import type { Clock, CompleteEffects, Logger, Store } from '../../../bot/ports.js';
import type { StoreDb } from '../database.js';
import { createGroupCommit } from '../group-commit.js';
import type { FeatureHost } from '../host.js';
import { bindings } from './bindings.js';
import { type ClaimsPlace, claims } from './claims.js';
import type { CoreTables } from './core-schema.js';
import { assertCount, incidents, type SaveGuard } from './incidents.js';
import { installations } from './installations.js';
import { type OutboxLeases, outbox } from './outbox.js';

// The core Store, written once for both databases. The dialect's opener (sqlite/sqlite-store.ts,
// postgres/postgres-store.ts) supplies what really differs: how outbox rows are leased and how a save is
// serialised per customer (with the poller fence on PostgreSQL).

export interface CoreStoreParts {
  readonly db: StoreDb<CoreTables>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly instanceId: string;
  readonly leases: OutboxLeases;
  readonly guard: SaveGuard;
  readonly claims: ClaimsPlace;
  /** Throws when the store cannot serve (a closed one, above all); then pings the database. */
  readonly ping: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/** The Store plus the host its feature stores are built on. */
export interface CoreStore extends Store {
  readonly host: FeatureHost;
}

export function createCoreStore(parts: CoreStoreParts): CoreStore {
  const { db, clock, logger, instanceId, leases } = parts;
  const box = outbox(db, clock, instanceId);
  // Completions from many conversation workers share one durable write (group commit): on SQLite with
  // synchronous=FULL each transaction costs an fsync, on PostgreSQL a round trip and a WAL flush.
  const completions = createGroupCommit<{ id: number; effects: CompleteEffects | undefined }>((batch) =>
    box.completeBatch(batch),
  );
  const { completeBatch: _batch, ...outboxOps } = box;
  return {
    host: { db, clock, instanceId },
    ...incidents(db, { logger, now: () => clock.now(), guard: parts.guard }),
    ...bindings(db),
    ...outboxOps,
    ...installations(db, clock),
    ...claims(db, clock, parts.claims),
    async claimOutbox(limit, leaseMs, now) {
      assertCount('limit', limit);
      if (limit === 0) return [];
      return db.run(() => leases.claim(limit, leaseMs, now));
    },
    touchOutbox: (id, leaseMs, now) => db.run(() => leases.touch(id, leaseMs, now)),
    recoverOutbox: () => db.run(() => leases.recover()),
    completeOutbox: (id, effects) => completions.submit({ id, effects }),
    ping: () => db.run(parts.ping),
    close: parts.close,
  };
}
