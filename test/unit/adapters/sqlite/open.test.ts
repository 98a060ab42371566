import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { APPLICATION_ID, openSqliteDatabase } from '../../../../adapters/sqlite/open.js';
import { createSqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import { SchemaTooNewError } from '../../../../adapters/store/errors.js';
import { LEGACY_FENCE } from '../../../../adapters/store/legacy.js';
import { StoreCorruptError } from '../../../../bot/errors.js';
import { makeIncident } from '../../../support/make-incident.js';

// Opening a real file: pragmas, schema, re-opening, and the refusal of files written by newer code.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dxb-sqlite-open-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('openSqliteDatabase', () => {
  it('creates missing parent directories and the latest schema, with the durability pragmas', async () => {
    const file = join(dir, 'a', 'b', 'bot.sqlite');
    const store = await createSqliteStore({ file });
    const db = store.database;
    try {
      expect(existsSync(file)).toBe(true);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
      // The mirror is read from memory: a 64 MiB page cache and up to 256 MiB of the file mapped.
      expect(db.pragma('cache_size', { simple: true })).toBe(-65536);
      expect(db.pragma('mmap_size', { simple: true })).toBe(268435456);
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      // Fenced: a build from before the feature migrator refuses the file instead of re-creating tables.
      expect(db.pragma('user_version', { simple: true })).toBe(LEGACY_FENCE);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      expect(tables).toEqual([
        'bindings',
        'claims',
        'cursors',
        'incident_posts',
        'incidents',
        'installations',
        'kysely_migration_core',
        'kysely_migration_lock',
        'outbox',
        'schema_modules',
        'sqlite_sequence',
      ]);
    } finally {
      await store.close();
    }
  });

  it('re-opens an up-to-date file without touching its schema, keeping the data', async () => {
    const file = join(dir, 'bot.sqlite');
    const first = await createSqliteStore({ file });
    const incident = makeIncident('contoso', { id: '1' });
    await first.saveIncidentChanges('contoso', [incident], 'c-1');
    await first.close();
    const schemaBefore = new Database(file, { readonly: true });
    const sql = schemaBefore.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all();
    schemaBefore.close();

    for (let i = 0; i < 2; i++) {
      const again = await createSqliteStore({ file });
      expect(await again.getIncident('contoso', '1')).toStrictEqual(incident);
      expect(await again.getCursor('contoso')).toBe('c-1');
      await again.close();
    }
    const after = new Database(file, { readonly: true });
    expect(after.prepare('SELECT sql FROM sqlite_master ORDER BY name').pluck().all()).toEqual(sql);
    expect(after.pragma('user_version', { simple: true })).toBe(LEGACY_FENCE);
    after.close();
  });

  it('works in memory for quick tests', async () => {
    const store = await createSqliteStore({ file: ':memory:' });
    await store.saveIncidentChanges('c', [makeIncident('c', { id: '1' })], null);
    expect((await store.countByView('c')).all).toBe(1);
    await store.close();
  });

  it('refuses a file whose schema is newer than this build, leaving it unchanged', async () => {
    const file = join(dir, 'bot.sqlite');
    await (await createSqliteStore({ file })).close();
    const raw = new Database(file);
    raw
      .prepare('INSERT INTO kysely_migration_core (name, timestamp) VALUES (?, ?)')
      .run('9999-from-a-newer-build', new Date().toISOString());
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = readFileSync(file);

    let thrown: unknown;
    try {
      await createSqliteStore({ file });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SchemaTooNewError);
    const message = (thrown as Error).message;
    expect(message).toContain(file);
    expect(message).toContain('(core) has schema version 6');
    expect(message).toMatch(/newer version/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file of the old runner that is newer than the baseline this build adopts', async () => {
    const file = join(dir, 'old.sqlite');
    openSqliteDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.exec('CREATE TABLE incidents (id TEXT)');
    raw.pragma('user_version = 4');
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = readFileSync(file);
    await expect(createSqliteStore({ file })).rejects.toThrow(SchemaTooNewError);
    await expect(createSqliteStore({ file })).rejects.toThrow(/schema version 4/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("refuses another application's SQLite file instead of adding tables to it", async () => {
    const file = join(dir, 'other.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
    raw.close();
    const before = readFileSync(file);
    await expect(createSqliteStore({ file })).rejects.toThrow(StoreCorruptError);
    await expect(createSqliteStore({ file })).rejects.toThrow(/not a defender-experts-bot database/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
