import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqliteStore, type SqliteStore } from '../../../../adapters/sqlite/sqlite-store.js';
import { int, table, text } from '../../../../adapters/store/declare.js';
import { SchemaTooNewError } from '../../../../adapters/store/errors.js';
import type { FeatureSchema, StoreMigration } from '../../../../adapters/store/migrator.js';

// The feature migrator on a real SQLite file: a feature's tables are brought to their declaration (a table
// the old module runner made keeps its rows and gains the new columns), its past step names are recorded,
// named steps that move data run once, all or nothing, and a database from a newer build is refused before
// anything is written.

const NOTES = {
  notes: table(
    { id: text(), text: text(), tag: text().nullable(), stars: int().default(0) },
    { primaryKey: 'id', indexes: { notes_tag: 'tag' } },
  ),
};

const schema = (...extra: StoreMigration[]): FeatureSchema => ({
  feature: 'notes',
  tables: NOTES,
  legacy: { sqlite: 2, postgres: 2 },
  migrations: [{ name: '0001-notes' }, { name: '0002-tags' }, ...extra],
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

const columns = (t: string): string[] =>
  (store.database.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
const recorded = (): string[] =>
  store.database.prepare('SELECT name FROM kysely_migration_notes ORDER BY name').pluck().all() as string[];

describe('migrateFeature', () => {
  it('brings a table the old module runner made to its declaration, keeping its rows', async () => {
    store.database.exec('CREATE TABLE notes (id TEXT PRIMARY KEY, text TEXT NOT NULL)');
    store.database.prepare("INSERT INTO schema_modules VALUES ('notes', 1, 'x')").run();
    store.database.prepare("INSERT INTO notes (id, text) VALUES ('n1', 'kept')").run();
    expect(await store.host.db.migrate(schema())).toEqual({ from: 0, to: 2 });
    expect(await store.host.db.migrate(schema())).toEqual({ from: 2, to: 2 });
    expect(columns('notes')).toEqual(['id', 'text', 'tag', 'stars']);
    expect(store.database.prepare('SELECT * FROM notes').all()).toEqual([
      { id: 'n1', text: 'kept', tag: null, stars: 0 },
    ]);
    expect(
      store.database.prepare("SELECT name FROM sqlite_master WHERE name = 'notes_tag'").pluck().get(),
    ).toBe('notes_tag');
  });

  it('creates the tables and records the past steps on a database that never had the feature', async () => {
    expect(await store.host.db.migrate(schema())).toEqual({ from: 0, to: 2 });
    expect(columns('notes')).toEqual(['id', 'text', 'tag', 'stars']);
    expect(recorded()).toEqual(['0001-notes', '0002-tags']);
  });

  it('records the named steps of a database that never had the feature without running them', async () => {
    let ran = 0;
    const count: StoreMigration = {
      name: '0003-count',
      up: async () => {
        ran += 1;
      },
    };
    expect(await store.host.db.migrate(schema(count))).toEqual({ from: 0, to: 3 });
    expect(ran).toBe(0);
    expect(recorded()).toEqual(['0001-notes', '0002-tags', '0003-count']);
  });

  it('runs a named step once, and all or nothing', async () => {
    const stars: StoreMigration = {
      name: '0003-star-tagged',
      up: async (db) => {
        await sql`UPDATE notes SET stars = 1 WHERE tag IS NOT NULL`.execute(db);
      },
    };
    const broken: StoreMigration = {
      name: '0003-star-tagged',
      up: async (db) => {
        await sql`UPDATE notes SET stars = 1`.execute(db);
        await sql`UPDATE no_such_table SET x = 1`.execute(db);
      },
    };
    await store.host.db.migrate(schema());
    store.database
      .prepare("INSERT INTO notes (id, text, tag) VALUES ('n1', 'a', 't'), ('n2', 'b', NULL)")
      .run();
    await expect(store.host.db.migrate(schema(broken))).rejects.toThrow(/no_such_table/);
    expect(store.database.prepare('SELECT sum(stars) FROM notes').pluck().get()).toBe(0);
    expect(await store.host.db.migrate(schema(stars))).toEqual({ from: 2, to: 3 });
    store.database.prepare("UPDATE notes SET stars = 5 WHERE id = 'n1'").run();
    expect(await store.host.db.migrate(schema(stars))).toEqual({ from: 3, to: 3 });
    expect(store.database.prepare('SELECT id, stars FROM notes ORDER BY id').all()).toEqual([
      { id: 'n1', stars: 5 },
      { id: 'n2', stars: 0 },
    ]);
  });

  it('refuses a database with a step this build does not know, or an old version past its baseline', async () => {
    await store.host.db.migrate(schema());
    store.database
      .prepare('INSERT INTO kysely_migration_notes (name, timestamp) VALUES (?, ?)')
      .run('0003-from-a-newer-build', new Date().toISOString());
    const wider = {
      ...schema(),
      tables: { notes: table({ ...NOTES.notes.columns, more: text().nullable() }) },
    };
    await expect(store.host.db.migrate(wider)).rejects.toThrow(SchemaTooNewError);
    expect(columns('notes')).not.toContain('more');

    const other: FeatureSchema = { ...schema(), feature: 'older', tables: {} };
    store.database.prepare("INSERT INTO schema_modules VALUES ('older', 3, 'x')").run();
    await expect(store.host.db.migrate(other)).rejects.toThrow(/schema version 3.*up to 2/);
  });

  it('refuses misnumbered steps, or a past step after one that moves data, before touching the database', async () => {
    const bad: FeatureSchema = { ...schema(), migrations: [{ name: '0002-first' }] };
    await expect(store.host.db.migrate(bad)).rejects.toThrow(/named "0002-first"/);
    const late = { ...schema(), migrations: [{ name: '0001-a', up: async () => {} }, { name: '0002-b' }] };
    await expect(store.host.db.migrate(late)).rejects.toThrow(/does nothing after a step that moves data/);
    expect(columns('notes')).toEqual([]);
  });
});
