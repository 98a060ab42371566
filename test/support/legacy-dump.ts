import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';
import { expect } from 'vitest';

// For a feature's adoption test: a database made by the code before the feature migrator (the core's and the
// feature's exact old DDL from test/fixtures/legacy-store, rows written the way that code wrote them), and the
// check that every row survived, converted only to its column's new type.

/** Rows per table, as the old code wrote them (flags 0/1, instants ISO text, JSON text). */
export type Dump = Record<string, Record<string, unknown>[]>;

export const legacyFixture = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'legacy-store', name), 'utf8');

const insert = (table: string, row: Record<string, unknown>, mark: (i: number) => string): string =>
  `INSERT INTO ${table} (${Object.keys(row).join(', ')}) VALUES (${Object.keys(row)
    .map((_, i) => mark(i))
    .join(', ')})`;

const orderBy = (keys: Record<string, string>, table: string): string => `ORDER BY ${keys[table] ?? '1'}`;

/** Makes `file` as the old SQLite code left it (core v3, then the feature's fixture and rows); returns its rows. */
export function makeLegacySqlite(
  file: string,
  feature: string,
  rows: Dump,
  keys: Record<string, string>,
): Dump {
  const raw = new Database(file);
  try {
    raw.exec(legacyFixture('sqlite-core-v3.sql'));
    raw.exec(legacyFixture(feature));
    for (const [table, list] of Object.entries(rows)) {
      for (const row of list) raw.prepare(insert(table, row, () => '?')).run(...Object.values(row));
    }
    return dumpSqlite(raw, Object.keys(rows), keys);
  } finally {
    raw.close();
  }
}

export const dumpSqlite = (db: Database.Database, tables: string[], keys: Record<string, string>): Dump =>
  Object.fromEntries(
    tables.map((t) => [t, db.prepare(`SELECT * FROM ${t} ${orderBy(keys, t)}`).all()]),
  ) as Dump;

/** Makes the client's schema as the old PostgreSQL code left it (core v3, then the feature's fixture and rows). */
export async function makeLegacyPostgres(client: pg.Client, feature: string, rows: Dump): Promise<void> {
  await client.query(legacyFixture('postgres-core-v3.sql'));
  await client.query(legacyFixture(feature));
  for (const [table, list] of Object.entries(rows)) {
    for (const row of list)
      await client.query(
        insert(table, row, (i) => `$${i + 1}`),
        Object.values(row),
      );
  }
}

/** Every row of these tables; `int8` columns (pg returns text) as numbers. */
export async function dumpPostgres(
  client: pg.Client,
  tables: string[],
  keys: Record<string, string>,
  int8: ReadonlySet<string> = new Set(),
): Promise<Dump> {
  const out: Dump = {};
  for (const t of tables) {
    const r = await client.query(`SELECT * FROM ${t} ${orderBy(keys, t)}`);
    out[t] = r.rows.map((row: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, int8.has(`${t}.${k}`) ? Number(v) : v])),
    );
  }
  return out;
}

/** Every legacy column of every row kept, converted only to the column's new type. */
export function expectIntact(before: Dump, after: Dump): void {
  for (const [table, rows] of Object.entries(before)) {
    const now = after[table] ?? [];
    expect(now.length, table).toBe(rows.length);
    rows.forEach((row, i) => {
      const next = now[i] ?? {};
      for (const [column, was] of Object.entries(row)) {
        const is = next[column];
        const where = `${table}.${column}`;
        if (is instanceof Date) expect(is.toISOString(), where).toBe(was);
        else if (typeof is === 'boolean' && typeof was === 'number') expect(is, where).toBe(was !== 0);
        else if (is !== null && typeof is === 'object') expect(is, where).toEqual(JSON.parse(String(was)));
        else expect(is, where).toStrictEqual(was);
      }
    });
  }
}

/** data_type of each `table.column` in the schema. */
export async function columnTypes(client: pg.Client, schema: string): Promise<Record<string, string>> {
  const r = await client.query(
    `SELECT table_name || '.' || column_name AS c, data_type FROM information_schema.columns
      WHERE table_schema = $1`,
    [schema],
  );
  return Object.fromEntries(r.rows.map((x: { c: string; data_type: string }) => [x.c, x.data_type]));
}
