import type { SdmStore } from '../../../bot/sdm/sdm-ports.js';
import { inChunks } from '../feature-kit.js';
import type { FeatureHost } from '../host.js';
import { checkins } from './checkins.js';
import { contacts } from './contacts.js';
import { reports } from './reports.js';
import { toTimeline } from './rows.js';
import { SDM_SCHEMA, type SdmTables } from './sdm-schema.js';

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
          const key = { customer_id: p.customerId, incident_id: p.incidentId };
          const row = {
            experts_started_at: p.expertsStartedAt ?? null,
            handed_off_at: p.handedOffAt ?? null,
          };
          const inferred = p.inferred === true ? 1 : 0;
          const resolved = { resolved_at: p.resolvedAt ?? null };
          await trx
            .insertInto('sdm_timelines')
            .values({ ...key, ...row, ...resolved, inferred })
            // First expert start and first handoff are kept; the latest resolution (or its clearing) wins.
            .onConflict((oc) =>
              oc.columns(['customer_id', 'incident_id']).doUpdateSet((eb) => ({
                experts_started_at: eb.fn.coalesce(
                  'sdm_timelines.experts_started_at',
                  'excluded.experts_started_at',
                ),
                handed_off_at: eb.fn.coalesce('sdm_timelines.handed_off_at', 'excluded.handed_off_at'),
                ...(p.resolvedAt === undefined ? {} : { resolved_at: eb.ref('excluded.resolved_at') }),
                inferred: eb
                  .case()
                  .when('excluded.inferred', '>', eb.ref('sdm_timelines.inferred'))
                  .then(eb.ref('excluded.inferred'))
                  .else(eb.ref('sdm_timelines.inferred'))
                  .end(),
              })),
            )
            .execute();
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
