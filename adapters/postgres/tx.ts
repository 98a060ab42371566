import type pg from 'pg';

// Connections taken from the pool for more than one statement. While checked out, a client has no error
// listener of the pool's: if the server ends its session then (idle-in-transaction timeout after a stall, a
// restart), the 'error' event would crash the process. checkout() listens for the whole time it is held.

/** A connection inside a transaction, or the pool itself for single statements. */
export type Queryable = Pick<pg.PoolClient, 'query'>;

/** A pooled client with an error listener until `done` (a broken one is destroyed, never reused). */
export async function checkout(
  pool: pg.Pool,
): Promise<{ client: pg.PoolClient; done: (broken?: Error) => void }> {
  const client = await pool.connect();
  let failed: Error | undefined;
  const onError = (error: Error): void => {
    failed = error; // the pending query rejects with it too; the caller handles that one
  };
  client.on('error', onError);
  return {
    client,
    done(broken) {
      client.removeListener('error', onError);
      client.release(broken ?? failed);
    },
  };
}

/** Runs `work` in one transaction; its errors propagate after the rollback. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const { client, done } = await checkout(pool);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    done(broken);
  }
}
