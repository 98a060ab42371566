import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import { SchemaTooNewError } from '../../../../adapters/store/errors.js';
import type { FeatureSchema } from '../../../../adapters/store/migrator.js';

// The feature migrator on a real SQLite file: a feature's old module steps are adopted, not re-run; later
// steps run once, all or nothing; a database from a newer build is refused before anything is written.

const OLD_STEPS = [
  { version: 1, description: 'notes', up: 'CREATE TABLE notes (id TEXT PRIMARY KEY, text TEXT NOT NULL)' },
  { version: 2, description: 'tags', up: 'ALTER TABLE notes ADD COLUMN tag TEXT' },
];

const schema = (...extra: FeatureSchema['migrations']): FeatureSchema => ({
  feature: 'notes',
  legacy: { sqlite: 2, postgres: 2 },
  migrations: [
    { name: '0001-notes', sqlite: 'CREATE TABLE notes (id TEXT PRIMARY KEY, text TEXT NOT NULL)' },
    { name: '0002-tags', sqlite: 'ALTER TABLE notes ADD COLUMN tag TEXT' },
    ...extra,
  ],
});

let dir: string;
let store: SqliteStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dxb-migrator-'));
  store = await createSqliteStore({ file: join(dir, 'bot.sqlite') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const columns = (table: string): string[] =>
  (store.database.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

describe('migrateFeature', () => {
  it('adopts the steps the old module runner applied and runs only the later ones, once', async () => {
    // What the old module runner left: the step's tables and its version in schema_modules.
    store.database.exec(OLD_STEPS[0]?.up ?? '');
    store.database.prepare("INSERT INTO schema_modules VALUES ('notes', 1, 'x')").run();
    store.database.prepare("INSERT INTO notes (id, text) VALUES ('n1', 'kept')").run();
    const next = schema({ name: '0003-index', sqlite: 'CREATE INDEX notes_tag ON notes (tag)' });
    expect(await store.host.db.migrate(next)).toEqual({ from: 1, to: 3 });
    expect(await store.host.db.migrate(next)).toEqual({ from: 3, to: 3 });
    expect(columns('notes')).toEqual(['id', 'text', 'tag']);
    expect(store.database.prepare('SELECT id, text, tag FROM notes').all()).toEqual([
      { id: 'n1', text: 'kept', tag: null },
    ]);
  });

  it('applies every step on a database that never had the feature', async () => {
    expect(await store.host.db.migrate(schema())).toEqual({ from: 0, to: 2 });
    expect(columns('notes')).toEqual(['id', 'text', 'tag']);
  });

  it('applies pending steps all or nothing', async () => {
    const broken = schema({ name: '0003-broken', sqlite: 'CREATE INDEX x ON no_such_table (id)' });
    await expect(store.host.db.migrate(broken)).rejects.toThrow(/no_such_table/);
    expect(columns('notes')).toEqual([]);
    expect(await store.host.db.migrate(schema())).toEqual({ from: 0, to: 2 });
  });

  it('refuses a database with a step this build does not know, or an old version past its baseline', async () => {
    await store.host.db.migrate(schema());
    store.database
      .prepare('INSERT INTO kysely_migration_notes (name, timestamp) VALUES (?, ?)')
      .run('0003-from-a-newer-build', new Date().toISOString());
    await expect(store.host.db.migrate(schema())).rejects.toThrow(SchemaTooNewError);

    const other: FeatureSchema = { ...schema(), feature: 'older' };
    store.database.prepare("INSERT INTO schema_modules VALUES ('older', 3, 'x')").run();
    await expect(store.host.db.migrate(other)).rejects.toThrow(/schema version 3.*up to 2/);
  });

  it('refuses misnumbered steps before touching the database', async () => {
    const bad: FeatureSchema = { ...schema(), migrations: [{ name: '0002-first', sqlite: 'SELECT 1' }] };
    await expect(store.host.db.migrate(bad)).rejects.toThrow(/named "0002-first"/);
  });
});
