import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore } from '../adapters/postgres/postgres-store.js';
import { createSqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { parseIncident } from '../bot/domain/incident.js';
import type { OutboxDraft, Store } from '../bot/ports.js';
import { silentLogger } from './directory.js';
import { BENCH_DATABASE_URL, benchSchema } from './pg-bench-schema.js';
import { interleave, median, report } from './stats.js';

// Store cost: the store operations the bot runs most, PostgreSQL (candidate) against SQLite (baseline), in
// alternating rounds so both see the same machine. SQLite writes with synchronous=FULL, PostgreSQL commits
// with its default fsync: both are durable. Ratio > 1 means PostgreSQL is slower per operation.

const ROUNDS = 6;
const PER_ROUND = 50;
const SEEDED = 500;

const incident = (customerId: string, id: number, at: number, status = 'active') =>
  parseIncident(
    {
      id: String(id),
      displayName: `Incident ${id}`,
      status,
      assignedTo: id % 3 === 0 ? 'Customer' : 'Defender Experts',
      severity: ['high', 'medium', 'low'][id % 3],
      lastUpdateDateTime: new Date(at).toISOString(),
    },
    customerId,
  );

const draft = (i: number): OutboxDraft => ({
  bindingId: `bench-b${i % 20}`,
  customerId: 'bench',
  incidentId: String(i),
  kind: 'handedOff',
  version: 'v1',
  payload: { line: 'Handed off to you.', matchesRule: true },
});

async function seed(store: Store): Promise<void> {
  const t0 = Date.parse('2026-11-01T00:00:00Z');
  await store.saveIncidentChanges(
    'bench',
    Array.from({ length: SEEDED }, (_, i) => incident('bench', i + 1, t0 + i * 1000)),
    'seed',
  );
  await store.enqueueOutbox(Array.from({ length: ROUNDS * PER_ROUND }, (_, i) => draft(i)));
}

/** Medians and ratios of saveIncidentChanges, listIncidents, claimOnce and an outbox claim + complete. */
export async function benchStores(): Promise<string[]> {
  const pgSchema = await benchSchema('store');
  if (pgSchema === null) return [`PostgreSQL not reachable at ${new URL(BENCH_DATABASE_URL).host}: skipped`];
  const dir = mkdtempSync(join(tmpdir(), 'dxb-bench-store-'));
  const sqlite = await createSqliteStore({ file: join(dir, 'bench.sqlite'), logger: silentLogger });
  const postgres = await createPostgresStore({
    connectionString: BENCH_DATABASE_URL,
    schema: pgSchema.schema,
    logger: silentLogger,
  });
  try {
    await seed(sqlite);
    await seed(postgres);
    const lines: string[] = [];
    const compare = async (name: string, op: (store: Store, i: number) => Promise<unknown>) => {
      const { candidate, baseline } = await interleave(
        ROUNDS,
        PER_ROUND,
        (i) => op(postgres, i),
        (i) => op(sqlite, i),
      );
      lines.push(report({ name: `${name} (pg / sqlite)`, candidate, baseline }));
      return { candidate, baseline };
    };
    const t1 = Date.parse('2026-11-02T00:00:00Z');
    // Ten incidents change per poll: the poller's write, with the diff and the cursor in one transaction.
    await compare('saveIncidentChanges, 10 changed', (store, i) =>
      store.saveIncidentChanges(
        'bench',
        Array.from({ length: 10 }, (_, k) =>
          incident('bench', ((i * 10 + k) % SEEDED) + 1, t1 + i * 10_000, 'inProgress'),
        ),
        `c${i}`,
      ),
    );
    await compare('listIncidents, open page of 10 / 500', (store, i) =>
      store.listIncidents({
        customerId: 'bench',
        view: 'open',
        severity: null,
        limit: 10,
        offset: (i % 5) * 10,
      }),
    );
    await compare('claimOnce, new key', (store, i) => store.claimOnce(`bench:${i}:${Math.random()}`, 3600));
    const now = new Date(Date.parse('2030-01-01T00:00:00Z'));
    const outbox = await compare('outbox claim 1 + complete', async (store) => {
      const [item] = await store.claimOutbox(1, 60_000, now);
      if (item !== undefined) await store.completeOutbox(item.id);
    });
    const perSecond = (samples: readonly number[]) => (1000 / median(samples)).toFixed(0);
    lines.push(
      `outbox deliveries per second, one worker: postgres ${perSecond(outbox.candidate)}, sqlite ${perSecond(outbox.baseline)}`,
    );
    return lines;
  } finally {
    await postgres.close();
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
    await pgSchema.drop();
  }
}
