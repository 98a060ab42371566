import { type Kysely, sql } from 'kysely';
import type { Incident } from '../../../bot/domain/incident.js';
import { searchText } from '../../../bot/links/incident-search.js';
import type { Dialect } from '../dialect.js';
import type { CoreTables } from './core-schema.js';

/**
 * The core's named step 0005-list-columns (core-schema.ts). Fills the list columns of the rows stored before
 * them: severity as a rank, the handoff of those awaiting the customer as their last update (what the awaiting
 * list showed), and the searched text from each body, a page of rows at a time. The status index they replace
 * goes.
 */
export async function fillListColumns(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  await sql`UPDATE incidents SET severity_rank = CASE WHEN severity_known = 0 THEN 4 WHEN severity = 'high'
    THEN 0 WHEN severity = 'medium' THEN 1 WHEN severity = 'low' THEN 2 WHEN severity = 'informational' THEN 3
    ELSE 4 END, handoff_key = CASE WHEN status_known = 1 AND status = 'awaitingAction' THEN last_update_key
    ELSE '' END`.execute(db);
  await sql`DROP INDEX IF EXISTS incidents_status`.execute(db);
  const core = db as Kysely<CoreTables>;
  let after = { customer_id: '', id: '' };
  for (;;) {
    const rows = await core
      .selectFrom('incidents')
      .select(['customer_id', 'id', 'body'])
      .where(sql<boolean>`(customer_id, id) > (${after.customer_id}, ${after.id})`)
      .orderBy('customer_id')
      .orderBy('id')
      .limit(500)
      .execute();
    for (const r of rows) {
      await core
        .updateTable('incidents')
        .set({ search_text: searchText(dialect.readJson<Incident>(r.body)) })
        .where('customer_id', '=', r.customer_id)
        .where('id', '=', r.id)
        .execute();
    }
    const last = rows.at(-1);
    if (last === undefined) return;
    after = { customer_id: last.customer_id, id: last.id };
  }
}
