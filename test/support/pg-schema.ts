import { randomUUID } from 'node:crypto';
import pg from 'pg';

// A fresh PostgreSQL schema per test file (or per chaos run), dropped afterwards: tests share the local
// server (127.0.0.1:5432, database `test`, trust auth) without seeing each other's rows.

/** The test server; TEST_DATABASE_URL overrides it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

export interface TestSchema {
  readonly connectionString: string;
  readonly schema: string;
  /** DATABASE_URL for a spawned bot: the same server with search_path set to the schema. */
  readonly databaseUrl: string;
  drop(): Promise<void>;
}

/** Creates `dxb_<label>_<random>`; drop() removes it with everything in it. */
export async function createTestSchema(label: string): Promise<TestSchema> {
  const schema = `dxb_${label.replace(/[^a-z0-9]/g, '_')}_${randomUUID().replaceAll('-', '').slice(0, 10)}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA "${schema}"`);
  } finally {
    await client.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    connectionString: TEST_DATABASE_URL,
    schema,
    databaseUrl: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await c.end();
      }
    },
  };
}
