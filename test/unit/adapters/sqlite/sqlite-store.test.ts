import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import type { IncidentView } from '../../../../bot/domain/incident.js';
import { BotError } from '../../../../bot/errors.js';
import type { Clock, Logger } from '../../../../bot/ports.js';
import { makeIncident } from '../../../support/make-incident.js';

// What the contract suite cannot see: the stored columns, claim retention with a controlled clock,
// error mapping, and two stores (processes) sharing one file.

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dxb-sqlite-store-'));
  file = join(dir, 'bot.sqlite');
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const peek = <T>(sql: string, ...params: unknown[]): T[] => peekAt<T>(file, sql, ...params);
const peekAt = <T>(path: string, sql: string, ...params: unknown[]): T[] => {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
};

describe('sqlite store', () => {
  it('stores the filter columns from tolerant values and assigneeKind', async () => {
    const store = await createSqliteStore({ file });
    await store.saveIncidentChanges(
      'c',
      [
        makeIncident('c', {
          id: '1',
          status: 'pendingReview',
          severity: 'High',
          assignedTo: ' defender experts ',
        }),
        makeIncident('c', {
          id: '2',
          status: 'Resolved',
          severity: 'critical',
          assignedTo: 'bob@contoso.example',
        }),
      ],
      null,
    );
    await store.close();
    expect(
      peek(
        'SELECT id, status, status_known, severity, severity_known, assignee_kind FROM incidents ORDER BY id',
      ),
    ).toEqual([
      {
        id: '1',
        status: 'pendingReview',
        status_known: 0,
        severity: 'high',
        severity_known: 1,
        assignee_kind: 'experts',
      },
      {
        id: '2',
        status: 'resolved',
        status_known: 1,
        severity: 'critical',
        severity_known: 0,
        assignee_kind: 'person',
      },
    ]);
  });

  it('forgets claim keys after their retention and purges expired ones', async () => {
    let now = Date.parse('2026-11-20T08:00:00Z');
    const clock: Clock = { now: () => new Date(now) };
    const store = await createSqliteStore({ file, clock });
    expect(await store.claimOnce('a', 60)).toBe(true);
    expect(await store.claimOnce('b', 3600)).toBe(true);
    now += 59_000;
    expect(await store.claimOnce('a', 60)).toBe(false);
    now += 2_000;
    expect(await store.claimOnce('a', 60)).toBe(true); // retention passed: a redelivery this late is new
    expect(await store.claimOnce('b', 3600)).toBe(false);
    expect(await store.claimOnce('c', 1)).toBe(true);
    now += 120_000; // past the purge interval: the next claim sweeps every expired key
    expect(await store.claimOnce('d', 60)).toBe(true);
    const kept = peekAt<{ key: string }>(`${file}-claims`, 'SELECT key FROM claims ORDER BY key');
    expect(kept.map((r) => r.key)).toEqual(['b', 'd']);
    await store.close();
  });

  it('takes claims in the attached claims file, which is not flushed on commit, never in the main file', async () => {
    const store = await createSqliteStore({ file });
    const db = store.database;
    expect(db.pragma('main.synchronous', { simple: true })).toBe(2); // FULL: outbox, audit, relay queue
    expect(db.pragma('claims.synchronous', { simple: true })).toBe(1); // NORMAL: no fsync per commit in WAL
    expect(db.pragma('claims.journal_mode', { simple: true })).toBe('wal');
    const mainWal = readFileSync(`${file}-wal`);
    const claimsWal = readFileSync(`${file}-claims-wal`);
    for (let i = 0; i < 20; i++) expect(await store.claimOnce(`turn-${i}`, 3600)).toBe(true);
    // Not one byte written to the main file's WAL, so its commit cannot have waited for a flush of it.
    expect(readFileSync(`${file}-wal`).equals(mainWal)).toBe(true);
    expect(readFileSync(`${file}-claims-wal`).equals(claimsWal)).toBe(false);
    await store.close();
  });

  it('keeps claims across a clean close and reopening', async () => {
    const first = await createSqliteStore({ file });
    expect(await first.claimOnce('delivery-1', 3600)).toBe(true);
    await first.close();
    const again = await createSqliteStore({ file });
    expect(await again.claimOnce('delivery-1', 3600)).toBe(false);
    expect(await again.claimOnce('delivery-2', 3600)).toBe(true);
    await again.close();
  });

  it('lets one of two stores on the same file win a claim, and both see each other’s writes', async () => {
    const one = await createSqliteStore({ file });
    const two = await createSqliteStore({ file });
    expect(await one.claimOnce('delivery-1', 60)).toBe(true);
    expect(await two.claimOnce('delivery-1', 60)).toBe(false);
    await one.saveIncidentChanges('c', [makeIncident('c', { id: '1' })], 'x');
    expect(await two.getCursor('c')).toBe('x');
    await Promise.all([one.close(), two.close()]);
  });

  it('rejects bad queries with bad_input and changes nothing', async () => {
    const store = await createSqliteStore({ file });
    const query = { customerId: 'c', view: 'all' as IncidentView, severity: null, limit: 10, offset: 0 };
    for (const bad of [{ view: 'everything' as IncidentView }, { limit: 1.5 }, { offset: -1 }]) {
      await expect(store.listIncidents({ ...query, ...bad })).rejects.toMatchObject({ code: 'bad_input' });
    }
    await expect(store.claimOnce('k', -1)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(store.claimOnce('k', Number.NaN)).rejects.toMatchObject({ code: 'bad_input' });
    expect(await store.claimOnce('k', 1)).toBe(true);
    await store.close();
  });

  it('maps use after close to store_unavailable', async () => {
    const store = await createSqliteStore({ file });
    await store.close();
    const error = await store.getIncident('c', '1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BotError);
    expect(error).toMatchObject({ code: 'store_unavailable' });
    expect((error as Error).message).toContain(file);
  });

  it('warns about a lastUpdateDateTime it cannot read, and files it as the oldest', async () => {
    const warnings: object[] = [];
    const logger: Logger = { debug() {}, info() {}, error() {}, warn: (obj) => warnings.push(obj) };
    const store = await createSqliteStore({ file, logger });
    const odd = makeIncident('c', { id: '1', lastUpdateDateTime: 'yesterday' });
    const normal = makeIncident('c', { id: '2', lastUpdateDateTime: '2020-01-01T00:00:00Z' });
    await store.saveIncidentChanges('c', [odd, normal], null);
    expect(warnings).toEqual([expect.objectContaining({ incidentId: '1', lastUpdateDateTime: 'yesterday' })]);
    const page = await store.listIncidents({
      customerId: 'c',
      view: 'all',
      severity: null,
      limit: 5,
      offset: 0,
    });
    expect(page.items.map((i) => i.id)).toEqual(['2', '1']);
    // A readable timestamp replaces it; the unreadable one never replaces a readable one.
    const fixed = { ...odd, lastUpdateDateTime: '2020-01-01T00:00:00Z' };
    expect(await store.saveIncidentChanges('c', [fixed], null)).toHaveLength(1);
    expect(await store.saveIncidentChanges('c', [odd], null)).toEqual([]);
    await store.close();
  });
});
