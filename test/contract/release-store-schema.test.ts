import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore } from '../../adapters/postgres/postgres-store.js';
import { createSqliteStore } from '../../adapters/sqlite/sqlite-store.js';
import { legacyFixture } from '../support/legacy-dump.js';
import { createTestSchema, type TestSchema } from '../support/pg-schema.js';
import { expectReleaseRowsServed, openAllFeatures } from '../support/release-store.js';
import { describePostgres, describeSqlite, type SchemaDescription } from '../support/schema-description.js';

// The tables are declared once and reconciled on open; these hold that to the schema the released build
// made (test/fixtures/release-store, written by that build): its database, opened by this build, gets the
// schema a fresh database gets, keeps every row and value and is served; so does a database of the old
// runners. What changed since the release is what the declaration added (the list columns and indexes).

const release = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'release-store', name), 'utf8');
const releaseSchema = (dialect: 'sqlite' | 'postgres'): SchemaDescription =>
  JSON.parse(release(`${dialect}.json`));

const LEGACY = ['questions-v2', 'relay-v4', 'response-v1', 'sdm-v3', 'user-checks-v1'];
/** Tables and recorded steps: what a build reads. The old counters differ (an adopted one keeps its history). */
const shape = (d: SchemaDescription) => ({ tables: d.tables, steps: d.steps });

type TableRows = Record<string, unknown[]>;
/** The rows after an upgrade, cut to the columns each table had before (bookkeeping tables left out). */
function asBefore(before: TableRows, after: TableRows): TableRows {
  const keep = (t: string) => !t.startsWith('kysely_migration');
  return Object.fromEntries(
    Object.keys(before)
      .filter(keep)
      .map((t) => {
        const columns = Object.keys((before[t]?.[0] ?? {}) as object);
        const rows = (after[t] ?? []) as Record<string, unknown>[];
        return [t, rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c]])))];
      }),
  );
}
const withoutBookkeeping = (rows: TableRows): TableRows =>
  Object.fromEntries(Object.entries(rows).filter(([t]) => !t.startsWith('kysely_migration')));

describe('store schema against the released build: sqlite', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dxb-release-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const describeFile = (file: string): SchemaDescription => {
    const db = new Database(file, { readonly: true });
    try {
      return describeSqlite(db);
    } finally {
      db.close();
    }
  };
  const rows = (file: string): Record<string, unknown[]> => {
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .pluck()
        .all();
      return Object.fromEntries(
        (tables as string[]).map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).all()]),
      );
    } finally {
      db.close();
    }
  };
  const openEverything = async (file: string): Promise<void> => {
    const store = await createSqliteStore({ file });
    await openAllFeatures(store.host);
    await store.close();
  };

  const freshSchema = async (): Promise<SchemaDescription> => {
    const file = join(dir, `fresh-${Math.random()}.sqlite`);
    await openEverything(file);
    return describeFile(file);
  };

  it('adopts a database of the old runners into the schema a fresh one gets', async () => {
    const file = join(dir, 'legacy.sqlite');
    const raw = new Database(file);
    raw.exec(legacyFixture('sqlite-core-v3.sql'));
    for (const f of LEGACY) raw.exec(legacyFixture(`sqlite-${f}.sql`));
    raw.close();
    await openEverything(file);
    expect(shape(describeFile(file))).toEqual(shape(await freshSchema()));
  });

  it('upgrades a database the released build made to the fresh schema, keeping every row, and serves it', async () => {
    const file = join(dir, 'release.sqlite');
    const raw = new Database(file);
    raw.exec(release('sqlite.sql'));
    raw.close();
    const [schemaBefore, rowsBefore] = [describeFile(file), rows(file)];
    expect(schemaBefore).toEqual(releaseSchema('sqlite'));
    await openEverything(file);
    const upgraded = describeFile(file);
    expect(upgraded).not.toEqual(schemaBefore);
    expect(shape(upgraded)).toEqual(shape(await freshSchema()));
    expect(asBefore(rowsBefore, rows(file))).toEqual(withoutBookkeeping(rowsBefore));
    // Opening it again changes nothing.
    const rowsUpgraded = rows(file);
    await openEverything(file);
    expect(describeFile(file)).toEqual(upgraded);
    expect(rows(file)).toEqual(rowsUpgraded);
    const store = await createSqliteStore({ file });
    try {
      await expectReleaseRowsServed(store);
    } finally {
      await store.close();
    }
  });
});

describe('store schema against the released build: postgres', () => {
  const schemas: TestSchema[] = [];
  const clients: pg.Client[] = [];
  afterAll(async () => {
    for (const c of clients) await c.end();
    for (const s of schemas) await s.drop();
  });
  const fresh = async (label: string): Promise<{ schema: TestSchema; client: pg.Client }> => {
    const schema = await createTestSchema(label);
    schemas.push(schema);
    const client = new pg.Client({ connectionString: schema.databaseUrl });
    clients.push(client);
    await client.connect();
    return { schema, client };
  };
  const openEverything = async (schema: TestSchema): Promise<void> => {
    const store = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
    });
    await openAllFeatures(store.host);
    await store.close();
  };
  /** Every row but the instances' (opening a store registers one). */
  const rows = async (client: pg.Client, schema: string): Promise<Record<string, unknown[]>> => {
    const tables = await client.query<{ t: string }>(
      `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = $1 AND table_name <> 'instances'`,
      [schema],
    );
    const out: Record<string, unknown[]> = {};
    for (const { t } of tables.rows)
      out[t] = (await client.query(`SELECT * FROM "${t}" AS r ORDER BY r::text`)).rows;
    return out;
  };

  const freshSchema = async (): Promise<SchemaDescription> => {
    const { schema, client } = await fresh('release_fresh');
    await openEverything(schema);
    return describePostgres(client, schema.schema);
  };

  it('adopts a database of the old runners into the schema a fresh one gets', async () => {
    const { schema, client } = await fresh('release_legacy');
    await client.query(legacyFixture('postgres-core-v3.sql'));
    for (const f of LEGACY) await client.query(legacyFixture(`postgres-${f}.sql`));
    await openEverything(schema);
    expect(shape(await describePostgres(client, schema.schema))).toEqual(shape(await freshSchema()));
  });

  it('upgrades a database the released build made to the fresh schema, keeping every row, and serves it', async () => {
    const { schema, client } = await fresh('release_rows');
    await client.query(release('postgres.sql').replaceAll('__SCHEMA__', schema.schema));
    const before = await describePostgres(client, schema.schema);
    const rowsBefore = await rows(client, schema.schema);
    expect(before).toEqual(releaseSchema('postgres'));
    await openEverything(schema);
    const upgraded = await describePostgres(client, schema.schema);
    expect(upgraded).not.toEqual(before);
    expect(shape(upgraded)).toEqual(shape(await freshSchema()));
    expect(asBefore(rowsBefore, await rows(client, schema.schema))).toEqual(withoutBookkeeping(rowsBefore));
    const rowsUpgraded = await rows(client, schema.schema);
    await openEverything(schema);
    expect(await describePostgres(client, schema.schema)).toEqual(upgraded);
    expect(await rows(client, schema.schema)).toEqual(rowsUpgraded);
    const store = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
    });
    try {
      await expectReleaseRowsServed(store);
    } finally {
      await store.close();
    }
  });
});
