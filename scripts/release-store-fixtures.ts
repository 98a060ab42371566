import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createPostgresStore } from '../adapters/postgres/postgres-store.js';
import { createSqliteStore } from '../adapters/sqlite/sqlite-store.js';
import { createTestSchema, TEST_DATABASE_URL } from '../test/support/pg-schema.js';
import { writeReleaseRows } from '../test/support/release-store.js';
import { describePostgres, describeSqlite } from '../test/support/schema-description.js';

// Writes test/fixtures/release-store: the schema a fresh database gets on each dialect (normalized, see
// test/support/schema-description.ts) and a dump of such a database with a few rows written through the stores.
// The committed files were made by the build released before table declarations replaced the step history;
// they are the reference the schema tests hold the current code to, so they are not regenerated casually.
// Needs the sqlite3 and pg_dump command-line tools and the test PostgreSQL server.

const out = join(import.meta.dirname, '..', 'test', 'fixtures', 'release-store');
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

async function sqlite(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'dxb-release-'));
  try {
    const file = join(dir, 'bot.sqlite');
    const store = await createSqliteStore({ file });
    await writeReleaseRows(store);
    await store.close();
    const db = new Database(file, { readonly: true });
    writeFileSync(join(out, 'sqlite.json'), json(describeSqlite(db)));
    const header = `PRAGMA application_id = ${db.pragma('application_id', { simple: true })};\nPRAGMA user_version = ${db.pragma('user_version', { simple: true })};\n`;
    db.close();
    writeFileSync(
      join(out, 'sqlite.sql'),
      header + execFileSync('sqlite3', [file, '.dump'], { encoding: 'utf8' }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgres(): Promise<void> {
  const schema = await createTestSchema('release');
  try {
    const store = await createPostgresStore({
      connectionString: schema.connectionString,
      schema: schema.schema,
    });
    await writeReleaseRows(store);
    await store.close();
    const client = new pg.Client({ connectionString: schema.databaseUrl });
    await client.connect();
    writeFileSync(join(out, 'postgres.json'), json(await describePostgres(client, schema.schema)));
    await client.end();
    const dump = execFileSync(
      'pg_dump',
      ['--schema', schema.schema, '--no-owner', '--no-privileges', '--inserts', TEST_DATABASE_URL],
      { encoding: 'utf8' },
    );
    // Loadable into any schema: the test names its own in place of __SCHEMA__ and creates it first.
    const body = dump
      .split('\n')
      .filter((line) => !/^(CREATE SCHEMA|SET |SELECT pg_catalog.set_config|--|\\)/.test(line))
      .join('\n')
      .replaceAll(schema.schema, '__SCHEMA__')
      .replace(/\n{3,}/g, '\n\n');
    writeFileSync(join(out, 'postgres.sql'), `${body.trim()}\n`);
  } finally {
    await schema.drop();
  }
}

await sqlite();
await postgres();
