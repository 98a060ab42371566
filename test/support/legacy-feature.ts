import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import type { FeatureHost } from '../../adapters/store/host.js';
import type { FeatureSchema } from '../../adapters/store/migrator.js';
import { createTestSchema, type TestSchema } from './pg-schema.js';

// A feature's legacy-adoption test on both backends: the feature's tables made by the old module runner (its
// exact DDL and schema_modules row in test/fixtures/legacy-store), rows written the way the old code wrote
// them, then the store opened with the new code: every row intact (converted only to the column's new type on
// PostgreSQL), the old steps recorded as applied, and the store serving the rows.

export type Rows = Record<string, Record<string, unknown>[]>;

export interface AdoptionCase<S> {
  readonly schema: FeatureSchema;
  /** Fixture file names under test/fixtures/legacy-store. */
  readonly fixtures: { readonly sqlite: string; readonly postgres: string };
  readonly rows: Rows;
  /** ORDER BY of each table, so dumps compare row by row. */
  readonly keys: Record<string, string>;
  /** "table.column" → the PostgreSQL type it has after the migration ("jsonb", "timestamp with time zone"…). */
  readonly postgresTypes: Record<string, string>;
  readonly open: (host: FeatureHost) => Promise<S>;
  /** What the adopted store must serve from the rows. */
  readonly served: (store: S) => Promise<void>;
}

const fixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'legacy-store', name), 'utf8');

/** Every legacy column of every row kept, converted only to the column's new type. */
function expectIntact(before: Rows, after: Rows): void {
  for (const [table, rows] of Object.entries(before)) {
    const now = after[table] ?? [];
    expect(now.length, table).toBe(rows.length);
    rows.forEach((row, i) => {
      const next = now[i] ?? {};
      for (const [column, was] of Object.entries(row)) {
        const is = next[column];
        if (is instanceof Date) expect(is.toISOString(), `${table}.${column}`).toBe(was);
        else if (is !== null && typeof is === 'object')
          expect(is, `${table}.${column}`).toEqual(JSON.parse(String(was)));
        else expect(is, `${table}.${column}`).toStrictEqual(was);
      }
    });
  }
}

const insertSql = (table: string, row: Record<string, unknown>, param: (i: number) => string): string =>
  `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
    .map((_, i) => param(i))
    .join(', ')})`;

/** Registers the sqlite and postgres adoption tests of one feature. */
export function adoptionSuite<S>(c: AdoptionCase<S>): void {
  const names = c.schema.migrations.map((m) => m.name);
  const feature = c.schema.feature;

  describe(`adopting the ${feature} tables of the old module runner: sqlite`, () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), `dxb-legacy-${feature}-`));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const dump = (db: Database.Database): Rows =>
      Object.fromEntries(
        Object.keys(c.rows).map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY ${c.keys[t]}`).all()]),
      ) as Rows;

    it('keeps every row, records the old steps as applied and serves the rows', async () => {
      const file = join(dir, 'bot.sqlite');
      await (await createSqliteStore({ file })).close();
      const raw = new Database(file);
      raw.exec(fixture(c.fixtures.sqlite));
      for (const [table, rows] of Object.entries(c.rows)) {
        for (const row of rows) raw.prepare(insertSql(table, row, () => '?')).run(...Object.values(row));
      }
      const before = dump(raw);
      raw.close();

      const core = await createSqliteStore({ file });
      try {
        const store = await c.open(core.host);
        expectIntact(before, dump(core.database));
        const recorded = core.database
          .prepare(`SELECT name FROM kysely_migration_${feature} ORDER BY name`)
          .pluck()
          .all();
        expect(recorded).toEqual(names);
        await c.served(store);
      } finally {
        await core.close();
      }
    });
  });

  describe(`adopting the ${feature} tables of the old module runner: postgres`, () => {
    let schema: TestSchema;
    let client: pg.Client;
    beforeAll(async () => {
      schema = await createTestSchema(`legacy_${feature}`);
      client = new pg.Client({ connectionString: schema.databaseUrl });
      await client.connect();
    });
    afterAll(async () => {
      await client?.end();
      await schema?.drop();
    });
    const dump = async (): Promise<Rows> => {
      const out: Rows = {};
      for (const t of Object.keys(c.rows)) {
        out[t] = (await client.query(`SELECT * FROM ${t} ORDER BY ${c.keys[t]}`)).rows;
      }
      return out;
    };
    const open = () =>
      createPostgresStore({ connectionString: schema.connectionString, schema: schema.schema });

    it('keeps every row, turns text instants and JSON into timestamptz and jsonb, and serves the rows', async () => {
      await (await open()).close();
      await client.query(fixture(c.fixtures.postgres));
      for (const [table, rows] of Object.entries(c.rows)) {
        for (const row of rows) {
          await client.query(
            insertSql(table, row, (i) => `$${i + 1}`),
            Object.values(row),
          );
        }
      }
      const before = await dump();

      const core = await open();
      try {
        const store = await c.open(core.host);
        expectIntact(before, await dump());
        const types = await client.query<{ c: string; data_type: string }>(
          `SELECT table_name || '.' || column_name AS c, data_type FROM information_schema.columns
            WHERE table_schema = $1`,
          [schema.schema],
        );
        const typeOf = Object.fromEntries(types.rows.map((r) => [r.c, r.data_type]));
        for (const [column, type] of Object.entries(c.postgresTypes))
          expect(typeOf[column], column).toBe(type);
        const recorded = await client.query<{ name: string }>(
          `SELECT name FROM kysely_migration_${feature} ORDER BY name`,
        );
        expect(recorded.rows.map((r) => r.name)).toEqual(names);
        await c.served(store);
      } finally {
        await core.close();
      }
    });
  });
}
