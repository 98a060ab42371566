import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  assertMigrationsOrdered,
  MIGRATIONS,
  type Migration,
} from '../../../../adapters/sqlite/migrations.js';
import { migrateModule, type SchemaModule } from '../../../../adapters/sqlite/module-migrations.js';
import { openSqliteDatabase, silentLogger } from '../../../../adapters/sqlite/open.js';

// The migrator: appending a step is all a later schema change should need, and a failing step changes nothing.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dxb-sqlite-migrate-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const tableNames = (db: Database.Database): unknown[] =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();

describe('migrations', () => {
  it('are numbered 1, 2, 3… in order', () => {
    expect(() => assertMigrationsOrdered(MIGRATIONS)).not.toThrow();
    const gap: Migration[] = [...MIGRATIONS, { version: MIGRATIONS.length + 2, description: 'gap', up: '' }];
    expect(() => assertMigrationsOrdered(gap)).toThrow(/numbered/);
  });

  it('applies an appended step to an existing file, then leaves it alone', () => {
    const file = join(dir, 'bot.sqlite');
    openSqliteDatabase(file).close();
    const next = MIGRATIONS.length + 1;
    const extended: Migration[] = [
      ...MIGRATIONS,
      { version: next, description: 'questions', up: 'CREATE TABLE questions (id TEXT PRIMARY KEY) STRICT;' },
      {
        version: next + 1,
        description: 'seed by code',
        up: (db) => {
          db.prepare('INSERT INTO questions (id) VALUES (?)').run('q1');
        },
      },
    ];
    for (let i = 0; i < 2; i++) {
      const db = openSqliteDatabase(file, { migrations: extended });
      expect(db.pragma('user_version', { simple: true })).toBe(next + 1);
      expect(db.prepare('SELECT id FROM questions').pluck().all()).toEqual(['q1']);
      db.close();
    }
  });

  it('rolls a failing step back entirely and keeps the previous version', () => {
    const file = join(dir, 'bot.sqlite');
    openSqliteDatabase(file).close();
    const broken: Migration[] = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        description: 'broken',
        up: 'CREATE TABLE half_done (id TEXT); INSERT INTO no_such_table VALUES (1);',
      },
    ];
    expect(() => openSqliteDatabase(file, { migrations: broken })).toThrow(/no_such_table/);
    const db = openSqliteDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(tableNames(db)).not.toContain('half_done');
    db.close();
  });
});

describe('feature module migrations', () => {
  const notes: SchemaModule = {
    module: 'notes',
    migrations: [
      { version: 1, description: 'notes', up: 'CREATE TABLE notes (id TEXT PRIMARY KEY) STRICT;' },
      { version: 2, description: 'seed', up: "INSERT INTO notes (id) VALUES ('n1');" },
    ],
  };
  const other: SchemaModule = {
    module: 'other',
    migrations: [{ version: 1, description: 'other', up: 'CREATE TABLE other (id TEXT) STRICT;' }],
  };

  it('numbers each module on its own, applies pending steps once and keeps the core version', () => {
    const file = join(dir, 'bot.sqlite');
    for (let i = 0; i < 2; i++) {
      const db = openSqliteDatabase(file);
      expect(migrateModule(db, file, silentLogger, notes).to).toBe(2);
      expect(migrateModule(db, file, silentLogger, other)).toEqual({ from: i, to: 1 });
      expect(db.prepare('SELECT id FROM notes').pluck().all()).toEqual(['n1']);
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      db.close();
    }
  });

  it('refuses a module written by a newer build without writing, and rolls a failing step back', () => {
    const file = join(dir, 'bot.sqlite');
    const db = openSqliteDatabase(file);
    migrateModule(db, file, silentLogger, notes);
    const older: SchemaModule = { module: 'notes', migrations: notes.migrations.slice(0, 1) };
    expect(() => migrateModule(db, file, silentLogger, older)).toThrow(/newer version/);
    const broken: SchemaModule = {
      module: 'notes',
      migrations: [
        ...notes.migrations,
        {
          version: 3,
          description: 'broken',
          up: 'CREATE TABLE half (id TEXT); INSERT INTO nope VALUES (1);',
        },
      ],
    };
    expect(() => migrateModule(db, file, silentLogger, broken)).toThrow(/nope/);
    expect(db.prepare("SELECT version FROM schema_modules WHERE module = 'notes'").pluck().get()).toBe(2);
    expect(tableNames(db)).not.toContain('half');
    expect(() => migrateModule(db, file, silentLogger, { module: 'Bad Name', migrations: [] })).toThrow(
      /invalid schema module name/,
    );
    db.close();
  });
});
