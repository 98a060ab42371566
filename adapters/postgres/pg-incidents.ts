import type { Incident, IncidentView } from '../../bot/domain/incident.js';
import { INCIDENT_VIEWS } from '../../bot/domain/incident.js';
import { BotError } from '../../bot/errors.js';
import type {
  IncidentChange,
  IncidentPage,
  IncidentQuery,
  Logger,
  OutboxPlanner,
  PollerFence,
  ViewCounts,
} from '../../bot/ports.js';
import {
  fromBody,
  type IncidentRow,
  ORDER_SQL,
  sameContent,
  toRow,
  VIEW_SQL,
} from '../sqlite/incident-rows.js';
import { FencedOffError } from './errors.js';
import { LOCK_KIND, LOCK_NAMESPACE } from './migrations.js';
import { enqueueDrafts } from './pg-outbox.js';
import { toNumber } from './pool.js';
import type { Queryable } from './tx.js';

// Incidents on PostgreSQL with the SQLite store's row mapping and view SQL (adapters/sqlite/incident-rows.ts),
// so both backends answer the contract identically. A save reads all stored versions of the batch at once and
// writes the real changes in multi-row statements, serialised per customer by a transaction advisory lock.

const ROW_COLUMNS = [
  'customer_id',
  'id',
  'status',
  'status_known',
  'severity',
  'severity_known',
  'assignee_kind',
  'last_update_key',
  'body',
] as const;
const CHUNK = 500;

async function upsertRows(c: Queryable, rows: readonly IncidentRow[]): Promise<void> {
  for (let start = 0; start < rows.length; start += CHUNK) {
    const chunk = rows.slice(start, start + CHUNK);
    const values: unknown[] = [];
    const tuples = chunk.map((row, i) => {
      for (const column of ROW_COLUMNS) values.push(row[column]);
      const base = i * ROW_COLUMNS.length;
      return `(${ROW_COLUMNS.map((_, k) => `$${base + k + 1}`).join(', ')})`;
    });
    await c.query(
      `INSERT INTO incidents (${ROW_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}
       ON CONFLICT (customer_id, id) DO UPDATE SET status = excluded.status, status_known = excluded.status_known,
         severity = excluded.severity, severity_known = excluded.severity_known,
         assignee_kind = excluded.assignee_kind, last_update_key = excluded.last_update_key, body = excluded.body`,
      values,
    );
  }
}

/** Refuses the save unless `fence` is the customer's current poller epoch (checked under the row's lock). */
async function checkFence(c: Queryable, customerId: string, fence: PollerFence): Promise<void> {
  if (fence.customerId !== customerId) {
    throw new BotError('bad_input', `poller fence of ${fence.customerId} used in a save for ${customerId}`);
  }
  const r = await c.query<{ epoch: string }>(
    'SELECT epoch FROM poller_leases WHERE customer_id = $1 FOR SHARE',
    [customerId],
  );
  const current = toNumber(r.rows[0]?.epoch ?? 0);
  if (current !== fence.epoch) throw new FencedOffError(customerId, fence.epoch, current);
}

/** The body of saveIncidentChanges, run inside the caller's transaction. */
export async function saveChanges(
  c: Queryable,
  logger: Logger,
  now: Date,
  args: {
    customerId: string;
    incidents: readonly Incident[];
    cursor: string | null;
    plan: OutboxPlanner | undefined;
    fence: PollerFence | undefined;
  },
): Promise<IncidentChange[]> {
  const { customerId, incidents, cursor, plan, fence } = args;
  for (const incident of incidents) {
    if (incident.customerId !== customerId) {
      throw new BotError(
        'bad_input',
        `incident ${incident.id} belongs to customer ${incident.customerId}, not ${customerId}`,
      );
    }
  }
  await c.query('SELECT pg_advisory_xact_lock($1, hashtext(current_schema() || $2))', [
    LOCK_NAMESPACE,
    `:${LOCK_KIND.save}:${customerId}`,
  ]);
  if (fence !== undefined) await checkFence(c, customerId, fence);
  const firstSync =
    (await c.query('SELECT 1 FROM cursors WHERE customer_id = $1', [customerId])).rowCount === 0;
  const ids = [...new Set(incidents.map((i) => i.id))];
  const stored = new Map<string, { key: string; incident: Incident }>();
  if (ids.length > 0) {
    const r = await c.query<{ id: string; body: string; last_update_key: string }>(
      'SELECT id, body, last_update_key FROM incidents WHERE customer_id = $1 AND id = ANY($2::text[])',
      [customerId, ids],
    );
    for (const row of r.rows) stored.set(row.id, { key: row.last_update_key, incident: fromBody(row.body) });
  }
  const changes: IncidentChange[] = [];
  const writes = new Map<string, IncidentRow>();
  for (const incident of incidents) {
    const row = toRow(incident);
    if (row.last_update_key === '') {
      logger.warn(
        { customerId, incidentId: incident.id, lastUpdateDateTime: incident.lastUpdateDateTime },
        'incident lastUpdateDateTime is not an ISO 8601 instant; it sorts as the oldest',
      );
    }
    const before = stored.get(incident.id);
    if (before !== undefined) {
      if (row.last_update_key < before.key) continue; // an older copy (overlap window)
      if (sameContent(before.incident, incident)) continue;
    }
    stored.set(incident.id, { key: row.last_update_key, incident });
    writes.delete(incident.id); // keep input order of the last write per id
    writes.set(incident.id, row);
    changes.push({ previous: before?.incident ?? null, current: incident });
  }
  await upsertRows(c, [...writes.values()]);
  if (cursor !== null) {
    await c.query(
      'INSERT INTO cursors (customer_id, cursor) VALUES ($1, $2) ON CONFLICT (customer_id) DO UPDATE SET cursor = excluded.cursor',
      [customerId, cursor],
    );
  }
  if (plan !== undefined && changes.length > 0) {
    const drafts = plan(changes, firstSync);
    for (const d of drafts) {
      if (d.customerId !== customerId) {
        throw new BotError(
          'bad_input',
          `outbox row for customer ${d.customerId} planned in a save for ${customerId}`,
        );
      }
    }
    await enqueueDrafts(c, drafts, now);
  }
  return changes;
}

/** One page and the full total, from one statement (one snapshot). */
export async function listPage(c: Queryable, query: IncidentQuery): Promise<IncidentPage> {
  const params: unknown[] = [query.customerId, query.limit, query.offset];
  let where = `customer_id = $1 AND ${VIEW_SQL[query.view]}`;
  if (query.severity !== null) {
    params.push(query.severity);
    where += ' AND severity_known = 1 AND severity = $4';
  }
  const r = await c.query<{ total: string; bodies: string }>(
    `WITH m AS (SELECT id, last_update_key, body FROM incidents WHERE ${where}),
          page AS (SELECT body, row_number() OVER (ORDER BY ${ORDER_SQL}) AS rn FROM m
                   ORDER BY ${ORDER_SQL} LIMIT $2 OFFSET $3)
     SELECT (SELECT count(*) FROM m) AS total,
            (SELECT coalesce(json_agg(body ORDER BY rn), '[]'::json) FROM page)::text AS bodies`,
    params,
  );
  const row = r.rows[0];
  const bodies = JSON.parse(row?.bodies ?? '[]') as string[];
  return { items: bodies.map(fromBody), total: toNumber(row?.total ?? 0) };
}

/** How many incidents each view holds for one customer. */
export async function countViews(c: Queryable, customerId: string): Promise<ViewCounts> {
  const r = await c.query<Record<IncidentView, string>>(
    `SELECT ${INCIDENT_VIEWS.map((v) => `count(*) FILTER (WHERE ${VIEW_SQL[v]}) AS "${v}"`).join(', ')}
       FROM incidents WHERE customer_id = $1`,
    [customerId],
  );
  const row = r.rows[0];
  return Object.fromEntries(INCIDENT_VIEWS.map((v) => [v, toNumber(row?.[v] ?? 0)])) as Record<
    IncidentView,
    number
  >;
}
