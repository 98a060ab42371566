import type { Clock } from '../../../bot/ports.js';
import type { StoreDb } from '../database.js';
import type { CoreTables } from './core-schema.js';

// Platform installations (Slack OAuth) on either database: one query each, written once. The pattern for a
// feature store: take the StoreDb, write Kysely queries, convert values with db.dialect, wrap each
// operation in db.run (single statement) or db.tx (several that belong together).

export function installations(db: StoreDb<CoreTables>, clock: Clock) {
  const { kysely, dialect } = db;
  return {
    saveInstallation: (platform: string, key: string, installation: unknown): Promise<void> =>
      db.run(async () => {
        const row = {
          platform,
          key,
          body: dialect.json(installation),
          updated_at: dialect.timestamp(clock.now()),
        };
        await kysely
          .insertInto('installations')
          .values(row)
          .onConflict((oc) =>
            oc.columns(['platform', 'key']).doUpdateSet({ body: row.body, updated_at: row.updated_at }),
          )
          .execute();
      }),
    getInstallation: (platform: string, key: string): Promise<unknown | null> =>
      db.run(async () => {
        const row = await kysely
          .selectFrom('installations')
          .select('body')
          .where('platform', '=', platform)
          .where('key', '=', key)
          .executeTakeFirst();
        return row === undefined ? null : dialect.readJson<unknown>(row.body);
      }),
    deleteInstallation: (platform: string, key: string): Promise<boolean> =>
      db.run(async () => {
        const r = await kysely
          .deleteFrom('installations')
          .where('platform', '=', platform)
          .where('key', '=', key)
          .executeTakeFirst();
        return r.numDeletedRows > 0n;
      }),
  };
}
