import type Database from 'better-sqlite3';
import type { Clock, IncidentPost, OutboxDraft, OutboxItem } from '../../bot/ports.js';

// The alert outbox, incident posts and installations on SQLite. Statements are prepared once; the
// functions are synchronous like the driver and are wrapped by sqlite-store.ts into the async port.

interface OutboxRow {
  readonly id: number;
  readonly binding_id: string;
  readonly customer_id: string;
  readonly incident_id: string;
  readonly kind: string;
  readonly version: string;
  readonly payload: string;
  readonly attempts: number;
  readonly created_at: string;
}

const toItem = (r: OutboxRow): OutboxItem => ({
  id: r.id,
  bindingId: r.binding_id,
  customerId: r.customer_id,
  incidentId: r.incident_id,
  kind: r.kind,
  version: r.version,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  attempts: r.attempts,
  createdAt: r.created_at,
});

/** Prepares the outbox statements; `insert` is also used inside saveIncidentChanges' transaction. */
export function outboxStatements(db: Database.Database, clock: Clock) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO outbox (binding_id, customer_id, incident_id, kind, version, payload, state, not_before, scheduled, created_at)
     VALUES (@bindingId, @customerId, @incidentId, @kind, @version, @payload, 'pending', @notBefore, @scheduled, @createdAt)`,
  );
  const due = db.prepare<{ now: number; limit: number }, OutboxRow>(
    `SELECT * FROM outbox o
      WHERE o.state = 'pending' AND o.not_before <= @now AND o.lease_until <= @now
        AND (o.scheduled = 1 OR NOT EXISTS (SELECT 1 FROM outbox p
                         WHERE p.state = 'pending' AND p.scheduled = 0 AND p.binding_id = o.binding_id
                           AND p.incident_id = o.incident_id AND p.id < o.id))
      ORDER BY o.id LIMIT @limit`,
  );
  const lease = db.prepare('UPDATE outbox SET lease_until = ? WHERE id = ?');
  const done = db.prepare("UPDATE outbox SET state = 'done', done_at = ?, lease_until = 0 WHERE id = ?");
  const retry = db.prepare(
    'UPDATE outbox SET attempts = attempts + ?, not_before = ?, lease_until = 0, last_error = ? WHERE id = ?',
  );
  const abandon = db.prepare(
    "UPDATE outbox SET state = 'abandoned', attempts = attempts + 1, last_error = ?, lease_until = 0, done_at = ? WHERE id = ?",
  );
  // One process per file: a leased row stays this process's own, so touching only checks (no write, no fsync).
  const touch = db.prepare<[number], { ok: number }>(
    "SELECT 1 AS ok FROM outbox WHERE id = ? AND state = 'pending' AND lease_until > 0",
  );
  const unlease = db.prepare("UPDATE outbox SET lease_until = 0 WHERE state = 'pending' AND lease_until > 0");
  const pending = db.prepare<[], { n: number }>("SELECT count(*) AS n FROM outbox WHERE state = 'pending'");
  const selectPost = db.prepare<
    [string, string],
    { binding_id: string; customer_id: string; incident_id: string; message_id: string; posted_at: string }
  >('SELECT * FROM incident_posts WHERE binding_id = ? AND incident_id = ?');
  const upsertPost = db.prepare(
    `INSERT INTO incident_posts (binding_id, customer_id, incident_id, message_id, posted_at)
     VALUES (@bindingId, @customerId, @incidentId, @messageId, @postedAt)
     ON CONFLICT (binding_id, incident_id) DO UPDATE SET message_id = excluded.message_id, posted_at = excluded.posted_at`,
  );

  const enqueue = (drafts: readonly OutboxDraft[]): number => {
    const now = clock.now();
    let inserted = 0;
    for (const d of drafts) {
      inserted += insert.run({
        bindingId: d.bindingId,
        customerId: d.customerId,
        incidentId: d.incidentId,
        kind: d.kind,
        version: d.version,
        payload: JSON.stringify(d.payload),
        notBefore: (d.notBefore ?? now).getTime(),
        scheduled: d.notBefore === undefined ? 0 : 1,
        createdAt: now.toISOString(),
      }).changes;
    }
    return inserted;
  };

  const claim = db.transaction((limit: number, leaseMs: number, now: Date): OutboxItem[] => {
    const rows = due.all({ now: now.getTime(), limit });
    for (const r of rows) lease.run(now.getTime() + leaseMs, r.id);
    return rows.map(toItem);
  });

  return {
    enqueue,
    claim,
    complete: (id: number) => done.run(clock.now().toISOString(), id),
    retry: (id: number, notBefore: Date, error: string, countAttempt: boolean) =>
      retry.run(countAttempt ? 1 : 0, notBefore.getTime(), error.slice(0, 1000), id),
    abandon: (id: number, error: string) => abandon.run(error.slice(0, 1000), clock.now().toISOString(), id),
    touch: (id: number): boolean => touch.get(id) !== undefined,
    countPending: () => pending.get()?.n ?? 0,
    recover: (): number => unlease.run().changes,
    getPost: (bindingId: string, incidentId: string): IncidentPost | null => {
      const r = selectPost.get(bindingId, incidentId);
      return r === undefined
        ? null
        : {
            bindingId: r.binding_id,
            customerId: r.customer_id,
            incidentId: r.incident_id,
            messageId: r.message_id,
            postedAt: r.posted_at,
          };
    },
    savePost: (post: IncidentPost) => upsertPost.run(post),
  };
}

/** Prepares the installation statements (Slack OAuth installations as JSON). */
export function installationStatements(db: Database.Database, clock: Clock) {
  const upsert = db.prepare(
    `INSERT INTO installations (platform, key, body, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (platform, key) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
  );
  const select = db.prepare<[string, string], { body: string }>(
    'SELECT body FROM installations WHERE platform = ? AND key = ?',
  );
  const remove = db.prepare('DELETE FROM installations WHERE platform = ? AND key = ?');
  return {
    save: (platform: string, key: string, installation: unknown) =>
      upsert.run(platform, key, JSON.stringify(installation), clock.now().toISOString()),
    get: (platform: string, key: string): unknown | null => {
      const r = select.get(platform, key);
      return r === undefined ? null : (JSON.parse(r.body) as unknown);
    },
    remove: (platform: string, key: string): boolean => remove.run(platform, key).changes > 0,
  };
}
