import { type Kysely, sql } from 'kysely';
import {
  type AssigneeKind,
  factsInView,
  INCIDENT_VIEWS,
  type Incident,
  type IncidentView,
} from '../../../bot/domain/incident.js';
import { BotError } from '../../../bot/errors.js';
import type {
  IncidentChange,
  IncidentPage,
  IncidentQuery,
  Logger,
  OutboxPlanner,
  PollerFence,
  ViewCounts,
} from '../../../bot/ports.js';
import { chunks, type StoreDb } from '../database.js';
import type { DbInt } from '../dialect.js';
import type { CoreTables } from './core-schema.js';
import {
  type IncidentRow,
  keyToInstant,
  ORDER_SQL,
  sameContent,
  toRow,
  URGENCY_ORDER_SQL,
  VIEW_SQL,
} from './incident-rows.js';
import { enqueueDrafts } from './outbox.js';

// Incidents and poll cursors. A save reads the batch's stored versions at once and writes the real changes
// in multi-row statements, inside the caller's transaction: SQLite's is BEGIN IMMEDIATE (one writer), and
// on PostgreSQL the dialect's save guard serialises saves per customer and checks the poller fence.

/** Runs first in a save's transaction: PostgreSQL locks the customer and checks the fence (postgres/save-guard.ts). */
export type SaveGuard = (trx: Kysely<CoreTables>, customerId: string, fence?: PollerFence) => Promise<void>;

/** `%text%` for LIKE, with LIKE's own characters taken literally (the query escapes with a backslash). */
const likeInside = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function assertCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new BotError('bad_input', `${name} must be a non-negative integer, got ${value}`);
  }
}

function assertView(view: string): asserts view is IncidentView {
  if (!(INCIDENT_VIEWS as readonly string[]).includes(view)) {
    throw new BotError('bad_input', `unknown incident view "${view}"`);
  }
}

async function upsertRows(trx: Kysely<CoreTables>, rows: readonly IncidentRow[]): Promise<void> {
  for (const chunk of chunks(rows)) {
    await trx
      .insertInto('incidents')
      .values(chunk)
      .onConflict((oc) =>
        oc.columns(['customer_id', 'id']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          status_known: eb.ref('excluded.status_known'),
          severity: eb.ref('excluded.severity'),
          severity_known: eb.ref('excluded.severity_known'),
          assignee_kind: eb.ref('excluded.assignee_kind'),
          last_update_key: eb.ref('excluded.last_update_key'),
          severity_rank: eb.ref('excluded.severity_rank'),
          handoff_key: eb.ref('excluded.handoff_key'),
          search_text: eb.ref('excluded.search_text'),
          body: eb.ref('excluded.body'),
        })),
      )
      .execute();
  }
}

interface SaveArgs {
  readonly customerId: string;
  readonly incidents: readonly Incident[];
  readonly cursor: string | null;
  readonly plan: OutboxPlanner | undefined;
  readonly fence: PollerFence | undefined;
}

/** The incidents and cursors part of the core Store. */
export function incidents(
  db: StoreDb<CoreTables>,
  deps: { logger: Logger; now: () => Date; guard: SaveGuard },
) {
  const { kysely, dialect } = db;

  async function save(trx: Kysely<CoreTables>, args: SaveArgs): Promise<IncidentChange[]> {
    const { customerId, cursor, plan } = args;
    // A bad item fails the whole batch before anything is written.
    const stranger = args.incidents.find((i) => i.customerId !== customerId);
    if (stranger !== undefined) {
      const whose = `belongs to customer ${stranger.customerId}, not ${customerId}`;
      throw new BotError('bad_input', `incident ${stranger.id} ${whose}`);
    }
    await deps.guard(trx, customerId, args.fence);
    const firstSync =
      (await trx
        .selectFrom('cursors')
        .select('customer_id')
        .where('customer_id', '=', customerId)
        .executeTakeFirst()) === undefined;
    const stored = new Map<string, { key: string; handoff: string; incident: Incident }>();
    for (const ids of chunks([...new Set(args.incidents.map((i) => i.id))])) {
      const rows = await trx
        .selectFrom('incidents')
        .select(['id', 'body', 'last_update_key', 'handoff_key'])
        .where('customer_id', '=', customerId)
        .where('id', 'in', ids)
        .execute();
      for (const r of rows)
        stored.set(r.id, {
          key: r.last_update_key,
          handoff: r.handoff_key,
          incident: dialect.readJson<Incident>(r.body),
        });
    }
    const changes: IncidentChange[] = [];
    const writes = new Map<string, IncidentRow>();
    for (const incident of args.incidents) {
      const before = stored.get(incident.id);
      // Still awaiting the customer: it keeps waiting since its handoff, whatever else changed.
      const row = toRow(incident, before?.incident.status === 'awaitingAction' ? before.handoff : null);
      if (row.last_update_key === '') {
        deps.logger.warn(
          { customerId, incidentId: incident.id, lastUpdateDateTime: incident.lastUpdateDateTime },
          'incident lastUpdateDateTime is not an ISO 8601 instant; it sorts as the oldest',
        );
      }
      if (before !== undefined) {
        if (row.last_update_key < before.key) continue; // an older copy (overlap window)
        if (sameContent(before.incident, incident)) continue;
      }
      stored.set(incident.id, { key: row.last_update_key, handoff: row.handoff_key, incident });
      writes.delete(incident.id); // the last write per id, in input order
      writes.set(incident.id, row);
      changes.push({ previous: before?.incident ?? null, current: incident });
    }
    await upsertRows(trx, [...writes.values()]);
    if (cursor !== null) {
      await trx
        .insertInto('cursors')
        .values({ customer_id: customerId, cursor })
        .onConflict((oc) => oc.column('customer_id').doUpdateSet({ cursor }))
        .execute();
    }
    if (plan !== undefined && changes.length > 0) {
      const drafts = plan(changes, firstSync);
      const stray = drafts.find((d) => d.customerId !== customerId);
      if (stray !== undefined) {
        throw new BotError(
          'bad_input',
          `outbox row for customer ${stray.customerId} planned in a save for ${customerId}`,
        );
      }
      await enqueueDrafts(trx, dialect, drafts, deps.now());
    }
    return changes;
  }

  return {
    saveIncidentChanges: (
      customerId: string,
      batch: readonly Incident[],
      cursor: string | null,
      plan?: OutboxPlanner,
      fence?: PollerFence,
    ): Promise<readonly IncidentChange[]> =>
      db.tx((trx) => save(trx, { customerId, incidents: batch, cursor, plan, fence })),
    getCursor: (customerId: string): Promise<string | null> =>
      db.run(async () => {
        const row = await kysely
          .selectFrom('cursors')
          .select('cursor')
          .where('customer_id', '=', customerId)
          .executeTakeFirst();
        return row?.cursor ?? null;
      }),
    getIncident: (customerId: string, incidentId: string): Promise<Incident | null> =>
      db.run(async () => {
        const row = await kysely
          .selectFrom('incidents')
          .select('body')
          .where('customer_id', '=', customerId)
          .where('id', '=', incidentId)
          .executeTakeFirst();
        return row === undefined ? null : dialect.readJson<Incident>(row.body);
      }),
    async listIncidents(query: IncidentQuery): Promise<IncidentPage> {
      assertView(query.view);
      assertCount('limit', query.limit);
      assertCount('offset', query.offset);
      return db.run(async () => {
        const terms = query.terms ?? [];
        const where = sql<boolean>`customer_id = ${query.customerId} AND ${sql.raw(VIEW_SQL[query.view])}${
          query.severity === null ? sql`` : sql` AND severity_known = 1 AND severity = ${query.severity}`
        }${sql.join(
          terms.map((t) => sql` AND (lower(id) = ${t} OR search_text LIKE ${likeInside(t)} ESCAPE '\\')`),
          sql``,
        )}`;
        // One term that is an incident's id puts that incident first.
        const exactFirst =
          terms.length === 1 ? sql`CASE WHEN lower(id) = ${terms[0]} THEN 0 ELSE 1 END, ` : sql``;
        const count = sql<DbInt>`(SELECT count(*) FROM incidents WHERE ${where})`;
        // The page's ids and the total from one statement that the indexes answer without reading bodies;
        // then only the page's bodies, by key. Past the end, the total alone.
        const urgency = query.order === 'urgency';
        const rows = await kysely
          .selectFrom('incidents')
          .select(['id', count.as('total')])
          // Only the urgency order needs the handoff (and its index has it): elsewhere it would cost a row read.
          .$if(urgency, (q) => q.select('handoff_key'))
          .where(where)
          .orderBy(sql`${exactFirst}${sql.raw(urgency ? URGENCY_ORDER_SQL : ORDER_SQL)}`)
          .limit(query.limit)
          .offset(query.offset)
          .execute();
        const first = rows[0];
        if (first === undefined) {
          const none = await kysely.selectNoFrom(count.as('n')).executeTakeFirstOrThrow();
          return {
            items: [],
            total: dialect.readInt(none.n),
            ...(urgency ? { waitingSince: new Map() } : {}),
          };
        }
        const bodies = await kysely
          .selectFrom('incidents')
          .select(['id', 'body'])
          .where('customer_id', '=', query.customerId)
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
        const byId = new Map(bodies.map((b) => [b.id, dialect.readJson<Incident>(b.body)]));
        const items = rows.flatMap((r) => byId.get(r.id) ?? []);
        const total = dialect.readInt(first.total);
        if (!urgency) return { items, total };
        // When each was handed to the customer; an incident not awaiting it (view "all") since its last update.
        const waitingSince = new Map(
          rows.flatMap((r) => {
            const incident = byId.get(r.id);
            if (incident === undefined) return [];
            const key = r.handoff_key ?? '';
            return [[r.id, key === '' ? incident.lastUpdateDateTime : keyToInstant(key)]];
          }),
        );
        return { items, total, waitingSince };
      });
    },
    countByView: (customerId: string): Promise<ViewCounts> =>
      db.run(async () => {
        // One count per (status, assignee) from the counts index, in index order; the views add them up.
        const groups = await kysely
          .selectFrom('incidents')
          .select(['status_known', 'status', 'assignee_kind', sql<DbInt>`count(*)`.as('n')])
          .where('customer_id', '=', customerId)
          .groupBy(['status_known', 'status', 'assignee_kind'])
          .execute();
        const counts = Object.fromEntries(INCIDENT_VIEWS.map((v) => [v, 0])) as Record<IncidentView, number>;
        for (const g of groups) {
          const facts = {
            status: g.status_known === 1 ? g.status : null,
            assignee: g.assignee_kind as AssigneeKind,
          };
          for (const view of INCIDENT_VIEWS) {
            if (factsInView(facts, view)) counts[view] += dialect.readInt(g.n);
          }
        }
        return counts;
      }),
  };
}
