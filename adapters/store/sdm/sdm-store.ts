import { sql } from 'kysely';
import type { SdmStore } from '../../../bot/sdm/sdm-ports.js';
import { inChunks } from '../feature-kit.js';
import type { FeatureHost } from '../host.js';
import { checkins } from './checkins.js';
import { contacts } from './contacts.js';
import { reports } from './reports.js';
import { toTimeline } from './rows.js';
import { SDM_SCHEMA, type SdmTables } from './schema.js';

// The SDM feature's store, written once for both databases: incident timelines (here), report snapshots and
// posts (reports.ts), the readiness checklist and its check-ins (checkins.ts), contact requests (contacts.ts).

export async function createSdmStore(host: FeatureHost): Promise<SdmStore> {
  await host.db.migrate(SDM_SCHEMA);
  const db = host.db.withTables<SdmTables>();
  const { kysely } = db;
  return {
    recordTimelines: (patches) =>
      db.tx(async (trx) => {
        for (const p of patches) {
          // First expert start and first handoff are kept; the latest resolution (or its clearing) wins.
          const resolved = p.resolvedAt === undefined ? sql`` : sql`, resolved_at = excluded.resolved_at`;
          await sql`INSERT INTO sdm_timelines
              (customer_id, incident_id, experts_started_at, handed_off_at, resolved_at, inferred)
            VALUES (${p.customerId}, ${p.incidentId}, ${p.expertsStartedAt ?? null}, ${p.handedOffAt ?? null},
              ${p.resolvedAt ?? null}, ${p.inferred === true ? 1 : 0})
            ON CONFLICT (customer_id, incident_id) DO UPDATE SET
              experts_started_at = COALESCE(sdm_timelines.experts_started_at, excluded.experts_started_at),
              handed_off_at = COALESCE(sdm_timelines.handed_off_at, excluded.handed_off_at)${resolved},
              inferred = CASE WHEN excluded.inferred > sdm_timelines.inferred
                THEN excluded.inferred ELSE sdm_timelines.inferred END`.execute(trx);
        }
      }),
    listTimelines: (customerId, incidentIds) =>
      db.run(async () => {
        const byId = new Map<string, ReturnType<typeof toTimeline>>();
        const theirs = kysely.selectFrom('sdm_timelines').selectAll().where('customer_id', '=', customerId);
        await inChunks(incidentIds, async (ids) => {
          for (const r of await theirs.where('incident_id', 'in', ids).execute())
            byId.set(r.incident_id, toTimeline(r));
        });
        return incidentIds.flatMap((id) => byId.get(id) ?? []);
      }),
    ...reports(db),
    ...checkins(db),
    ...contacts(db),
  };
}
