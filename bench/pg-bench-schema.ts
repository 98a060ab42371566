import { randomUUID } from 'node:crypto';
import pg from 'pg';

// A throwaway PostgreSQL schema for a benchmark run (BENCH_DATABASE_URL, default the local test server),
// dropped at the end. The benches skip PostgreSQL with a note when the server cannot be reached.

export const BENCH_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** Creates `dxb_bench_<label>_<random>`; null when PostgreSQL is not reachable. */
export async function benchSchema(label: string): Promise<{ schema: string; drop(): Promise<void> } | null> {
  const schema = `dxb_bench_${label}_${randomUUID().replaceAll('-', '').slice(0, 8)}`;
  const admin = async (sql: string): Promise<void> => {
    const c = new pg.Client({ connectionString: BENCH_DATABASE_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  try {
    await admin(`CREATE SCHEMA "${schema}"`);
  } catch {
    return null;
  }
  return { schema, drop: () => admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`) };
}
